package rest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/lunora-go/d1"
)

// The API answers rows as JSON objects, whose key order is the column
// order, and numbers whose text matters (2 and 2.5, 2^53 and beyond). The
// decoder below reads an answer in one pass over its bytes, keeping both;
// encoding/json would lose the order to a map, and its token reader is
// several times slower. It accepts standard JSON only.

// maxDepth bounds the nesting of values the decoder skips.
const maxDepth = 512

// scanner reads JSON from data.
type scanner struct {
	data []byte
	pos  int
}

// errorf reports malformed or unexpected JSON at the current offset.
func (s *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("at byte %d: %s", s.pos, fmt.Sprintf(format, args...))
}

// peek skips white space and returns the next byte, or 0 at the end.
func (s *scanner) peek() byte {
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; c {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return c
		}
	}
	return 0
}

func (s *scanner) expect(c byte) error {
	if s.peek() != c {
		return s.errorf("expected %q", c)
	}
	s.pos++
	return nil
}

// literal consumes word (null, true or false).
func (s *scanner) literal(word string) error {
	if len(s.data)-s.pos < len(word) || string(s.data[s.pos:s.pos+len(word)]) != word {
		return s.errorf("expected %s", word)
	}
	s.pos += len(word)
	return nil
}

// rawString consumes a string and returns its bytes between the quotes,
// and whether they need unescaping (escapes, or invalid UTF-8).
func (s *scanner) rawString() ([]byte, bool, error) {
	if s.peek() != '"' {
		return nil, false, s.errorf("expected a string")
	}
	start := s.pos + 1
	escaped := false
	for i := start; i < len(s.data); i++ {
		switch c := s.data[i]; {
		case c == '"':
			s.pos = i + 1
			seg := s.data[start:i]
			return seg, escaped || !utf8.Valid(seg), nil
		case c == '\\':
			escaped = true
			i++
			if i == len(s.data) {
				break
			}
			switch s.data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(s.data) || !isHex(s.data[i+1]) || !isHex(s.data[i+2]) || !isHex(s.data[i+3]) || !isHex(s.data[i+4]) {
					s.pos = i
					return nil, false, s.errorf("bad \\u escape in a string")
				}
				i += 4
			default:
				s.pos = i
				return nil, false, s.errorf("bad escape in a string")
			}
		case c < 0x20:
			s.pos = i
			return nil, false, s.errorf("control character in a string")
		}
	}
	s.pos = len(s.data)
	return nil, false, s.errorf("unterminated string")
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// str consumes a string.
func (s *scanner) str() (string, error) {
	seg, escaped, err := s.rawString()
	if err != nil {
		return "", err
	}
	if !escaped {
		return string(seg), nil
	}
	return unescape(seg)
}

// unescape decodes a string's contents with encoding/json, which handles
// escapes, surrogate pairs and invalid UTF-8 as JSON requires.
func unescape(seg []byte) (string, error) {
	quoted := make([]byte, 0, len(seg)+2)
	quoted = append(append(append(quoted, '"'), seg...), '"')
	var out string
	if err := json.Unmarshal(quoted, &out); err != nil {
		return "", fmt.Errorf("bad string: %w", err)
	}
	return out, nil
}

// numberBytes consumes a number and returns its text. It follows JSON's
// grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) numberBytes() ([]byte, error) {
	start, i := s.pos, s.pos
	digits := func() bool {
		j := i
		for i < len(s.data) && s.data[i] >= '0' && s.data[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(s.data) && s.data[i] == '-' {
		i++
	}
	if i < len(s.data) && s.data[i] == '0' {
		i++
	} else if !digits() {
		return nil, s.errorf("expected a value")
	}
	if i < len(s.data) && s.data[i] == '.' {
		i++
		if !digits() {
			s.pos = i
			return nil, s.errorf("expected a digit after the decimal point")
		}
	}
	if i < len(s.data) && (s.data[i] == 'e' || s.data[i] == 'E') {
		i++
		if i < len(s.data) && (s.data[i] == '+' || s.data[i] == '-') {
			i++
		}
		if !digits() {
			s.pos = i
			return nil, s.errorf("expected a digit in the exponent")
		}
	}
	s.pos = i
	return s.data[start:i], nil
}

// number converts a JSON number, written from a JavaScript number, as
// [d1.NormalizeResult] does: int64 when whole and within ±2^53, float64
// otherwise, nil beyond float64's range. Integers of up to 15 digits are
// exact in a float64 and are read directly.
func number(b []byte) (any, error) {
	if n, ok := smallInt(b); ok {
		return n, nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		var ne *strconv.NumError
		if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
			return nil, fmt.Errorf("bad number %s", b)
		}
		// Out of range: ParseFloat gives ±Inf (or 0), as JavaScript would,
		// and NormalizeResult makes ±Inf nil.
	}
	return d1.NormalizeResult(f), nil
}

