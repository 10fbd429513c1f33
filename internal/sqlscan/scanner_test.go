package sqlscan

import (
	"fmt"
	"strings"
	"testing"
)

type tok struct {
	tok Token
	lit string
}

// tokens lists single tokens and what they scan as.
var tokens = []tok{
	// Identifiers and keywords.
	{Ident, "users"},
	{Ident, "CREATE"},
	{Ident, "_x1"},
	{Ident, "a$b"},
	{Ident, "x"},
	{Ident, "X"},
	{Ident, "xyz"},
	{Ident, "héllo"},
	{Ident, "表"},
	{QuotedIdent, `"users"`},
	{QuotedIdent, `"a""b"`},
	{QuotedIdent, `""`},
	{QuotedIdent, "`col`"},
	{QuotedIdent, "`a``b`"},
	{QuotedIdent, "[order]"},
	{QuotedIdent, "[a\"b`c]"},
	{QuotedIdent, `"semi;colon -- not a comment"`},

	// Literals.
	{String, `'hello'`},
	{String, `''`},
	{String, `'it''s'`},
	{String, `''''`},
	{String, `'a;b -- c /* d */'`},
	{String, "'multi\nline'"},
	{Blob, `X'0102'`},
	{Blob, `x'aBcD'`},
	{Blob, `x''`},
	{Number, "0"},
	{Number, "42"},
	{Number, "3.14"},
	{Number, "1."},
	{Number, ".5"},
	{Number, "1e10"},
	{Number, "1E+10"},
	{Number, "2.5e-3"},
	{Number, "0x1F"},
	{Number, "0XaB"},
	{Number, "1_000_000"},
	{Number, "0xFF_FF"},

	// Parameters.
	{Param, "?"},
	{Param, "?1"},
	{Param, "?100"},
	{Param, ":name"},
	{Param, "@name"},
	{Param, "$name"},
	{Param, ":a1"},
	{Param, "#name"},
	{Param, ":a::b"},
	{Param, "$a(x)"},
	{Param, "@::a"},
	{Param, "$a::b(1,'x;y')"},

	// Punctuation and operators.
	{Semicolon, ";"},
	{LParen, "("},
	{RParen, ")"},
	{Comma, ","},
	{Dot, "."},
	{Operator, "+"},
	{Operator, "-"},
	{Operator, "*"},
	{Operator, "/"},
	{Operator, "%"},
	{Operator, "="},
	{Operator, "=="},
	{Operator, "<"},
	{Operator, "<="},
	{Operator, "<>"},
	{Operator, "<<"},
	{Operator, ">"},
	{Operator, ">="},
	{Operator, ">>"},
	{Operator, "!="},
	{Operator, "&"},
	{Operator, "|"},
	{Operator, "||"},
	{Operator, "~"},
	{Operator, "->"},
	{Operator, "->>"},

	// Comments.
	{Comment, "-- to the end of the line"},
	{Comment, "--"},
	{Comment, "/* block */"},
	{Comment, "/**/"},
	{Comment, "/* multi\nline; 'quote' */"},
}

func TestScanTokens(t *testing.T) {
	for _, tt := range tokens {
		t.Run(tt.lit, func(t *testing.T) {
			var s Scanner
			var errs []string
			s.Init(tt.lit, func(off int, msg string) { errs = append(errs, msg) }, ScanComments)
			pos, got, lit := s.Scan()
			if pos != 0 || got != tt.tok || lit != tt.lit {
				t.Errorf("Scan() = %d, %v, %q; want 0, %v, %q", pos, got, lit, tt.tok, tt.lit)
			}
			if pos, got, lit := s.Scan(); got != EOF || pos != len(tt.lit) || lit != "" {
				t.Errorf("second Scan() = %d, %v, %q; want %d, EOF", pos, got, lit, len(tt.lit))
			}
			if len(errs) != 0 || s.ErrorCount != 0 {
				t.Errorf("errors: %q", errs)
			}
		})
	}
}

