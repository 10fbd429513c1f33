package d1http_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1http"
	"github.com/lunora-go/d1/local"
)

// newClient returns a client over a fresh local D1 with a table t.
func newClient(tb testing.TB) *d1.Client {
	tb.Helper()
	db, err := local.Open(filepath.Join(tb.TempDir(), "d1.sqlite"), nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	c := d1.New(db)
	if _, err := c.Run(context.Background(), "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		tb.Fatal(err)
	}
	return c
}

// writeRow is a handler that inserts a row through the request's session.
func writeRow(tb testing.TB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := d1http.Session(r.Context()).Run(r.Context(), "INSERT INTO t (v) VALUES (?)", r.URL.Path); err != nil {
			tb.Error(err)
		}
		io.WriteString(w, "ok")
	}
}

func serve(h http.Handler, r *http.Request) *http.Response {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec.Result()
}

func TestHeaderRoundTrip(t *testing.T) {
	client := newClient(t)
	h := d1http.Middleware(client)(writeRow(t))

	res := serve(h, httptest.NewRequest("POST", "/a", nil))
	first := res.Header.Get("X-D1-Bookmark")
	if first == "" {
		t.Fatal("no bookmark on the response")
	}

	// The next request brings it back: its session starts from it, and its
	// own bookmark is at least as new.
	var started string
	h2 := d1http.Middleware(client)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess := d1http.Session(r.Context())
		row, err := sess.First(r.Context(), "SELECT count(*) FROM t")
		if err != nil {
			t.Error(err)
			return
		}
		n, _ := d1.ScanOne[int](row)
		if n != 1 {
			t.Errorf("the next request sees %d rows, want 1", n)
		}
		started, _ = sess.Bookmark()
	}))
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("x-d1-bookmark", first)
	res = serve(h2, req)
	if started < first {
		t.Errorf("session bookmark %q is older than the request's %q", started, first)
	}
	if got := res.Header.Get("X-D1-Bookmark"); got != started {
		t.Errorf("response bookmark = %q, want the session's %q", got, started)
	}
}

func TestNoQueryNoBookmark(t *testing.T) {
	h := d1http.Middleware(newClient(t))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d1http.Session(r.Context()) == nil {
			t.Error("no session in the request context")
		}
		io.WriteString(w, "hello")
	}))
	res := serve(h, httptest.NewRequest("GET", "/", nil))
	if got := res.Header.Values("X-D1-Bookmark"); len(got) != 0 {
		t.Errorf("bookmark header %q on a response that ran no query", got)
	}
}

func TestSessionOutsideMiddleware(t *testing.T) {
	if s := d1http.Session(context.Background()); s != nil {
		t.Errorf("Session = %v, want nil", s)
	}
}

func TestHandlerWritesNothing(t *testing.T) {
	client := newClient(t)
	h := d1http.Middleware(client)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := d1http.Session(r.Context()).Run(r.Context(), "INSERT INTO t (v) VALUES ('x')"); err != nil {
			t.Error(err)
		}
	}))
	res := serve(h, httptest.NewRequest("POST", "/", nil))
	if res.StatusCode != http.StatusOK || res.Header.Get("X-D1-Bookmark") == "" {
		t.Errorf("status %d, bookmark %q: want 200 and a bookmark", res.StatusCode, res.Header.Get("X-D1-Bookmark"))
	}
}

func TestEarlyHeaderAndTrailer(t *testing.T) {
	client := newClient(t)
	var atHeader, atEnd string
	h := d1http.Middleware(client)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess := d1http.Session(r.Context())
		if _, err := sess.Run(r.Context(), "INSERT INTO t (v) VALUES ('before')"); err != nil {
			t.Error(err)
		}
		atHeader, _ = sess.Bookmark()
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, "streaming...")
		w.(http.Flusher).Flush()
		if _, err := sess.Run(r.Context(), "INSERT INTO t (v) VALUES ('after')"); err != nil {
			t.Error(err)
		}
		atEnd, _ = sess.Bookmark()
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := srv.Client().Post(srv.URL, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if got := res.Header.Get("X-D1-Bookmark"); got != atHeader {
		t.Errorf("header bookmark = %q, want the one at WriteHeader, %q", got, atHeader)
	}
	if _, err := io.ReadAll(res.Body); err != nil {
		t.Fatal(err)
	}
	if atEnd == atHeader {
		t.Fatalf("the second write did not move the bookmark (%q)", atEnd)
	}
	if got := res.Trailer.Get("X-D1-Bookmark"); got != atEnd {
		t.Errorf("trailer bookmark = %q, want the newest, %q", got, atEnd)
	}
}

