package d1http

import (
	"bufio"
	"io"
	"net"
	"net/http"

	"github.com/lunora-go/d1"
)

// writer wraps a request's ResponseWriter to put the session's bookmark on
// the header just before the header is sent.
type writer struct {
	http.ResponseWriter
	cfg      *config
	sess     *d1.Session
	sent     bool   // the header has gone out (or the connection was hijacked)
	hijacked bool   // the connection was hijacked: nothing more is written
	bookmark string // the bookmark put on the header, if any
}

var (
	_ http.Flusher  = (*writer)(nil)
	_ http.Hijacker = (*writer)(nil)
	_ io.ReaderFrom = (*writer)(nil)
)

// Unwrap returns the wrapped ResponseWriter, for [http.ResponseController].
func (w *writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// beforeHeader puts the session's newest bookmark on the header, once.
func (w *writer) beforeHeader() {
	if w.sent {
		return
	}
	w.sent = true
	bm, ok := w.sess.Bookmark()
	if !ok {
		return
	}
	w.bookmark = bm
	h := w.ResponseWriter.Header()
	if w.cfg.header != "" {
		h.Set(w.cfg.header, bm)
	}
	if w.cfg.cookie != nil {
		c := *w.cfg.cookie
		c.Value = bm
		if v := c.String(); v != "" {
			h.Add("Set-Cookie", v)
		}
	}
}

// WriteHeader sets the bookmark header, then sends the header. Informational
// (1xx) headers other than 101 leave the final header open.
func (w *writer) WriteHeader(code int) {
	if code >= 200 || code == http.StatusSwitchingProtocols {
		w.beforeHeader()
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write sets the bookmark header if the header has not been sent, then
// writes b.
func (w *writer) Write(b []byte) (int, error) {
	w.beforeHeader()
	return w.ResponseWriter.Write(b)
}

// ReadFrom sets the bookmark header if the header has not been sent, then
// copies from r, through the wrapped writer's own ReadFrom when it has one.
func (w *writer) ReadFrom(r io.Reader) (int64, error) {
	w.beforeHeader()
	return io.Copy(w.ResponseWriter, r)
}

// Flush sets the bookmark header if the header has not been sent, then
// flushes, as [writer.FlushError] does without reporting an error.
func (w *writer) Flush() { _ = w.FlushError() }

// FlushError sets the bookmark header if the header has not been sent, then
// flushes the wrapped writer. [http.ResponseController.Flush] calls it.
func (w *writer) FlushError() error {
	w.beforeHeader()
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack hands the connection over to the caller; no bookmark is written.
func (w *writer) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil {
		w.sent, w.hijacked = true, true
	}
	return c, rw, err
}

// finish runs when the handler has returned. If the handler wrote nothing,
// the bookmark goes on the header that net/http is about to send; if the
// header went out before the session's last query moved the bookmark on,
// the newer one goes in a trailer.
func (w *writer) finish() {
	if !w.sent {
		w.beforeHeader()
		return
	}
	if w.hijacked || w.cfg.header == "" {
		return
	}
	if bm, ok := w.sess.Bookmark(); ok && bm != w.bookmark {
		w.ResponseWriter.Header().Set(http.TrailerPrefix+w.cfg.header, bm)
	}
}
