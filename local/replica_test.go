package local_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1test"
	"github.com/lunora-go/d1/local"
)

// openReplicated opens an in-memory database with the given replica options.
func openReplicated(t testing.TB, o local.Options) *local.DB {
	t.Helper()
	db, err := local.Open("", &o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	return db
}

// served returns where meta says a query ran.
func served(m d1.Meta) string {
	if m.ServedByPrimary == nil {
		return "?" + m.ServedByRegion
	}
	if *m.ServedByPrimary {
		return "primary " + m.ServedByRegion
	}
	return "replica " + m.ServedByRegion
}

// TestReplicaBugClass shows the bug replicas exist to reveal: a handler
// writes, and the next request reads in a new session. Without the
// bookmark it reads a lagging replica and misses the write; with the
// bookmark it always sees it.
func TestReplicaBugClass(t *testing.T) {
	db := openReplicated(t, local.Options{Replicas: 2, ManualReplication: true})
	ctx := context.Background()
	c := d1.New(db)
	if _, err := c.Run(ctx, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"); err != nil {
		t.Fatal(err)
	}
	if err := db.AdvanceReplicas(ctx); err != nil {
		t.Fatal(err)
	}

	// Request 1 writes in its session and hands back the bookmark.
	write := func(body string) string {
		s := c.WithSession("")
		res, err := s.Run(ctx, "INSERT INTO notes (body) VALUES (?)", body)
		if err != nil {
			t.Fatal(err)
		}
		if got := served(res.Meta); got != "primary WEUR" {
			t.Errorf("write served by %s, want the primary", got)
		}
		b, ok := s.Bookmark()
		if !ok {
			t.Fatal("no bookmark after a write")
		}
		return b
	}
	count := func(s *d1.Session) (int64, d1.Meta) {
		t.Helper()
		res, err := s.All(ctx, "SELECT count(*) AS n FROM notes")
		if err != nil {
			t.Fatal(err)
		}
		return res.Rows[0][0].(int64), res.Meta
	}
	b := write("hello")

	// Request 2 forgets the bookmark: every replica serves it stale data.
	for i := range 4 {
		n, m := count(c.WithSession(""))
		if n != 0 {
			t.Errorf("read %d without the bookmark saw %d notes; a lagging replica has none", i, n)
		}
		if m.ServedByPrimary == nil || *m.ServedByPrimary || m.ServedByRegion == "WEUR" {
			t.Errorf("read %d served by %s, want a replica", i, served(m))
		}
	}
	// With the bookmark it sees its write: no replica has it, so the primary
	// serves.
	for i := range 4 {
		n, m := count(c.WithSession(b))
		if n != 1 {
			t.Errorf("read %d with the bookmark saw %d notes, want 1", i, n)
		}
		if got := served(m); got != "primary WEUR" {
			t.Errorf("read %d with the bookmark served by %s, want the primary", i, got)
		}
	}
	// Once one replica catches up, reads with the bookmark use it, and
	// reads without it see whichever state their replica has.
	if err := db.AdvanceReplica(ctx, 1); err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"replica ENAM": 0, "replica APAC": 1}
	for i := range 8 {
		bm := b
		if i%2 == 1 {
			bm = ""
		}
		n, m := count(c.WithSession(bm))
		w, ok := want[served(m)]
		if !ok {
			t.Errorf("read with bookmark %q served by %s, want a replica", bm, served(m))
		} else if n != w {
			t.Errorf("read with bookmark %q: %s served %d notes, want %d", bm, served(m), n, w)
		}
		if bm != "" && n != 1 {
			t.Errorf("read with the bookmark saw %d notes, want 1", n)
		}
	}
}

