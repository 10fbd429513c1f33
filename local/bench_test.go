package local_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
	"golang.org/x/sys/unix"
	"zombiezen.com/go/sqlite"
)

// The benchmarks compare the local backend, used through the d1 client as an
// application would, with the same work done on a zombiezen connection
// directly ("engine"), in the same run:
//
//	go test ./local -run '^$' -bench . -benchtime 2000x -count 3
//
// Each pair runs on the same database file.

const benchRows = 1000

// benchDB creates a file database with a table of benchRows rows and opens a
// raw engine connection to the same file.
func benchDB(b *testing.B) (*local.DB, *sqlite.Conn) {
	return benchDBOf(b, "file")
}

// benchDBOf is benchDB for kind "file" or "memory". For "memory" the engine
// connection has its own in-memory database, filled the same way.
func benchDBOf(b *testing.B, kind string) (*local.DB, *sqlite.Conn) {
	b.Helper()
	path, enginePath := "", fmt.Sprintf("file:/bench-%p?vfs=memdb", b)
	if kind == "file" {
		path = filepath.Join(b.TempDir(), "bench.sqlite")
		enginePath = path
	}
	db, err := local.Open(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	ctx := context.Background()
	c := d1.New(db)
	if _, err := c.Run(ctx, schema); err != nil {
		b.Fatal(err)
	}
	stmts := make([]*d1.Stmt, 0, benchRows)
	ins, err := c.Prepare("INSERT INTO t (id, name, value) VALUES (?, ?, ?)")
	if err != nil {
		b.Fatal(err)
	}
	for i := 1; i <= benchRows; i++ {
		stmts = append(stmts, ins.Bind(i, fmt.Sprintf("name-%d", i), float64(i)+0.5))
	}
	if _, err := c.Batch(ctx, stmts...); err != nil {
		b.Fatal(err)
	}
	conn, err := sqlite.OpenConn(enginePath, sqlite.OpenReadWrite, sqlite.OpenCreate, sqlite.OpenURI)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	// The same durability as the local backend's writer.
	if err := execRaw(conn, "PRAGMA synchronous = NORMAL"); err != nil {
		b.Fatal(err)
	}
	if kind == "memory" {
		for _, q := range []string{"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value REAL NOT NULL)",
			"CREATE TABLE w (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value REAL NOT NULL)",
			fmt.Sprintf("INSERT INTO t WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d) SELECT i, 'name-' || i, i + 0.5 FROM c", benchRows),
		} {
			if err := execRaw(conn, q); err != nil {
				b.Fatal(err)
			}
		}
	}
	return db, conn
}

const schema = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value REAL NOT NULL); " +
	"CREATE TABLE w (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value REAL NOT NULL)"

const pointQuery = "SELECT id, name, value FROM t WHERE id = ?"

// BenchmarkPointRead: Session.First by primary key against the same
// prepared statement stepped on a zombiezen connection.
func BenchmarkPointRead(b *testing.B) {
	db, conn := benchDB(b)
	ctx := context.Background()
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			enginePointRead(b, conn, i)
		}
	})
	b.Run("local", func(b *testing.B) {
		b.ReportAllocs()
		sess := d1.New(db).WithSession("")
		var sum int64
		for i := 0; b.Loop(); i++ {
			row, err := sess.First(ctx, pointQuery, i%benchRows+1)
			if err != nil {
				b.Fatal(err)
			}
			sum += row.Values[0].(int64)
		}
		_ = sum
	})
}

// BenchmarkAll1000: Session.All of 1,000 rows scanned into structs with
// d1.ScanAll, against stepping the statement on a zombiezen connection and
// filling the same structs.
func BenchmarkAll1000(b *testing.B) {
	db, conn := benchDB(b)
	ctx := context.Background()
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			engineAll(b, conn)
		}
	})
	b.Run("local", func(b *testing.B) {
		b.ReportAllocs()
		sess := d1.New(db).WithSession("")
		for b.Loop() {
			res, err := sess.All(ctx, "SELECT id, name, value FROM t")
			if err != nil {
				b.Fatal(err)
			}
			rows, err := d1.ScanAll[benchRow](res)
			if err != nil || len(rows) != benchRows {
				b.Fatal(err, len(rows))
			}
		}
	})
}

// benchRow is a row of table t as an application would scan it.
type benchRow struct {
	ID    int64
	Name  string
	Value float64
}

// engineAll is the engine's side of the All comparison: every row of t
// stepped and read into a benchRow.
func engineAll(b *testing.B, conn *sqlite.Conn) []benchRow {
	s := conn.Prep("SELECT id, name, value FROM t")
	var rows []benchRow
	for {
		row, err := s.Step()
		if err != nil {
			b.Fatal(err)
		}
		if !row {
			break
		}
		rows = append(rows, benchRow{ID: s.ColumnInt64(0), Name: s.ColumnText(1), Value: s.ColumnFloat(2)})
	}
	if len(rows) != benchRows {
		b.Fatal(len(rows), "rows")
	}
	return rows
}

