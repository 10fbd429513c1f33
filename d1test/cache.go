package d1test

import (
	"slices"
	"testing"

	"github.com/lunora-go/d1"
)

var cacheTests = []test{
	{"hit", testCacheHit},
	{"lru", testCacheLRU},
	{"per session", testCachePerSession},
	{"disabled", testCacheDisabled},
	{"foreign statements", testForeignStatements},
}

func testCacheHit(t *testing.T, h *harness) {
	a, err := h.client.Prepare("SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := h.client.Prepare("SELECT 1")
	if a != b {
		t.Error("two Prepare calls with the same SQL returned different statements")
	}
	c, _ := h.client.Prepare("SELECT 1 ")
	if c == a {
		t.Error("the cache is not keyed by the exact SQL text")
	}
}

func testCacheLRU(t *testing.T, h *harness) {
	c := d1.NewWithOptions(h.db, d1.Options{StatementCacheSize: 3})
	for _, q := range []string{"SELECT 1", "SELECT 2", "SELECT 3"} {
		if _, err := c.Prepare(q); err != nil {
			t.Fatal(err)
		}
	}
	first, _ := c.Prepare("SELECT 1") // a hit: now the most recent
	if _, err := c.Prepare("SELECT 4"); err != nil {
		t.Fatal(err)
	}
	if got, want := c.CachedStatements(), []string{"SELECT 4", "SELECT 1", "SELECT 3"}; !slices.Equal(got, want) {
		t.Errorf("cache = %q, want %q (SELECT 2 evicted)", got, want)
	}
	if again, _ := c.Prepare("SELECT 1"); again != first {
		t.Error("SELECT 1 was evicted although it was used recently")
	}
	// A statement still works after eviction.
	two, _ := c.Prepare("SELECT 5")
	if _, err := two.All(h.ctx); err != nil {
		t.Error(err)
	}
}

func testCachePerSession(t *testing.T, h *harness) {
	a, _ := h.client.Prepare("SELECT 7")
	s := h.client.WithSession("")
	b, _ := s.Prepare("SELECT 7")
	if a == b {
		t.Error("a session shares the client's statement cache")
	}
	if got := s.CachedStatements(); !slices.Equal(got, []string{"SELECT 7"}) {
		t.Errorf("session cache = %q", got)
	}
	s2 := h.client.WithSession("")
	if got := s2.CachedStatements(); len(got) != 0 {
		t.Errorf("a new session's cache holds %q", got)
	}
}

func testCacheDisabled(t *testing.T, h *harness) {
	c := d1.NewWithOptions(h.db, d1.Options{StatementCacheSize: -1})
	a, _ := c.Prepare("SELECT 1")
	b, _ := c.Prepare("SELECT 1")
	if a == b || len(c.CachedStatements()) != 0 {
		t.Error("a disabled cache cached")
	}
	if _, err := a.All(h.ctx); err != nil {
		t.Error(err)
	}
}

// testForeignStatements batches statements prepared by the client in a session.
func testForeignStatements(t *testing.T, h *harness) {
	tbl := Table("foreign")
	h.exec(t, "CREATE TABLE "+tbl+" (a)")
	ins, _ := h.client.Prepare("INSERT INTO " + tbl + " (a) VALUES (?)")
	s := h.client.WithSession(d1.FirstPrimary)
	if _, err := s.Batch(h.ctx, ins.Bind("x"), ins.Bind("y")); err != nil {
		t.Fatal(err)
	}
	row, err := s.First(h.ctx, "SELECT count(*) FROM "+tbl)
	if err != nil {
		t.Fatal(err)
	}
	if !sameValue(row.Values[0], int64(2)) {
		t.Errorf("count = %v, want 2", row.Values[0])
	}
	if !h.b.NoSessions {
		if _, ok := s.Bookmark(); !ok {
			t.Error("a session batch left no bookmark")
		}
	}
}
