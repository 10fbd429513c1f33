//go:build js && wasm

package workers

import (
	"context"
	"fmt"
	"syscall/js"

	"github.com/lunora-go/d1"
)

// DB is a [d1.Database] over a Worker's D1 binding. It is safe for concurrent
// use by multiple goroutines.
type DB struct {
	v js.Value
}

var (
	_ d1.Database          = (*DB)(nil)
	_ d1.DatabaseSession   = (*session)(nil)
	_ d1.PreparedStatement = (*stmt)(nil)
)

// New returns a database over binding, the D1Database object of a Worker's
// env, such as Binding("DB"). New does not check binding: when it is not a
// D1 binding, every query fails with a *d1.Error that says why.
func New(binding js.Value) *DB { return &DB{v: binding} }

// JSValue returns the binding.
func (db *DB) JSValue() js.Value { return db.v }

// Prepare returns a statement for query, as the binding's prepare does. It
// sends nothing; errors in the SQL arrive when the statement runs.
func (db *DB) Prepare(query string) d1.PreparedStatement { return prepare(db.v, query) }

// Batch runs stmts, which must come from this backend, as one implicit
// transaction with the binding's batch.
func (db *DB) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	return batch(ctx, db.v, stmts)
}

// Exec runs query, one statement per line, with the binding's exec.
func (db *DB) Exec(ctx context.Context, query string) (*d1.ExecResult, error) {
	v, err := callAwait(ctx, db.v, "exec", query)
	if err != nil {
		return nil, err
	}
	return &d1.ExecResult{Count: int(number(v, "count")), Duration: number(v, "duration")}, nil
}

// WithSession opens a session with the binding's withSession: with no
// argument when constraintOrBookmark is "", else with it.
func (db *DB) WithSession(constraintOrBookmark string) d1.DatabaseSession {
	var args []any
	if constraintOrBookmark != "" {
		args = []any{constraintOrBookmark}
	}
	v, err := call(db.v, "withSession", args...)
	return &session{v: v, err: err}
}

// session is a D1DatabaseSession.
type session struct {
	v   js.Value
	err error // from withSession; every query returns it
}

func (s *session) Prepare(query string) d1.PreparedStatement {
	if s.err != nil {
		return &stmt{err: s.err}
	}
	return prepare(s.v, query)
}

func (s *session) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	if s.err != nil {
		return nil, s.err
	}
	return batch(ctx, s.v, stmts)
}

func (s *session) Bookmark() (string, bool) {
	if s.err != nil {
		return "", false
	}
	b, err := call(s.v, "getBookmark")
	if err != nil || b.Type() != js.TypeString {
		return "", false
	}
	return b.String(), true
}

// stmt is a D1PreparedStatement.
type stmt struct {
	v   js.Value
	err error // from prepare; the statement fails with it when it runs
}

func prepare(owner js.Value, query string) *stmt {
	v, err := call(owner, "prepare", query)
	return &stmt{v: v, err: err}
}

func (s *stmt) Bind(values ...any) (d1.PreparedStatement, error) {
	if s.err != nil {
		return nil, s.err
	}
	args := make([]any, len(values))
	for i, v := range values {
		a, err := toJS(v)
		if err != nil {
			return nil, err
		}
		args[i] = a
	}
	v, err := call(s.v, "bind", args...)
	if err != nil {
		return nil, err
	}
	return &stmt{v: v}, nil
}

func (s *stmt) All(ctx context.Context) (*d1.Result, error) { return s.rows(ctx, "all") }

func (s *stmt) Run(ctx context.Context) (*d1.Result, error) { return s.rows(ctx, "run") }

func (s *stmt) rows(ctx context.Context, method string) (*d1.Result, error) {
	if s.err != nil {
		return nil, s.err
	}
	v, err := callAwait(ctx, s.v, method)
	if err != nil {
		return nil, err
	}
	return rowsResult(v), nil
}

func (s *stmt) First(ctx context.Context) (*d1.Result, error) {
	if s.err != nil {
		return nil, s.err
	}
	v, err := callAwait(ctx, s.v, "first")
	if err != nil {
		return nil, err
	}
	return firstResult(v), nil
}

func (s *stmt) Raw(ctx context.Context) (*d1.Result, error) {
	if s.err != nil {
		return nil, s.err
	}
	opts := jsObject.New()
	opts.Set("columnNames", true)
	v, err := callAwait(ctx, s.v, "raw", opts)
	if err != nil {
		return nil, err
	}
	return rawResult(v), nil
}

// batch calls owner's batch with stmts.
func batch(ctx context.Context, owner js.Value, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	arr := jsArray.New(len(stmts))
	for i, ps := range stmts {
		s, ok := ps.(*stmt)
		if !ok || s == nil {
			return nil, fmt.Errorf("workers: batch statement %d is a %T, not a statement of this backend", i, ps)
		}
		if s.err != nil {
			return nil, s.err
		}
		arr.SetIndex(i, s.v)
	}
	v, err := callAwait(ctx, owner, "batch", arr)
	if err != nil {
		return nil, err
	}
	if s, ok := stringify(v); ok {
		if res, err := jsonResults(s, true); err == nil && len(res) == len(stmts) {
			return res, nil
		}
	}
	res := make([]*d1.Result, v.Length())
	for i := range res {
		res[i] = rowsResult(v.Index(i))
	}
	return res, nil
}
