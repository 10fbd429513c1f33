package local

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/lunora-go/d1"
	lib "modernc.org/sqlite/lib"
)

// TestForgetError checks that a reader keeps no error message once it is
// back in the pool, after an error SQLite recovered from (a prepare across a
// schema change) and after one it returned, and that errors that follow
// still carry their own messages.
func TestForgetError(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "e.sqlite"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	kept := func(when string) {
		t.Helper()
		cn, err := db.getReader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer db.putReader(cn)
		if p := (*lib.Tsqlite3)(cptr(cn.db)).FpErr; p != 0 {
			t.Errorf("%s: the reader keeps an error message", when)
		}
	}
	c := d1.New(db)
	sess := c.WithSession("")
	if _, err := sess.First(ctx, "SELECT 1"); err != nil { // opens a reader
		t.Fatal(err)
	}
	if _, err := c.Run(ctx, "CREATE TABLE t (id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	if _, err := sess.First(ctx, "SELECT id FROM t WHERE id = ?", 1); !errors.Is(err, d1.ErrNoRows) {
		t.Fatalf("read across the schema change: %v", err)
	}
	kept("after a read across a schema change")
	for range 2 {
		_, err := sess.First(ctx, "SELECT nope FROM t")
		if err == nil || err.Error() != "D1_ERROR: no such column: nope at offset 7: SQLITE_ERROR" {
			t.Fatalf("error = %v, want D1's no such column", err)
		}
		kept("after a failed read")
	}
	if _, err := c.Run(ctx, "INSERT INTO t (id) VALUES (1), (1)"); err == nil {
		t.Fatal("duplicate insert succeeded")
	}
	w, err := db.lockWriter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := (*lib.Tsqlite3)(cptr(w.db)).FpErr
	db.unlockWriter()
	if p != 0 {
		t.Error("the writer keeps an error message after a failed write")
	}
}
