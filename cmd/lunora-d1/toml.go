package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// tomlScalar is a TOML value this tool does not need to understand: a
// number, a boolean or a date, kept as its text. Keeping it apart from
// string means it is never taken for a string setting.
type tomlScalar string

// parseTOML reads the TOML that a wrangler.toml holds into a generic value:
// tables are map[string]any, arrays []any, strings string, and numbers,
// booleans and dates tomlScalar.
//
// It is not a complete TOML parser, only as much of one as reading wrangler's
// settings needs, while skipping over everything else a wrangler.toml may hold:
// tables and arrays of tables ([a.b], [[d1_databases]], [[env.x.d1_databases]]),
// bare, quoted and dotted keys, the four kinds of string, arrays over several
// lines, inline tables and comments. It does not check numbers and dates, and
// allows some things TOML forbids (newlines in inline tables, a table defined
// twice). Errors name the line.
func parseTOML(src string) (map[string]any, error) {
	p := &tomlParser{src: src, line: 1}
	root := map[string]any{}
	cur := root
	for {
		p.skipSpaceAndNewlines()
		if p.eof() {
			return root, nil
		}
		var err error
		if p.peek() == '[' {
			cur, err = p.header(root)
		} else {
			err = p.keyValue(cur)
		}
		if err != nil {
			return nil, err
		}
		// After a header or a key/value: only a comment until the line ends.
		p.skipSpace()
		p.skipComment()
		if !p.eof() && p.peek() != '\n' && p.peek() != '\r' {
			return nil, p.errorf("unexpected %q after a value; put one key = value on each line", p.peekRune())
		}
	}
}

type tomlParser struct {
	src  string
	pos  int
	line int
}

func (p *tomlParser) eof() bool  { return p.pos >= len(p.src) }
func (p *tomlParser) peek() byte { return p.src[p.pos] }

func (p *tomlParser) peekRune() rune {
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return r
}

func (p *tomlParser) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", p.line, fmt.Sprintf(format, args...))
}

func (p *tomlParser) skipSpace() {
	for !p.eof() && (p.peek() == ' ' || p.peek() == '\t') {
		p.pos++
	}
}

func (p *tomlParser) skipComment() {
	if !p.eof() && p.peek() == '#' {
		for !p.eof() && p.peek() != '\n' {
			p.pos++
		}
	}
}

// skipSpaceAndNewlines skips white space, newlines and comments.
func (p *tomlParser) skipSpaceAndNewlines() {
	for !p.eof() {
		switch p.peek() {
		case ' ', '\t', '\r':
			p.pos++
		case '\n':
			p.pos++
			p.line++
		case '#':
			p.skipComment()
		default:
			return
		}
	}
}

// header reads [a.b] or [[a.b]] and returns the table that the key/value
// lines after it fill.
func (p *tomlParser) header(root map[string]any) (map[string]any, error) {
	p.pos++ // [
	array := !p.eof() && p.peek() == '['
	if array {
		p.pos++
	}
	p.skipSpace()
	keys, err := p.key()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	closing := "]"
	if array {
		closing = "]]"
	}
	if !strings.HasPrefix(p.src[p.pos:], closing) {
		return nil, p.errorf("a table header must end with %s", closing)
	}
	p.pos += len(closing)
	parent, err := p.descend(root, keys[:len(keys)-1])
	if err != nil {
		return nil, err
	}
	last := keys[len(keys)-1]
	if !array {
		return p.descend(parent, []string{last})
	}
	var list []any
	switch v := parent[last].(type) {
	case nil:
	case []any:
		list = v
	default:
		return nil, p.errorf("[[%s]] names a key that already holds a value", strings.Join(keys, "."))
	}
	t := map[string]any{}
	parent[last] = append(list, t)
	return t, nil
}

// descend returns the table at keys below t, creating tables as needed; a
// key holding an array of tables leads to its last table, as TOML says.
func (p *tomlParser) descend(t map[string]any, keys []string) (map[string]any, error) {
	for _, k := range keys {
		switch v := t[k].(type) {
		case nil:
			n := map[string]any{}
			t[k] = n
			t = n
		case map[string]any:
			t = v
		case []any:
			if len(v) == 0 {
				return nil, p.errorf("key %q holds an empty array, not a table", k)
			}
			n, ok := v[len(v)-1].(map[string]any)
			if !ok {
				return nil, p.errorf("key %q holds an array of values, not of tables", k)
			}
			t = n
		default:
			return nil, p.errorf("key %q holds a value, not a table", k)
		}
	}
	return t, nil
}

