package d1sql

import (
	"database/sql/driver"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/internal/sqlscan"
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

// scanParams numbers the parameters of query as SQLite does (see
// [sqlscan.Params]): ?NNN is number NNN; a bare ? is one more than the
// largest number so far; :name, @name and $name take one more than the
// largest so far the first time a name appears, and the same number after.
func scanParams(query string) (params, error) {
	p := params{}
	for ref := range sqlscan.Params(query) {
		if ref.Index < 1 || ref.Index > maxParamIndex {
			return params{}, fmt.Errorf("d1sql: parameter %s out of range at offset %d", ref.Lit, ref.Offset)
		}
		p.max = max(p.max, ref.Index)
		if ref.Lit[0] != '?' {
			if p.names == nil {
				p.names = make(map[string]int)
			}
			p.names[ref.Lit] = ref.Index
		}
	}
	return p, nil
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
