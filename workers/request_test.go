//go:build !(js && wasm)

package workers

import (
	"context"
	"io"
	"net/http"
	"net/textproto"
	"reflect"
	"slices"
	"strings"
	"testing"
)

var urls = []string{
	"http://localhost/",
	"http://localhost:8787/notes",
	"https://example.com/notes/12?x=1&y=%20z",
	"http://127.0.0.1:45527/a/b/c/",
	"http://host/path;x=1,2/$&+=@:~_-.",
	"http://host/%41%2Fb",
	"http://host/a%20b?q",
	"http://host/é",
	"http://host/a b",
	"http://host/a!b*(c)'",
	"http://host/?",
	"http://host/path?",
	"http://host/path?a#frag",
	"http://host/path#frag",
	"http://host",
	"http://host:",
	"http://host:/x",
	"http://host:x/",
	"http://host:1:2/",
	"http://Host/",
	"http://user@host/",
	"http://[::1]:8787/x",
	"http://[::1]:/x",
	"http://host_name/",
	"http://host//double//slash",
	"https://host/q?\x01",
	"ftp://host/x",
	"HTTP://host/x",
	"/relative",
	"",
	"http://host/%zz",
}

// TestParseURL checks that parseURL gives what url.Parse and
// http.NewRequest give, on the short path and off it.
func TestParseURL(t *testing.T) {
	for _, raw := range urls {
		checkParseURL(t, raw)
	}
}

func FuzzParseURL(f *testing.F) {
	for _, raw := range urls {
		f.Add(raw)
	}
	f.Fuzz(checkParseURL)
}

func checkParseURL(t *testing.T, raw string) {
	want, wantErr := http.NewRequest("GET", raw, nil)
	u, uri, err := parseURL(raw)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("parseURL(%q) error %v, want %v", raw, err, wantErr)
	}
	if err != nil {
		return
	}
	if !reflect.DeepEqual(u, want.URL) {
		t.Errorf("parseURL(%q) = %#v\nwant %#v", raw, u, want.URL)
	}
	if got, want := uri, want.URL.RequestURI(); got != want {
		t.Errorf("parseURL(%q) request URI = %q, want %q", raw, got, want)
	}
}

// TestCutURL checks that the URLs workerd gives take the short path.
func TestCutURL(t *testing.T) {
	for _, raw := range []string{"http://localhost:8787/notes", "https://example.com/notes/12?x=1&y=%20z", "http://127.0.0.1/"} {
		if _, _, ok := cutURL(raw); !ok {
			t.Errorf("cutURL(%q) took the long way", raw)
		}
	}
}