// smallInt parses an optionally negative integer of 1 to 15 digits.
func smallInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 15 || (b[0] == '0' && len(b) > 1) {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// value consumes a result value: null, a string, a number, or a BLOB as an
// array of byte values. Booleans, which D1 does not return, become 1 and 0.
func (s *scanner) value() (any, error) {
	switch s.peek() {
	case 'n':
		return nil, s.literal("null")
	case '"':
		return s.str()
	case 't':
		return int64(1), s.literal("true")
	case 'f':
		return int64(0), s.literal("false")
	case '[':
		return s.blob()
	case '{':
		return nil, s.errorf("an object is not a D1 value")
	}
	b, err := s.numberBytes()
	if err != nil {
		return nil, err
	}
	v, err := number(b)
	if err != nil {
		return nil, s.errorf("%v", err)
	}
	return v, nil
}

// blob consumes an array of byte values.
func (s *scanner) blob() ([]byte, error) {
	s.pos++ // '['
	out := []byte{}
	if s.peek() == ']' {
		s.pos++
		return out, nil
	}
	for {
		s.peek()
		b, err := s.numberBytes()
		if err != nil {
			return nil, err
		}
		n, ok := smallInt(b)
		if !ok || n < 0 || n > 255 {
			return nil, s.errorf("a BLOB holds %s, not a byte value", b)
		}
		out = append(out, byte(n))
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return out, nil
		default:
			return nil, s.errorf("expected , or ] in a BLOB")
		}
	}
}

// skip consumes any value.
func (s *scanner) skip(depth int) error {
	if depth > maxDepth {
		return s.errorf("nested too deeply")
	}
	switch s.peek() {
	case '{':
		return s.object(func(string) error { return s.skip(depth + 1) })
	case '[':
		return s.array(func() error { return s.skip(depth + 1) })
	case '"':
		_, _, err := s.rawString()
		return err
	case 'n':
		return s.literal("null")
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	}
	_, err := s.numberBytes()
	return err
}

// span consumes any value and returns its text.
func (s *scanner) span() ([]byte, error) {
	s.peek()
	start := s.pos
	if err := s.skip(0); err != nil {
		return nil, err
	}
	return s.data[start:s.pos], nil
}

// object consumes an object, calling field for each key with the scanner
// at the key's value; field must consume the value. null is an empty
// object.
func (s *scanner) object(field func(key string) error) error {
	switch s.peek() {
	case 'n':
		return s.literal("null")
	case '{':
		s.pos++
	default:
		return s.errorf("expected an object")
	}
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		key, err := s.str()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.errorf("expected , or } in an object")
		}
	}
}

// array consumes an array, calling elem for each element; elem must
// consume it. null is an empty array.
func (s *scanner) array(elem func() error) error {
	switch s.peek() {
	case 'n':
		return s.literal("null")
	case '[':
		s.pos++
	default:
		return s.errorf("expected an array")
	}
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return s.errorf("expected , or ] in an array")
		}
	}
}

// boolean consumes true, false or null (false).
func (s *scanner) boolean() (bool, error) {
	switch s.peek() {
	case 't':
		return true, s.literal("true")
	case 'f':
		return false, s.literal("false")
	case 'n':
		return false, s.literal("null")
	}
	return false, s.errorf("expected true or false")
}

// decodeEnvelope decodes an answer of /query or /raw:
// {success, errors, messages, result: [{success, meta, results}, ...]}.
func decodeEnvelope(data []byte) (*envelope, error) {
	s := &scanner{data: data}
	env := &envelope{}
	err := s.object(func(key string) error {
		switch key {
		case "success":
			var err error
			env.success, err = s.boolean()
			return err
		case "errors", "messages":
			b, err := s.span()
			if err != nil {
				return err
			}
			var ms []Message
			if err := json.Unmarshal(b, &ms); err != nil {
				return fmt.Errorf("%s: %w", key, err)
			}
			if key == "errors" {
				env.errors = ms
			} else {
				env.messages = ms
			}
			return nil
		case "result":
			return s.array(func() error {
				r := wireResult{success: true}
				if err := s.result(&r); err != nil {
					return err
				}
				env.results = append(env.results, r)
				return nil
			})
		}
		return s.skip(0)
	})
	if err != nil {
		return nil, err
	}
	if s.peek(); s.pos != len(s.data) {
		return nil, s.errorf("data after the answer's object")
	}
	return env, nil
}

