package local_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lunora-go/d1"
)

// The texts below were observed in workerd's local D1 (miniflare
// 4.20260426.0) for the same statements.

const txnRefused = "D1_ERROR: To execute a transaction, please use the state.storage.transaction() or " +
	"state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements. " +
	"The JavaScript API is safer because it will automatically roll back on exceptions, and because it " +
	"interacts correctly with Durable Objects' automatic atomic write coalescing."

const denied = "D1_ERROR: not authorized: SQLITE_AUTH"

func TestErrorTexts(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	for _, q := range []string{
		"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, n INTEGER CHECK (n > 0), p INTEGER REFERENCES t(id))",
		"INSERT INTO t (id, name, n) VALUES (1, 'a', 1)",
		"CREATE TABLE s (a INTEGER) STRICT",
	} {
		run(t, db, q)
	}
	long := "SELECT " + strings.Repeat("?,", 100) + "?"
	tests := []struct {
		query string
		args  []any
		want  string
		codes [2]d1.ResultCode // primary, extended
	}{
		{query: "SELEC 1", want: `D1_ERROR: near "SELEC": syntax error at offset 0: SQLITE_ERROR`, codes: [2]d1.ResultCode{d1.ResultError}},
		{query: "SELECT * FROM nosuch", want: "D1_ERROR: no such table: nosuch: SQLITE_ERROR"},
		{query: "SELECT nosuch FROM t", want: "D1_ERROR: no such column: nosuch at offset 7: SQLITE_ERROR"},
		{query: "SELECT * FROM t WHERE", want: "D1_ERROR: incomplete input: SQLITE_ERROR"},
		{query: "INSERT INTO t (id, name, n) VALUES (2, 'a', 1)", want: "D1_ERROR: UNIQUE constraint failed: t.name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)",
			codes: [2]d1.ResultCode{d1.ResultConstraint, d1.ResultConstraintUnique}},
		{query: "INSERT INTO t (id, name, n) VALUES (1, 'b', 1)", want: "D1_ERROR: UNIQUE constraint failed: t.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)"},
		{query: "INSERT INTO t (id, name, n) VALUES (3, NULL, 1)", want: "D1_ERROR: NOT NULL constraint failed: t.name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_NOTNULL)"},
		{query: "INSERT INTO t (id, name, n) VALUES (4, 'd', 0)", want: "D1_ERROR: CHECK constraint failed: n > 0: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_CHECK)"},
		{query: "INSERT INTO t (id, name, n, p) VALUES (5, 'e', 1, 99)", want: "D1_ERROR: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_FOREIGNKEY)"},
		{query: "INSERT INTO s VALUES ('x')", want: "D1_ERROR: cannot store TEXT value in INTEGER column s.a: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_DATATYPE)"},
		{query: "SELECT abs(-9223372036854775808)", want: "D1_ERROR: integer overflow: SQLITE_ERROR"},
		{query: "SELECT * FROM t ORDER BY name COLLATE nosuch", want: "D1_ERROR: no such collation sequence: nosuch: SQLITE_ERROR (extended: SQLITE_ERROR_MISSING_COLLSEQ)"},
		{query: "SELECT nosuchfn(1)", want: "D1_ERROR: no such function: nosuchfn at offset 7: SQLITE_ERROR"},
		{query: "SELECT max()", want: "D1_ERROR: wrong number of arguments to function max() at offset 7: SQLITE_ERROR"},
		{query: "SELECT sqlite_version()", want: "D1_ERROR: not authorized to use function: sqlite_version at offset 7: SQLITE_ERROR"},
		{query: "SELECT json_pretty('[1]')", want: "D1_ERROR: not authorized to use function: json_pretty at offset 7: SQLITE_ERROR"},
		{query: "SELECT soundex('x')", want: "D1_ERROR: no such function: soundex at offset 7: SQLITE_ERROR"},
		{query: "SELECT load_extension('x')", want: "D1_ERROR: not authorized: SQLITE_ERROR"},
		{query: "SELECT 'a' REGEXP 'b'", want: "D1_ERROR: no such function: REGEXP at offset 11: SQLITE_ERROR"},
		{query: long, args: make([]any, 101), want: "D1_ERROR: too many SQL variables at offset 207: SQLITE_ERROR"},
		{query: "SELECT ?101", want: "D1_ERROR: variable number must be between ?1 and ?100 at offset 7: SQLITE_ERROR"},
		{query: "SELECT 'a' LIKE ?", args: []any{strings.Repeat("x", 51)}, want: "D1_ERROR: LIKE or GLOB pattern too complex: SQLITE_ERROR"},
		{query: "SELECT 'a' GLOB '" + strings.Repeat("x", 51) + "'", want: "D1_ERROR: LIKE or GLOB pattern too complex: SQLITE_ERROR"},
		{query: "SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6", want: "D1_ERROR: too many terms in compound SELECT: SQLITE_ERROR"},
		{query: "SELECT " + strings.Repeat("1,", 100) + "1", want: "D1_ERROR: too many columns in result set: SQLITE_ERROR"},
		{query: "SELECT 1 " + strings.Repeat("+1", 100), want: "D1_ERROR: Expression tree is too large (maximum depth 100): SQLITE_ERROR"},
		{query: "SELECT 1 -- " + strings.Repeat("x", d1.MaxSQLLength), want: "D1_ERROR: statement too long: SQLITE_TOOBIG"},
		{query: "SELECT max(" + strings.Repeat("1,", 32) + "1)", want: "D1_ERROR: too many arguments on function max at offset 7: SQLITE_ERROR"},
		// workerd's SQLITE_LIMIT_LENGTH is 2,200,000 bytes.
		{query: "SELECT length(?)", args: []any{strings.Repeat("x", 2_200_001)}, want: "D1_ERROR: string or blob too big: SQLITE_TOOBIG"},
		{query: "SELECT zeroblob(2200001)", want: "D1_ERROR: string or blob too big: SQLITE_TOOBIG"},
		{query: "UPDATE sqlite_master SET sql = 'x'", want: "D1_ERROR: table sqlite_master may not be modified: SQLITE_ERROR"},
		{query: "VACUUM", want: "D1_ERROR: cannot VACUUM from within a transaction: SQLITE_ERROR"},
		{query: "DELETE FROM t ORDER BY id", want: "D1_ERROR: ORDER BY without LIMIT on DELETE: SQLITE_ERROR"},
		{query: "SELECT * FROM dbstat", want: "D1_ERROR: no such table: dbstat: SQLITE_ERROR"},
	}
	for _, tt := range tests {
		_, err := bound(t, db.Prepare(tt.query), tt.args...).All(ctx)
		got := errText(err)
		if got != tt.want {
			t.Errorf("%.60q:\n got %s\nwant %s", tt.query, got, tt.want)
			continue
		}
		var e *d1.Error
		if !errors.As(err, &e) {
			t.Errorf("%.60q: %T is not a *d1.Error", tt.query, err)
			continue
		}
		if back := d1.ParseError(got); *back != *e {
			t.Errorf("%.60q: ParseError(Error()) = %+v, want %+v", tt.query, back, e)
		}
		if tt.codes[0] != 0 && (e.Primary != tt.codes[0] || e.Extended != tt.codes[1]) {
			t.Errorf("%.60q: codes %v %v, want %v", tt.query, e.Primary, e.Extended, tt.codes)
		}
	}
	// Limits that are not exceeded.
	for _, q := range []string{
		"SELECT max(" + strings.Repeat("1,", 31) + "1)",
		"SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5",
		"SELECT 'a' LIKE '" + strings.Repeat("x", 50) + "'",
		"SELECT length(zeroblob(2000000))",
		"SELECT 1 -- " + strings.Repeat("x", d1.MaxSQLLength-12),
	} {
		if _, err := db.Prepare(q).All(ctx); err != nil {
			t.Errorf("%.60q: %v", q, err)
		}
	}
	if _, err := bound(t, db.Prepare("SELECT length(?)"), strings.Repeat("x", d1.MaxValueSize)).All(ctx); err != nil {
		t.Errorf("a value of MaxValueSize bytes: %v", err)
	}
	// A row holding a value of MaxValueSize bytes fits, as in workerd.
	if _, err := db.Prepare("CREATE TABLE big (t, n)").Run(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := bound(t, db.Prepare("INSERT INTO big VALUES (?, NULL)"), strings.Repeat("x", d1.MaxValueSize)).Run(ctx); err != nil {
		t.Errorf("a row with a value of MaxValueSize bytes: %v", err)
	}
}

func TestAuthorizer(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	run(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
	refused := map[string]string{
		"BEGIN":             txnRefused,
		"BEGIN TRANSACTION": txnRefused,
		"COMMIT":            txnRefused,
		"END":               txnRefused,
		"ROLLBACK":          txnRefused,
		"SAVEPOINT a":       txnRefused,
		"RELEASE a":         txnRefused,
		"BEGIN; INSERT INTO t VALUES (9, 'x'); COMMIT": txnRefused,
		"ATTACH 'x.db' AS x":                           denied,
		"DETACH x":                                     denied,
		"CREATE TEMP TABLE tt (a)":                     denied,
		"CREATE TEMP VIEW tv AS SELECT 1":              denied,
		"CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END": denied,
		"CREATE VIRTUAL TABLE v4 USING fts4(a)":                        denied,
		"CREATE VIRTUAL TABLE r USING rtree(id, a, b)":                 denied,
		"CREATE VIRTUAL TABLE g USING geopoly(a)":                      denied,
		"CREATE TABLE _cf_x (a)":                                       denied,
		"CREATE INDEX _cf_i ON t (name)":                               denied,
		"CREATE VIEW _cf_v AS SELECT 1":                                denied,
		"CREATE TRIGGER _cf_tr AFTER INSERT ON t BEGIN SELECT 1; END":  denied,
		"INSERT INTO _cf_METADATA VALUES (5, 'x')":                     denied,
		"DELETE FROM _cf_METADATA":                                     denied,
		"DROP TABLE _cf_METADATA":                                      denied,
		"PRAGMA table_info(_cf_METADATA)":                              denied,
		"PRAGMA temp.table_info(t)":                                    denied,
		"SELECT * FROM _cf_METADATA":                                   "D1_ERROR: access to _cf_METADATA.key is prohibited: SQLITE_AUTH",
		"SELECT * FROM pragma_function_list":                           denied,
	}
	for _, q := range []string{
		"user_version", "journal_mode", "page_size", "page_count", "integrity_check", "function_list",
		"schema_version", "cache_size", "table_info", "foreign_key_list", "index_list",
		"data_version = 3", "foreign_keys = 2", "reverse_unordered_selects = maybe",
	} {
		refused["PRAGMA "+q] = denied
	}
	for q, want := range refused {
		_, err := db.Prepare(q).Run(ctx)
		if got := errText(err); got != want {
			t.Errorf("%s:\n got %s\nwant %s", q, got, want)
		}
	}
	allowed := []string{
		"PRAGMA table_list", "PRAGMA table_list(t)", "PRAGMA table_info(t)", "PRAGMA main.table_info(t)",
		"PRAGMA table_xinfo(t)", "PRAGMA index_list(t)", "PRAGMA foreign_key_list(t)", "PRAGMA foreign_key_check",
		"PRAGMA foreign_key_check(t)", "PRAGMA foreign_keys", "PRAGMA foreign_keys = 'yes'", "PRAGMA foreign_keys = onx",
		"PRAGMA defer_foreign_keys", "PRAGMA case_sensitive_like", "PRAGMA ignore_check_constraints = off",
		"PRAGMA legacy_alter_table", "PRAGMA recursive_triggers = 0", "PRAGMA reverse_unordered_selects = false",
		"PRAGMA quick_check", "PRAGMA quick_check(5)", "PRAGMA optimize", "PRAGMA data_version",
		"CREATE TABLE _CF_upper (a)", "CREATE TABLE x_cf_ (_cf_col)",
		"CREATE VIRTUAL TABLE f USING fts5(a)", "CREATE VIRTUAL TABLE fv USING fts5vocab(f, 'row')",
		"SELECT * FROM sqlite_master", "SELECT * FROM temp.sqlite_master", "SELECT * FROM json_each('[1]')",
		"SELECT * FROM pragma_table_info('t')", "ANALYZE", "REINDEX", "EXPLAIN SELECT 1",
		"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3) SELECT * FROM c",
		"SELECT \"double-quoted string\"", "ALTER TABLE t ADD COLUMN c", "ALTER TABLE t RENAME COLUMN c TO d",
		"ALTER TABLE t DROP COLUMN d", "ALTER TABLE t RENAME TO _cf_renamed",
	}
	for _, q := range allowed {
		if _, err := db.Prepare(q).Run(ctx); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
}

func TestConnectionPragmasApplyEverywhere(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	like := db.Prepare("SELECT 'A' LIKE 'a'")
	for range 4 {
		if got := run(t, db, "SELECT 'A' LIKE 'a'").Rows[0][0]; got != int64(1) {
			t.Fatalf("LIKE before the pragma = %v", got)
		}
	}
	run(t, db, "PRAGMA case_sensitive_like = ON")
	// D1 keeps the setting on its one connection: every reader sees it.
	for range 8 {
		res, err := like.All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Rows[0][0]; got != int64(0) {
			t.Fatalf("LIKE after PRAGMA case_sensitive_like = ON: %v, want 0", got)
		}
	}
	run(t, db, "PRAGMA legacy_alter_table = on")
	if got := run(t, db, "PRAGMA legacy_alter_table").Rows[0][0]; got != int64(1) {
		t.Errorf("legacy_alter_table = %v, want 1", got)
	}
}

func TestConnectionFunctions(t *testing.T) {
	db := open(t)
	run(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v)")
	run(t, db, "INSERT INTO t (v) VALUES (1), (2), (3)")
	res := run(t, db, "SELECT changes() AS c, last_insert_rowid() AS l")
	if got := res.Rows[0]; got[0] != int64(3) || got[1] != int64(3) {
		t.Errorf("changes(), last_insert_rowid() = %v, want the last write's 3 and 3", got)
	}
}
