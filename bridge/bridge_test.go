package bridge_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/bridge"
	"github.com/lunora-go/d1/bridge/bridgetest"
	"github.com/lunora-go/d1/internal/workerd"
)

var srv bridgetest.Server

func TestMain(m *testing.M) {
	code := m.Run()
	srv.Close()
	os.Exit(code)
}

// counter is an http.RoundTripper that counts round trips and keeps the
// last request body.
type counter struct {
	n    atomic.Int64
	mu   sync.Mutex
	last []byte
	next http.RoundTripper
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body.Close()
		c.mu.Lock()
		c.last = b
		c.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	next := c.next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(r)
}

func (c *counter) lastBody(t *testing.T) map[string]any {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	var m map[string]any
	if err := json.Unmarshal(c.last, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func countingDB(t *testing.T) (*bridge.DB, *counter) {
	c := &counter{}
	return srv.OpenWith(t, &bridge.Options{HTTPClient: &http.Client{Transport: c}}), c
}

func mustRun(t *testing.T, db d1.Database, query string, args ...any) *d1.Result {
	t.Helper()
	ps := db.Prepare(query)
	if len(args) > 0 {
		var err error
		if ps, err = ps.Bind(args...); err != nil {
			t.Fatal(err)
		}
	}
	res, err := ps.Run(context.Background())
	if err != nil {
		t.Fatalf("Run(%q): %v", query, err)
	}
	return res
}

func TestModes(t *testing.T) {
	ctx := context.Background()
	db := srv.Open(t)
	mustRun(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB)")
	res := mustRun(t, db, "INSERT INTO t (name, score, data) VALUES (?, ?, ?), (?, ?, ?)",
		"a", 1.5, []byte{0, 1, 255}, "b", nil, nil)
	if got, want := res.Meta.Changes, int64(2); got != want {
		t.Errorf("changes = %d, want %d", got, want)
	}
	if got, want := res.Meta.LastRowID, int64(2); got != want {
		t.Errorf("last_row_id = %d, want %d", got, want)
	}
	if got, want := res.Meta.ServedBy, "miniflare.db"; got != want {
		t.Errorf("served_by = %q, want %q", got, want)
	}
	if !res.Meta.ChangedDB || res.Meta.SizeAfter == 0 || res.Meta.RowsWritten == 0 {
		t.Errorf("meta = %+v, want changed_db, size_after and rows_written", res.Meta)
	}

	q := db.Prepare("SELECT id, name, score, data FROM t ORDER BY id")
	wantRows := [][]any{{int64(1), "a", 1.5, []byte{0, 1, 255}}, {int64(2), "b", nil, nil}}
	wantCols := []string{"id", "name", "score", "data"}
	for _, tc := range []struct {
		mode string
		run  func(context.Context) (*d1.Result, error)
		rows [][]any
		meta bool
	}{
		{"all", q.All, wantRows, true},
		{"run", q.Run, wantRows, true},
		{"first", q.First, wantRows[:1], false},
		{"raw", q.Raw, wantRows, false},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			res, err := tc.run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Columns; !reflect.DeepEqual(got, wantCols) {
				t.Errorf("columns = %q, want %q", got, wantCols)
			}
			if got := res.Rows; !reflect.DeepEqual(got, tc.rows) {
				t.Errorf("rows = %#v, want %#v", got, tc.rows)
			}
			if got := res.Meta.ServedBy != ""; got != tc.meta {
				t.Errorf("has meta = %v, want %v", got, tc.meta)
			}
		})
	}

	// No rows: all() has no columns, raw() still names them, first() has
	// nothing.
	empty := db.Prepare("SELECT id, name FROM t WHERE id < 0")
	if res, err := empty.All(ctx); err != nil || len(res.Columns) != 0 || len(res.Rows) != 0 {
		t.Errorf("All with no rows = %+v, %v; want no columns and no rows", res, err)
	}
	if res, err := empty.Raw(ctx); err != nil || !reflect.DeepEqual(res.Columns, []string{"id", "name"}) || len(res.Rows) != 0 {
		t.Errorf("Raw with no rows = %+v, %v; want the columns and no rows", res, err)
	}
	if res, err := empty.First(ctx); err != nil || len(res.Rows) != 0 {
		t.Errorf("First with no rows = %+v, %v; want no rows", res, err)
	}
}

