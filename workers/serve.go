//go:build js && wasm

package workers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall/js"
)

// glueName is the global object through which the entry module and Go
// meet: what glue/worker.mjs's glue function returns. Besides the D1
// functions of bridge (fast.go), it holds
//
//	env      the Worker's env when Go started
//	serve    a function Go calls with its request handler
//	read     read(id, ptr) copies request id's head and body to ptr
//	envOf    envOf(id) returns the env of request id
//	respond  respond(id, status, ptr, headLen, bodyLen) answers request id
//	fail     fail(id, ptr, len) rejects request id with a message
//
// The handler takes (id, headLen, bodyLen) and returns at once: the request
// is headLen bytes of head, its method, URL and headers, one per line
// ("name:value" for headers), then bodyLen bytes of body (-1 for none), and
// Go reads them with read. When the response is ready, Go writes it the
// same way, headers then body, and calls respond with their address in its
// memory. Only numbers cross between JavaScript and Go, and each way the
// bytes are copied once: each crossing of syscall/js costs, and JavaScript
// objects cost more, as Go keeps a finalizer for each.
const glueName = "lunoraWorkers"

// Serve hands the Worker's requests to handler (http.DefaultServeMux when
// nil) and blocks forever. It needs the entry module of package
// github.com/lunora-go/d1/workers/glue, and panics without it.
//
// Each request runs handler in its own goroutine, apart from JavaScript's
// event loop. The request's context carries the request's env, for
// [Env]. The response is buffered and sent when the handler returns, so
// trailers (headers named with [http.TrailerPrefix]) go out as headers; a
// handler that panics gets a 500 response and the panic is logged.
func Serve(handler http.Handler) {
	if handler == nil {
		handler = http.DefaultServeMux
	}
	glue := js.Global().Get(glueName)
	if glue.Type() != js.TypeObject || glue.Get("serve").Type() != js.TypeFunction {
		panic("workers: Serve needs the entry module workers/glue/worker.mjs (globalThis." + glueName + ".serve is missing)")
	}
	read, envOf, respond, fail := glue.Get("read"), glue.Get("envOf"), glue.Get("respond"), glue.Get("fail")
	workers := &pool{work: make(chan func())}
	fn := js.FuncOf(func(_ js.Value, args []js.Value) any {
		id, headLen, bodyLen := arg(args, 0).Int(), arg(args, 1).Int(), arg(args, 2).Int()
		data := make([]byte, headLen+max(bodyLen, 0))
		if len(data) > 0 {
			read.Invoke(id, ptr(data))
		}
		var body []byte
		if bodyLen >= 0 {
			body = data[headLen:]
		}
		head := string(data[:headLen])
		workers.run(func() {
			env := &lazyEnv{get: func() js.Value { return envOf.Invoke(id) }}
			status, header, out, err := serve(handler, head, body, env)
			if err == nil {
				resp := make([]byte, 0, len(header)+len(out))
				resp = append(append(resp, header...), out...)
				n := len(out)
				if out == nil {
					n = -1
				}
				err = invoke(respond, id, status, ptr(resp), len(header), n)
				runtime.KeepAlive(resp)
			}
			if err != nil {
				// JavaScript may have thrown: never panic here.
				msg := err.Error()
				_ = invoke(fail, id, strPtr(msg), len(msg))
				runtime.KeepAlive(msg)
			}
		})
		return nil
	})
	glue.Call("serve", fn)
	select {}
}

// pool runs functions on goroutines that outlive them, so that a request
// does not pay again for growing a fresh goroutine's stack, which is costly
// in WebAssembly. Up to maxIdle goroutines wait for work; when none is
// waiting, a new one starts.
type pool struct {
	work chan func()
	idle atomic.Int32
}

const maxIdle = 16

func (p *pool) run(f func()) {
	select {
	case p.work <- f:
	default:
		go p.loop(f)
	}
}

