package d1sql

import (
	"database/sql/driver"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/lunora-go/d1"
)

// maxParamIndex is SQLite's largest parameter number (SQLITE_MAX_VARIABLE_NUMBER).
const maxParamIndex = 32766

// params is SQLite's numbering of a statement's parameters: D1 binds values
// by position, so a named parameter takes the number SQLite gives it.
type params struct {
	// names maps each named parameter, prefix included (":id", "@id",
	// "$id"), to its 1-based number.
	names map[string]int
	// max is the largest number: the count of values the statement binds.
	max int
}

// scanParams numbers the parameters of query as SQLite does: ?NNN is number
// NNN; a bare ? is one more than the largest number so far; :name, @name and
// $name take one more than the largest so far the first time a name appears,
// and the same number after. It skips string literals, quoted identifiers and
// comments.
func scanParams(query string) (params, error) {
	p := params{}
	n := len(query)
	for i := 0; i < n; {
		c := query[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(query, i, c)
		case c == '[':
			for i++; i < n && query[i] != ']'; i++ {
			}
			i++
		case c == '-' && i+1 < n && query[i+1] == '-':
			for i += 2; i < n && query[i] != '\n'; i++ {
			}
		case c == '/' && i+1 < n && query[i+1] == '*':
			i += 2
			for i < n && !(query[i] == '*' && i+1 < n && query[i+1] == '/') {
				i++
			}
			i += 2
		case c == '?':
			j := i + 1
			for j < n && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			idx := p.max + 1
			if j > i+1 {
				v, err := strconv.Atoi(query[i+1 : j])
				if err != nil || v < 1 || v > maxParamIndex {
					return params{}, fmt.Errorf("d1sql: parameter %s out of range at offset %d", query[i:j], i)
				}
				idx = v
			}
			if idx > maxParamIndex {
				return params{}, fmt.Errorf("d1sql: too many parameters at offset %d", i)
			}
			p.max = max(p.max, idx)
			i = j
		case c == ':' || c == '@' || c == '$' || c == '#':
			j := i + 1
			for j < n {
				if isIDChar(query[j]) {
					j++
				} else if query[j] == ':' && j+1 < n && query[j+1] == ':' {
					j += 2
				} else {
					break
				}
			}
			if j == i+1 {
				i++ // a lone prefix: not a parameter; SQLite reports the error
				continue
			}
			name := query[i:j]
			if _, seen := p.names[name]; !seen {
				if p.names == nil {
					p.names = make(map[string]int)
				}
				p.max++
				p.names[name] = p.max
			}
			i = j
		case isIDChar(c):
			// A word or a number; '$' inside a word (a$b) is part of it.
			for i++; i < n && isIDChar(query[i]); i++ {
			}
		default:
			i++
		}
	}
	return p, nil
}

// skipQuoted returns the offset just past the literal or identifier opened by
// q at query[i]; a doubled quote stands for itself.
func skipQuoted(query string, i int, q byte) int {
	for i++; i < len(query); i++ {
		if query[i] == q {
			if i+1 < len(query) && query[i+1] == q {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(query)
}

// isIDChar reports whether c may continue an identifier in SQLite.
func isIDChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}

// positional turns database/sql's arguments into the values D1 binds in
// order. Without named arguments the values go in their ordinal order; with
// any, query is scanned for SQLite's parameter numbering and every named
// argument goes to the parameter :name, @name or $name.
func positional(query string, args []driver.NamedValue) ([]any, error) {
	named := false
	for i := range args {
		if args[i].Name != "" {
			named = true
			break
		}
	}
	if !named {
		vals := make([]any, len(args))
		for i := range args {
			vals[i] = args[i].Value
		}
		return vals, nil
	}
	p, err := scanParams(query)
	if err != nil {
		return nil, err
	}
	vals := make([]any, p.max)
	set := make([]bool, p.max)
	for _, a := range args {
		idx := a.Ordinal
		if a.Name != "" {
			idx = p.lookup(a.Name)
			if idx == 0 {
				return nil, fmt.Errorf("d1sql: no parameter :%s, @%s or $%s in the statement", a.Name, a.Name, a.Name)
			}
		} else if idx > p.max {
			return nil, fmt.Errorf("d1sql: argument %d has no parameter: the statement has %d", idx, p.max)
		}
		if set[idx-1] {
			return nil, fmt.Errorf("d1sql: two arguments for parameter %d", idx)
		}
		vals[idx-1], set[idx-1] = a.Value, true
	}
	for i, ok := range set {
		if !ok {
			return nil, fmt.Errorf("d1sql: no argument for parameter %s", p.describe(i+1))
		}
	}
	return vals, nil
}

func (p params) lookup(name string) int {
	for _, prefix := range [...]string{":", "@", "$"} {
		if idx, ok := p.names[prefix+name]; ok {
			return idx
		}
	}
	return 0
}

func (p params) describe(idx int) string {
	for name, i := range p.names {
		if i == idx {
			return name
		}
	}
	return "?" + strconv.Itoa(idx)
}

// DefaultTimeFormat is the layout in which d1sql binds a [time.Time], after
// converting it to UTC: RFC 3339 with a fixed nine-digit fraction, for
// example 2024-05-06T07:08:09.123456789Z. The fixed width keeps the text's
// order the same as time order, nothing is lost, and both SQLite's date
// functions and Go's [time.RFC3339Nano] read it back.
const DefaultTimeFormat = "2006-01-02T15:04:05.000000000Z07:00"

// convert turns a Go value into one D1 binds: time.Time becomes text in
// layout (in UTC), a [driver.Valuer] is asked for its value, and everything
// else follows [d1.Normalize].
func convert(v any, layout string) (any, error) {
	for range 8 { // Valuers may return Valuers; d1.Normalize refuses a second.
		switch x := v.(type) {
		case time.Time:
			return x.UTC().Format(layout), nil
		case *time.Time:
			if x == nil {
				return nil, nil
			}
			return x.UTC().Format(layout), nil
		case driver.Valuer:
			if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
				return nil, nil
			}
			var err error
			if v, err = x.Value(); err != nil {
				return nil, err
			}
			continue
		}
		return d1.Normalize(v)
	}
	return d1.Normalize(v)
}
