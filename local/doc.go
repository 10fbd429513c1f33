// Package local is the embedded D1: a [d1.Database] over SQLite
// (modernc.org/sqlite, driven through zombiezen.com/go/sqlite) that behaves
// like Cloudflare D1 as workerd's local D1 shows it. It is the default
// backend for development and tests.
//
//	db, err := local.Open("data/app.sqlite", nil) // or "" for in-memory
//	...
//	client := d1.New(db)
//
// # What it emulates
//
// Every statement runs in its own transaction, as on D1, so PRAGMA
// foreign_keys = OFF has no effect and BEGIN, COMMIT and SAVEPOINT are
// refused with D1's message. D1's authorizer rules apply, as workerd applies
// them: no ATTACH, no temporary objects, only D1's PRAGMAs, only the virtual
// table modules fts5 and fts5vocab, no names beginning with "_cf_", and
// functions such as sqlite_version() are refused. D1's limits apply: 100
// bound parameters, 100,000-byte statements, 100 columns, 5 terms in a
// compound SELECT, 50-byte LIKE and GLOB patterns, 32 function arguments,
// 2,000,000-byte values, expression depth 100 and trigger depth 10. Errors
// are [*d1.Error] values with D1's exact texts, including SQLite's result
// codes and error offsets.
//
// Values bind as D1 binds JavaScript values: every number, even a whole
// one, binds as a REAL. Results follow D1's number rule: a REAL that is
// whole and within ±2^53 comes back as int64, ±Inf as nil. An INTEGER comes
// back exactly as int64 even beyond 2^53, where D1 itself would lose
// precision.
//
// A prepared statement holding several statements runs them all, atomically,
// and returns the last one's rows, as D1 does. DELETE ... LIMIT and
// UPDATE ... LIMIT, which D1's SQLite accepts and this build does not, are
// rewritten to select the affected rows by rowid; on a WITHOUT ROWID table
// they fail.
//
// # Meta and bookmarks
//
// Result meta is filled as workerd fills it, with served_by "local".
// rows_read and rows_written are estimates of D1's counters (see the
// comment in meta.go for where they differ). last_row_id is the writer
// connection's last insert rowid and persists across queries, as on D1.
//
// Bookmarks have D1's form and order. A bookmark is an (epoch, sequence)
// pair: the epoch lives in the database file, in D1's own _cf_METADATA table
// (created, as workerd creates it, after the first query that succeeds), and
// a handle advances it once, with its first successful query; the sequence is
// counted in memory and advances with each transaction that writes, so a
// commit costs no extra write. Bookmarks grow strictly with each commit of a
// handle and sort after every bookmark of an earlier handle on the same file.
// Two handles (or processes) open on one file at once each order their own
// bookmarks; as every query runs on the primary, which has the newest data,
// a session still reads its own writes. Reads report the handle's newest
// commit.
//
// # Read replicas
//
// With [Options.Replicas] set, the DB simulates D1's read replicas, so that
// code which forgets to carry the bookmark from one request to the next
// fails on a laptop as it would in production:
//
//	db, err := local.Open("", &local.Options{Replicas: 2, ManualReplication: true})
//	...
//	db.AdvanceReplicas(ctx) // in manual mode, replicas move only when told
//
// A replica shows a committed prefix of the primary's history, never half a
// batch: it is a WAL snapshot taken at a commit of the writer, held open by a
// dedicated connection and opened by the reader connections
// (sqlite3_snapshot_open), so replicas serve reads in parallel. A replica
// catches up after [Options.ReplicaLag] (or a random time up to
// [Options.ReplicaLagMax]), lazily, when a query arrives; with
// [Options.ManualReplication] only [DB.AdvanceReplicas] and
// [DB.AdvanceReplica] move it. While a replica lags, checkpoints stop at its
// snapshot and the WAL grows; it shrinks back once every replica has caught
// up. An in-memory database with replicas is kept in a temporary file,
// because snapshots need WAL mode.
//
// Routing follows D1. Writes, and every query made on the DB itself, go to
// the primary. In a session, the first query of "first-unconstrained" (or
// "") may go to any replica, whatever its lag; "first-primary" sends it to
// the primary. A session opened with a bookmark, and every query after a
// session's first, is served by a replica at least as new as the session's
// bookmark, or by the primary when none is: queries never wait for a replica
// to catch up. A bookmark the local backend cannot read is kept, as workerd
// keeps it, and the session's first query goes to the primary, the only
// place sure to be new enough. Meta reports served_by_primary and
// served_by_region: "WEUR" for the primary, "ENAM", "APAC", "WNAM", "EEUR"
// and "OC" for the replicas. Without replicas these fields are left out, as
// workerd leaves them out.
//
// A replica's position is the handle's commit sequence, the one in its
// bookmarks: it follows this handle's commits. A read on a replica has the
// bookmark of the replica's position; a session's read on the primary
// starts under the writer lock, so its bookmark names exactly what it saw.
//
// # Concurrency
//
// A DB is safe for concurrent use. Statements that write run one at a time
// on a single writer connection; statements that only read run on a pool of
// reader connections, in parallel. A file database uses WAL mode, so reads
// do not wait for writes. An in-memory database has no WAL: its reads wait
// while a write transaction runs, and a write waits for running reads.
//
// Cancelling a query's context interrupts it (sqlite3_interrupt, repeated
// until the query returns) and the query returns an error that matches the
// context's error with errors.Is; waits for the writer or for a reader are
// cancelled too. Two processes, or two DBs in one process, may open the same
// file; a write then waits for the other's write lock for up to
// [Options.BusyTimeout], and that wait is not cut short by cancellation.
//
// # Speed
//
// The statement path is kept lean: statements are cached per connection by
// SQL text, what the backend learns about a SQL text (whether it writes) is
// cached once for all connections, result rows are read in place from
// SQLite's result registers, and values are boxed from a few blocks per
// result. bench_test.go compares the backend with zombiezen on the same
// database in the same run.
//
// # Known differences from D1
//
// Workerd's local D1 is the reference. Where D1's documentation is stricter
// than workerd, this package follows the documentation: at most 32 function
// arguments are accepted (workerd accepts more). Strings, blobs and rows may
// hold up to 2,200,000 bytes, workerd's SQLITE_LIMIT_LENGTH. Where the
// documentation is more permissive, workerd is followed: rtree virtual tables
// and PRAGMA page_size are refused. Bookmarks advance with each transaction
// that writes, not with each query as in workerd, which writes its bookmark
// to _cf_METADATA after every query; so total_changes() and PRAGMA
// data_version read lower than in workerd. A function D1's SQLite lacks
// (soundex, unistr, the geopoly functions) answers "no such function" only
// when called with a valid number of arguments. ANALYZE and PRAGMA optimize
// leave no sqlite_stat4 table (this SQLite builds one; D1's does not).
package local
