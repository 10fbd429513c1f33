package sqlscan

import (
	"fmt"
	"strings"
	"testing"
)

// sqliteParams lists sources and what SQLite makes of their parameters: the
// name of each index as sqlite3_bind_parameter_name gives it ("" for none;
// the length is sqlite3_bind_parameter_count), or, for a source SQLite
// refuses to prepare, the end of its error message. Every expected value was
// recorded from SQLite itself (3.54.1, modernc.org/sqlite v1.62.0 through
// zombiezen.com/go/sqlite: Conn.PrepareTransient, Stmt.BindParamCount and
// Stmt.BindParamName), not derived from the lexer; TestParamsSQLite in
// sqlite_test.go checks this table against SQLite again wherever SQLite
// builds.
var sqliteParams = []struct {
	src   string
	names []string
	err   string
}{
	// "::" inside a name is part of it (a TCL namespace).
	{src: "SELECT :a::b", names: []string{":a::b"}},
	{src: "SELECT :a::b::c", names: []string{":a::b::c"}},
	{src: "SELECT :a::", names: []string{":a::"}},
	{src: "SELECT $a::", names: []string{"$a::"}},
	{src: "SELECT $::a", names: []string{"$::a"}},
	{src: "SELECT :::a", names: []string{":::a"}},
	{src: "SELECT $a::::b", names: []string{"$a::::b"}},
	{src: "SELECT :a::b, :a, :a::b", names: []string{":a::b", ":a"}},
	{src: "SELECT :a:b", err: `near ":b": syntax error`},
	{src: "SELECT $a:::b", err: `near ":b": syntax error`},
	{src: "SELECT $::", err: `unrecognized token: "$::"`},
	{src: "SELECT :::", err: `unrecognized token: ":::"`},

	// A "(...)" suffix is part of a name (a TCL array element), after
	// any of ':', '@', '$' and '#', once the name has a character.
	{src: "SELECT $a(x)", names: []string{"$a(x)"}},
	{src: "SELECT @a(x)", names: []string{"@a(x)"}},
	{src: "SELECT :a(x)", names: []string{":a(x)"}},
	{src: "SELECT #a(x)", names: []string{"#a(x)"}},
	{src: "SELECT $a()", names: []string{"$a()"}},
	{src: "SELECT $a(x)b", names: []string{"$a(x)"}},
	{src: "SELECT $a(x)+1", names: []string{"$a(x)"}},
	{src: "SELECT $a(;)", names: []string{"$a(;)"}},
	{src: "SELECT $a('x')", names: []string{"$a('x')"}},
	{src: "SELECT $a(x(y)", names: []string{"$a(x(y)"}},
	{src: "SELECT $é(ü)", names: []string{"$é(ü)"}},
	{src: "SELECT $a(\x80)", names: []string{"$a(\x80)"}},
	{src: "SELECT :a::(x)", names: []string{":a::(x)"}},
	{src: "SELECT :a::b(x)", names: []string{":a::b(x)"}},
	{src: "SELECT $a(x), $a(y), $a(x)", names: []string{"$a(x)", "$a(y)"}},
	{src: "SELECT $(x)", err: `unrecognized token: "$"`},
	{src: "SELECT $a(", err: `unrecognized token: "$a("`},
	{src: "SELECT $a(x y)", err: `unrecognized token: "$a(x"`},
	{src: "SELECT $a(x\ty)", err: `unrecognized token: "$a(x"`},
	{src: "SELECT $a(x\ny)", err: `unrecognized token: "$a(x"`},
	{src: "SELECT $a(x\vy)", err: `unrecognized token: "$a(x"`},
	{src: "SELECT $a(x\fy)", err: `unrecognized token: "$a(x"`},
	{src: "SELECT $a(x\ry)", err: `unrecognized token: "$a(x"`},
	{src: "SELECT $a(x)(y)", err: `near "(": syntax error`},
	{src: "SELECT $a::b(x)::c", err: `unrecognized token: ":"`},

	// '#' opens a named parameter too, unless a digit follows it.
	{src: "SELECT #a", names: []string{"#a"}},
	{src: "SELECT #a1", names: []string{"#a1"}},
	{src: "SELECT #$", names: []string{"#$"}},
	{src: "SELECT :a, @a, $a, #a", names: []string{":a", "@a", "$a", "#a"}},
	{src: "SELECT #", err: `unrecognized token: "#"`},
	{src: "SELECT #1", err: `near "#1": syntax error`},
	{src: "SELECT #1a", err: `near "#1a": syntax error`},

	// Other names: digits, '$', any byte of a multibyte character; case
	// matters.
	{src: "SELECT :1", names: []string{":1"}},
	{src: "SELECT @1", names: []string{"@1"}},
	{src: "SELECT $1", names: []string{"$1"}},
	{src: "SELECT $$", names: []string{"$$"}},
	{src: "SELECT :$", names: []string{":$"}},
	{src: "SELECT :é", names: []string{":é"}},
	{src: "SELECT :a, :A", names: []string{":a", ":A"}},

	// ?NNN: the digits as written name the index, unless a named
	// parameter named it first; a bare ? names nothing.
	{src: "SELECT ?01, ?1", names: []string{"?01"}},
	{src: "SELECT ?, ?1", names: []string{"?1"}},
	{src: "SELECT :a, ?1", names: []string{":a"}},
	{src: "SELECT ?3", names: []string{"", "", "?3"}},
	{src: "SELECT ?2, :a, ?", names: []string{"", "?2", ":a", ""}},
	{src: "SELECT ?1_0", names: []string{"?1"}}, // ?1 AS _0
	{src: "SELECT ?0", err: "variable number must be between ?1 and ?32766"},
	{src: "SELECT ?32767", err: "variable number must be between ?1 and ?32766"},

	// Whitespace goes on through '\v' once started.
	{src: "SELECT ? \v, \t\v?", names: []string{"", ""}},

	// An unterminated block comment ends the input quietly.
	{src: "SELECT 1 /* open", names: nil},
}

