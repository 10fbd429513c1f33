package d1

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestHooksOrderAndCall(t *testing.T) {
	var trace []string
	var seen []*Call
	mark := func(name string) Hook {
		return func(next Handler) Handler {
			return func(ctx context.Context, call *Call) error {
				trace = append(trace, name+" before")
				err := next(ctx, call)
				trace = append(trace, name+" after")
				seen = append(seen, call)
				return err
			}
		}
	}
	c := NewWithOptions(&fakeDB{}, Options{Hooks: []Hook{mark("outer"), mark("inner")}})
	ctx := context.Background()
	if _, err := c.All(ctx, "SELECT ?", 5); err != nil {
		t.Fatal(err)
	}
	if want := []string{"outer before", "inner before", "inner after", "outer after"}; !slices.Equal(trace, want) {
		t.Errorf("trace = %q, want %q", trace, want)
	}
	call := seen[0]
	if call.Op != OpAll || len(call.Statements) != 1 || call.Statements[0].SQL != "SELECT ?" ||
		call.Statements[0].Args[0] != int64(5) || len(call.Results) != 1 || call.Attempt != 1 {
		t.Errorf("call = %+v", call)
	}
	// Sessions share the client's hooks; batches are one call.
	seen = nil
	s := c.WithSession("")
	st, _ := s.Prepare("INSERT INTO t VALUES (?)")
	if _, err := s.Batch(ctx, st.Bind(1), st.Bind(2)); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0].Op != OpBatch || len(seen[0].Statements) != 2 || len(seen[0].Results) != 2 {
		t.Errorf("batch call = %+v", seen)
	}
	if _, err := s.First(ctx, "SELECT 1"); err != nil || seen[len(seen)-1].Op != OpFirst {
		t.Errorf("First: %v", err)
	}
}

func TestSlogHook(t *testing.T) {
	for _, logArgs := range []bool{false, true} {
		var buf bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		db := &fakeDB{failures: 1, failErr: ParseError("D1_ERROR: no such table: t: SQLITE_ERROR")}
		c := NewWithOptions(db, Options{Hooks: []Hook{SlogHook(logger, SlogOptions{LogArgs: logArgs})}})
		ctx := context.Background()
		_, err := c.Run(ctx, "SELECT * FROM t WHERE secret = ?", "hunter2")
		if err == nil {
			t.Fatal("want the injected error")
		}
		if _, err := c.Run(ctx, "SELECT * FROM t WHERE secret = ?", "hunter2"); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, want := range []string{"level=ERROR", "no such table", "level=INFO", "rows_read=1", "rows_written=2", `sql="SELECT * FROM t WHERE secret = ?"`, "duration="} {
			if !strings.Contains(out, want) {
				t.Errorf("log lacks %q:\n%s", want, out)
			}
		}
		if got := strings.Contains(out, "hunter2"); got != logArgs {
			t.Errorf("LogArgs=%v, but bound value logged = %v:\n%s", logArgs, got, out)
		}
	}
}

var transient = ParseError("D1_ERROR: Network connection lost.")

func TestRetry(t *testing.T) {
	policy := &RetryPolicy{MaxAttempts: 3, BaseDelay: time.Microsecond, MaxDelay: time.Millisecond}
	tests := []struct {
		name       string
		failures   int
		failErr    error
		sql        string
		idempotent bool
		wantErr    bool
		wantCalls  int
	}{
		{"read retried", 2, transient, "SELECT 1", false, false, 3},
		{"read gives up", 5, transient, "SELECT 1", false, true, 3},
		{"write not retried", 1, transient, "INSERT INTO t VALUES (1)", false, true, 1},
		{"idempotent write retried", 1, transient, "INSERT INTO t VALUES (1)", true, false, 2},
		{"permanent error not retried", 1, ParseError("D1_ERROR: no such table: t: SQLITE_ERROR"), "SELECT 1", false, true, 1},
		{"WITH ... DELETE not retried", 1, transient, "WITH x AS (SELECT 1) DELETE FROM t", false, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := &fakeDB{failures: tt.failures, failErr: tt.failErr}
			c := NewWithOptions(db, Options{Retry: policy})
			ctx := context.Background()
			if tt.idempotent {
				ctx = MarkIdempotent(ctx)
			}
			_, err := c.Run(ctx, tt.sql)
			if (err != nil) != tt.wantErr {
				t.Errorf("err = %v, want error: %v", err, tt.wantErr)
			}
			if db.calls != tt.wantCalls {
				t.Errorf("%d calls, want %d", db.calls, tt.wantCalls)
			}
		})
	}
}

func TestRetryStopsOnCancel(t *testing.T) {
	db := &fakeDB{failures: 100, failErr: transient}
	c := NewWithOptions(db, Options{Retry: &RetryPolicy{MaxAttempts: 100, BaseDelay: time.Hour, MaxDelay: time.Hour}})
	ctx, cancel := context.WithCancel(context.Background())
	hook := func(next Handler) Handler {
		return func(ctx context.Context, call *Call) error {
			err := next(ctx, call)
			cancel() // cancel during the first backoff
			return err
		}
	}
	c = NewWithOptions(db, Options{Retry: c.q.cfg.retry, Hooks: []Hook{hook}})
	_, err := c.All(ctx, "SELECT 1")
	if !errors.Is(err, transient) || db.calls != 1 {
		t.Errorf("err = %v after %d calls, want the transient error after 1", err, db.calls)
	}
}

func TestRetryMaxElapsed(t *testing.T) {
	db := &fakeDB{failures: 100, failErr: transient}
	c := NewWithOptions(db, Options{Retry: &RetryPolicy{MaxAttempts: 100, BaseDelay: time.Hour, MaxDelay: time.Hour, MaxElapsed: time.Nanosecond}})
	if _, err := c.All(context.Background(), "SELECT 1"); err == nil || db.calls != 1 {
		t.Errorf("err = %v after %d calls", err, db.calls)
	}
}

func TestReadOnly(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT 1":                             true,
		"  -- c\n /* x */ select * from t":     true,
		"(SELECT 1)":                           true,
		"EXPLAIN QUERY PLAN SELECT 1":          true,
		"VALUES (1)":                           true,
		"WITH a AS (SELECT 1) SELECT * FROM a": true,
		"WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a": false,
		"SELECT 1; DELETE FROM t":                            false,
		"INSERT INTO t VALUES (1)":                           false,
		"PRAGMA optimize":                                    false,
		"":                                                   false,
		"/* unterminated":                                    false,
	} {
		if got := readOnly(q); got != want {
			t.Errorf("readOnly(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	p := &RetryPolicy{BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond}
	for n := 1; n < 40; n++ {
		d := p.backoff(n)
		limit := min(50*time.Millisecond, 10*time.Millisecond<<min(n-1, 20))
		if d < 0 || d > limit {
			t.Fatalf("backoff(%d) = %v, want within [0, %v]", n, d, limit)
		}
	}
}

func TestBindAfterFailedBind(t *testing.T) {
	c := New(&fakeDB{})
	ctx := context.Background()
	st, err := c.Prepare("SELECT ?")
	if err != nil {
		t.Fatal(err)
	}
	bad := st.Bind(struct{}{})
	if _, err := bad.All(ctx); err == nil {
		t.Fatal("a statement with an unbindable value ran")
	}
	if _, err := bad.Bind(1).All(ctx); err != nil {
		t.Errorf("binding again after a failed bind: %v", err)
	}
	if _, err := bad.All(ctx, 2); err != nil {
		t.Errorf("running with new values after a failed bind: %v", err)
	}
}
