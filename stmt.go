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
	ps    PreparedStatement // as prepared: values are bound when it runs
	// qr is ps as a Querier, when it is one and the client has no hooks and
	// no retries: values then go to the backend without a copy.
	qr   Querier
	args []any // normalized values bound by Bind, if any
	err  error // a binding error, returned when the statement runs
}

// SQL returns the statement's SQL text.
func (s *Stmt) SQL() string { return s.query }

// Bind returns a copy of the statement with args bound to its parameters, in
// order, replacing any bound before. A value that cannot be bound (see
// [Normalize]) makes the returned statement fail when it runs or is batched.
func (s *Stmt) Bind(args ...any) *Stmt {
	bs := &boundStmt{Stmt: Stmt{query: s.query, owner: s.owner, ps: s.ps, qr: s.qr}}
	b := &bs.Stmt
	dst := bs.buf[:0]
	if len(args) > len(bs.buf) {
		dst = make([]any, 0, len(args))
	}
	b.args, b.err = normalizeInto(s.query, args, dst)
	return b
}

// normalizeInto checks the number of args for query and appends them,
// normalized, to dst. Unlike normalizeArgs it never returns args itself, so
// that a caller's variadic slice stays on its stack.
func normalizeInto(query string, args, dst []any) ([]any, error) {
	if err := checkArgs(query, len(args)); err != nil {
		return nil, err
	}
	for _, a := range args {
		v, _, err := normalize(a)
		if err != nil {
			return nil, err
		}
		dst = append(dst, v)
	}
	return dst, nil
}

// boundStmt is a bound statement and room for its values, in one allocation.
type boundStmt struct {
	Stmt
	buf [4]any
}

// Run runs the statement. When args are given they are bound first, in place
// of any bound before.
func (s *Stmt) Run(ctx context.Context, args ...any) (*Result, error) {
	return s.exec(ctx, OpRun, args)
}

// All runs the statement and returns its rows. See [Stmt.Run] for args.
func (s *Stmt) All(ctx context.Context, args ...any) (*Result, error) {
	return s.exec(ctx, OpAll, args)
}

// First runs the statement and returns its first row, or [ErrNoRows].
func (s *Stmt) First(ctx context.Context, args ...any) (Row, error) {
	if s.qr != nil {
		// The backend normalizes args itself and returns the row alone.
		if len(args) == 0 {
			if s.err != nil {
				return Row{}, s.err
			}
			return s.qr.QueryRow(ctx, s.args...)
		}
		if err := checkArgs(s.query, len(args)); err != nil {
			return Row{}, err
		}
		return s.qr.QueryRow(ctx, args...)
	}
	return firstRow(s.exec(ctx, OpFirst, args))
}

// Raw runs the statement and returns every column, duplicate names included,
// and the column names even when there are no rows. Raw results carry no meta.
func (s *Stmt) Raw(ctx context.Context, args ...any) (*Result, error) {
	return s.exec(ctx, OpRaw, args)
}