func (p *pool) loop(f func()) {
	for {
		f()
		if p.idle.Add(1) > maxIdle {
			p.idle.Add(-1)
			return
		}
		f = <-p.work
		p.idle.Add(-1)
	}
}

// Binding returns the binding called name in the env the Worker was started
// with, or undefined when there is none (or when the program was not started
// by the entry module of package github.com/lunora-go/d1/workers/glue).
func Binding(name string) js.Value {
	env := js.Global().Get(glueName)
	if env.Type() != js.TypeObject {
		return js.Undefined()
	}
	if env = env.Get("env"); env.Type() != js.TypeObject {
		return js.Undefined()
	}
	return env.Get(name)
}

type envKey struct{}

// lazyEnv is the env of a request, fetched from JavaScript when first asked
// for.
type lazyEnv struct {
	once sync.Once
	get  func() js.Value
	v    js.Value
}

func (e *lazyEnv) value() js.Value {
	e.once.Do(func() { e.v = e.get() })
	return e.v
}

// Env returns the env of the request whose context is ctx, as given to the
// Worker's fetch handler, or undefined outside [Serve].
func Env(ctx context.Context) js.Value {
	if e, ok := ctx.Value(envKey{}).(*lazyEnv); ok {
		return e.value()
	}
	return js.Undefined()
}

// serve runs handler for the request of head and body, and returns the
// response's status, headers (as lines) and body.
func serve(handler http.Handler, head string, body []byte, env *lazyEnv) (int, string, []byte, error) {
	ctx := context.WithValue(context.Background(), envKey{}, env)
	r, err := parseHead(ctx, head, body)
	if err != nil {
		return 0, "", nil, err
	}
	w := &responseWriter{header: http.Header{}}
	serveHTTP(handler, w, r)
	return w.finish()
}

// parseHead builds the request from the glue's head text and body.
func parseHead(ctx context.Context, head string, body []byte) (*http.Request, error) {
	method, rest, ok1 := strings.Cut(head, "\n")
	url, rest, ok2 := strings.Cut(rest, "\n")
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("workers: malformed request from the entry module")
	}
	var rd io.Reader // nil: http.NoBody below, and no reader to allocate
	if body != nil {
		rd = bytes.NewReader(body)
	}
	r, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, fmt.Errorf("workers: %w", err)
	}
	if body == nil {
		r.Body = http.NoBody
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
	r.ContentLength = int64(len(body))
	if cl := r.Header.Get("Content-Length"); cl != "" {
		if n, err := strconv.ParseInt(cl, 10, 64); err == nil {
			r.ContentLength = n
		}
	}
	r.RemoteAddr = r.Header.Get("Cf-Connecting-Ip")
	r.RequestURI = r.URL.RequestURI()
	return r, nil
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

// responseWriter buffers a response.
type responseWriter struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
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
// (trailers among them, as the body is complete) and its body.
func (w *responseWriter) finish() (int, string, []byte, error) {
	w.WriteHeader(http.StatusOK)
	body := w.body.Bytes()
	if nullBodyStatus(w.status) {
		body = nil
	}
	if len(body) > 0 && w.header.Get("Content-Type") == "" && w.header["Content-Type"] == nil {
		w.header.Set("Content-Type", http.DetectContentType(body))
	}
	var b strings.Builder
	line := func(name, value string) {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(strings.Map(noNewline, value))
		b.WriteByte('\n')
	}
	for name, vs := range w.header {
		if strings.HasPrefix(name, http.TrailerPrefix) || name == "Trailer" {
			continue
		}
		if _, isTrailer := w.header[http.TrailerPrefix+name]; isTrailer {
			continue
		}
		for _, v := range vs {
			line(name, v)
		}
	}
	for name, vs := range w.header {
		if name, ok := strings.CutPrefix(name, http.TrailerPrefix); ok && len(vs) > 0 {
			line(name, strings.Join(vs, ", "))
		}
	}
	return w.status, b.String(), body, nil
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