// keyValue reads key = value into t.
func (p *tomlParser) keyValue(t map[string]any) error {
	keys, err := p.key()
	if err != nil {
		return err
	}
	p.skipSpace()
	if p.eof() || p.peek() != '=' {
		return p.errorf("expected = after the key %q", strings.Join(keys, "."))
	}
	p.pos++
	p.skipSpace()
	v, err := p.value()
	if err != nil {
		return err
	}
	parent, err := p.descend(t, keys[:len(keys)-1])
	if err != nil {
		return err
	}
	last := keys[len(keys)-1]
	if _, dup := parent[last]; dup {
		return p.errorf("the key %q is defined twice", strings.Join(keys, "."))
	}
	parent[last] = v
	return nil
}

// key reads a bare, quoted or dotted key.
func (p *tomlParser) key() ([]string, error) {
	var keys []string
	for {
		p.skipSpace()
		if p.eof() {
			return nil, p.errorf("the file ends where a key should be")
		}
		switch c := p.peek(); {
		case c == '"':
			s, err := p.basicString()
			if err != nil {
				return nil, err
			}
			keys = append(keys, s)
		case c == '\'':
			s, err := p.literalString()
			if err != nil {
				return nil, err
			}
			keys = append(keys, s)
		default:
			start := p.pos
			for !p.eof() && isBareKeyByte(p.peek()) {
				p.pos++
			}
			if p.pos == start {
				return nil, p.errorf("unexpected %q where a key should be", p.peekRune())
			}
			keys = append(keys, p.src[start:p.pos])
		}
		p.skipSpace()
		if p.eof() || p.peek() != '.' {
			return keys, nil
		}
		p.pos++
	}
}

func isBareKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value reads a value: a string, an array, an inline table, or a scalar.
func (p *tomlParser) value() (any, error) {
	if p.eof() {
		return nil, p.errorf("the file ends where a value should be")
	}
	switch p.peek() {
	case '"':
		if strings.HasPrefix(p.src[p.pos:], `"""`) {
			return p.multilineString(`"""`)
		}
		return p.basicString()
	case '\'':
		if strings.HasPrefix(p.src[p.pos:], `'''`) {
			return p.multilineString(`'''`)
		}
		return p.literalString()
	case '[':
		return p.array()
	case '{':
		return p.inlineTable()
	}
	start := p.pos
	for !p.eof() && !strings.ContainsRune(" \t\r\n,]}#", rune(p.peek())) {
		p.pos++
	}
	// A date and a time may be separated by one space: 1979-05-27 07:32:00.
	if p.pos-start == 10 && p.src[start+4] == '-' && p.pos+1 < len(p.src) && p.src[p.pos] == ' ' &&
		p.src[p.pos+1] >= '0' && p.src[p.pos+1] <= '9' {
		p.pos++
		for !p.eof() && !strings.ContainsRune(" \t\r\n,]}#", rune(p.peek())) {
			p.pos++
		}
	}
	if p.pos == start {
		return nil, p.errorf("unexpected %q where a value should be", p.peekRune())
	}
	return tomlScalar(p.src[start:p.pos]), nil
}

