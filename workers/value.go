//go:build js && wasm

package workers

import (
	"syscall/js"

	"github.com/lunora-go/d1"
)

// toJS converts a bound Go value to the JavaScript value D1 binds: nil to
// null, int64 and float64 to numbers, strings to strings, []byte to a
// Uint8Array. A js.Value passes through; anything else goes through
// [d1.Normalize] first (as wireValue does), which refuses what D1 cannot
// bind.
func toJS(v any) (any, error) {
	if x, ok := v.(js.Value); ok {
		return x, nil
	}
	w, ok := wireValue(v)
	if !ok {
		// wireValue refuses only what Normalize refuses: return its error.
		_, err := d1.Normalize(v)
		return nil, err
	}
	switch x := w.(type) {
	case nil:
		return js.Null(), nil
	case []byte:
		u := jsUint8Array.New(len(x))
		js.CopyBytesToJS(u, x)
		return u, nil
	}
	return w, nil
}

// fromJS converts a value D1 returned to the Go value a [d1.Result] holds.
func fromJS(v js.Value) any {
	switch v.Type() {
	case js.TypeNumber:
		return d1.NormalizeResult(v.Float())
	case js.TypeString:
		return v.String()
	case js.TypeNull, js.TypeUndefined:
		return nil
	case js.TypeBoolean:
		if v.Bool() {
			return int64(1)
		}
		return int64(0)
	case js.TypeObject:
		if b, ok := bytesFromJS(v); ok {
			return b
		}
	}
	// An object or symbol D1 does not return: keep its text.
	return jsString.Invoke(v).String()
}

// bytesFromJS copies a BLOB as D1 returns it (an array of byte values) or as
// an ArrayBuffer, Uint8Array or other ArrayBuffer view.
func bytesFromJS(v js.Value) ([]byte, bool) {
	var u js.Value
	switch {
	case jsArray.Call("isArray", v).Bool():
		u = jsUint8Array.New(v)
	case v.InstanceOf(jsUint8Array):
		u = v
	case v.InstanceOf(jsArrayBuffer):
		u = jsUint8Array.New(v)
	case jsArrayBuffer.Call("isView", v).Bool():
		u = jsUint8Array.New(v.Get("buffer"), v.Get("byteOffset"), v.Get("byteLength"))
	default:
		return nil, false
	}
	b := make([]byte, u.Length())
	js.CopyBytesToGo(b, u)
	return b, true
}

// keys returns the own enumerable property names of the object o, in
// JavaScript's order.
func keys(o js.Value) []string {
	ks := jsObject.Call("keys", o)
	names := make([]string, ks.Length())
	for i := range names {
		names[i] = ks.Index(i).String()
	}
	return names
}

// rowsResult converts D1's {success, meta, results} to a Result: the columns
// are the first row's keys. The result crosses to Go as JSON text in one
// piece; syscall/js, value by value, is the fallback.
func rowsResult(v js.Value) *d1.Result {
	if s, ok := stringify(v); ok {
		if res, err := jsonResults(s, false); err == nil {
			return res[0]
		}
	}
	return rowsResultJS(v)
}

// rowsResultJS is rowsResult through syscall/js, value by value.
func rowsResultJS(v js.Value) *d1.Result {
	res := &d1.Result{Meta: meta(v.Get("meta"))}
	if rows := v.Get("results"); rows.Type() == js.TypeObject {
		res.Columns, res.Rows = objectRowsJS(rows)
	}
	return res
}

// objectRowsJS converts an array of row objects through syscall/js, value
// by value.
func objectRowsJS(rows js.Value) ([]string, [][]any) {
	n := rows.Length()
	if n == 0 {
		return nil, nil
	}
	cols := keys(rows.Index(0))
	rs := make([][]any, n)
	for i := range n {
		rs[i] = objectRow(rows.Index(i), cols)
	}
	return cols, rs
}

// objectRow returns the values of the row object o under names.
func objectRow(o js.Value, names []string) []any {
	vals := make([]any, len(names))
	for j, name := range names {
		vals[j] = fromJS(o.Get(name))
	}
	return vals
}

