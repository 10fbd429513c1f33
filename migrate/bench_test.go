package migrate_test

import (
	"fmt"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
	"github.com/lunora-go/d1/migrate"
)

// oneTableMigrations returns n migrations of one table each, as in the
// wrangler measurement in D1-FACTS.md.
func oneTableMigrations(n int) []migrate.Migration {
	ms := make([]migrate.Migration, n)
	for i := range ms {
		ms[i] = migrate.Migration{
			Version: int64(i + 1),
			Name:    fmt.Sprintf("table_%04d", i+1),
			SQL:     fmt.Sprintf("CREATE TABLE t%04d (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER);\n", i+1),
		}
	}
	return ms
}

// benchBackends are the fresh databases benchmarks apply migrations to:
// local in memory, and workerd's local D1 through the bridge (one HTTP round
// trip a call).
var benchBackends = []struct {
	name string
	open func(b *testing.B) (d1.Database, func())
}{
	{"local", func(b *testing.B) (d1.Database, func()) {
		db, err := local.Open("", nil)
		if err != nil {
			b.Fatal(err)
		}
		return db, func() { db.Close() }
	}},
	{"workerd", func(b *testing.B) (d1.Database, func()) { return workerd.Open(b), func() {} }},
}

// eachBenchBackend runs f on each backend, with a fresh database, opened
// off the clock, for each iteration.
func eachBenchBackend(b *testing.B, f func(b *testing.B, db d1.Database)) {
	for _, be := range benchBackends {
		b.Run(be.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				db, done := be.open(b)
				b.StartTimer()
				f(b, db)
				b.StopTimer()
				done()
				b.StartTimer()
			}
		})
	}
}

// BenchmarkRun200 applies 200 migrations to a fresh database.
func BenchmarkRun200(b *testing.B) {
	ms := oneTableMigrations(200)
	eachBenchBackend(b, func(b *testing.B, db d1.Database) {
		r, err := migrate.New(db, ms)
		if err != nil {
			b.Fatal(err)
		}
		res, err := r.Run(ctx)
		if err != nil || len(res.Applied) != 200 {
			b.Fatal(len(res.Applied), err)
		}
	})
}

// BenchmarkNothing200 runs the same 200 statements with no runner and no
// tracking, one call each: the baseline BenchmarkRun200 is compared to.
func BenchmarkNothing200(b *testing.B) {
	ms := oneTableMigrations(200)
	eachBenchBackend(b, func(b *testing.B, db d1.Database) {
		c := d1.New(db)
		for _, m := range ms {
			if _, err := c.Run(ctx, m.SQL); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkNoOp200 runs again over 200 applied migrations: two reads.
func BenchmarkNoOp200(b *testing.B) {
	ms := oneTableMigrations(200)
	db, err := local.Open("", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	r, err := migrate.New(db, ms)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := r.Run(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := r.Run(ctx)
		if err != nil || len(res.Skipped) != 200 {
			b.Fatal(err)
		}
	}
}

// BenchmarkNew200 checks 200 migrations: lexing, hashing, sorting.
func BenchmarkNew200(b *testing.B) {
	ms := oneTableMigrations(200)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := migrate.NewWithClient(d1.New(nopDB), ms); err != nil {
			b.Fatal(err)
		}
	}
}
