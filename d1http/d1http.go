// Package d1http is net/http middleware that gives each request a D1 session
// which continues from the bookmark the client sent, and sends the session's
// newest bookmark back, so that a client's next request reads its own writes
// even when it lands on a lagging replica.
//
//	client := d1.New(db)
//	http.ListenAndServe(addr, d1http.Middleware(client)(mux))
//
//	func handler(w http.ResponseWriter, r *http.Request) {
//		sess := d1http.Session(r.Context())
//		row, err := sess.First(r.Context(), "SELECT ...", ...)
//		...
//	}
//
// # Carrying the bookmark
//
// By default the bookmark travels in the x-d1-bookmark header, both ways, as
// in Cloudflare's examples; [WithHeader] changes the name, and [WithCookie]
// also (or instead) carries it in a cookie. A request's header wins over its
// cookie. A request without a usable bookmark gets a session that starts
// [d1.FirstUnconstrained], or as [WithConstraint] decides. The values
// "first-primary" and "first-unconstrained" are accepted in place of a
// bookmark. Anything that does not look like a bookmark (hexadecimal fields
// separated by dashes, at most 256 bytes) is ignored, so that arbitrary
// client input never reaches D1.
//
// For browsers reading the header from another origin, list it in the
// response's Access-Control-Expose-Headers; that is the application's CORS
// policy and this package does not set it.
//
// # When the bookmark is written
//
// The bookmark goes on the response's header as late as possible: when the
// handler calls WriteHeader, or first calls Write, Flush or ReadFrom, or,
// if the handler writes nothing, when it returns. It is the session's newest
// bookmark at that moment; when the session has run no query yet, nothing is
// written and the client keeps the bookmark it has.
//
// Queries that run after the header has gone out (while streaming a body,
// say) cannot change it. When they move the bookmark on, the newer bookmark
// is sent as an HTTP trailer of the same name when the handler returns; Go
// sends trailers with chunked HTTP/1.1 responses (no Content-Length) and over
// HTTP/2. Most clients, browsers' fetch among them, do not read trailers, and
// a cookie cannot be updated at all once the header is sent: handlers that
// stream should run their writes before they start writing the response.
//
// The wrapped [http.ResponseWriter] implements [http.Flusher] and
// [http.Hijacker] and unwraps for [http.ResponseController], so streaming,
// deadlines and hijacking keep working.
package d1http

import (
	"context"
	"net/http"

	"github.com/lunora-go/d1"
)

// DefaultHeader is the header that carries the bookmark by default.
const DefaultHeader = "X-D1-Bookmark"

// maxBookmarkLen bounds the length of a bookmark accepted from a request.
const maxBookmarkLen = 256

// Option configures [Middleware].
type Option func(*config)

type config struct {
	header     string
	cookie     *http.Cookie
	constraint func(*http.Request) string
}

// WithHeader sets the header that carries the bookmark on requests and
// responses; "" carries it in no header (use [WithCookie] then). The default
// is [DefaultHeader].
func WithHeader(name string) Option {
	return func(c *config) { c.header = http.CanonicalHeaderKey(name) }
}

// WithCookie carries the bookmark in a cookie as well: it is read from the
// request cookie named template.Name and written back with Set-Cookie, with
// template's Path, Domain, MaxAge, Expires, Secure, HttpOnly, SameSite and
// Partitioned attributes. The cookie is written only while the header can
// still change.
func WithCookie(template http.Cookie) Option {
	return func(c *config) { c.cookie = &template }
}

// WithConstraint sets how the session of a request that brings no bookmark
// starts: f returns "" or [d1.FirstUnconstrained] (the first query may go to
// any replica, the default) or [d1.FirstPrimary]. A server might send the
// first query of a POST to the primary, for example.
func WithConstraint(f func(*http.Request) string) Option {
	return func(c *config) { c.constraint = f }
}

type ctxKey struct{}

// NewContext returns a copy of ctx that carries sess, for [Session] to find.
// The middleware calls it; it is exported for tests and for code that opens
// sessions another way.
func NewContext(ctx context.Context, sess *d1.Session) context.Context {
	return context.WithValue(ctx, ctxKey{}, sess)
}

// Session returns the session that [Middleware] opened for the request
// whose context is ctx, or nil when there is none.
func Session(ctx context.Context) *d1.Session {
	s, _ := ctx.Value(ctxKey{}).(*d1.Session)
	return s
}

// Middleware returns middleware that opens a session on client for each
// request, from the bookmark the request carries, puts it in the request's
// context for [Session], and writes the session's newest bookmark on the
// response. See the package documentation for when it is written.
func Middleware(client *d1.Client, opts ...Option) func(http.Handler) http.Handler {
	cfg := config{header: DefaultHeader}
	for _, o := range opts {
		o(&cfg)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			from := cfg.bookmark(r)
			sess := client.WithSession(from)
			bw := &writer{ResponseWriter: w, cfg: &cfg, sess: sess}
			next.ServeHTTP(bw, r.WithContext(NewContext(r.Context(), sess)))
			bw.finish()
		})
	}
}

// bookmark returns the bookmark or constraint a session for r starts from.
func (c *config) bookmark(r *http.Request) string {
	if c.header != "" {
		if v := r.Header.Get(c.header); usable(v) {
			return v
		}
	}
	if c.cookie != nil {
		if ck, err := r.Cookie(c.cookie.Name); err == nil && usable(ck.Value) {
			return ck.Value
		}
	}
	if c.constraint != nil {
		return c.constraint(r)
	}
	return ""
}

// usable reports whether v may be passed to D1 as a bookmark or constraint:
// a session constraint, or hexadecimal fields separated by dashes.
func usable(v string) bool {
	if v == d1.FirstPrimary || v == d1.FirstUnconstrained {
		return true
	}
	if v == "" || len(v) > maxBookmarkLen || v[0] == '-' || v[len(v)-1] == '-' {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '-') {
			return false
		}
	}
	return true
}
