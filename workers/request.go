package workers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
)

// This file turns the glue's request text into an *http.Request and a
// buffered response into the glue's response text (see Serve). It builds
// without syscall/js, so that the host's tests cover it.

// parseHead builds the request from the glue's head text and body (nil for
// none): the method, the URL and the headers, one per line, "name:value"
// for headers, with names in lower case, as JavaScript's Headers has them.
//
// The request is what http.NewRequestWithContext would build, with the
// fields a server sets (RequestURI, RemoteAddr from Cf-Connecting-Ip,
// ContentLength from Content-Length), made for less: a URL of the usual
// shape (http or https, a host name and port, a path that needs no
// unescaping, a query) is cut apart rather than parsed, and header names
// are canonicalized once for the program rather than once a request.
func parseHead(ctx context.Context, head string, body []byte) (*http.Request, error) {
	method, rest, ok1 := strings.Cut(head, "\n")
	rawURL, rest, ok2 := strings.Cut(rest, "\n")
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("workers: malformed request from the entry module")
	}
	if !validMethod(method) {
		return nil, fmt.Errorf("workers: invalid method %q", method)
	}
	u, requestURI, err := parseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("workers: %w", err)
	}
	n := strings.Count(rest, "\n")
	values := make([]string, n) // one array for the headers' first values
	r := &http.Request{
		Method:        method,
		URL:           u,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        make(http.Header, n),
		Body:          http.NoBody,
		ContentLength: int64(len(body)),
		Host:          u.Host,
		RequestURI:    requestURI,
	}
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	for rest != "" {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key := canonicalKey(name)
		if vs, ok := r.Header[key]; ok {
			r.Header[key] = append(vs, value)
		} else {
			values[0] = value
			r.Header[key], values = values[:1:1], values[1:]
		}
		switch key {
		case "Content-Length":
			if n, err := strconv.ParseInt(value, 10, 64); err == nil {
				r.ContentLength = n
			}
		case "Cf-Connecting-Ip":
			if r.RemoteAddr == "" {
				r.RemoteAddr = value
			}
		}
	}
	return r.WithContext(ctx), nil
}

// validMethod reports whether method is an HTTP token, as net/http wants.
func validMethod(method string) bool {
	if method == "" {
		return false
	}
	for i := 0; i < len(method); i++ {
		if !tokenByte(method[i]) {
			return false
		}
	}
	return true
}

func tokenByte(c byte) bool {
	if c >= 0x80 || c <= ' ' || c == 0x7f {
		return false
	}
	return !strings.ContainsRune(`"(),/:;<=>?@[\]{}`, rune(c))
}

// parseURL returns what url.Parse returns for raw, with the host's empty
// port removed as http.NewRequest does, and the request's RequestURI.
func parseURL(raw string) (*url.URL, string, error) {
	if u, uri, ok := cutURL(raw); ok {
		return u, uri, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, "", err
	}
	if i := strings.LastIndexByte(u.Host, ':'); i > strings.LastIndexByte(u.Host, ']') {
		u.Host = strings.TrimSuffix(u.Host, ":")
	}
	return u, u.RequestURI(), nil
}

// cutURL cuts apart a URL of the shape the Workers runtime gives for nearly
// every request, scheme://host[:port]/path[?query], when doing so gives what
// url.Parse would: a host name of lower-case letters, digits, dots and
// dashes, a path of bytes that url.Parse neither unescapes nor escapes, and
// a query without control bytes or a fragment.
func cutURL(raw string) (u *url.URL, requestURI string, ok bool) {
	var scheme, rest string
	switch {
	case strings.HasPrefix(raw, "https://"):
		scheme, rest = "https", raw[len("https://"):]
	case strings.HasPrefix(raw, "http://"):
		scheme, rest = "http", raw[len("http://"):]
	default:
		return nil, "", false
	}
	slash := strings.IndexByte(rest, '/')
	if slash <= 0 || !hostOK(rest[:slash]) {
		return nil, "", false
	}
	host, uri := rest[:slash], rest[slash:]
	path, query, hasQuery := strings.Cut(uri, "?")
	if hasQuery && query == "" {
		return nil, "", false // url.Parse sets ForceQuery
	}
	for i := 0; i < len(path); i++ {
		if !pathByte(path[i]) {
			return nil, "", false
		}
	}
	for i := 0; i < len(query); i++ {
		if c := query[i]; c < ' ' || c == 0x7f || c == '#' {
			return nil, "", false
		}
	}
	return &url.URL{Scheme: scheme, Host: host, Path: path, RawQuery: query}, uri, true
}

