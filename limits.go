package d1

import (
	"strings"

	"github.com/lunora-go/d1/internal/sqlscan"
)

// D1's documented limits that the client checks before a request is made.
const (
	// MaxBoundParameters is the most values one statement may bind.
	MaxBoundParameters = 100
	// MaxSQLLength is the longest SQL statement D1 accepts, in bytes.
	MaxSQLLength = 100_000
	// MaxColumns is the most columns a table may have.
	MaxColumns = 100
	// MaxValueSize is the largest string, BLOB or row D1 stores, in bytes.
	MaxValueSize = 2_000_000
)

// checkSQL applies the limits that need only the SQL text.
func checkSQL(query string) error {
	if strings.TrimSpace(query) == "" {
		return errNoStatements()
	}
	if len(query) > MaxSQLLength {
		return &Error{Code: CodeError, Message: "statement too long", Offset: -1, Primary: ResultTooBig}
	}
	return nil
}

// checkArgs applies the limit on bound values, with the error D1 would give:
// SQLite's own when query has too many parameters, else D1's for a count
// that does not match.
func checkArgs(query string, n int) error {
	if n <= MaxBoundParameters {
		return nil
	}
	for p := range sqlscan.Params(query) {
		if p.New && p.Index > MaxBoundParameters {
			return &Error{Code: CodeError, Message: "too many SQL variables", Offset: p.Offset, Primary: ResultError}
		}
	}
	return errWrongBindings()
}

func errWrongBindings() *Error {
	return &Error{Code: CodeError, Message: "Wrong number of parameter bindings for SQL query.", Offset: -1}
}

func errNoStatements() *Error {
	return &Error{Code: CodeError, Message: "No SQL statements detected.", Offset: -1}
}
