package local_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/lunora-go/d1"
)

// TestBindTextAndBlobs round-trips text and blobs of sizes around the
// connection's scratch buffer: small ones bound in place, a buffer that
// grows between statements, values too large for it, and empty ones, which
// must stay empty rather than become NULL.
func TestBindTextAndBlobs(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	c := d1.New(db)
	if _, err := c.Run(ctx, "CREATE TABLE v (id INTEGER PRIMARY KEY, s TEXT, b BLOB, s2 TEXT)"); err != nil {
		t.Fatal(err)
	}
	sizes := []int{0, 1, 5, 255, 256, 300, 4096, 40_000, 70_000, 200_000, 3}
	ins, err := c.Prepare("INSERT INTO v (id, s, b, s2) VALUES (?, ?, ?, ?)")
	if err != nil {
		t.Fatal(err)
	}
	text := func(i, n int) string { return strings.Repeat(string(rune('a'+i%26)), n) }
	blob := func(i, n int) []byte { return bytes.Repeat([]byte{byte(i)}, n) }
	var stmts []*d1.Stmt
	for i, n := range sizes {
		// Each statement on its own, and all of them again in one batch.
		if _, err := ins.Run(ctx, i, text(i, n), blob(i, n), text(i+1, n/2)); err != nil {
			t.Fatalf("size %d: %v", n, err)
		}
		stmts = append(stmts, ins.Bind(100+i, text(i, n), blob(i, n), text(i+1, n/2)))
	}
	if _, err := c.Batch(ctx, stmts...); err != nil {
		t.Fatal(err)
	}
	sel, err := c.Prepare("SELECT s, b, s2, s IS NULL, b IS NULL FROM v WHERE id = ?")
	if err != nil {
		t.Fatal(err)
	}
	for _, base := range []int{0, 100} {
		for i, n := range sizes {
			row, err := sel.First(ctx, base+i)
			if err != nil {
				t.Fatalf("id %d: %v", base+i, err)
			}
			v := row.Values
			if v[0] != text(i, n) || !bytes.Equal(v[1].([]byte), blob(i, n)) || v[2] != text(i+1, n/2) {
				t.Errorf("id %d (size %d): values differ from those bound", base+i, n)
			}
			if v[3] != int64(0) || v[4] != int64(0) {
				t.Errorf("id %d (size %d): an empty value became NULL", base+i, n)
			}
		}
	}
	// A value bound in place is matched in place too.
	row, err := c.First(ctx, "SELECT count(*) FROM v WHERE s = ? AND b = ?", text(2, 5), blob(2, 5))
	if err != nil {
		t.Fatal(err)
	}
	if got := row.Values[0]; got != int64(2) {
		t.Errorf("count = %v, want 2", got)
	}
}
