package workers

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/lunora-go/d1"
)

// D1's rows reach Go as JSON text, made by JSON.stringify in one call: that
// is much faster than reading each value through syscall/js, which costs a
// call into JavaScript or two per value. The parser below reads only what
// D1's results hold: arrays of rows (objects or arrays) whose values are
// numbers, strings, null, booleans and arrays of byte values (BLOBs).
// Anything else makes it fail, and the caller falls back to syscall/js.

// errUnexpected is returned for JSON that D1's results do not contain.
var errUnexpected = errors.New("workers: unexpected JSON in D1 results")

// jsonRows parses the JSON text of D1's rows. With objects set, it expects
// an array of objects and returns the first object's keys as the columns and
// each object's values under them; otherwise it expects an array of arrays,
// as raw() returns, and returns them as they are with no columns.
func jsonRows(s string, objects bool) (columns []string, rows [][]any, err error) {
	p := &parser{s: s}
	if columns, rows, err = p.rows(objects); err != nil {
		return nil, nil, err
	}
	if p.skip(); p.i != len(s) {
		return nil, nil, errUnexpected
	}
	return columns, rows, nil
}

// rows parses an array of rows; see [jsonRows].
func (p *parser) rows(objects bool) (columns []string, rows [][]any, err error) {
	if !p.consume('[') {
		return nil, nil, errUnexpected
	}
	for !p.consume(']') {
		if len(rows) > 0 && !p.consume(',') {
			return nil, nil, errUnexpected
		}
		var row []any
		if objects {
			row, columns, err = p.object(columns, len(rows) == 0)
		} else {
			row, err = p.array()
		}
		if err != nil {
			return nil, nil, err
		}
		rows = append(rows, row)
	}
	return columns, rows, nil
}