// firstResult converts what first() returns: a row object, or null.
func firstResult(v js.Value) *d1.Result {
	res := &d1.Result{}
	if v.Type() != js.TypeObject {
		return res
	}
	if s, ok := stringify(v); ok {
		if cols, rows, err := jsonRows("["+s+"]", true); err == nil {
			res.Columns, res.Rows = cols, rows
			return res
		}
	}
	res.Columns, res.Rows = objectRowsJS(jsArray.Call("of", v))
	return res
}

// rawResult converts the arrays of raw({columnNames: true}) to a Result: the
// first array holds the column names.
func rawResult(v js.Value) *d1.Result {
	if s, ok := stringify(v); ok {
		if _, rows, err := jsonRows(s, false); err == nil {
			if cols, ok := names(rows); ok {
				res := &d1.Result{Columns: cols}
				if len(rows) > 1 {
					res.Rows = rows[1:]
				}
				return res
			}
		}
	}
	return rawResultJS(v)
}

// rawResultJS is rawResult through syscall/js, value by value.
func rawResultJS(v js.Value) *d1.Result {
	res := &d1.Result{}
	n := v.Length()
	if n == 0 {
		return res
	}
	head := v.Index(0)
	res.Columns = make([]string, head.Length())
	for i := range res.Columns {
		res.Columns[i] = head.Index(i).String()
	}
	if n == 1 {
		return res
	}
	res.Rows = make([][]any, n-1)
	for i := 1; i < n; i++ {
		row := v.Index(i)
		vals := make([]any, row.Length())
		for j := range vals {
			vals[j] = fromJS(row.Index(j))
		}
		res.Rows[i-1] = vals
	}
	return res
}

// names returns the column names in raw's first row.
func names(rows [][]any) ([]string, bool) {
	if len(rows) == 0 {
		return nil, true
	}
	cols := make([]string, len(rows[0]))
	for i, v := range rows[0] {
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		cols[i] = s
	}
	return cols, true
}

// stringify returns JSON.stringify(v), or false when it throws.
func stringify(v js.Value) (string, bool) {
	s, err := call(jsJSON, "stringify", v)
	if err != nil || s.Type() != js.TypeString {
		return "", false
	}
	return s.String(), true
}

// meta copies D1's meta object field by field. Fields that are absent, or of
// another type, stay zero.
func meta(m js.Value) d1.Meta {
	if m.Type() != js.TypeObject {
		return d1.Meta{}
	}
	md := d1.Meta{
		Duration:       number(m, "duration"),
		Changes:        int64(number(m, "changes")),
		LastRowID:      int64(number(m, "last_row_id")),
		ChangedDB:      boolean(m, "changed_db"),
		SizeAfter:      int64(number(m, "size_after")),
		RowsRead:       int64(number(m, "rows_read")),
		RowsWritten:    int64(number(m, "rows_written")),
		ServedBy:       str(m, "served_by"),
		ServedByRegion: str(m, "served_by_region"),
		ServedByColo:   str(m, "served_by_colo"),
		TotalAttempts:  int(number(m, "total_attempts")),
	}
	if p := m.Get("served_by_primary"); p.Type() == js.TypeBoolean {
		b := p.Bool()
		md.ServedByPrimary = &b
	}
	if t := m.Get("timings"); t.Type() == js.TypeObject {
		md.Timings = &d1.Timings{SQLDurationMS: number(t, "sql_duration_ms")}
	}
	return md
}

func number(o js.Value, name string) float64 {
	if v := o.Get(name); v.Type() == js.TypeNumber {
		return v.Float()
	}
	return 0
}

func boolean(o js.Value, name string) bool {
	v := o.Get(name)
	return v.Type() == js.TypeBoolean && v.Bool()
}

func str(o js.Value, name string) string {
	if v := o.Get(name); v.Type() == js.TypeString {
		return v.String()
	}
	return ""
}
