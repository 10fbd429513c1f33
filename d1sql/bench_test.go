package d1sql_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"io"
	"testing"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1sql"
)

// pointQuery is the point read of the benchmarks, on the table pointReadDB
// fills.
const pointQuery = "SELECT name, n FROM kv WHERE id = ?"

// pointReadDB returns a session of a local D1 whose table kv has 1,000 rows,
// and a *sql.DB over that session.
func pointReadDB(b *testing.B) (*d1.Session, *sql.DB) {
	ctx := context.Background()
	client := newClient(b)
	if _, err := client.Run(ctx, "CREATE TABLE kv (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER NOT NULL)"); err != nil {
		b.Fatal(err)
	}
	for i := range 1000 {
		if _, err := client.Run(ctx, "INSERT INTO kv (name, n) VALUES (?, ?)", "name", i); err != nil {
			b.Fatal(err)
		}
	}
	sess := client.WithSession(d1.FirstPrimary)
	return sess, openDB(b, d1sql.SessionConnector(sess))
}

// BenchmarkPointRead compares a point read through database/sql and d1sql
// with the same read through d1.Session.First, in the same session of the
// same local D1.
//
//	go test ./d1sql -run '^$' -bench PointRead -benchtime 20000x -count 3
func BenchmarkPointRead(b *testing.B) {
	ctx := context.Background()
	sess, db := pointReadDB(b)

	b.Run("Session.First", func(b *testing.B) {
		var (
			name string
			n    int64
		)
		i := 0
		for b.Loop() {
			row, err := sess.First(ctx, pointQuery, i%1000+1)
			if err != nil {
				b.Fatal(err)
			}
			if err := row.Scan(&name, &n); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("d1sql.QueryRowContext", func(b *testing.B) {
		var (
			name string
			n    int64
		)
		i := 0
		for b.Loop() {
			if err := db.QueryRowContext(ctx, pointQuery, i%1000+1).Scan(&name, &n); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkPointReadRatio runs the two point reads of [BenchmarkPointRead]
// in alternating blocks and reports the ratio of their fastest blocks'
// times per read, which holds steadier on a busy machine than separate runs
// do. Raw-ratio is the same for the d1 call that d1sql makes (Stmt.Raw),
// without database/sql.
//
//	go test ./d1sql -run '^$' -bench PointReadRatio -benchtime 20x
func BenchmarkPointReadRatio(b *testing.B) {
	ctx := context.Background()
	sess, db := pointReadDB(b)
	const block = 1000
	var (
		name string
		n    int64
	)
	first := func() time.Duration {
		start := time.Now()
		for i := range block {
			row, err := sess.First(ctx, pointQuery, i%1000+1)
			if err != nil {
				b.Fatal(err)
			}
			if err := row.Scan(&name, &n); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
	queryRow := func() time.Duration {
		start := time.Now()
		for i := range block {
			if err := db.QueryRowContext(ctx, pointQuery, i%1000+1).Scan(&name, &n); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
	raw := func() time.Duration {
		start := time.Now()
		for i := range block {
			st, _ := sess.Prepare(pointQuery)
			res, err := st.Raw(ctx, i%1000+1)
			if err != nil {
				b.Fatal(err)
			}
			if err := res.Row(0).Scan(&name, &n); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
	// database/sql's own cost: the same call through a driver that does
	// nothing but hand out one row.
	bareDB := sql.OpenDB(bareConnector{})
	b.Cleanup(func() { bareDB.Close() })
	bare := func() time.Duration {
		start := time.Now()
		for i := range block {
			if err := bareDB.QueryRowContext(ctx, pointQuery, i%1000+1).Scan(&name, &n); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
	bestFirst, bestSQL, bestRaw, bestBare := time.Duration(1<<62), time.Duration(1<<62), time.Duration(1<<62), time.Duration(1<<62)
	for b.Loop() {
		bestFirst = min(bestFirst, first())
		bestSQL = min(bestSQL, queryRow())
		bestRaw = min(bestRaw, raw())
		bestBare = min(bestBare, bare())
	}
	b.ReportMetric(float64(bestRaw)/float64(bestFirst), "Raw-ratio")
	b.ReportMetric(float64(bestBare.Nanoseconds())/block, "database/sql-ns/read")
	// The ratio a driver adding nothing to Session.First would have.
	b.ReportMetric(float64(bestFirst+bestBare)/float64(bestFirst), "floor-ratio")
	b.ReportMetric(float64(bestFirst.Nanoseconds())/block, "First-ns/read")
	b.ReportMetric(float64(bestSQL.Nanoseconds())/block, "d1sql-ns/read")
	b.ReportMetric(float64(bestSQL)/float64(bestFirst), "ratio")
}

// bareConnector is a database/sql driver that does nothing: every query
// returns the row ("name", 7) at once. Through it a benchmark measures what
// database/sql itself costs.
type bareConnector struct{}

func (bareConnector) Connect(context.Context) (driver.Conn, error) { return bareConn{}, nil }
func (bareConnector) Driver() driver.Driver                        { return nil }

type bareConn struct{}

func (bareConn) Prepare(string) (driver.Stmt, error)      { return nil, driver.ErrSkip }
func (bareConn) Close() error                             { return nil }
func (bareConn) Begin() (driver.Tx, error)                { return nil, driver.ErrSkip }
func (bareConn) CheckNamedValue(*driver.NamedValue) error { return nil }
func (bareConn) QueryContext(context.Context, string, []driver.NamedValue) (driver.Rows, error) {
	return &bareRows{}, nil
}

type bareRows struct{ done bool }

func (*bareRows) Columns() []string { return []string{"name", "n"} }
func (*bareRows) Close() error      { return nil }
func (r *bareRows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	dest[0], dest[1] = "name", int64(7)
	return nil
}
