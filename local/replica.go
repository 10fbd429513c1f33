package local

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/internal/sqlscan"
	lib "modernc.org/sqlite/lib"
	"zombiezen.com/go/sqlite"
)

// Simulated read replicas
//
// A replica is a consistent, older state of the primary: a read transaction
// opened at a commit of the writer and held open. Its position is the
// writer's commit sequence at that moment, read under the writer lock, so no
// commit slips in between and the position names exactly the commits the
// replica shows. Every batch is one transaction, so a replica never shows
// half of one.
//
// A replica's state is a WAL snapshot (sqlite3_snapshot_get): a dedicated
// "pin" connection holds the read transaction open, and the pool's reader
// connections open the same snapshot (sqlite3_snapshot_open) to run a query,
// so a replica serves reads in parallel. While the pin is held, no checkpoint
// copies frames past the snapshot and the WAL is not restarted: the WAL grows
// until every replica has advanced past its frames. In manual mode a replica
// that is never advanced keeps the WAL growing for the life of the DB.
//
// Advancing a replica takes a new snapshot at the current commit and drops
// the old one once no read uses it.

// primaryRegion is served_by_region of the primary.
const primaryRegion = "WEUR"

// replicaRegion names replica i after a D1 region other than the primary's.
func replicaRegion(i int) string {
	switch i % 5 {
	case 0:
		return "ENAM"
	case 1:
		return "APAC"
	case 2:
		return "WNAM"
	case 3:
		return "EEUR"
	default:
		return "OC"
	}
}

// replicaSet is the DB's replicas.
type replicaSet struct {
	db             *DB
	reps           []*replica
	next           atomic.Uint32 // round robin over replicas
	manual         bool
	lagMin, lagMax time.Duration

	pmu  sync.Mutex
	pins []*conn // idle pin connections
}

// replica is one simulated read replica.
type replica struct {
	set    *replicaSet
	region string

	mu    sync.Mutex
	cur   *view        // the state the replica serves
	until atomic.Int64 // lag mode: cur serves reads until then (a monotonic time, ns)
}

// view is one state of a replica: a snapshot and the pin that keeps it.
type view struct {
	pos  uint64  // commit sequence (bookmark counter) of the snapshot
	snap uintptr // sqlite3_snapshot*
	pin  *conn
	refs int // guarded by the replica's mu; the current view holds one

	r      *replica
	pinMu  sync.Mutex  // guards the pin when reads run on it
	broken atomic.Bool // the snapshot can no longer be opened elsewhere
	stale  atomic.Bool // the replica serves a newer view
}

// openReplicas creates the replicas of db, each at the current commit.
func (db *DB) openReplicas() error {
	o := &db.opts
	if o.Replicas <= 0 {
		return nil
	}
	rs := &replicaSet{db: db, manual: o.ManualReplication, lagMin: o.ReplicaLag, lagMax: max(o.ReplicaLag, o.ReplicaLagMax)}
	for i := range o.Replicas {
		rs.reps = append(rs.reps, &replica{set: rs, region: replicaRegion(i)})
	}
	db.replicas = rs
	for _, r := range rs.reps {
		if err := r.advance(context.Background(), true); err != nil {
			return err // Open's Close closes the replicas
		}
	}
	return nil
}

