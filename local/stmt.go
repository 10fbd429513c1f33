package local

import (
	"context"
	"fmt"
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
	db     *DB
	sess   *session // nil on the DB itself
	plan   *plan
	args   []any
	argBuf [2]any // backs args when there are few
}

var (
	_ d1.PreparedStatement = (*stmt)(nil)
	_ d1.Querier           = (*stmt)(nil)
)

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
	args, err := normalArgs(values)
	if err != nil {
		return nil, err
	}
	b := &stmt{db: s.db, sess: s.sess, plan: s.plan}
	b.args = append(b.argBuf[:0], args...)
	return b, nil
}

// Query runs the statement once with values bound for that run: what Bind
// followed by All, Run, First or Raw (as op says) does, without copying the
// statement. See [d1.Querier].
func (s *stmt) Query(ctx context.Context, op d1.Op, values ...any) (*d1.Result, error) {
	var m mode
	switch op {
	case d1.OpAll:
		m = modeAll
	case d1.OpRun:
		m = modeRun
	case d1.OpFirst:
		m = modeFirst
	case d1.OpRaw:
		m = modeRaw
	default:
		return nil, fmt.Errorf("local: Query cannot run op %q", op)
	}
	return s.once(ctx, m, nil, values)
}

// QueryRow runs the statement once with values bound for that run, as First
// does, and returns its first row, or [d1.ErrNoRows]: it saves the Result
// that First allocates around the row. See [d1.Querier].
func (s *stmt) QueryRow(ctx context.Context, values ...any) (d1.Row, error) {
	// once, written out: a point read's path, a call shorter.
	args, err := normalArgs(values)
	if err != nil {
		return d1.Row{}, err
	}
	// b is set field by field, and the row below is put together from its
	// parts: built whole and copied, each was copied with loads that stall
	// on the stores just made (store forwarding), as perf showed.
	var b stmt
	b.db, b.sess, b.plan, b.args = s.db, s.sess, s.plan, args
	var dst d1.Result
	res, err := s.db.query(ctx, &b, modeFirst, &dst)
	if err != nil {
		return d1.Row{}, err
	}
	if len(res.Rows) == 0 {
		return d1.Row{}, d1.ErrNoRows
	}
	cols, vals := res.Columns, res.Rows[0]
	return d1.Row{Columns: cols, Values: vals}, nil
}

// once runs the statement with values bound for this run alone, without a
// copy of the statement; dst is as for [DB.query].
func (s *stmt) once(ctx context.Context, m mode, dst *d1.Result, values []any) (*d1.Result, error) {
	args, err := normalArgs(values)
	if err != nil {
		return nil, err
	}
	b := stmt{db: s.db, sess: s.sess, plan: s.plan, args: args}
	return s.db.query(ctx, &b, m, dst)
}

// normalArgs returns values checked and in the forms [cstmt.bind] takes:
// those of [d1.Normalize], and int, which binds without boxing it again.
// It returns values itself when they need no change, else a copy.
func normalArgs(values []any) ([]any, error) {
	var out []any // nil while values need no change
	for i, v := range values {
		n, same, err := normalArg(v)
		if err != nil {
			return nil, err
		}
		if out == nil {
			if same {
				continue
			}
			out = append(make([]any, 0, len(values)), values[:i]...)
		}
		out = append(out, n)
	}
	if out == nil {
		return values, nil
	}
	return out, nil
}

// normalArg is [normalArgs] for one value; same reports that v is returned
// as it is.
func normalArg(v any) (n any, same bool, err error) {
	switch x := v.(type) {
	case nil, float64, string, []byte:
		return v, true, nil
	case int64:
		if x <= d1.MaxSafeInteger && x >= -d1.MaxSafeInteger {
			return v, true, nil
		}
	case int:
		if x <= d1.MaxSafeInteger && x >= -d1.MaxSafeInteger {
			return v, true, nil
		}
	}
	n, err = d1.Normalize(v)
	return n, false, err
}

// All runs the statement and returns its rows and meta as D1's all().
func (s *stmt) All(ctx context.Context) (*d1.Result, error) { return s.db.query(ctx, s, modeAll, nil) }

// Run runs the statement; D1's run() returns the same as all().
func (s *stmt) Run(ctx context.Context) (*d1.Result, error) { return s.db.query(ctx, s, modeRun, nil) }

// First runs the statement and returns at most its first row, without meta.
func (s *stmt) First(ctx context.Context) (*d1.Result, error) {
	return s.db.query(ctx, s, modeFirst, nil)
}

// Raw runs the statement and returns every column, duplicates included, and
// the column names even when there are no rows. Raw returns no meta.
func (s *stmt) Raw(ctx context.Context) (*d1.Result, error) { return s.db.query(ctx, s, modeRaw, nil) }

