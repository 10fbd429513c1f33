package rest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1test"
	"github.com/lunora-go/d1/rest"
)

const errorTestToken = "cf-token-for-error-tests-5d7e19-MUST-NOT-BE-PRINTED"

// answer is one canned HTTP answer.
type answer struct {
	status int
	header map[string]string
	body   string
}

// replay serves answers in order, repeating the last, and records the
// requests it saw.
type replay struct {
	answers []answer
	mu      sync.Mutex
	reqs    []recorded
	n       atomic.Int64
}

type recorded struct {
	method, path, auth, contentType string
	body                            []byte
}

func (r *replay) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.reqs = append(r.reqs, recorded{req.Method, req.URL.Path, req.Header.Get("Authorization"), req.Header.Get("Content-Type"), body})
	r.mu.Unlock()
	i := int(r.n.Add(1) - 1)
	a := r.answers[min(i, len(r.answers)-1)]
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	if a.status == 0 {
		a.status = http.StatusOK
	}
	w.WriteHeader(a.status)
	io.WriteString(w, a.body)
}

func (r *replay) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slicesClone(r.reqs)
}

func slicesClone[T any](s []T) []T { return append([]T(nil), s...) }

// serve starts a replaying server and opens a DB against it.
func serve(t *testing.T, opts *rest.Options, answers ...answer) (*rest.DB, *replay) {
	t.Helper()
	rp := &replay{answers: answers}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	if opts == nil {
		opts = &rest.Options{}
	}
	opts.BaseURL = srv.URL + "/client/v4"
	db, err := rest.Open("acct-1", "db-uuid-1", errorTestToken, opts)
	if err != nil {
		t.Fatal(err)
	}
	return db, rp
}

// envelope writes a failure envelope as the API does.
func envelope(code int, message string) string {
	b, _ := json.Marshal(map[string]any{
		"success":  false,
		"errors":   []map[string]any{{"code": code, "message": message}},
		"messages": []any{},
		"result":   nil,
	})
	return string(b)
}

const okOne = `{"success":true,"errors":[],"messages":[],"result":[{"success":true,"meta":{"duration":0.1,"changes":0,"last_row_id":0,"changed_db":false,"size_after":8192,"rows_read":0,"rows_written":0},"results":[{"one":1}]}]}`

// TestSQLErrors: HTTP 400 with code 7500 is D1's error, parsed into codes.
func TestSQLErrors(t *testing.T) {
	cases := []struct {
		name    string
		answer  answer
		want    string
		primary d1.ResultCode
		ext     d1.ResultCode
		offset  int
	}{
		{"syntax", answer{400, nil, envelope(7500, `near "SELEC": syntax error at offset 0: SQLITE_ERROR`)},
			`D1_ERROR: near "SELEC": syntax error at offset 0: SQLITE_ERROR`, d1.ResultError, 0, 0},
		{"prefixed", answer{400, nil, envelope(7500, "D1_ERROR: no such table: raw_mails: SQLITE_ERROR")},
			"D1_ERROR: no such table: raw_mails: SQLITE_ERROR", d1.ResultError, 0, -1},
		{"unique", answer{400, nil, envelope(7500, "UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)")},
			"D1_ERROR: UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)",
			d1.ResultConstraint, d1.ResultConstraintUnique, -1},
		{"no codes", answer{400, nil, envelope(7500, "Your account has exceeded D1's free tier daily row read limit.")},
			"D1_ERROR: Your account has exceeded D1's free tier daily row read limit.", 0, 0, -1},
		{"200 success false", answer{200, nil, envelope(7500, "too big: SQLITE_TOOBIG")},
			"D1_ERROR: too big: SQLITE_TOOBIG", d1.ResultTooBig, 0, -1},
		{"per-statement error", answer{200, nil, `{"success":true,"errors":[],"messages":[],"result":[{"success":false,"error":"no such column: x: SQLITE_ERROR"}]}`},
			"D1_ERROR: no such column: x: SQLITE_ERROR", d1.ResultError, 0, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, _ := serve(t, nil, c.answer)
			_, err := d1.New(db).All(context.Background(), "SELECT 1")
			e, ok := d1test.AsError(err)
			if !ok {
				t.Fatalf("err = %T %v, want a *d1.Error", err, err)
			}
			if got := e.Error(); got != c.want {
				t.Errorf("err = %q\n want %q", got, c.want)
			}
			if e.Primary != c.primary || e.Extended != c.ext || e.Offset != c.offset {
				t.Errorf("codes = %v/%v offset %d, want %v/%v offset %d", e.Primary, e.Extended, e.Offset, c.primary, c.ext, c.offset)
			}
			var ae *rest.APIError
			if errors.As(err, &ae) {
				t.Error("an error in the SQL is an *APIError")
			}
			if d1.IsRetryable(err) {
				t.Error("IsRetryable = true")
			}
		})
	}
	db, _ := serve(t, nil, answer{400, nil, envelope(7500, "UNIQUE constraint failed: t.a: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)")})
	_, err := d1.New(db).Run(context.Background(), "INSERT INTO t VALUES (1)")
	if !d1.IsUniqueViolation(err) {
		t.Errorf("IsUniqueViolation(%v) = false", err)
	}
}