func (s *Stmt) exec(ctx context.Context, op Op, args []any) (*Result, error) {
	vals := s.args
	cfg := s.owner.cfg
	if len(args) > 0 {
		if s.qr != nil {
			// The backend normalizes args itself, sparing a copy.
			if err := checkArgs(s.query, len(args)); err != nil {
				return nil, err
			}
			return s.qr.Query(ctx, op, args...)
		}
		var err error
		if vals, err = normalizeArgs(s.query, args); err != nil {
			return nil, err
		}
	} else if s.err != nil {
		return nil, s.err
	}
	if cfg == nil {
		return runOp(ctx, op, s.ps, vals)
	}
	call := &Call{Op: op, Statements: []Statement{{SQL: s.query, Args: vals}}}
	err := cfg.do(ctx, call, func(ctx context.Context, call *Call) error {
		res, err := runOp(ctx, op, s.ps, vals)
		if err == nil {
			call.Results = []*Result{res}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return call.Results[0], nil
}

// runOp runs ps with vals bound, as op says.
func runOp(ctx context.Context, op Op, ps PreparedStatement, vals []any) (*Result, error) {
	if len(vals) > 0 {
		if q, ok := ps.(Querier); ok {
			return q.Query(ctx, op, vals...)
		}
		var err error
		if ps, err = ps.Bind(vals...); err != nil {
			return nil, err
		}
	}
	switch op {
	case OpAll:
		return ps.All(ctx)
	case OpFirst:
		return ps.First(ctx)
	case OpRaw:
		return ps.Raw(ctx)
	}
	return ps.Run(ctx)
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

// normalizeArgs checks the number of args for query and normalizes them
// for a run at once: args itself is returned when every value is already in
// normal form, saving a copy (backends copy what they keep).
func normalizeArgs(query string, args []any) ([]any, error) {
	if err := checkArgs(query, len(args)); err != nil {
		return nil, err
	}
	var vals []any // nil while args need no change
	for i, a := range args {
		v, converted, err := normalize(a)
		if err != nil {
			return nil, err
		}
		if vals == nil {
			if !converted {
				continue
			}
			vals = make([]any, i, len(args))
			copy(vals, args[:i])
		}
		vals = append(vals, v)
	}
	if vals == nil {
		return args, nil
	}
	return vals, nil
}

// preparer is the part of a Database or DatabaseSession that queries use.
type preparer interface {
	Prepare(query string) PreparedStatement
	Batch(ctx context.Context, stmts []PreparedStatement) ([]*Result, error)
}

// querier is the query machinery a Client and a Session share.
type querier struct {
	p     preparer
	cache *stmtcache.LRU[*Stmt]
	cfg   *config // nil when there are no hooks and no retries
}

// config is a client's hooks and retry policy, shared with its sessions.
type config struct {
	retry   *RetryPolicy
	handler Handler // the hooks around callExec, or callExec itself
}

func newConfig(opts Options) *config {
	if opts.Retry == nil && len(opts.Hooks) == 0 {
		return nil
	}
	h := Handler(callExec)
	for i := len(opts.Hooks) - 1; i >= 0; i-- {
		h = opts.Hooks[i](h)
	}
	return &config{retry: opts.Retry, handler: h}
}

// callExec is the innermost handler: it performs the call.
func callExec(ctx context.Context, call *Call) error { return call.exec(ctx, call) }

func (cfg *config) do(ctx context.Context, call *Call, exec func(context.Context, *Call) error) error {
	call.exec = exec
	if cfg.retry == nil {
		call.Attempt = 1
		return cfg.handler(ctx, call)
	}
	return cfg.retry.retry(ctx, call, cfg.handler)
}

func (q *querier) prepare(query string) (*Stmt, error) {
	if s, ok := q.cache.Get(query); ok {
		return s, nil
	}
	if err := checkSQL(query); err != nil {
		return nil, err
	}
	st := &Stmt{query: query, owner: q, ps: q.p.Prepare(query)}
	if q.cfg == nil {
		st.qr, _ = st.ps.(Querier)
	}
	return q.cache.Put(query, st), nil
}

// first is First for Client and Session: what Stmt.First does, with the
// Querier's QueryRow called here when the statement has one, a call less on
// a point read.
func (q *querier) first(ctx context.Context, query string, args []any) (Row, error) {
	st, err := q.prepare(query)
	if err != nil {
		return Row{}, err
	}
	if st.qr != nil && len(args) > 0 {
		if err := checkArgs(query, len(args)); err != nil {
			return Row{}, err
		}
		return st.qr.QueryRow(ctx, args...)
	}
	return st.First(ctx, args...)
}

func (q *querier) run(ctx context.Context, query string, args []any, op Op) (*Result, error) {
	s, err := q.prepare(query)
	if err != nil {
		return nil, err
	}
	return s.exec(ctx, op, args)
}

// errNilStmt is returned by Batch for a nil statement.
var errNilStmt = errors.New("d1: nil statement in batch")

func (q *querier) batch(ctx context.Context, stmts []*Stmt) ([]*Result, error) {
	if len(stmts) == 0 {
		return nil, errNoStatements()
	}
	pss := make([]PreparedStatement, len(stmts))
	vb, _ := q.p.(ValueBatcher)
	var vals [][]any // the values beside each statement, for vb
	if vb != nil {
		vals = make([][]any, len(stmts))
	}
	for i, s := range stmts {
		if s == nil {
			return nil, errNilStmt
		}
		if s.err != nil {
			return nil, s.err
		}
		ps := s.ps
		if s.owner != q {
			// Prepared by another client or session: prepare it here.
			own, err := q.prepare(s.query)
			if err != nil {
				return nil, err
			}
			ps = own.ps
		}
		if len(s.args) > 0 {
			if vb != nil {
				vals[i] = s.args
			} else {
				var err error
				if ps, err = ps.Bind(s.args...); err != nil {
					return nil, err
				}
			}
		}
		pss[i] = ps
	}
	if q.cfg == nil {
		return q.sendBatch(ctx, vb, pss, vals)
	}
	call := &Call{Op: OpBatch, Statements: make([]Statement, len(stmts))}
	for i, s := range stmts {
		call.Statements[i] = Statement{SQL: s.query, Args: s.args}
	}
	err := q.cfg.do(ctx, call, func(ctx context.Context, call *Call) error {
		res, err := q.sendBatch(ctx, vb, pss, vals)
		if err == nil {
			call.Results = res
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return call.Results, nil
}

// sendBatch hands a batch to the backend, to vb with each statement's values
// beside it when the backend is a [ValueBatcher].
func (q *querier) sendBatch(ctx context.Context, vb ValueBatcher, pss []PreparedStatement, vals [][]any) ([]*Result, error) {
	if vb != nil {
		return vb.BatchValues(ctx, pss, vals)
	}
	return q.p.Batch(ctx, pss)
}