// BenchmarkBatch10: a Batch of 10 inserts against one engine transaction
// doing the same inserts.
func BenchmarkBatch10(b *testing.B) {
	db, conn := benchDB(b)
	ctx := context.Background()
	const q = batchInsert
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			engineBatch10(b, conn, i)
		}
	})
	b.Run("local", func(b *testing.B) {
		b.ReportAllocs()
		c := d1.New(db)
		ins, err := c.Prepare(q)
		if err != nil {
			b.Fatal(err)
		}
		stmts := make([]*d1.Stmt, 10)
		for i := 0; b.Loop(); i++ {
			for j := range stmts {
				stmts[j] = ins.Bind("local", i*10+j)
			}
			if _, err := c.Batch(ctx, stmts...); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// enginePointRead is the engine's side of the point-read comparison: the
// same prepared statement, bound, stepped once, its columns read.
func enginePointRead(b *testing.B, conn *sqlite.Conn, i int) {
	s := conn.Prep(pointQuery)
	s.BindFloat(1, float64(i%benchRows+1))
	if row, err := s.Step(); err != nil || !row {
		b.Fatal(err, row)
	}
	_, _, _ = s.ColumnInt64(0), s.ColumnText(1), s.ColumnFloat(2)
	if err := s.Reset(); err != nil {
		b.Fatal(err)
	}
}

const batchInsert = "INSERT INTO w (name, value) VALUES (?, ?)"

// engineBatch10 is the engine's side of the batch comparison: ten inserts
// in one transaction.
func engineBatch10(b *testing.B, conn *sqlite.Conn, i int) {
	if err := execRaw(conn, "BEGIN IMMEDIATE"); err != nil {
		b.Fatal(err)
	}
	for j := range 10 {
		s := conn.Prep(batchInsert)
		s.BindText(1, "engine")
		s.BindFloat(2, float64(i*10+j))
		if _, err := s.Step(); err != nil {
			b.Fatal(err)
		}
		if err := s.Reset(); err != nil {
			b.Fatal(err)
		}
	}
	if err := execRaw(conn, "COMMIT"); err != nil {
		b.Fatal(err)
	}
}

func execRaw(conn *sqlite.Conn, q string) error {
	s := conn.Prep(q)
	_, err := s.Step()
	if err != nil {
		return err
	}
	return s.Reset()
}

// BenchmarkRatio runs each comparison interleaved, ten operations on the
// engine then ten on the local backend, and reports the ratio of their
// summed wall times (ratio) and of the CPU time the benchmark's thread used
// (cpu-ratio): load from other processes hits both sides alike, and thread
// CPU time does not count time spent waiting for a CPU. These are the figures
// the package's speed targets are stated in.
//
//	go test ./local -run '^$' -bench Ratio -benchtime 2000x -count 3
func BenchmarkRatio(b *testing.B) {
	for _, kind := range []string{"file", "memory"} {
		b.Run(kind, func(b *testing.B) { benchRatio(b, kind) })
	}
}

func benchRatio(b *testing.B, kind string) {
	db, conn := benchDBOf(b, kind)
	ctx := context.Background()
	sess := d1.New(db).WithSession("")
	rawSess := db.WithSession("")
	client := d1.New(db)
	ins, err := client.Prepare("INSERT INTO w (name, value) VALUES (?, ?)")
	if err != nil {
		b.Fatal(err)
	}
	pairs := []struct {
		name          string
		engine, local func(i int)
	}{
		{"point-read", func(i int) { enginePointRead(b, conn, i) }, func(i int) {
			if _, err := sess.First(ctx, pointQuery, i%benchRows+1); err != nil {
				b.Fatal(err)
			}
		}},
		{"point-read-backend", func(i int) { enginePointRead(b, conn, i) }, func(i int) {
			// The backend alone, without the d1 client above it.
			p, err := rawSess.Prepare(pointQuery).Bind(int64(i%benchRows + 1))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := p.First(ctx); err != nil {
				b.Fatal(err)
			}
		}},
		{"all-1000", func(int) { engineAll(b, conn) }, func(int) {
			res, err := sess.All(ctx, "SELECT id, name, value FROM t")
			if err != nil {
				b.Fatal(err)
			}
			rows, err := d1.ScanAll[benchRow](res)
			if err != nil || len(rows) != benchRows {
				b.Fatal(err, len(rows))
			}
		}},
		{"batch-10", func(i int) { engineBatch10(b, conn, i) }, func(i int) {
			stmts := make([]*d1.Stmt, 10)
			for j := range stmts {
				stmts[j] = ins.Bind("local", i*10+j)
			}
			if _, err := client.Batch(ctx, stmts...); err != nil {
				b.Fatal(err)
			}
		}},
	}
	for _, p := range pairs {
		b.Run(p.name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var we, wl, ce, cl time.Duration
			const block = 10
			for i := 0; b.Loop(); i++ {
				w0, c0 := time.Now(), threadCPU()
				for j := range block {
					p.engine(i*block + j)
				}
				w1, c1 := time.Now(), threadCPU()
				for j := range block {
					p.local(i*block + j)
				}
				w2, c2 := time.Now(), threadCPU()
				we, wl = we+w1.Sub(w0), wl+w2.Sub(w1)
				ce, cl = ce+c1-c0, cl+c2-c1
			}
			n := float64(b.N * block)
			b.ReportMetric(float64(we.Nanoseconds())/n, "engine-ns/op")
			b.ReportMetric(float64(wl.Nanoseconds())/n, "local-ns/op")
			b.ReportMetric(float64(wl)/float64(we), "ratio")
			b.ReportMetric(float64(cl)/float64(ce), "cpu-ratio")
		})
	}
}

// threadCPU returns the CPU time the calling thread has used: unlike wall
// time it does not grow while other processes hold the CPU.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
