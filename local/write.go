package local

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"time"
	"unsafe"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/internal/sqlscan"
	lib "modernc.org/sqlite/lib"
)

// wtx is a write transaction on the writer connection: one per statement
// that writes, one per batch, one per Exec, as D1 runs each in an implicit
// transaction.
type wtx struct {
	db      *DB
	cn      *conn
	ctx     context.Context
	size    int64         // database size before the transaction, then after its latest write
	dirty   bool          // a statement wrote
	clock   time.Duration // when the previous statement ended (or the transaction began), by [monotonic]
	pragmas []*pragmaSetting
}

// writeTx runs f in a transaction on the writer and commits it; on error it
// rolls back and returns f's error. It returns the bookmark counter of the
// transaction: a new one when it wrote, else the newest commit's.
func (db *DB) writeTx(ctx context.Context, f func(*wtx) error) (uint64, error) {
	cn, err := db.lockWriter(ctx)
	if err != nil {
		return 0, err
	}
	// The DB's one wtx, reused under the writer lock, saves an allocation.
	tx := &db.tx
	defer db.endTx(tx)
	if g := db.gate; g != nil {
		if err := g.lock(ctx, db.closing); err != nil {
			return 0, err
		}
		defer g.unlock()
	}
	*tx = wtx{db: db, cn: cn, ctx: ctx, size: db.size.Load()}
	cn.watch(ctx)
	if err := cn.exec("BEGIN IMMEDIATE"); err != nil {
		cn.unwatch()
		return 0, cn.sqliteError(ctx, err)
	}
	tx.clock = monotonic()
	err = f(tx)
	cn.unwatch()
	var epoch int64
	newEpoch := false
	if err == nil {
		if !db.started.Load() || (tx.dirty && db.seq == math.MaxUint32) {
			// After the first query that succeeds, as workerd does.
			newEpoch = true
			if epoch, err = tx.startEpoch(); err != nil {
				err = cn.sqliteError(ctx, err)
			}
		}
	}
	if err == nil {
		if cerr := cn.exec("COMMIT"); cerr != nil {
			err = cn.sqliteError(ctx, cerr)
		}
	}
	if err != nil {
		if !cn.c.AutocommitEnabled() {
			cn.exec("ROLLBACK")
		}
		// Writes of the failed transaction are gone, but SQLite keeps the
		// last insert rowid, as D1 does.
		db.lastRowID.Store(cn.lastInsertRowID())
		return 0, err
	}
	db.lastRowID.Store(cn.lastInsertRowID())
	db.size.Store(tx.size)
	for _, p := range tx.pragmas {
		db.setPragma(p)
	}
	if newEpoch {
		db.epoch, db.seq = uint32(epoch), 0
		db.started.Store(true)
	}
	if tx.dirty {
		db.seq++
	}
	c := uint64(db.epoch)<<32 | uint64(db.seq)
	db.counter.Store(c)
	return c, nil
}

// endTx clears the DB's transaction, so that it keeps nothing alive, and
// releases the writer lock.
func (db *DB) endTx(tx *wtx) {
	if tx.cn != nil {
		tx.cn.forgetError()
	}
	*tx = wtx{}
	db.unlockWriter()
}

// startEpoch creates _cf_METADATA if it is missing and advances the bookmark
// epoch kept in it, after the transaction's statements and their size.
func (tx *wtx) startEpoch() (int64, error) {
	cn := tx.cn
	if err := cn.exec(createMetadata); err != nil {
		return 0, err
	}
	e, err := cn.queryInt(epochSQL)
	if err != nil {
		return 0, err
	}
	if e <= 0 || e > math.MaxUint32 {
		return 0, fmt.Errorf("local: bookmark epoch %d out of range", e)
	}
	// The next statement sees the metadata table in the size, as on D1.
	tx.db.checkPages()
	tx.measure()
	return e, nil
}

// start advances this handle's bookmark epoch if no query did yet: a read
// that succeeded on a reader calls it, as workerd writes its metadata after
// the first successful query, reads included.
func (db *DB) start(ctx context.Context) error {
	if db.started.Load() {
		return nil
	}
	_, err := db.writeTx(ctx, func(*wtx) error { return nil })
	return err
}