func TestWriteSetsHeader(t *testing.T) {
	client := newClient(t)
	var want string
	h := d1http.Middleware(client)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess := d1http.Session(r.Context())
		if _, err := sess.Run(r.Context(), "INSERT INTO t (v) VALUES ('x')"); err != nil {
			t.Error(err)
		}
		want, _ = sess.Bookmark()
		io.Copy(w, strings.NewReader("body through ReadFrom"))
	}))
	res := serve(h, httptest.NewRequest("POST", "/", nil))
	if got := res.Header.Get("X-D1-Bookmark"); got != want || got == "" {
		t.Errorf("bookmark = %q, want %q", got, want)
	}
	if b, _ := io.ReadAll(res.Body); string(b) != "body through ReadFrom" {
		t.Errorf("body = %q", b)
	}
}

func TestCookie(t *testing.T) {
	client := newClient(t)
	mw := d1http.Middleware(client,
		d1http.WithHeader(""),
		d1http.WithCookie(http.Cookie{Name: "d1b", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode}))
	res := serve(mw(writeRow(t)), httptest.NewRequest("POST", "/", nil))
	if got := res.Header.Values("X-D1-Bookmark"); len(got) != 0 {
		t.Errorf("header %q written though disabled", got)
	}
	cookies := res.Cookies()
	if len(cookies) != 1 || cookies[0].Name != "d1b" || cookies[0].Value == "" || !cookies[0].HttpOnly || cookies[0].Path != "/" {
		t.Fatalf("cookies = %v, want one d1b cookie with the bookmark", cookies)
	}
	first := cookies[0].Value

	var started string
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(&http.Cookie{Name: "d1b", Value: first})
	serve(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess := d1http.Session(r.Context())
		if _, err := sess.First(r.Context(), "SELECT 1"); err != nil {
			t.Error(err)
		}
		started, _ = sess.Bookmark()
	})), req)
	if started < first {
		t.Errorf("session from the cookie has bookmark %q, older than %q", started, first)
	}
}

func TestConstraint(t *testing.T) {
	client := newClient(t)
	var calls []string
	mw := d1http.Middleware(client, d1http.WithConstraint(func(r *http.Request) string {
		calls = append(calls, r.Method)
		if r.Method == http.MethodPost {
			return d1.FirstPrimary
		}
		return ""
	}))
	h := mw(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	tests := []struct {
		header string
		called bool
	}{
		{"", true},
		{"not a bookmark!", true},
		{"<script>", true},
		{"-", true},
		{strings.Repeat("0", 300), true},
		{"00000000-00000001-00000000-00000000000000000000000000000000", false},
		{d1.FirstPrimary, false},
		{d1.FirstUnconstrained, false},
	}
	for _, tc := range tests {
		calls = nil
		req := httptest.NewRequest("POST", "/", nil)
		if tc.header != "" {
			req.Header.Set("X-D1-Bookmark", tc.header)
		}
		serve(h, req)
		if got := len(calls) == 1; got != tc.called {
			t.Errorf("bookmark %q: constraint called = %v, want %v", tc.header, got, tc.called)
		}
	}
}

func TestResponseController(t *testing.T) {
	client := newClient(t)
	h := d1http.Middleware(client)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := d1http.Session(r.Context()).Run(r.Context(), "INSERT INTO t (v) VALUES ('x')"); err != nil {
			t.Error(err)
		}
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetWriteDeadline: %v", err)
		}
		io.WriteString(w, "part 1\n")
		if err := rc.Flush(); err != nil {
			t.Errorf("Flush: %v", err)
		}
		io.WriteString(w, "part 2\n")
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.Header.Get("X-D1-Bookmark") == "" {
		t.Error("no bookmark")
	}
	if res.ContentLength != -1 {
		t.Errorf("ContentLength = %d: the flush did not start streaming", res.ContentLength)
	}
	b, _ := io.ReadAll(res.Body)
	if got, want := string(b), "part 1\npart 2\n"; got != want {
		t.Errorf("body = %q, want %q", got, want)
	}
}

func TestHijack(t *testing.T) {
	client := newClient(t)
	h := d1http.Middleware(client)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := d1http.Session(r.Context()).Run(r.Context(), "INSERT INTO t (v) VALUES ('x')"); err != nil {
			t.Error(err)
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
		buf.Flush()
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(bufio.NewReader(res.Body))
	if string(b) != "hijacked" {
		t.Errorf("body = %q, want hijacked", b)
	}
	if got := res.Header.Get("X-D1-Bookmark"); got != "" {
		t.Errorf("bookmark %q on a hijacked response", got)
	}
}

func TestInformationalHeader(t *testing.T) {
	client := newClient(t)
	var want string
	h := d1http.Middleware(client)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		sess := d1http.Session(r.Context())
		if _, err := sess.Run(r.Context(), "INSERT INTO t (v) VALUES ('x')"); err != nil {
			t.Error(err)
		}
		want, _ = sess.Bookmark()
		io.WriteString(w, "done")
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if got := res.Header.Get("X-D1-Bookmark"); got != want || got == "" {
		t.Errorf("bookmark after 103 Early Hints = %q, want %q", got, want)
	}
}
