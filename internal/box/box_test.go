package box

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
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
