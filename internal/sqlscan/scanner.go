// Package sqlscan is a lexer for SQLite's SQL, as D1 runs it: quotes,
// comments, blobs, parameters and trigger bodies are understood, so that SQL
// can be split into statements and its parameters counted without a parser.
//
// It is written like go/scanner: a [Scanner] value is readied by
// [Scanner.Init] and reused; [Scanner.Scan] returns a token's byte offset,
// kind and literal, a substring of the source, so that scanning allocates
// nothing. Errors are reported through an [ErrorHandler] with their byte
// offset, and scanning goes on; [Position] turns an offset into a line and
// column when an error is printed.
//
// The Scanner never panics and never reads past its input, whatever the input
// is.
package sqlscan

import "strings"

// Mode controls the behaviour of a [Scanner].
type Mode uint

// Modes.
const (
	// ScanComments makes Scan return comments as [Comment] tokens instead of
	// skipping them.
	ScanComments Mode = 1 << iota
)

// An ErrorHandler is called with the byte offset and a description of each
// error the Scanner finds.
type ErrorHandler func(offset int, msg string)

// Scanner holds the state of a scan. The zero value scans nothing; call
// [Scanner.Init].
type Scanner struct {
	src  string
	errh ErrorHandler
	mode Mode
	off  int // offset of the next byte to read

	// ErrorCount is the number of errors found so far.
	ErrorCount int
}

// Init readies s to scan src, reporting errors to errh (which may be nil) and
// behaving as mode says. A leading UTF-8 byte order mark is skipped. Init may
// be called again to scan another source with the same Scanner.
func (s *Scanner) Init(src string, errh ErrorHandler, mode Mode) {
	s.src = src
	s.errh = errh
	s.mode = mode
	s.off = 0
	s.ErrorCount = 0
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		s.off = 3
	}
}

func (s *Scanner) error(off int, msg string) {
	if s.errh != nil {
		s.errh(off, msg)
	}
	s.ErrorCount++
}

// Character classes.
const (
	cIllegal uint8 = iota
	cSpace
	cIdent  // letters, '_', bytes >= 0x80
	cX      // x or X: an identifier or a blob
	cDigit  // 0-9
	cQuote  // ' " `
	cLBrack // [
	cParam  // ? : @ $ #
	cMinus
	cSlash
	cDot
	cSemi
	cLParen
	cRParen
	cComma
	cLT
	cGT
	cEQ
	cBang
	cPipe
	cOp // + * % & ~
)

var class = func() (t [256]uint8) {
	for _, c := range " \t\n\f\r" {
		t[c] = cSpace
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = cIdent
		t[c-'a'+'A'] = cIdent
	}
	t['_'] = cIdent
	for c := 0x80; c < 0x100; c++ {
		t[c] = cIdent
	}
	t['x'], t['X'] = cX, cX
	for c := '0'; c <= '9'; c++ {
		t[c] = cDigit
	}
	t['\''], t['"'], t['`'] = cQuote, cQuote, cQuote
	t['['] = cLBrack
	t['?'], t[':'], t['@'], t['$'], t['#'] = cParam, cParam, cParam, cParam, cParam
	t['-'] = cMinus
	t['/'] = cSlash
	t['.'] = cDot
	t[';'] = cSemi
	t['('] = cLParen
	t[')'] = cRParen
	t[','] = cComma
	t['<'] = cLT
	t['>'] = cGT
	t['='] = cEQ
	t['!'] = cBang
	t['|'] = cPipe
	for _, c := range "+*%&~" {
		t[c] = cOp
	}
	return t
}()

// isIDChar reports whether c may continue an identifier, as SQLite's
// IdChar: letters, digits, '_', '$' and every byte of a multibyte character.
var isIDChar = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		k := class[c]
		t[c] = k == cIdent || k == cX || k == cDigit
	}
	t['$'] = true
	return t
}()

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// Offset returns the offset of the next byte the Scanner will read.
func (s *Scanner) Offset() int { return s.off }

