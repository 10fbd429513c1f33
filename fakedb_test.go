package d1

import (
	"context"
	"sync"
)

// fakeDB is a minimal backend for the client's own tests: every statement
// answers one row holding its SQL, after failing with failErr the first
// failures times. Backends are tested for real by d1test.
type fakeDB struct {
	mu       sync.Mutex
	failures int
	failErr  error
	calls    int
}

var _ Database = (*fakeDB)(nil)

type fakeStmt struct {
	db   *fakeDB
	sql  string
	args []any
}

func (db *fakeDB) Prepare(query string) PreparedStatement { return &fakeStmt{db: db, sql: query} }

func (db *fakeDB) Batch(ctx context.Context, stmts []PreparedStatement) ([]*Result, error) {
	if err := db.call(ctx); err != nil {
		return nil, err
	}
	out := make([]*Result, len(stmts))
	for i, s := range stmts {
		out[i] = s.(*fakeStmt).result()
	}
	return out, nil
}

func (db *fakeDB) Exec(ctx context.Context, query string) (*ExecResult, error) {
	return &ExecResult{Count: 1}, db.call(ctx)
}

func (db *fakeDB) WithSession(string) DatabaseSession { return fakeSession{db} }

func (db *fakeDB) call(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	db.calls++
	if db.failures > 0 {
		db.failures--
		return db.failErr
	}
	return nil
}

type fakeSession struct{ db *fakeDB }

func (s fakeSession) Prepare(q string) PreparedStatement { return s.db.Prepare(q) }
func (s fakeSession) Batch(ctx context.Context, st []PreparedStatement) ([]*Result, error) {
	return s.db.Batch(ctx, st)
}
func (s fakeSession) Bookmark() (string, bool) { return "", false }

func (s *fakeStmt) Bind(values ...any) (PreparedStatement, error) {
	return &fakeStmt{db: s.db, sql: s.sql, args: values}, nil
}

func (s *fakeStmt) result() *Result {
	return &Result{Columns: []string{"sql"}, Rows: [][]any{{s.sql}}, Meta: Meta{RowsRead: 1, RowsWritten: 2}}
}

func (s *fakeStmt) run(ctx context.Context) (*Result, error) {
	if err := s.db.call(ctx); err != nil {
		return nil, err
	}
	return s.result(), nil
}

func (s *fakeStmt) All(ctx context.Context) (*Result, error)   { return s.run(ctx) }
func (s *fakeStmt) Run(ctx context.Context) (*Result, error)   { return s.run(ctx) }
func (s *fakeStmt) First(ctx context.Context) (*Result, error) { return s.run(ctx) }
func (s *fakeStmt) Raw(ctx context.Context) (*Result, error)   { return s.run(ctx) }
