// Package box boxes values into interfaces without an allocation each: the
// value lives in a block the caller allocated for many of them. A result of
// many rows then costs a few allocations rather than one per value.
//
// It depends on the layout of an interface value, two words: a type and a
// pointer to the value. The tests check that a value boxed here behaves as
// one boxed by the language does.
package box

import "unsafe"

// eface is the layout of an interface value.
type eface struct {
	typ, data unsafe.Pointer
}

// Take stores v in the first element of *blk, which must not be empty,
// moves *blk past it and returns v as an any whose value is that element.
// The element must not be written again: a boxed value never changes.
func Take[T int64 | float64 | string](blk *[]T, v T) any {
	p := &(*blk)[0]
	*blk = (*blk)[1:]
	*p = v
	var zero T
	x := any(zero) // boxing a zero value allocates nothing
	(*eface)(unsafe.Pointer(&x)).data = unsafe.Pointer(p)
	return x
}

// Int64 returns v, which holds an int, as an any that holds the same value
// as an int64. Where int has 64 bits the two share the value's memory (a
// boxed value never changes), so this allocates nothing, where any(int64(n))
// would allocate for most n.
func Int64(v any) any {
	n := v.(int)
	if unsafe.Sizeof(n) != unsafe.Sizeof(int64(0)) {
		return int64(n)
	}
	x := any(int64(0)) // boxing a zero value allocates nothing
	(*eface)(unsafe.Pointer(&x)).data = (*eface)(unsafe.Pointer(&v)).data
	return x
}