func TestValues(t *testing.T) {
	ctx := context.Background()
	db := srv.Open(t)
	for _, tc := range []struct {
		name string
		in   any
		want any
		typ  string
	}{
		{"null", nil, nil, "null"},
		{"int", int64(7), int64(7), "real"},
		{"negative", int64(-42), int64(-42), "real"},
		{"max safe", int64(d1.MaxSafeInteger), int64(d1.MaxSafeInteger), "real"},
		{"real", 2.5, 2.5, "real"},
		{"whole real", 2.0, int64(2), "real"},
		{"tiny", 5e-324, 5e-324, "real"},
		{"huge", 1e300, 1e300, "real"},
		{"negative zero", math.Copysign(0, -1), int64(0), "real"},
		{"text", "héllo\x00 wörld ✓", "héllo\x00 wörld ✓", "text"},
		{"empty text", "", "", "text"},
		{"json-looking text", `{"blob":"AAE="}`, `{"blob":"AAE="}`, "text"},
		{"blob", []byte{0, 1, 2, 254, 255}, []byte{0, 1, 2, 254, 255}, "blob"},
		{"bool", true, int64(1), "real"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := d1.Normalize(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			ps, err := db.Prepare("SELECT ? AS v, typeof(?) AS t").Bind(v, v)
			if err != nil {
				t.Fatal(err)
			}
			res, err := ps.All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Rows[0][0]; !reflect.DeepEqual(got, tc.want) {
				t.Errorf("value = %#v (%T), want %#v (%T)", got, got, tc.want, tc.want)
			}
			if got := res.Rows[0][1]; got != tc.typ {
				t.Errorf("typeof = %v, want %s", got, tc.typ)
			}
		})
	}

	// Values SQLite makes itself.
	res, err := db.Prepare("SELECT 9007199254740993 AS big, 1e999 AS inf, x'' AS empty, 2.0 AS two, -0.0 AS nz").Raw(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{float64(9007199254740992), nil, []byte{}, int64(2), int64(0)}
	if got := res.Rows[0]; !reflect.DeepEqual(got, want) {
		t.Errorf("SQLite's values = %#v, want %#v", got, want)
	}
}

func TestD1Errors(t *testing.T) {
	ctx := context.Background()
	db := srv.Open(t)
	mustRun(t, db, "CREATE TABLE u (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)")
	mustRun(t, db, "INSERT INTO u (name) VALUES ('a')")
	for _, tc := range []struct {
		query string
		args  []any
		want  string
		code  d1.ResultCode
	}{
		{"SELEC 1", nil, `D1_ERROR: near "SELEC": syntax error at offset 0: SQLITE_ERROR`, d1.ResultError},
		{"SELECT * FROM nosuch", nil, "D1_ERROR: no such table: nosuch: SQLITE_ERROR", d1.ResultError},
		{"INSERT INTO u (name) VALUES (?)", []any{"a"},
			"D1_ERROR: UNIQUE constraint failed: u.name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)",
			d1.ResultConstraintUnique},
		{"SELECT ?", nil, "D1_ERROR: Wrong number of parameter bindings for SQL query.", 0},
		{"BEGIN", nil, "", 0},
	} {
		ps := db.Prepare(tc.query)
		if tc.args != nil {
			ps, _ = ps.Bind(tc.args...)
		}
		_, err := ps.Run(ctx)
		var e *d1.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: err = %T %v, want a *d1.Error", tc.query, err, err)
			continue
		}
		if tc.want != "" && e.Error() != tc.want {
			t.Errorf("%s: err = %q, want %q", tc.query, e.Error(), tc.want)
		}
		if e.ResultCode() != tc.code {
			t.Errorf("%s: result code = %v, want %v", tc.query, e.ResultCode(), tc.code)
		}
	}
	if _, err := db.Exec(ctx, "SELEC 1"); err == nil ||
		err.Error() != `D1_EXEC_ERROR: Error in line 1: SELEC 1: near "SELEC": syntax error at offset 0: SQLITE_ERROR` {
		t.Errorf("Exec error = %v", err)
	}
	if _, err := db.Prepare("SELECT 1 AS a").Bind(struct{}{}); err == nil {
		t.Errorf("Bind(struct{}{}) succeeded")
	}
}

func TestExec(t *testing.T) {
	ctx := context.Background()
	db := srv.Open(t)
	res, err := db.Exec(ctx, "CREATE TABLE e (a);\nINSERT INTO e VALUES (1);\nINSERT INTO e VALUES (2)")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Count, 3; got != want {
		t.Errorf("count = %d, want %d", got, want)
	}
	r, err := db.Prepare("SELECT count(*) AS n FROM e").First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Rows[0][0], int64(2); got != want {
		t.Errorf("rows = %v, want %v", got, want)
	}
}