// Scan returns the next token: its byte offset in the source, its kind and
// its literal text, src[offset:offset+len(lit)]. At the end of the input it
// returns [EOF] with the length of the source and an empty literal, and goes
// on doing so. Whitespace is skipped, and so are comments unless the mode has
// [ScanComments].
//
// A malformed token (an unterminated string or quoted identifier, a blob
// literal with a non-hex digit) is reported to the error handler and returned
// with its kind and the text scanned; a byte SQLite does not accept is
// reported and returned as [Illegal].
func (s *Scanner) Scan() (offset int, tok Token, lit string) {
	src := s.src
	i := s.off
scanAgain:
	// As in SQLite, whitespace starts with ' ', '\t', '\n', '\f' or '\r'
	// and goes on through '\v' too; a '\v' after anything else is illegal.
	if i < len(src) && class[src[i]] == cSpace {
		i++
		for i < len(src) && isSpace[src[i]] {
			i++
		}
	}
	if i >= len(src) {
		s.off = len(src)
		return len(src), EOF, ""
	}
	start := i
	c := src[i]
	i++
	switch class[c] {
	case cIdent:
		for i < len(src) && isIDChar[src[i]] {
			i++
		}
		tok = Ident
	case cX:
		if i < len(src) && src[i] == '\'' {
			i = s.blob(start)
			tok = Blob
			break
		}
		for i < len(src) && isIDChar[src[i]] {
			i++
		}
		tok = Ident
	case cDigit:
		i, tok = s.number(start)
	case cQuote:
		i = s.quoted(start, c)
		if c == '\'' {
			tok = String
		} else {
			tok = QuotedIdent
		}
	case cLBrack:
		j := indexByteFrom(src, i, ']')
		if j < 0 {
			s.error(start, "identifier not terminated: missing ]")
			i = len(src)
		} else {
			i = j + 1
		}
		tok = QuotedIdent
	case cParam:
		i, tok = s.param(start, c)
	case cMinus:
		tok = Operator
		if i < len(src) {
			switch src[i] {
			case '-':
				j := indexByteFrom(src, i, '\n')
				if j < 0 {
					j = len(src)
				}
				i = j
				tok = Comment
			case '>':
				i++
				if i < len(src) && src[i] == '>' {
					i++
				}
			}
		}
	case cSlash:
		tok = Operator
		if i < len(src) && src[i] == '*' {
			j := indexFrom(src, i+1, "*/")
			if j < 0 {
				s.error(start, "comment not terminated: missing */")
				i = len(src)
			} else {
				i = j + 2
			}
			tok = Comment
		}
	case cDot:
		if i < len(src) && class[src[i]] == cDigit {
			i, tok = s.number(start)
		} else {
			tok = Dot
		}
	case cSemi:
		tok = Semicolon
	case cLParen:
		tok = LParen
	case cRParen:
		tok = RParen
	case cComma:
		tok = Comma
	case cLT:
		if i < len(src) && (src[i] == '=' || src[i] == '>' || src[i] == '<') {
			i++
		}
		tok = Operator
	case cGT:
		if i < len(src) && (src[i] == '=' || src[i] == '>') {
			i++
		}
		tok = Operator
	case cEQ:
		if i < len(src) && src[i] == '=' {
			i++
		}
		tok = Operator
	case cBang:
		if i < len(src) && src[i] == '=' {
			i++
			tok = Operator
		} else {
			s.error(start, "unexpected character '!'")
			tok = Illegal
		}
	case cPipe:
		if i < len(src) && src[i] == '|' {
			i++
		}
		tok = Operator
	case cOp:
		tok = Operator
	default:
		s.error(start, "unexpected character "+quoteByte(c))
		tok = Illegal
	}
	if tok == Comment && s.mode&ScanComments == 0 {
		goto scanAgain
	}
	s.off = i
	return start, tok, src[start:i]
}

// quoted scans a literal opened by q at src[start], where a doubled q stands
// for itself, and returns the offset after it.
func (s *Scanner) quoted(start int, q byte) int {
	src := s.src
	i := start + 1
	for {
		j := indexByteFrom(src, i, q)
		if j < 0 {
			if q == '\'' {
				s.error(start, "string literal not terminated: missing '")
			} else {
				s.error(start, "quoted identifier not terminated: missing "+string(q))
			}
			return len(src)
		}
		if j+1 < len(src) && src[j+1] == q {
			i = j + 2
			continue
		}
		return j + 1
	}
}

// blob scans X'..' at src[start] and returns the offset after it.
func (s *Scanner) blob(start int) int {
	src := s.src
	i := start + 2
	for i < len(src) && isHex(src[i]) {
		i++
	}
	if i >= len(src) {
		s.error(start, "blob literal not terminated: missing '")
		return len(src)
	}
	if src[i] != '\'' {
		// Skip to the closing quote, if any, so one error covers the literal.
		j := indexByteFrom(src, i, '\'')
		s.error(i, "blob literal holds a character that is not a hex digit")
		if j < 0 {
			return len(src)
		}
		return j + 1
	}
	if (i-start-2)%2 != 0 {
		s.error(start, "blob literal has an odd number of hex digits")
	}
	return i + 1
}

