package d1

import (
	"database/sql/driver"
	"math"
	"reflect"
	"strconv"

	"github.com/lunora-go/d1/internal/box"
)

// MaxSafeInteger is the largest integer that D1, which speaks JavaScript
// numbers, can bind or return exactly: 2^53 - 1.
const MaxSafeInteger = 1<<53 - 1

// Normalize converts a Go value to one that every backend binds the way D1
// binds the corresponding JavaScript value. It returns nil, int64, float64,
// string or []byte:
//
//   - nil, and nil pointers, bind as NULL.
//   - bool binds as 1 or 0; D1 stores it as the REAL 1.0 or 0.0.
//   - Integers of every kind bind as numbers (int64). D1 binds every number as
//     a REAL; INTEGER and NUMERIC columns turn whole ones back into integers.
//     An integer beyond ±(2^53-1) is refused with D1's D1_TYPE_ERROR for a
//     bigint, rather than rounded.
//   - float32 and float64 bind as numbers; NaN and ±Inf bind as NULL, as in D1.
//   - string binds as TEXT, []byte as a BLOB (a nil []byte binds as NULL).
//   - A [driver.Valuer] is asked for its value first; a non-nil pointer is
//     followed; a named type binds as its underlying kind.
//
// Anything else (structs, maps, slices other than []byte, channels, funcs) is
// refused with a D1_TYPE_ERROR that names the type.
func Normalize(v any) (any, error) {
	n, _, err := normalize(v)
	return n, err
}

// normalize is [Normalize] that also reports whether the value changed, so
// that values already in normal form need not be copied. It takes the
// common types itself and leaves the rest to normOther.
func normalize(v any) (any, bool, error) {
	switch x := v.(type) {
	case nil, string:
		return v, false, nil // v, not x: no new interface value to allocate
	case int64:
		if x > MaxSafeInteger || x < -MaxSafeInteger {
			n, err := checkInt(x)
			return n, true, err
		}
		return v, false, nil
	case int:
		if int64(x) > MaxSafeInteger || int64(x) < -MaxSafeInteger {
			n, err := checkInt(int64(x))
			return n, true, err
		}
		return box.Int64(v), true, nil // the int's own box: no allocation
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, true, nil
		}
		return v, false, nil
	case []byte:
		if x == nil {
			return nil, true, nil
		}
		return v, false, nil
	}
	n, err := normOther(v)
	return n, true, err
}

// normOther is [Normalize] for the types normalize leaves to it.
func normOther(v any) (any, error) {
	switch x := v.(type) {
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case int32:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case uint8:
		return int64(x), nil
	case float32:
		return normFloat(float64(x)), nil
	case uint64:
		return checkUint(x)
	case uint:
		return checkUint(uint64(x))
	case driver.Valuer:
		return normValuer(x)
	}
	return normReflect(reflect.ValueOf(v))
}

func normValuer(x driver.Valuer) (any, error) {
	if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return nil, nil
	}
	v, err := x.Value()
	if err != nil {
		return nil, err
	}
	if _, again := v.(driver.Valuer); again {
		return nil, typeError(reflect.TypeOf(v).String(), "")
	}
	return Normalize(v)
}

func normReflect(rv reflect.Value) (any, error) {
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return nil, nil
		}
		return Normalize(rv.Elem().Interface())
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return Normalize(rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return checkInt(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return checkUint(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return normFloat(rv.Float()), nil
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			if rv.IsNil() {
				return nil, nil
			}
			return rv.Bytes(), nil
		}
	}
	return nil, typeError(rv.Type().String(), "")
}

func checkInt(n int64) (any, error) {
	if n > MaxSafeInteger || n < -MaxSafeInteger {
		return nil, typeError("bigint", strconv.FormatInt(n, 10))
	}
	return n, nil
}

func checkUint(n uint64) (any, error) {
	if n > MaxSafeInteger {
		return nil, typeError("bigint", strconv.FormatUint(n, 10))
	}
	return int64(n), nil
}

func normFloat(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return f
}

// typeError is D1's error for a value bind() refuses. D1 names JavaScript
// types; for Go types with no JavaScript counterpart it names the Go type.
func typeError(typ, value string) *Error {
	if value == "" {
		return &Error{Code: CodeTypeError, Message: "Type '" + typ + "' not supported", Offset: -1}
	}
	return &Error{Code: CodeTypeError, Message: "Type '" + typ + "' not supported for value '" + value + "'", Offset: -1}
}

// NormalizeResult converts a number that came back from D1 as a JavaScript
// number to the Go value a [Result] holds: int64 when it is whole and within
// ±2^53, float64 otherwise, and nil for NaN and ±Inf. Backends that receive
// numbers as float64 use it so that every backend returns the same types.
func NormalizeResult(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	if f == math.Trunc(f) && f >= -MaxSafeInteger && f <= MaxSafeInteger {
		return int64(f)
	}
	return f
}
