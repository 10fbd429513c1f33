package d1

import "strings"

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

// checkArgs applies the limits on bound values.
func checkArgs(n int) error {
	if n > MaxBoundParameters {
		return &Error{Code: CodeError, Message: "too many SQL variables", Offset: -1, Primary: ResultError}
	}
	return nil
}

func errNoStatements() *Error {
	return &Error{Code: CodeError, Message: "No SQL statements detected.", Offset: -1}
}
