package workers

import (
	"encoding/binary"
	"errors"
	"math"
	"unsafe"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/internal/box"
)

// The wire between Go and the entry module's glue (glue/worker.mjs): Go
// sends a statement (its SQL and values) as bytes, and the glue runs it and
// sends D1's result back as bytes, encoded in JavaScript. Each direction is
// one copy between JavaScript and Go's memory, instead of a call through
// syscall/js per value, each of which costs a finalizer on the Go side.
//
// Lengths and counts are little-endian uint32s; text is UTF-8.

// Tags of bound values, Go to JavaScript.
const (
	bindNull   = 0
	bindNumber = 1 // float64
	bindString = 2
	bindBytes  = 3
)

// Tags of result values, JavaScript to Go.
const (
	tagNull   = 0
	tagFloat  = 1 // float64
	tagString = 2
	tagTrue   = 3
	tagFalse  = 4
	tagBytes  = 5
	tagObject = 6 // count, then key (text) and value pairs
	tagInt    = 7 // int32
)

// wireValue returns v as the wire carries a bound value: nil, float64,
// string or []byte, as [d1.Normalize] and then JavaScript would make it.
// It returns false for a value the wire does not carry: a js.Value, or one
// that D1 cannot bind, which the caller binds through syscall/js instead
// (for the js.Value, or D1's error).
func wireValue(v any) (any, bool) {
	switch x := v.(type) {
	case nil, string, float64:
		return v, true
	case []byte:
		if x == nil {
			return nil, true
		}
		return v, true
	case int64:
		if x <= d1.MaxSafeInteger && x >= -d1.MaxSafeInteger {
			return float64(x), true
		}
		return nil, false
	}
	n, err := d1.Normalize(v)
	if err != nil {
		return nil, false
	}
	return wireValue(n)
}

// appendStatement appends a statement: its SQL, then its values (each one
// of nil, float64, string or []byte).
func appendStatement(b []byte, query string, args []any) []byte {
	b = appendText(b, query)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(args)))
	for _, a := range args {
		switch x := a.(type) {
		case nil:
			b = append(b, bindNull)
		case float64:
			b = append(b, bindNumber)
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		case string:
			b = append(b, bindString)
			b = appendText(b, x)
		case []byte:
			b = append(b, bindBytes)
			b = binary.LittleEndian.AppendUint32(b, uint32(len(x)))
			b = append(b, x...)
		}
	}
	return b
}

func appendText(b []byte, s string) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// statementSize is about the size of a statement on the wire.
func statementSize(query string, args []any) int {
	n := 8 + len(query)
	for _, a := range args {
		n += 9
		switch x := a.(type) {
		case string:
			n += len(x)
		case []byte:
			n += len(x)
		}
	}
	return n
}

// errWire is returned for bytes the glue does not send.
var errWire = errors.New("workers: malformed result from the entry module")

// wire reads what the glue encodes. Text is read without copying: s is b
// as a string, and b must not change once it is read.
type wire struct {
	b     []byte
	s     string
	i     int
	err   error
	block rowBlock

	// Values of rows are boxed in blocks (see box): left is how many
	// values of rows remain to be read, to size them.
	left         int
	ints         []int64
	strs         []string
	nints, nstrs int // the sizes of the next blocks
}

func newWire(b []byte) *wire {
	return &wire{b: b, s: unsafe.String(unsafe.SliceData(b), len(b))}
}

func (w *wire) fail() {
	if w.err == nil {
		w.err = errWire
	}
	w.i = len(w.b)
}

func (w *wire) u8() byte {
	if w.i >= len(w.b) {
		w.fail()
		return 0
	}
	c := w.b[w.i]
	w.i++
	return c
}

func (w *wire) u32() int {
	if len(w.b)-w.i < 4 {
		w.fail()
		return 0
	}
	n := binary.LittleEndian.Uint32(w.b[w.i:])
	w.i += 4
	return int(n)
}

// count reads a count of items of at least size bytes each, and fails
// when the rest of the bytes cannot hold them.
func (w *wire) count(size int) int {
	n := w.u32()
	if n*size > len(w.b)-w.i {
		w.fail()
		return 0
	}
	return n
}

func (w *wire) text() string {
	n := w.u32()
	if n > len(w.b)-w.i {
		w.fail()
		return ""
	}
	s := w.s[w.i : w.i+n]
	w.i += n
	return s
}

