package local_test

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
)

var bookmarkRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$`)

// bookmark runs query in a new session and returns the session's bookmark.
func bookmark(t *testing.T, db d1.Database, query string) string {
	t.Helper()
	s := db.WithSession("")
	if _, err := s.Prepare(query).Run(context.Background()); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	b, ok := s.Bookmark()
	if !ok || !bookmarkRE.MatchString(b) {
		t.Fatalf("bookmark after %s = %q, %v", query, b, ok)
	}
	return b
}

func TestBookmarks(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	s := db.WithSession("")
	if b, ok := s.Bookmark(); ok {
		t.Errorf("bookmark before the first query = %q", b)
	}
	if _, err := s.Prepare("SELEC 1").All(ctx); err == nil {
		t.Fatal("bad SQL ran")
	}
	if b, ok := s.Bookmark(); ok {
		t.Errorf("bookmark after a failed first query = %q, want none", b)
	}
	if _, err := s.Prepare("CREATE TABLE t (x)").Run(ctx); err != nil {
		t.Fatal(err)
	}
	b1, ok := s.Bookmark()
	if !ok || !bookmarkRE.MatchString(b1) {
		t.Fatalf("bookmark = %q, %v", b1, ok)
	}
	// Each write advances the bookmark; reads report the newest.
	prev := b1
	for i := range 3 {
		b := bookmark(t, db, "INSERT INTO t VALUES (1)")
		if b <= prev {
			t.Fatalf("write %d: bookmark %s not after %s", i, b, prev)
		}
		if r := bookmark(t, db, "SELECT * FROM t"); r != b {
			t.Errorf("read after write %d: bookmark %s, want %s", i, r, b)
		}
		prev = b
	}
	// The session keeps the newest bookmark it saw.
	if _, err := s.Prepare("SELECT * FROM t").All(ctx); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.Bookmark(); b != prev {
		t.Errorf("session bookmark after a read = %s, want %s", b, prev)
	}
	// A batch is one transaction: the bookmark moves once.
	before := bookmark(t, db, "SELECT 1")
	bs := db.WithSession(d1.FirstPrimary)
	ins := bs.Prepare("INSERT INTO t VALUES (2)")
	if _, err := bs.Batch(ctx, []d1.PreparedStatement{ins, ins, ins}); err != nil {
		t.Fatal(err)
	}
	after, _ := bs.Bookmark()
	if want := next(t, before); after != want {
		t.Errorf("bookmark after a batch of 3 = %s, want %s", after, want)
	}
}

// next returns the bookmark of the commit after b's.
func next(t *testing.T, b string) string {
	t.Helper()
	var hi, lo uint64
	if _, err := fmt.Sscanf(b, "%08x-%08x-", &hi, &lo); err != nil {
		t.Fatal(err)
	}
	c := hi<<32 | lo + 1
	return fmt.Sprintf("%08x-%08x-%08x-%032x", c>>32, c&0xffffffff, 0, 0)
}

func TestSessionFromBookmark(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	b := bookmark(t, db, "CREATE TABLE t (x)")
	for _, given := range []string{b, "garbage", "zzzz", "00000000-00000000-00000000-00000000000000000000000000000000"} {
		s := db.WithSession(given)
		// As in workerd, a session started from a bookmark reports it
		// before any query, whatever its form.
		if got, ok := s.Bookmark(); !ok || got != given {
			t.Errorf("WithSession(%q).Bookmark() = %q, %v", given, got, ok)
		}
		if _, err := s.Prepare("SELECT * FROM t").All(ctx); err != nil {
			t.Fatal(err)
		}
		want := given
		if b > want {
			want = b
		}
		if got, _ := s.Bookmark(); got != want {
			t.Errorf("from %q after a read: %q, want %q (the larger by string order)", given, got, want)
		}
	}
}

func TestBookmarksPersistAndAreShared(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d1.sqlite")
	a, err := local.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	b1 := bookmark(t, a, "CREATE TABLE t (x)")
	b2 := bookmark(t, a, "INSERT INTO t VALUES (1)")
	if b2 <= b1 {
		t.Errorf("bookmark %s not after %s", b2, b1)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a = openFile(t, path)
	b3 := bookmark(t, a, "SELECT * FROM t")
	if b3 <= b2 {
		t.Errorf("after reopening, a read's bookmark %s is not after %s", b3, b2)
	}
	// Two handles on one file: each orders its own bookmarks, strictly
	// increasing with its commits, and each handle's reads see every commit.
	b := openFile(t, path)
	last := map[*local.DB]string{a: b3}
	for i := range 6 {
		db, other := a, b
		if i%2 == 1 {
			db, other = b, a
		}
		bm := bookmark(t, db, "INSERT INTO t VALUES (2)")
		if prev, ok := last[db]; ok && bm <= prev {
			t.Fatalf("commit %d: bookmark %s not after %s", i, bm, prev)
		}
		last[db] = bm
		res := run(t, other, "SELECT count(*) FROM t")
		if got, want := res.Rows[0][0], int64(i+2); got != want {
			t.Errorf("commit %d: the other handle reads %v rows, want %d", i, got, want)
		}
	}
}
