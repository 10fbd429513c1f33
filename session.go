package d1

import "context"

// Session is a D1 session: every query in it sees data at least as new as
// the newest bookmark it has seen, so it reads its own writes even when
// replicas lag. A Session is safe for concurrent use.
type Session struct {
	s DatabaseSession
	q querier
}

// Raw returns the backend's session.
func (s *Session) Raw() DatabaseSession { return s.s }

// Bookmark returns the newest bookmark seen by the session's queries, to be
// passed to [Client.WithSession] by a later request that must see this
// session's writes. A session opened with "", [FirstUnconstrained] or
// [FirstPrimary] reports false until its first query has completed; one
// opened from a bookmark reports that bookmark from the start, as D1 does.
func (s *Session) Bookmark() (string, bool) { return s.s.Bookmark() }

// Prepare returns the statement for query from the session's cache,
// preparing it on a miss. See [Client.Prepare].
func (s *Session) Prepare(query string) (*Stmt, error) { return s.q.prepare(query) }

// Run runs query with args bound to its parameters.
func (s *Session) Run(ctx context.Context, query string, args ...any) (*Result, error) {
	return s.q.run(ctx, query, args, OpRun)
}

// All runs query with args and returns its rows.
func (s *Session) All(ctx context.Context, query string, args ...any) (*Result, error) {
	return s.q.run(ctx, query, args, OpAll)
}

// First runs query with args and returns its first row, or [ErrNoRows].
func (s *Session) First(ctx context.Context, query string, args ...any) (Row, error) {
	return s.q.first(ctx, query, args)
}

// Batch runs stmts atomically and in order within the session. Statements
// prepared elsewhere (by the client or another session) run here too.
func (s *Session) Batch(ctx context.Context, stmts ...*Stmt) ([]*Result, error) {
	return s.q.batch(ctx, stmts)
}

// CachedStatements returns the SQL of the statements in the session's cache,
// most recently used first.
func (s *Session) CachedStatements() []string { return s.q.cache.Keys() }
