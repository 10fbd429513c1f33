//go:build js && wasm

package workers

import (
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall/js"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/internal/sqlscan"
)

func testDB(tb testing.TB) *DB {
	tb.Helper()
	b := Binding("DB")
	if b.IsUndefined() {
		tb.Fatal(`no D1 binding "DB": run these tests inside workerd (see workers_test.go)`)
	}
	return New(b)
}

// wantD1Error checks that err is a *d1.Error with text want.
func wantD1Error(t *testing.T, err error, want string) {
	t.Helper()
	var e *d1.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %T %v, want *d1.Error %q", err, err, want)
	}
	if got := e.Error(); got != want {
		t.Fatalf("err = %q, want %q", got, want)
	}
}

// TestBindThrows: bind() throws synchronously for a value D1 refuses; the
// exception becomes a *d1.Error.
func TestBindThrows(t *testing.T) {
	db := testDB(t)
	cases := []struct {
		name string
		v    js.Value
		want string
	}{
		{"bigint", js.Global().Get("BigInt").Invoke(1), "D1_TYPE_ERROR: Type 'bigint' not supported for value '1'"},
		{"undefined", js.Undefined(), "D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := db.Prepare("SELECT ?").Bind(c.v)
			wantD1Error(t, err, c.want)
		})
	}
}

