package sqlscan

// Statement is the place of one SQL statement in a source.
type Statement struct {
	// Start is the offset of the statement's first token; comments before it
	// are not part of the statement.
	Start int
	// End is the offset just after the statement's last token: src[Start:End]
	// is the statement, without the ';' that ends it and without trailing
	// comments.
	End int
	// Semicolon is the offset of the ';' that ends the statement, or -1 when
	// the input ends first.
	Semicolon int
}

// Splitter splits a source into statements. A statement ends at a ';' outside
// quotes and comments, except inside the body of a CREATE [TEMP] TRIGGER,
// whose inner statements end in ';': there the statement ends at the ';' after
// the END that closes the body (a CASE ... END inside the body does not close
// it). Empty statements (a ';' alone, or only comments) are skipped.
//
// A trigger body is recognized by keywords, as SQLite's sqlite3_complete does;
// a column or table named with the bare word END or BEGIN inside a trigger can
// confuse it, and quoting such names avoids that.
//
// The zero value splits nothing; call [Splitter.Init].
type Splitter struct {
	s    Scanner
	errh ErrorHandler
}

// Init readies sp to split src, reporting lexical errors, and a trigger whose
// body is not closed by END, to errh (which may be nil).
func (sp *Splitter) Init(src string, errh ErrorHandler) {
	sp.errh = errh
	sp.s.Init(src, errh, 0)
}

// ErrorCount returns the number of errors found so far.
func (sp *Splitter) ErrorCount() int { return sp.s.ErrorCount }

// Next returns the next statement, or false at the end of the source.
func (sp *Splitter) Next() (st Statement, ok bool) {
	var (
		n       int  // tokens of the statement so far
		create  bool // it starts with CREATE
		temp    bool // CREATE TEMP or CREATE TEMPORARY
		trigger bool // CREATE [TEMP] TRIGGER
		body    bool // the trigger's BEGIN has been seen
		depth   int  // open BEGIN and CASE blocks of a trigger
		prev    Token
		prevLit string
	)
	for {
		pos, tok, lit := sp.s.Scan()
		if tok == EOF {
			if n == 0 {
				return Statement{}, false
			}
			if depth > 0 {
				sp.s.error(st.Start, "CREATE TRIGGER not terminated: its body needs BEGIN ... END")
			}
			st.Semicolon = -1
			return st, true
		}
		if tok == Semicolon && depth == 0 {
			if n == 0 {
				continue
			}
			st.Semicolon = pos
			return st, true
		}
		if n == 0 {
			st.Start = pos
		}
		st.End = pos + len(lit)
		if tok == Ident {
			switch {
			case n == 0:
				create = Keyword(lit, "CREATE")
			case n == 1 && create:
				temp = Keyword(lit, "TEMP") || Keyword(lit, "TEMPORARY")
				trigger = Keyword(lit, "TRIGGER")
			case n == 2 && temp:
				trigger = Keyword(lit, "TRIGGER")
			case trigger && prev != Dot:
				switch {
				case Keyword(lit, "CASE"):
					depth++
				case Keyword(lit, "END"):
					if depth > 0 {
						depth--
					}
				case Keyword(lit, "BEGIN"):
					if !body && depth == 0 && opensBody(prev, prevLit) {
						body, depth = true, 1
					}
				}
			}
		}
		prev, prevLit = tok, lit
		n++
	}
}

// opensBody reports whether a BEGIN after the token prev in a trigger's
// header opens the body, rather than being the trigger's, table's or a
// column's name.
func opensBody(prev Token, prevLit string) bool {
	switch prev {
	case Comma, Dot:
		return false
	case Ident:
		return !(Keyword(prevLit, "TRIGGER") || Keyword(prevLit, "EXISTS") ||
			Keyword(prevLit, "ON") || Keyword(prevLit, "OF"))
	}
	return true
}

// Split returns the statements of src. Its error, if any, is an
// [*ErrorList] of the lexical errors found; the statements are returned
// either way.
func Split(src string) ([]Statement, error) {
	el := NewErrorList(src)
	var sp Splitter
	sp.Init(src, el.Add)
	var sts []Statement
	for {
		st, ok := sp.Next()
		if !ok {
			break
		}
		sts = append(sts, st)
	}
	return sts, el.Err()
}
