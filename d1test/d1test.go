// Package d1test is the conformance suite that every backend of
// github.com/lunora-go/d1 runs, so that the client, sessions, batches, values,
// errors and limits behave the same on each; workerd's local D1 is the judge
// of what is right. It also holds small test helpers.
//
// A backend's test calls [Run] with a [Backend] that opens databases:
//
//	func TestConformance(t *testing.T) {
//		d1test.Run(t, d1test.Backend{Open: func(tb testing.TB) d1.Database { ... }})
//	}
//
// Every subtest creates its own uniquely named tables, so one database may be
// shared by all of them.
package d1test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lunora-go/d1"
)

// Backend describes the backend under test.
type Backend struct {
	// Open returns a database for one subtest. It may return the same
	// database every time; subtests do not share tables.
	Open func(tb testing.TB) d1.Database

	// NoSessions marks a backend without sessions or bookmarks (the REST
	// API): bookmark tests then check that no bookmark is ever reported.
	NoSessions bool

	// NoBlobParams marks a backend that cannot bind []byte values (the REST
	// API): the suite then checks BLOBs only as results.
	NoBlobParams bool

	// Skip lists subtests (by their name under Run, e.g. "errors/unique")
	// that the backend cannot pass, with the reason as the value. A skip is
	// reported, never silent; keep the list short and justified.
	Skip map[string]string
}

// A test in the suite.
type test struct {
	name string
	fn   func(t *testing.T, h *harness)
}

// harness is what each test gets: a client over a fresh open and helpers.
type harness struct {
	b      Backend
	db     d1.Database
	client *d1.Client
	ctx    context.Context
}

var seq atomic.Int64

// Table returns a table name no other call in this process returns, and
// unlikely to exist already in a database shared across runs.
func Table(prefix string) string {
	return fmt.Sprintf("%s_%x_%d", prefix, time.Now().UnixNano()&0xffffff, seq.Add(1))
}

// Run runs the conformance suite against b.
func Run(t *testing.T, b Backend) {
	t.Helper()
	groups := []struct {
		name  string
		tests []test
	}{
		{"values", valueTests},
		{"results", resultTests},
		{"errors", errorTests},
		{"limits", limitTests},
		{"batch", batchTests},
		{"sessions", sessionTests},
		{"cache", cacheTests},
		{"rules", ruleTests},
		{"exec", execTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					if why, ok := b.Skip[g.name+"/"+tc.name]; ok {
						t.Skip("backend cannot pass this: " + why)
					}
					db := b.Open(t)
					ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
					defer cancel()
					tc.fn(t, &harness{b: b, db: db, client: d1.New(db), ctx: ctx})
				})
			}
		})
	}
}

// exec runs statements on the primary and fails the test on error.
func (h *harness) exec(t *testing.T, query string, args ...any) *d1.Result {
	t.Helper()
	res, err := h.client.Run(h.ctx, query, args...)
	if err != nil {
		t.Fatalf("Run(%q): %v", query, err)
	}
	return res
}

// all runs a query on the primary and fails the test on error.
func (h *harness) all(t *testing.T, query string, args ...any) *d1.Result {
	t.Helper()
	res, err := h.client.All(h.ctx, query, args...)
	if err != nil {
		t.Fatalf("All(%q): %v", query, err)
	}
	return res
}

// wantError checks that err is a *d1.Error whose text is want.
func wantError(t *testing.T, err error, want string) *d1.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want %q", want)
	}
	e, ok := AsError(err)
	if !ok {
		t.Fatalf("err = %T %q, want a *d1.Error %q", err, err, want)
	}
	if got := e.Error(); got != want {
		t.Fatalf("err = %q\n              want %q", got, want)
	}
	return e
}