func TestBindGoValues(t *testing.T) {
	db := testDB(t)
	ctx := context.Background()
	_, err := db.Prepare("SELECT ?").Bind(int64(1 << 60))
	wantD1Error(t, err, "D1_TYPE_ERROR: Type 'bigint' not supported for value '1152921504606846976'")
	_, err = db.Prepare("SELECT ?").Bind(struct{}{})
	wantD1Error(t, err, "D1_TYPE_ERROR: Type 'struct {}' not supported")

	st, err := db.Prepare("SELECT typeof(?1) AS t, ?1 AS v").Bind([]byte{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	res, err := st.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Rows[0]; got[0] != "blob" || !slices.Equal(got[1].([]byte), []byte{1, 2, 3}) {
		t.Errorf("[]byte came back as %v", got)
	}
	// A bool not normalized by the client binds as D1 binds true.
	st, err = db.Prepare("SELECT ? AS v").Bind(true)
	if err != nil {
		t.Fatal(err)
	}
	if res, err = st.All(ctx); err != nil || res.Rows[0][0] != int64(1) {
		t.Errorf("true came back as %v, %v", res.Rows, err)
	}
}

func TestFromJS(t *testing.T) {
	u8 := jsUint8Array.New(3)
	js.CopyBytesToJS(u8, []byte{7, 8, 9})
	arr := jsArray.New()
	arr.Call("push", 1, 2, 255)
	view := js.Global().Get("DataView").New(u8.Get("buffer"), 1, 2)
	cases := []struct {
		name string
		in   js.Value
		want any
	}{
		{"null", js.Null(), nil},
		{"undefined", js.Undefined(), nil},
		{"int", js.ValueOf(42), int64(42)},
		{"whole float", js.ValueOf(2.0), int64(2)},
		{"float", js.ValueOf(2.5), 2.5},
		{"beyond 2^53", js.ValueOf(9007199254740993.0), 9007199254740992.0},
		{"NaN", js.Global().Get("NaN"), nil},
		{"string", js.ValueOf("héllo"), "héllo"},
		{"true", js.ValueOf(true), int64(1)},
		{"array of bytes", arr, []byte{1, 2, 255}},
		{"Uint8Array", u8, []byte{7, 8, 9}},
		{"ArrayBuffer", u8.Get("buffer"), []byte{7, 8, 9}},
		{"DataView", view, []byte{8, 9}},
	}
	for _, c := range cases {
		got := fromJS(c.in)
		if b, ok := c.want.([]byte); ok {
			if g, ok := got.([]byte); !ok || !slices.Equal(g, b) {
				t.Errorf("%s: %#v, want %#v", c.name, got, c.want)
			}
			continue
		}
		if got != c.want {
			t.Errorf("%s: %#v (%T), want %#v (%T)", c.name, got, got, c.want, c.want)
		}
	}
}

// TestNotABinding: a value that is not a D1 binding gives errors, not panics.
func TestNotABinding(t *testing.T) {
	ctx := context.Background()
	for _, b := range []js.Value{js.Undefined(), js.Null(), js.ValueOf(1), jsObject.New()} {
		db := New(b)
		if _, err := db.Prepare("SELECT 1").All(ctx); err == nil {
			t.Errorf("New(%v): All succeeded", b)
		}
		if _, err := db.Exec(ctx, "SELECT 1"); err == nil {
			t.Errorf("New(%v): Exec succeeded", b)
		}
		s := db.WithSession("")
		if _, err := s.Prepare("SELECT 1").Run(ctx); err == nil {
			t.Errorf("New(%v): session Run succeeded", b)
		}
		if _, ok := s.Bookmark(); ok {
			t.Errorf("New(%v): a bookmark", b)
		}
	}
	_, err := New(js.Undefined()).Prepare("SELECT 1").All(ctx)
	var e *d1.Error
	if !errors.As(err, &e) || e.Code != d1.CodeError {
		t.Errorf("err = %T %v, want a *d1.Error", err, err)
	}
}

// TestPathsAgree: results read through the glue's wire, as JSON and value
// by value through syscall/js are the same.
func TestPathsAgree(t *testing.T) {
	db := testDB(t)
	if db.fast == nil {
		t.Fatal("no glue: the tests run with the entry module's glue")
	}
	ctx := context.Background()
	queries := []string{
		"SELECT 1 AS i, 2.0 AS w, 2.5 AS r, 'x' AS s, x'0102' AS b, x'' AS e, NULL AS n, 1e999 AS inf, -0.0 AS nz, " +
			"9007199254740993 AS big, -123456789012345678 AS neg, 2147483648 AS i32, -2147483649 AS n32, " +
			"'a\"b\\c' || char(10, 233, 8364, 128512, 1, 55296) AS esc",
		"SELECT 1 AS a, 2 AS a, 3 AS '1'",
		"SELECT 1 WHERE 0",
		"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100) SELECT x, x * 1.5 AS y, printf('%d', x) AS z FROM c",
	}
	for _, q := range queries {
		st := db.Prepare(q).(*stmt)
		v, err := st.jsValue()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []struct {
			name string
			op   int
			arg  []any
		}{{"all", opAll, nil}, {"first", opFirst, nil}, {"raw", opRaw, []any{rawOptions()}}} {
			jv, err := callAwait(ctx, v, m.name, m.arg...)
			if err != nil {
				t.Fatal(err)
			}
			out, err := st.runFast(ctx, m.op)
			if err != nil {
				t.Fatal(err)
			}
			var wire, json, slow *d1.Result
			switch m.op {
			case opAll:
				wire, err = decodeRows(out)
				json, slow = rowsResult(jv), rowsResultJS(jv)
			case opFirst:
				wire, err = decodeFirst(out)
				json = firstResult(jv)
				slow = &d1.Result{}
				if jv.Type() == js.TypeObject {
					slow.Columns, slow.Rows = objectRowsJS(jsArray.Call("of", jv))
				}
			case opRaw:
				wire, err = decodeRaw(out)
				json, slow = rawResult(jv), rawResultJS(jv)
			}
			if err != nil {
				t.Fatalf("%s %s: %v", m.name, q, err)
			}
			// Durations differ from run to run.
			wire.Meta.Duration, json.Meta.Duration, slow.Meta.Duration = 0, 0, 0
			if !reflect.DeepEqual(wire, slow) || !reflect.DeepEqual(json, slow) {
				t.Errorf("%s %s:\nwire       %#v\nJSON       %#v\nsyscall/js %#v", m.name, q, wire, json, slow)
			}
		}
	}
}

func rawOptions() js.Value {
	opts := jsObject.New()
	opts.Set("columnNames", true)
	return opts
}

// TestResultFallback: values JSON cannot carry are read through syscall/js.
func TestResultFallback(t *testing.T) {
	u8 := jsUint8Array.New(2)
	js.CopyBytesToJS(u8, []byte{1, 2})
	row := jsObject.New()
	row.Set("a", u8)
	row.Set("b", "x")
	meta := jsObject.New()
	meta.Set("changes", 3)
	v := jsObject.New()
	v.Set("meta", meta)
	v.Set("results", jsArray.Call("of", row))
	res := rowsResult(v)
	want := &d1.Result{Columns: []string{"a", "b"}, Rows: [][]any{{[]byte{1, 2}, "x"}}, Meta: d1.Meta{Changes: 3}}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("rowsResult = %#v, want %#v", res, want)
	}
}

type otherStmt struct{ d1.PreparedStatement }

func TestBatchForeignStatement(t *testing.T) {
	db := testDB(t)
	_, err := db.Batch(context.Background(), []d1.PreparedStatement{db.Prepare("SELECT 1"), otherStmt{}})
	if err == nil {
		t.Fatal("a batch with another backend's statement succeeded")
	}
}

func TestFirstShape(t *testing.T) {
	db := testDB(t)
	ctx := context.Background()
	res, err := db.Prepare("SELECT 1 AS a, 2 AS a, 'x' AS b").First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Columns, []string{"a", "b"}) || len(res.Rows) != 1 || res.Rows[0][0] != int64(2) {
		t.Errorf("First = %q %v", res.Columns, res.Rows)
	}
	res, err = db.Prepare("SELECT 1 WHERE 0").First(ctx)
	if err != nil || len(res.Rows) != 0 || len(res.Columns) != 0 {
		t.Errorf("First with no row = %+v, %v", res, err)
	}
	// Keys that are array indexes come first, as JavaScript orders them.
	res, err = db.Prepare("SELECT 'b' AS b, 2 AS '2', 1 AS '1'").All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Columns, []string{"1", "2", "b"}; !slices.Equal(got, want) {
		t.Errorf("Columns = %q, want %q", got, want)
	}
}

