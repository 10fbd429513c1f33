package local

import (
	"context"
	"time"

	"github.com/lunora-go/d1"
)

// mode is how a statement's rows are returned.
type mode uint8

const (
	modeAll   mode = iota // D1's all(): duplicate names collapse, meta
	modeRun               // D1's run(): as all()
	modeFirst             // at most one row, shaped as all(), no meta
	modeRaw               // every column, names even without rows, no meta
)

// stmt is a prepared statement of a [DB] or of one of its sessions. Like
// D1's it is immutable and does nothing until it runs.
type stmt struct {
	db   *DB
	sess *session // nil on the DB itself
	plan *plan
	args []any
}

var _ d1.PreparedStatement = (*stmt)(nil)

// Prepare returns a statement for query. It does no I/O and never fails:
// errors in the SQL are reported when the statement runs.
func (db *DB) Prepare(query string) d1.PreparedStatement {
	return &stmt{db: db, plan: db.plan(query)}
}

// Bind returns a copy of the statement with values bound by position. Values
// should be nil, int64, float64, string or []byte (see [d1.Normalize]);
// others are normalized, and refused with D1's D1_TYPE_ERROR when they
// cannot be. Integers and floats bind as REAL, as D1 binds JavaScript
// numbers. A count that does not match the statement's parameters fails when
// the statement runs.
func (s *stmt) Bind(values ...any) (d1.PreparedStatement, error) {
	args := make([]any, len(values))
	for i, v := range values {
		switch v.(type) {
		case nil, int64, float64, string, []byte:
			args[i] = v
		default:
			n, err := d1.Normalize(v)
			if err != nil {
				return nil, err
			}
			args[i] = n
		}
	}
	return &stmt{db: s.db, sess: s.sess, plan: s.plan, args: args}, nil
}

// All runs the statement and returns its rows and meta as D1's all().
func (s *stmt) All(ctx context.Context) (*d1.Result, error) { return s.db.query(ctx, s, modeAll) }

// Run runs the statement; D1's run() returns the same as all().
func (s *stmt) Run(ctx context.Context) (*d1.Result, error) { return s.db.query(ctx, s, modeRun) }

// First runs the statement and returns at most its first row, without meta.
func (s *stmt) First(ctx context.Context) (*d1.Result, error) { return s.db.query(ctx, s, modeFirst) }

// Raw runs the statement and returns every column, duplicates included, and
// the column names even when there are no rows. Raw returns no meta.
func (s *stmt) Raw(ctx context.Context) (*d1.Result, error) { return s.db.query(ctx, s, modeRaw) }

