package sqlscan

import (
	"strings"
	"testing"
)

// checkSQLite, when set, checks the lexer's parameters of src against
// SQLite's for the statements SQLite prepares; sqlite_test.go sets it where
// SQLite builds.
var checkSQLite func(t *testing.T, src string)

// FuzzScan checks the lexer's invariants on any input and, where SQLite
// builds, compares its parameters with SQLite's.
func FuzzScan(f *testing.F) {
	for _, tt := range tokens {
		f.Add(tt.lit)
	}
	for _, tt := range errorTests {
		f.Add(tt.src)
	}
	for _, tt := range sqliteParams {
		f.Add(tt.src)
	}
	f.Add("SELECT :a::b, $a(x), #c, @d(;), ?, ?7, :a::b FROM t WHERE a = $a(x) -- $b(\n;SELECT 2")
	f.Add("CREATE TRIGGER tr AFTER UPDATE ON t BEGIN UPDATE t SET a = CASE WHEN new.b THEN 1 END; END; SELECT 2")
	f.Add("SELECT 'a;b', \"c\"\"d\", [e], `f`, x'00', ?1, :n -- c\n/* d */;;")
	f.Add("\uFEFFCREATE TABLE t(a); DROP TABLE IF EXISTS \"t\";")
	f.Add(corpus(2000))
	f.Fuzz(func(t *testing.T, src string) {
		checkScan(t, src)
		checkSplit(t, src)
		checkParams(t, src)
		if checkSQLite != nil {
			checkSQLite(t, src)
		}
	})
}

// checkScan checks that tokens cover the source in order: each literal is
// the source at its offset, and only whitespace lies between tokens.
func checkScan(t *testing.T, src string) {
	var s Scanner
	s.Init(src, func(off int, msg string) {
		if off < 0 || off > len(src) || msg == "" {
			t.Fatalf("error at %d of %d: %q", off, len(src), msg)
		}
	}, ScanComments)
	end := s.Offset() // after a BOM, if any
	for n := 0; ; n++ {
		if n > len(src)+1 {
			t.Fatalf("no EOF after %d tokens", n)
		}
		pos, tok, lit := s.Scan()
		if pos < end || pos+len(lit) > len(src) {
			t.Fatalf("token %v %q at %d, previous ended at %d, len %d", tok, lit, pos, end, len(src))
		}
		if gap := src[end:pos]; strings.Trim(gap, " \t\n\v\f\r") != "" {
			t.Fatalf("non-space %q skipped before %v at %d", gap, tok, pos)
		}
		if tok == EOF {
			if pos != len(src) || lit != "" {
				t.Fatalf("EOF at %d with %q, len %d", pos, lit, len(src))
			}
			return
		}
		if lit == "" || src[pos:pos+len(lit)] != lit {
			t.Fatalf("%v literal %q is not src[%d:]", tok, lit, pos)
		}
		end = pos + len(lit)
	}
}

// checkSplit checks that statements are in order, inside the source, and
// that a statement split again on its own is one statement, itself.
func checkSplit(t *testing.T, src string) {
	sts, err := Split(src)
	prev := 0
	for _, st := range sts {
		if st.Start < prev || st.End <= st.Start || st.End > len(src) {
			t.Fatalf("statement %+v after %d in %d bytes", st, prev, len(src))
		}
		prev = st.End
		if st.Semicolon >= 0 {
			if st.Semicolon < st.End || src[st.Semicolon] != ';' {
				t.Fatalf("statement %+v: bad semicolon", st)
			}
			prev = st.Semicolon + 1
		}
		text := src[st.Start:st.End]
		if err != nil || strings.HasPrefix(text, "\uFEFF") {
			// A byte order mark is skipped only at the start of a source.
			continue
		}
		again, err := Split(text)
		if err != nil || len(again) != 1 || again[0].Start != 0 || again[0].End != len(text) {
			t.Fatalf("statement %q split again: %+v, %v", text, again, err)
		}
	}
}

func checkParams(t *testing.T, src string) {
	prev, n := -1, 0
	for p := range Params(src) {
		if p.Offset <= prev || src[p.Offset:p.Offset+len(p.Lit)] != p.Lit || p.Index < 0 {
			t.Fatalf("param %+v after %d", p, prev)
		}
		prev = p.Offset
		if p.New {
			if p.Index <= n {
				t.Fatalf("param %+v is new but the count was %d", p, n)
			}
			n = p.Index
		}
	}
	if got := NumParams(src); got != n {
		t.Fatalf("NumParams = %d, want %d", got, n)
	}
}