// bindNames returns the names SQLite gives the indexes of the parameters of
// src (sqlite3_bind_parameter_name), computed from [Params]: an index is
// named by its first parameter that is not a bare "?". It reports false when
// the number of parameters is beyond any SQLite limit.
func bindNames(src string) ([]string, bool) {
	n := NumParams(src)
	if n > 1<<16 {
		return nil, false
	}
	names := make([]string, n)
	for p := range Params(src) {
		if p.Lit != "?" && names[p.Index-1] == "" {
			names[p.Index-1] = p.Lit
		}
	}
	return names, true
}

func TestParamsLikeSQLite(t *testing.T) {
	for _, tt := range sqliteParams {
		t.Run(tt.src, func(t *testing.T) {
			if tt.err == "" {
				names, _ := bindNames(tt.src)
				if got, want := fmt.Sprintf("%q", names), fmt.Sprintf("%q", tt.names); got != want {
					t.Errorf("parameter names %s, SQLite's %s", got, want)
				}
				if got, want := scanIllegal(tt.src), ""; got != want {
					t.Errorf("illegal token %q in a source SQLite accepts", got)
				}
				return
			}
			// SQLite refuses the source: its error names the token it read,
			// which the lexer must read the same way.
			kind, lit, ok := strings.Cut(tt.err, ` "`)
			lit, _, _ = strings.Cut(lit, `"`)
			switch {
			case !ok:
				// A ?NNN out of range: the lexer's index is out of
				// SQLite's range too.
				for p := range Params(tt.src) {
					if p.Index >= 1 && p.Index <= 32766 {
						t.Errorf("parameter %q has index %d", p.Lit, p.Index)
					}
				}
			case kind == "unrecognized token:":
				if got := scanIllegal(tt.src); got != lit {
					t.Errorf("illegal token %q, SQLite's %q", got, lit)
				}
			default: // near "X": syntax error
				if !scanHas(tt.src, lit) {
					t.Errorf("no token %q", lit)
				}
			}
		})
	}
}

// scanIllegal returns the literal of the first Illegal token of src, or "".
func scanIllegal(src string) string {
	var s Scanner
	s.Init(src, nil, 0)
	for {
		_, tok, lit := s.Scan()
		switch tok {
		case EOF:
			return ""
		case Illegal:
			return lit
		}
	}
}

// scanHas reports whether src has a token whose literal is lit.
func scanHas(src, lit string) bool {
	var s Scanner
	s.Init(src, nil, 0)
	for {
		_, tok, l := s.Scan()
		if tok == EOF {
			return false
		}
		if l == lit {
			return true
		}
	}
}