func TestBatch(t *testing.T) {
	ctx := context.Background()
	db, c := countingDB(t)
	mustRun(t, db, "CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT UNIQUE)")
	const n = 50
	stmts := make([]d1.PreparedStatement, n)
	ins := db.Prepare("INSERT INTO b (v) VALUES (?)")
	for i := range n - 1 {
		stmts[i], _ = ins.Bind(strings.Repeat("x", i+1))
	}
	stmts[n-1] = db.Prepare("SELECT count(*) AS n FROM b")
	before := c.n.Load()
	res, err := db.Batch(ctx, stmts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.n.Load()-before, int64(1); got != want {
		t.Errorf("a %d-statement batch took %d round trips, want %d", n, got, want)
	}
	if got, want := len(res), n; got != want {
		t.Fatalf("%d results, want %d", got, want)
	}
	if got, want := res[n-1].Rows[0][0], int64(n-1); got != want {
		t.Errorf("count in batch = %v, want %v", got, want)
	}
	if got, want := res[3].Meta.LastRowID, int64(4); got != want {
		t.Errorf("last_row_id of statement 3 = %d, want %d", got, want)
	}

	// A failing statement rolls the batch back.
	a, _ := ins.Bind("new")
	dup, _ := ins.Bind("x")
	_, err = db.Batch(ctx, []d1.PreparedStatement{a, dup})
	want := "D1_ERROR: UNIQUE constraint failed: b.v: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)"
	if err == nil || err.Error() != want {
		t.Errorf("failing batch: err = %v, want %s", err, want)
	}
	r, err := db.Prepare("SELECT count(*) FROM b WHERE v = 'new'").First(ctx)
	if err != nil || r.Rows[0][0] != int64(0) {
		t.Errorf("after a failed batch: %v, %v; want the insert rolled back", r, err)
	}

	// D1 leaves a statement without SQL out of the results.
	if res, err := db.Batch(ctx, []d1.PreparedStatement{db.Prepare("SELECT 1"), db.Prepare("")}); err != nil || len(res) != 1 {
		t.Errorf("batch with an empty statement: %d results, %v; want 1 result", len(res), err)
	}
	if _, err := db.Batch(ctx, nil); err == nil || err.Error() != "D1_ERROR: No SQL statements detected." {
		t.Errorf("empty batch: err = %v", err)
	}
	other := srv.Open(t)
	if _, err := db.Batch(ctx, []d1.PreparedStatement{other.Prepare("SELECT 1")}); err == nil {
		t.Errorf("a batch with another database's statement succeeded")
	}
}

func TestSessionBookmarks(t *testing.T) {
	ctx := context.Background()
	db, c := countingDB(t)
	s := db.WithSession("")
	if b, ok := s.Bookmark(); ok {
		t.Fatalf("bookmark before the first query = %q", b)
	}
	if _, err := s.Prepare("SELEC").All(ctx); err == nil {
		t.Fatal("syntax error succeeded")
	}
	if b, ok := s.Bookmark(); ok {
		t.Fatalf("bookmark after a failed first query = %q", b)
	}
	if got, want := c.lastBody(t)["session"], d1.FirstUnconstrained; got != want {
		t.Errorf("first request's session = %v, want %v", got, want)
	}
	if _, err := s.Prepare("CREATE TABLE s (a)").Run(ctx); err != nil {
		t.Fatal(err)
	}
	b1, ok := s.Bookmark()
	if !ok {
		t.Fatal("no bookmark after a query")
	}
	if _, err := s.Prepare("INSERT INTO s VALUES (1)").Run(ctx); err != nil {
		t.Fatal(err)
	}
	if got := c.lastBody(t)["session"]; got != b1 {
		t.Errorf("second request's session = %v, want the bookmark %v", got, b1)
	}
	b2, _ := s.Bookmark()
	if b2 <= b1 {
		t.Errorf("bookmark %q did not advance past %q", b2, b1)
	}
	// A batch through the session threads it too.
	if _, err := s.Batch(ctx, []d1.PreparedStatement{s.Prepare("SELECT 1"), db.Prepare("SELECT 2")}); err != nil {
		t.Fatal(err)
	}
	if got := c.lastBody(t)["session"]; got != b2 {
		t.Errorf("batch's session = %v, want %v", got, b2)
	}
	b3, _ := s.Bookmark()

	// A session opened from a bookmark reports it, and sends it first.
	s2 := db.WithSession(b3)
	if b, ok := s2.Bookmark(); !ok || b != b3 {
		t.Errorf("bookmark of a session opened from %q = %q, %v", b3, b, ok)
	}
	r, err := s2.Prepare("SELECT count(*) FROM s").First(ctx)
	if err != nil || r.Rows[0][0] != int64(1) {
		t.Errorf("read through the second session: %v, %v", r, err)
	}
	if got := c.lastBody(t)["session"]; got != b3 {
		t.Errorf("second session's first request = %v, want %v", got, b3)
	}

	// first-primary, and the primary itself, which has no bookmark.
	s3 := db.WithSession(d1.FirstPrimary)
	if _, err := s3.Prepare("SELECT 1").All(ctx); err != nil {
		t.Fatal(err)
	}
	if got := c.lastBody(t)["session"]; got != d1.FirstPrimary {
		t.Errorf("first-primary session sent %v", got)
	}
	if _, err := db.Prepare("SELECT 1").All(ctx); err != nil {
		t.Fatal(err)
	}
	if _, has := c.lastBody(t)["session"]; has {
		t.Errorf("a query on the primary sent a session")
	}
}

func TestOneRoundTripPerStatement(t *testing.T) {
	ctx := context.Background()
	db, c := countingDB(t)
	s := db.WithSession("")
	for i := range 10 {
		if _, err := s.Prepare("SELECT ?").Bind(i); err != nil {
			t.Fatal(err)
		}
		ps, _ := s.Prepare("SELECT ?").Bind(i)
		if _, err := ps.All(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := c.n.Load(), int64(10); got != want {
		t.Errorf("10 statements took %d round trips", got)
	}
}

func TestKeepAlive(t *testing.T) {
	db := srv.Open(t)
	var fresh, reused atomic.Int64
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
		if i.Reused {
			reused.Add(1)
		} else {
			fresh.Add(1)
		}
	}}
	ctx := httptrace.WithClientTrace(context.Background(), trace)
	for range 20 {
		if _, err := db.Prepare("SELECT 1").All(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if fresh.Load() != 1 || reused.Load() != 19 {
		t.Errorf("20 sequential queries: %d new connections, %d reused; want 1 and 19", fresh.Load(), reused.Load())
	}
}

func TestContextCancel(t *testing.T) {
	db := srv.Open(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.Prepare("SELECT 1").All(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled before: err = %v, want context.Canceled", err)
	}

	// Cancel while the request is in flight: a server that answers only
	// when the client goes away.
	stop := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // lets the server notice the client leave
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	defer hang.Close()
	defer close(stop)
	hdb, err := bridge.Open(hang.URL, &bridge.Options{Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { cancel() }})
	if _, err := hdb.Prepare("SELECT 1").All(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled during: err = %v, want context.Canceled", err)
	}
}

func TestHTTPErrors(t *testing.T) {
	ctx := context.Background()
	base := srv.DatabaseURL(t)
	token := srv.Token()
	for _, tc := range []struct {
		name   string
		url    string
		token  string
		status int
	}{
		{"wrong token", base, token + "x", http.StatusUnauthorized},
		{"token prefix", base, token[:len(token)-1], http.StatusUnauthorized},
		{"no token", base, "", http.StatusUnauthorized},
		{"wrong path", base + "/nope", token, http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := bridge.Open(tc.url, &bridge.Options{Token: tc.token})
			if err != nil {
				t.Fatal(err)
			}
			_, err = db.Prepare("SELECT 1").All(ctx)
			var he *bridge.HTTPError
			if !errors.As(err, &he) || he.StatusCode != tc.status {
				t.Fatalf("err = %v, want HTTP %d", err, tc.status)
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("error %q contains the token", err)
			}
		})
	}
}

func TestWrongMethod(t *testing.T) {
	resp, err := http.Get(srv.DatabaseURL(t) + "/v1/query")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /v1/query: %s, want 405", resp.Status)
	}
}

// TestTokenUnset runs the Worker as deployed without its secret: it refuses
// every request.
func TestTokenUnset(t *testing.T) {
	w := workerd.Start(t, workerd.Config{
		Modules:     []workerd.Module{{Name: "bridge.js", Contents: bridge.WorkerScript()}},
		D1Databases: []string{"DB"},
	})
	for _, token := range []string{"", "anything"} {
		db, err := bridge.Open(w.URL(), &bridge.Options{Token: token})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.Prepare("SELECT 1").All(context.Background())
		var he *bridge.HTTPError
		if !errors.As(err, &he) || he.StatusCode != http.StatusInternalServerError || !strings.Contains(he.Message, "BRIDGE_TOKEN is not set") {
			t.Errorf("token %q: err = %v, want HTTP 500 saying BRIDGE_TOKEN is not set", token, err)
		}
	}
}

func TestRequestTooLarge(t *testing.T) {
	ctx := context.Background()
	db := srv.Open(t)
	big := strings.Repeat("x", 11<<20)
	ps, err := db.Prepare("SELECT length(?)").Bind(big)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ps.All(ctx)
	var he *bridge.HTTPError
	if !errors.As(err, &he) || he.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("11 MiB request: err = %v, want HTTP 413", err)
	}

	// Without a Content-Length, the Worker counts as it reads.
	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte(`{"statements":[{"sql":"SELECT ?","params":["`))
		chunk := bytes.Repeat([]byte("y"), 1<<20)
		for range 11 {
			if _, err := pw.Write(chunk); err != nil {
				return
			}
		}
		pw.Write([]byte(`"]}]}`))
		pw.Close()
	}()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.DatabaseURL(t)+"/v1/query", pr)
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	pr.CloseWithError(io.ErrClosedPipe)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("streamed 11 MiB request: %s, want 413", resp.Status)
	}
}

