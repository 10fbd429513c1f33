package d1

import (
	"context"
	"errors"

	"github.com/lunora-go/d1/internal/stmtcache"
)

// Stmt is a prepared statement of a [Client] or a [Session], possibly with
// values bound. Like D1's statements it is immutable: [Stmt.Bind] returns a
// new one. A Stmt is safe for concurrent use.
type Stmt struct {
	query string
	owner *querier
	ps    PreparedStatement
	args  []any // normalized values bound to ps, if bound
	err   error // a binding error, returned when the statement runs
}

// SQL returns the statement's SQL text.
func (s *Stmt) SQL() string { return s.query }

// Bind returns a copy of the statement with args bound to its parameters, in
// order, replacing any bound before. A value that cannot be bound (see
// [Normalize]) makes the returned statement fail when it runs or is batched.
func (s *Stmt) Bind(args ...any) *Stmt {
	b := &Stmt{query: s.query, owner: s.owner}
	b.ps, b.args, b.err = bind(s.ps, args)
	return b
}

// Run runs the statement. When args are given they are bound first, in place
// of any bound before.
func (s *Stmt) Run(ctx context.Context, args ...any) (*Result, error) {
	ps, err := s.with(args)
	if err != nil {
		return nil, err
	}
	return ps.Run(ctx)
}

// All runs the statement and returns its rows. See [Stmt.Run] for args.
func (s *Stmt) All(ctx context.Context, args ...any) (*Result, error) {
	ps, err := s.with(args)
	if err != nil {
		return nil, err
	}
	return ps.All(ctx)
}

// First runs the statement and returns its first row, or [ErrNoRows].
func (s *Stmt) First(ctx context.Context, args ...any) (Row, error) {
	ps, err := s.with(args)
	if err != nil {
		return Row{}, err
	}
	return firstRow(ps.First(ctx))
}

// Raw runs the statement and returns every column, duplicate names included,
// and the column names even when there are no rows. Raw results carry no meta.
func (s *Stmt) Raw(ctx context.Context, args ...any) (*Result, error) {
	ps, err := s.with(args)
	if err != nil {
		return nil, err
	}
	return ps.Raw(ctx)
}

func (s *Stmt) with(args []any) (PreparedStatement, error) {
	if s.err != nil {
		return nil, s.err
	}
	if len(args) == 0 {
		return s.ps, nil
	}
	ps, _, err := bind(s.ps, args)
	return ps, err
}

func firstRow(res *Result, err error) (Row, error) {
	if err != nil {
		return Row{}, err
	}
	if len(res.Rows) == 0 {
		return Row{}, ErrNoRows
	}
	return res.Row(0), nil
}

func bind(ps PreparedStatement, args []any) (PreparedStatement, []any, error) {
	if err := checkArgs(len(args)); err != nil {
		return nil, nil, err
	}
	vals := make([]any, len(args))
	for i, a := range args {
		v, err := Normalize(a)
		if err != nil {
			return nil, nil, err
		}
		vals[i] = v
	}
	b, err := ps.Bind(vals...)
	if err != nil {
		return nil, nil, err
	}
	return b, vals, nil
}

type mode int

const (
	modeRun mode = iota
	modeAll
)

// preparer is the part of a Database or DatabaseSession that queries use.
type preparer interface {
	Prepare(query string) PreparedStatement
	Batch(ctx context.Context, stmts []PreparedStatement) ([]*Result, error)
}

// querier is the query machinery a Client and a Session share.
type querier struct {
	p     preparer
	cache *stmtcache.LRU[*Stmt]
}

func (q *querier) prepare(query string) (*Stmt, error) {
	if s, ok := q.cache.Get(query); ok {
		return s, nil
	}
	if err := checkSQL(query); err != nil {
		return nil, err
	}
	return q.cache.Put(query, &Stmt{query: query, owner: q, ps: q.p.Prepare(query)}), nil
}

func (q *querier) run(ctx context.Context, query string, args []any, m mode) (*Result, error) {
	s, err := q.prepare(query)
	if err != nil {
		return nil, err
	}
	if m == modeAll {
		return s.All(ctx, args...)
	}
	return s.Run(ctx, args...)
}

func (q *querier) first(ctx context.Context, query string, args []any) (Row, error) {
	s, err := q.prepare(query)
	if err != nil {
		return Row{}, err
	}
	return s.First(ctx, args...)
}

// errNilStmt is returned by Batch for a nil statement.
var errNilStmt = errors.New("d1: nil statement in batch")

func (q *querier) batch(ctx context.Context, stmts []*Stmt) ([]*Result, error) {
	if len(stmts) == 0 {
		return nil, errNoStatements()
	}
	pss := make([]PreparedStatement, len(stmts))
	for i, s := range stmts {
		if s == nil {
			return nil, errNilStmt
		}
		if s.err != nil {
			return nil, s.err
		}
		if s.owner == q {
			pss[i] = s.ps
			continue
		}
		// Prepared by another client or session: prepare it here.
		own, err := q.prepare(s.query)
		if err != nil {
			return nil, err
		}
		ps := own.ps
		if s.args != nil {
			if ps, err = ps.Bind(s.args...); err != nil {
				return nil, err
			}
		}
		pss[i] = ps
	}
	return q.p.Batch(ctx, pss)
}