func TestParseHead(t *testing.T) {
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "v")
	head := "POST\nhttp://example.com:8787/path?q=1\nx-in:with: colon\ncontent-length:5\ncf-connecting-ip:10.0.0.1\nx-multi:a\nx-multi:b\nx-empty:\nno colon\n"
	r, err := parseHead(ctx, head, []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := http.NewRequestWithContext(ctx, "POST", "http://example.com:8787/path?q=1", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Method, want.Method; got != want {
		t.Errorf("Method = %q, want %q", got, want)
	}
	if !reflect.DeepEqual(r.URL, want.URL) {
		t.Errorf("URL = %#v, want %#v", r.URL, want.URL)
	}
	for _, f := range []struct{ name, got, want string }{
		{"Host", r.Host, want.Host},
		{"Proto", r.Proto, want.Proto},
		{"RequestURI", r.RequestURI, "/path?q=1"},
		{"RemoteAddr", r.RemoteAddr, "10.0.0.1"},
	} {
		if f.got != f.want {
			t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
		}
	}
	if got, want := r.ContentLength, int64(5); got != want {
		t.Errorf("ContentLength = %d, want %d", got, want)
	}
	if r.ProtoMajor != 1 || r.ProtoMinor != 1 {
		t.Errorf("ProtoMajor, ProtoMinor = %d, %d", r.ProtoMajor, r.ProtoMinor)
	}
	if got, want := r.Context().Value(key{}), "v"; got != want {
		t.Errorf("context value = %v, want %v", got, want)
	}
	wantHeader := http.Header{
		"X-In": {"with: colon"}, "Content-Length": {"5"}, "Cf-Connecting-Ip": {"10.0.0.1"},
		"X-Multi": {"a", "b"}, "X-Empty": {""},
	}
	if !reflect.DeepEqual(r.Header, wantHeader) {
		t.Errorf("Header = %v, want %v", r.Header, wantHeader)
	}
	if b, err := io.ReadAll(r.Body); err != nil || string(b) != "hello" {
		t.Errorf("body = %q, %v", b, err)
	}

	r, err = parseHead(ctx, "GET\nhttp://example.com/\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Body != http.NoBody || r.ContentLength != 0 || len(r.Header) != 0 {
		t.Errorf("bodyless request: Body %v, ContentLength %d, Header %v", r.Body, r.ContentLength, r.Header)
	}

	for _, head := range []string{"GET", "GET\nhttp://example.com/", "G T\nhttp://example.com/\n", "\nhttp://example.com/\n", "GET\nhttp://[::1/\n"} {
		if _, err := parseHead(ctx, head, nil); err == nil {
			t.Errorf("parseHead(%q) accepted a malformed head", head)
		}
	}
}

func TestCanonicalKey(t *testing.T) {
	for _, name := range []string{"content-type", "x-d1-bookmark", "cf-connecting-ip", "www-authenticate", "x_y", "bad name", "é", "content-type"} {
		if got, want := canonicalKey(name), textproto.CanonicalMIMEHeaderKey(name); got != want {
			t.Errorf("canonicalKey(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestFinish(t *testing.T) {
	w := &responseWriter{header: http.Header{}}
	w.Header().Set("X-One", "1")
	w.Header().Add("X-Multi", "a")
	w.Header().Add("X-Multi", "b")
	w.Header().Set("X-Newline", "a\r\nb")
	w.Header().Set("Trailer", "X-Late")
	w.Header().Set("X-Late", "early")
	w.WriteHeader(http.StatusAccepted)
	w.Write([]byte("<html>"))
	w.Header().Set(http.TrailerPrefix+"X-Late", "late")
	status, head, body := w.finish()
	if status != http.StatusAccepted || string(body) != "<html>" {
		t.Errorf("finish = %d, %q", status, body)
	}
	lines := strings.Split(strings.TrimSuffix(string(head), "\n"), "\n")
	slices.Sort(lines)
	want := []string{"Content-Type:text/html; charset=utf-8", "X-Late:late", "X-Multi:a", "X-Multi:b", "X-Newline:a  b", "X-One:1"}
	if !slices.Equal(lines, want) {
		t.Errorf("head =\n%q\nwant\n%q", lines, want)
	}

	w = &responseWriter{header: http.Header{}}
	w.WriteHeader(http.StatusNotModified)
	w.Write([]byte("dropped"))
	if status, head, body := w.finish(); status != http.StatusNotModified || len(head) != 0 || body != nil {
		t.Errorf("304: %d %q %q", status, head, body)
	}
	w = &responseWriter{header: http.Header{}}
	if status, _, body := w.finish(); status != http.StatusOK || len(body) != 0 {
		t.Errorf("empty: %d %q", status, body)
	}
}

var sinkRequest *http.Request

func BenchmarkParseHead(b *testing.B) {
	head := "GET\nhttp://localhost:8787/notes/1\naccept-encoding:gzip\ncf-connecting-ip:127.0.0.1\nhost:localhost:8787\nuser-agent:Go-http-client/1.1\nx-impl:go\n"
	b.ReportAllocs()
	for b.Loop() {
		r, err := parseHead(context.Background(), head, nil)
		if err != nil {
			b.Fatal(err)
		}
		sinkRequest = r
	}
}

// BenchmarkNewRequest is what parseHead did with net/http's constructor.
func BenchmarkNewRequest(b *testing.B) {
	head := "GET\nhttp://localhost:8787/notes/1\naccept-encoding:gzip\ncf-connecting-ip:127.0.0.1\nhost:localhost:8787\nuser-agent:Go-http-client/1.1\nx-impl:go\n"
	b.ReportAllocs()
	for b.Loop() {
		method, rest, _ := strings.Cut(head, "\n")
		raw, rest, _ := strings.Cut(rest, "\n")
		r, err := http.NewRequestWithContext(context.Background(), method, raw, nil)
		if err != nil {
			b.Fatal(err)
		}
		r.Header = make(http.Header, strings.Count(rest, "\n"))
		for rest != "" {
			var line string
			line, rest, _ = strings.Cut(rest, "\n")
			if name, value, ok := strings.Cut(line, ":"); ok {
				key := textproto.CanonicalMIMEHeaderKey(name)
				r.Header[key] = append(r.Header[key], value)
			}
		}
		r.RemoteAddr = r.Header.Get("Cf-Connecting-Ip")
		r.RequestURI = r.URL.RequestURI()
		sinkRequest = r
	}
}

func TestServeHTTPPanic(t *testing.T) {
	for _, tt := range []struct {
		name    string
		handler http.HandlerFunc
		want    int
	}{
		{"panic", func(http.ResponseWriter, *http.Request) { panic("oops") }, http.StatusInternalServerError},
		{"after header", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot); panic("oops") }, http.StatusTeapot},
		{"abort", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusAccepted)
			panic(http.ErrAbortHandler)
		}, http.StatusAccepted},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := parseHead(context.Background(), "GET\nhttp://example.com/\n", nil)
			if err != nil {
				t.Fatal(err)
			}
			w := &responseWriter{header: http.Header{}}
			serveHTTP(tt.handler, w, r)
			if got, _, _ := w.finish(); got != tt.want {
				t.Errorf("status = %d, want %d", got, tt.want)
			}
		})
	}
}