func (p *tomlParser) array() (any, error) {
	p.pos++ // [
	list := []any{}
	for {
		p.skipSpaceAndNewlines()
		if p.eof() {
			return nil, p.errorf("an array is never closed with ]")
		}
		if p.peek() == ']' {
			p.pos++
			return list, nil
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		list = append(list, v)
		p.skipSpaceAndNewlines()
		if p.eof() {
			return nil, p.errorf("an array is never closed with ]")
		}
		switch p.peek() {
		case ',':
			p.pos++
		case ']':
		default:
			return nil, p.errorf("unexpected %q in an array; separate values with commas", p.peekRune())
		}
	}
}

func (p *tomlParser) inlineTable() (any, error) {
	p.pos++ // {
	t := map[string]any{}
	for {
		p.skipSpaceAndNewlines()
		if p.eof() {
			return nil, p.errorf("an inline table is never closed with }")
		}
		if p.peek() == '}' {
			p.pos++
			return t, nil
		}
		if err := p.keyValue(t); err != nil {
			return nil, err
		}
		p.skipSpaceAndNewlines()
		if p.eof() {
			return nil, p.errorf("an inline table is never closed with }")
		}
		switch p.peek() {
		case ',':
			p.pos++
		case '}':
		default:
			return nil, p.errorf("unexpected %q in an inline table; separate keys with commas", p.peekRune())
		}
	}
}

// basicString reads "..." with TOML's escapes.
func (p *tomlParser) basicString() (string, error) {
	p.pos++ // "
	var b strings.Builder
	for {
		if p.eof() || p.peek() == '\n' {
			return "", p.errorf(`a string is never closed with "`)
		}
		c := p.peek()
		switch c {
		case '"':
			p.pos++
			return b.String(), nil
		case '\\':
			if err := p.escape(&b); err != nil {
				return "", err
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
}

// escape reads the escape sequence at p.pos into b.
func (p *tomlParser) escape(b *strings.Builder) error {
	p.pos++ // backslash
	if p.eof() {
		return p.errorf("a string ends in a backslash")
	}
	c := p.peek()
	p.pos++
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 't':
		b.WriteByte('\t')
	case 'n':
		b.WriteByte('\n')
	case 'f':
		b.WriteByte('\f')
	case 'r':
		b.WriteByte('\r')
	case 'e':
		b.WriteByte(0x1b)
	case '"', '\\':
		b.WriteByte(c)
	case 'u', 'U', 'x':
		n := map[byte]int{'u': 4, 'U': 8, 'x': 2}[c]
		if p.pos+n > len(p.src) {
			return p.errorf(`\%c needs %d hex digits`, c, n)
		}
		code, err := strconv.ParseUint(p.src[p.pos:p.pos+n], 16, 32)
		if err != nil || !utf8.ValidRune(rune(code)) {
			return p.errorf(`\%c%s is not a valid character`, c, p.src[p.pos:p.pos+n])
		}
		p.pos += n
		b.WriteRune(rune(code))
	default:
		return p.errorf(`unknown escape \%c in a string`, c)
	}
	return nil
}

// literalString reads '...', which has no escapes.
func (p *tomlParser) literalString() (string, error) {
	p.pos++ // '
	end := strings.IndexAny(p.src[p.pos:], "'\n")
	if end < 0 || p.src[p.pos+end] != '\'' {
		return "", p.errorf("a string is never closed with '")
	}
	s := p.src[p.pos : p.pos+end]
	p.pos += end + 1
	return s, nil
}

// multilineString reads a multi-line string, between three double quotes
// (with escapes) or three single quotes (without). A newline right after the
// opening quotes is dropped; with escapes, a backslash at the end of a line
// drops the white space that follows it.
func (p *tomlParser) multilineString(quote string) (string, error) {
	p.pos += 3
	if strings.HasPrefix(p.src[p.pos:], "\r\n") {
		p.pos += 2
		p.line++
	} else if strings.HasPrefix(p.src[p.pos:], "\n") {
		p.pos++
		p.line++
	}
	var b strings.Builder
	for {
		if p.eof() {
			return "", p.errorf("a string is never closed with %s", quote)
		}
		if strings.HasPrefix(p.src[p.pos:], quote) {
			// Up to two more quotes just before the closing ones belong to
			// the string.
			n := 3
			for n < 5 && p.pos+n < len(p.src) && p.src[p.pos+n] == quote[0] {
				n++
			}
			b.WriteString(p.src[p.pos : p.pos+n-3])
			p.pos += n
			return b.String(), nil
		}
		c := p.peek()
		switch {
		case c == '\n':
			p.line++
			b.WriteByte(c)
			p.pos++
		case c == '\\' && quote == `"""`:
			rest := strings.TrimLeft(p.src[p.pos+1:], " \t\r")
			if strings.HasPrefix(rest, "\n") {
				// Line-ending backslash: drop it and the white space after it.
				p.pos = len(p.src) - len(rest)
				for !p.eof() && strings.ContainsRune(" \t\r\n", rune(p.peek())) {
					if p.peek() == '\n' {
						p.line++
					}
					p.pos++
				}
				continue
			}
			if err := p.escape(&b); err != nil {
				return "", err
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
}