// TestScanAll scans all the tokens in one source, separated by whitespace,
// and checks every offset.
func TestScanAll(t *testing.T) {
	var b strings.Builder
	var offs []int
	for i, tt := range tokens {
		// A newline in every separator ends the line comments.
		b.WriteString([]string{" \n", "\t\n", "\n", "\n\r", "\f\n"}[i%5])
		offs = append(offs, b.Len())
		b.WriteString(tt.lit)
	}
	src := b.String()
	var s Scanner
	s.Init(src, func(off int, msg string) { t.Errorf("error at %d: %s", off, msg) }, ScanComments)
	for i, tt := range tokens {
		pos, got, lit := s.Scan()
		if pos != offs[i] || got != tt.tok || lit != tt.lit {
			t.Fatalf("token %d: Scan() = %d, %v, %q; want %d, %v, %q", i, pos, got, lit, offs[i], tt.tok, tt.lit)
		}
	}
	if _, got, _ := s.Scan(); got != EOF {
		t.Fatalf("after all tokens: %v, want EOF", got)
	}
}

func TestScanSequences(t *testing.T) {
	tests := []struct {
		src  string
		want []tok
	}{
		{"SELECT 1", []tok{{Ident, "SELECT"}, {Number, "1"}}},
		{"a.b", []tok{{Ident, "a"}, {Dot, "."}, {Ident, "b"}}},
		{"t.*", []tok{{Ident, "t"}, {Dot, "."}, {Operator, "*"}}},
		{"1.5.2", []tok{{Number, "1.5"}, {Number, ".2"}}},
		{"a-b", []tok{{Ident, "a"}, {Operator, "-"}, {Ident, "b"}}},
		{"a--b\nc", []tok{{Ident, "a"}, {Ident, "c"}}},
		{"a/*x*/b", []tok{{Ident, "a"}, {Ident, "b"}}},
		{"a/b", []tok{{Ident, "a"}, {Operator, "/"}, {Ident, "b"}}},
		{"x'01'y", []tok{{Blob, "x'01'"}, {Ident, "y"}}},
		{"x 'a'", []tok{{Ident, "x"}, {String, "'a'"}}},
		{"'a''b''c'd", []tok{{String, "'a''b''c'"}, {Ident, "d"}}},
		{"'a' 'b'", []tok{{String, "'a'"}, {String, "'b'"}}},
		{`"a""b"c`, []tok{{QuotedIdent, `"a""b"`}, {Ident, "c"}}},
		{"[a]]", []tok{{QuotedIdent, "[a]"}, {Illegal, "]"}}},
		{"f(?,?2,:a)", []tok{{Ident, "f"}, {LParen, "("}, {Param, "?"}, {Comma, ","}, {Param, "?2"}, {Comma, ","}, {Param, ":a"}, {RParen, ")"}}},
		{"a||b", []tok{{Ident, "a"}, {Operator, "||"}, {Ident, "b"}}},
		{"j->>'$.a'", []tok{{Ident, "j"}, {Operator, "->>"}, {String, "'$.a'"}}},
		{"1_a", []tok{{Illegal, "1_a"}}},
		{"\uFEFFSELECT", []tok{{Ident, "SELECT"}}},
		{"  \t\r\n\f", nil},
		// SQLite's whitespace goes on through '\v' but cannot start with it
		// (SQLite 3.54.1 prepares "SELECT 1 \v" and refuses "SELECT 1\v").
		{"a \vb", []tok{{Ident, "a"}, {Ident, "b"}}},
		{"a\vb", []tok{{Ident, "a"}, {Illegal, "\v"}, {Ident, "b"}}},
		{"a/**/\vb", []tok{{Ident, "a"}, {Illegal, "\v"}, {Ident, "b"}}},
		{"a--\n\vb", []tok{{Ident, "a"}, {Ident, "b"}}},
		{"", nil},
		{"-- only a comment", nil},
		{"/* only */ /* comments */", nil},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			var s Scanner
			s.Init(tt.src, nil, 0)
			var got []tok
			for {
				pos, tk, lit := s.Scan()
				if tk == EOF {
					break
				}
				if tt.src[pos:pos+len(lit)] != lit {
					t.Fatalf("literal %q is not src[%d:]", lit, pos)
				}
				got = append(got, tok{tk, lit})
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("tokens = %v, want %v", got, tt.want)
			}
		})
	}
}

