package local

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lunora-go/d1"
)

// DefaultBusyTimeout is how long a connection waits for a lock held by
// another connection (another process on the same file, or the writer of an
// in-memory database) before failing with SQLITE_BUSY.
const DefaultBusyTimeout = 5 * time.Second

// Options configures a [DB]. The zero value gives the defaults.
type Options struct {
	// Readers is the most reader connections the DB opens, on demand. Zero
	// means max(4, GOMAXPROCS).
	Readers int

	// BusyTimeout is how long a statement waits for a lock; zero means
	// [DefaultBusyTimeout].
	BusyTimeout time.Duration

	// Replicas is the number of simulated read replicas (see "Read
	// replicas" in the package documentation). Zero means none: every
	// query reads the primary, as in workerd's local D1. An in-memory
	// database with replicas lives in a temporary file, removed by Close,
	// because replicas need WAL mode.
	Replicas int

	// ReplicaLag is how long a replica serves one state of the primary
	// before it catches up. With ReplicaLagMax above it, each state serves
	// for a random time between the two.
	ReplicaLag, ReplicaLagMax time.Duration

	// ManualReplication stops replicas from catching up by themselves: they
	// move only when [DB.AdvanceReplicas] or [DB.AdvanceReplica] is called.
	// It makes tests of stale reads deterministic.
	ManualReplication bool
}

func (o *Options) busyTimeout() time.Duration {
	if o.BusyTimeout > 0 {
		return o.BusyTimeout
	}
	return DefaultBusyTimeout
}

// DB is an embedded D1 database: SQLite with D1's limits, authorizer, error
// texts, result meta and bookmarks. It implements [d1.Database] and is safe
// for concurrent use.
//
// Statements that write run on a single writer connection, each in its own
// transaction, as D1 runs every query in an implicit transaction; statements
// that only read run on a pool of reader connections (WAL mode for files).
type DB struct {
	uri  string
	file bool
	opts Options
	lay  *layout

	wsem   chan struct{} // the writer lock
	writer *conn
	tx     wtx // the write transaction of writeTx; guarded by the writer lock

	// gate keeps readers and the writer of an in-memory database apart.
	// Its memdb VFS has no WAL: while a write transaction is open it refuses
	// new readers with SQLITE_BUSY, and a commit waits for the readers to
	// finish. Readers and the writer wait for each other in the gate
	// instead, where the wait can be cancelled. nil for files.
	gate *gate

	rmu        sync.Mutex // guards idle and nReaders
	idle       []*conn    // reader connections not in use
	nReaders   int        // reader connections opened
	maxReaders int
	avail      chan struct{} // signalled when a reader is returned

	closing chan struct{}
	closed  atomic.Bool

	counter atomic.Uint64 // bookmark counter of the newest commit: epoch<<32 | sequence
	started atomic.Bool   // this handle advanced its epoch (and _cf_METADATA exists)
	// epoch and seq make the counter; guarded by the writer lock.
	epoch, seq   uint32
	pagesChecked bool         // lay.directPages was decided; guarded by the writer lock
	lastRowID    atomic.Int64 // the writer's last insert rowid
	size         atomic.Int64 // page_count * page_size after the last write
	pageSize     int64

	plans planCache

	pmu       sync.Mutex
	pragmas   []pragmaSetting // connection settings to apply to readers
	pragmaVer atomic.Uint64

	replicas *replicaSet // nil without replicas
	tmpDir   string      // holds an in-memory database with replicas
}

var _ d1.Database = (*DB)(nil)

