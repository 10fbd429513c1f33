//go:build js && wasm

package workers

import (
	"context"
	"strings"
	"syscall/js"

	"github.com/lunora-go/d1"
)

// JavaScript globals the package uses, looked up once.
var (
	jsArray       = js.Global().Get("Array")
	jsArrayBuffer = js.Global().Get("ArrayBuffer")
	jsJSON        = js.Global().Get("JSON")
	jsObject      = js.Global().Get("Object")
	jsPromise     = js.Global().Get("Promise")
	jsString      = js.Global().Get("String")
	jsUint8Array  = js.Global().Get("Uint8Array")
)

// call calls v's method with args and returns its result. A JavaScript
// exception, which syscall/js raises as a panic, becomes a *d1.Error.
func call(v js.Value, method string, args ...any) (r js.Value, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = panicError(x)
		}
	}()
	return v.Call(method, args...), nil
}

// panicError turns a panic raised by syscall/js into an error. Other panics
// are bugs and go on.
func panicError(x any) error {
	switch e := x.(type) {
	case js.Error:
		return jsError(e.Value)
	case *js.ValueError:
		return &d1.Error{Code: d1.CodeError, Message: e.Error(), Offset: -1}
	case string:
		// Value.Call of a property that is not a function.
		if strings.HasPrefix(e, "syscall/js: ") {
			return &d1.Error{Code: d1.CodeError, Message: e, Offset: -1}
		}
	}
	panic(x)
}

// jsError turns a thrown JavaScript value, usually an Error whose message is
// in D1's words, into a *d1.Error.
func jsError(v js.Value) *d1.Error {
	if v.Type() == js.TypeObject {
		if m := v.Get("message"); m.Type() == js.TypeString {
			return d1.ParseError(m.String())
		}
	}
	return d1.ParseError(jsString.Invoke(v).String())
}

// settled is the outcome of a promise.
type settled struct {
	v   js.Value
	err error
}

// await waits for the promise p, or for ctx to be done. It blocks only the
// calling goroutine: JavaScript's event loop runs on while it waits. When ctx
// is done first, await returns ctx's error and the promise's outcome is
// dropped when it comes.
func await(ctx context.Context, p js.Value) (js.Value, error) {
	ch := make(chan settled, 1)
	var onValue, onError js.Func
	// The callbacks release both functions when the promise settles, not
	// when await returns: JavaScript must never call a released function.
	release := func() {
		onValue.Release()
		onError.Release()
	}
	onValue = js.FuncOf(func(_ js.Value, args []js.Value) any {
		release()
		ch <- settled{v: arg(args, 0)}
		return nil
	})
	onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
		release()
		ch <- settled{err: jsError(arg(args, 0))}
		return nil
	})
	if _, err := call(p, "then", onValue, onError); err != nil {
		release()
		return js.Undefined(), err
	}
	select {
	case s := <-ch:
		return s.v, s.err
	case <-ctx.Done():
		return js.Undefined(), ctx.Err()
	}
}

// callAwait calls v's method and waits for the promise it returns. It does
// not call when ctx is already done.
func callAwait(ctx context.Context, v js.Value, method string, args ...any) (js.Value, error) {
	if err := ctx.Err(); err != nil {
		return js.Undefined(), err
	}
	p, err := call(v, method, args...)
	if err != nil {
		return js.Undefined(), err
	}
	return await(ctx, p)
}

// invoke calls the function fn with args, turning an exception into an
// error.
func invoke(fn js.Value, args ...any) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = panicError(x)
		}
	}()
	fn.Invoke(args...)
	return nil
}

// arg returns args[i], or undefined.
func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}
