package schema_test

import (
	"context"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
	"github.com/lunora-go/d1/schema"
)

// BenchmarkProvisionNoop measures what every start of a provisioned program
// pays: reading sqlite_master and the columns of its three tables, and
// finding nothing to do.
func BenchmarkProvisionNoop(b *testing.B) {
	ctx := context.Background()
	client := d1.New(openLocal(b, ""))
	tables := steps()[len(steps())-1].schema.Tables
	if _, err := schema.Provision(ctx, client, tables); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if changes, err := schema.Provision(ctx, client, tables); err != nil || len(changes) != 0 {
			b.Fatal(changes, err)
		}
	}
}

// BenchmarkProvisionFresh measures provisioning the three tables and their
// indexes on an empty in-memory database.
func BenchmarkProvisionFresh(b *testing.B) {
	ctx := context.Background()
	tables := steps()[len(steps())-1].schema.Tables
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		db, err := local.Open("", nil)
		if err != nil {
			b.Fatal(err)
		}
		client := d1.New(db)
		b.StartTimer()
		if _, err := schema.Provision(ctx, client, tables); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

func BenchmarkDiff(b *testing.B) {
	st := steps()
	old, new := st[1].schema, st[len(st)-1].schema
	b.ReportAllocs()
	for b.Loop() {
		if _, err := schema.Diff(old, new); err != nil {
			b.Fatal(err)
		}
	}
}
