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

func openBench(b *testing.B) *local.DB {
	b.StopTimer()
	defer b.StartTimer()
	db, err := local.Open("", nil)
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkRun200 applies 200 migrations to a fresh in-memory database.
func BenchmarkRun200(b *testing.B) {
	ms := oneTableMigrations(200)
	b.ReportAllocs()
	for b.Loop() {
		db := openBench(b)
		r, err := migrate.New(db, ms)
		if err != nil {
			b.Fatal(err)
		}
		res, err := r.Run(ctx)
		if err != nil || len(res.Applied) != 200 {
			b.Fatal(len(res.Applied), err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

// BenchmarkNothing200 runs the same 200 statements with no runner and no
// tracking, one call each: the baseline BenchmarkRun200 is compared to.
func BenchmarkNothing200(b *testing.B) {
	ms := oneTableMigrations(200)
	b.ReportAllocs()
	for b.Loop() {
		db := openBench(b)
		c := d1.New(db)
		for _, m := range ms {
			if _, err := c.Run(ctx, m.SQL); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
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
