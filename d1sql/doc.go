// Package d1sql is a [database/sql] driver over a [d1.Client] or a
// [d1.Session], and so over any D1 backend, for code written against
// database/sql: sqlc's generated queries, sqlx, and the like.
//
//	client := d1.New(db) // db is any d1.Database: local, bridge, rest, workers
//	sqldb := sql.OpenDB(d1sql.NewConnector(client))
//	defer sqldb.Close()
//
// There is no driver name for [sql.Open]: a D1 database is a Go value made
// by a backend package, not a string, and this package imports no backend.
//
// # Sessions
//
// [NewConnector] runs every statement on the client, that is on the primary.
// [SessionConnector] runs every statement in one [d1.Session], so the
// *sql.DB reads its own writes even when replicas lag; its bookmark is the
// session's. With [WithSessionFromContext], one *sql.DB runs each call in
// the session found in the call's context, such as the per-request session
// of package d1http.
//
// # Statements and rows
//
// Statements come from the statement cache of the client or session they
// run on; [sql.DB.Prepare] adds nothing but an early check of the SQL
// (empty, or longer than D1 allows). Queries read D1's raw mode, so rows keep
// every column, duplicate names included, and report column names even when
// there are no rows. D1 returns no declared column types:
// ColumnTypeDatabaseTypeName reports the SQLite storage class of a column's
// first non-NULL value. A missing row is [sql.ErrNoRows], from database/sql.
// Exec results report D1's meta: RowsAffected is meta.changes and
// LastInsertId is meta.last_row_id.
//
// Parameters are ?, ?NNN, :name, @name and $name, numbered as SQLite numbers
// them; an [sql.Named] argument binds to the parameter of that name with any
// of the three prefixes, and plain arguments bind in order.
//
// # Values
//
// Arguments follow [d1.Normalize]: nil, bool, integers within ±(2^53-1),
// floats, string, []byte, pointers, and [driver.Valuer] values (asked for
// their value first). A [time.Time] binds as text in UTC, in
// [DefaultTimeFormat] (fixed-width RFC 3339 with nanoseconds, so text order
// is time order) or the layout given by [WithTimeFormat]. Values come back as
// int64, float64, string, []byte or nil, as from the d1 package; D1 returns
// no column types, so text comes back as text unless [WithParseTime] is on.
//
// # Transactions
//
// D1 has no interactive transactions: BEGIN and SAVEPOINT are refused, and
// the only way to make several statements atomic is a batch. A d1sql
// transaction is therefore a batch being collected: ExecContext inside it
// queues the statement and returns at once, and Commit runs everything queued
// as one [d1.Client.Batch] (or [d1.Session.Batch]), so that all of it applies
// or none does; Rollback discards the queue. This keeps code written against
// database/sql's transactions (such as sqlc's Queries.WithTx) atomic, within
// what a batch can do, and it cannot be misused silently:
//
//   - A query inside a transaction fails with [ErrQueryInTx], because it
//     would run before the queued writes and could not see them. Read before
//     BeginTx, or after Commit. This includes INSERT ... RETURNING.
//   - A queued statement's LastInsertId and RowsAffected fail with
//     [ErrResultPending] until Commit has run it; after a successful Commit
//     they report the statement's own result.
//   - An error in the SQL, or a violated constraint, surfaces at Commit, as
//     the error of the statement that failed, and nothing is applied.
//   - Read-only transactions are refused with [ErrReadOnlyTx]: D1 cannot
//     give several reads one snapshot.
//
// A statement cannot depend on a value computed by Go from an earlier
// statement of the same transaction; write it in SQL instead (for example
// with a subquery or last_insert_rowid()).
package d1sql