// errorTests lists malformed input: the error's offset and message, and the
// first token scanned.
var errorTests = []struct {
	src string
	tok Token
	lit string
	off int
	msg string
}{
	{"'abc", String, "'abc", 0, "string literal not terminated: missing '"},
	{"'it''", String, "'it''", 0, "string literal not terminated: missing '"},
	{`"abc`, QuotedIdent, `"abc`, 0, `quoted identifier not terminated: missing "`},
	{"`abc", QuotedIdent, "`abc", 0, "quoted identifier not terminated: missing `"},
	{"[abc", QuotedIdent, "[abc", 0, "identifier not terminated: missing ]"},
	{"/* abc", Comment, "/* abc", 0, "comment not terminated: missing */"},
	{"/*", Comment, "/*", 0, "comment not terminated: missing */"},
	{"x'01", Blob, "x'01", 0, "blob literal not terminated: missing '"},
	{"x'0g'", Blob, "x'0g'", 3, "blob literal holds a character that is not a hex digit"},
	{"x'0g", Blob, "x'0g", 3, "blob literal holds a character that is not a hex digit"},
	{"x'012'", Blob, "x'012'", 0, "blob literal has an odd number of hex digits"},
	{"12abc", Illegal, "12abc", 0, `malformed number "12abc"`},
	{"1e", Illegal, "1e", 0, `malformed number "1e"`},
	{"0x", Illegal, "0x", 0, `malformed number "0x"`},
	{"0xg", Illegal, "0xg", 0, `malformed number "0xg"`},
	{"!", Illegal, "!", 0, "unexpected character '!'"},
	{"#", Illegal, "#", 0, "parameter '#' has no name"},
	{"$::", Illegal, "$::", 0, "parameter '$' has no name"},
	{"$(x)", Illegal, "$", 0, "parameter '$' has no name"},
	{"$a(", Illegal, "$a(", 0, `parameter "$a(" not terminated: missing )`},
	{"$a(x y)", Illegal, "$a(x", 0, `parameter "$a(x" not terminated: missing )`},
	{"#1", Illegal, "#1", 0, `parameter "#1": a name after '#' must not start with a digit`},
	{"\x00", Illegal, "\x00", 0, "unexpected character 0x00"},
	{"\v", Illegal, "\v", 0, "unexpected character 0x0b"},
	{"{", Illegal, "{", 0, "unexpected character '{'"},
	{":", Illegal, ":", 0, "parameter ':' has no name"},
	{"@ x", Illegal, "@", 0, "parameter '@' has no name"},
	{"$", Illegal, "$", 0, "parameter '$' has no name"},
}

func TestScanErrors(t *testing.T) {
	for _, tt := range errorTests {
		t.Run(tt.src, func(t *testing.T) {
			var s Scanner
			var gotOff []int
			var gotMsg []string
			s.Init(tt.src, func(off int, msg string) {
				gotOff = append(gotOff, off)
				gotMsg = append(gotMsg, msg)
			}, ScanComments)
			_, tk, lit := s.Scan()
			if tk != tt.tok || lit != tt.lit {
				t.Errorf("Scan() = %v, %q; want %v, %q", tk, lit, tt.tok, tt.lit)
			}
			if len(gotMsg) != 1 || gotOff[0] != tt.off || gotMsg[0] != tt.msg {
				t.Errorf("errors = %v %q; want [%d] [%q]", gotOff, gotMsg, tt.off, tt.msg)
			}
			if s.ErrorCount != 1 {
				t.Errorf("ErrorCount = %d, want 1", s.ErrorCount)
			}
		})
	}
}

func TestScanContinuesAfterError(t *testing.T) {
	var s Scanner
	n := 0
	s.Init("SELECT # FROM t", func(int, string) { n++ }, 0)
	var lits []string
	for {
		_, tk, lit := s.Scan()
		if tk == EOF {
			break
		}
		lits = append(lits, lit)
	}
	if got, want := strings.Join(lits, " "), "SELECT # FROM t"; got != want {
		t.Errorf("tokens %q, want %q", got, want)
	}
	if n != 1 {
		t.Errorf("%d errors, want 1", n)
	}
}

