package d1test

import (
	"fmt"
	"regexp"
	"sync"
	"testing"

	"github.com/lunora-go/d1"
)

var sessionTests = []test{
	{"bookmark", testBookmark},
	{"read your writes", testReadYourWrites},
	{"constraints", testSessionConstraints},
	{"concurrent", testSessionConcurrent},
	{"failed first query", testSessionFailedFirst},
}

// bookmarkRE is the shape of D1's bookmarks.
var bookmarkRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$`)

func testBookmark(t *testing.T, h *harness) {
	s := h.client.WithSession("")
	if b, ok := s.Bookmark(); ok {
		t.Fatalf("Bookmark before any query = %q, true", b)
	}
	tbl := Table("bm")
	if _, err := s.Run(h.ctx, "CREATE TABLE "+tbl+" (a)"); err != nil {
		t.Fatal(err)
	}
	b1, ok := s.Bookmark()
	if h.b.NoSessions {
		if ok {
			t.Errorf("a backend without sessions reported bookmark %q", b1)
		}
		return
	}
	if !ok || !bookmarkRE.MatchString(b1) {
		t.Fatalf("Bookmark = %q, %v; want D1's format", b1, ok)
	}
	if _, err := s.Run(h.ctx, "INSERT INTO "+tbl+" VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	b2, _ := s.Bookmark()
	if b2 <= b1 {
		t.Errorf("bookmark after a write %q is not newer than %q", b2, b1)
	}
	if _, err := s.All(h.ctx, "SELECT * FROM "+tbl); err != nil {
		t.Fatal(err)
	}
	if b3, _ := s.Bookmark(); b3 < b2 {
		t.Errorf("bookmark went back: %q after %q", b3, b2)
	}
}

func testReadYourWrites(t *testing.T, h *harness) {
	tbl := Table("ryw")
	h.exec(t, "CREATE TABLE "+tbl+" (id INTEGER PRIMARY KEY, v TEXT)")
	w := h.client.WithSession(d1.FirstPrimary)
	if _, err := w.Run(h.ctx, "INSERT INTO "+tbl+" (v) VALUES (?)", "mine"); err != nil {
		t.Fatal(err)
	}
	b, ok := w.Bookmark()
	if h.b.NoSessions {
		if ok {
			t.Errorf("bookmark %q from a backend without sessions", b)
		}
		b = ""
	}
	r := h.client.WithSession(b)
	row, err := r.First(h.ctx, "SELECT v FROM "+tbl+" WHERE id = 1")
	if err != nil {
		t.Fatalf("reading back through a session opened from the bookmark: %v", err)
	}
	if row.Values[0] != "mine" {
		t.Errorf("read %v, want mine", row.Values[0])
	}
	if b2, ok := r.Bookmark(); !h.b.NoSessions && (!ok || b2 < b) {
		t.Errorf("second session's bookmark %q is older than the one it was opened with %q", b2, b)
	}
}

func testSessionConstraints(t *testing.T, h *harness) {
	for _, c := range []string{"", d1.FirstUnconstrained, d1.FirstPrimary} {
		s := h.client.WithSession(c)
		row, err := s.First(h.ctx, "SELECT 1 AS one")
		if err != nil {
			t.Fatalf("WithSession(%q): %v", c, err)
		}
		if !sameValue(row.Values[0], int64(1)) {
			t.Errorf("WithSession(%q): got %v", c, row.Values)
		}
	}
}

// testSessionConcurrent uses one session from many goroutines.
func testSessionConcurrent(t *testing.T, h *harness) {
	tbl := Table("conc")
	h.exec(t, "CREATE TABLE "+tbl+" (id INTEGER PRIMARY KEY, g INTEGER)")
	s := h.client.WithSession("")
	const workers, each = 4, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := ""
			for range each {
				if _, err := s.Run(h.ctx, "INSERT INTO "+tbl+" (g) VALUES (?)", g); err != nil {
					errs <- err
					return
				}
				if _, err := s.All(h.ctx, "SELECT count(*) FROM "+tbl); err != nil {
					errs <- err
					return
				}
				b, _ := s.Bookmark()
				if b < last {
					errs <- fmt.Errorf("bookmark went back from %q to %q", last, b)
				}
				last = b
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	res, err := s.All(h.ctx, "SELECT count(*) FROM "+tbl)
	if err != nil {
		t.Fatal(err)
	}
	if !sameValue(res.Rows[0][0], int64(workers*each)) {
		t.Errorf("count = %v, want %d", res.Rows[0][0], workers*each)
	}
}

func testSessionFailedFirst(t *testing.T, h *harness) {
	s := h.client.WithSession("")
	if _, err := s.All(h.ctx, "SELEC 1"); err == nil {
		t.Fatal("a syntax error succeeded")
	}
	if b, ok := s.Bookmark(); ok {
		t.Errorf("Bookmark after a failed first query = %q, true; want none", b)
	}
}
