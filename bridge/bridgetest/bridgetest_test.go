package bridgetest_test

import (
	"context"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/bridge/bridgetest"
)

// TestFreshDatabases opens more databases than one workerd binds: each is
// empty, and the server starts a second workerd for the third.
func TestFreshDatabases(t *testing.T) {
	srv := bridgetest.Server{Databases: 2}
	defer srv.Close()
	ctx := context.Background()
	urls := map[string]bool{}
	for i := range 3 {
		u := srv.DatabaseURL(t)
		if urls[u] {
			t.Fatalf("database URL %s handed out twice", u)
		}
		urls[u] = true
		c := d1.New(srv.Open(t))
		if _, err := c.Run(ctx, "CREATE TABLE t (a)"); err != nil {
			t.Fatalf("database %d is not empty: %v", i, err)
		}
		if _, err := c.Run(ctx, "INSERT INTO t VALUES (?)", i); err != nil {
			t.Fatal(err)
		}
		row, err := c.First(ctx, "SELECT count(*) FROM t")
		if err != nil {
			t.Fatal(err)
		}
		if got := row.Values[0]; got != int64(1) {
			t.Errorf("database %d has %v rows, want 1", i, got)
		}
	}
	if tok := srv.Token(); len(tok) < 32 {
		t.Errorf("token %q is short", tok)
	}
}