func TestScanReuse(t *testing.T) {
	var s Scanner
	s.Init("'unterminated", nil, 0)
	s.Scan()
	if s.ErrorCount != 1 {
		t.Fatalf("ErrorCount = %d", s.ErrorCount)
	}
	s.Init("ok", nil, 0)
	if _, tk, lit := s.Scan(); tk != Ident || lit != "ok" || s.ErrorCount != 0 {
		t.Errorf("after Init: %v %q errors %d", tk, lit, s.ErrorCount)
	}
}

func TestKeyword(t *testing.T) {
	tests := []struct {
		lit, kw string
		want    bool
	}{
		{"create", "CREATE", true},
		{"CrEaTe", "CREATE", true},
		{"CREATE", "CREATE", true},
		{"creat", "CREATE", false},
		{"creates", "CREATE", false},
		{"", "", true},
		{"end", "END", true},
		{"énd", "END", false},
	}
	for _, tt := range tests {
		if got := Keyword(tt.lit, tt.kw); got != tt.want {
			t.Errorf("Keyword(%q, %q) = %v, want %v", tt.lit, tt.kw, got, tt.want)
		}
	}
}

func TestUnquote(t *testing.T) {
	tests := []struct{ lit, want string }{
		{"name", "name"},
		{`"name"`, "name"},
		{`"a""b"`, `a"b`},
		{`""""`, `"`},
		{"`a``b`", "a`b"},
		{"[a b]", "a b"},
		{"[a", "a"},
		{"'it''s'", "it's"},
		{"''", ""},
		{"'", ""},
		{"'abc", "abc"},
		{"'ab''", "ab'"},
		{"", ""},
		{"42", "42"},
	}
	for _, tt := range tests {
		if got := Unquote(tt.lit); got != tt.want {
			t.Errorf("Unquote(%q) = %q, want %q", tt.lit, got, tt.want)
		}
	}
}

func TestUnquoteAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = Unquote(`"plain"`) }); n != 0 {
		t.Errorf("Unquote without doubled quotes allocates %v times", n)
	}
}

func TestPosition(t *testing.T) {
	src := "ab\ncd\n\nef"
	tests := []struct{ off, line, col int }{
		{0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {4, 2, 2}, {6, 3, 1}, {7, 4, 1}, {9, 4, 3},
		{-5, 1, 1}, {100, 4, 3},
	}
	for _, tt := range tests {
		if line, col := Position(src, tt.off); line != tt.line || col != tt.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tt.off, line, col, tt.line, tt.col)
		}
	}
}

func TestErrorList(t *testing.T) {
	src := "SELECT 1;\nSELECT 'x"
	_, err := Split(src)
	if err == nil {
		t.Fatal("no error")
	}
	if got, want := err.Error(), "2:8: string literal not terminated: missing '"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	el := NewErrorList(src)
	if el.Err() != nil {
		t.Error("empty list: Err() != nil")
	}
	el.Add(0, "a")
	el.Add(10, "b")
	if got, want := el.Error(), "1:1: a (and 1 more errors)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if el.Len() != 2 || len(el.Unwrap()) != 2 {
		t.Errorf("Len = %d", el.Len())
	}
}

func TestScanAllocs(t *testing.T) {
	src := "CREATE TABLE t (id INTEGER PRIMARY KEY, \"name\" TEXT DEFAULT 'x''y', b BLOB DEFAULT x'00'); -- c\n" +
		"INSERT INTO t VALUES (?1, :n, 1.5e3) /* c */;"
	var s Scanner
	n := testing.AllocsPerRun(100, func() {
		s.Init(src, nil, ScanComments)
		for {
			if _, tk, _ := s.Scan(); tk == EOF {
				break
			}
		}
	})
	if n != 0 {
		t.Errorf("scanning allocates %v times", n)
	}
}

func TestTokenString(t *testing.T) {
	if got := Ident.String(); got != "Ident" {
		t.Errorf("Ident.String() = %q", got)
	}
	if got := Token(200).String(); got != "Token(200)" {
		t.Errorf("Token(200).String() = %q", got)
	}
}
