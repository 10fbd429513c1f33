package sqlscan

import "strconv"

// Token is the kind of a lexical token of SQLite's SQL.
type Token uint8

// The tokens. Keywords are not told apart from identifiers: both are [Ident],
// and [Keyword] compares a literal with a keyword.
const (
	Illegal     Token = iota // a byte or sequence SQLite does not accept
	EOF                      // end of input
	Comment                  // -- to end of line, or /* */; returned only with ScanComments
	Ident                    // a bare word: an identifier or a keyword
	QuotedIdent              // "name", `name` or [name]
	String                   // 'text'
	Blob                     // X'0102'
	Number                   // 1, 1.5, .5, 1e3, 0x1F, 1_000
	Param                    // ?, ?NNN, :name, @name, $name, #name; also :a::b and $a(x)
	Semicolon                // ;
	LParen                   // (
	RParen                   // )
	Comma                    // ,
	Dot                      // .
	Operator                 // + - * / % = == < <= > >= <> != << >> & | || ~ -> ->>
)

var tokenNames = [...]string{
	Illegal:     "Illegal",
	EOF:         "EOF",
	Comment:     "Comment",
	Ident:       "Ident",
	QuotedIdent: "QuotedIdent",
	String:      "String",
	Blob:        "Blob",
	Number:      "Number",
	Param:       "Param",
	Semicolon:   "Semicolon",
	LParen:      "LParen",
	RParen:      "RParen",
	Comma:       "Comma",
	Dot:         "Dot",
	Operator:    "Operator",
}

// String returns the token's name, such as "Ident".
func (t Token) String() string {
	if int(t) < len(tokenNames) {
		return tokenNames[t]
	}
	return "Token(" + strconv.Itoa(int(t)) + ")"
}

// Keyword reports whether lit, the literal of an [Ident], is the keyword kw,
// which must be given in upper case. SQLite's keywords are ASCII and matched
// without regard to case.
func Keyword(lit, kw string) bool {
	if len(lit) != len(kw) {
		return false
	}
	for i := 0; i < len(lit); i++ {
		c := lit[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != kw[i] {
			return false
		}
	}
	return true
}

// Unquote returns the name or text a [QuotedIdent] or [String] literal
// stands for: the quotes removed and doubled quote characters undoubled.
// Any other literal is returned unchanged. It allocates only when the literal
// holds a doubled quote. An unterminated literal is unquoted as far as it
// goes.
func Unquote(lit string) string {
	if len(lit) == 0 {
		return lit
	}
	var q byte
	switch lit[0] {
	case '\'', '"', '`':
		q = lit[0]
	case '[':
		if lit[len(lit)-1] == ']' {
			return lit[1 : len(lit)-1]
		}
		return lit[1:]
	default:
		return lit
	}
	body := lit[1:]
	if len(body) > 0 && body[len(body)-1] == q && !endsInDoubled(body, q) {
		body = body[:len(body)-1]
	}
	// Undouble, allocating only when there is something to undouble.
	i := indexDoubled(body, q)
	if i < 0 {
		return body
	}
	b := make([]byte, 0, len(body)-1)
	for i := 0; i < len(body); i++ {
		b = append(b, body[i])
		if body[i] == q && i+1 < len(body) && body[i+1] == q {
			i++
		}
	}
	return string(b)
}

// endsInDoubled reports whether body, the text after an opening quote q,
// ends in a run of q of even length: then its last q is escaped text and the
// literal is unterminated.
func endsInDoubled(body string, q byte) bool {
	n := 0
	for i := len(body) - 1; i >= 0 && body[i] == q; i-- {
		n++
	}
	return n%2 == 0
}

func indexDoubled(s string, q byte) int {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == q && s[i+1] == q {
			return i
		}
	}
	return -1
}