// value reads a result value as [d1.Result] holds it.
func (w *wire) value() any {
	switch w.u8() {
	case tagNull:
		return nil
	case tagInt:
		if len(w.b)-w.i < 4 {
			w.fail()
			return nil
		}
		n := int32(binary.LittleEndian.Uint32(w.b[w.i:]))
		w.i += 4
		return w.boxInt(int64(n))
	case tagFloat:
		if len(w.b)-w.i < 8 {
			w.fail()
			return nil
		}
		f := math.Float64frombits(binary.LittleEndian.Uint64(w.b[w.i:]))
		w.i += 8
		if f == math.Trunc(f) && f >= -d1.MaxSafeInteger && f <= d1.MaxSafeInteger {
			return w.boxInt(int64(f)) // as d1.NormalizeResult(f)
		}
		return d1.NormalizeResult(f)
	case tagString:
		return w.boxString(w.text())
	case tagTrue:
		return int64(1)
	case tagFalse:
		return int64(0)
	case tagBytes:
		n := w.u32()
		if n > len(w.b)-w.i {
			w.fail()
			return nil
		}
		b := make([]byte, n)
		copy(b, w.b[w.i:])
		w.i += n
		return b
	case tagObject:
		w.skipMembers()
		return nil
	}
	w.fail()
	return nil
}

func (w *wire) skipMembers() {
	for n := w.count(5); n > 0 && w.err == nil; n-- {
		w.text()
		w.value()
	}
}

// members reads an object (or null), calling f for each key with w at its
// value; f must read the value.
func (w *wire) members(f func(key string)) {
	switch w.u8() {
	case tagNull:
		return
	case tagObject:
	default:
		w.fail()
		return
	}
	for n := w.count(5); n > 0 && w.err == nil; n-- {
		f(w.text())
	}
}

// meta reads D1's meta object, field by field. Fields of another type than
// D1 gives them (null, say) stay zero, as do fields it does not know.
func (w *wire) meta(m *d1.Meta) {
	w.members(func(key string) {
		switch key {
		case "duration":
			m.Duration = w.float()
		case "changes":
			m.Changes = w.int()
		case "last_row_id":
			m.LastRowID = w.int()
		case "changed_db":
			m.ChangedDB, _ = w.bool()
		case "size_after":
			m.SizeAfter = w.int()
		case "rows_read":
			m.RowsRead = w.int()
		case "rows_written":
			m.RowsWritten = w.int()
		case "served_by":
			m.ServedBy = w.str()
		case "served_by_region":
			m.ServedByRegion = w.str()
		case "served_by_colo":
			m.ServedByColo = w.str()
		case "served_by_primary":
			if b, ok := w.bool(); ok {
				m.ServedByPrimary = &b
			}
		case "total_attempts":
			m.TotalAttempts = int(w.int())
		case "timings":
			if w.i < len(w.b) && w.b[w.i] == tagObject {
				t := &d1.Timings{}
				m.Timings = t
				w.members(func(key string) {
					if key == "sql_duration_ms" {
						t.SQLDurationMS = w.float()
					} else {
						w.value()
					}
				})
				return
			}
			w.value()
		default:
			w.value()
		}
	})
}

// number reads a number of meta without boxing it, as value would: NaN,
// the infinities and values of other types (skipped) read as 0.
func (w *wire) number() float64 {
	if w.i < len(w.b) {
		var f float64
		switch w.b[w.i] {
		case tagInt:
			if len(w.b)-w.i < 5 {
				w.fail()
				return 0
			}
			f = float64(int32(binary.LittleEndian.Uint32(w.b[w.i+1:])))
			w.i += 5
		case tagFloat:
			if len(w.b)-w.i < 9 {
				w.fail()
				return 0
			}
			f = math.Float64frombits(binary.LittleEndian.Uint64(w.b[w.i+1:]))
			w.i += 9
		default:
			w.value()
			return 0
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return 0
		}
		return f
	}
	w.value()
	return 0
}

func (w *wire) float() float64 { return w.number() }

func (w *wire) int() int64 { return int64(w.number()) }

func (w *wire) bool() (v, ok bool) {
	if w.i < len(w.b) {
		switch w.b[w.i] {
		case tagTrue:
			w.i++
			return true, true
		case tagFalse:
			w.i++
			return false, true
		}
	}
	w.value()
	return false, false
}

func (w *wire) str() string {
	if w.i < len(w.b) && w.b[w.i] == tagString {
		w.i++
		return w.text()
	}
	w.value()
	return ""
}