func TestTokenNotInErrors(t *testing.T) {
	ctx := context.Background()
	token := srv.Token()
	var errs []error
	collect := func(_ any, err error) { errs = append(errs, err) }

	db := srv.Open(t)
	collect(db.Prepare("SELEC 1").All(ctx))
	collect(db.Exec(ctx, "SELEC 1"))
	bad, _ := bridge.Open(srv.DatabaseURL(t), &bridge.Options{Token: token + "!"})
	collect(bad.Prepare("SELECT 1").All(ctx))
	unreachable, _ := bridge.Open("http://127.0.0.1:1", &bridge.Options{Token: token})
	collect(unreachable.Prepare("SELECT 1").All(ctx))
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	collect(db.Prepare("SELECT 1").All(canceled))
	// A server that echoes the request back in an error.
	echo := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 502, Body: io.NopCloser(strings.NewReader("bad gateway for " + r.Header.Get("Authorization"))), Header: http.Header{}}, nil
	})}
	echoing, _ := bridge.Open("http://example.invalid", &bridge.Options{Token: token, HTTPClient: echo})
	collect(echoing.Prepare("SELECT 1").All(ctx))

	for _, err := range errs {
		if err == nil {
			t.Error("a failing call returned no error")
			continue
		}
		if strings.Contains(err.Error(), token) {
			t.Errorf("error contains the token: %v", err)
		}
	}
	if logs := srv.Logs(); strings.Contains(logs, token) {
		t.Errorf("workerd's output contains the token")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestOpen(t *testing.T) {
	for _, u := range []string{"", "ftp://x", "http://", "://x", "localhost:8787"} {
		if _, err := bridge.Open(u, nil); err == nil {
			t.Errorf("Open(%q) succeeded", u)
		}
	}
	if _, err := bridge.Open("https://bridge.example.workers.dev/", nil); err != nil {
		t.Errorf("Open: %v", err)
	}
}

func TestWriteWorker(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bridge")
	if err := bridge.WriteWorker(dir); err != nil {
		t.Fatal(err)
	}
	js, err := os.ReadFile(filepath.Join(dir, "bridge.js"))
	if err != nil || !bytes.Equal(js, bridge.WorkerScript()) {
		t.Errorf("bridge.js not written: %v", err)
	}
	cfg := filepath.Join(dir, "wrangler.jsonc")
	b, err := os.ReadFile(cfg)
	if err != nil || !bytes.Contains(b, []byte(`"binding": "DB"`)) {
		t.Errorf("wrangler.jsonc = %s, %v; want a DB binding", b, err)
	}
	// A filled-in configuration is kept.
	if err := os.WriteFile(cfg, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := bridge.WriteWorker(dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(cfg); string(b) != "mine" {
		t.Errorf("WriteWorker replaced an existing wrangler.jsonc")
	}
}
