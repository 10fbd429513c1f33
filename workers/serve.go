//go:build js && wasm

package workers

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall/js"
	"unsafe"
)

// glueName is the global object through which the entry module and Go
// meet: what glue/worker.mjs's glue function returns. Besides the D1
// functions of bridge (fast.go), it holds
//
//	env      the Worker's env when Go started
//	serve    a function Go calls with its request handler
//	read     read(id, ptr) copies request id's head and body to ptr
//	envOf    envOf(id) returns the env of request id
//	respond  respond(id, status, headPtr, headLen, bodyPtr, bodyLen)
//	         answers request id
//	fail     fail(id, ptr, len) rejects request id with a message
//
// The handler takes (id, headLen, bodyLen) and returns at once: the request
// is headLen bytes of head, its method, URL and headers, one per line
// ("name:value" for headers), then bodyLen bytes of body (-1 for none), and
// Go reads them with read. When the response is ready, Go writes its
// headers the same way and calls respond with the address in its memory of
// the headers and of the body. Only numbers cross between JavaScript and Go, and each way the
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
	s := &server{
		handler: handler,
		read:    glue.Get("read"),
		envOf:   glue.Get("envOf"),
		respond: glue.Get("respond"),
		fail:    glue.Get("fail"),
		work:    make(chan request),
	}
	theServer.Store(s)
	fn := js.FuncOf(func(_ js.Value, args []js.Value) any {
		go s.loop(request{int32(arg(args, 0).Int()), int32(arg(args, 1).Int()), int32(arg(args, 2).Int())})
		return nil
	})
	glue.Call("serve", fn)
	select {}
}

// request is a request that the glue has registered: its id and the
// lengths of its head and body (-1 for none).
type request struct{ id, headLen, bodyLen int32 }

// server runs requests on goroutines that outlive them, so that a request
// does not pay again for growing a fresh goroutine's stack, which is costly
// in WebAssembly. Up to maxIdle goroutines wait for work.
type server struct {
	handler                    http.Handler
	read, envOf, respond, fail js.Value // the glue's functions
	work                       chan request
	idle                       atomic.Int32
}

const maxIdle = 16

// theServer is the server of Serve, for wasmServe.
var theServer atomic.Pointer[server]

// wasmServe hands request id to a goroutine of the server that is waiting
// for one, and reports 1 when it did, 0 when none was waiting; the glue
// then calls the function Serve gave it, which starts a goroutine.
//
// The glue calls it, rather than that function, while Go is paused, and
// resumes Go after it: a call to a js.Func costs a dozen calls between
// JavaScript and Go (syscall/js reads the call's id, this and arguments
// from JavaScript, and keeps finalizers for two objects), this one none.
// It must not allocate, block or start a goroutine, as it runs on the stack
// of whichever goroutine paused.
//
//lint:ignore U1000 the glue calls it, through the wasm export.
//go:wasmexport lunora_workers_serve
func wasmServe(id, headLen, bodyLen int32) int32 {
	s := theServer.Load()
	if s == nil {
		return 0
	}
	select {
	case s.work <- request{id, headLen, bodyLen}:
		return 1
	default:
		return 0
	}
}

func (s *server) loop(r request) {
	w := new(responseWriter)
	for {
		s.serve(r, w)
		if s.idle.Add(1) > maxIdle {
			s.idle.Add(-1)
			return
		}
		r = <-s.work
		s.idle.Add(-1)
	}
}

// serve reads request r from the glue, runs the handler and responds,
// with w's buffers.
func (s *server) serve(r request, w *responseWriter) {
	id := int(r.id)
	data := make([]byte, r.headLen+max(r.bodyLen, 0))
	if len(data) > 0 {
		s.read.Invoke(id, ptr(data))
	}
	var body []byte
	if r.bodyLen >= 0 {
		body = data[r.headLen:]
	}
	// data does not change from here on: the head's text is not copied.
	head := unsafe.String(unsafe.SliceData(data), r.headLen)
	env := &lazyEnv{Context: context.Background(), envOf: s.envOf, id: id}
	status, header, out, err := serve(s.handler, head, body, env, w)
	if err == nil {
		n := len(out)
		if out == nil {
			n = -1
		}
		err = invoke(s.respond, id, status, ptr(header), len(header), ptr(out), n)
		runtime.KeepAlive(header)
		runtime.KeepAlive(out)
	}
	if err != nil {
		// JavaScript may have thrown: never panic here.
		msg := err.Error()
		_ = invoke(s.fail, id, strPtr(msg), len(msg))
		runtime.KeepAlive(msg)
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
// for: from the glue (envOf) for request id. It is the
// request's base context too, a context.Background that carries it under
// envKey, which spares a context.WithValue a request.
type lazyEnv struct {
	context.Context
	envOf js.Value
	id    int
	once  sync.Once
	v     js.Value
}

func (e *lazyEnv) Value(key any) any {
	if _, ok := key.(envKey); ok {
		return e
	}
	return e.Context.Value(key)
}

func (e *lazyEnv) value() js.Value {
	e.once.Do(func() { e.v = e.envOf.Invoke(e.id) })
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
// response's status, headers (as lines) and body (nil for none). w is reset
// and serves the response: header and out are its buffers, good until its
// next use.
func serve(handler http.Handler, head string, body []byte, env *lazyEnv, w *responseWriter) (status int, header, out []byte, err error) {
	r, err := parseHead(env, head, body)
	if err != nil {
		return 0, nil, nil, err
	}
	w.reset()
	serveHTTP(handler, w, r)
	status, header, out = w.finish()
	return status, header, out, nil
}
