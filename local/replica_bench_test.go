package local_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
)

// BenchmarkReplicaReads compares the read throughput of sessions (a new
// session for each read, as for each request of a web application) on a
// database with two replicas against the primary alone, while one goroutine
// writes without pause. Both run on a file of benchRows rows, in the same
// run:
//
//	go test ./local -run '^$' -bench ReplicaReads -benchtime 20000x -count 3
func BenchmarkReplicaReads(b *testing.B) {
	const writeEvery = 250 * time.Microsecond
	for _, bc := range []struct {
		name string
		opts local.Options
	}{
		{"primary", local.Options{}},
		{"replicas=2", local.Options{Replicas: 2, ReplicaLag: time.Millisecond, ReplicaLagMax: 5 * time.Millisecond}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			db, err := local.Open(filepath.Join(b.TempDir(), "bench.sqlite"), &bc.opts)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			c := d1.New(db)
			if _, err := c.Run(ctx, schema); err != nil {
				b.Fatal(err)
			}
			ins, _ := c.Prepare("INSERT INTO t (id, name, value) VALUES (?, ?, ?)")
			stmts := make([]*d1.Stmt, 0, benchRows)
			for i := 1; i <= benchRows; i++ {
				stmts = append(stmts, ins.Bind(i, fmt.Sprintf("name-%d", i), float64(i)+0.5))
			}
			if _, err := c.Batch(ctx, stmts...); err != nil {
				b.Fatal(err)
			}
			if err := db.AdvanceReplicas(ctx); err != nil {
				b.Fatal(err)
			}

			// The writer commits at a fixed pace, so that both runs read under
			// the same write load.
			stop, done := make(chan struct{}), make(chan int)
			go func() {
				upd := db.Prepare("UPDATE t SET value = value + 1 WHERE id = ?")
				tick := time.NewTicker(writeEvery)
				defer tick.Stop()
				n := 0
				for {
					select {
					case <-stop:
						done <- n
						return
					case <-tick.C:
					}
					ps, _ := upd.Bind(int64(n%benchRows + 1))
					if _, err := ps.Run(ctx); err != nil {
						b.Error(err)
					}
					n++
				}
			}()
			start := time.Now()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					ps, _ := db.WithSession("").Prepare(pointQuery).Bind(int64(i%benchRows + 1))
					res, err := ps.First(ctx)
					if err != nil || len(res.Rows) != 1 {
						b.Error(err)
						return
					}
					i++
				}
			})
			b.StopTimer()
			elapsed := time.Since(start)
			close(stop)
			b.ReportMetric(float64(<-done)/elapsed.Seconds(), "writes/s")
		})
	}
}