// jsonResults parses the JSON text of what all() and run() return, one
// result ({"success", "meta", "results"}) or, with many set, an array of them
// as batch() returns.
func jsonResults(s string, many bool) ([]*d1.Result, error) {
	p := &parser{s: s}
	if !many {
		res, err := p.result()
		if err != nil {
			return nil, err
		}
		if p.skip(); p.i != len(s) {
			return nil, errUnexpected
		}
		return []*d1.Result{res}, nil
	}
	var out []*d1.Result
	if !p.consume('[') {
		return nil, errUnexpected
	}
	for !p.consume(']') {
		if len(out) > 0 && !p.consume(',') {
			return nil, errUnexpected
		}
		res, err := p.result()
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	if p.skip(); p.i != len(s) {
		return nil, errUnexpected
	}
	return out, nil
}

// result parses {"success": ..., "meta": {...}, "results": [...]}.
func (p *parser) result() (*d1.Result, error) {
	res := &d1.Result{}
	err := p.members(func(key string) error {
		switch key {
		case "results":
			if p.skip(); p.i < len(p.s) && p.s[p.i] == 'n' {
				return p.word("null")
			}
			cols, rows, err := p.rows(true)
			res.Columns, res.Rows = cols, rows
			return err
		case "meta":
			return p.meta(&res.Meta)
		}
		return p.skipValue()
	})
	return res, err
}

// meta parses D1's meta object, field by field.
func (p *parser) meta(m *d1.Meta) error {
	p.skip()
	if p.i < len(p.s) && p.s[p.i] == 'n' {
		return p.word("null")
	}
	return p.members(func(key string) error {
		switch key {
		case "duration":
			return p.float(&m.Duration)
		case "changes":
			return p.int(&m.Changes)
		case "last_row_id":
			return p.int(&m.LastRowID)
		case "changed_db":
			return p.bool(&m.ChangedDB)
		case "size_after":
			return p.int(&m.SizeAfter)
		case "rows_read":
			return p.int(&m.RowsRead)
		case "rows_written":
			return p.int(&m.RowsWritten)
		case "served_by":
			return p.string(&m.ServedBy)
		case "served_by_region":
			return p.string(&m.ServedByRegion)
		case "served_by_colo":
			return p.string(&m.ServedByColo)
		case "served_by_primary":
			var b bool
			p.skip()
			if p.i < len(p.s) && (p.s[p.i] == 't' || p.s[p.i] == 'f') {
				if err := p.bool(&b); err != nil {
					return err
				}
				m.ServedByPrimary = &b
				return nil
			}
		case "total_attempts":
			var n int64
			err := p.int(&n)
			m.TotalAttempts = int(n)
			return err
		case "timings":
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == '{' {
				t := &d1.Timings{}
				m.Timings = t
				return p.members(func(key string) error {
					if key == "sql_duration_ms" {
						return p.float(&t.SQLDurationMS)
					}
					return p.skipValue()
				})
			}
		}
		return p.skipValue()
	})
}

// members parses an object, calling f for each key with p at its value; f
// must consume the value.
func (p *parser) members(f func(key string) error) error {
	if !p.consume('{') {
		return errUnexpected
	}
	for n := 0; !p.consume('}'); n++ {
		if n > 0 && !p.consume(',') {
			return errUnexpected
		}
		p.skip()
		key, err := p.str()
		if err != nil {
			return err
		}
		if !p.consume(':') {
			return errUnexpected
		}
		if err := f(key); err != nil {
			return err
		}
	}
	return nil
}

// float, int, bool and string parse a meta field; a value of another type
// (null, say) leaves the field zero.
func (p *parser) float(dst *float64) error {
	v, err := p.value()
	switch x := v.(type) {
	case int64:
		*dst = float64(x)
	case float64:
		*dst = x
	}
	return err
}

func (p *parser) int(dst *int64) error {
	v, err := p.value()
	switch x := v.(type) {
	case int64:
		*dst = x
	case float64:
		*dst = int64(x)
	}
	return err
}

func (p *parser) bool(dst *bool) error {
	p.skip()
	if p.i < len(p.s) && (p.s[p.i] == 't' || p.s[p.i] == 'f') {
		*dst = p.s[p.i] == 't'
	}
	_, err := p.value()
	return err
}

func (p *parser) string(dst *string) error {
	v, err := p.value()
	if s, ok := v.(string); ok {
		*dst = s
	}
	return err
}

// skipValue skips any JSON value.
func (p *parser) skipValue() error {
	p.skip()
	if p.i >= len(p.s) {
		return errUnexpected
	}
	switch p.s[p.i] {
	case '{':
		return p.members(func(string) error { return p.skipValue() })
	case '[':
		p.i++
		for n := 0; !p.consume(']'); n++ {
			if n > 0 && !p.consume(',') {
				return errUnexpected
			}
			if err := p.skipValue(); err != nil {
				return err
			}
		}
		return nil
	}
	_, err := p.value()
	return err
}

type parser struct {
	s     string
	i     int
	block rowBlock
}

func (p *parser) skip() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\n' || p.s[p.i] == '\t' || p.s[p.i] == '\r') {
		p.i++
	}
}