// Open opens the database at path, creating it (and its parent directory)
// if needed. A path of "" or ":memory:" gives a private in-memory database
// that lives until Close. opts may be nil.
//
// A file database uses WAL mode, so readers do not wait for the writer, and
// may be opened by several processes at once. Each handle orders its own
// bookmarks (see the package documentation).
func Open(path string, opts *Options) (_ *DB, err error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.ReplicaLag < 0 || o.ReplicaLagMax < 0 {
		return nil, fmt.Errorf("local: open %q: negative replica lag", path)
	}
	lay, err := newLayout()
	if err != nil {
		return nil, err
	}
	db := &DB{opts: o, lay: lay, wsem: make(chan struct{}, 1), closing: make(chan struct{})}
	if o.Replicas > 0 && (path == "" || path == ":memory:") {
		if path, err = tempPath(); err != nil {
			return nil, err
		}
		db.tmpDir = filepath.Dir(path)
		defer func() {
			if err != nil {
				os.RemoveAll(db.tmpDir)
			}
		}()
	}
	if path == "" || path == ":memory:" {
		var b [12]byte
		rand.Read(b[:])
		db.uri = "file:/lunora-d1-" + hex.EncodeToString(b[:]) + "?vfs=memdb"
	} else {
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, fmt.Errorf("local: open %q: %w", path, err)
		}
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			return nil, fmt.Errorf("local: open %q: %w", path, err)
		}
		db.uri = (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
		db.file = true
	}
	db.maxReaders = o.Readers
	if db.maxReaders <= 0 {
		db.maxReaders = max(4, runtime.GOMAXPROCS(0))
	}
	db.avail = make(chan struct{}, 1)
	if !db.file {
		db.gate = newGate()
	}
	db.plans.m = make(map[string]*plan)

	w, err := openConn(db.uri, lay, &db.opts, true, db.file)
	if err != nil {
		return nil, err
	}
	db.writer = w
	lay.directRows = w.checkDirectRows()
	if err := db.initMetadata(); err != nil {
		w.close()
		return nil, fmt.Errorf("local: open %q: %w", path, err)
	}
	if err := db.openReplicas(); err != nil {
		db.Close()
		return nil, fmt.Errorf("local: open %q: %w", path, err)
	}
	return db, nil
}

// Bookmarks and _cf_METADATA
//
// workerd's local D1 creates its metadata table _cf_METADATA after the first
// query that succeeds on a database and keeps its local bookmark in the row
// with key 2. The local backend does the same, so that a fresh database
// reports the sizes and last_row_id D1 reports, and keeps there the epoch of
// its bookmarks: a handle advances the epoch once, in the transaction of its
// first successful query, and then counts its commits in memory. A commit
// costs no extra write.
//
// A bookmark is the pair (epoch, sequence) as one uint64, epoch in the high
// 32 bits: it grows strictly with each commit of a handle, and a reopened
// handle's bookmarks sort after every bookmark an earlier handle gave.

// createMetadata creates D1's metadata table as workerd does.
const createMetadata = "CREATE TABLE IF NOT EXISTS _cf_METADATA (\n        key INTEGER PRIMARY KEY,\n        value BLOB\n      )"

// epochSQL advances the bookmark epoch kept in _cf_METADATA.
const epochSQL = "INSERT INTO _cf_METADATA (key, value) VALUES (2, 1) ON CONFLICT (key) DO UPDATE SET value = CASE WHEN typeof(value) = 'integer' AND value > 0 THEN value + 1 ELSE 1 END RETURNING value"

func (db *DB) initMetadata() error {
	w := db.writer
	ps, err := w.queryInt("PRAGMA page_size")
	if err != nil {
		return err
	}
	db.pageSize = ps
	if err := w.exec("BEGIN IMMEDIATE"); err != nil {
		return err
	}
	db.checkPages()
	pc, err := w.usedPages()
	if err != nil {
		w.exec("ROLLBACK")
		return err
	}
	if err := w.exec("COMMIT"); err != nil {
		return err
	}
	db.size.Store(max(pc, 1) * ps)
	return nil
}

// checkPages decides, inside a transaction on the writer, whether the pages
// in use may be read from the b-tree directly. An empty database has no page
// to look at yet; it is checked again once it has.
func (db *DB) checkPages() {
	if db.pagesChecked {
		return
	}
	w := db.writer
	want, err := w.usedPagesSQL()
	if err != nil || want == 0 {
		return
	}
	got, ok := w.pagesInUse()
	db.lay.directPages = ok && got == want
	db.pagesChecked = true
}

// commitSeq returns the bookmark counter of the writer's newest commit (its
// epoch in the high 32 bits, the commit's sequence in the low 32 bits). It
// is an atomic load, cheap under the writer lock or without it.
func (db *DB) commitSeq() uint64 { return db.counter.Load() }

// Close closes the database. It waits for running queries to finish;
// queries after Close return [ErrClosed]. Closing an in-memory database
// discards it.
func (db *DB) Close() error {
	if !db.closed.CompareAndSwap(false, true) {
		return nil
	}
	close(db.closing)
	db.wsem <- struct{}{} // held forever: no write runs after this
	var errs []error
	// Wait for every reader to be returned, then close them all.
	for {
		db.rmu.Lock()
		if len(db.idle) == db.nReaders {
			idle := db.idle
			db.idle, db.nReaders = nil, db.maxReaders+1 // no more readers are opened
			db.rmu.Unlock()
			for _, cn := range idle {
				if cn.view != nil {
					db.unpark(cn)
				}
				if err := cn.close(); err != nil {
					errs = append(errs, err)
				}
			}
			break
		}
		db.rmu.Unlock()
		<-db.avail
	}
	errs = append(errs, db.closeReplicas())
	if err := db.writer.close(); err != nil {
		errs = append(errs, err)
	}
	if db.tmpDir != "" {
		errs = append(errs, os.RemoveAll(db.tmpDir))
	}
	return errors.Join(errs...)
}