// rows reads columns, then rows of one value per column.
func (w *wire) rows(res *d1.Result) {
	ncol := w.count(4)
	if ncol > 0 {
		res.Columns = make([]string, ncol)
		for i := range res.Columns {
			res.Columns[i] = w.text()
		}
	}
	nrow := w.count(ncol)
	if nrow == 0 || w.err != nil {
		return
	}
	res.Rows = make([][]any, nrow)
	w.left = nrow * ncol
	for i := range res.Rows {
		row := w.block.row(ncol)
		for j := range row {
			row[j] = w.value()
			w.left--
		}
		res.Rows[i] = row
	}
	w.left = 0
}

// maxBox bounds the blocks of boxed values.
const maxBox = 1024

// nextBox returns the size of the block of boxed values after one of n:
// blocks double, from 16 to maxBox, so that few are made and little of
// them is left unused.
func nextBox(n int) int { return min(max(2*n, 16), maxBox) }

// boxInt returns n as an any, as any(n) does, but with n's box carved
// from a block, in rows of many values, rather than allocated alone.
func (w *wire) boxInt(n int64) any {
	if w.left <= 1 || n >= 0 && n < 256 { // any(n) needs no allocation for 0 to 255
		return n
	}
	if len(w.ints) == 0 {
		w.nints = nextBox(w.nints)
		w.ints = make([]int64, min(w.left, w.nints))
	}
	return box.Take(&w.ints, n)
}

// boxString is boxInt for strings.
func (w *wire) boxString(s string) any {
	if w.left <= 1 || s == "" {
		return s
	}
	if len(w.strs) == 0 {
		w.nstrs = nextBox(w.nstrs)
		w.strs = make([]string, min(w.left, w.nstrs))
	}
	return box.Take(&w.strs, s)
}

// rowBlock hands out rows of values carved from a larger block, so that
// rows do not each cost an allocation.
type rowBlock []any

// row returns a row of n values.
func (b *rowBlock) row(n int) []any {
	if len(*b) < n {
		*b = make([]any, max(n*32, 256))
	}
	row := (*b)[:n:n]
	*b = (*b)[n:]
	return row
}

// done returns w's error, or errWire when bytes are left over.
func (w *wire) done() error {
	if w.err == nil && w.i != len(w.b) {
		return errWire
	}
	return w.err
}

// rowsResult reads what all() and run() return: meta, then rows.
func (w *wire) rowsResult() *d1.Result {
	res := &d1.Result{}
	w.meta(&res.Meta)
	w.rows(res)
	return res
}

// decodeRows decodes the result of all() or run().
func decodeRows(b []byte) (*d1.Result, error) {
	w := newWire(b)
	res := w.rowsResult()
	return res, w.done()
}

// decodeFirst decodes the result of first(): no columns and no rows when
// there is no row.
func decodeFirst(b []byte) (*d1.Result, error) {
	w := newWire(b)
	res := &d1.Result{}
	w.rows(res)
	return res, w.done()
}

// decodeRaw decodes the result of raw({columnNames: true}): arrays, the
// first one of column names.
func decodeRaw(b []byte) (*d1.Result, error) {
	w := newWire(b)
	res := &d1.Result{}
	n := w.count(4)
	for i := 0; i < n && w.err == nil; i++ {
		m := w.count(1)
		if i == 0 {
			res.Columns = make([]string, m)
			for j := range res.Columns {
				s, ok := w.value().(string)
				if !ok {
					w.fail()
				}
				res.Columns[j] = s
			}
			if n > 1 {
				res.Rows = make([][]any, 0, n-1)
			}
			continue
		}
		row := w.block.row(m)
		for j := range row {
			row[j] = w.value()
		}
		res.Rows = append(res.Rows, row)
	}
	return res, w.done()
}

// decodeBatch decodes the results of batch().
func decodeBatch(b []byte) ([]*d1.Result, error) {
	w := newWire(b)
	out := make([]*d1.Result, w.count(2))
	for i := range out {
		out[i] = w.rowsResult()
	}
	return out, w.done()
}

// decodeExec decodes the result of exec(): {count, duration}.
func decodeExec(b []byte) (*d1.ExecResult, error) {
	w := newWire(b)
	res := &d1.ExecResult{}
	w.members(func(key string) {
		switch key {
		case "count":
			res.Count = int(w.int())
		case "duration":
			res.Duration = w.float()
		default:
			w.value()
		}
	})
	return res, w.done()
}
