package local_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
)

// TestReaderPoolWaits runs many more readers than the pool holds: each must
// wait for a connection and get one, a waiter whose context ends must give
// up, and Close must wait for the readers still running.
func TestReaderPoolWaits(t *testing.T) {
	for _, readers := range []int{1, 2} {
		db, err := local.Open(filepath.Join(t.TempDir(), "d1.sqlite"), &local.Options{Readers: readers})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		c := d1.New(db)
		if _, err := c.Run(ctx, "CREATE TABLE t (n)"); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for g := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 100 {
					if _, err := c.First(ctx, "SELECT ? + ?", g, i); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := c.First(cancelled, "SELECT 1"); !errors.Is(err, context.Canceled) {
			t.Errorf("readers=%d: a cancelled query: %v, want context.Canceled", readers, err)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("readers=%d: %v", readers, err)
		}
		// Close while reads still run: they finish or see ErrClosed.
		var running sync.WaitGroup
		for range 8 {
			running.Add(1)
			go func() {
				defer running.Done()
				for {
					if _, err := c.First(ctx, "SELECT 1"); err != nil {
						if !errors.Is(err, local.ErrClosed) {
							t.Errorf("readers=%d: after Close: %v, want ErrClosed", readers, err)
						}
						return
					}
				}
			}()
		}
		if err := db.Close(); err != nil {
			t.Errorf("readers=%d: Close: %v", readers, err)
		}
		running.Wait()
	}
}
