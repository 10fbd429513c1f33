package sqlscan

import (
	"iter"
	"math"
	"strconv"
)

// ParamRef is one occurrence of a parameter in a source.
type ParamRef struct {
	// Offset is the byte offset of the parameter.
	Offset int
	// Lit is the parameter as written: "?", "?3", ":name", "@name", "$name",
	// "#name", and with TCL forms, ":a::b" or "$a(x)". It is also the name
	// SQLite gives a named parameter (sqlite3_bind_parameter_name).
	Lit string
	// Index is the 1-based position SQLite gives the parameter, the one
	// values bind to: "?" takes the next index after the largest so far,
	// "?NNN" takes NNN, and a named parameter takes the next index the first
	// time its name appears and the same index after that. A "?NNN" too large
	// for an int gets [math.MaxInt], and so do the parameters after it that
	// would be numbered beyond it.
	Index int
	// New reports whether this occurrence raised the number of parameters,
	// as SQLite counts them (sqlite3_bind_parameter_count).
	New bool
}

// Params returns the parameters of src in order, numbered as SQLite numbers
// them. Lexical errors are ignored: a parameter inside a string or a comment
// is no parameter.
//
// To find where SQLite's "too many SQL variables" error points for a limit
// of n, take the first ParamRef with New set and Index > n; D1 reports its
// Offset ("too many SQL variables at offset 207").
func Params(src string) iter.Seq[ParamRef] {
	return func(yield func(ParamRef) bool) {
		var s Scanner
		s.Init(src, nil, 0)
		nvar := 0
		var names map[string]int
		for {
			pos, tok, lit := s.Scan()
			if tok == EOF {
				return
			}
			if tok != Param {
				continue
			}
			p := ParamRef{Offset: pos, Lit: lit}
			switch {
			case lit == "?":
				n := inc(nvar)
				p.Index, p.New = n, n > nvar
				nvar = n
			case lit[0] == '?':
				n, err := strconv.Atoi(lit[1:])
				if err != nil {
					n = math.MaxInt
				}
				p.Index = n
				if n > nvar {
					nvar, p.New = n, true
				}
			default:
				if i, ok := names[lit]; ok {
					p.Index = i
					break
				}
				if names == nil {
					names = make(map[string]int)
				}
				n := inc(nvar)
				names[lit] = n
				p.Index, p.New = n, n > nvar
				nvar = n
			}
			if !yield(p) {
				return
			}
		}
	}
}

// inc adds one to n, saturating at math.MaxInt.
func inc(n int) int {
	if n == math.MaxInt {
		return n
	}
	return n + 1
}

// NumParams returns the number of values a statement in src binds, as
// SQLite's sqlite3_bind_parameter_count: the largest parameter index.
func NumParams(src string) int {
	n := 0
	for p := range Params(src) {
		n = max(n, p.Index)
	}
	return n
}
