package local

import (
	"strings"
	"unicode/utf8"

	"github.com/lunora-go/d1/internal/sqlscan"
)

// This file holds the little SQL text handling the local backend needs on
// its own: D1's rule for "no statements", the whitespace D1 skips between
// statements, and a tokenizer just good enough to rewrite DELETE ... LIMIT
// and UPDATE ... LIMIT, which D1 supports and modernc's SQLite build does not.

// isBlankQuery reports whether D1 treats query as holding no statement at
// all, answering "No SQL statements detected." Workerd's local D1 removes
// every line that starts with whitespace followed by "--" (the JavaScript
// expression /^\s+--.*$/gm) and then checks whether anything but whitespace
// is left. A comment at the very start of the text is not removed: "-- hi"
// reaches SQLite, which finds no statement in it.
func isBlankQuery(query string) bool {
	// Fast path: the first non-space character decides unless it is '-'.
	i := 0
	for i < len(query) {
		r, n := utf8.DecodeRuneInString(query[i:])
		if !sqlscan.IsJSSpace(r) {
			break
		}
		i += n
	}
	if i == len(query) {
		return true
	}
	if query[i] != '-' {
		return false
	}
	return strings.TrimFunc(removeIndentedComments(query), sqlscan.IsJSSpace) == ""
}

// removeIndentedComments applies /^\s+--.*/gm: from a line start, one or more
// whitespace characters (which may span lines), "--", and the rest of the line.
func removeIndentedComments(s string) string {
	var b strings.Builder
	lineStart := true
	for i := 0; i < len(s); {
		if lineStart {
			// Try to match \s+-- here.
			j := i
			for j < len(s) {
				r, n := utf8.DecodeRuneInString(s[j:])
				if !sqlscan.IsJSSpace(r) {
					break
				}
				j += n
			}
			if j > i && strings.HasPrefix(s[j:], "--") {
				k := j + 2
				for k < len(s) && !isJSLineTerminator(s, k) {
					_, n := utf8.DecodeRuneInString(s[k:])
					k += n
				}
				i = k
				// The match ends before a line terminator, so a match at the
				// next line needs its own leading whitespace; the terminator
				// itself is whitespace and starts the next attempt.
				lineStart = false
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteString(s[i : i+n])
		lineStart = r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029'
		i += n
	}
	return b.String()
}

func isJSLineTerminator(s string, i int) bool {
	switch s[i] {
	case '\n', '\r':
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r == '\u2028' || r == '\u2029'
}

// skipSpace returns s without the whitespace D1 skips after a statement
// before deciding whether another one follows.
func skipSpace(s string) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '\f', '\v':
		default:
			return s[i:]
		}
	}
	return ""
}

// token kinds of the rewriting tokenizer.
const (
	tkEOF = iota
	tkWord
	tkOther // strings, quoted names, numbers, operators, parameters
	tkLParen
	tkRParen
	tkSemi
)

type token struct {
	kind       int
	start, end int // byte offsets in the source
	depth      int // parenthesis depth before the token
}

// tokenize splits the first statement of src into tokens, stopping after a
// ';' at depth zero. Comments and whitespace are skipped. It reports false
// when the text cannot be tokenized (an unterminated string or comment).
func tokenize(src string) ([]token, bool) {
	var toks []token
	depth := 0
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				i = len(src)
			} else {
				i += j + 1
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				return nil, false
			}
			i += j + 4
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for {
				k := strings.IndexByte(src[j:], c)
				if k < 0 {
					return nil, false
				}
				j += k + 1
				if j < len(src) && src[j] == c {
					j++
					continue
				}
				break
			}
			toks = append(toks, token{tkOther, i, j, depth})
			i = j
		case c == '[':
			k := strings.IndexByte(src[i:], ']')
			if k < 0 {
				return nil, false
			}
			toks = append(toks, token{tkOther, i, i + k + 1, depth})
			i += k + 1
		case c == '(':
			toks = append(toks, token{tkLParen, i, i + 1, depth})
			depth++
			i++
		case c == ')':
			depth--
			toks = append(toks, token{tkRParen, i, i + 1, depth})
			i++
		case c == ';':
			toks = append(toks, token{tkSemi, i, i + 1, depth})
			i++
			if depth <= 0 {
				return toks, true
			}
		case isWordByte(c):
			j := i + 1
			for j < len(src) && (isWordByte(src[j]) || src[j] >= '0' && src[j] <= '9' || src[j] == '$') {
				j++
			}
			toks = append(toks, token{tkWord, i, j, depth})
			i = j
		default:
			j := i + 1
			if c >= '0' && c <= '9' || c == '.' && j < len(src) && src[j] >= '0' && src[j] <= '9' {
				for j < len(src) && (isWordByte(src[j]) || src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
					j++
				}
			}
			toks = append(toks, token{tkOther, i, j, depth})
			i = j
		}
	}
	return toks, true
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

