package workers

import (
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/lunora-go/d1"
)

// enc builds what the glue sends, for tests.
type enc []byte

func (e enc) u32(n int) enc     { return binary.LittleEndian.AppendUint32(e, uint32(n)) }
func (e enc) text(s string) enc { return append(e.u32(len(s)), s...) }
func (e enc) tag(t byte) enc    { return append(e, t) }
func (e enc) str(s string) enc  { return e.tag(tagString).text(s) }
func (e enc) i32(n int32) enc   { return binary.LittleEndian.AppendUint32(e.tag(tagInt), uint32(n)) }
func (e enc) f64(f float64) enc {
	return binary.LittleEndian.AppendUint64(e.tag(tagFloat), math.Float64bits(f))
}
func (e enc) blob(b []byte) enc { return append(e.tag(tagBytes).u32(len(b)), b...) }

func TestDecodeRows(t *testing.T) {
	meta := enc{}.tag(tagObject).u32(11).
		text("served_by").str("miniflare.db").
		text("duration").f64(0.25).
		text("changes").i32(2).
		text("last_row_id").f64(1e10).
		text("changed_db").tag(tagTrue).
		text("size_after").i32(16384).
		text("rows_read").tag(tagNull).
		text("served_by_primary").tag(tagFalse).
		text("timings").tag(tagObject).u32(2).text("sql_duration_ms").f64(1.5).text("other").str("x").
		text("unknown").tag(tagObject).u32(1).text("a").i32(1).
		text("total_attempts").i32(1)
	b := meta.u32(3).text("i").text("s").text("b").u32(2).
		i32(-7).str("héllo").blob([]byte{1, 2}).
		f64(2.5).tag(tagNull).tag(tagTrue)
	got, err := decodeRows(b)
	if err != nil {
		t.Fatal(err)
	}
	primary := false
	want := &d1.Result{
		Columns: []string{"i", "s", "b"},
		Rows:    [][]any{{int64(-7), "héllo", []byte{1, 2}}, {2.5, nil, int64(1)}},
		Meta: d1.Meta{
			ServedBy: "miniflare.db", Duration: 0.25, Changes: 2, LastRowID: 1e10, ChangedDB: true,
			SizeAfter: 16384, ServedByPrimary: &primary, Timings: &d1.Timings{SQLDurationMS: 1.5}, TotalAttempts: 1,
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decodeRows =\n%#v\nwant\n%#v", got, want)
	}

	// No rows, null meta.
	got, err = decodeRows(enc{}.tag(tagNull).u32(0).u32(0))
	if err != nil || !reflect.DeepEqual(got, &d1.Result{}) {
		t.Errorf("empty: %#v, %v", got, err)
	}
}

func TestDecodeNumbers(t *testing.T) {
	cases := []struct {
		in   enc
		want any
	}{
		{enc{}.f64(2), int64(2)},
		{enc{}.f64(math.Copysign(0, -1)), int64(0)},
		{enc{}.f64(9007199254740991), int64(9007199254740991)},
		{enc{}.f64(9007199254740992), 9007199254740992.0},
		{enc{}.f64(math.Inf(1)), nil},
		{enc{}.f64(math.NaN()), nil},
		{enc{}.i32(math.MinInt32), int64(math.MinInt32)},
		{enc{}.tag(tagFalse), int64(0)},
	}
	for _, c := range cases {
		res, err := decodeFirst(enc{}.u32(1).text("v").u32(1).append(c.in))
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Rows[0][0]; got != c.want {
			t.Errorf("%v: %#v, want %#v", c.in, got, c.want)
		}
	}
}

func (e enc) append(b enc) enc { return append(e, b...) }

func TestDecodeFirstRawBatchExec(t *testing.T) {
	res, err := decodeFirst(enc{}.u32(0).u32(0))
	if err != nil || res.Columns != nil || res.Rows != nil {
		t.Errorf("first, no row: %#v, %v", res, err)
	}
	res, err = decodeRaw(enc{}.u32(3).u32(2).str("a").str("a").u32(2).i32(1).tag(tagNull).u32(2).str("x").blob(nil))
	want := &d1.Result{Columns: []string{"a", "a"}, Rows: [][]any{{int64(1), nil}, {"x", []byte{}}}}
	if err != nil || !reflect.DeepEqual(res, want) {
		t.Errorf("raw = %#v, %v", res, err)
	}
	if _, err := decodeRaw(enc{}.u32(1).u32(1).i32(1)); err == nil {
		t.Error("raw with a column name that is not text: no error")
	}
	rs, err := decodeBatch(enc{}.u32(2).tag(tagNull).u32(0).u32(0).tag(tagObject).u32(1).text("changes").i32(1).u32(0).u32(0))
	if err != nil || len(rs) != 2 || rs[1].Meta.Changes != 1 {
		t.Errorf("batch = %#v, %v", rs, err)
	}
	ex, err := decodeExec(enc{}.tag(tagObject).u32(2).text("count").i32(3).text("duration").f64(0.5))
	if err != nil || *ex != (d1.ExecResult{Count: 3, Duration: 0.5}) {
		t.Errorf("exec = %#v, %v", ex, err)
	}
}

// TestDecodeMalformed: truncated or extra bytes give errors, never panics.
func TestDecodeMalformed(t *testing.T) {
	full := enc{}.tag(tagObject).u32(1).text("changes").i32(1).u32(2).text("a").text("b").u32(1).str("x").blob([]byte{9})
	if _, err := decodeRows(full); err != nil {
		t.Fatal(err)
	}
	for n := range len(full) {
		if _, err := decodeRows(full[:n]); !errors.Is(err, errWire) {
			t.Errorf("%d of %d bytes: err = %v", n, len(full), err)
		}
	}
	if _, err := decodeRows(append(full, 0)); !errors.Is(err, errWire) {
		t.Errorf("an extra byte: err = %v", err)
	}
	if _, err := decodeRows(enc{}.tag(99)); !errors.Is(err, errWire) {
		t.Errorf("unknown tag: err = %v", err)
	}
	// A count larger than the bytes could hold does not allocate it.
	if _, err := decodeRows(enc{}.tag(tagNull).u32(1 << 30)); !errors.Is(err, errWire) {
		t.Errorf("huge count: err = %v", err)
	}
}

func TestAppendStatement(t *testing.T) {
	args := []any{nil, 1.5, "é", []byte{7}}
	b := appendStatement(nil, "SELECT ?", args)
	want := enc{}.text("SELECT ?").u32(4).tag(bindNull).
		append(binary.LittleEndian.AppendUint64(enc{bindNumber}, math.Float64bits(1.5))).
		tag(bindString).text("é").tag(bindBytes).u32(1).append(enc{7})
	if !reflect.DeepEqual(enc(b), want) {
		t.Errorf("appendStatement = %v, want %v", b, want)
	}
	if n := statementSize("SELECT ?", args); n < len(b) {
		t.Errorf("statementSize = %d, less than %d", n, len(b))
	}
}

func TestWireValue(t *testing.T) {
	cases := []struct {
		in   any
		want any
		ok   bool
	}{
		{nil, nil, true},
		{"s", "s", true},
		{int64(7), 7.0, true},
		{7, 7.0, true},
		{true, 1.0, true},
		{[]byte(nil), nil, true},
		{int64(1 << 60), nil, false},
		{struct{}{}, nil, false},
	}
	for _, c := range cases {
		got, ok := wireValue(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("wireValue(%#v) = %#v, %v; want %#v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if got, ok := wireValue([]byte{1}); !ok || !reflect.DeepEqual(got, []byte{1}) {
		t.Errorf("wireValue([]byte{1}) = %v, %v", got, ok)
	}
}

// TestDecodeManyRows: the values of many rows, boxed in blocks, are what
// boxing each one makes, and stay so through garbage collections and
// later decodings.
func TestDecodeManyRows(t *testing.T) {
	const n = 3000 // more than one block
	b := enc{}.tag(tagNull).u32(3).text("id").text("body").text("small").u32(n)
	want := &d1.Result{Columns: []string{"id", "body", "small"}, Rows: make([][]any, n)}
	for i := range n {
		body := "note " + strings.Repeat("x", i%7)
		b = b.i32(int32(1000 + i)).str(body).i32(int32(i % 3))
		want.Rows[i] = []any{int64(1000 + i), body, int64(i % 3)}
	}
	got, err := decodeRows(b)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		runtime.GC()
		if _, err := decodeRows(b); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("decodeRows of many rows differs")
	}
	for i, row := range got.Rows {
		id, ok1 := row[0].(int64)
		body, ok2 := row[1].(string)
		if !ok1 || !ok2 || id != int64(1000+i) || body != want.Rows[i][1] || row[0] != any(int64(1000+i)) {
			t.Fatalf("row %d = %#v", i, row)
		}
	}
}
