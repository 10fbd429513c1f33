package d1sql

import (
	"context"
	"database/sql/driver"

	"github.com/lunora-go/d1"
)

// conn is a driver.Conn. It holds no connection of its own: each call runs
// on the client or session its connector names for the call's context.
// database/sql never uses a conn from two goroutines at once.
type conn struct {
	c    *Connector
	tx   *tx   // the open transaction, or nil
	args []any // scratch for the values of a call; d1 copies them
	rows rows  // reused by the next query once closed
}

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
)

// Prepare is PrepareContext with context.Background.
func (cn *conn) Prepare(query string) (driver.Stmt, error) {
	return cn.PrepareContext(context.Background(), query)
}

// PrepareContext returns a statement for query. D1 has no server-side
// prepared statements: the statement comes from the statement cache of the
// client or session each execution runs on, and errors in the SQL arrive
// when it runs.
func (cn *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if _, err := cn.c.target(ctx).Prepare(query); err != nil {
		return nil, err
	}
	return &stmt{cn: cn, query: query}, nil
}

// Close does nothing: a conn holds nothing.
func (cn *conn) Close() error { return nil }

// Begin is BeginTx with context.Background and default options.
func (cn *conn) Begin() (driver.Tx, error) {
	return cn.BeginTx(context.Background(), driver.TxOptions{})
}

// ExecContext runs query with args, or queues it when a transaction is open.
func (cn *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	t := cn.c.target(ctx)
	if cn.tx != nil {
		t = cn.tx.t
	}
	st, err := t.Prepare(query)
	if err != nil {
		return nil, err
	}
	vals, err := cn.values(query, args)
	if err != nil {
		return nil, err
	}
	defer clear(vals)
	if cn.tx != nil {
		return cn.tx.queue(st, vals)
	}
	res, err := st.Run(ctx, vals...)
	if err != nil {
		return nil, err
	}
	return result{res.Meta.LastRowID, res.Meta.Changes}, nil
}

// QueryContext runs query with args and returns all its rows, column names
// and duplicates included (D1's raw mode).
func (cn *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if cn.tx != nil {
		return nil, ErrQueryInTx
	}
	st, err := cn.c.target(ctx).Prepare(query)
	if err != nil {
		return nil, err
	}
	vals, err := cn.values(query, args)
	if err != nil {
		return nil, err
	}
	res, err := st.Raw(ctx, vals...)
	clear(vals)
	if err != nil {
		return nil, err
	}
	return cn.newRows(res), nil
}

// values returns the values to bind for args, in cn's scratch slice when
// they are in order. The caller clears them after use.
func (cn *conn) values(query string, args []driver.NamedValue) ([]any, error) {
	for i := range args {
		if args[i].Name != "" {
			return positional(query, args)
		}
	}
	if cap(cn.args) < len(args) {
		cn.args = make([]any, len(args), max(len(args), 8))
	}
	vals := cn.args[:len(args)]
	for i := range args {
		vals[i] = args[i].Value
	}
	return vals, nil
}

// newRows returns rows over res: cn's own, unless another query's rows are
// still open on cn (database/sql allows that on a Conn or a Tx).
func (cn *conn) newRows(res *d1.Result) *rows {
	r := &cn.rows
	if r.open {
		r = &rows{}
	}
	*r = rows{res: res, parseTime: cn.c.cfg.parseTime, open: true}
	return r
}

// CheckNamedValue checks that an argument can be bound, converting it when
// D1 needs it in another form: see [DefaultTimeFormat] for time.Time and
// [d1.Normalize] for the rest. Values that d1 binds as they are pass
// unchanged, and d1 normalizes them when the statement runs.
func (cn *conn) CheckNamedValue(nv *driver.NamedValue) error {
	switch v := nv.Value.(type) {
	case nil, string, float64, bool:
		return nil
	case int64:
		if v <= d1.MaxSafeInteger && v >= -d1.MaxSafeInteger {
			return nil
		}
	case int:
		if v <= d1.MaxSafeInteger && v >= -d1.MaxSafeInteger {
			return nil
		}
	case []byte:
		if v != nil {
			return nil
		}
	}
	v, err := convert(nv.Value, cn.c.cfg.timeFormat)
	if err != nil {
		return err
	}
	nv.Value = v
	return nil
}

// Ping runs SELECT 1 where the context's statements would run.
func (cn *conn) Ping(ctx context.Context) error {
	st, err := cn.c.target(ctx).Prepare("SELECT 1")
	if err != nil {
		return err
	}
	_, err = st.Raw(ctx)
	return err
}

// stmt is a driver.Stmt: a query text that each execution looks up in the
// statement cache of the client or session it runs on.
type stmt struct {
	cn    *conn
	query string
}

var (
	_ driver.Stmt             = (*stmt)(nil)
	_ driver.StmtExecContext  = (*stmt)(nil)
	_ driver.StmtQueryContext = (*stmt)(nil)
)

// Close does nothing; the statement stays in the cache.
func (s *stmt) Close() error { return nil }

// NumInput returns -1: D1 checks the number of values itself.
func (s *stmt) NumInput() int { return -1 }

// Exec is not called by database/sql, which uses ExecContext.
func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), valuesToNamed(args))
}

// Query is not called by database/sql, which uses QueryContext.
func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), valuesToNamed(args))
}

// ExecContext runs the statement as [conn.ExecContext] does.
func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.cn.ExecContext(ctx, s.query, args)
}

// QueryContext runs the statement as [conn.QueryContext] does.
func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.cn.QueryContext(ctx, s.query, args)
}

func valuesToNamed(args []driver.Value) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return nv
}

// result is the driver.Result of a statement run outside a transaction.
type result struct {
	lastRowID, changes int64
}

// LastInsertId returns D1's meta.last_row_id.
func (r result) LastInsertId() (int64, error) { return r.lastRowID, nil }

// RowsAffected returns D1's meta.changes.
func (r result) RowsAffected() (int64, error) { return r.changes, nil }