// run runs one statement of p (which may hold several) in the transaction
// and returns what D1 returns for it: the last statement's rows, and meta
// covering all of them. dst, when not nil, receives the result in place of
// a new one.
func (tx *wtx) run(ctx context.Context, p *plan, args []any, m mode, dst *d1.Result) (*d1.Result, error) {
	cn := tx.cn
	tc0, lr0 := cn.totalChanges(), cn.lastInsertRowID()
	cs, multi, err := cn.prepareCached(ctx, p)
	if err != nil {
		return nil, err
	}
	if multi {
		if cs, err = tx.runLeading(ctx, p.sql); err != nil {
			return nil, err
		}
		defer cs.s.Finalize()
	}
	if cs.pragma != nil {
		tx.pragmas = append(tx.pragmas, cs.pragma)
	}
	tcLast := cn.totalChanges()
	res, err := cn.collectInto(ctx, cs, args, m, dst)
	if err != nil {
		return nil, err
	}
	if !cs.readonly {
		tx.dirty = true
	}
	tc1, direct := cn.totalChanges(), cn.changes()
	if err := tx.afterStats(cs); err != nil {
		return nil, cn.sqliteError(ctx, err)
	}
	size0 := tx.size
	if tx.dirty {
		// D1 reports the size after each statement.
		tx.measure()
	}
	if m > modeRun {
		return res, nil
	}
	changes := tc1 - tc0
	lr := cn.lastInsertRowID()
	res.Meta = d1.Meta{
		ServedBy:  servedBy,
		Duration:  tx.lap(),
		Changes:   changes,
		LastRowID: lr,
		ChangedDB: changes != 0 || lr != lr0 || tx.size != size0,
		SizeAfter: tx.size,
	}
	res.Meta.RowsRead, res.Meta.RowsWritten = cs.rowCounts(direct, tc1-tcLast)
	return res, nil
}

// afterStats drops sqlite_stat4 after a statement that may have made it
// (ANALYZE, PRAGMA optimize), whether it ran alone or before others in one
// text.
func (tx *wtx) afterStats(cs *cstmt) error {
	if !cs.stats {
		return nil
	}
	tx.dirty = true
	return tx.dropStat4()
}

// dropStat4 drops sqlite_stat4, which this build of SQLite (compiled with
// SQLITE_ENABLE_STAT4) creates on ANALYZE and D1's does not, so that the
// schema and the size are D1's.
func (tx *wtx) dropStat4() error {
	n, err := tx.cn.queryInt("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat4'")
	if err != nil || n == 0 {
		return err
	}
	return tx.cn.exec("DROP TABLE sqlite_stat4")
}

// lap returns the milliseconds since the previous statement of the
// transaction ended (or the transaction began): one clock read a statement.
func (tx *wtx) lap() float64 {
	now := monotonic()
	d := float64(now-tx.clock) / 1e6
	tx.clock = now
	return d
}

// measure sets the transaction's size to the size of the database's pages
// in use.
func (tx *wtx) measure() {
	if n, err := tx.cn.usedPages(); err == nil {
		tx.size = n * tx.db.pageSize
	}
}

// runLeading runs every statement of a multi-statement text but the last,
// as D1 does: each is prepared only after the previous one ran, intermediate
// rows are discarded, and only the last statement may have parameters. It
// returns the last statement, prepared and not cached; the caller finalizes
// it.
func (tx *wtx) runLeading(ctx context.Context, text string) (*cstmt, error) {
	cn := tx.cn
	for {
		cs, rest, err := cn.prepareOne(ctx, text)
		if err != nil {
			return nil, err
		}
		if cs == nil {
			return nil, d1Error(msgNoStatement)
		}
		rest = skipSpace(rest)
		if rest == "" {
			return cs, nil
		}
		if cs.pragma != nil {
			tx.pragmas = append(tx.pragmas, cs.pragma)
		}
		err = tx.step(ctx, cs)
		cs.s.Finalize()
		if err != nil {
			return nil, err
		}
		text = rest
	}
}

// step runs a leading statement to completion, discarding its rows.
func (tx *wtx) step(ctx context.Context, cs *cstmt) error {
	if cs.nParams > 0 {
		return d1Error(msgMultiParams)
	}
	if !cs.readonly {
		tx.dirty = true
	}
	for {
		row, err := cs.s.Step()
		if err != nil {
			return tx.cn.sqliteError(ctx, err)
		}
		if !row {
			if err := tx.afterStats(cs); err != nil {
				return tx.cn.sqliteError(ctx, err)
			}
			return nil
		}
	}
}

// usedPages returns the number of pages in use: D1's size is the size of
// the pages that are not free. Inside a transaction it reads them from the
// b-tree's state, as PRAGMA page_count and freelist_count do, without
// running two statements.
func (cn *conn) usedPages() (int64, error) {
	if cn.lay.directPages {
		if n, ok := cn.pagesInUse(); ok {
			return n, nil
		}
	}
	return cn.usedPagesSQL()
}

func (cn *conn) usedPagesSQL() (int64, error) {
	n, err := cn.queryInt("PRAGMA page_count")
	if err != nil {
		return 0, err
	}
	f, err := cn.queryInt("PRAGMA freelist_count")
	return n - f, err
}

