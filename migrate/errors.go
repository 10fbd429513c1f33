package migrate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Errors returned, wrapped with the migration or file they concern, when
// migrations are checked by [New] or [Load]. Test for them with [errors.Is].
var (
	// ErrDuplicateVersion: two migrations share a version.
	ErrDuplicateVersion = errors.New("migrate: duplicate version")
	// ErrDuplicateSQL: two migrations have the same SQL.
	ErrDuplicateSQL = errors.New("migrate: duplicate SQL")
	// ErrMultipleStatements: a migration holds more than one statement.
	ErrMultipleStatements = errors.New("migrate: more than one statement")
	// ErrNoStatement: a migration holds no statement.
	ErrNoStatement = errors.New("migrate: no statement")
	// ErrSyntax: a migration's SQL cannot be split into statements (an
	// unterminated string, quoted name, comment or trigger body).
	ErrSyntax = errors.New("migrate: malformed SQL")
	// ErrTransaction: a migration is BEGIN, COMMIT, ROLLBACK, END,
	// SAVEPOINT or RELEASE, which D1 refuses.
	ErrTransaction = errors.New("migrate: transaction statement")
	// ErrVersion: a version is negative or too large, or a file name has
	// none.
	ErrVersion = errors.New("migrate: bad version")
	// ErrTooLong: a migration's statement is longer than D1 accepts
	// (d1.MaxSQLLength bytes).
	ErrTooLong = errors.New("migrate: statement too long")
)

// Entry names a migration in a [Result] or a [Status].
type Entry struct {
	Version int64
	Name    string
}

// String returns the version and the name, as in `3 "add_users"`.
func (e Entry) String() string {
	if e.Name == "" {
		return strconv.FormatInt(e.Version, 10)
	}
	return strconv.FormatInt(e.Version, 10) + " " + strconv.Quote(e.Name)
}

// Drift is a migration whose version the database recorded with a hash
// that is not the hash of the migration's SQL: it was edited after it was
// applied.
type Drift struct {
	Entry
	// Recorded is the hash the database holds for the version.
	Recorded string
	// Hash is the hash of the migration's SQL now.
	Hash string
}

// DriftError is returned by [Runner.Run], before anything is applied, when
// migrations have drifted.
type DriftError struct {
	Drifted []Drift
}

// Error lists the drifted migrations with both hashes, and what can be done.
func (e *DriftError) Error() string {
	var b strings.Builder
	if len(e.Drifted) == 1 {
		b.WriteString("migrate: a migration differs from the one the database applied; nothing was applied:")
	} else {
		fmt.Fprintf(&b, "migrate: %d migrations differ from the ones the database applied; nothing was applied:", len(e.Drifted))
	}
	for _, d := range e.Drifted {
		fmt.Fprintf(&b, "\n  migration %s: the database recorded hash %s for version %d, but its SQL now hashes to %s",
			d.Entry, d.Recorded, d.Version, d.Hash)
	}
	b.WriteString("\nAn applied migration must not change. Restore its SQL as it was when applied, and put the change in a new migration;")
	vs := make([]string, len(e.Drifted))
	for i, d := range e.Drifted {
		vs[i] = strconv.FormatInt(d.Version, 10)
	}
	b.WriteString(" or, if the database should apply it again, undo what it did by hand and delete its record: DELETE FROM " +
		trackingTable + " WHERE version IN (" + strings.Join(vs, ", ") + ").")
	return b.String()
}

// ApplyError is returned by [Runner.Run] when D1 refused a migration.
// Nothing of that migration was applied; migrations before it in the run
// stay applied, and those after it were not tried.
//
// When the call failed without an answer (a cancelled context, a lost
// connection) and reading the tracking table again failed too, whether the
// migration was applied is unknown; Unconfirmed is then set, and running
// again tells.
type ApplyError struct {
	Migration Entry
	// Err is D1's error, usually a *d1.Error; with Unconfirmed, joined with
	// the error of the read that followed.
	Err error
	// Unconfirmed reports that the outcome could not be checked.
	Unconfirmed bool
}

// Error names the migration, says what happened and what to do, and gives
// D1's error.
func (e *ApplyError) Error() string {
	if e.Unconfirmed {
		return fmt.Sprintf("migrate: migration %s: the call failed and reading %s afterwards failed too, "+
			"so whether it was applied is unknown (it was applied whole or not at all): run again to find out: %v",
			e.Migration, trackingTable, e.Err)
	}
	return fmt.Sprintf("migrate: migration %s failed, so neither it nor the migrations after it were applied "+
		"(those before it stay applied); fix it and run again: %v", e.Migration, e.Err)
}

// Unwrap returns D1's error.
func (e *ApplyError) Unwrap() error { return e.Err }

// Reference is a foreign key of another table to a dropped table.
type Reference struct {
	// Table is the referencing (child) table.
	Table string
	// OnDelete is its ON DELETE action: CASCADE, SET NULL or SET DEFAULT.
	OnDelete string
}

// CascadeError is returned by [Runner.Run] for a migration that drops a
// table other tables reference with ON DELETE CASCADE, SET NULL or SET
// DEFAULT, unless [Options.AllowCascade] is set. Nothing of the migration
// was applied.
type CascadeError struct {
	Migration Entry
	// Table is the table the migration drops.
	Table string
	// References are the foreign keys to it that would delete or change
	// rows.
	References []Reference
}

// Error explains what dropping the table would do and what to do instead.
func (e *CascadeError) Error() string {
	refs := make([]string, len(e.References))
	for i, r := range e.References {
		refs[i] = fmt.Sprintf("%s (ON DELETE %s)", r.Table, r.OnDelete)
	}
	return fmt.Sprintf("migrate: migration %s was not applied: it drops table %s, which %s references: "+
		"dropping a table deletes its rows first, and D1 enforces foreign keys (PRAGMA foreign_keys = OFF has no effect there, "+
		"and defer_foreign_keys does not stop ON DELETE actions), so the referencing rows would be deleted or changed. "+
		"Rebuild the referencing tables first so that they no longer reference %s, or set Options.AllowCascade if that loss is intended",
		e.Migration, e.Table, strings.Join(refs, ", "), e.Table)
}
