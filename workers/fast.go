//go:build js && wasm

package workers

import (
	"context"
	"encoding/binary"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall/js"
	"unsafe"

	"github.com/lunora-go/d1"
)

// bridge runs statements through the glue of the entry module
// (glue/worker.mjs), which prepares, binds and runs them in JavaScript and
// sends the results back encoded as bytes (see wire.go): a query costs
// three calls between Go and JavaScript, all with numbers for arguments,
// where going through syscall/js value by value costs a dozen or more
// calls, each JavaScript object of which Go must keep a finalizer for.
//
// Other glue, such as github.com/syumai/workers's, has no such functions;
// the backend then calls the binding itself through syscall/js.
type bridge struct {
	query, take js.Value // the glue's functions

	mu      sync.Mutex
	next    int
	waiting map[int]chan reply // by query id
	// late holds the sessions of queries whose callers have gone (their
	// contexts were done): the reply still moves the session on, as the
	// response moves D1's session on.
	late map[int]*session
}

// Operations the glue's query function runs.
const (
	opAll = iota
	opRun
	opFirst
	opRaw
	opBatch
	opExec

	// opSession, added to an operation, runs it in a session: see
	// runSession.
	opSession = 16
)

// reply is what the glue's done(id, ok, n) reports: the result (or, when
// !ok, the error's message) is n bytes, waiting to be taken.
type reply struct {
	ok bool
	n  int
}

var (
	bridgeOnce sync.Once
	theBridge  *bridge
)

// glueBridge returns the bridge to the entry module's glue, or nil when the
// program runs without it. There is one for the program: the glue, like
// syscall/js itself, is global.
func glueBridge() *bridge {
	bridgeOnce.Do(func() {
		g := js.Global().Get(glueName)
		if g.Type() != js.TypeObject {
			return
		}
		b := &bridge{
			query:   g.Get("query"),
			take:    g.Get("take"),
			waiting: map[int]chan reply{},
			late:    map[int]*session{},
		}
		for _, f := range []js.Value{b.query, b.take} {
			if f.Type() != js.TypeFunction {
				return
			}
		}
		// Never released: it serves every query of the program.
		g.Set("done", js.FuncOf(b.done))
		theBridge = b
		doneBridge.Store(b)
	})
	return theBridge
}

// doneBridge is theBridge, for wasmDone.
var doneBridge atomic.Pointer[bridge]

// wasmDone is done for the glue to call while Go is paused, resuming Go
// after it, as it costs less than calling the js.Func (see wasmServe). It
// reports 1 when it handed the reply to the query's caller, 0 when the glue
// must call done instead. It must not allocate or block.
//
//lint:ignore U1000 the glue calls it, through the wasm export.
//go:wasmexport lunora_workers_done
func wasmDone(id, ok, n int32) int32 {
	b := doneBridge.Load()
	if b == nil || !b.mu.TryLock() {
		return 0
	}
	ch, found := b.waiting[int(id)]
	if !found {
		b.mu.Unlock()
		return 0
	}
	delete(b.waiting, int(id))
	b.mu.Unlock()
	ch <- reply{ok: ok == 1, n: int(n)} // its one send, and room for it
	return 1
}

// done is called by the glue when query id has its result.
func (b *bridge) done(_ js.Value, args []js.Value) any {
	id := arg(args, 0).Int()
	r := reply{ok: arg(args, 1).Int() == 1, n: arg(args, 2).Int()}
	b.mu.Lock()
	ch, ok := b.waiting[id]
	delete(b.waiting, id)
	sess := b.late[id]
	delete(b.late, id)
	b.mu.Unlock()
	switch {
	case ok:
		ch <- r
	case sess != nil:
		// Its caller is gone, but the session moves on.
		out := b.take1(id, r.n)
		sess.updateFromReply(out)
		if afterLate != nil {
			afterLate()
		}
	default:
		b.take.Invoke(id, 0) // its caller is gone: drop it
	}
	return nil
}

// afterLate, when set (by tests), is called after a late reply has moved
// its session on.
var afterLate func()