// query runs one statement: on a reader when it only reads, else in a write
// transaction. For modeFirst, dst, when not nil, receives the result in
// place of a new one (a replica may still return a new one).
func (db *DB) query(ctx context.Context, s *stmt, m mode, dst *d1.Result) (*d1.Result, error) {
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
		if s.sess != nil && db.replicas != nil {
			if res, again, err := db.readSession(ctx, s, m); !again {
				if err == nil && !db.started.Load() {
					err = db.start(ctx)
				}
				return res, err
			}
		}
		res, counter, again, err := db.read(ctx, s, m, dst)
		if !again {
			db.markPrimary(res)
			if err == nil && !db.started.Load() {
				// Outside the read: it holds the gate of an in-memory database.
				if err = db.start(ctx); err != nil {
					return nil, err
				}
				counter = db.commitSeq()
			}
			if err == nil && s.sess != nil {
				s.sess.observe(counter)
			}
			return res, err
		}
	}
	var res *d1.Result
	counter, err := db.writeTx(ctx, func(tx *wtx) error {
		var err error
		res, err = tx.run(ctx, p, s.args, m, dst)
		return err
	})
	if err != nil {
		return nil, err
	}
	if s.sess != nil {
		s.sess.observe(counter)
	}
	db.markPrimary(res)
	return res, nil
}

// read runs s on a reader connection. again reports that s writes (or holds
// several statements, or sets connection state) and must run on the writer.
func (db *DB) read(ctx context.Context, s *stmt, m mode, dst *d1.Result) (res *d1.Result, counter uint64, again bool, err error) {
	if g := db.gate; g != nil {
		if err := g.rlock(ctx, db.closing); err != nil {
			return nil, 0, false, err
		}
		defer g.runlock()
	}
	cn, err := db.getReader(ctx)
	if err != nil {
		return nil, 0, false, err
	}
	if cn.view != nil {
		db.unpark(cn) // the primary's newest state
	}
	cn.watch(ctx)
	cs, multi, err := cn.prepareCached(ctx, s.plan)
	if err != nil {
		cn.unwatch()
		db.putReader(cn)
		if s.plan.route.Load() == routeUnknown && ctx.Err() == nil {
			// A reader's schema may be older than the writer's: let the
			// writer, whose schema is current, have the last word.
			return nil, 0, true, nil
		}
		return nil, 0, false, err
	}
	if multi || !cs.readonly || cs.writer {
		cn.unwatch()
		db.putReader(cn)
		s.plan.route.Store(routeWrite)
		return nil, 0, true, nil
	}
	if s.plan.route.Load() != routeRead {
		s.plan.route.Store(routeRead)
	}
	var start time.Duration
	if m <= modeRun {
		start = monotonic()
	}
	if m == modeFirst {
		res, err = cn.first(ctx, cs, s.args, dst)
	} else {
		res, err = cn.collectInto(ctx, cs, s.args, m, dst)
	}
	cn.unwatch()
	if err == nil && m <= modeRun {
		res.Meta = d1.Meta{
			ServedBy:  servedBy,
			Duration:  msSince(start),
			LastRowID: db.lastRowID.Load(),
			SizeAfter: db.size.Load(),
		}
		res.Meta.RowsRead, _ = cs.rowCounts(0, 0)
	}
	db.putReader(cn)
	return res, db.commitSeq(), false, err
}

// servedBy is the meta's served_by for this backend.
const servedBy = "local"

// clockBase is the origin of [monotonic].
var clockBase = time.Now()

// monotonic returns the time on the monotonic clock, as an offset from
// clockBase. It reads only the monotonic clock, which costs about half of
// time.Now's two clock reads; meta durations need nothing else.
func monotonic() time.Duration { return time.Since(clockBase) }

// msSince returns the milliseconds since start, a time [monotonic] returned.
func msSince(start time.Duration) float64 {
	return float64(monotonic()-start) / 1e6
}

