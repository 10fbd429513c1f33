package local_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
)

func TestConcurrentReadsAndWrites(t *testing.T) {
	for _, kind := range []string{"memory", "file"} {
		t.Run(kind, func(t *testing.T) {
			var db *local.DB
			if kind == "memory" {
				db = open(t)
			} else {
				db = openFile(t, filepath.Join(t.TempDir(), "d1.sqlite"))
			}
			run(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, w INTEGER, n INTEGER)")
			const writers, readers, perWriter = 4, 4, 25
			ctx := context.Background()
			errs := make(chan error, writers+readers)
			var wg sync.WaitGroup
			for w := range writers {
				wg.Go(func() {
					// Each writer reads its own writes through a session.
					s := db.WithSession("")
					ins := s.Prepare("INSERT INTO t (w, n) VALUES (?, ?)")
					cnt := s.Prepare("SELECT count(*) FROM t WHERE w = ?")
					last := ""
					for i := range perWriter {
						p, _ := ins.Bind(int64(w), int64(i))
						if _, err := p.Run(ctx); err != nil {
							errs <- err
							return
						}
						q, _ := cnt.Bind(int64(w))
						res, err := q.First(ctx)
						if err != nil {
							errs <- err
							return
						}
						if got := res.Rows[0][0]; got != int64(i+1) {
							errs <- fmt.Errorf("writer %d sees %v of its rows, want %d", w, got, i+1)
							return
						}
						b, _ := s.Bookmark()
						if b < last {
							errs <- fmt.Errorf("writer %d: bookmark went back from %s to %s", w, last, b)
							return
						}
						last = b
					}
				})
			}
			for range readers {
				wg.Go(func() {
					prev := int64(-1)
					for range 50 {
						res, err := db.Prepare("SELECT count(*), coalesce(sum(n), 0) FROM t").Raw(ctx)
						if err != nil {
							errs <- err
							return
						}
						n := res.Rows[0][0].(int64)
						if n < prev {
							errs <- fmt.Errorf("row count went back from %d to %d", prev, n)
							return
						}
						prev = n
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if got := run(t, db, "SELECT count(*) FROM t").Rows[0][0]; got != int64(writers*perWriter) {
				t.Errorf("%v rows, want %d", got, writers*perWriter)
			}
		})
	}
}

func TestTwoHandlesOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d1.sqlite")
	a := openFile(t, path)
	b := openFile(t, path)
	run(t, a, "CREATE TABLE t (h TEXT, n INTEGER)")
	ctx := context.Background()
	const per = 40
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for name, db := range map[string]*local.DB{"a": a, "b": b} {
		wg.Go(func() {
			ins := db.Prepare("INSERT INTO t VALUES (?, ?)")
			for i := range per {
				p, _ := ins.Bind(name, int64(i))
				if _, err := p.Run(ctx); err != nil {
					errs <- fmt.Errorf("%s: %w", name, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, db := range []*local.DB{a, b} {
		if got := run(t, db, "SELECT count(*) FROM t").Rows[0][0]; got != int64(2*per) {
			t.Errorf("%v rows, want %d", got, 2*per)
		}
	}
}

// endless counts forever.
const endless = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c"

func TestCancelRead(t *testing.T) {
	db := open(t)
	for _, deadline := range []time.Duration{0, 20 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		_, err := db.Prepare(endless).All(ctx)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("deadline %v: %v, want context.DeadlineExceeded", deadline, err)
		}
	}
	// Deadlines that may pass at any point: before the statement is
	// prepared, while it is, or while it runs.
	for i := range 200 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i%50)*time.Microsecond)
		_, err := db.Prepare(endless).All(ctx)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("deadline %dµs: %v", i%50, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.Prepare("SELECT 1").First(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	// Every connection works afterwards.
	for range 8 {
		run(t, db, "SELECT 1")
	}
}

func TestCancelWrite(t *testing.T) {
	db := open(t)
	run(t, db, "CREATE TABLE t (n)")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := db.Prepare("INSERT INTO t " + endless).Run(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if got := run(t, db, "SELECT count(*) FROM t").Rows[0][0]; got != int64(0) {
		t.Errorf("%v rows left by a cancelled insert", got)
	}
	run(t, db, "INSERT INTO t VALUES (1)")
}

func TestCancelWaitingForWriter(t *testing.T) {
	db := open(t)
	run(t, db, "CREATE TABLE t (n)")
	long, stopLong := context.WithCancel(context.Background())
	done := make(chan error, 1)
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		_, err := db.Prepare("INSERT INTO t " + endless).Run(long)
		done <- err
	}()
	defer func() {
		stopLong()
		<-exited
	}()
	// Until the long insert holds the writer, short writes get through;
	// once it does, they wait until their deadline.
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		_, err := db.Prepare("INSERT INTO t VALUES (1)").Run(ctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			break
		}
		if err != nil {
			t.Fatalf("short insert: %v", err)
		}
		select {
		case err := <-done:
			t.Fatalf("long insert ended: %v", err)
		default:
		}
	}
	stopLong()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("long insert: %v, want context.Canceled", err)
	}
	run(t, db, "INSERT INTO t VALUES (2)")
}

func TestCloseWhileQuerying(t *testing.T) {
	db, err := local.Open("", nil)
	if err != nil {
		t.Fatal(err)
	}
	run(t, db, "CREATE TABLE t (n)")
	ctx := context.Background()
	started := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			q := "SELECT count(*) FROM t"
			if i%2 == 0 {
				q = "INSERT INTO t VALUES (1)"
			}
			for j := 0; ; j++ {
				_, err := db.Prepare(q).Run(ctx)
				if j == 0 {
					started <- struct{}{}
				}
				if errors.Is(err, local.ErrClosed) {
					return
				}
				if err != nil {
					t.Errorf("%s: %v", q, err)
					return
				}
			}
		})
	}
	for range 8 {
		<-started
	}
	if err := db.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	wg.Wait()
	var _ d1.Database = db
}
