package local

import (
	"math"
	"unsafe"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/internal/box"
)

// arena boxes the values of a result with few allocations. Converting an
// int64, float64 or string to an interface allocates for each value; the
// arena instead keeps the values in blocks and makes each interface point
// into a block, as the conversion would point into its own allocation. The
// blocks are never written again once a value is handed out, so the values
// behave exactly like converted ones; the garbage collector keeps a block
// alive while any value in it is referenced.
type arena struct {
	ints   []int64
	floats []float64
	strs   []string
	bytes  []byte
	vals   []any
	rows   int
	n      int // values handed out, to size the next block
}

// block returns the size of the next block: small for the first values of a
// result, growing with it up to maxBlock.
func (a *arena) block() int {
	a.n++
	return min(2<<a.n, maxBlock)
}

const maxBlock = 256

func (a *arena) int(v int64) any {
	if v >= 0 && v < 256 {
		return v // the runtime boxes small integers without allocating
	}
	if len(a.ints) == 0 {
		a.ints = make([]int64, a.block())
	}
	return box.Take(&a.ints, v)
}

// number boxes a REAL by D1's rule: whole values within ±2^53 become int64,
// infinities and NaN nil.
func (a *arena) number(f float64) any {
	if f == math.Trunc(f) && f >= -d1.MaxSafeInteger && f <= d1.MaxSafeInteger {
		return a.int(int64(f))
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil
	}
	return a.float(f)
}

func (a *arena) float(v float64) any {
	if len(a.floats) == 0 {
		a.floats = make([]float64, a.block())
	}
	return box.Take(&a.floats, v)
}

// string copies n bytes of C memory at p into the arena and boxes them.
func (a *arena) string(p uintptr, n int) any {
	var s string
	if n > 0 {
		src := unsafe.Slice((*byte)(cptr(p)), n)
		if n > 1024 {
			s = string(src)
		} else {
			if len(a.bytes) < n {
				a.bytes = make([]byte, max(min(64*a.block(), 8192), n))
			}
			b := a.bytes[:n:n]
			copy(b, src)
			a.bytes = a.bytes[n:]
			s = unsafe.String(&b[0], n)
		}
	}
	if len(a.strs) == 0 {
		a.strs = make([]string, a.block())
	}
	return box.Take(&a.strs, s)
}

// row returns a slice for a row of n values, carved from a larger block.
func (a *arena) row(n int) []any {
	if n == 0 {
		return []any{}
	}
	if len(a.vals) < n {
		k := min(max(a.rows, 4), 256)
		a.vals = make([]any, k*n)
	}
	a.rows++
	r := a.vals[:n:n]
	a.vals = a.vals[n:]
	return r
}