// number scans a numeric literal at src[start] (a digit, or '.' and a digit)
// and returns the offset after it. As in SQLite, a number immediately followed
// by an identifier character is one illegal token.
func (s *Scanner) number(start int) (int, Token) {
	src := s.src
	i := start
	if src[i] == '0' && i+2 < len(src) && (src[i+1] == 'x' || src[i+1] == 'X') && isHex(src[i+2]) {
		i += 2
		for i < len(src) && (isHex(src[i]) || src[i] == '_' && i+1 < len(src) && isHex(src[i+1])) {
			i++
		}
	} else {
		i = digits(src, i)
		if i < len(src) && src[i] == '.' {
			i = digits(src, i+1)
		}
		if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
			j := i + 1
			if j < len(src) && (src[j] == '+' || src[j] == '-') {
				j++
			}
			if j < len(src) && class[src[j]] == cDigit {
				i = digits(src, j)
			}
		}
	}
	if i < len(src) && isIDChar[src[i]] {
		for i < len(src) && isIDChar[src[i]] {
			i++
		}
		s.error(start, "malformed number "+quote(src[start:i]))
		return i, Illegal
	}
	return i, Number
}

// digits skips digits and single underscores between digits.
func digits(src string, i int) int {
	for i < len(src) {
		c := src[i]
		if class[c] == cDigit || c == '_' && i > 0 && class[src[i-1]] == cDigit && i+1 < len(src) && class[src[i+1]] == cDigit {
			i++
			continue
		}
		break
	}
	return i
}

// param scans a parameter opened by c at src[start], as SQLite's tokenizer
// does. "?" takes the digits after it. ':', '@', '$' and '#' take a name of
// identifier characters, which may hold "::" anywhere (a TCL namespace) and
// may end in a suffix "(...)" of anything but whitespace and ')' (a TCL
// array element), once the name holds an identifier character: ":a::b",
// "$a(x)", "@::a" and "$a::b(1,2)" are each one parameter. SQLite refuses a
// "#" parameter whose name starts with a digit ("#1" refers to a register in
// SQLite's own nested statements), so that is scanned as one [Illegal] token.
func (s *Scanner) param(start int, c byte) (int, Token) {
	src := s.src
	i := start + 1
	if c == '?' {
		for i < len(src) && class[src[i]] == cDigit {
			i++
		}
		return i, Param
	}
	n := 0 // identifier characters in the name
name:
	for i < len(src) {
		switch b := src[i]; {
		case isIDChar[b]:
			n++
			i++
		case b == ':' && i+1 < len(src) && src[i+1] == ':':
			i += 2
		case b == '(' && n > 0:
			j := i + 1
			for j < len(src) && src[j] != ')' && !isParamSuffixEnd[src[j]] {
				j++
			}
			if j >= len(src) || src[j] != ')' {
				s.error(start, "parameter "+quote(src[start:j])+" not terminated: missing )")
				return j, Illegal
			}
			i = j + 1
			break name
		default:
			break name
		}
	}
	if n == 0 {
		s.error(start, "parameter "+quoteByte(c)+" has no name")
		return i, Illegal
	}
	if c == '#' && class[src[start+1]] == cDigit {
		s.error(start, "parameter "+quote(src[start:i])+": a name after '#' must not start with a digit")
		return i, Illegal
	}
	return i, Param
}

// isSpace reports whether c is whitespace to SQLite's sqlite3Isspace: '\t',
// '\n', '\v', '\f', '\r' and ' '.
var isSpace = func() (t [256]bool) {
	for _, c := range "\t\n\v\f\r " {
		t[c] = true
	}
	return t
}()

// isParamSuffixEnd reports whether c ends the "(...)" suffix of a parameter
// without closing it: whitespace ([isSpace]) or the NUL byte that ends
// SQLite's input.
var isParamSuffixEnd = func() (t [256]bool) {
	t = isSpace
	t[0] = true
	return t
}()

// indexByteFrom returns the offset of the first c in s at or after from, or -1.
func indexByteFrom(s string, from int, c byte) int {
	if from >= len(s) {
		return -1
	}
	j := strings.IndexByte(s[from:], c)
	if j < 0 {
		return -1
	}
	return from + j
}

// indexFrom returns the offset of the first sub in s at or after from, or -1.
func indexFrom(s string, from int, sub string) int {
	if from >= len(s) {
		return -1
	}
	j := strings.Index(s[from:], sub)
	if j < 0 {
		return -1
	}
	return from + j
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "'" + string(c) + "'"
	}
	const hex = "0123456789abcdef"
	return "0x" + string(hex[c>>4]) + string(hex[c&15])
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return `"` + s + `"`
}