// take1 takes the n bytes of query id's reply from the glue.
func (b *bridge) take1(id, n int) []byte {
	out := make([]byte, n)
	if n > 0 {
		b.take.Invoke(id, ptr(out))
	} else {
		b.take.Invoke(id, 0)
	}
	return out
}

// ptr returns the address of b's bytes in the wasm memory, for the glue.
func ptr(b []byte) float64 {
	return float64(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
}

// strPtr returns the address of s's bytes in the wasm memory.
func strPtr(s string) float64 {
	return float64(uintptr(unsafe.Pointer(unsafe.StringData(s))))
}

// run has the glue run operation op with the encoded request req on owner,
// a D1 database or session, and returns the encoded result. A JavaScript
// error, thrown or rejected, becomes a *d1.Error. When ctx is done first,
// run returns its error and the result is dropped when it comes.
func (b *bridge) run(ctx context.Context, owner js.Value, op int, req []byte) ([]byte, error) {
	out, ok, err := b.send(ctx, owner, op, req, nil)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, d1.ParseError(string(out))
	}
	return out, nil
}

// runSession is run in sess, a session of the binding owner: req starts
// with the text of the bookmark or constraint the query starts from, and
// the glue runs op in a D1 session opened from it. The reply, a result or
// an error's message, ends with the bookmark the D1 session has after it,
// which sess moves on to.
func (b *bridge) runSession(ctx context.Context, owner js.Value, sess *session, op int, req []byte) ([]byte, error) {
	out, ok, err := b.send(ctx, owner, op|opSession, req, sess)
	if err != nil {
		return nil, err
	}
	out, bookmark, err := cutBookmark(out)
	if err != nil {
		return nil, err
	}
	sess.update(bookmark)
	if !ok {
		return nil, d1.ParseError(string(out))
	}
	return out, nil
}

// cutBookmark splits a reply in a session into its result and the
// bookmark at its end: the bookmark's text (its length in bytes, then its
// bytes) followed by its length again, or 0xffffffff alone for none.
func cutBookmark(b []byte) (out []byte, bookmark string, err error) {
	if len(b) < 4 {
		return nil, "", errWire
	}
	n := binary.LittleEndian.Uint32(b[len(b)-4:])
	b = b[:len(b)-4]
	if n == math.MaxUint32 {
		return b, "", nil
	}
	if uint64(n)+4 > uint64(len(b)) {
		return nil, "", errWire
	}
	k := len(b) - int(n)
	if binary.LittleEndian.Uint32(b[k-4:]) != n {
		return nil, "", errWire
	}
	return b[:k-4], string(b[k:]), nil
}

// send has the glue run operation op with req on owner, and returns the
// reply: the encoded result when ok, the error's message when not. When
// ctx is done first and the query runs in sess, the reply moves sess on
// when it comes.
func (b *bridge) send(ctx context.Context, owner js.Value, op int, req []byte, sess *session) (out []byte, ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	ch := make(chan reply, 1)
	b.mu.Lock()
	b.next++
	id := b.next
	b.waiting[id] = ch
	b.mu.Unlock()
	err = invoke(b.query, owner, id, op, ptr(req), len(req))
	runtime.KeepAlive(req)
	if err != nil {
		b.mu.Lock()
		delete(b.waiting, id)
		b.mu.Unlock()
		return nil, false, err
	}
	done := ctx.Done()
	if done == nil {
		// A context that is never done (a request's, in a Worker): a
		// receive costs less than a select.
		r := <-ch
		return b.take1(id, r.n), r.ok, nil
	}
	select {
	case r := <-ch:
		return b.take1(id, r.n), r.ok, nil
	case <-done:
		b.mu.Lock()
		_, waiting := b.waiting[id]
		delete(b.waiting, id)
		if waiting && sess != nil {
			b.late[id] = sess
		}
		b.mu.Unlock()
		if !waiting {
			// The reply came meanwhile: drop its result, but not the
			// session's bookmark.
			out := b.take1(id, (<-ch).n)
			if sess != nil {
				sess.updateFromReply(out)
			}
		}
		return nil, false, ctx.Err()
	}
}