// hostOK reports whether host is a name of lower-case letters, digits, dots
// and dashes, with a port of digits or none.
func hostOK(host string) bool {
	name, port, hasPort := strings.Cut(host, ":")
	if name == "" || hasPort && port == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	for i := 0; i < len(port); i++ {
		if c := port[i]; c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// pathByte reports whether c stands for itself in a URL's path, both to
// url.Parse's unescaping and to url.URL.EscapedPath's escaping.
func pathByte(c byte) bool {
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
		return true
	}
	switch c {
	case '-', '_', '.', '~', '$', '&', '+', ',', '/', ':', ';', '=', '@':
		return true
	}
	return false
}

// canonical caches canonical header keys by the lower-case names that the
// glue sends, as most requests carry the same few dozen names: each
// textproto.CanonicalMIMEHeaderKey of a lower-case name allocates.
var canonical = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

// maxCanonical bounds the cache, which requests' names fill.
const maxCanonical = 512

// canonicalKey returns textproto.CanonicalMIMEHeaderKey(name).
func canonicalKey(name string) string {
	canonical.Lock()
	key, ok := canonical.m[name]
	canonical.Unlock()
	if ok {
		return key
	}
	key = textproto.CanonicalMIMEHeaderKey(name)
	canonical.Lock()
	if len(canonical.m) < maxCanonical {
		// Clones: name, and key when it is name, point into a request.
		canonical.m[strings.Clone(name)] = strings.Clone(key)
	}
	canonical.Unlock()
	return key
}

// serveHTTP calls handler and turns a panic into a 500 response, as
// net/http's server does.
func serveHTTP(handler http.Handler, w *responseWriter, r *http.Request) {
	defer func() {
		if x := recover(); x != nil {
			if x == http.ErrAbortHandler {
				return
			}
			fmt.Fprintf(os.Stderr, "workers: panic serving %s %s: %v\n%s", r.Method, r.URL, x, debug.Stack())
			if !w.wroteHeader {
				w.header = http.Header{}
				w.body.Reset()
				http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			}
		}
	}()
	handler.ServeHTTP(w, r)
}

// responseWriter buffers a response. A goroutine that serves one request
// after another reuses its buffers (see reset).
type responseWriter struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
	head        []byte // finish's buffer
}

// maxReuse bounds the buffers of a response that reset keeps for the next.
const maxReuse = 64 << 10

// reset readies w for a new response, keeping its buffers unless they
// grew large. The response before must be done with: what finish returned
// is overwritten.
func (w *responseWriter) reset() {
	w.header = http.Header{}
	w.status = 0
	w.wroteHeader = false
	if w.body.Cap() > maxReuse {
		w.body = bytes.Buffer{}
	}
	w.body.Reset()
	if cap(w.head) > maxReuse {
		w.head = nil
	}
}

func (w *responseWriter) Header() http.Header { return w.header }

func (w *responseWriter) WriteHeader(status int) {
	if w.wroteHeader {
		return
	}
	w.wroteHeader = true
	w.status = status
}

func (w *responseWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(p)
}

// finish returns the response's status, its headers as "name:value" lines
// (trailers among them, as the body is complete) and its body, nil for
// none.
func (w *responseWriter) finish() (status int, head, body []byte) {
	w.WriteHeader(http.StatusOK)
	body = w.body.Bytes()
	if nullBodyStatus(w.status) {
		body = nil
	}
	if len(body) > 0 && w.header["Content-Type"] == nil {
		w.header.Set("Content-Type", http.DetectContentType(body))
	}
	n, trailers := 0, false
	for name, vs := range w.header {
		for _, v := range vs {
			n += len(name) + len(v) + 2
		}
		trailers = trailers || strings.HasPrefix(name, http.TrailerPrefix)
	}
	if cap(w.head) < n {
		w.head = make([]byte, 0, n)
	}
	head = w.head[:0]
	line := func(name, value string) {
		head = append(append(head, name...), ':')
		if strings.ContainsAny(value, "\r\n") {
			value = strings.Map(noNewline, value)
		}
		head = append(append(head, value...), '\n')
	}
	for name, vs := range w.header {
		if trailers || name == "Trailer" {
			if strings.HasPrefix(name, http.TrailerPrefix) || name == "Trailer" {
				continue
			}
			if _, isTrailer := w.header[http.TrailerPrefix+name]; isTrailer {
				continue
			}
		}
		for _, v := range vs {
			line(name, v)
		}
	}
	if trailers {
		for name, vs := range w.header {
			if name, ok := strings.CutPrefix(name, http.TrailerPrefix); ok && len(vs) > 0 {
				line(name, strings.Join(vs, ", "))
			}
		}
	}
	w.head = head
	return w.status, head, body
}

// noNewline maps line breaks in header values to spaces, as net/http does.
func noNewline(r rune) rune {
	if r == '\n' || r == '\r' {
		return ' '
	}
	return r
}

// nullBodyStatus reports whether a response with status has no body.
func nullBodyStatus(status int) bool {
	return status == 101 || status == 204 || status == 205 || status == 304
}