// close drops every replica's view and closes the pins. No read may be
// running.
func (rs *replicaSet) close() error {
	for _, r := range rs.reps {
		r.mu.Lock()
		v := r.cur
		r.cur = nil
		r.mu.Unlock()
		if v != nil {
			v.stale.Store(true)
			r.release(v)
		}
	}
	rs.pmu.Lock()
	pins := rs.pins
	rs.pins = nil
	rs.pmu.Unlock()
	var errs []error
	for _, cn := range pins {
		if err := cn.close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// lag returns how long a new view may serve reads before the replica
// advances.
func (rs *replicaSet) lag() time.Duration {
	if rs.lagMax > rs.lagMin {
		return rs.lagMin + rand.N(rs.lagMax-rs.lagMin+1)
	}
	return rs.lagMin
}

// ErrNoReplica is returned by [DB.AdvanceReplica] for a replica the DB does
// not have.
var ErrNoReplica = errors.New("local: no such replica")

// AdvanceReplicas brings every replica to the primary's newest commit. It is
// how a test moves replicas in [Options.ManualReplication] mode; it works in
// lag mode too. It waits for a running write to commit.
func (db *DB) AdvanceReplicas(ctx context.Context) error {
	if db.replicas == nil {
		return nil
	}
	for i := range db.replicas.reps {
		if err := db.AdvanceReplica(ctx, i); err != nil {
			return err
		}
	}
	return nil
}

// AdvanceReplica brings replica i (0 ≤ i < [Options.Replicas]) to the
// primary's newest commit.
func (db *DB) AdvanceReplica(ctx context.Context, i int) error {
	if db.closed.Load() {
		return ErrClosed
	}
	if db.replicas == nil || i < 0 || i >= len(db.replicas.reps) {
		return fmt.Errorf("%w: %d", ErrNoReplica, i)
	}
	return db.replicas.reps[i].advance(ctx, true)
}

// advance moves r to the current commit. With wait false it gives up, doing
// nothing, when the writer is busy.
func (r *replica) advance(ctx context.Context, wait bool) error {
	rs := r.set
	db := rs.db
	if wait {
		if _, err := db.lockWriter(ctx); err != nil {
			return err
		}
	} else {
		select {
		case db.wsem <- struct{}{}:
		default:
			return nil
		}
		if db.closed.Load() {
			db.unlockWriter()
			return ErrClosed
		}
	}
	// Under the writer lock the snapshot and pos agree, and Close, which
	// takes the lock, waits for the new view to be in place.
	defer db.unlockWriter()
	pos := db.commitSeq()
	r.mu.Lock()
	if r.cur != nil && r.cur.pos == pos {
		r.extend()
		r.mu.Unlock()
		return nil
	}
	r.mu.Unlock()
	pin, err := rs.getPin()
	if err != nil {
		return err
	}
	snap, err := pin.takeSnapshot()
	if err != nil {
		rs.putPin(pin)
		return fmt.Errorf("local: replica snapshot: %w", err)
	}
	v := &view{pos: pos, snap: snap, pin: pin, refs: 1, r: r}
	v.broken.Store(snap == 0)
	r.mu.Lock()
	old := r.cur
	r.cur = v
	r.extend()
	r.mu.Unlock()
	if old != nil {
		old.stale.Store(true)
		db.unparkIdle(old)
		r.release(old)
	}
	return nil
}

// extend lets r's current view serve reads for another lag.
func (r *replica) extend() { r.until.Store(int64(monotonic() + r.set.lag())) }

// refresh advances r, without waiting for the writer, when its view has
// served for its lag. A view that is still the newest commit just serves on.
func (r *replica) refresh(ctx context.Context) {
	if int64(monotonic()) < r.until.Load() {
		return
	}
	r.mu.Lock()
	cur := r.cur
	r.mu.Unlock()
	if cur == nil {
		return
	}
	if cur.pos == r.set.db.commitSeq() {
		r.extend()
		return
	}
	r.advance(ctx, false)
}

// acquire returns r's current view, held until release.
func (r *replica) acquire() *view {
	r.mu.Lock()
	v := r.cur
	if v != nil {
		v.refs++
	}
	r.mu.Unlock()
	return v
}

// release lets go of v; the last release ends its read transaction.
func (r *replica) release(v *view) {
	r.mu.Lock()
	v.refs--
	last := v.refs == 0
	r.mu.Unlock()
	if !last {
		return
	}
	if v.snap != 0 {
		lib.Xsqlite3_snapshot_free(v.pin.tls, v.snap)
	}
	v.pin.endRead()
	r.set.putPin(v.pin)
}

// pick returns a replica whose state is at least min, with its view held,
// or nil when none is: the query then goes to the primary. Replicas are
// tried round robin; in lag mode one whose view has served its lag advances
// first.
func (rs *replicaSet) pick(ctx context.Context, min uint64) (*replica, *view) {
	n := uint32(len(rs.reps))
	start := rs.next.Add(1)
	for k := range n {
		r := rs.reps[(start+k)%n]
		if !rs.manual {
			r.refresh(ctx)
		}
		if v := r.acquire(); v != nil {
			if v.pos >= min {
				return r, v
			}
			r.release(v)
		}
	}
	return nil, nil
}

func (rs *replicaSet) getPin() (*conn, error) {
	rs.pmu.Lock()
	if n := len(rs.pins); n > 0 {
		cn := rs.pins[n-1]
		rs.pins = rs.pins[:n-1]
		rs.pmu.Unlock()
		return cn, nil
	}
	rs.pmu.Unlock()
	db := rs.db
	return openConn(db.uri, db.lay, &db.opts, false, db.file)
}

func (rs *replicaSet) putPin(cn *conn) {
	rs.pmu.Lock()
	rs.pins = append(rs.pins, cn)
	rs.pmu.Unlock()
}

// takeSnapshot opens a read transaction on cn and returns its snapshot. The
// transaction stays open until endRead.
func (cn *conn) takeSnapshot() (uintptr, error) {
	if err := cn.exec("BEGIN"); err != nil {
		return 0, err
	}
	// Reading starts the read transaction.
	if err := cn.exec(warmSQL); err != nil {
		cn.endRead()
		return 0, err
	}
	out := cn.cbuf + 8
	*(*uintptr)(cptr(out)) = 0
	switch rc := lib.Xsqlite3_snapshot_get(cn.tls, cn.db, cn.cbuf, out); rc {
	case lib.SQLITE_OK:
	case lib.SQLITE_ERROR:
		// SQLite has no snapshot of a WAL without frames (a new or
		// reopened database): the pin alone serves this state.
		return 0, nil
	default:
		cn.endRead()
		return 0, sqlite.ResultCode(rc).ToError()
	}
	return *(*uintptr)(cptr(out)), nil
}

// openSnapshot begins a read transaction on cn at snap.
func (cn *conn) openSnapshot(snap uintptr) error {
	for try := 0; ; try++ {
		if err := cn.exec("BEGIN"); err != nil {
			return err
		}
		rc := lib.Xsqlite3_snapshot_open(cn.tls, cn.db, cn.cbuf, snap)
		if rc == lib.SQLITE_OK {
			return nil
		}
		cn.endRead()
		if rc != lib.SQLITE_ERROR || try > 0 {
			return sqlite.ResultCode(rc).ToError()
		}
		// A connection that has not read yet has not opened the WAL, and
		// SQLite opens no snapshot then: read once, and try again.
		if err := cn.exec(warmSQL); err != nil {
			return err
		}
	}
}

// warmSQL is an internal read that starts a read transaction.
const warmSQL = "SELECT 1 FROM sqlite_schema LIMIT 1"

// endRead ends cn's transaction, if one is open.
func (cn *conn) endRead() {
	if !cn.c.AutocommitEnabled() {
		if cn.exec("COMMIT") != nil {
			cn.exec("ROLLBACK")
		}
	}
}

// readSession runs a read of a session on a replica new enough for it, or
// on the primary when none is (at once, rather than waiting for a replica
// to catch up). again reports that the query writes and must run on the
// writer.
//
// A reader connection that opened a view's snapshot keeps it open after
// the query ("parks" in the view), and a session's read on that connection
// prefers that replica, so that consecutive reads at one view start at
// once. A connection lets go when it serves another state or the primary,
// or when its view is superseded (see unpark).
func (db *DB) readSession(ctx context.Context, s *stmt, m mode) (res *d1.Result, again bool, err error) {
	min, primary := s.sess.minSeq()
	rs := db.replicas
	cn, err := db.getReader(ctx)
	if err != nil {
		return nil, false, err
	}
	if primary {
		return db.readPrimary(ctx, cn, s, m)
	}
	// The view the connection is parked in serves when it is new enough,
	// kept by the connection's own hold; else a replica is picked, and r
	// holds its view.
	var r *replica
	v := cn.view
	if v != nil && v.pos >= min && !v.stale.Load() && !rs.manual {
		v.r.refresh(ctx)
	}
	if v == nil || v.pos < min || v.stale.Load() {
		if r, v = rs.pick(ctx, min); r == nil {
			return db.readPrimary(ctx, cn, s, m)
		}
	}
	res, again, err = db.readReplica(ctx, cn, s, m, v)
	if !again && err == nil {
		s.sess.observe(v.pos)
	}
	if r != nil {
		r.release(v)
	}
	return res, again || staleFailure(ctx, s.plan.sql, err), err
}

// staleFailure reports whether a query that failed on a replica should run
// again on the primary. A replica that lags a schema change fails to prepare
// a statement that names a new table or column, before anyone can know
// whether the statement writes; D1 sends writes to the primary, so a write
// must not fail that way. A query that only reads keeps the replica's answer,
// stale as it may be, as on D1. The primary is never older than a replica,
// so retrying there keeps every session constraint.
func staleFailure(ctx context.Context, query string, err error) bool {
	return err != nil && ctx.Err() == nil && mayWrite(query)
}

// mayWrite reports whether query holds a word that starts or makes a write,
// erring on the side of true.
func mayWrite(query string) bool {
	var sc sqlscan.Scanner
	sc.Init(query, nil, 0)
	for {
		_, tok, lit := sc.Scan()
		switch tok {
		case sqlscan.EOF:
			return false
		case sqlscan.Illegal:
			return true
		case sqlscan.Ident:
			for _, kw := range writeWords {
				if sqlscan.Keyword(lit, kw) {
					return true
				}
			}
		}
	}
}

var writeWords = []string{"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "PRAGMA", "REINDEX", "ANALYZE", "VACUUM"}

// readPrimary runs a session's read s on cn, which it returns to the pool,
// at the primary's newest commit. The read transaction begins under the
// writer lock, so the commit sequence the session records is exactly the
// state the read saw: the writer publishes its sequence only after COMMIT,
// so a sequence loaded after an unlocked read may be one short of what the
// read saw, and a later read on a replica could then go back in time.
func (db *DB) readPrimary(ctx context.Context, cn *conn, s *stmt, m mode) (res *d1.Result, again bool, err error) {
	defer db.putReader(cn)
	if cn.view != nil {
		db.unpark(cn)
	}
	if _, err := db.lockWriter(ctx); err != nil {
		return nil, false, err
	}
	pos := db.commitSeq()
	err = cn.exec("BEGIN")
	if err == nil {
		err = cn.exec(warmSQL)
	}
	db.unlockWriter()
	if err != nil {
		cn.endRead()
		return nil, false, err
	}
	res, again, unsure, err := db.readAt(ctx, cn, s, m, primaryRegion)
	cn.endRead()
	if unsure {
		again = !db.readsNow(ctx, cn, s.plan)
	}
	if !again && err == nil {
		s.sess.observe(pos)
	}
	return res, again, err
}

// readReplica runs s at view v, which the caller holds, on cn, which it
// returns to the pool. again reports that s must run on the primary.
func (db *DB) readReplica(ctx context.Context, cn *conn, s *stmt, m mode, v *view) (res *d1.Result, again bool, err error) {
	if !v.broken.Load() && cn.view != v {
		if cn.view != nil {
			db.unpark(cn)
		}
		err = cn.openSnapshot(v.snap)
		switch {
		case err == nil:
			v.r.mu.Lock()
			v.refs++
			v.r.mu.Unlock()
			cn.view = v
		case sqlite.ErrCode(err) == sqlite.ResultErrorSnapshot:
			// The WAL was restarted under a snapshot taken while it was
			// fully checkpointed: only the pin still sees this state.
			v.broken.Store(true)
		default:
			db.putReader(cn)
			return nil, false, err
		}
	}
	if cn.view == v {
		res, again, err = db.readParked(ctx, cn, s, m, v)
		db.putReader(cn)
		return res, again, err
	}
	db.putReader(cn)
	v.pinMu.Lock()
	if p := db.pragmaVer.Load(); v.pin.pragmaVer != p {
		db.applyPragmas(v.pin, p)
	}
	res, again, unsure, err := db.readAt(ctx, v.pin, s, m, v.r.region)
	v.pinMu.Unlock()
	if unsure {
		cn, rerr := db.getReader(ctx)
		if rerr != nil {
			return nil, false, rerr
		}
		if cn.view != nil {
			db.unpark(cn)
		}
		again = !db.readsNow(ctx, cn, s.plan)
		db.putReader(cn)
	}
	return res, again, err
}

// readParked runs s on cn, parked in v.
func (db *DB) readParked(ctx context.Context, cn *conn, s *stmt, m mode, v *view) (res *d1.Result, again bool, err error) {
	res, again, unsure, err := db.readAt(ctx, cn, s, m, v.r.region)
	if unsure || err != nil || v.stale.Load() {
		db.unpark(cn)
	}
	if unsure {
		again = !db.readsNow(ctx, cn, s.plan)
	}
	return res, again, err
}

// unpark ends the read transaction cn holds open at a replica's view.
func (db *DB) unpark(cn *conn) {
	v := cn.view
	cn.view = nil
	cn.endRead()
	v.r.release(v)
}

// unparkIdle makes the idle reader connections parked in v let go of it,
// so that a superseded view does not hold back checkpoints. Connections in
// use let go when they are done (they see v.stale).
func (db *DB) unparkIdle(v *view) {
	var took []*conn
	db.rmu.Lock()
	keep := db.idle[:0]
	for _, cn := range db.idle {
		if cn.view == v {
			took = append(took, cn)
		} else {
			keep = append(keep, cn)
		}
	}
	clear(db.idle[len(keep):])
	db.idle = keep
	db.rmu.Unlock()
	for _, cn := range took {
		db.unpark(cn)
		db.putReader(cn)
	}
}

// readAt runs s on cn, which is in a read transaction at a replica's view
// (or, for region primaryRegion, at a commit of the primary). unsure
// reports that s failed to prepare there and that it is not yet known
// whether s only reads.
func (db *DB) readAt(ctx context.Context, cn *conn, s *stmt, m mode, region string) (res *d1.Result, again, unsure bool, err error) {
	cn.watch(ctx)
	defer cn.unwatch()
	cs, multi, err := cn.prepareCached(ctx, s.plan)
	if err != nil {
		return nil, false, s.plan.route.Load() == routeUnknown && ctx.Err() == nil, err
	}
	if multi || !cs.readonly || cs.writer {
		s.plan.route.Store(routeWrite)
		return nil, true, false, nil
	}
	if s.plan.route.Load() != routeRead {
		s.plan.route.Store(routeRead)
	}
	var start time.Duration
	if m <= modeRun {
		start = monotonic()
	}
	res, err = cn.collectInto(ctx, cs, s.args, m, nil)
	if err == nil && m <= modeRun {
		res.Meta = d1.Meta{
			ServedBy:        servedBy,
			Duration:        msSince(start),
			LastRowID:       db.lastRowID.Load(),
			SizeAfter:       db.size.Load(),
			ServedByRegion:  region,
			ServedByPrimary: new(bool),
		}
		*res.Meta.ServedByPrimary = region == primaryRegion
		res.Meta.RowsRead, _ = cs.rowCounts(0, 0)
	}
	return res, false, false, err
}

// readsNow reports whether p's statement only reads, by preparing it on cn
// outside any snapshot, against the newest schema. When it does, an error
// preparing it on a replica is what a lagging replica answers (no such
// table, say); when it does not, the statement runs on the primary.
func (db *DB) readsNow(ctx context.Context, cn *conn, p *plan) bool {
	cs, multi, err := cn.prepareCached(ctx, p)
	if err != nil || multi || !cs.readonly || cs.writer {
		return false
	}
	p.route.Store(routeRead)
	return true
}

// minSeq returns the oldest state the session's next query may see, or
// primary when the query must go to the primary: the first query of a
// first-primary session, and the first query of a session opened with a
// bookmark the local backend cannot read (which may name any state, so only
// the primary is sure to be new enough).
func (s *session) minSeq() (seq uint64, primary bool) {
	n := s.newest.Load()
	if n > 0 {
		seq = n - 1
	} else if s.primary {
		return 0, true
	}
	if s.given != "" {
		g, ok := bookmarkSeq(s.given)
		if !ok {
			return seq, n == 0
		}
		seq = max(seq, g)
	}
	return seq, false
}

// bookmarkSeq reads the commit counter of a bookmark in the local form (see
// formatBookmark): its first two fields.
func bookmarkSeq(b string) (uint64, bool) {
	if len(b) != 8+1+8+1+8+1+32 || b[8] != '-' || b[17] != '-' || b[26] != '-' {
		return 0, false
	}
	hi, err := strconv.ParseUint(b[:8], 16, 32)
	if err != nil {
		return 0, false
	}
	lo, err := strconv.ParseUint(b[9:17], 16, 32)
	if err != nil {
		return 0, false
	}
	return hi<<32 | lo, true
}

// markPrimary sets the meta of results served by the primary when the DB
// has replicas; without replicas meta stays as workerd's local D1 gives it.
func (db *DB) markPrimary(results ...*d1.Result) {
	if db.replicas == nil {
		return
	}
	for _, r := range results {
		if r == nil || r.Meta.ServedBy == "" {
			continue
		}
		t := true
		r.Meta.ServedByPrimary = &t
		r.Meta.ServedByRegion = primaryRegion
	}
}

// tempPath creates a private directory for an in-memory database with
// replicas and returns the database's path in it.
func tempPath() (string, error) {
	dir, err := os.MkdirTemp("", "lunora-d1-")
	if err != nil {
		return "", fmt.Errorf("local: open: %w", err)
	}
	return filepath.Join(dir, "memory.sqlite"), nil
}

// closeReplicas drops the replicas; Close calls it once no read runs.
func (db *DB) closeReplicas() error {
	if db.replicas == nil {
		return nil
	}
	return db.replicas.close()
}