// TestAwaitCancel: a cancelled wait returns at once, and the promise settling
// later does not call a released function.
func TestAwaitCancel(t *testing.T) {
	var resolve js.Value
	p := newPromise(func(res, _ js.Value) { resolve = res })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := await(ctx, p)
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	resolve.Invoke(1)
	// Let the promise's callbacks run: awaiting a settled promise yields to
	// JavaScript's event loop, which runs them first.
	if _, err := await(context.Background(), jsPromise.Call("resolve", 2)); err != nil {
		t.Fatal(err)
	}
	v, err := await(context.Background(), p)
	if err != nil || v.Int() != 1 {
		t.Errorf("await after settling = %v, %v", v, err)
	}
	// A rejected promise gives its error.
	_, err = await(context.Background(), jsPromise.Call("reject", js.Global().Get("Error").New("D1_ERROR: boom")))
	wantD1Error(t, err, "D1_ERROR: boom")
	// A rejection that is not an Error.
	_, err = await(context.Background(), jsPromise.Call("reject", "plain"))
	wantD1Error(t, err, "D1_ERROR: plain")
}

func TestServe(t *testing.T) {
	jsEnv := jsObject.New()
	jsEnv.Set("NAME", "value")
	envOf := js.FuncOf(func(js.Value, []js.Value) any { return jsEnv })
	defer envOf.Release()
	env := &lazyEnv{Context: context.Background(), envOf: envOf.Value}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Method", r.Method)
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.Header().Set("X-Env", Env(r.Context()).Get("NAME").String())
		w.Header().Set("X-Query", r.URL.Query().Get("q"))
		w.Header().Set("X-In", r.Header.Get("X-In")+" "+r.Host+" "+strconv.FormatInt(r.ContentLength, 10))
		w.Header().Set("X-Newline", "a\nb")
		w.WriteHeader(http.StatusCreated)
		w.Write(append([]byte("got "), body...))
		w.Header().Set(http.TrailerPrefix+"X-Late", "trailer")
	})
	head := "POST\nhttp://example.com/path?q=1\nx-in:with: colon\ncontent-length:5\n"
	status, header, body, err := serve(handler, head, []byte("hello"), env, new(responseWriter))
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusCreated {
		t.Errorf("status = %d", status)
	}
	lines := strings.Split(strings.TrimSuffix(string(header), "\n"), "\n")
	slices.Sort(lines)
	want := []string{
		"Content-Type:text/plain; charset=utf-8", "X-Env:value", "X-In:with: colon example.com 5",
		"X-Late:trailer", "X-Method:POST", "X-Multi:a", "X-Multi:b", "X-Newline:a b", "X-Query:1",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("headers =\n%q\nwant\n%q", lines, want)
	}
	if string(body) != "got hello" {
		t.Errorf("body = %q", body)
	}

	// A handler that panics gives a 500; a 204 has no body. The writer is
	// reused as the server reuses it.
	rw := new(responseWriter)
	status, _, _, err = serve(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("oops") }),
		"GET\nhttp://example.com/\n", nil, env, rw)
	if err != nil || status != 500 {
		t.Errorf("panicking handler: %d, %v", status, err)
	}
	status, _, body, err = serve(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(204)
		w.Write([]byte("dropped"))
	}), "GET\nhttp://example.com/\n", nil, env, rw)
	if err != nil || status != 204 || body != nil {
		t.Errorf("204: %d %q %v", status, body, err)
	}
	if _, _, _, err := serve(handler, "GET", nil, env, new(responseWriter)); err == nil {
		t.Error("a malformed head was accepted")
	}
}

// newPromise returns a JavaScript Promise and calls start, synchronously,
// with its resolve and reject functions.
func newPromise(start func(resolve, reject js.Value)) js.Value {
	executor := js.FuncOf(func(_ js.Value, args []js.Value) any {
		start(arg(args, 0), arg(args, 1))
		return nil
	})
	defer executor.Release()
	return jsPromise.New(executor)
}

