package fidelity_test

import (
	"math"
	"strings"
)

// vars returns "?, ?, ..., ?" with n placeholders, and n values.
func vars(n int) (string, []any) {
	args := make([]any, n)
	for i := range args {
		args[i] = i
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", "), args
}

func unions(n int) string {
	terms := make([]string, n)
	for i := range terms {
		terms[i] = "SELECT " + string(rune('1'+i))
	}
	return strings.Join(terms, " UNION ")
}

var (
	vars100, args100 = vars(100)
	vars101, args101 = vars(101)
)

const people = "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, age INTEGER CHECK (age >= 0), score REAL, avatar BLOB)"

var seedPeople = batch(
	st(people),
	st("INSERT INTO people (name, age, score, avatar) VALUES (?, ?, ?, ?)", "ada", 36, 9.5, []byte{1, 2, 3}),
	st("INSERT INTO people (name, age, score, avatar) VALUES (?, ?, ?, ?)", "bob", 41, nil, nil),
	st("INSERT INTO people (name, age, score, avatar) VALUES (?, ?, ?, ?)", "cy", 7, 3.25, []byte{}),
)

const allTypes = "CREATE TABLE c (id INTEGER PRIMARY KEY, t TEXT, n NUMERIC, r REAL, i INTEGER, b BLOB, z)"