// collectInto binds args, runs cs and gathers its rows as m asks, into res
// when it is not nil (a batch allocates its results together, and QueryRow
// needs no Result of its own). Meta is left for the caller; for modeAll and
// modeRun the step counters are reset first.
func (cn *conn) collectInto(ctx context.Context, cs *cstmt, args []any, m mode, res *d1.Result) (*d1.Result, error) {
	if m == modeFirst {
		return cn.first(ctx, cs, args, res)
	}
	if err := cs.bind(cn, args); err != nil {
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
	var a arena
	if m == modeRaw {
		var f *firstResult
		if res == nil {
			// A result of one row, the usual one in raw mode (it is how
			// database/sql reads a row), then takes one allocation.
			f = &firstResult{}
			res = &f.res
			f.row.startArena(&a)
		}
		res.Columns = names
		for row {
			var vals []any
			if f != nil && res.Rows == nil && n <= len(f.row.vals) {
				vals = f.row.vals[:n:n]
			} else {
				vals = a.row(n)
			}
			cs.rowInto(cn, &a, vals, nil)
			if f != nil && res.Rows == nil {
				f.row.rows[0] = vals
				res.Rows = f.row.rows[:1:1]
			} else {
				res.Rows = append(res.Rows, vals)
			}
			if row, err = s.Step(); err != nil {
				return nil, cn.sqliteError(ctx, err)
			}
		}
	} else {
		if res == nil {
			res = &d1.Result{}
		}
		if row {
			res.Columns = cs.shaped(names)
		}
		var raw []any
		width := n
		if cs.shape.names != nil {
			raw = make([]any, n)
			width = len(cs.shape.names)
		}
		for row {
			res.Rows = append(res.Rows, cs.rowInto(cn, &a, a.row(width), raw))
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

// firstResult is a result of at most one row in one allocation: the arena
// starts in its own inline blocks.
type firstResult struct {
	res d1.Result
	row rowResult
}

// rowResult is a row and room for its values in one allocation: the arena
// starts in its inline blocks.
type rowResult struct {
	rows   [1][]any
	vals   [4]any
	ints   [2]int64
	floats [2]float64
	strs   [2]string
	bytes  [48]byte
}

// rowSlab is how many rows' room a connection allocates at a time for
// QueryRow: a point read then takes a quarter of an allocation, which saved
// about 2.5% of its time. The cost is that a row kept by a caller keeps its
// slab alive, so a caller that keeps one row of four holds the room of the
// other three too: about 600 bytes, besides their own values.
const rowSlab = 4

// newRow returns room for a row from the connection's slab; no one else
// holds it.
func (cn *conn) newRow() *rowResult {
	if len(cn.rows) == 0 {
		cn.rows = make([]rowResult, rowSlab)
	}
	r := &cn.rows[0]
	cn.rows = cn.rows[1:]
	return r
}

// startArena makes a, an empty arena, start in f's inline blocks. It sets
// a's fields in place: an arena built apart and copied into a stalls on the
// copy's loads (perf showed it as most of first's own time).
func (f *rowResult) startArena(a *arena) {
	a.ints, a.floats, a.strs, a.bytes = f.ints[:], f.floats[:], f.strs[:], f.bytes[:]
}

// first is collectInto for modeFirst, and its fast path: it binds args,
// runs cs and reads at most one row, into dst when it is not nil, else into
// a new result. A statement that writes still runs to completion. (A
// function of its own, called straight from read, it spares the point read
// collectInto's larger frame.)
func (cn *conn) first(ctx context.Context, cs *cstmt, args []any, dst *d1.Result) (*d1.Result, error) {
	if err := cs.bind(cn, args); err != nil {
		return nil, err
	}
	row, err := cs.s.Step()
	if err != nil {
		return nil, cn.sqliteError(ctx, err)
	}
	n := len(cs.columns(cn))
	var r *rowResult
	if dst == nil {
		f := &firstResult{}
		dst, r = &f.res, &f.row
	} else {
		*dst = d1.Result{}
	}
	if row {
		if r == nil {
			r = cn.newRow()
		}
		var a arena
		r.startArena(&a)
		width := n
		var raw []any
		if cs.shape.names != nil {
			width = len(cs.shape.names)
			raw = make([]any, n)
		}
		var vals []any
		if width <= len(r.vals) {
			vals = r.vals[:width:width]
		} else {
			vals = make([]any, width)
		}
		dst.Columns = cs.shaped(cs.names)
		r.rows[0] = cs.rowInto(cn, &a, vals, raw)
		dst.Rows = r.rows[:]
		if !cs.readonly {
			for row {
				if row, err = cs.s.Step(); err != nil {
					return nil, cn.sqliteError(ctx, err)
				}
			}
		}
	}
	if err := cs.s.Reset(); err != nil {
		return nil, cn.sqliteError(ctx, err)
	}
	return dst, nil
}

// shaped returns the column names as D1's all() reports them.
func (cs *cstmt) shaped(names []string) []string {
	if cs.shape.names != nil {
		return cs.shape.names
	}
	return names
}

// rowInto reads the current row into dst, collapsing duplicate names through
// raw when the statement has any.
func (cs *cstmt) rowInto(cn *conn, a *arena, dst, raw []any) []any {
	out := dst
	if raw != nil {
		out = raw
	}
	// Columns are read in place (directValue) where they can be, with the
	// row's place looked up once; the rest through the C API.
	if row := cs.resultRow(cn); row != 0 {
		for i := range out {
			v, ok := directValue(a, row, i)
			if !ok {
				v = cs.apiValue(cn, a, i)
			}
			out[i] = v
		}
	} else {
		for i := range out {
			out[i] = cs.apiValue(cn, a, i)
		}
	}
	if raw == nil {
		return dst
	}
	for i, src := range cs.shape.src {
		dst[i] = raw[src]
	}
	return dst
}
