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
	{scenario: "values over 2,000,000 bytes", sql: "2000001",
		reason: "local follows D1's documented 2 MB limit per value; workerd accepts more"},
	{scenario: "delete with limit without rowid", sql: "DELETE FROM wr LIMIT 1",
		reason: "local rewrites DELETE ... LIMIT by rowid (its SQLite lacks the LIMIT clause), which a WITHOUT ROWID table has not"},
	{scenario: "session bookmarks", aspect: "bookmark",
		reason: "local's bookmark advances with each transaction that writes; workerd's with every query"},
	{sql: "count(*)", aspect: "meta.rows_read",
		reason: "local counts 1 row read for count(*); D1 counts the table's rows (local/meta.go)"},
	{scenario: "virtual tables", aspect: "meta.rows_read",
		reason: "local does not count steps of virtual tables (json_each, FTS5, pragma tables) as rows read (local/meta.go)"},
	{sql: "CREATE INDEX", aspect: "meta.rows_written",
		reason: "local does not count the rows an index build writes (local/meta.go)"},
}