var scenarios = []scenario{
	// A fresh database.
	{"fresh database", []step{
		all("SELECT 1 AS one"),
		all("SELECT 2 AS two"),
		all("SELECT changes(), total_changes(), last_insert_rowid()"),
		all("PRAGMA data_version"),
		all("SELECT name FROM sqlite_master"),
	}, true},
	{"fresh database, failed first query", []step{
		run("SELEC 1"),
		all("SELECT changes(), total_changes(), last_insert_rowid()"),
		all("SELECT 1"),
	}, true},
	{"fresh database, first query creates a table", []step{
		run("CREATE TABLE f (id INTEGER PRIMARY KEY, v)"),
		run("INSERT INTO f (v) VALUES (1)"),
		all("SELECT * FROM f"),
		all("PRAGMA table_list"),
	}, true},
	// Modes.
	{"modes", []step{
		seedPeople,
		all("SELECT id, name, age, score, avatar FROM people ORDER BY id"),
		run("SELECT id, name, age, score, avatar FROM people ORDER BY id"),
		first("SELECT id, name, age, score, avatar FROM people ORDER BY id"),
		raw("SELECT id, name, age, score, avatar FROM people ORDER BY id"),
	}, false},
	{"modes with no rows", []step{
		seedPeople,
		all("SELECT id, name FROM people WHERE id < 0"),
		run("SELECT id, name FROM people WHERE id < 0"),
		first("SELECT id, name FROM people WHERE id < 0"),
		raw("SELECT id, name FROM people WHERE id < 0"),
	}, false},
	{"writes in every mode", []step{
		run("CREATE TABLE w (id INTEGER PRIMARY KEY, v)"),
		run("INSERT INTO w (v) VALUES (1)"),
		all("INSERT INTO w (v) VALUES (2)"),
		first("INSERT INTO w (v) VALUES (3)"),
		raw("INSERT INTO w (v) VALUES (4)"),
		all("INSERT INTO w (v) VALUES (5) RETURNING id, v"),
		raw("UPDATE w SET v = v * 10 RETURNING id, v"),
		run("DELETE FROM w WHERE id > 3"),
		all("SELECT * FROM w"),
	}, false},
	{"meta of ddl and dml", []step{
		run("CREATE TABLE m (id INTEGER PRIMARY KEY, v TEXT)"),
		run("CREATE INDEX m_v ON m (v)"),
		run("INSERT INTO m (v) VALUES ('a'), ('b'), ('c')"),
		run("UPDATE m SET v = 'z' WHERE id >= 2"),
		run("SELECT * FROM m"),
		run("SELECT * FROM m WHERE v = 'z'"),
		run("DELETE FROM m"),
		run("DROP INDEX m_v"),
		run("DROP TABLE m"),
	}, false},
	{"last_row_id persists", []step{
		run("CREATE TABLE l (id INTEGER PRIMARY KEY, v)"),
		run("INSERT INTO l (id, v) VALUES (41, 'x')"),
		run("SELECT 1"),
		run("UPDATE l SET v = 'y'"),
		run("CREATE TABLE l2 (a)"),
		run("INSERT INTO l2 VALUES (1)"),
	}, false},
	{"duplicate column names", []step{
		all("SELECT 1 AS a, 2 AS a, 3 AS b"),
		raw("SELECT 1 AS a, 2 AS a, 3 AS b"),
		first("SELECT 1 AS a, 2 AS a, 3 AS b"),
	}, false},
	{"numeric column names", []step{
		all(`SELECT 1 AS b, 2 AS "10", 3 AS "2", 4 AS a`),
		raw(`SELECT 1 AS b, 2 AS "10", 3 AS "2", 4 AS a`),
		first(`SELECT 1 AS b, 2 AS "10", 3 AS "2", 4 AS a`),
	}, false},
	{"expression column names", []step{
		all("SELECT 1+1, count(*), 'x' || 'y', NULL FROM (SELECT 1)"),
		raw("select  lower( 'A' ) ,  ?", 5),
	}, false},

	// Values.
	{"bound values", []step{
		all("SELECT ?1 AS v, typeof(?1) AS t", nil),
		all("SELECT ?1 AS v, typeof(?1) AS t", 7),
		all("SELECT ?1 AS v, typeof(?1) AS t", -42),
		all("SELECT ?1 AS v, typeof(?1) AS t", int64(9007199254740991)),
		all("SELECT ?1 AS v, typeof(?1) AS t", -9007199254740991),
		all("SELECT ?1 AS v, typeof(?1) AS t", 2.5),
		all("SELECT ?1 AS v, typeof(?1) AS t", 2.0),
		all("SELECT ?1 AS v, typeof(?1) AS t", math.Copysign(0, -1)),
		all("SELECT ?1 AS v, typeof(?1) AS t", 5e-324),
		all("SELECT ?1 AS v, typeof(?1) AS t", 1.7976931348623157e308),
		all("SELECT ?1 AS v, typeof(?1) AS t", math.Inf(1)),
		all("SELECT ?1 AS v, typeof(?1) AS t", math.NaN()),
		all("SELECT ?1 AS v, typeof(?1) AS t", true),
		all("SELECT ?1 AS v, typeof(?1) AS t", false),
		all("SELECT ?1 AS v, typeof(?1) AS t", "text"),
		all("SELECT ?1 AS v, typeof(?1) AS t", ""),
		all("SELECT ?1 AS v, typeof(?1) AS t", "héllo ✓ \x00 nul"),
		all("SELECT ?1 AS v, typeof(?1) AS t", "7"),
		all("SELECT ?1 AS v, typeof(?1) AS t", []byte{0, 1, 2, 255}),
		all("SELECT ?1 AS v, typeof(?1) AS t", []byte{}),
		all("SELECT ?1 AS v, typeof(?1) AS t", []byte(nil)),
	}, false},
	{"values in typed columns", []step{
		run(allTypes),
		run("INSERT INTO c (t, n, r, i, b, z) VALUES (?, ?, ?, ?, ?, ?)", 7, 7, 7, 7, 7, 7),
		run("INSERT INTO c (t, n, r, i, b, z) VALUES (?, ?, ?, ?, ?, ?)", 2.5, 2.5, 2.5, 2.5, 2.5, 2.5),
		run("INSERT INTO c (t, n, r, i, b, z) VALUES (?, ?, ?, ?, ?, ?)", "8", "8", "8", "8", "8", "8"),
		run("INSERT INTO c (t, n, r, i, b, z) VALUES (?, ?, ?, ?, ?, ?)", "x", "x", "x", "x", "x", "x"),
		run("INSERT INTO c (t, n, r, i, b, z) VALUES (?, ?, ?, ?, ?, ?)", true, true, true, true, true, true),
		run("INSERT INTO c (t, n, r, i, b, z) VALUES (?, ?, ?, ?, ?, ?)",
			[]byte{9}, []byte{9}, []byte{9}, []byte{9}, []byte{9}, []byte{9}),
		run("INSERT INTO c (t, n, r, i, b, z) VALUES (?, ?, ?, ?, ?, ?)", nil, nil, nil, nil, nil, nil),
		run("INSERT INTO c (t, n, r, i, b, z) VALUES (?, ?, ?, ?, ?, ?)", "1e3", "1e3", "1e3", "1e3", "1e3", "1e3"),
		all("SELECT t, typeof(t), n, typeof(n), r, typeof(r), i, typeof(i), b, typeof(b), z, typeof(z) FROM c ORDER BY id"),
		raw("SELECT t, n, r, i, b, z FROM c ORDER BY id"),
	}, false},
	{"values SQLite makes", []step{
		raw("SELECT 2.0, 1e999, -1e999, x'0102', x'', -0.0, NULL, 'text', 0.1 + 0.2, 9007199254740991, 1e300"),
		all("SELECT 1/0 AS div0, 1.0/0 AS rdiv0, abs(-3) AS a, round(2.5) AS r, 10/4 AS idiv, 10/4.0 AS rdiv"),
		all("SELECT CAST('12abc' AS INTEGER) AS i, CAST(3.9 AS INTEGER) AS t, CAST(x'41' AS TEXT) AS s, CAST('1.5' AS REAL) AS r"),
		all("SELECT zeroblob(4) AS z, length(randomblob(0)) AS e, char(65, 0, 66) AS c, hex('é') AS h"),
		all("SELECT json_object('a', 1, 'b', json_array(1.5, 'x', NULL)) AS j, json_extract('{\"a\":[1,2]}', '$.a[1]') AS e"),
		all("SELECT sqrt(16) AS s, pow(2, 10) AS p, pi() AS pi, ln(1) AS l, ceil(1.2) AS c"),
		all("SELECT sum(x), avg(x), total(x), group_concat(x) FROM (SELECT 1 AS x UNION ALL SELECT 2)"),
		all("SELECT max(1, 2.5), min('a', 'b'), coalesce(NULL, NULL, 3), nullif(1, 1), iif(1, 'y', 'n')"),
		all("SELECT typeof(9223372036854775807 + 0), 9223372036854775807 + 1"),
	}, false},
	{"integers beyond 2^53", []step{
		raw("SELECT 9007199254740993, -9007199254740993, 9007199254740992"),
		all("SELECT 9223372036854775807 AS max, -9223372036854775808 AS min"),
		run("CREATE TABLE ib (i INTEGER)"),
		run("INSERT INTO ib VALUES (9007199254740993)"),
		all("SELECT i, i + 0 FROM ib"),
	}, false},
	{"large values", []step{
		run("CREATE TABLE big (t TEXT, b BLOB)"),
		run("INSERT INTO big VALUES (?, ?)", strings.Repeat("a", 100_000), make([]byte, 100_000)),
		all("SELECT length(t), length(b), t, b FROM big"),
		run("INSERT INTO big VALUES (?, NULL)", strings.Repeat("b", 1_999_000)),
		run("INSERT INTO big VALUES (?, NULL)", strings.Repeat("b", 2_000_000)),
		all("SELECT length(t) FROM big"),
	}, false},
	{"values over 2,000,000 bytes", []step{
		run("CREATE TABLE big (t TEXT)"),
		run("INSERT INTO big VALUES (?) -- 2000001", strings.Repeat("b", 2_000_001)),
		all("SELECT length(zeroblob(2000001))"),
	}, false},

	// Errors.
	{"syntax and schema errors", []step{
		run("SELEC 1"),
		run("SELECT * FROM nosuch"),
		run("SELECT nosuch FROM (SELECT 1 AS a)"),
		run("INSERT INTO nosuch VALUES (1)"),
		run("SELECT 1 FROM"),
		run("CREATE TABLE x (a"),
		run("SELECT 'unterminated"),
		run("SELECT nosuchfunc(1)"),
		run("SELECT abs(1, 2)"),
		run("CREATE TABLE dup (a)"),
		run("CREATE TABLE dup (a)"),
		run("SELECT a FROM dup, dup"),
		run("SELECT \"a\" FROM (SELECT 1 AS b)"),
	}, false},
	{"constraint errors", []step{
		seedPeople,
		run("INSERT INTO people (name) VALUES ('ada')"),
		run("INSERT INTO people (name) VALUES (NULL)"),
		run("INSERT INTO people (name, age) VALUES ('dee', -1)"),
		run("INSERT INTO people (id, name) VALUES (1, 'eve')"),
		run("UPDATE people SET name = 'ada' WHERE name = 'bob'"),
		run("CREATE TABLE parent (id INTEGER PRIMARY KEY)"),
		run("CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id))"),
		run("INSERT INTO child (p) VALUES (99)"),
		run("INSERT INTO parent VALUES (1)"),
		run("INSERT INTO child (p) VALUES (1)"),
		run("DELETE FROM parent"),
		run("CREATE TABLE strict_t (a INTEGER) STRICT"),
		run("INSERT INTO strict_t VALUES ('x')"),
		run("CREATE TABLE pk2 (a, b, PRIMARY KEY (a, b))"),
		run("INSERT INTO pk2 VALUES (1, 2), (1, 2)"),
	}, false},
	{"foreign keys are on", []step{
		run("CREATE TABLE fp (id INTEGER PRIMARY KEY)"),
		run("CREATE TABLE fc (id INTEGER PRIMARY KEY, p INTEGER REFERENCES fp (id) ON DELETE CASCADE)"),
		run("INSERT INTO fp VALUES (1), (2)"),
		run("INSERT INTO fc (p) VALUES (1), (1), (2)"),
		all("PRAGMA foreign_keys"),
		run("PRAGMA foreign_keys = OFF"),
		all("PRAGMA foreign_keys"),
		run("INSERT INTO fc (p) VALUES (3)"),
		run("DELETE FROM fp WHERE id = 1"),
		all("SELECT count(*) FROM fc"),
		all("PRAGMA foreign_key_check"),
		all("PRAGMA foreign_key_list(fc)"),
	}, false},
	{"integer overflow", []step{
		run("SELECT 9223372036854775807 + 1"),
		run("SELECT abs(-9223372036854775808)"),
		run("SELECT sum(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1)"),
	}, false},
	{"parameter errors", []step{
		run("SELECT ?"),
		run("SELECT ?", 1, 2),
		run("SELECT ?, ?", 1),
		run("SELECT ?2", 1),
		run("SELECT ?1, ?1", 1),
		run("SELECT :a, $b, @c", 1, 2, 3),
		run("SELECT :a, :a", 1),
		run("SELECT ?5", 1, 2, 3, 4, 5),
	}, false},
	{"empty sql", []step{
		run(""),
		run("   "),
		run("\n\t"),
		run("-- hi"),
		run("/* c */"),
		run(";"),
		run(" ; ; "),
		all("SELECT 1;"),
		all("SELECT 1; -- trailing"),
		exec(""),
		exec("-- only a comment"),
	}, false},

	// Refused SQL.
	{"transactions refused", []step{
		run("BEGIN"),
		run("BEGIN TRANSACTION"),
		run("BEGIN IMMEDIATE"),
		run("COMMIT"),
		run("END"),
		run("ROLLBACK"),
		run("SAVEPOINT a"),
		run("RELEASE a"),
		run("ROLLBACK TO a"),
	}, false},
	{"attach and temp refused", []step{
		run("ATTACH 'x.db' AS x"),
		run("ATTACH ':memory:' AS m"),
		run("DETACH x"),
		run("CREATE TEMP TABLE tt (a)"),
		run("CREATE TEMPORARY TABLE tt (a)"),
		run("CREATE TABLE temp.tt (a)"),
		run("CREATE TABLE base (a)"),
		run("CREATE TEMP VIEW tv AS SELECT 1"),
		run("CREATE TEMP TRIGGER ttr AFTER INSERT ON base BEGIN SELECT 1; END"),
		run("SELECT * FROM temp.sqlite_master"),
		run("VACUUM"),
		run("VACUUM INTO 'x.db'"),
		run("REINDEX"),
		run("ANALYZE"),
	}, false},
	{"virtual tables", []step{
		run("CREATE VIRTUAL TABLE v4 USING fts4(a)"),
		run("CREATE VIRTUAL TABLE v3 USING fts3(a)"),
		run("CREATE VIRTUAL TABLE vr USING rtree(id, x0, x1)"),
		run("CREATE VIRTUAL TABLE vs USING dbstat"),
		run("CREATE VIRTUAL TABLE v5 USING fts5(body)"),
		run("INSERT INTO v5 (body) VALUES ('hello world'), ('goodbye world')"),
		all("SELECT body FROM v5 WHERE v5 MATCH 'hello'"),
		run("CREATE VIRTUAL TABLE v5v USING fts5vocab(v5, 'row')"),
		all("SELECT term, doc FROM v5v ORDER BY term"),
		all("SELECT name FROM sqlite_master WHERE name LIKE 'v5%' ORDER BY name"),
		run("SELECT * FROM json_each('[1,2]')"),
		all("SELECT value FROM json_each('[1,2]')"),
		all("SELECT * FROM generate_series(1, 3)"),
		all("SELECT * FROM pragma_table_list"),
	}, false},
	{"pragmas allowed", []step{
		seedPeople,
		run("CREATE INDEX people_age ON people (age)"),
		all("PRAGMA table_list"),
		all("PRAGMA table_info(people)"),
		all("PRAGMA table_xinfo(people)"),
		all("PRAGMA index_list(people)"),
		all("PRAGMA index_info(people_age)"),
		all("PRAGMA index_xinfo(people_age)"),
		all("PRAGMA foreign_key_list(people)"),
		all("PRAGMA foreign_key_check"),
		all("PRAGMA foreign_keys"),
		all("PRAGMA defer_foreign_keys"),
		run("PRAGMA defer_foreign_keys = ON"),
		all("PRAGMA case_sensitive_like"),
		run("PRAGMA case_sensitive_like = ON"),
		all("PRAGMA ignore_check_constraints"),
		all("PRAGMA legacy_alter_table"),
		all("PRAGMA recursive_triggers"),
		all("PRAGMA reverse_unordered_selects"),
		all("PRAGMA quick_check"),
		all("PRAGMA optimize"),
		all("PRAGMA data_version"),
		all("PRAGMA page_size"),
		all("PRAGMA main.table_info(people)"),
	}, false},
	{"pragmas refused", []step{
		all("PRAGMA user_version"),
		run("PRAGMA user_version = 3"),
		all("PRAGMA journal_mode"),
		run("PRAGMA journal_mode = DELETE"),
		all("PRAGMA schema_version"),
		all("PRAGMA integrity_check"),
		all("PRAGMA cache_size"),
		run("PRAGMA writable_schema = ON"),
		all("PRAGMA database_list"),
		all("PRAGMA compile_options"),
		all("PRAGMA function_list"),
		all("PRAGMA page_count"),
		all("PRAGMA freelist_count"),
		all("PRAGMA application_id"),
		run("PRAGMA synchronous = OFF"),
		all("PRAGMA nosuch_pragma"),
	}, false},
	{"reserved _cf_ names", []step{
		run("CREATE TABLE _cf_x (a)"),
		run("CREATE TABLE _CF_x (a)"),
		run("CREATE TABLE t (a)"),
		run("CREATE INDEX _cf_i ON t (a)"),
		run("CREATE VIEW _cf_v AS SELECT 1"),
		run("CREATE TRIGGER _cf_tr AFTER INSERT ON t BEGIN SELECT 1; END"),
		run("ALTER TABLE t RENAME TO _cf_t"),
		run("ALTER TABLE t ADD COLUMN _cf_c"),
		all("SELECT name FROM sqlite_master WHERE name LIKE '\\_cf\\_%' ESCAPE '\\' ORDER BY name"),
		all("SELECT * FROM _cf_METADATA"),
		run("INSERT INTO _cf_METADATA VALUES (99, 1)"),
		run("DROP TABLE _cf_METADATA"),
		run("DELETE FROM _cf_METADATA"),
	}, false},
	{"functions refused", []step{
		run("SELECT sqlite_version()"),
		run("SELECT sqlite_source_id()"),
		run("SELECT sqlite_compileoption_used('THREADSAFE')"),
		run("SELECT load_extension('x')"),
		run("SELECT fts3_tokenizer('simple')"),
		run("SELECT sqlite_offset(1)"),
		run("SELECT 1, sqlite_version()"),
		all("SELECT changes(), total_changes(), last_insert_rowid()"),
		all("SELECT typeof(random()), length(randomblob(3)), typeof(unixepoch()), typeof(date('now'))"),
	}, false},
	{"schema tables", []step{
		run("CREATE TABLE s (a INTEGER PRIMARY KEY AUTOINCREMENT, b)"),
		run("INSERT INTO s (b) VALUES (1)"),
		all("SELECT type, name, tbl_name FROM sqlite_master ORDER BY name"),
		all("SELECT name, seq FROM sqlite_sequence"),
		run("DELETE FROM sqlite_sequence"),
		run("UPDATE sqlite_master SET sql = ''"),
		all("SELECT count(*) FROM sqlite_schema"),
	}, false},

	// Limits.
	{"bound parameter limit", []step{
		all("SELECT "+vars100, args100...),
		run("SELECT "+vars101, args101...),
		run("SELECT ?101", args101...),
		run("SELECT ?100", args100...),
		run("SELECT ?1000"),
	}, false},
	{"like and glob patterns", []step{
		all("SELECT 'a' LIKE ?", strings.Repeat("%", 50)),
		run("SELECT 'a' LIKE ?", strings.Repeat("%", 51)),
		all("SELECT 'a' GLOB ?", strings.Repeat("*", 50)),
		run("SELECT 'a' GLOB ?", strings.Repeat("*", 51)),
		all("SELECT ? LIKE 'x%'", strings.Repeat("x", 1000)),
		run("SELECT 'a' LIKE '" + strings.Repeat("_", 51) + "'"),
		all("SELECT 'é' LIKE ?", strings.Repeat("é", 25)),
		run("SELECT 'é' LIKE ?", strings.Repeat("é", 26)),
	}, false},
	{"compound select", []step{
		all(unions(5)),
		run(unions(6)),
		all("SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5"),
		run("SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6"),
		all("SELECT 1 INTERSECT SELECT 1 EXCEPT SELECT 2"),
		all("VALUES (1), (2), (3), (4), (5), (6), (7)"),
	}, false},
	{"function arguments", []step{
		all("SELECT max(" + strings.TrimSuffix(strings.Repeat("1, ", 32), ", ") + ")"),
		run("SELECT max(" + strings.TrimSuffix(strings.Repeat("1, ", 128), ", ") + ")"),
	}, false},
	{"more than 32 function arguments", []step{
		run("SELECT max(" + strings.TrimSuffix(strings.Repeat("1, ", 33), ", ") + ")"),
	}, false},
	{"columns per table", []step{
		run("CREATE TABLE w100 (" + columns(100) + ")"),
		run("CREATE TABLE w101 (" + columns(101) + ")"),
		run("ALTER TABLE w100 ADD COLUMN extra"),
	}, false},
	{"expression depth", []step{
		all("SELECT " + strings.Repeat("(", 99) + "1" + strings.Repeat(")", 99)),
		run("SELECT " + strings.Repeat("-", 120) + "1"),
		run("SELECT " + strings.Repeat("1 + ", 200) + "1"),
	}, false},
	{"statement length", []step{
		all("SELECT '" + strings.Repeat("x", 99_000) + "' IS NOT NULL"),
		run("SELECT '" + strings.Repeat("x", 100_001) + "' IS NOT NULL"),
	}, false},
	{"delete and update with limit", []step{
		run("CREATE TABLE d (id INTEGER PRIMARY KEY, v)"),
		run("INSERT INTO d (v) VALUES (1), (2), (3), (4)"),
		run("DELETE FROM d WHERE v > 0 LIMIT 1"),
		run("DELETE FROM d ORDER BY id DESC LIMIT 1"),
		run("UPDATE d SET v = 9 ORDER BY id LIMIT 1"),
		run("UPDATE d SET v = 8 LIMIT 1 OFFSET 1"),
		all("SELECT * FROM d"),
	}, false},
	{"delete with limit without rowid", []step{
		run("CREATE TABLE wr (k TEXT PRIMARY KEY, v) WITHOUT ROWID"),
		run("INSERT INTO wr VALUES ('a', 1), ('b', 2)"),
		run("DELETE FROM wr LIMIT 1"),
	}, false},
	{"several statements in one prepare", []step{
		run("CREATE TABLE ms (a)"),
		all("INSERT INTO ms VALUES (1); INSERT INTO ms VALUES (2); SELECT count(*) AS c FROM ms"),
		all("SELECT 1 AS one; SELECT 2 AS two"),
		raw("SELECT 1 AS one; SELECT 2 AS two"),
		run("INSERT INTO ms VALUES (?); INSERT INTO ms VALUES (?)", 3, 4),
		run("INSERT INTO ms VALUES (?); INSERT INTO ms VALUES (?)", 3),
		all("SELECT count(*) FROM ms"),
		run("INSERT INTO ms VALUES (10); SELEC 1"),
		all("SELECT count(*) FROM ms"),
		run("INSERT INTO ms VALUES (11); INSERT INTO nosuch VALUES (1)"),
		all("SELECT count(*) FROM ms"),
		all("SELECT 1; BEGIN"),
		all("CREATE TABLE ms2 (a); INSERT INTO ms2 VALUES (1); SELECT * FROM ms2"),
	}, false},

	// Batches.
	{"batch", []step{
		batch(
			st("CREATE TABLE bt (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"),
			st("INSERT INTO bt (name) VALUES (?)", "a"),
			st("INSERT INTO bt (name) VALUES (?)", "b"),
			st("SELECT * FROM bt ORDER BY id"),
			st("UPDATE bt SET name = upper(name) RETURNING *"),
		),
		all("SELECT * FROM bt"),
	}, false},
	{"failing batch", []step{
		run("CREATE TABLE fb (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"),
		batch(
			st("INSERT INTO fb (name) VALUES (?)", "a"),
			st("CREATE TABLE fb2 (a)"),
			st("INSERT INTO fb (name) VALUES (?)", "a"),
			st("INSERT INTO fb (name) VALUES (?)", "c"),
		),
		all("SELECT count(*) FROM fb"),
		run("SELECT * FROM fb2"),
		batch(st("SELECT 1"), st("SELEC 2")),
		batch(st("SELECT 1"), st("BEGIN")),
		batch(st("SELECT 1"), st("")),
		batch(st("SELECT ?"), st("SELECT 1")),
		batch(),
		run("INSERT INTO fb (name) VALUES ('z')"),
		batch(st("INSERT INTO fb (name) VALUES ('y')"), st("SELECT * FROM nosuch")),
		run("INSERT INTO fb (name) VALUES ('x')"),
	}, false},
	{"batch with several statements in one", []step{
		batch(st("CREATE TABLE bm (a); INSERT INTO bm VALUES (1)"), st("SELECT * FROM bm; SELECT count(*) AS n FROM bm")),
	}, false},

	// Exec.
	{"exec", []step{
		exec("CREATE TABLE e (a);\nINSERT INTO e VALUES (1);\nINSERT INTO e VALUES (2)"),
		all("SELECT count(*) FROM e"),
		exec("INSERT INTO e VALUES (3); INSERT INTO e VALUES (4)"),
		all("SELECT count(*) FROM e"),
		exec("INSERT INTO e VALUES (5)\nSELEC 1\nINSERT INTO e VALUES (6)"),
		all("SELECT count(*) FROM e"),
		exec("\n\nINSERT INTO e VALUES (7)\n\n"),
		exec("SELECT 1;\n-- comment\nSELECT 2"),
		exec("CREATE TABLE e2 (\n  a\n)"),
		exec("BEGIN"),
		exec("SELECT * FROM nosuch"),
		exec("INSERT INTO e VALUES ('a;b')"),
		exec("SELECT 1;;SELECT 2"),
	}, false},

	// Sessions.
	{"session bookmarks", []step{
		bookmark("s"),
		run("CREATE TABLE sb (a)").in("s", ""),
		bookmark("s"),
		run("INSERT INTO sb VALUES (1)").in("s", ""),
		bookmark("s"),
		all("SELECT * FROM sb").in("s", ""),
		bookmark("s"),
		batch(st("INSERT INTO sb VALUES (2)"), st("SELECT count(*) FROM sb")).in("s", ""),
		bookmark("s"),
		run("SELEC").in("s", ""),
		bookmark("s"),
		bookmark("t").in("t", "@s"),
		all("SELECT count(*) FROM sb").in("t", ""),
		bookmark("t"),
		run("INSERT INTO sb VALUES (3)").in("t", ""),
		bookmark("t"),
		bookmark("bad").in("bad", "not-a-bookmark"),
		all("SELECT 1").in("bad", ""),
		bookmark("bad"),
	}, false},
	{"session constraints", []step{
		run("SELEC 1").in("failed", "first-unconstrained"),
		bookmark("failed"),
		all("SELECT 1").in("primary", "first-primary"),
		bookmark("primary"),
		all("SELECT 1").in("unconstrained", "first-unconstrained"),
		bookmark("unconstrained"),
		all("SELECT 1").in("empty", ""),
		bookmark("empty"),
	}, false},
}

func columns(n int) string {
	cols := make([]string, n)
	for i := range cols {
		cols[i] = "c" + string(rune('a'+i/26)) + string(rune('a'+i%26))
	}
	return strings.Join(cols, ", ")
}
