package migrate

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/internal/sqlscan"
)

// Migration is one change to a database's schema: a single SQL statement,
// applied once, in version order.
type Migration struct {
	// Version orders migrations and identifies them in the tracking table.
	// It is between 0 and d1.MaxSafeInteger (D1 stores numbers as
	// JavaScript numbers), so timestamps such as 20261127120000 fit.
	Version int64
	// Name describes the migration in results and errors.
	Name string
	// SQL is one statement. A trailing ';' and comments before and after it
	// are allowed.
	SQL string
}

// Hash returns the hash the tracking table records for the migration: see
// [Hash].
func (m Migration) Hash() string { return Hash(m.SQL) }

func (m Migration) entry() Entry { return Entry{Version: m.Version, Name: m.Name} }

// Hash returns the SHA-256, in lowercase hex, of sql normalized: a leading
// byte order mark removed, CRLF line ends turned into LF, and trailing
// newlines stripped, so that a file's hash does not change with an editor's
// line-end settings. When reading the tracking table the hash of the raw text
// (as drizzle records it) is accepted as well.
func Hash(sql string) string { return hashOf(normalize(sql)) }

func normalize(sql string) string {
	s := strings.TrimPrefix(sql, "\uFEFF")
	if strings.Contains(s, "\r\n") {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	return strings.TrimRight(s, "\n")
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// plan is a checked migration, ready to apply.
type plan struct {
	Migration
	hash    string // of the normalized SQL: what is recorded
	rawHash string // of the SQL as given: also accepted
	stmt    string // the statement alone, without ';' and comments
	drops   string // the table the statement drops, or ""
}

// applies reports whether hash is one of the migration's hashes.
func (p *plan) applies(hash string) bool { return hash == p.hash || hash == p.rawHash }

// check turns migrations into plans, sorted by version: it refuses
// duplicate versions, identical SQL and anything but one statement in a
// migration. where names a migration in errors; nil names it by version and
// name.
func check(ms []Migration, where func(Migration) string) ([]plan, error) {
	if where == nil {
		where = func(m Migration) string { return "migration " + m.entry().String() }
	}
	ps := make([]plan, len(ms))
	for i, m := range ms {
		p, err := checkOne(m, where)
		if err != nil {
			return nil, err
		}
		ps[i] = p
	}
	slices.SortStableFunc(ps, func(a, b plan) int { return cmp.Compare(a.Version, b.Version) })
	for i := 1; i < len(ps); i++ {
		if a, b := &ps[i-1], &ps[i]; a.Version == b.Version {
			return nil, fmt.Errorf("%w: %s and %s both have version %d: give each migration its own version",
				ErrDuplicateVersion, where(a.Migration), where(b.Migration), a.Version)
		}
	}
	seen := make(map[string]int, len(ps))
	for i := range ps {
		if j, ok := seen[ps[i].hash]; ok {
			return nil, fmt.Errorf("%w: %s and %s have the same SQL (hash %s), and a hash can be recorded once: remove one of them",
				ErrDuplicateSQL, where(ps[j].Migration), where(ps[i].Migration), ps[i].hash)
		}
		seen[ps[i].hash] = i
	}
	return ps, nil
}

func checkOne(m Migration, where func(Migration) string) (plan, error) {
	if m.Version < 0 || m.Version > d1.MaxSafeInteger {
		return plan{}, fmt.Errorf("%w: %s: the version must be between 0 and %d, the largest number D1 stores exactly",
			ErrVersion, where(m), int64(d1.MaxSafeInteger))
	}
	src := strings.TrimPrefix(m.SQL, "\uFEFF")
	sts, err := sqlscan.Split(src)
	if err != nil {
		return plan{}, fmt.Errorf("%w: %s: %v", ErrSyntax, where(m), err)
	}
	switch len(sts) {
	case 0:
		return plan{}, fmt.Errorf("%w: %s holds no SQL statement, only blanks and comments: give it one statement or remove it",
			ErrNoStatement, where(m))
	case 1:
	default:
		line, col := sqlscan.Position(src, sts[1].Start)
		return plan{}, fmt.Errorf("%w: %s holds %d statements (the second at line %d, column %d): "+
			"each migration must be one statement, so that it and its record apply atomically; split it into separate migrations, one statement each",
			ErrMultipleStatements, where(m), len(sts), line, col)
	}
	stmt := src[sts[0].Start:sts[0].End]
	if len(stmt) > d1.MaxSQLLength {
		return plan{}, fmt.Errorf("%w: %s is a statement of %d bytes, and D1 accepts at most %d: split it into several migrations",
			ErrTooLong, where(m), len(stmt), d1.MaxSQLLength)
	}
	var s sqlscan.Scanner
	s.Init(stmt, nil, 0)
	_, tok, lit := s.Scan()
	if tok == sqlscan.Ident {
		for _, kw := range []string{"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"} {
			if sqlscan.Keyword(lit, kw) {
				return plan{}, fmt.Errorf("%w: %s is a %s statement, which D1 refuses; a migration already applies atomically, so remove it",
					ErrTransaction, where(m), kw)
			}
		}
	}
	return plan{
		Migration: m,
		hash:      Hash(m.SQL),
		rawHash:   hashOf(m.SQL),
		stmt:      stmt,
		drops:     droppedTable(stmt),
	}, nil
}

// droppedTable returns the name of the table stmt drops, if it is
// DROP TABLE [IF EXISTS] [schema.]name.
func droppedTable(stmt string) string {
	var s sqlscan.Scanner
	s.Init(stmt, nil, 0)
	next := func() (sqlscan.Token, string) { _, tok, lit := s.Scan(); return tok, lit }
	if tok, lit := next(); tok != sqlscan.Ident || !sqlscan.Keyword(lit, "DROP") {
		return ""
	}
	if tok, lit := next(); tok != sqlscan.Ident || !sqlscan.Keyword(lit, "TABLE") {
		return ""
	}
	tok, lit := next()
	if tok == sqlscan.Ident && sqlscan.Keyword(lit, "IF") {
		if tok, lit := next(); tok != sqlscan.Ident || !sqlscan.Keyword(lit, "EXISTS") {
			return ""
		}
		tok, lit = next()
	}
	name := ""
	switch tok {
	case sqlscan.Ident, sqlscan.QuotedIdent, sqlscan.String:
		name = sqlscan.Unquote(lit)
	default:
		return ""
	}
	if tok, _ := next(); tok == sqlscan.Dot {
		tok, lit := next()
		switch tok {
		case sqlscan.Ident, sqlscan.QuotedIdent, sqlscan.String:
			name = sqlscan.Unquote(lit)
		default:
			return ""
		}
	}
	return name
}

// SplitStride is how far apart [Split] puts the versions of migrations, so
// that the statements of one migration fit between it and the next.
const SplitStride = 100

// Split returns ms with each migration of several statements split into one
// migration per statement. Every version is multiplied by [SplitStride], and
// the i-th statement (from 0) of a migration adds i: statement 2 of version 7
// becomes version 702, and a migration of one statement keeps the version
// times SplitStride. Parts after the first are named "<name>#<i+1>". Split
// refuses a migration of more than SplitStride statements, and what [New]
// refuses; note that a folder must always be loaded the same way, split or
// not, since splitting changes the versions recorded.
func Split(ms []Migration) ([]Migration, error) {
	var out []Migration
	for _, m := range ms {
		if m.Version < 0 || m.Version > d1.MaxSafeInteger/SplitStride {
			return nil, fmt.Errorf("%w: migration %s: to split migrations, versions must be at most %d",
				ErrVersion, m.entry(), int64(d1.MaxSafeInteger/SplitStride))
		}
		src := strings.TrimPrefix(m.SQL, "\uFEFF")
		sts, err := sqlscan.Split(src)
		if err != nil {
			return nil, fmt.Errorf("%w: migration %s: %v", ErrSyntax, m.entry(), err)
		}
		if len(sts) > SplitStride {
			return nil, fmt.Errorf("%w: migration %s holds %d statements, more than the %d that splitting allows: split it by hand",
				ErrMultipleStatements, m.entry(), len(sts), SplitStride)
		}
		if len(sts) <= 1 {
			m.Version *= SplitStride
			out = append(out, m)
			continue
		}
		for i, st := range sts {
			name := m.Name
			if i > 0 {
				name = fmt.Sprintf("%s#%d", m.Name, i+1)
			}
			out = append(out, Migration{
				Version: m.Version*SplitStride + int64(i),
				Name:    name,
				SQL:     src[st.Start:st.End],
			})
		}
	}
	return out, nil
}