// rewriteLimit rewrites one DELETE or UPDATE statement (stmt, up to and
// including its ';' if any) that carries ORDER BY or LIMIT, which SQLite
// accepts only when built with SQLITE_ENABLE_UPDATE_DELETE_LIMIT, into an
// equivalent statement that selects the affected rows by rowid:
//
//	DELETE FROM t WHERE c ORDER BY o LIMIT n
//	DELETE FROM t WHERE rowid IN (SELECT rowid FROM t WHERE c ORDER BY o LIMIT n)
//
// RETURNING moves after the new WHERE clause. It returns ok=false when the
// statement is not of that shape (the caller then reports SQLite's own
// error), and a non-empty errMsg when SQLite with the option would refuse the
// statement ("ORDER BY without LIMIT on DELETE").
func rewriteLimit(stmt string) (out string, errMsg string, ok bool) {
	toks, good := tokenize(stmt)
	if !good || len(toks) == 0 {
		return "", "", false
	}
	word := func(i int) string {
		if i < 0 || i >= len(toks) || toks[i].kind != tkWord || toks[i].depth != 0 {
			return ""
		}
		return strings.ToUpper(stmt[toks[i].start:toks[i].end])
	}
	// Find the verb at depth zero: a WITH clause may come first.
	verb := -1
	for i := range toks {
		if w := word(i); w == "DELETE" || w == "UPDATE" {
			verb = i
			break
		}
		if toks[i].depth == 0 && toks[i].kind == tkWord && i == 0 && word(i) != "WITH" {
			return "", "", false
		}
	}
	if verb < 0 {
		return "", "", false
	}
	isDelete := word(verb) == "DELETE"

	// Locate the table reference: DELETE FROM qtn / UPDATE [OR x] qtn.
	i := verb + 1
	if isDelete {
		if word(i) != "FROM" {
			return "", "", false
		}
		i++
	} else if word(i) == "OR" {
		i += 2
	}
	tblStart := i
	if tblStart >= len(toks) {
		return "", "", false
	}
	// schema.name: name, '.', name
	i++
	if i+1 < len(toks) && toks[i].kind == tkOther && stmt[toks[i].start:toks[i].end] == "." {
		i += 2
	}
	// Optional alias and INDEXED BY / NOT INDEXED.
	refEnd := i
	if w := word(i); w == "AS" {
		refEnd = i + 2
	} else if w != "" && !isClauseWord(w) {
		refEnd = i + 1
	}
	if refEnd > len(toks) {
		return "", "", false
	}
	i = refEnd
	idxEnd := i
	if w := word(i); w == "INDEXED" {
		idxEnd = i + 3
	} else if w == "NOT" && word(i+1) == "INDEXED" {
		idxEnd = i + 2
	}
	if idxEnd > len(toks) {
		return "", "", false
	}

	// Top-level clause positions after the table reference.
	where, returning, orderBy, limit, set, from, end := -1, -1, -1, -1, -1, -1, len(toks)
	for j := idxEnd; j < len(toks); j++ {
		if toks[j].kind == tkSemi && toks[j].depth <= 0 {
			end = j
			break
		}
		switch word(j) {
		case "SET":
			if set < 0 {
				set = j
			}
		case "FROM":
			if from < 0 && set >= 0 && where < 0 {
				from = j
			}
		case "WHERE":
			if where < 0 && returning < 0 && orderBy < 0 && limit < 0 {
				where = j
			}
		case "RETURNING":
			if returning < 0 && orderBy < 0 && limit < 0 {
				returning = j
			}
		case "ORDER":
			if word(j+1) == "BY" && orderBy < 0 && limit < 0 {
				orderBy = j
			}
		case "LIMIT":
			if limit < 0 {
				limit = j
			}
		}
	}
	if orderBy < 0 && limit < 0 {
		return "", "", false
	}
	if !isDelete && (set < 0 || from >= 0) {
		return "", "", false
	}
	if limit < 0 {
		if isDelete {
			return "", "ORDER BY without LIMIT on DELETE", true
		}
		return "", "ORDER BY without LIMIT on UPDATE", true
	}
	text := func(a, b int) string { // tokens [a, b) as source text
		if a >= b {
			return ""
		}
		return stmt[toks[a].start:toks[b-1].end]
	}
	// The clause that ends the WHERE expression (or SET list).
	firstTail := len(toks)
	for _, p := range []int{returning, orderBy, limit} {
		if p >= 0 && p < firstTail {
			firstTail = p
		}
	}
	if end < firstTail {
		firstTail = end
	}
	var cond string
	if where >= 0 {
		cond = text(where+1, firstTail)
	}
	var ret string
	if returning >= 0 {
		stop := end
		for _, p := range []int{orderBy, limit} {
			if p > returning && p < stop {
				stop = p
			}
		}
		ret = text(returning, stop)
	}
	orderLimitStart := limit
	if orderBy >= 0 && orderBy < limit {
		orderLimitStart = orderBy
	}
	tail := text(orderLimitStart, end)
	ref := text(tblStart, idxEnd)

	var b strings.Builder
	// Everything before the table reference's end, then for UPDATE the SET
	// list, unchanged.
	b.WriteString(stmt[:toks[tblStart].start])
	b.WriteString(text(tblStart, refEnd))
	if !isDelete {
		setEnd := firstTail
		if where >= 0 && where < setEnd {
			setEnd = where
		}
		b.WriteByte(' ')
		b.WriteString(text(set, setEnd))
	}
	b.WriteString(" WHERE rowid IN (SELECT rowid FROM ")
	b.WriteString(ref)
	if cond != "" {
		b.WriteString(" WHERE ")
		b.WriteString(cond)
	}
	b.WriteByte(' ')
	b.WriteString(tail)
	b.WriteByte(')')
	if ret != "" {
		b.WriteByte(' ')
		b.WriteString(ret)
	}
	if end < len(toks) {
		b.WriteString(stmt[toks[end].start:])
	}
	return b.String(), "", true
}

func isClauseWord(w string) bool {
	switch w {
	case "WHERE", "SET", "RETURNING", "ORDER", "LIMIT", "INDEXED", "NOT", "FROM":
		return true
	}
	return false
}

// firstWord returns the first keyword of query, upper-cased, skipping
// whitespace and comments.
func firstWord(query string) string {
	toks, _ := tokenize(query)
	if len(toks) == 0 || toks[0].kind != tkWord {
		return ""
	}
	return strings.ToUpper(query[toks[0].start:toks[0].end])
}
