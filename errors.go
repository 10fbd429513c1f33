package d1

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"
)

// D1's error codes, the prefix of every error message D1 produces.
const (
	CodeError          = "D1_ERROR"
	CodeTypeError      = "D1_TYPE_ERROR"
	CodeExecError      = "D1_EXEC_ERROR"
	CodeColumnNotFound = "D1_COLUMN_NOTFOUND"
	CodeSessionError   = "D1_SESSION_ERROR"
)

// ErrNoRows is returned by First when the query returned no row. It wraps
// [sql.ErrNoRows], so errors.Is(err, sql.ErrNoRows) also holds.
var ErrNoRows = noRowsError{}

type noRowsError struct{}

func (noRowsError) Error() string        { return "d1: no rows in result set" }
func (noRowsError) Unwrap() error        { return sql.ErrNoRows }
func (noRowsError) Is(target error) bool { return target == sql.ErrNoRows }

// Error is an error reported by D1, or by a backend in D1's words.
//
// Its Error method returns D1's message text exactly, for example
//
//	D1_ERROR: UNIQUE constraint failed: t.name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)
//
// and [ParseError] turns such a text back into an Error.
type Error struct {
	// Code is D1's code, such as [CodeError] or [CodeTypeError].
	Code string
	// Message is the text after the code, without the offset and the SQLite
	// codes: for example "UNIQUE constraint failed: t.name".
	Message string
	// Offset is the byte offset in the SQL that SQLite blamed, or -1.
	Offset int
	// Primary is SQLite's primary result code, or 0 when the error did not
	// come from SQLite.
	Primary ResultCode
	// Extended is SQLite's extended result code, when it differs from the
	// primary one; otherwise 0.
	Extended ResultCode
}

// Error returns D1's message text.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	b.WriteString(": ")
	b.WriteString(e.Message)
	if e.Offset >= 0 && e.Primary != 0 {
		b.WriteString(" at offset ")
		b.WriteString(strconv.Itoa(e.Offset))
	}
	if e.Primary != 0 {
		b.WriteString(": ")
		b.WriteString(e.Primary.String())
		if e.Extended != 0 && e.Extended != e.Primary {
			b.WriteString(" (extended: ")
			b.WriteString(e.Extended.String())
			b.WriteString(")")
		}
	}
	return b.String()
}

// ResultCode returns the most specific SQLite result code of the error: the
// extended one when there is one, else the primary one.
func (e *Error) ResultCode() ResultCode {
	if e.Extended != 0 {
		return e.Extended
	}
	return e.Primary
}

// ParseError turns a message in D1's words, such as an exception's message
// from the Worker binding, into an *Error. A message without a D1_ code
// becomes a [CodeError] error with the whole text as its message.
func ParseError(msg string) *Error {
	e := &Error{Code: CodeError, Offset: -1}
	code, rest, ok := strings.Cut(msg, ": ")
	if ok && strings.HasPrefix(code, "D1_") && isCodeWord(code) {
		e.Code = code
	} else if strings.HasPrefix(msg, "D1_") && isCodeWord(msg) {
		e.Code, rest = msg, ""
	} else {
		rest = msg
	}
	// Trailing ": SQLITE_X" or ": SQLITE_X (extended: SQLITE_Y)".
	body, ext, hasExt := rest, "", false
	if i := strings.LastIndex(rest, " (extended: SQLITE_"); i >= 0 && strings.HasSuffix(rest, ")") {
		body, ext, hasExt = rest[:i], rest[i+len(" (extended: "):len(rest)-1], true
	}
	if i := strings.LastIndex(body, ": SQLITE_"); i >= 0 {
		p, pok := resultCodeByName(body[i+2:])
		x, xok := resultCodeByName(ext)
		if pok && p != ResultOK && p.IsPrimary() && (!hasExt || (xok && x.Primary() == p && x != p)) {
			e.Primary = p
			if hasExt {
				e.Extended = x
			}
			rest = body[:i]
			if j := strings.LastIndex(rest, " at offset "); j >= 0 {
				num := rest[j+len(" at offset "):]
				if n, err := strconv.Atoi(num); err == nil && n >= 0 && strconv.Itoa(n) == num {
					e.Offset = n
					rest = rest[:j]
				}
			}
		}
	}
	e.Message = rest
	return e
}

func isCodeWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// IsConstraint reports whether err is a D1 error for a violated constraint
// (UNIQUE, NOT NULL, CHECK, FOREIGN KEY, PRIMARY KEY).
func IsConstraint(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Primary == ResultConstraint
}

// IsUniqueViolation reports whether err is a D1 error for a violated UNIQUE or
// PRIMARY KEY constraint.
func IsUniqueViolation(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Extended == ResultConstraintUnique || e.Extended == ResultConstraintPrimaryKey)
}

// transientMessages are the texts Cloudflare lists as transient D1 failures.
var transientMessages = []string{
	"Network connection lost",
	"storage caused object to be reset",
	"reset because its code was updated",
	"Cannot resolve D1 DB due to transient issue",
	"client disconnected",
	"storage operation exceeded timeout",
	"internal error while starting up D1 DB storage",
}

// IsRetryable reports whether err is a failure that Cloudflare documents as
// transient, so that retrying an idempotent query may succeed. An error in
// the chain with a method Retryable() bool decides for itself.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	var r interface{ Retryable() bool }
	if errors.As(err, &r) {
		return r.Retryable()
	}
	msg := err.Error()
	for _, m := range transientMessages {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}
