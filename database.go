package d1

import "context"

// Database is the binding contract: what a backend implements to be used by a
// [Client]. It mirrors D1's Worker binding (D1Database): preparing a statement
// does no I/O and cannot fail; errors in the SQL arrive when it runs.
//
// Queries made on the Database itself go to the primary and carry no bookmark.
//
// Implementations must be safe for concurrent use by multiple goroutines.
type Database interface {
	// Prepare returns a statement for query. It sends nothing anywhere.
	Prepare(query string) PreparedStatement

	// Batch runs stmts in order as one implicit transaction: if one fails,
	// Batch returns that statement's error, the earlier statements are rolled
	// back and the later ones do not run. The statements must come from the
	// same backend.
	Batch(ctx context.Context, stmts []PreparedStatement) ([]*Result, error)

	// Exec runs query, which may hold one statement per line, without
	// parameters, as D1's exec does.
	Exec(ctx context.Context, query string) (*ExecResult, error)

	// WithSession opens a session. constraintOrBookmark is "" or
	// [FirstUnconstrained] (the first query may go to any replica),
	// [FirstPrimary] (the first query goes to the primary), or a bookmark
	// returned by an earlier session. A backend without sessions returns a
	// session that runs on the primary and never has a bookmark, and says so
	// in its documentation.
	WithSession(constraintOrBookmark string) DatabaseSession
}

// DatabaseSession is a session of a [Database], as D1's D1DatabaseSession.
// Every query in a session is sequentially consistent with the newest
// bookmark the session has seen.
//
// Implementations must be safe for concurrent use by multiple goroutines.
type DatabaseSession interface {
	// Prepare returns a statement that runs in this session.
	Prepare(query string) PreparedStatement

	// Batch is [Database.Batch] within the session.
	Batch(ctx context.Context, stmts []PreparedStatement) ([]*Result, error)

	// Bookmark returns the newest bookmark seen by the session's queries.
	// A session opened with a constraint reports false until its first
	// query has completed; one opened from a bookmark reports that bookmark
	// from the start, as D1 does.
	Bookmark() (string, bool)
}

// PreparedStatement is a statement of a backend, as D1's D1PreparedStatement.
// A PreparedStatement is immutable: Bind returns a new statement.
type PreparedStatement interface {
	// Bind returns a copy of the statement with values bound to its
	// parameters, in order. Values have passed through [Normalize]: they are
	// nil, int64, float64, string or []byte. A value the backend cannot bind
	// yields a D1_TYPE_ERROR.
	Bind(values ...any) (PreparedStatement, error)

	// All runs the statement and returns its rows as D1's all() does: when two
	// result columns share a name, the row keeps the last value under the
	// first position, and Columns is empty when there are no rows.
	All(ctx context.Context) (*Result, error)

	// Run runs the statement. D1 returns the same shape as All.
	Run(ctx context.Context) (*Result, error)

	// First runs the statement and returns at most its first row, shaped as
	// by All, without meta.
	First(ctx context.Context) (*Result, error)

	// Raw runs the statement and returns every column, duplicates included,
	// with the column names even when there are no rows, as D1's
	// raw({columnNames: true}) does. Raw returns no meta.
	Raw(ctx context.Context) (*Result, error)
}

// Querier is an optional interface of a [PreparedStatement]: a statement
// that can run once with values given for that run alone. Query(ctx, op,
// values...) does what Bind(values...) followed by All, Run, First or Raw
// (as op says) does, without the copy of the statement that Bind makes;
// QueryRow(ctx, values...) does what First does and returns the row alone,
// or [ErrNoRows], sparing the Result around it. The client uses them when a
// backend's statements implement them.
//
// Values are as the caller gave them: both methods normalize them as
// [Normalize] does, refusing what it refuses with its D1_TYPE_ERROR, and
// must not keep them after they return.
type Querier interface {
	Query(ctx context.Context, op Op, values ...any) (*Result, error)
	QueryRow(ctx context.Context, values ...any) (Row, error)
}

// ValueBatcher is an optional interface of a [Database] or a
// [DatabaseSession]: BatchValues is Batch with each statement's values given
// beside it instead of bound to a copy of it. values[i] holds the values of
// stmts[i], normalized as for Bind; an empty values[i] runs stmts[i] as it
// is. The client uses it when a backend implements it.
type ValueBatcher interface {
	BatchValues(ctx context.Context, stmts []PreparedStatement, values [][]any) ([]*Result, error)
}

// Session constraints accepted by [Database.WithSession] and
// [Client.WithSession] in place of a bookmark.
const (
	// FirstUnconstrained lets the session's first query go to any replica.
	FirstUnconstrained = "first-unconstrained"
	// FirstPrimary sends the session's first query to the primary.
	FirstPrimary = "first-primary"
)