// TestReplicaSurvivesCheckpoints writes far more than the WAL's automatic
// checkpoint threshold while a replica lags: the replica keeps its old state
// (the checkpoint stops at its snapshot), then catches up.
func TestReplicaSurvivesCheckpoints(t *testing.T) {
	db := openReplicated(t, local.Options{Replicas: 1, ManualReplication: true})
	ctx := context.Background()
	c := d1.New(db)
	if _, err := c.Run(ctx, "CREATE TABLE big (b BLOB)"); err != nil {
		t.Fatal(err)
	}
	if err := db.AdvanceReplicas(ctx); err != nil {
		t.Fatal(err)
	}
	blob := make([]byte, 100_000)
	const writes = 60 // about 1,500 pages, past the 1,000-page checkpoint
	for range writes {
		if _, err := c.Run(ctx, "INSERT INTO big VALUES (?)", blob); err != nil {
			t.Fatal(err)
		}
	}
	count := func() int64 {
		row, err := c.WithSession("").First(ctx, "SELECT count(*) FROM big")
		if err != nil {
			t.Fatal(err)
		}
		return row.Values[0].(int64)
	}
	if n := count(); n != 0 {
		t.Errorf("lagging replica shows %d rows, want 0", n)
	}
	if err := db.AdvanceReplicas(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != writes {
		t.Errorf("caught-up replica shows %d rows, want %d", n, writes)
	}
}

// TestReplicaSessionRules checks routing: the database itself and
// first-primary sessions read the primary, a lagging replica lacks new
// tables, and a session never goes back in time.
func TestReplicaSessionRules(t *testing.T) {
	db := openReplicated(t, local.Options{Replicas: 2, ManualReplication: true})
	ctx := context.Background()
	c := d1.New(db)
	if _, err := c.Run(ctx, "CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}

	// Replicas opened before the table existed do not have it.
	_, err := c.WithSession(d1.FirstUnconstrained).All(ctx, "SELECT * FROM t")
	if e, ok := d1test.AsError(err); !ok || e.Message != "no such table: t" {
		t.Fatalf("reading a new table from a lagging replica: %v, want no such table", err)
	}
	// The database itself and first-primary read the primary.
	res, err := c.All(ctx, "SELECT count(*) FROM t")
	if err != nil {
		t.Fatal(err)
	}
	if got := served(res.Meta); got != "primary WEUR" {
		t.Errorf("database query served by %s", got)
	}
	sp := c.WithSession(d1.FirstPrimary)
	res, err = sp.All(ctx, "SELECT count(*) FROM t")
	if err != nil {
		t.Fatal(err)
	}
	if got := served(res.Meta); got != "primary WEUR" {
		t.Errorf("first-primary query served by %s", got)
	}
	// Its next queries need the table, so lagging replicas cannot serve.
	for range 4 {
		res, err = sp.All(ctx, "SELECT count(*) FROM t")
		if err != nil {
			t.Fatalf("a session went back in time: %v", err)
		}
		if got := served(res.Meta); got != "primary WEUR" {
			t.Errorf("next query served by %s", got)
		}
	}

	// A session that read a newer replica never reads the older one.
	if err := db.AdvanceReplica(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(ctx, "INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	if err := db.AdvanceReplica(ctx, 1); err != nil {
		t.Fatal(err)
	}
	// Replica 0 has the table and no rows; replica 1 has the row.
	for i := range 6 {
		s := c.WithSession("")
		var counts []int64
		for range 4 {
			res, err := s.All(ctx, "SELECT count(*) FROM t")
			if err != nil {
				t.Fatal(err)
			}
			counts = append(counts, res.Rows[0][0].(int64))
		}
		for j := 1; j < len(counts); j++ {
			if counts[j] < counts[j-1] {
				t.Errorf("session %d went back: %v", i, counts)
			}
		}
	}

	if err := db.AdvanceReplica(ctx, 2); !errors.Is(err, local.ErrNoReplica) {
		t.Errorf("AdvanceReplica(2) of 2 = %v, want ErrNoReplica", err)
	}
}

// TestReplicaBatchIsAtomic checks that a replica never shows half a batch
// and that bookmarks of batches give read-your-writes.
func TestReplicaBatchIsAtomic(t *testing.T) {
	db := openReplicated(t, local.Options{Replicas: 1, ManualReplication: true})
	ctx := context.Background()
	c := d1.New(db)
	if _, err := c.Run(ctx, "CREATE TABLE a (x); CREATE TABLE b (x)"); err != nil {
		t.Fatal(err)
	}
	if err := db.AdvanceReplicas(ctx); err != nil {
		t.Fatal(err)
	}
	insA, _ := c.Prepare("INSERT INTO a VALUES (1)")
	insB, _ := c.Prepare("INSERT INTO b VALUES (1)")
	s := c.WithSession("")
	if _, err := s.Batch(ctx, insA, insB); err != nil {
		t.Fatal(err)
	}
	bm, _ := s.Bookmark()
	const q = "SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b)"
	row, err := c.WithSession("").First(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if row.Values[0] != int64(0) || row.Values[1] != int64(0) {
		t.Errorf("lagging replica shows %v, want nothing of the batch", row.Values)
	}
	if err := db.AdvanceReplicas(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := c.WithSession(bm).All(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Rows[0]; got[0] != int64(1) || got[1] != int64(1) {
		t.Errorf("caught-up replica shows %v, want the whole batch", got)
	}
	if got := served(res.Meta); got != "replica ENAM" {
		t.Errorf("served by %s, want the caught-up replica", got)
	}
}

// TestReplicaBookmarkUnreadable checks the choice for a bookmark the local
// backend cannot read: it is kept, as workerd keeps it, and the first query
// goes to the primary, the only place sure to be new enough.
func TestReplicaBookmarkUnreadable(t *testing.T) {
	db := openReplicated(t, local.Options{Replicas: 1, ManualReplication: true})
	ctx := context.Background()
	c := d1.New(db)
	if _, err := c.Run(ctx, "CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	s := c.WithSession("not-a-bookmark")
	res, err := s.All(ctx, "SELECT count(*) FROM t")
	if err != nil {
		t.Fatal(err)
	}
	if got := served(res.Meta); got != "primary WEUR" {
		t.Errorf("served by %s, want the primary", got)
	}
	if b, _ := s.Bookmark(); b != "not-a-bookmark" {
		t.Errorf("bookmark = %q, want the one given (it sorts last)", b)
	}
}

// TestReplicaLag checks lag mode: a replica catches up by itself once its
// lag has passed, and not before.
func TestReplicaLag(t *testing.T) {
	const lag = 50 * time.Millisecond
	db := openReplicated(t, local.Options{Replicas: 1, ReplicaLag: lag})
	ctx := context.Background()
	c := d1.New(db)
	created := time.Now()
	if _, err := c.Run(ctx, "CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	// Wait until the replica has the table.
	start := time.Now()
	for {
		_, err := c.WithSession("").All(ctx, "SELECT * FROM t")
		if err == nil {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("the replica never caught up: %v", err)
		}
		runtime.Gosched()
	}
	if _, err := c.Run(ctx, "INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	wrote := time.Now()
	for {
		res, err := c.WithSession("").All(ctx, "SELECT count(*) FROM t")
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows[0][0] == int64(1) {
			break
		}
		if time.Since(wrote) > lag+5*time.Second {
			t.Fatal("the replica never caught up")
		}
		runtime.Gosched()
	}
	// The view that first had the table was taken after the CREATE; the
	// one with the row only after that view had served for the lag.
	if d := time.Since(created); d < lag {
		t.Errorf("the replica caught up %v after the table was created; lag is %v", d, lag)
	}
}

// TestReplicaRandomized runs many goroutines with sessions against replicas
// with random lag while writers commit, records every read, and checks
// that no session sees a state older than its bookmark (monotonic reads,
// read-your-writes, and bookmarks carried across sessions) and that no
// read sees half a batch.
func TestReplicaRandomized(t *testing.T) {
	db := openReplicated(t, local.Options{Replicas: 3, ReplicaLag: 0, ReplicaLagMax: 3 * time.Millisecond})
	ctx := context.Background()
	c := d1.New(db)
	if _, err := c.Run(ctx, "CREATE TABLE c (id INTEGER PRIMARY KEY, n INTEGER); CREATE TABLE log (n INTEGER); INSERT INTO c VALUES (1, 0)"); err != nil {
		t.Fatal(err)
	}
	if err := db.AdvanceReplicas(ctx); err != nil {
		t.Fatal(err)
	}
	const (
		workers  = 12
		sessions = 100 // per worker
		ops      = 12  // per session, at most
	)
	var (
		reads, writes, stale, onReplica atomic.Int64
		newest                          atomic.Int64 // newest n committed
		handoff                         = make(chan [2]any, workers)
	)
	type handed = [2]any // bookmark, floor
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			fail := func(format string, args ...any) {
				select {
				case errs <- fmt.Errorf("worker %d: "+format, append([]any{w}, args...)...):
				default:
				}
			}
			for range sessions {
				var s *d1.Session
				floor := int64(-1) // the oldest n the session may see
				switch rng.IntN(4) {
				case 0:
					s = c.WithSession(d1.FirstPrimary)
				case 1:
					select {
					case h := <-handoff:
						s, floor = c.WithSession(h[0].(string)), h[1].(int64)
					default:
						s = c.WithSession("")
					}
				default:
					s = c.WithSession("")
				}
				var trace []string // what the session did, for a failure's message
				note := func(format string, args ...any) {
					b, _ := s.Bookmark()
					trace = append(trace, fmt.Sprintf(format, args...)+" → "+b)
				}
				if floor >= 0 {
					note("opened at floor %d", floor)
				}
				for range 1 + rng.IntN(ops) {
					if rng.IntN(4) == 0 {
						up, _ := c.Prepare("UPDATE c SET n = n + 1 WHERE id = 1 RETURNING n")
						ins, _ := c.Prepare("INSERT INTO log (n) SELECT n FROM c WHERE id = 1")
						res, err := s.Batch(ctx, up, ins)
						if err != nil {
							fail("write: %v", err)
							return
						}
						n := res[0].Rows[0][0].(int64)
						newest.Store(max(newest.Load(), n))
						floor = max(floor, n)
						writes.Add(1)
						note("wrote %d", n)
						continue
					}
					before := newest.Load()
					res, err := s.All(ctx, "SELECT n, (SELECT count(*) FROM log) AS logged FROM c WHERE id = 1")
					if err != nil {
						fail("read: %v", err)
						return
					}
					n, logged := res.Rows[0][0].(int64), res.Rows[0][1].(int64)
					reads.Add(1)
					if n != logged {
						fail("half a batch: n = %d, log has %d", n, logged)
						return
					}
					if n < floor {
						fail("read n = %d after the session saw %d (served by %s); session: %q", n, floor, served(res.Meta), trace)
						return
					}
					note("read %d from %s", n, served(res.Meta))
					floor = n
					if n < before {
						stale.Add(1)
					}
					if !*res.Meta.ServedByPrimary {
						onReplica.Add(1)
					}
				}
				if b, ok := s.Bookmark(); ok && floor >= 0 {
					select {
					case handoff <- handed{b, floor}:
					default:
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("checked %d reads and %d writes in %d sessions: %d reads served by replicas, %d stale (older than the newest commit when the read began)",
		reads.Load(), writes.Load(), workers*sessions, onReplica.Load(), stale.Load())
	if onReplica.Load() == 0 || stale.Load() == 0 {
		t.Errorf("replicas served %d reads, %d stale: the test did not exercise lag", onReplica.Load(), stale.Load())
	}
}

// TestConformanceReplicas runs the conformance suite with two replicas
// with random lag: sessions must still read their own writes.
func TestConformanceReplicas(t *testing.T) {
	for _, kind := range []string{"memory", "file"} {
		t.Run(kind, func(t *testing.T) {
			path := ""
			if kind == "file" {
				path = filepath.Join(t.TempDir(), "d1.sqlite")
			}
			db, err := local.Open(path, &local.Options{Replicas: 2, ReplicaLag: time.Millisecond, ReplicaLagMax: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			d1test.Run(t, d1test.Backend{Open: func(testing.TB) d1.Database { return db }})
		})
	}
}

// TestReplicaCloseWhileQuerying closes a database with replicas while
// sessions read and write: queries then fail with ErrClosed and nothing
// hangs.
func TestReplicaCloseWhileQuerying(t *testing.T) {
	db, err := local.Open("", &local.Options{Replicas: 2, ReplicaLagMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c := d1.New(db)
	if _, err := c.Run(ctx, "CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				s := c.WithSession("")
				var err error
				if g == 0 {
					_, err = s.Run(ctx, "INSERT INTO t VALUES (?)", i)
				} else {
					_, err = s.All(ctx, "SELECT count(*) FROM t")
				}
				if i == 10 {
					started <- struct{}{}
				}
				if err != nil {
					if !errors.Is(err, local.ErrClosed) {
						if e, ok := d1test.AsError(err); !ok || e.Message != "no such table: t" {
							t.Errorf("goroutine %d: %v", g, err)
						}
						continue
					}
					return
				}
			}
		}()
	}
	for range 4 {
		<-started
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
}

// TestReplicaWriteToNewTable: a session's first query may go to a replica
// that lags a new table; when that query is a write it must reach the
// primary, as D1 forwards writes, instead of failing with no such table.
func TestReplicaWriteToNewTable(t *testing.T) {
	db := openReplicated(t, local.Options{Replicas: 2, ManualReplication: true})
	ctx := context.Background()
	c := d1.New(db)
	if _, err := c.Run(ctx, "CREATE TABLE old (x)"); err != nil {
		t.Fatal(err)
	}
	if err := db.AdvanceReplicas(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(ctx, "CREATE TABLE fresh (x)"); err != nil {
		t.Fatal(err)
	}
	// The replicas lack the new table: a read there says so, as on D1.
	if _, err := c.WithSession("").All(ctx, "SELECT * FROM fresh"); err == nil {
		t.Fatal("a lagging replica served a table created after its snapshot")
	}
	for i := range 10 {
		s := c.WithSession(d1.FirstUnconstrained)
		if _, err := s.Run(ctx, "INSERT INTO fresh (x) VALUES (?)", i); err != nil {
			t.Fatalf("insert %d through a new session: %v", i, err)
		}
		if _, err := s.Run(ctx, "WITH v(x) AS (SELECT ?) INSERT INTO fresh SELECT x FROM v", i); err != nil {
			t.Fatalf("WITH ... INSERT %d through a new session: %v", i, err)
		}
	}
	row, err := c.First(ctx, "SELECT count(*) FROM fresh")
	if err != nil {
		t.Fatal(err)
	}
	if got := row.Values[0]; got != int64(20) {
		t.Errorf("count = %v, want 20", got)
	}
}

// TestOpenFailureLeavesNothing: an in-memory database with replicas lives
// in a temporary directory, which a failed Open must not leave behind.
func TestOpenFailureLeavesNothing(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for _, opts := range []*local.Options{
		{Replicas: 1, ReplicaLag: -time.Millisecond},
		{Replicas: 2, ReplicaLagMax: -time.Millisecond},
	} {
		if db, err := local.Open(":memory:", opts); err == nil {
			db.Close()
			t.Errorf("Open with %+v succeeded, want an error for the negative lag", *opts)
		}
	}
	db, err := local.Open(":memory:", &local.Options{Replicas: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("%d entries left in the temporary directory, want none", len(left))
	}
}