// pagesInUse reads the main database's page count and free page count
// (from the header of page 1) from the shared b-tree. ok is false outside a
// transaction, when page 1 is not held.
func (cn *conn) pagesInUse() (n int64, ok bool) {
	d := (*lib.Tsqlite3)(cptr(cn.db))
	if d.FaDb == 0 {
		return 0, false
	}
	main := (*lib.TDb)(cptr(d.FaDb))
	if main.FpBt == 0 {
		return 0, false
	}
	bt := (*lib.TBtree)(cptr(main.FpBt))
	if bt.FpBt == 0 {
		return 0, false
	}
	bs := (*lib.TBtShared)(cptr(bt.FpBt))
	if bs.FpPage1 == 0 {
		return 0, false
	}
	page1 := (*lib.TMemPage)(cptr(bs.FpPage1))
	if page1.FaData == 0 {
		return 0, false
	}
	free := binary.BigEndian.Uint32(unsafe.Slice((*byte)(cptr(page1.FaData+36)), 4))
	return int64(bs.FnPage) - int64(free), true
}

// changes returns sqlite3_changes64: the rows the last INSERT, UPDATE or
// DELETE changed directly.
func (cn *conn) changes() int64 { return lib.Xsqlite3_changes64(cn.tls, cn.db) }

// Batch runs stmts in order in one transaction: if one fails, Batch returns
// its error and nothing is applied. Statements whose SQL D1 finds empty are
// left out, as workerd's local D1 does; if none is left, Batch fails with
// "No SQL statements detected.".
func (db *DB) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	return db.batch(ctx, nil, stmts, nil)
}

// BatchValues is Batch with each statement's values beside it; see
// [d1.ValueBatcher].
func (db *DB) BatchValues(ctx context.Context, stmts []d1.PreparedStatement, values [][]any) ([]*d1.Result, error) {
	return db.batch(ctx, nil, stmts, values)
}

// batch runs stmts, with values[i] bound to stmts[i] when values is not nil.
func (db *DB) batch(ctx context.Context, sess *session, stmts []d1.PreparedStatement, values [][]any) ([]*d1.Result, error) {
	if db.closed.Load() {
		return nil, ErrClosed
	}
	if values != nil && len(values) != len(stmts) {
		return nil, fmt.Errorf("local: batch of %d statements with %d lists of values", len(stmts), len(values))
	}
	n := 0 // statements to run
	// norm holds the values that normalArgs had to change, by statement: none
	// when the caller normalized them, as ValueBatcher asks.
	var norm [][]any
	for i, ps := range stmts {
		s, ok := ps.(*stmt)
		if !ok {
			return nil, fmt.Errorf("local: batch statement %d is a %T, not a statement of the local backend", i, ps)
		}
		if values != nil && len(values[i]) > 0 {
			args, err := normalArgs(values[i])
			if err != nil {
				return nil, err
			}
			if &args[0] != &values[i][0] {
				if norm == nil {
					norm = make([][]any, len(stmts))
				}
				norm[i] = args
			}
		}
		if !s.plan.blank {
			n++
		}
	}
	if n == 0 {
		return nil, d1Error(msgNoStatements)
	}
	results := make([]*d1.Result, 0, n)
	counter, err := db.writeTx(ctx, func(tx *wtx) error {
		buf := make([]d1.Result, n) // the results, in one allocation
		for i, ps := range stmts {
			s := ps.(*stmt)
			if s.plan.blank {
				continue
			}
			args := s.args
			switch {
			case norm != nil && norm[i] != nil:
				args = norm[i]
			case values != nil && len(values[i]) > 0:
				args = values[i]
			}
			res, err := tx.run(ctx, s.plan, args, modeAll, &buf[len(results)])
			if err != nil {
				return err
			}
			results = append(results, res)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if sess != nil {
		sess.observe(counter)
	}
	db.markPrimary(results...)
	return results, nil
}

// Exec runs query as D1's exec does: each line is one query (which may hold
// several statements), all in one transaction, without parameters. Empty
// lines are skipped. On failure the error is D1's D1_EXEC_ERROR, which, as in
// workerd's local D1, names line 1 and the first line's text whichever line
// failed.
func (db *DB) Exec(ctx context.Context, query string) (*d1.ExecResult, error) {
	lines := strings.Split(strings.TrimFunc(query, sqlscan.IsJSSpace), "\n")
	stmts := make([]d1.PreparedStatement, len(lines))
	for i, l := range lines {
		stmts[i] = db.Prepare(l)
	}
	results, err := db.Batch(ctx, stmts)
	if err != nil {
		e, ok := err.(*d1.Error)
		if !ok {
			return nil, err
		}
		x := *e
		x.Code = d1.CodeExecError
		x.Message = "Error in line 1: " + lines[0] + ": " + e.Message
		return nil, &x
	}
	out := &d1.ExecResult{Count: len(results)}
	for _, r := range results {
		out.Duration += r.Meta.Duration
	}
	return out, nil
}
