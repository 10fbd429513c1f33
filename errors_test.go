package d1

import (
	"database/sql"
	"errors"
	"fmt"
	"testing"
)

func TestParseError(t *testing.T) {
	tests := []struct {
		msg  string
		want Error
	}{
		{`D1_ERROR: near "SELEC": syntax error at offset 0: SQLITE_ERROR`,
			Error{Code: CodeError, Message: `near "SELEC": syntax error`, Offset: 0, Primary: ResultError}},
		{"D1_ERROR: no such table: nosuch: SQLITE_ERROR",
			Error{Code: CodeError, Message: "no such table: nosuch", Offset: -1, Primary: ResultError}},
		{"D1_ERROR: UNIQUE constraint failed: t.name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)",
			Error{Code: CodeError, Message: "UNIQUE constraint failed: t.name", Offset: -1, Primary: ResultConstraint, Extended: ResultConstraintUnique}},
		{"D1_ERROR: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_FOREIGNKEY)",
			Error{Code: CodeError, Message: "FOREIGN KEY constraint failed", Offset: -1, Primary: ResultConstraint, Extended: ResultConstraintForeignKey}},
		{"D1_ERROR: too many SQL variables at offset 207: SQLITE_ERROR",
			Error{Code: CodeError, Message: "too many SQL variables", Offset: 207, Primary: ResultError}},
		{"D1_ERROR: No SQL statements detected.",
			Error{Code: CodeError, Message: "No SQL statements detected.", Offset: -1}},
		{"D1_ERROR: not authorized: SQLITE_AUTH",
			Error{Code: CodeError, Message: "not authorized", Offset: -1, Primary: ResultAuth}},
		{`D1_EXEC_ERROR: Error in line 1: SELEC 1: near "SELEC": syntax error at offset 0: SQLITE_ERROR`,
			Error{Code: CodeExecError, Message: `Error in line 1: SELEC 1: near "SELEC": syntax error`, Offset: 0, Primary: ResultError}},
		{"D1_TYPE_ERROR: Type 'bigint' not supported for value '9223372036854775807'",
			Error{Code: CodeTypeError, Message: "Type 'bigint' not supported for value '9223372036854775807'", Offset: -1}},
		{"D1_COLUMN_NOTFOUND: Column not found (b)",
			Error{Code: CodeColumnNotFound, Message: "Column not found (b)", Offset: -1}},
		{"D1_SESSION_ERROR: invalid bookmark or constraint",
			Error{Code: CodeSessionError, Message: "invalid bookmark or constraint", Offset: -1}},
		{"Network connection lost.",
			Error{Code: CodeError, Message: "Network connection lost.", Offset: -1}},
		{"D1_ERROR: weird: SQLITE_NOPE",
			Error{Code: CodeError, Message: "weird: SQLITE_NOPE", Offset: -1}},
	}
	for _, tt := range tests {
		got := ParseError(tt.msg)
		if *got != tt.want {
			t.Errorf("ParseError(%q)\n got %+v\nwant %+v", tt.msg, *got, tt.want)
		}
		if tt.want.Code != CodeError || tt.msg[:3] == "D1_" {
			if s := got.Error(); s != tt.msg {
				t.Errorf("round trip: %q became %q", tt.msg, s)
			}
		}
	}
}

func FuzzParseError(f *testing.F) {
	for _, s := range []string{
		`D1_ERROR: near "SELEC": syntax error at offset 0: SQLITE_ERROR`,
		"D1_ERROR: UNIQUE constraint failed: t.name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)",
		"D1_ERROR: x at offset 01: SQLITE_ERROR", "D1_X", ": SQLITE_ERROR", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		e := ParseError(msg)
		// Parsing what Error() prints gives the same error back.
		again := ParseError(e.Error())
		if *again != *e {
			t.Fatalf("%q: parsed %+v, reparsed %+v", msg, *e, *again)
		}
	})
}

func TestErrorHelpers(t *testing.T) {
	unique := &Error{Code: CodeError, Message: "UNIQUE constraint failed: t.a", Offset: -1, Primary: ResultConstraint, Extended: ResultConstraintUnique}
	notNull := &Error{Code: CodeError, Message: "NOT NULL constraint failed: t.a", Offset: -1, Primary: ResultConstraint, Extended: ResultConstraintNotNull}
	wrapped := fmt.Errorf("saving user: %w", unique)
	tests := []struct {
		err                         error
		constraint, uniq, retryable bool
	}{
		{unique, true, true, false},
		{wrapped, true, true, false},
		{notNull, true, false, false},
		{ParseError("D1_ERROR: Network connection lost."), false, false, true},
		{errors.New("D1 DB storage operation exceeded timeout which caused object to be reset."), false, false, true},
		{nil, false, false, false},
		{ErrNoRows, false, false, false},
	}
	for _, tt := range tests {
		if got := IsConstraint(tt.err); got != tt.constraint {
			t.Errorf("IsConstraint(%v) = %v", tt.err, got)
		}
		if got := IsUniqueViolation(tt.err); got != tt.uniq {
			t.Errorf("IsUniqueViolation(%v) = %v", tt.err, got)
		}
		if got := IsRetryable(tt.err); got != tt.retryable {
			t.Errorf("IsRetryable(%v) = %v", tt.err, got)
		}
	}
	var e *Error
	if !errors.As(wrapped, &e) || e.ResultCode() != ResultConstraintUnique {
		t.Errorf("errors.As: %v", e)
	}
	if !errors.Is(ErrNoRows, sql.ErrNoRows) || !errors.Is(fmt.Errorf("x: %w", ErrNoRows), ErrNoRows) {
		t.Error("ErrNoRows does not match sql.ErrNoRows")
	}
}

func TestResultCodeString(t *testing.T) {
	for c, want := range map[ResultCode]string{
		ResultConstraintUnique: "SQLITE_CONSTRAINT_UNIQUE", ResultAuth: "SQLITE_AUTH", 9999: "SQLITE_UNKNOWN(9999)",
	} {
		if got := c.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(c), got, want)
		}
	}
	if ResultConstraintForeignKey.Primary() != ResultConstraint || ResultConstraintForeignKey.IsPrimary() {
		t.Error("Primary of an extended code")
	}
}
