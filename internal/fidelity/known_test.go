package fidelity_test

// knownDifferences are the differences between local and workerd's D1 that
// are understood and accepted: each is a deliberate choice or a documented
// limit of local (see local's package documentation and meta.go). Keep this
// short: every entry is a place where local does not behave as D1 does.
var knownDifferences = []knownDifference{
	{scenario: "integers beyond 2^53", aspect: "rows",
		reason: "local returns INTEGERs exactly; D1 returns them as JavaScript numbers, rounded (documented in package d1)"},
	{scenario: "more than 32 function arguments", sql: "max(",
		reason: "local follows D1's documented limit of 32 function arguments; workerd accepts up to SQLite's 127"},
	{scenario: "delete with limit without rowid", sql: "DELETE FROM wr LIMIT 1",
		reason: "local rewrites DELETE ... LIMIT by rowid (its SQLite lacks the LIMIT clause), which a WITHOUT ROWID table has not"},
	{scenario: "session bookmarks", aspect: "bookmark",
		reason: "local's bookmark advances with each transaction that writes; workerd's with every query"},
	{sql: "count(*)", aspect: "meta.rows_read",
		reason: "local counts 1 row read for count(*); D1 counts the table's rows (local/meta.go)"},
	{scenario: "virtual tables", aspect: "meta.rows_read",
		reason: "local does not count steps of virtual tables (json_each, FTS5, pragma tables) as rows read (local/meta.go)"},
	{sql: "CREATE INDEX", aspect: "meta.rows_*",
		reason: "local does not count the rows an index build reads and writes (local/meta.go)"},
	{scenario: "fresh database", sql: "total_changes()", aspect: "rows",
		reason: "workerd writes its bookmark to _cf_METADATA after every query, which total_changes() counts; local writes it once per handle"},
	{sql: "PRAGMA data_version", aspect: "rows",
		reason: "workerd's data_version counts a commit of its storage layer (cause not pinned down) that local does not make"},
	{sql: "DROP ", aspect: "meta.rows_*",
		reason: "local's estimate counts the schema-table row a DROP deletes and the seeks around it; D1's counters do not"},
	{scenario: "foreign keys are on", aspect: "meta.rows_read",
		reason: "local does not count the seeks of foreign key checks and cascades, which run in sub-programs (local/meta.go)"},
	{sql: "ANALYZE", aspect: "meta.rows_*",
		reason: "local's ANALYZE also fills sqlite_stat4 (this SQLite is built with STAT4) before dropping it, and counts those rows"},
	{sql: "RENAME TO", aspect: "meta.rows_*",
		reason: "ALTER TABLE rewrites the schema through nested statements that local's estimate sees only in part"},
	{scenario: "compound select", aspect: "meta.rows_read",
		reason: "D1 counts steps through the temporary tables of UNION, INTERSECT and EXCEPT; local's estimate does not"},
	{sql: "WITHOUT ROWID", aspect: "meta.rows_written",
		reason: "local's estimate counts the schema row of the primary key index, which D1 does not"},
	{scenario: "virtual tables", sql: "pragma_table_list", aspect: "rows",
		reason: "rows come in the order of SQLite's schema hash, which depends on how a connection loaded the schema: local reads on a pooled connection, workerd on the one that made the tables"},
	{scenario: "several statements in one prepare", sql: "SELECT 1 AS one; SELECT 2 AS two",
		reason: "workerd caches a multi-statement query's last statement and refuses to re-run it while a previous run's cursor is open (\"can only be executed once at a time\"), depending on cursor lifetime; local runs it"},
}
