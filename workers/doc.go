// Package workers is the backend of github.com/lunora-go/d1 for Go running
// inside a Cloudflare Worker (GOOS=js GOARCH=wasm): it wraps the Worker's D1
// binding, a [syscall/js.Value], as a [d1.Database], and serves HTTP requests
// to a Go [net/http.Handler].
//
// The API is built only for js/wasm; elsewhere the package holds only this
// documentation (and internal code that is tested on the host).
//
//	func main() {
//		client := d1.New(workers.New(workers.Binding("DB")))
//		workers.Serve(d1http.Middleware(client)(mux))
//	}
//
// # The binding
//
// [New] takes the D1Database object of the Worker's env, from [Binding],
// [Env], or any other Go Workers package (github.com/syumai/workers hands it
// out with cloudflare.GetBinding). Every call goes to the binding itself:
// prepare, bind, all, run, first, raw({columnNames: true}), batch, exec,
// withSession and getBookmark. Go waits for D1's promises without blocking
// JavaScript: the calling goroutine waits on a channel that a callback from
// JavaScript sends on when the promise settles, or on its context; a
// cancelled context returns at once, while D1 finishes the query and its
// result is dropped.
//
// JavaScript exceptions, both the promises D1 rejects and the ones it throws
// synchronously (bind throws for a value it cannot bind), become *d1.Error
// values through [d1.ParseError]; the backend never panics on them. Values
// that D1 refuses, and js.Values, are bound through syscall/js when Bind is
// called, so that bind's exception comes from Bind as it does in JavaScript.
//
// # Values
//
// Bound values (after [d1.Normalize]) go to JavaScript as D1 expects them:
// nil as null, int64 and float64 as numbers, string as a string, []byte as a
// Uint8Array. A [syscall/js.Value] is passed through as it is, so that a
// caller may bind anything D1 itself accepts or refuses.
//
// With the entry module of the glue directory (see below), a statement
// crosses to JavaScript only when it runs: its SQL and values go as bytes in
// one call, the entry module prepares, binds and runs it, and D1's result
// comes back as bytes in one copy, decoded in Go. Each value read or object
// made through syscall/js costs a call into JavaScript, and each JavaScript
// object Go holds costs a finalizer, so this is much faster. Without that
// entry module (with github.com/syumai/workers's, say), the backend calls
// the binding itself: prepare, bind and the rest through syscall/js, with
// results as JSON text made by JSON.stringify, parsed in Go, or value by
// value when JSON cannot carry them. The results are the same either way.
//
// With that entry module, a session costs nothing until it runs a query:
// D1's session is no more than the bookmark or constraint its next query
// starts from, which the session keeps in Go. Each query of the session
// runs in a D1 session that the entry module opens from it with
// withSession, and the bookmark that D1 session has afterwards comes back
// with the result, where the session takes it when it is newer, as D1's
// session does; Bookmark reads it in Go.
//
// D1 returns numbers as JavaScript numbers (IEEE doubles). They come back
// through [d1.NormalizeResult]: an int64 when whole and within ±2^53, a
// float64 otherwise. An INTEGER beyond ±2^53 has already been rounded by D1
// and comes back as the rounded float64; a REAL that is whole (2.0) comes
// back as an int64, as D1 cannot tell them apart either. Strings come back as
// strings, NULL as nil, and BLOBs (which D1 returns as arrays of byte values,
// or ArrayBuffers and typed arrays) as []byte.
//
// all() and run() give each row as an object, so a Result's Columns are the
// first row's keys: none when there are no rows, a repeated name once (with
// its last value), and names that are array indexes ("0", "1", ...) first, in
// numeric order, as JavaScript orders object keys. Raw keeps every column in
// order.
//
// # Serving requests
//
// A Go Worker needs a small JavaScript entry module that loads the wasm and
// starts the Go runtime. The one in the glue directory next to this package
// (glue/worker.mjs, also available from package
// github.com/lunora-go/d1/workers/glue) imports wasm_exec.js from the Go
// distribution and the program as "./app.wasm", starts Go inside the first
// request (started at global scope, the first request would hang), and hands
// every request to the handler that the program registers with [Serve].
// JavaScript gets a Promise of each response, and Go returns to it at once:
// the handler runs in a goroutine, and never blocks JavaScript's event loop.
// The request and the response cross as bytes copied between JavaScript and
// Go's memory, not as objects read and built through syscall/js.
//
// [Binding] returns a binding of the env the Worker was started with, and
// [Env] the env of the request being served.
//
// # Testing
//
// The package's tests, the conformance suite of package d1test among them,
// run inside workerd with a fresh local D1, through go test's -exec flag:
//
//	GOOS=js GOARCH=wasm go test -exec="env GOOS= GOARCH= go run github.com/lunora-go/d1/internal/wasmexec" ./workers/...
package workers
