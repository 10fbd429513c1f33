package box

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strconv"
	"testing"
)

// TestTake checks that values boxed by Take compare, convert and print as
// values boxed by the language, and survive garbage collections.
func TestTake(t *testing.T) {
	ints := make([]int64, 3)
	floats := make([]float64, 2)
	strs := make([]string, 2)
	got := []any{
		Take(&ints, int64(1)<<40), Take(&ints, -5), Take(&ints, 300),
		Take(&floats, 2.5), Take(&floats, math.Copysign(0, -1)),
		Take(&strs, "héllo"), Take(&strs, ""),
	}
	want := []any{int64(1) << 40, int64(-5), int64(300), 2.5, math.Copysign(0, -1), "héllo", ""}
	if len(ints)+len(floats)+len(strs) != 0 {
		t.Errorf("blocks not used up: %d %d %d left", len(ints), len(floats), len(strs))
	}
	runtime.GC()
	runtime.GC()
	for i := range want {
		if got[i] != want[i] || !reflect.DeepEqual(got[i], want[i]) || fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
			t.Errorf("value %d = %#v, want %#v", i, got[i], want[i])
		}
		if reflect.TypeOf(got[i]) != reflect.TypeOf(want[i]) {
			t.Errorf("value %d has type %T, want %T", i, got[i], want[i])
		}
	}
	if n, ok := got[2].(int64); !ok || n != 300 {
		t.Errorf("type assertion: %v, %v", n, ok)
	}
}

func BenchmarkTake(b *testing.B) {
	b.ReportAllocs()
	blk := make([]int64, 0, 256)
	for i := 0; b.Loop(); i++ {
		if len(blk) == 0 {
			blk = make([]int64, 256)
		}
		_ = Take(&blk, int64(i))
	}
}

// TestInt64 checks that an int retyped by Int64 behaves as the int64 boxed
// by the language, survives garbage collections, and costs no allocation.
func TestInt64(t *testing.T) {
	big := int64(1) << 40 // a variable: where int has 32 bits it truncates
	for _, n := range []int{0, 7, 255, 256, -1, int(big), -int(big), math.MaxInt, math.MinInt} {
		got := Int64(any(n))
		runtime.GC()
		want := any(int64(n))
		if got != want || reflect.TypeOf(got) != reflect.TypeOf(want) || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("Int64(%d) = %#v, want %#v", n, got, want)
		}
		if x, ok := got.(int64); !ok || x != int64(n) {
			t.Errorf("Int64(%d).(int64) = %v, %v", n, x, ok)
		}
	}
	v := any(int(big))
	if n := testing.AllocsPerRun(100, func() { _ = Int64(v) }); n != 0 && strconv.IntSize == 64 {
		t.Errorf("Int64 allocates %v times", n)
	}
}
