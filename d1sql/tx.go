package d1sql

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/lunora-go/d1"
)

// ErrQueryInTx is returned by a query inside a transaction. The transaction's
// statements have not run yet (they run at Commit, as one batch), so a query
// could not see them; it fails rather than return stale rows.
var ErrQueryInTx = errors.New("d1sql: cannot query inside a transaction: D1 has no interactive transactions, " +
	"so a transaction's statements are queued and run as one batch at Commit, and a query here could not see them; " +
	"query before BeginTx or after Commit")

// ErrResultPending is returned by the LastInsertId and RowsAffected of a
// statement queued in a transaction, until Commit has run it.
var ErrResultPending = errors.New("d1sql: the result of a statement in a transaction is known only after Commit")

// ErrReadOnlyTx is returned by BeginTx for a read-only transaction: D1 cannot
// give a sequence of reads one snapshot.
var ErrReadOnlyTx = errors.New("d1sql: read-only transactions are not supported: D1 has no interactive transactions, " +
	"so reads cannot share a snapshot; run them without a transaction, or as one d1 Batch")

// errTxDone is returned for a statement queued after Commit or Rollback;
// database/sql catches that case first.
var errTxDone = errors.New("d1sql: transaction has already been committed or rolled back")

// tx is a transaction that collects statements and runs them as one D1
// batch at Commit.
type tx struct {
	cn      *conn
	ctx     context.Context
	t       target
	stmts   []*d1.Stmt
	results []*pendingResult
}

var _ driver.Tx = (*tx)(nil)

// BeginTx starts a transaction that queues statements and runs them as one
// D1 batch at Commit; see the package documentation. ctx, which database/sql
// keeps until the transaction ends, is the context of the batch. Every
// isolation level is accepted: a batch runs as one SQLite transaction, which
// is serializable. Read-only transactions are refused with [ErrReadOnlyTx].
func (cn *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if opts.ReadOnly {
		return nil, ErrReadOnlyTx
	}
	if cn.tx != nil {
		return nil, errors.New("d1sql: a transaction is already open on this connection")
	}
	cn.tx = &tx{cn: cn, ctx: ctx, t: cn.c.target(ctx)}
	return cn.tx, nil
}

func (t *tx) queue(st *d1.Stmt, vals []any) (driver.Result, error) {
	if t.cn.tx != t {
		return nil, errTxDone
	}
	if len(vals) > 0 {
		st = st.Bind(vals...)
	}
	r := &pendingResult{}
	t.stmts = append(t.stmts, st)
	t.results = append(t.results, r)
	return r, nil
}

// Commit runs the queued statements as one batch: all of them apply, or,
// when one fails, none does and Commit returns that statement's error.
func (t *tx) Commit() error {
	if t.cn.tx != t {
		return errTxDone
	}
	t.cn.tx = nil
	if len(t.stmts) == 0 {
		return nil
	}
	res, err := t.t.Batch(t.ctx, t.stmts...)
	if err != nil {
		return fmt.Errorf("d1sql: commit of %d statements: %w", len(t.stmts), err)
	}
	for i, r := range t.results {
		if i < len(res) && res[i] != nil {
			r.done.Store(&result{res[i].Meta.LastRowID, res[i].Meta.Changes})
		}
	}
	return nil
}

// Rollback discards the queued statements: none of them has run.
func (t *tx) Rollback() error {
	if t.cn.tx != t {
		return errTxDone
	}
	t.cn.tx = nil
	return nil
}

// pendingResult is the driver.Result of a queued statement: it fails with
// ErrResultPending until Commit has run the statement.
type pendingResult struct {
	done atomic.Pointer[result]
}

// LastInsertId returns D1's meta.last_row_id once Commit has succeeded.
func (r *pendingResult) LastInsertId() (int64, error) {
	if d := r.done.Load(); d != nil {
		return d.lastRowID, nil
	}
	return 0, ErrResultPending
}

// RowsAffected returns D1's meta.changes once Commit has succeeded.
func (r *pendingResult) RowsAffected() (int64, error) {
	if d := r.done.Load(); d != nil {
		return d.changes, nil
	}
	return 0, ErrResultPending
}