// query runs one statement: on a reader when it only reads, else in a write
// transaction.
func (db *DB) query(ctx context.Context, s *stmt, m mode) (*d1.Result, error) {
	if db.closed.Load() {
		return nil, ErrClosed
	}
	p := s.plan
	if p.blank {
		return nil, d1Error(msgNoStatements)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p.route.Load() != routeWrite {
		res, counter, again, err := db.read(ctx, s, m)
		if !again {
			if err == nil && s.sess != nil {
				s.sess.observe(counter)
			}
			return res, err
		}
	}
	var res *d1.Result
	counter, err := db.writeTx(ctx, func(tx *wtx) error {
		var err error
		res, err = tx.run(ctx, p, s.args, m)
		return err
	})
	if err != nil {
		return nil, err
	}
	if s.sess != nil {
		s.sess.observe(counter)
	}
	return res, nil
}

// read runs s on a reader connection. again reports that s writes (or holds
// several statements, or sets connection state) and must run on the writer.
func (db *DB) read(ctx context.Context, s *stmt, m mode) (res *d1.Result, counter uint64, again bool, err error) {
	cn, err := db.getReader(ctx)
	if err != nil {
		return nil, 0, false, err
	}
	unwatch := cn.watch(ctx)
	cs, multi, err := cn.prepareCached(ctx, s.plan.sql)
	if err != nil {
		unwatch()
		db.putReader(cn)
		if s.plan.route.Load() == routeUnknown && ctx.Err() == nil {
			// A reader's schema may be older than the writer's: let the
			// writer, whose schema is current, have the last word.
			return nil, 0, true, nil
		}
		return nil, 0, false, err
	}
	if multi || !cs.readonly || cs.writer {
		unwatch()
		db.putReader(cn)
		s.plan.route.Store(routeWrite)
		return nil, 0, true, nil
	}
	if s.plan.route.Load() != routeRead {
		s.plan.route.Store(routeRead)
	}
	var start time.Time
	if m <= modeRun {
		start = time.Now()
	}
	res, err = cn.collect(ctx, cs, s.args, m)
	unwatch()
	if err == nil && m <= modeRun {
		res.Meta = d1.Meta{
			ServedBy:  servedBy,
			Duration:  msSince(start),
			LastRowID: db.lastRowID.Load(),
			SizeAfter: db.size.Load(),
		}
		res.Meta.RowsRead, _ = cs.rowCounts(0, 0)
	}
	counter = db.readCounter(cn)
	db.putReader(cn)
	return res, counter, false, err
}

// servedBy is the meta's served_by for this backend.
const servedBy = "local"

func msSince(t time.Time) float64 {
	return float64(time.Since(t).Nanoseconds()) / 1e6
}

// readCounter returns the commit counter a read on cn saw. Commits by this
// DB's writer are known already; for a file another process may have
// committed, which shows as a new data version on the reader, and then the
// counter is read from the file.
func (db *DB) readCounter(cn *conn) uint64 {
	if db.file {
		if v := cn.dataVersion(); v != cn.dataVer {
			cn.dataVer = v
			if c, err := cn.queryInt("SELECT value FROM _cf_METADATA WHERE key = 2"); err == nil {
				db.noteCounter(uint64(c))
			}
		}
	}
	return db.counter.Load()
}

// noteCounter raises the newest known commit counter to c.
func (db *DB) noteCounter(c uint64) {
	for {
		old := db.counter.Load()
		if old >= c || db.counter.CompareAndSwap(old, c) {
			return
		}
	}
}

// collect binds args, runs cs and gathers its rows as m asks. Meta is left
// for the caller; for modeAll and modeRun the step counters are reset first.
func (cn *conn) collect(ctx context.Context, cs *cstmt, args []any, m mode) (*d1.Result, error) {
	if err := cs.bind(args); err != nil {
		return nil, err
	}
	if m <= modeRun {
		cs.resetCounters()
	}
	s := cs.s
	row, err := s.Step()
	if err != nil {
		return nil, cn.sqliteError(ctx, err)
	}
	names := cs.columns(cn)
	n := len(names)
	res := &d1.Result{}
	switch {
	case m == modeRaw:
		res.Columns = names
		var rb rowBuf
		for row {
			vals := rb.next(n)
			for i := range vals {
				vals[i] = cs.value(i)
			}
			res.Rows = append(res.Rows, vals)
			if row, err = s.Step(); err != nil {
				return nil, cn.sqliteError(ctx, err)
			}
		}
	case m == modeFirst && cs.readonly:
		if row {
			res.Columns = cs.shaped(names)
			res.Rows = [][]any{cs.row(nil, n)}
		}
		if err := s.Reset(); err != nil {
			return nil, cn.sqliteError(ctx, err)
		}
		return res, nil
	default:
		if row {
			res.Columns = cs.shaped(names)
		}
		var rb rowBuf
		var raw []any
		if cs.shape.names != nil {
			raw = make([]any, n)
		}
		for row {
			if m != modeFirst || len(res.Rows) == 0 {
				var dst []any
				if raw == nil {
					dst = rb.next(n)
				} else {
					dst = rb.next(len(cs.shape.names))
				}
				res.Rows = append(res.Rows, cs.rowInto(dst, raw, n))
			}
			if row, err = s.Step(); err != nil {
				return nil, cn.sqliteError(ctx, err)
			}
		}
	}
	if err := s.Reset(); err != nil {
		return nil, cn.sqliteError(ctx, err)
	}
	return res, nil
}

// shaped returns the column names as D1's all() reports them.
func (cs *cstmt) shaped(names []string) []string {
	if cs.shape.names != nil {
		return cs.shape.names
	}
	return names
}

// row reads the current row shaped as all(), into a new slice.
func (cs *cstmt) row(_ []any, n int) []any {
	var raw []any
	if cs.shape.names != nil {
		raw = make([]any, n)
		return cs.rowInto(make([]any, len(cs.shape.names)), raw, n)
	}
	return cs.rowInto(make([]any, n), nil, n)
}

// rowInto reads the current row into dst, collapsing duplicate names through
// raw when the statement has any.
func (cs *cstmt) rowInto(dst, raw []any, n int) []any {
	if raw == nil {
		for i := range dst {
			dst[i] = cs.value(i)
		}
		return dst
	}
	for i := range n {
		raw[i] = cs.value(i)
	}
	for i, src := range cs.shape.src {
		dst[i] = raw[src]
	}
	return dst
}

// rowBuf hands out row slices carved from larger blocks, so that a result
// of many rows costs few allocations.
type rowBuf struct {
	buf  []any
	rows int
}

func (b *rowBuf) next(n int) []any {
	if n == 0 {
		return []any{}
	}
	if len(b.buf) < n {
		k := min(max(b.rows, 4), 256)
		b.buf = make([]any, k*n)
	}
	b.rows++
	r := b.buf[:n:n]
	b.buf = b.buf[n:]
	return r
}
