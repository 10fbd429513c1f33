//go:build js && wasm

package workers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall/js"
)

// glueName is the global object through which the entry module and Go meet:
// the entry module sets it before it starts Go, with
//
//	env     the Worker's env when Go started
//	serve   a function Go calls with the request handler
const glueName = "lunoraWorkers"

// Serve hands the Worker's requests to handler (http.DefaultServeMux when
// nil) and blocks forever. It needs the entry module of package
// github.com/lunora-go/d1/workers/glue, and panics without it.
//
// Each request runs handler in its own goroutine; JavaScript gets a Promise
// of the Response. The request's context carries the request's env, for
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
	fn := js.FuncOf(func(_ js.Value, args []js.Value) any {
		return newPromise(func(resolve, reject js.Value) {
			go func() {
				resp, err := serveJS(handler, arg(args, 0), arg(args, 1), arg(args, 2))
				if err != nil {
					reject.Invoke(js.Global().Get("Error").New(err.Error()))
					return
				}
				resolve.Invoke(resp)
			}()
		})
	})
	glue.Call("serve", fn)
	select {}
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

// Env returns the env of the request whose context is ctx, as given to the
// Worker's fetch handler, or undefined outside [Serve].
func Env(ctx context.Context) js.Value {
	if v, ok := ctx.Value(envKey{}).(js.Value); ok {
		return v
	}
	return js.Undefined()
}

// serveJS runs handler for the JavaScript Request req and returns the
// JavaScript Response.
func serveJS(handler http.Handler, req, env, _ js.Value) (js.Value, error) {
	ctx := context.WithValue(context.Background(), envKey{}, env)
	r, err := toRequest(ctx, req)
	if err != nil {
		return js.Undefined(), err
	}
	w := &responseWriter{header: http.Header{}}
	serveHTTP(handler, w, r)
	return w.toJS()
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

// toRequest converts a JavaScript Request.
func toRequest(ctx context.Context, req js.Value) (*http.Request, error) {
	if req.Type() != js.TypeObject {
		return nil, fmt.Errorf("workers: the handler was called without a Request")
	}
	var body io.Reader = http.NoBody
	if b := req.Get("body"); b.Type() == js.TypeObject {
		buf, err := callAwait(ctx, req, "arrayBuffer")
		if err != nil {
			return nil, fmt.Errorf("workers: reading the request body: %w", err)
		}
		data, _ := bytesFromJS(buf)
		body = bytes.NewReader(data)
	}
	r, err := http.NewRequestWithContext(ctx, req.Get("method").String(), req.Get("url").String(), body)
	if err != nil {
		return nil, fmt.Errorf("workers: %w", err)
	}
	pairs := jsArray.Call("from", req.Get("headers"))
	for i, n := 0, pairs.Length(); i < n; i++ {
		p := pairs.Index(i)
		r.Header.Add(p.Index(0).String(), p.Index(1).String())
	}
	if cl := r.Header.Get("Content-Length"); cl != "" {
		r.ContentLength, _ = strconv.ParseInt(cl, 10, 64)
	}
	r.RemoteAddr = r.Header.Get("Cf-Connecting-Ip")
	r.RequestURI = r.URL.RequestURI()
	return r, nil
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

// toJS returns the response as a JavaScript Response.
func (w *responseWriter) toJS() (js.Value, error) {
	w.WriteHeader(http.StatusOK)
	if w.body.Len() > 0 && w.header.Get("Content-Type") == "" && w.header["Content-Type"] == nil {
		w.header.Set("Content-Type", http.DetectContentType(w.body.Bytes()))
	}
	headers := js.Global().Get("Headers").New()
	for k, vs := range w.header {
		if strings.HasPrefix(k, http.TrailerPrefix) || k == "Trailer" {
			continue
		}
		for _, v := range vs {
			if _, err := call(headers, "append", k, v); err != nil {
				return js.Undefined(), fmt.Errorf("workers: response header %q: %w", k, err)
			}
		}
	}
	// The whole body is buffered, so trailers go out as headers.
	for k, vs := range w.header {
		if name, ok := strings.CutPrefix(k, http.TrailerPrefix); ok && len(vs) > 0 {
			if _, err := call(headers, "set", name, strings.Join(vs, ", ")); err != nil {
				return js.Undefined(), fmt.Errorf("workers: response trailer %q: %w", name, err)
			}
		}
	}
	body := js.Null()
	if w.body.Len() > 0 && !nullBodyStatus(w.status) {
		body = jsUint8Array.New(w.body.Len())
		js.CopyBytesToJS(body, w.body.Bytes())
	}
	init := jsObject.New()
	init.Set("status", w.status)
	init.Set("headers", headers)
	resp, err := newJS(js.Global().Get("Response"), body, init)
	if err != nil {
		return js.Undefined(), fmt.Errorf("workers: %w", err)
	}
	return resp, nil
}

// nullBodyStatus reports whether a response with status has no body.
func nullBodyStatus(status int) bool {
	return status == 101 || status == 204 || status == 205 || status == 304
}

// newJS calls constructor with new, turning an exception into an error.
func newJS(constructor js.Value, args ...any) (r js.Value, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = panicError(x)
		}
	}()
	return constructor.New(args...), nil
}