// result decodes one entry of result.
func (s *scanner) result(r *wireResult) error {
	return s.object(func(key string) error {
		switch key {
		case "success":
			var err error
			r.success, err = s.boolean()
			return err
		case "error":
			if s.peek() == 'n' {
				return s.literal("null")
			}
			msg, err := s.str()
			r.err, r.success = msg, false
			return err
		case "meta":
			b, err := s.span()
			if err != nil {
				return err
			}
			var m *metaWire
			if err := json.Unmarshal(b, &m); err != nil {
				return fmt.Errorf("meta: %w", err)
			}
			if m != nil {
				r.meta = m.meta()
			}
			return nil
		case "results":
			switch s.peek() {
			case 'n':
				return s.literal("null")
			case '[':
				return s.rowObjects(r)
			case '{':
				return s.columnsAndRows(r)
			}
			return s.errorf("results is neither rows nor columns and rows")
		}
		return s.skip(0)
	})
}

// rowObjects decodes /query's array of row objects. The first row's keys
// name the columns, in order. A key repeated within a row keeps its first
// position and its last value, as in a JavaScript object; a key that
// earlier rows lacked adds a column, NULL in those rows.
func (s *scanner) rowObjects(r *wireResult) error {
	var index map[string]int
	err := s.array(func() error {
		if s.peek() != '{' {
			return s.errorf("a row is not an object")
		}
		var row []any
		if r.columns != nil {
			row = make([]any, len(r.columns))
		}
		pos := 0
		err := s.object2(func(raw []byte, escaped bool) error {
			// Fast path: the keys come in the order of the columns, which
			// are distinct; comparing string(raw) does not allocate.
			if !escaped && pos < len(r.columns) && string(raw) == r.columns[pos] {
				v, err := s.value()
				if err != nil {
					return fmt.Errorf("column %q: %w", r.columns[pos], err)
				}
				row[pos] = v
				pos++
				return nil
			}
			key := string(raw)
			if escaped {
				var err error
				if key, err = unescape(raw); err != nil {
					return err
				}
			}
			v, err := s.value()
			if err != nil {
				return fmt.Errorf("column %q: %w", key, err)
			}
			if index == nil {
				index = make(map[string]int, len(r.columns))
				for i, c := range r.columns {
					index[c] = i
				}
			}
			i, ok := index[key]
			if !ok {
				i = len(r.columns)
				index[key] = i
				r.columns = append(r.columns, key)
				for j := range r.rows {
					r.rows[j] = append(r.rows[j], nil)
				}
				row = append(row, nil)
			}
			row[i] = v
			pos = i + 1
			return nil
		})
		if err != nil {
			return err
		}
		if row == nil {
			row = []any{}
		}
		r.rows = append(r.rows, row)
		return nil
	})
	if err == nil && r.columns == nil {
		r.columns = []string{}
	}
	return err
}

// object2 is object for row objects: it passes each key's raw bytes, and
// whether they need unescaping, instead of a string.
func (s *scanner) object2(field func(raw []byte, escaped bool) error) error {
	s.pos++ // '{', checked by the caller
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		raw, escaped, err := s.rawString()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		if err := field(raw, escaped); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.errorf("expected , or } in a row")
		}
	}
}

// columnsAndRows decodes /raw's {columns, rows}.
func (s *scanner) columnsAndRows(r *wireResult) error {
	return s.object(func(key string) error {
		switch key {
		case "columns":
			cols := []string{}
			err := s.array(func() error {
				c, err := s.str()
				cols = append(cols, c)
				return err
			})
			r.columns = cols
			if err != nil {
				return fmt.Errorf("columns: %w", err)
			}
			return nil
		case "rows":
			return s.array(func() error {
				row := make([]any, 0, len(r.columns))
				err := s.array(func() error {
					v, err := s.value()
					row = append(row, v)
					return err
				})
				r.rows = append(r.rows, row)
				return err
			})
		}
		return s.skip(0)
	})
}
