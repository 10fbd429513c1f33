package local

import (
	"context"
	"sync/atomic"

	"github.com/lunora-go/d1"
)

// A bookmark is D1's "%08x-%08x-%08x-%032x". The local backend puts its
// counter (epoch, then commit sequence; see [DB.commitSeq]) in the first two
// fields and zeros in the rest, so that bookmarks sort as their counters do.
func formatBookmark(counter uint64) string {
	const hexdig = "0123456789abcdef"
	var b [8 + 1 + 8 + 1 + 8 + 1 + 32]byte
	for i := range b {
		b[i] = '0'
	}
	b[8], b[17], b[26] = '-', '-', '-'
	hi, lo := uint32(counter>>32), uint32(counter)
	for i := 7; i >= 0; i-- {
		b[i] = hexdig[hi&0xf]
		hi >>= 4
		b[9+i] = hexdig[lo&0xf]
		lo >>= 4
	}
	return string(b[:])
}

// session is a D1 session of a [DB]: it remembers the newest bookmark its
// queries saw. A bookmark passed to WithSession is accepted whatever its form
// and counts as seen, as in workerd's local D1; the session then keeps
// whichever of it and its queries' bookmarks sorts last.
type session struct {
	db      *DB
	given   string        // bookmark the session started from, if any
	primary bool          // FirstPrimary: the first query goes to the primary
	newest  atomic.Uint64 // newest commit counter seen + 1; 0 before the first query
}

var _ d1.DatabaseSession = (*session)(nil)

// WithSession opens a session. constraintOrBookmark is "",
// [d1.FirstUnconstrained], [d1.FirstPrimary] or a bookmark. Without
// [Options.Replicas] every query sees the newest data, so every constraint
// is met; with replicas, see "Read replicas" in the package documentation.
func (db *DB) WithSession(constraintOrBookmark string) d1.DatabaseSession {
	s := &session{db: db}
	switch constraintOrBookmark {
	case "", d1.FirstUnconstrained:
	case d1.FirstPrimary:
		s.primary = true
	default:
		s.given = constraintOrBookmark
	}
	return s
}

// observe records that a query of the session completed at counter.
func (s *session) observe(counter uint64) {
	c := counter + 1
	for {
		old := s.newest.Load()
		if old >= c || s.newest.CompareAndSwap(old, c) {
			return
		}
	}
}

// Bookmark returns the newest bookmark the session has seen.
func (s *session) Bookmark() (string, bool) {
	n := s.newest.Load()
	if n == 0 {
		if s.given != "" {
			return s.given, true
		}
		return "", false
	}
	b := formatBookmark(n - 1)
	if s.given > b {
		return s.given, true
	}
	return b, true
}

// Prepare returns a statement that runs in the session.
func (s *session) Prepare(query string) d1.PreparedStatement {
	return &stmt{db: s.db, sess: s, plan: s.db.plan(query)}
}

// Batch runs stmts in one transaction within the session.
func (s *session) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	return s.db.batch(ctx, s, stmts, nil)
}

// BatchValues is Batch with each statement's values beside it; see
// [d1.ValueBatcher].
func (s *session) BatchValues(ctx context.Context, stmts []d1.PreparedStatement, values [][]any) ([]*d1.Result, error) {
	return s.db.batch(ctx, s, stmts, values)
}