// getReader takes a reader connection from the pool, opening one if the
// pool is below its size.
func (db *DB) getReader(ctx context.Context) (*conn, error) {
	for {
		db.rmu.Lock()
		if n := len(db.idle); n > 0 {
			cn := db.idle[n-1]
			db.idle = db.idle[:n-1]
			more := n > 1
			db.rmu.Unlock()
			if more {
				db.signal() // pass the wake-up on: another reader is idle
			}
			return db.checkReader(cn)
		}
		if db.nReaders < db.maxReaders {
			db.nReaders++
			db.rmu.Unlock()
			cn, err := openConn(db.uri, db.lay, &db.opts, false, db.file)
			if err != nil {
				db.rmu.Lock()
				db.nReaders--
				db.rmu.Unlock()
				db.signal()
				return nil, err
			}
			return db.checkReader(cn)
		}
		db.rmu.Unlock()
		select {
		case <-db.avail:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-db.closing:
			return nil, ErrClosed
		}
	}
}

func (db *DB) checkReader(cn *conn) (*conn, error) {
	if db.closed.Load() {
		db.putReader(cn)
		return nil, ErrClosed
	}
	if v := db.pragmaVer.Load(); cn.pragmaVer != v {
		if cn.view != nil {
			db.unpark(cn) // some settings apply only outside a transaction
		}
		db.applyPragmas(cn, v)
	}
	return cn, nil
}

// putReader returns a reader connection to the pool.
func (db *DB) putReader(cn *conn) {
	cn.forgetError()
	db.rmu.Lock()
	db.idle = append(db.idle, cn)
	db.rmu.Unlock()
	db.signal()
}

// signal wakes one goroutine waiting for a reader, if any.
func (db *DB) signal() {
	select {
	case db.avail <- struct{}{}:
	default:
	}
}

// lockWriter takes the writer connection.
func (db *DB) lockWriter(ctx context.Context) (*conn, error) {
	select {
	case db.wsem <- struct{}{}:
	default:
		select {
		case db.wsem <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-db.closing:
			return nil, ErrClosed
		}
	}
	if db.closed.Load() {
		<-db.wsem
		return nil, ErrClosed
	}
	return db.writer, nil
}

func (db *DB) unlockWriter() { <-db.wsem }

// setPragma records a connection setting made on the writer so that every
// reader applies it too: D1 runs all queries on one connection.
func (db *DB) setPragma(p *pragmaSetting) {
	if !connPragmas[p.name] {
		return
	}
	db.pmu.Lock()
	defer db.pmu.Unlock()
	for i := range db.pragmas {
		if db.pragmas[i].name == p.name {
			db.pragmas[i].value = p.value
			db.pragmaVer.Add(1)
			return
		}
	}
	db.pragmas = append(db.pragmas, *p)
	db.pragmaVer.Add(1)
}

func (db *DB) applyPragmas(cn *conn, v uint64) {
	db.pmu.Lock()
	ps := append([]pragmaSetting(nil), db.pragmas...)
	db.pmu.Unlock()
	for _, p := range ps {
		cn.exec("PRAGMA " + p.name + " = " + p.value)
	}
	cn.pragmaVer = v
}

// plan is what the DB knows about one SQL text, shared by all connections.
type plan struct {
	sql   string
	blank bool         // D1 finds no statement: "No SQL statements detected."
	route atomic.Int32 // routeUnknown, routeRead or routeWrite
}

const (
	routeUnknown = iota
	routeRead
	routeWrite
)

// maxPlans bounds the plan cache; past it the cache starts over.
const maxPlans = 4096

type planCache struct {
	mu sync.RWMutex
	m  map[string]*plan
}

func (db *DB) plan(query string) *plan {
	c := &db.plans
	c.mu.RLock()
	p := c.m[query]
	c.mu.RUnlock()
	if p != nil {
		return p
	}
	p = &plan{sql: query, blank: isBlankQuery(query)}
	if firstWord(query) == "PRAGMA" {
		// A PRAGMA can change the connection while it is being prepared:
		// prepare it only on the writer, inside a transaction, as D1 does.
		p.route.Store(routeWrite)
	}
	c.mu.Lock()
	if q := c.m[query]; q != nil {
		p = q
	} else {
		if len(c.m) >= maxPlans {
			clear(c.m)
		}
		c.m[query] = p
	}
	c.mu.Unlock()
	return p
}