// TestAPIErrors: failures of the request itself, with Cloudflare's envelopes.
func TestAPIErrors(t *testing.T) {
	cases := []struct {
		name       string
		answer     answer
		status     int
		retryable  bool
		retryAfter time.Duration
		says       []string
	}{
		{"401", answer{401, nil, envelope(10000, "Authentication error")}, 401, false, 0,
			[]string{"rest: the API token was not accepted (HTTP 401; Cloudflare error 10000: Authentication error)"}},
		{"400 bad header", answer{400, nil, envelope(6003, "Invalid request headers")}, 400, false, 0,
			[]string{"API token was not accepted", "6003"}},
		{"403 permission", answer{403, nil, envelope(10000, "Authentication error")}, 403, false, 0,
			[]string{"may not query database db-uuid-1", "D1 Read permission to read and D1 Edit", "account acct-1"}},
		{"403 account", answer{403, nil, envelope(7403, "The given account is not valid or is not authorized to access this service")}, 403, false, 0,
			[]string{"account acct-1 is not valid or the API token may not use it", "7403"}},
		{"404", answer{404, nil, envelope(7404, "The database db-uuid-1 could not be found")}, 404, false, 0,
			[]string{"database db-uuid-1 was not found in account acct-1", "wrangler d1 list"}},
		{"429", answer{429, map[string]string{"Retry-After": "300"}, envelope(971, "Please wait and consider throttling your request speed")}, 429, true, 5 * time.Minute,
			[]string{"rate limited", "1200 requests per five minutes", "retry after 5m0s"}},
		{"500", answer{500, nil, envelope(7500, "internal error; reference = abc123")}, 500, true, 0,
			[]string{"the Cloudflare API failed (HTTP 500; Cloudflare error 7500: internal error; reference = abc123)", "may or may not"}},
		{"503 retry after", answer{503, map[string]string{"Retry-After": "7"}, envelope(10013, "Service unavailable")}, 503, true, 7 * time.Second,
			[]string{"HTTP 503", "retry after 7s"}},
		{"502 html", answer{502, nil, "<html>\n<body>502 Bad Gateway</body>\n</html>"}, 502, true, 0,
			[]string{"HTTP 502: <html> <body>502 Bad Gateway</body> </html>"}},
		{"400 other", answer{400, nil, envelope(7400, "The request is malformed")}, 400, false, 0,
			[]string{"refused the request (HTTP 400; Cloudflare error 7400: The request is malformed)"}},
		{"405 empty", answer{405, nil, ""}, 405, false, 0,
			[]string{"refused the request (HTTP 405)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, rp := serve(t, &rest.Options{RateLimitWait: time.Second}, c.answer)
			_, err := d1.New(db).All(context.Background(), "SELECT 1")
			var ae *rest.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %T %v, want *rest.APIError", err, err)
			}
			if ae.StatusCode != c.status || ae.Retryable() != c.retryable || ae.RetryAfter != c.retryAfter {
				t.Errorf("status %d retryable %v retry after %v, want %d %v %v",
					ae.StatusCode, ae.Retryable(), ae.RetryAfter, c.status, c.retryable, c.retryAfter)
			}
			if got := d1.IsRetryable(err); got != c.retryable {
				t.Errorf("d1.IsRetryable = %v, want %v", got, c.retryable)
			}
			for _, s := range c.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("err = %q\ndoes not say %q", err, s)
				}
			}
			e, ok := d1test.AsError(err)
			if !ok || e.Code != d1.CodeError || "rest: "+e.Message != err.Error() {
				t.Errorf("the *d1.Error inside is %v", e)
			}
			if n := len(rp.requests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

// TestRateLimitRetry: HTTP 429 is retried after Retry-After, within the
// budget, then reported as retryable.
func TestRateLimitRetry(t *testing.T) {
	limited := answer{429, map[string]string{"Retry-After": "0"}, envelope(971, "Please wait")}
	ctx := context.Background()

	t.Run("waits and succeeds", func(t *testing.T) {
		db, rp := serve(t, nil, limited, limited, answer{200, nil, okOne})
		res, err := d1.New(db).All(ctx, "SELECT 1 AS one")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(res.Rows, [][]any{{int64(1)}}) {
			t.Errorf("rows = %v", res.Rows)
		}
		reqs := rp.requests()
		if len(reqs) != 3 {
			t.Fatalf("%d requests, want 3", len(reqs))
		}
		if string(reqs[0].body) != string(reqs[2].body) {
			t.Errorf("the retried request differs: %s vs %s", reqs[0].body, reqs[2].body)
		}
	})
	t.Run("too long a wait", func(t *testing.T) {
		db, rp := serve(t, nil, answer{429, map[string]string{"Retry-After": "120"}, envelope(971, "Please wait")})
		start := time.Now()
		_, err := d1.New(db).All(ctx, "SELECT 1")
		var ae *rest.APIError
		if !errors.As(err, &ae) || ae.StatusCode != 429 || ae.RetryAfter != 2*time.Minute || !d1.IsRetryable(err) {
			t.Fatalf("err = %v", err)
		}
		if n := len(rp.requests()); n != 1 {
			t.Errorf("%d requests, want 1: a wait beyond the budget is not started", n)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("never waits", func(t *testing.T) {
		db, rp := serve(t, &rest.Options{RateLimitWait: -1}, limited, answer{200, nil, okOne})
		_, err := d1.New(db).All(ctx, "SELECT 1")
		if !d1.IsRetryable(err) {
			t.Fatalf("err = %v, want a retryable error", err)
		}
		if n := len(rp.requests()); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
	t.Run("bounded retries", func(t *testing.T) {
		db, rp := serve(t, nil, limited)
		_, err := d1.New(db).All(ctx, "SELECT 1")
		if !d1.IsRetryable(err) {
			t.Fatalf("err = %v, want a retryable error", err)
		}
		if n := len(rp.requests()); n != rest.MaxRateLimitRetries+1 {
			t.Errorf("%d requests, want %d", n, rest.MaxRateLimitRetries+1)
		}
	})
	t.Run("cancelled while waiting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		rp := &replay{answers: []answer{{429, map[string]string{"Retry-After": "20"}, envelope(971, "Please wait")}}}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			cancel() // the client is cancelled while it waits out the answer
			rp.ServeHTTP(w, r)
		}))
		defer srv.Close()
		db, err := rest.Open("a", "d", errorTestToken, &rest.Options{BaseURL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		_, err = d1.New(db).All(ctx, "SELECT 1")
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if n := len(rp.requests()); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
}

// TestTokenNeverShown sends the token to servers that echo it back in every
// way they can, and checks that no error and no printing of the DB shows it.
func TestTokenNeverShown(t *testing.T) {
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		switch r.URL.Query().Get("mode") {
		case "json":
			w.WriteHeader(401)
			io.WriteString(w, envelope(10000, "Authentication error for "+auth))
		case "sql":
			w.WriteHeader(400)
			io.WriteString(w, envelope(7500, "no such table: "+auth+": SQLITE_ERROR"))
		case "html":
			w.WriteHeader(502)
			io.WriteString(w, "<html>proxy saw "+auth+" and failed</html>")
		case "statement":
			io.WriteString(w, `{"success":true,"result":[{"success":false,"error":"bad `+auth+`"}]}`)
		}
	})
	srv := httptest.NewServer(echo)
	defer srv.Close()
	var texts []string
	for _, mode := range []string{"json", "sql", "html", "statement"} {
		db, err := rest.Open("acct", "db", errorTestToken, &rest.Options{BaseURL: srv.URL + "/?mode=" + mode + "&x="})
		if err != nil {
			t.Fatal(err)
		}
		_, err = d1.New(db).All(context.Background(), "SELECT 1")
		if err == nil {
			t.Fatalf("mode %s: no error", mode)
		}
		texts = append(texts, err.Error(), fmt.Sprintf("%v|%+v|%#v|%s", err, err, err, err))
		if !strings.Contains(err.Error(), "[REDACTED]") {
			t.Errorf("mode %s: the echoed token was not replaced by [REDACTED]", mode)
		}
		texts = append(texts, fmt.Sprintf("%v|%+v|%#v|%s", db, db, db, db), db.String())
	}
	// A server that cannot be reached, and a cancelled call.
	closed := httptest.NewServer(echo)
	closed.Close()
	db, err := rest.Open("acct", "db", errorTestToken, &rest.Options{BaseURL: closed.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = d1.New(db).All(context.Background(), "SELECT 1")
	if err == nil {
		t.Fatal("a closed server answered")
	}
	texts = append(texts, err.Error())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = d1.New(db).All(ctx, "SELECT 1")
	texts = append(texts, err.Error())
	for _, s := range texts {
		assertNoToken(t, s)
	}
}

// TestRequestShape checks the requests against the API's documented shapes.
func TestRequestShape(t *testing.T) {
	ok2 := `{"success":true,"errors":[],"messages":[],"result":[{"success":true,"meta":{},"results":[]},{"success":true,"meta":{},"results":[]}]}`
	rawOK := `{"success":true,"errors":[],"messages":[],"result":[{"success":true,"results":{"columns":["a"],"rows":[]}}]}`
	db, rp := serve(t, nil, answer{200, nil, okOne}, answer{200, nil, ok2}, answer{200, nil, rawOK}, answer{200, nil, ok2})
	ctx := context.Background()
	client := d1.New(db)
	if _, err := client.All(ctx, "SELECT ?, ?, ?, ?, ?, ?", int64(7), 1.5, "s<&>", nil, true, float32(2)); err != nil {
		t.Fatal(err)
	}
	a, _ := client.Prepare("INSERT INTO t VALUES (?)")
	b, _ := client.Prepare("SELECT 1")
	if _, err := client.Batch(ctx, a.Bind("x"), b); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Raw(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "CREATE TABLE x (a);\n\nINSERT INTO x VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	want := []struct{ path, body string }{
		{"/client/v4/accounts/acct-1/d1/database/db-uuid-1/query", `{"sql":"SELECT ?, ?, ?, ?, ?, ?","params":[7,1.5,"s<&>",null,1,2]}`},
		{"/client/v4/accounts/acct-1/d1/database/db-uuid-1/query", `{"batch":[{"sql":"INSERT INTO t VALUES (?)","params":["x"]},{"sql":"SELECT 1"}]}`},
		{"/client/v4/accounts/acct-1/d1/database/db-uuid-1/raw", `{"sql":"SELECT 1"}`},
		{"/client/v4/accounts/acct-1/d1/database/db-uuid-1/query", `{"batch":[{"sql":"CREATE TABLE x (a);"},{"sql":"INSERT INTO x VALUES (1)"}]}`},
	}
	reqs := rp.requests()
	if len(reqs) != len(want) {
		t.Fatalf("%d requests, want %d", len(reqs), len(want))
	}
	for i, w := range want {
		r := reqs[i]
		if r.method != "POST" || r.path != w.path || strings.TrimSpace(string(r.body)) != w.body {
			t.Errorf("request %d: %s %s %s\n want POST %s %s", i, r.method, r.path, r.body, w.path, w.body)
		}
		if r.auth != "Bearer "+errorTestToken {
			t.Errorf("request %d: the Authorization header is not the bearer token", i)
		}
		if r.contentType != "application/json" {
			t.Errorf("request %d: Content-Type = %q", i, r.contentType)
		}
	}
}

// TestBadAnswers: answers that are not what the API sends fail clearly.
func TestBadAnswers(t *testing.T) {
	cases := []struct {
		name, body, says string
	}{
		{"not json", "OK", "decoding the API's answer"},
		{"truncated", `{"success":true,"result":[{"results":[{"a":1}`, "decoding the API's answer"},
		{"object value", `{"success":true,"result":[{"results":[{"a":{"b":1}}]}]}`, `column "a"`},
		{"bad blob", `{"success":true,"result":[{"results":[{"a":[1,256]}]}]}`, "not a byte value"},
		{"trailing", okOne + "{}", "data after"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, _ := serve(t, nil, answer{200, nil, c.body})
			_, err := d1.New(db).All(context.Background(), "SELECT 1")
			if err == nil || !strings.Contains(err.Error(), c.says) {
				t.Errorf("err = %v, want one that says %q", err, c.says)
			}
		})
	}
	// A batch answered with the wrong number of results.
	db, _ := serve(t, nil, answer{200, nil, okOne})
	client := d1.New(db)
	a, _ := client.Prepare("SELECT 1")
	b, _ := client.Prepare("SELECT 2")
	if _, err := client.Batch(context.Background(), a, b); err == nil || !strings.Contains(err.Error(), "1 results for a batch of 2") {
		t.Errorf("err = %v", err)
	}
}

func TestOpen(t *testing.T) {
	cases := []struct {
		account, database, token, base string
	}{
		{"", "db", "t", ""},
		{"a", " ", "t", ""},
		{"a", "db", "line\nbreak", ""},
		{"a", "db", "t", "ftp://example.com"},
		{"a", "db", "t", "not a url"},
	}
	for _, c := range cases {
		if _, err := rest.Open(c.account, c.database, c.token, &rest.Options{BaseURL: c.base}); err == nil {
			t.Errorf("Open(%q, %q, token, %q) succeeded", c.account, c.database, c.base)
		} else if strings.Contains(err.Error(), "line\nbreak") {
			t.Error("the error shows the token")
		}
	}
	db, err := rest.Open("a/b", "c d", "t", nil)
	if err != nil {
		t.Fatal(err)
	}
	if db.AccountID() != "a/b" || db.DatabaseID() != "c d" {
		t.Errorf("IDs = %q %q", db.AccountID(), db.DatabaseID())
	}
}

// BenchmarkAllLoopback measures one All call end to end against a loopback
// server answering 100 rows: encoding, HTTP, decoding.
func BenchmarkAllLoopback(b *testing.B) {
	var body strings.Builder
	body.WriteString(`{"success":true,"errors":[],"messages":[],"result":[{"success":true,"meta":{"duration":0.1},"results":[`)
	for i := range 100 {
		if i > 0 {
			body.WriteByte(',')
		}
		fmt.Fprintf(&body, `{"id":%d,"name":"user %d","score":%d.5}`, i, i, i)
	}
	body.WriteString(`]}]}`)
	answerBody := body.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, answerBody)
	}))
	defer srv.Close()
	db, err := rest.Open("acct", "db", errorTestToken, &rest.Options{BaseURL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	client := d1.New(db)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := client.All(ctx, "SELECT id, name, score FROM users WHERE score > ?", 1)
		if err != nil || len(res.Rows) != 100 {
			b.Fatal(err)
		}
	}
}
