package d1test

import (
	"testing"
)

var ruleTests = []test{
	{"transactions refused", testTransactionsRefused},
	{"not authorized", testNotAuthorized},
	{"pragmas", testPragmas},
	{"foreign keys", testForeignKeys},
	{"extensions", testExtensions},
	{"delete limit", testDeleteLimit},
}

const txnRefused = "D1_ERROR: To execute a transaction, please use the state.storage.transaction() or " +
	"state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements. " +
	"The JavaScript API is safer because it will automatically roll back on exceptions, and because it " +
	"interacts correctly with Durable Objects' automatic atomic write coalescing."

func testTransactionsRefused(t *testing.T, h *harness) {
	for _, q := range []string{"BEGIN", "BEGIN TRANSACTION", "COMMIT", "ROLLBACK", "SAVEPOINT a", "RELEASE a"} {
		_, err := h.client.Run(h.ctx, q)
		wantError(t, err, txnRefused)
	}
}

func testNotAuthorized(t *testing.T, h *harness) {
	const denied = "D1_ERROR: not authorized: SQLITE_AUTH"
	// D1 creates _cf_METADATA with the first write.
	h.exec(t, "CREATE TABLE "+Table("first_write")+" (a)")
	for _, q := range []string{
		"ATTACH 'x.db' AS x",
		"DETACH x",
		"CREATE TEMP TABLE " + Table("tmp") + " (a)",
		"CREATE TEMP VIEW " + Table("tmpv") + " AS SELECT 1",
		"CREATE VIRTUAL TABLE " + Table("vt") + " USING fts4(a)",
		"CREATE TABLE _cf_" + Table("x") + " (a)",
		"PRAGMA user_version",
		"PRAGMA journal_mode",
		"PRAGMA page_size", // D1's documentation allows it; workerd's D1 refuses it
		"INSERT INTO _cf_METADATA VALUES (99, 1)",
		"DROP TABLE _cf_METADATA",
	} {
		_, err := h.client.Run(h.ctx, q)
		wantError(t, err, denied)
	}
	_, err := h.client.All(h.ctx, "SELECT * FROM _cf_METADATA")
	wantError(t, err, "D1_ERROR: access to _cf_METADATA.key is prohibited: SQLITE_AUTH")
	_, err = h.client.All(h.ctx, "SELECT sqlite_version()")
	wantError(t, err, "D1_ERROR: not authorized to use function: sqlite_version at offset 7: SQLITE_ERROR")
}

func testPragmas(t *testing.T, h *harness) {
	tbl := Table("prag")
	h.exec(t, "CREATE TABLE "+tbl+" (id INTEGER PRIMARY KEY, name TEXT)")
	for _, q := range []string{
		"PRAGMA table_list", "PRAGMA table_info(" + tbl + ")", "PRAGMA table_xinfo(" + tbl + ")",
		"PRAGMA index_list(" + tbl + ")", "PRAGMA foreign_key_list(" + tbl + ")", "PRAGMA foreign_key_check",
		"PRAGMA foreign_keys", "PRAGMA defer_foreign_keys", "PRAGMA case_sensitive_like = true",
		"PRAGMA quick_check", "PRAGMA optimize", "PRAGMA data_version",
	} {
		if _, err := h.client.All(h.ctx, q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
	res := h.all(t, "PRAGMA table_info("+tbl+")")
	if len(res.Rows) != 2 || res.Rows[1][1] != "name" {
		t.Errorf("table_info = %v", res.Rows)
	}
}

// testForeignKeys: enforced by default; PRAGMA foreign_keys = off has no effect.
func testForeignKeys(t *testing.T, h *harness) {
	row := h.firstRow(t, "PRAGMA foreign_keys")
	if !sameValue(row.Values[0], int64(1)) {
		t.Errorf("foreign_keys = %v, want 1", row.Values[0])
	}
	h.exec(t, "PRAGMA foreign_keys = off")
	row = h.firstRow(t, "PRAGMA foreign_keys")
	if !sameValue(row.Values[0], int64(1)) {
		t.Errorf("after PRAGMA foreign_keys = off: %v, want still 1", row.Values[0])
	}
	p, c := Table("fkp"), Table("fkc")
	h.exec(t, "CREATE TABLE "+p+" (id INTEGER PRIMARY KEY)")
	h.exec(t, "CREATE TABLE "+c+" (id INTEGER PRIMARY KEY, p INTEGER REFERENCES "+p+"(id) ON DELETE CASCADE)")
	h.exec(t, "INSERT INTO "+p+" VALUES (1)")
	h.exec(t, "INSERT INTO "+c+" (p) VALUES (1)")
	h.exec(t, "DELETE FROM "+p)
	res := h.all(t, "SELECT count(*) FROM "+c)
	if !sameValue(res.Rows[0][0], int64(0)) {
		t.Errorf("ON DELETE CASCADE left %v child rows", res.Rows[0][0])
	}
}

func testExtensions(t *testing.T, h *harness) {
	res := h.all(t, "SELECT json_extract('{\"a\":[1,2]}', '$.a[1]') AS j, sqrt(16) AS s, unixepoch() > 0 AS u")
	if !sameValue(res.Rows[0][0], int64(2)) || !sameValue(res.Rows[0][1], int64(4)) || !sameValue(res.Rows[0][2], int64(1)) {
		t.Errorf("json/math = %v", res.Rows[0])
	}
	f := Table("fts")
	h.exec(t, "CREATE VIRTUAL TABLE "+f+" USING fts5(body)")
	h.exec(t, "INSERT INTO "+f+" (body) VALUES ('the quick brown fox'), ('lazy dog')")
	res = h.all(t, "SELECT body FROM "+f+" WHERE "+f+" MATCH 'quick'")
	if len(res.Rows) != 1 || res.Rows[0][0] != "the quick brown fox" {
		t.Errorf("fts5 match = %v", res.Rows)
	}
}

func testDeleteLimit(t *testing.T, h *harness) {
	tbl := Table("dl")
	h.exec(t, "CREATE TABLE "+tbl+" (id INTEGER PRIMARY KEY, v INTEGER)")
	h.exec(t, "INSERT INTO "+tbl+" (v) VALUES (1), (2), (3), (4)")
	res := h.exec(t, "DELETE FROM "+tbl+" WHERE v > 1 ORDER BY v DESC LIMIT 2")
	if res.Meta.Changes != 2 {
		t.Errorf("DELETE ... LIMIT 2 changed %d rows", res.Meta.Changes)
	}
	left := h.all(t, "SELECT v FROM "+tbl+" ORDER BY v")
	if len(left.Rows) != 2 || !sameValue(left.Rows[1][0], int64(2)) {
		t.Errorf("left = %v, want [1 2]", left.Rows)
	}
	res = h.exec(t, "UPDATE "+tbl+" SET v = 9 LIMIT 1")
	if res.Meta.Changes != 1 {
		t.Errorf("UPDATE ... LIMIT 1 changed %d rows", res.Meta.Changes)
	}
}
