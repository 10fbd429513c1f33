package stmtcache

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

func TestLRU(t *testing.T) {
	c := New[int](3)
	c.Put("a", 1)
	c.Put("b", 2)
	c.Put("c", 3)
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Fatalf("Get(a) = %d, %v", v, ok)
	}
	c.Put("d", 4) // evicts b, the least recent
	if got, want := c.Keys(), []string{"d", "a", "c"}; !slices.Equal(got, want) {
		t.Errorf("Keys = %q, want %q", got, want)
	}
	if _, ok := c.Get("b"); ok {
		t.Error("b was not evicted")
	}
	if got := c.Put("a", 9); got != 1 {
		t.Errorf("Put of an existing key returned %d, want the cached 1", got)
	}
}

// TestFront covers the most recent entry, which Get finds without the lock:
// it must follow every change of the list.
func TestFront(t *testing.T) {
	c := New[int](2)
	if _, ok := c.Get("a"); ok {
		t.Fatal("hit in an empty cache")
	}
	c.Put("a", 1)
	c.Put("b", 2)
	if v, ok := c.Get("b"); !ok || v != 2 {
		t.Fatalf("Get(b) = %d, %v, want 2, true", v, ok)
	}
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Errorf("Get(a) = %d, %v, want 1, true", v, ok)
	}
	c.Put("c", 3) // evicts b
	c.Put("d", 4) // evicts a
	c.Put("e", 5) // evicts c
	if got, want := c.Keys(), []string{"e", "d"}; !slices.Equal(got, want) {
		t.Errorf("Keys = %q, want %q", got, want)
	}
	if v, ok := c.Get("e"); !ok || v != 5 {
		t.Errorf("Get(e) = %d, %v, want 5, true", v, ok)
	}
}

func TestDisabled(t *testing.T) {
	for _, n := range []int{0, -1} {
		c := New[int](n)
		if got := c.Put("a", 1); got != 1 {
			t.Errorf("Put = %d", got)
		}
		if _, ok := c.Get("a"); ok || c.Len() != 0 {
			t.Errorf("capacity %d cached", n)
		}
	}
}

func TestConcurrent(t *testing.T) {
	c := New[string](16)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				k := fmt.Sprint((g * i) % 40)
				if v, ok := c.Get(k); ok && v != k {
					t.Errorf("Get(%s) = %s", k, v)
				}
				c.Put(k, k)
			}
		}()
	}
	wg.Wait()
	if c.Len() > 16 {
		t.Errorf("Len = %d over capacity", c.Len())
	}
}

func BenchmarkGetHit(b *testing.B) {
	c := New[int](256)
	c.Put("SELECT * FROM t WHERE id = ?", 1)
	b.ReportAllocs()
	for b.Loop() {
		c.Get("SELECT * FROM t WHERE id = ?")
	}
}

// TestGrowsIntoMap covers a cache past smallLen entries, where it finds
// entries through a map rather than its list: order, hits, eviction and
// removal must not change.
func TestGrowsIntoMap(t *testing.T) {
	const capacity = 3 * smallLen
	c := New[int](capacity)
	var want []string // most recent first
	for i := range capacity + 5 {
		k := fmt.Sprint("q", i)
		c.Put(k, i)
		want = append([]string{k}, want...)
		if len(want) > capacity {
			want = want[:capacity]
		}
		if got := c.Keys(); !slices.Equal(got, want) {
			t.Fatalf("after %d puts: Keys = %q, want %q", i+1, got, want)
		}
		if c.Len() != len(want) {
			t.Fatalf("after %d puts: Len = %d, want %d", i+1, c.Len(), len(want))
		}
	}
	for _, k := range []string{"q0", "q4"} {
		if _, ok := c.Get(k); ok {
			t.Errorf("%s was not evicted", k)
		}
	}
	if v, ok := c.Get("q5"); !ok || v != 5 {
		t.Errorf("Get(q5) = %d, %v, want 5, true", v, ok)
	}
	if got := c.Put("q6", 99); got != 6 {
		t.Errorf("Put of an existing key returned %d, want the cached 6", got)
	}
}