// TestSessionThroughJS: statements of a session that cannot cross on the
// wire (a js.Value bound) run in a D1 session opened where the session is,
// and move it on, as those that cross do.
func TestSessionThroughJS(t *testing.T) {
	db := testDB(t)
	ctx := context.Background()
	s := db.WithSession(d1.FirstPrimary)
	if b, ok := s.Bookmark(); ok {
		t.Fatalf("Bookmark() before a query = %q, want none", b)
	}
	st, err := s.Prepare("SELECT ? AS v").Bind(js.ValueOf("x"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.All(ctx); err != nil {
		t.Fatal(err)
	}
	b1, ok := s.Bookmark()
	if !ok || b1 == "" {
		t.Fatalf("Bookmark() after a query through syscall/js = %q, %v", b1, ok)
	}
	// A batch with such a statement goes through syscall/js too.
	st2, err := s.Prepare("SELECT ? AS v").Bind(js.ValueOf(2))
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Batch(ctx, []d1.PreparedStatement{st2, s.Prepare("SELECT 3 AS v")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(res), 2; got != want {
		t.Fatalf("batch results = %d, want %d", got, want)
	}
	b2, ok := s.Bookmark()
	if !ok || bookmarkLess(b2, b1) || b2 == b1 {
		t.Fatalf("Bookmark() after the batch = %q, %v; want newer than %q", b2, ok, b1)
	}
	// A session from a bookmark reports it before its first query.
	if got, ok := db.WithSession(" " + b2 + "\n").Bookmark(); !ok || got != b2 {
		t.Errorf("WithSession(%q).Bookmark() = %q, %v", b2, got, ok)
	}
}

func TestCutBookmark(t *testing.T) {
	le := func(n uint32) []byte { return []byte{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24)} }
	cat := func(bs ...[]byte) []byte { return slices.Concat(bs...) }
	cases := []struct {
		in       []byte
		out, bm  string
		wantFail bool
	}{
		{in: cat([]byte("res"), le(0xffffffff)), out: "res"},
		{in: le(0xffffffff)},
		{in: cat([]byte("res"), le(2), []byte("ab"), le(2)), out: "res", bm: "ab"},
		{in: cat(le(0), le(0)), out: "", bm: ""},
		{in: []byte{1, 2}, wantFail: true},
		{in: cat([]byte("res"), le(3), []byte("ab"), le(2)), wantFail: true},
		{in: cat([]byte("ab"), le(9)), wantFail: true},
	}
	for _, c := range cases {
		out, bm, err := cutBookmark(c.in)
		if c.wantFail {
			if err == nil {
				t.Errorf("cutBookmark(%v) succeeded", c.in)
			}
			continue
		}
		if err != nil || string(out) != c.out || bm != c.bm {
			t.Errorf("cutBookmark(%v) = %q, %q, %v; want %q, %q", c.in, out, bm, err, c.out, c.bm)
		}
	}
}

func TestBookmarkOrder(t *testing.T) {
	cases := []struct {
		a, b string
		less bool
	}{
		{"00000000-00000001-00000000-0", "00000000-00000002-00000000-0", true},
		{"00000000-00000002-00000000-0", "00000000-00000001-00000000-0", false},
		{"0000000a-00000000", "0000000B-00000000", true},
		{"0000000A-00000000", "0000000a-00000000", false},
		{"0000", "00000", true},
	}
	for _, c := range cases {
		if got := bookmarkLess(c.a, c.b); got != c.less {
			t.Errorf("bookmarkLess(%q, %q) = %v, want %v", c.a, c.b, got, c.less)
		}
	}
	s := &session{from: d1.FirstPrimary}
	for _, b := range []string{"", "00000000-00000002", "00000000-00000001", ""} {
		s.update(b)
	}
	if got, want := s.from, "00000000-00000002"; got != want {
		t.Errorf("after updates, the session starts from %q, want %q", got, want)
	}
	if got, want := strings.TrimFunc("\ufeff \t x y\u00a0\n", sqlscan.IsJSSpace), "x y"; got != want {
		t.Errorf("trimmed = %q, want %q", got, want)
	}
}

// TestSessionLateReply: a query whose context is done before D1 answers
// still moves its session on when the answer comes, as D1's session does.
func TestSessionLateReply(t *testing.T) {
	db := testDB(t)
	if db.fast == nil {
		t.Fatal("no glue: these tests run with glue/worker.mjs")
	}
	s := db.WithSession(d1.FirstPrimary)
	ctx, cancel := context.WithCancel(context.Background())
	arrived := make(chan struct{})
	afterLate = func() { close(arrived) }
	defer func() { afterLate = nil }()
	// cancel runs once the query waits for D1, which cannot answer before
	// Go yields to JavaScript.
	go cancel()
	if _, err := s.Prepare("SELECT 1").All(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("All with a cancelled context = %v, want context.Canceled", err)
	}
	<-arrived
	if b, ok := s.Bookmark(); !ok || b == "" {
		t.Errorf("Bookmark() after a late reply = %q, %v", b, ok)
	}
}