// consume skips white space and c, if c comes next.
func (p *parser) consume(c byte) bool {
	p.skip()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// object parses a row object. The first row sets the columns; later rows
// that have the same keys in the same order (as D1's rows do) are read by
// position, others by name.
func (p *parser) object(columns []string, first bool) ([]any, []string, error) {
	if !p.consume('{') {
		return nil, nil, errUnexpected
	}
	var row []any
	if !first {
		row = p.block.row(len(columns))
	}
	for n := 0; !p.consume('}'); n++ {
		if n > 0 && !p.consume(',') {
			return nil, nil, errUnexpected
		}
		p.skip()
		var key string
		if !first && n < len(columns) && p.hasKey(columns[n]) {
			key = columns[n]
			p.i += len(key) + 2
		} else {
			var err error
			if key, err = p.str(); err != nil {
				return nil, nil, err
			}
		}
		if !p.consume(':') {
			return nil, nil, errUnexpected
		}
		v, err := p.value()
		if err != nil {
			return nil, nil, err
		}
		switch {
		case first:
			columns = append(columns, key)
			row = append(row, v)
		case n < len(columns) && columns[n] == key:
			row[n] = v
		default:
			for j, c := range columns {
				if c == key {
					row[j] = v
				}
			}
		}
	}
	return row, columns, nil
}

// hasKey reports whether the quoted string at p.i is key, which has no
// characters that JSON escapes.
func (p *parser) hasKey(key string) bool {
	end := p.i + 1 + len(key)
	return end < len(p.s) && p.s[p.i] == '"' && p.s[end] == '"' && p.s[p.i+1:end] == key
}

// array parses a raw row.
func (p *parser) array() ([]any, error) {
	if !p.consume('[') {
		return nil, errUnexpected
	}
	var row []any
	for !p.consume(']') {
		if len(row) > 0 && !p.consume(',') {
			return nil, errUnexpected
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		row = append(row, v)
	}
	return row, nil
}

// value parses a value: a number, string, null, boolean or array of bytes.
func (p *parser) value() (any, error) {
	p.skip()
	if p.i >= len(p.s) {
		return nil, errUnexpected
	}
	switch c := p.s[p.i]; {
	case c == '"':
		return p.str()
	case c == 'n':
		return nil, p.word("null")
	case c == 't':
		return int64(1), p.word("true")
	case c == 'f':
		return int64(0), p.word("false")
	case c == '[':
		return p.bytes()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return nil, errUnexpected
}

func (p *parser) word(w string) error {
	if len(p.s)-p.i < len(w) || p.s[p.i:p.i+len(w)] != w {
		return errUnexpected
	}
	p.i += len(w)
	return nil
}

// number parses a number as [d1.NormalizeResult] would return it.
func (p *parser) number() (any, error) {
	start := p.i
	neg := p.s[p.i] == '-'
	if neg {
		p.i++
	}
	// Fast path: an integer of at most 15 digits is exact as an int64.
	var n int64
	digits := 0
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' && digits < 16 {
		n = n*10 + int64(p.s[p.i]-'0')
		p.i++
		digits++
	}
	if digits > 0 && digits <= 15 && (p.i == len(p.s) || !isNumberByte(p.s[p.i])) {
		if neg {
			n = -n
		}
		return n, nil
	}
	for p.i < len(p.s) && isNumberByte(p.s[p.i]) {
		p.i++
	}
	f, err := strconv.ParseFloat(p.s[start:p.i], 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, errUnexpected
	}
	return d1.NormalizeResult(f), nil
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// bytes parses an array of byte values, D1's BLOB.
func (p *parser) bytes() ([]byte, error) {
	p.i++ // '['
	b := []byte{}
	for !p.consume(']') {
		if len(b) > 0 && !p.consume(',') {
			return nil, errUnexpected
		}
		p.skip()
		n := 0
		start := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' && p.i-start < 3 {
			n = n*10 + int(p.s[p.i]-'0')
			p.i++
		}
		if p.i == start || n > 255 {
			return nil, errUnexpected
		}
		b = append(b, byte(n))
	}
	return b, nil
}

// str parses a string at p.i, which must be at its opening quote.
func (p *parser) str() (string, error) {
	if p.i >= len(p.s) || p.s[p.i] != '"' {
		return "", errUnexpected
	}
	p.i++
	start := p.i
	// Fast path: no escapes.
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == '"':
			s := p.s[start:p.i]
			p.i++
			return s, nil
		case c == '\\':
			return p.escaped(start)
		case c < 0x20:
			return "", errUnexpected
		}
		p.i++
	}
	return "", errUnexpected
}

// escaped parses the rest of a string with escapes, from start.
func (p *parser) escaped(start int) (string, error) {
	b := []byte(p.s[start:p.i])
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return string(b), nil
		case c < 0x20:
			return "", errUnexpected
		case c != '\\':
			b = append(b, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.s) {
			return "", errUnexpected
		}
		e := p.s[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", errUnexpected
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if p.i+1 < len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
					save := p.i
					p.i += 2
					if x, ok := p.hex4(); ok && utf16.DecodeRune(r, x) != utf8.RuneError {
						r2 = utf16.DecodeRune(r, x)
					} else {
						p.i = save
					}
				}
				r = r2
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", errUnexpected
		}
	}
	return "", errUnexpected
}

func (p *parser) hex4() (rune, bool) {
	if len(p.s)-p.i < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(n), true
}
