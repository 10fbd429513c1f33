package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestHelp(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	tests := []struct {
		args       []string
		code       int
		stdout     []string
		stderr     []string
		stdoutNone bool
	}{
		{args: nil, code: exitUsage, stderr: []string{"Usage:", "migrate apply", "no command given"}, stdoutNone: true},
		{args: []string{"help"}, stdout: []string{"Commands:", "Exit codes:", "Examples:"}},
		{args: []string{"--help"}, stdout: []string{"Commands:"}},
		{args: []string{"help", "migrate", "apply"}, stdout: []string{"Usage: lunora-d1 migrate apply [flags]", "Examples:", "--allow-cascade", "Database flags", "--remote"}},
		{args: []string{"migrate", "apply", "-h"}, stdout: []string{"Usage: lunora-d1 migrate apply"}},
		{args: []string{"query", "--help"}, stdout: []string{"--args-json array", "--bookmark bookmark", "007"}},
		{args: []string{"help", "migrate"}, stdout: []string{"migrate verify", "migrate generate NAME"}},
		{args: []string{"migrate"}, code: exitUsage, stderr: []string{"migrate needs a command: new, apply, status, verify, generate"}},
		{args: []string{"migrate", "fly"}, code: exitUsage, stderr: []string{`unknown command "migrate fly"`}},
		{args: []string{"frobnicate"}, code: exitUsage, stderr: []string{`unknown command "frobnicate"`, "lunora-d1 help"}},
		{args: []string{"query", "--nope", "SELECT 1"}, code: exitUsage, stderr: []string{"unknown flag --nope", "lunora-d1 help query"}},
		{args: []string{"query", "SELECT 1", "--timeout"}, code: exitUsage, stderr: []string{"flag --timeout needs a value"}},
		{args: []string{"query", "--timeout", "soon", "SELECT 1"}, code: exitUsage, stderr: []string{`flag --timeout: bad value "soon"`}},
		{args: []string{"help", "nope"}, code: exitUsage, stderr: []string{`no command "nope"`}},
		{args: []string{"version"}, stdout: []string{"lunora-d1 ", "go1."}},
	}
	for _, tt := range tests {
		r := c.run(tt.args...)
		if r.code != tt.code {
			t.Errorf("lunora-d1 %q: exit %d, want %d\n%v", tt.args, r.code, tt.code, r)
			continue
		}
		mustContain(t, "stdout of "+strings.Join(tt.args, " "), r.stdout, tt.stdout...)
		mustContain(t, "stderr of "+strings.Join(tt.args, " "), r.stderr, tt.stderr...)
		if tt.stdoutNone && r.stdout != "" {
			t.Errorf("lunora-d1 %q: stdout %q, want none", tt.args, r.stdout)
		}
	}
	var v map[string]string
	decode(t, c.ok("version", "--json").stdout, &v)
	if v["go"] == "" || v["version"] == "" {
		t.Errorf("version --json = %v", v)
	}
}

func TestMigrateWorkflow(t *testing.T) {
	t.Parallel()
	c := newCLI(t)

	r := c.ok("migrate", "new", "create_users")
	mustContain(t, "stdout", r.stdout, "created migrations/0001_create_users.sql")
	// A new migration holds only a comment: apply refuses it, naming it.
	c.fails(exitDrift, []string{"0001_create_users.sql holds no SQL statement"}, "migrate", "apply")
	c.write(map[string]string{"migrations/0001_create_users.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"})
	c.ok("migrate", "new", "add-email")
	if !c.exists("migrations/0002_add-email.sql") {
		t.Fatal("migrate new did not number the second migration 0002")
	}
	c.write(map[string]string{"migrations/0002_add-email.sql": "-- email\nALTER TABLE users ADD COLUMN email TEXT\n"})
	c.fails(exitUsage, []string{`migration name "add email": use ASCII letters, digits, _ and -, such as add_email`}, "migrate", "new", "add email")

	r = c.ok("migrate", "apply")
	if !regexp.MustCompile(`(?m)^  applied 0001_create_users \([0-9.]+ ms\)\n  applied 0002_add-email \([0-9.]+ ms\)\n2 applied, 0 already applied, in `).MatchString(r.stdout) {
		t.Errorf("apply output:\n%s", r.stdout)
	}
	mustContain(t, "apply output", r.stdout, "database local .lunora/d1/default.sqlite")
	if !c.exists(".lunora/d1/default.sqlite") {
		t.Fatal("no .lunora/d1/default.sqlite")
	}
	r = c.ok("migrate", "apply")
	mustContain(t, "second apply", r.stdout, "nothing to apply: 2 migrations already applied")

	var applied struct {
		Applied []jsonEntry `json:"applied"`
		Skipped []jsonEntry `json:"skipped"`
	}
	c.write(map[string]string{"migrations/0003_index.sql": "CREATE INDEX users_name ON users (name)"})
	decode(t, c.ok("migrate", "apply", "--json").stdout, &applied)
	if len(applied.Applied) != 1 || applied.Applied[0].File != "0003_index.sql" || applied.Applied[0].DurationMS == nil || len(applied.Skipped) != 2 {
		t.Errorf("apply --json = %+v", applied)
	}

	r = c.ok("migrate", "status")
	mustContain(t, "status", r.stdout, "  applied  0001_create_users\n", "  applied  0003_index\n", "3 applied, 0 pending, 0 drifted")
	c.ok("migrate", "verify")

	// A pending migration: verify passes unless --fail-pending.
	c.write(map[string]string{"migrations/0004_posts.sql": "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON DELETE CASCADE)"})
	mustContain(t, "status", c.ok("migrate", "status").stdout, "  pending  0004_posts\n", "3 applied, 1 pending")
	mustContain(t, "verify", c.ok("migrate", "verify").stdout, "ok: 4 migrations")
	c.fails(exitPending, []string{"1 migration is pending: 0004_posts; run lunora-d1 migrate apply"}, "migrate", "verify", "--fail-pending")
	c.ok("migrate", "apply")

	// Editing an applied migration is drift: status and verify exit 3, and
	// apply applies nothing.
	c.write(map[string]string{
		"migrations/0002_add-email.sql": "ALTER TABLE users ADD COLUMN mail TEXT",
		"migrations/0005_more.sql":      "CREATE TABLE more (x)",
	})
	r = c.fails(exitDrift, []string{"the database recorded hash", "put the change in a new migration"}, "migrate", "status")
	mustContain(t, "status", r.stdout, "  DRIFTED  0002_add-email: applied with hash ")
	c.fails(exitDrift, []string{"nothing was applied"}, "migrate", "apply")
	r = c.fails(exitDrift, []string{"differs"}, "migrate", "verify", "--json")
	var v struct {
		OK         bool        `json:"ok"`
		Drifted    int         `json:"drifted"`
		Migrations []jsonEntry `json:"migrations"`
	}
	decode(t, r.stdout, &v)
	if v.OK || v.Drifted != 1 || len(v.Migrations) != 5 || v.Migrations[1].State != "drifted" || v.Migrations[1].Recorded == "" {
		t.Errorf("verify --json = %+v", v)
	}
	var e struct {
		Error struct {
			Message  string `json:"message"`
			ExitCode int    `json:"exit_code"`
		} `json:"error"`
	}
	decode(t, r.stderr, &e)
	if e.Error.ExitCode != exitDrift {
		t.Errorf("verify --json stderr = %+v", e)
	}
	if got := c.ok("query", "SELECT count(*) AS n FROM sqlite_master WHERE name = 'more'").stdout; !strings.Contains(got, " 0\n") {
		t.Errorf("a migration was applied despite the drift:\n%s", got)
	}
	c.write(map[string]string{"migrations/0002_add-email.sql": "-- email\nALTER TABLE users ADD COLUMN email TEXT\n"})
	mustContain(t, "apply", c.ok("migrate", "apply").stdout, "applied 0005_more", "1 applied, 4 already applied")

	// Dropping a table that a table references with ON DELETE CASCADE is
	// refused unless asked for.
	c.write(map[string]string{"migrations/0006_drop_users.sql": "DROP TABLE users"})
	c.fails(exitError, []string{"drops table users", "posts (ON DELETE CASCADE)", "pass --allow-cascade if that loss is intended"}, "migrate", "apply")
	mustContain(t, "apply", c.ok("migrate", "apply", "--allow-cascade").stdout, "applied 0006_drop_users")
}

func TestMigrateApplyFailure(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.write(map[string]string{
		"migrations/0001_a.sql": "CREATE TABLE a (x)",
		"migrations/0002_b.sql": "CREATE TABLE nope (x REFERENCES)",
		"migrations/0003_c.sql": "CREATE TABLE c (x)",
	})
	r := c.fails(exitError, []string{`migration 2 "b" failed`, "D1_ERROR: near \")\": syntax error", "SQLITE_ERROR"}, "migrate", "apply")
	mustContain(t, "apply", r.stdout, "applied 0001_a", "stopped: 1 applied, 0 already applied")
	if strings.Contains(r.stdout, "0003_c") {
		t.Errorf("a migration after the failed one ran:\n%s", r.stdout)
	}
	r = c.run("migrate", "status")
	mustContain(t, "status", r.stdout, "applied  0001_a", "pending  0002_b", "pending  0003_c")
}

func TestMigrateInvalidFolder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"two statements", map[string]string{"migrations/0001_a.sql": "CREATE TABLE a (x); CREATE TABLE b (x);"},
			[]string{"0001_a.sql", "more than one statement", "--split"}},
		{"transaction", map[string]string{"migrations/0001_a.sql": "BEGIN"}, []string{"0001_a.sql", "transaction"}},
		{"unterminated string", map[string]string{"migrations/0001_a.sql": "INSERT INTO a VALUES ('x)"}, []string{"malformed SQL"}},
		{"duplicate version", map[string]string{"migrations/0001_a.sql": "CREATE TABLE a (x)", "migrations/1_b.sql": "CREATE TABLE b (x)"},
			[]string{"both have version 1"}},
		{"bad name", map[string]string{"migrations/init.sql": "CREATE TABLE a (x)"}, []string{"init.sql", "<version>_<name>.sql"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t)
			c.write(tt.files)
			for _, cmd := range [][]string{{"migrate", "verify", "--files-only"}, {"migrate", "verify"}, {"migrate", "apply"}, {"migrate", "status"}} {
				c.fails(exitDrift, tt.want, cmd...)
			}
			if c.exists(".lunora") {
				t.Error("a database was created for an invalid folder")
			}
		})
	}

	c := newCLI(t)
	c.fails(exitError, []string{"there is no migrations folder at migrations/: create the first migration with lunora-d1 migrate new NAME"}, "migrate", "apply")

	// --split applies a file of several statements as several migrations.
	c.write(map[string]string{"migrations/0001_a.sql": "CREATE TABLE a (x); CREATE TABLE b (x);"})
	mustContain(t, "apply --split", c.ok("migrate", "apply", "--split").stdout, `applied 100 "a"`, `applied 101 "a#2"`)
}

func TestReadOnlyCommandsCreateNothing(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.write(map[string]string{"migrations/0001_a.sql": "CREATE TABLE a (x)"})
	r := c.ok("migrate", "status")
	mustContain(t, "status", r.stdout, "local .lunora/d1/default.sqlite (not created yet)", "pending  0001_a")
	c.ok("migrate", "verify")
	mustContain(t, "verify --files-only", c.ok("migrate", "verify", "--files-only").stdout, "ok: 1 migration in migrations")
	if c.exists(".lunora") {
		t.Error("status or verify created the database")
	}
	c.fails(exitUsage, []string{"--fail-pending needs a database"}, "migrate", "verify", "--files-only", "--fail-pending")
}

func TestWranglerConfigChoosesDatabaseAndFolder(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		file, config string
	}{
		{"wrangler.jsonc", `{
  // comments and trailing commas, as wrangler allows
  "name": "app",
  "d1_databases": [
    {"binding": "DB", "database_name": "app-db", "database_id": "id-1", "migrations_dir": "db/migrations",},
    {"binding": "LOGS", "database_name": "logs", "database_id": "id-2"},
  ],
}`},
		{"wrangler.toml", `name = "app"
[[d1_databases]]
binding = "DB"
database_name = "app-db"
database_id = "id-1"
migrations_dir = "db/migrations"

[[d1_databases]]
binding = "LOGS" # logs
database_name = "logs"
database_id = "id-2"
`},
	} {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t)
			c.write(map[string]string{
				tt.file:                    tt.config,
				"db/migrations/0001_a.sql": "CREATE TABLE a (x)",
				"migrations/0001_logs.sql": "CREATE TABLE logs (line TEXT)",
				"sub/dir/.keep":            "",
			})
			c.fails(exitUsage, []string{"has 2 D1 databases: binding DB (database app-db), binding LOGS (database logs); choose one with --binding NAME or --database NAME"},
				"migrate", "apply")
			// From a subdirectory, the configuration in a parent is found and
			// paths are taken next to it.
			sub := &cli{t: t, dir: filepath.Join(c.dir, "sub", "dir")}
			r := sub.ok("migrate", "apply", "--binding", "DB")
			mustContain(t, "apply", r.stdout, "applied 0001_a", "database local ../../.lunora/d1/app-db.sqlite")
			if !c.exists(".lunora/d1/app-db.sqlite") {
				t.Error("no .lunora/d1/app-db.sqlite next to the configuration")
			}
			r = c.ok("migrate", "apply", "--database", "logs")
			mustContain(t, "apply", r.stdout, "migrations in migrations/", "applied 0001_logs", "local .lunora/d1/logs.sqlite")
			mustContain(t, "query", c.ok("--binding", "DB", "query", "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'a'").stdout, " a\n")
			c.fails(exitUsage, []string{`has no D1 database with binding "NOPE"`}, "query", "SELECT 1", "--binding", "NOPE")
			c.fails(exitUsage, []string{`no environment "prod"`}, "query", "SELECT 1", "--env", "prod")
			// --db and --migrations override the configuration.
			r = c.ok("migrate", "apply", "--db", "x.sqlite", "--migrations", "migrations")
			mustContain(t, "apply", r.stdout, "applied 0001_logs", "local x.sqlite")
		})
	}

	c := newCLI(t)
	c.write(map[string]string{"wrangler.jsonc": "{\n  \"d1_databases\": [\n    {\"binding\": \"DB\"\n  ]\n}"})
	c.fails(exitUsage, []string{"wrangler.jsonc: line 4, column 3"}, "query", "SELECT 1")
	c.fails(exitUsage, []string{"--config nope.toml"}, "query", "SELECT 1", "--config", "nope.toml")
	bare := newCLI(t)
	bare.fails(exitUsage, []string{"there is no wrangler.json, wrangler.jsonc or wrangler.toml here or above"}, "query", "SELECT 1", "--binding", "DB")
}

func TestQuery(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("exec", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, note)")

	r := c.ok("query", "INSERT INTO t (name, note) VALUES (?, ?)", "Ada", "x y")
	mustContain(t, "insert", r.stdout, "(0 rows, 1 change, last row id 1, ")
	r = c.ok("query", "SELECT id, name, note, NULL AS n, x'00ff' AS b, 1.5 AS f FROM t")
	want := "" +
		" id | name | note | n    | b       | f\n" +
		"----+------+------+------+---------+-----\n" +
		"  1 | Ada  | x y  | NULL | x'00ff' | 1.5\n" +
		"(1 row, "
	if !strings.HasPrefix(r.stdout, want) {
		t.Errorf("table:\n%s\nwant it to start with:\n%s", r.stdout, want)
	}

	// ARGS written as JSON numbers bind as numbers (D1 binds every number as
	// a REAL); the others, and all of them with --text, as text.
	r = c.ok("query", "SELECT typeof(?) a, typeof(?) b, typeof(?) c, typeof(?) d, typeof(?) e, ? + 0 f", "7", "-2.5e3", "007", "abc", "0x10", "-5")
	mustContain(t, "types", r.stdout, " real | real | text | text | text | -5\n")
	r = c.ok("query", "--text", "SELECT typeof(?) a, ? || '' b", "7", "-5")
	mustContain(t, "--text", r.stdout, " text | -5\n")
	r = c.ok("query", "--args-json", `[null, true, 3, "s", {"blob": "AQI="}]`, "SELECT typeof(?1) a, ?2 b, typeof(?3) c, ?4 d, ?5 e")
	mustContain(t, "--args-json", r.stdout, " null | 1 | real | s | x'0102'\n")
	c.fails(exitUsage, []string{"ARG 1: 99999999999999999999 is too large for a number: pass --text"}, "query", "SELECT ?", "99999999999999999999")
	c.fails(exitUsage, []string{"--args-json needs a JSON array"}, "query", "--args-json", "{", "SELECT ?")
	c.fails(exitUsage, []string{"not both"}, "query", "--args-json", "[1]", "SELECT ?", "1")
	c.fails(exitError, []string{"D1_TYPE_ERROR: Type 'bigint' not supported for value '9007199254740993'"}, "query", "SELECT ?", "9007199254740993")

	// --json: columnar rows, D1's meta, BLOBs as byte arrays.
	var out struct {
		Columns []string `json:"columns"`
		Rows    [][]any  `json:"rows"`
		Meta    struct {
			RowsRead int    `json:"rows_read"`
			ServedBy string `json:"served_by"`
		} `json:"meta"`
	}
	decode(t, c.ok("query", "SELECT name, x'0102' AS b FROM t", "--json").stdout, &out)
	if len(out.Columns) != 2 || out.Columns[1] != "b" || len(out.Rows) != 1 || out.Rows[0][0] != "Ada" ||
		len(out.Rows[0][1].([]any)) != 2 || out.Meta.RowsRead != 1 || out.Meta.ServedBy == "" {
		t.Errorf("query --json = %+v", out)
	}
	// --raw keeps duplicate columns and the header without rows.
	mustContain(t, "--raw", c.ok("query", "--raw", "SELECT 1 AS a, 2 AS a").stdout, " a | a\n", " 1 | 2\n", "(1 row)")
	mustContain(t, "--raw", c.ok("query", "--raw", "SELECT id FROM t WHERE 0").stdout, " id\n----\n(0 rows)")
	mustContain(t, "all", c.ok("query", "SELECT 1 AS a, 2 AS a").stdout, " a\n---\n 2\n")
	// Text with control characters stays on one line.
	mustContain(t, "escapes", c.ok("query", "SELECT ? AS s", "a\nb\tc").stdout, ` a\nb\tc`)
	// SQL from standard input.
	mustContain(t, "stdin", c.runStdin("SELECT 40 + ? AS answer", "query", "-", "2").stdout, " 42\n")

	// D1's errors, in D1's words, exit 1; with --json, as JSON on stderr.
	c.fails(exitError, []string{"lunora-d1: D1_ERROR: no such table: nope: SQLITE_ERROR"}, "query", "SELECT * FROM nope")
	r = c.fails(exitError, nil, "query", "INSERT INTO t (id) VALUES (1)", "--json")
	var e struct {
		Error struct {
			Message    string `json:"message"`
			D1Code     string `json:"d1_code"`
			SQLiteCode string `json:"sqlite_code"`
		} `json:"error"`
	}
	decode(t, r.stderr, &e)
	if e.Error.D1Code != "D1_ERROR" || e.Error.SQLiteCode != "SQLITE_CONSTRAINT_PRIMARYKEY" || !strings.Contains(e.Error.Message, "UNIQUE constraint failed: t.id") {
		t.Errorf("error JSON = %+v", e)
	}
	if r.stdout != "" {
		t.Errorf("stdout on error: %q", r.stdout)
	}
	c.fails(exitError, []string{"D1_ERROR: To execute a transaction, please use the state.storage.transaction()"}, "query", "BEGIN")
	c.fails(exitUsage, []string{"query needs the SQL to run"}, "query")
	c.fails(exitError, []string{"gave up after --timeout 200ms", "interrupted"},
		"query", "--timeout", "200ms", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")
}

func TestBookmark(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("exec", "CREATE TABLE t (x)")
	bookmarkLine := regexp.MustCompile(`(?m)^bookmark: ([0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32})$`)
	r := c.ok("query", "--bookmark", "first-primary", "INSERT INTO t VALUES (1)")
	m := bookmarkLine.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no bookmark printed:\n%s", r.stdout)
	}
	r = c.ok("query", "--bookmark", m[1], "SELECT count(*) AS n FROM t")
	mustContain(t, "read at bookmark", r.stdout, " 1\n")
	if m2 := bookmarkLine.FindStringSubmatch(r.stdout); m2 == nil || m2[1] < m[1] {
		t.Errorf("bookmark after reading at %s: %v", m[1], m2)
	}
	var out struct {
		Bookmark string `json:"bookmark"`
	}
	decode(t, c.ok("query", "--bookmark=", "SELECT 1", "--json").stdout, &out)
	if out.Bookmark == "" {
		t.Error("query --bookmark= --json has no bookmark")
	}
	r = c.ok("exec", "--bookmark", m[1], "INSERT INTO t VALUES (2); INSERT INTO t VALUES (3)")
	if bookmarkLine.FindStringSubmatch(r.stdout) == nil {
		t.Errorf("exec --bookmark printed no bookmark:\n%s", r.stdout)
	}
	// Without --bookmark, no session and no bookmark.
	if r := c.ok("query", "SELECT 1"); strings.Contains(r.stdout, "bookmark") {
		t.Errorf("bookmark without --bookmark:\n%s", r.stdout)
	}
}

func TestExec(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.write(map[string]string{"seed.sql": `-- seed data
CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT);
INSERT INTO t (s) VALUES ('a;b'), ('-- not a comment');
CREATE TRIGGER t_upper AFTER INSERT ON t BEGIN
  UPDATE t SET s = upper(s) WHERE id = new.id;
END;
INSERT INTO t (s) VALUES ('c');
SELECT id, s FROM t ORDER BY id;
`})
	r := c.ok("exec", "--file", "seed.sql")
	mustContain(t, "exec", r.stdout, "statement 5 (line 8):\n", "  1 | a;b\n", "  2 | -- not a comment\n", "  3 | C\n",
		"ran 5 statements in one batch: 4 changes")

	// A failing statement rolls the whole batch back.
	c.write(map[string]string{"bad.sql": "INSERT INTO t (s) VALUES ('d');\nINSERT INTO nope VALUES (1);\n"})
	c.fails(exitError, []string{"the batch failed, so none of its 2 statements was applied", "no such table: nope"}, "exec", "--file", "bad.sql")
	mustContain(t, "after the failed batch", c.ok("query", "SELECT count(*) AS n FROM t").stdout, " 3\n")

	// Standard input, and --json with one result per statement.
	r = c.runStdin("INSERT INTO t (s) VALUES ('e'); SELECT count(*) AS n FROM t", "exec", "--file", "-", "--json")
	var out struct {
		Results []jsonResult `json:"results"`
	}
	decode(t, r.stdout, &out)
	if len(out.Results) != 2 || out.Results[0].Meta.Changes < 1 || out.Results[1].Rows[0][0] != float64(4) {
		t.Errorf("exec --json = %+v", out)
	}

	c.write(map[string]string{"open.sql": "SELECT 1;\nSELECT 'open"})
	c.fails(exitError, []string{"open.sql:2:8: ", "nothing was run"}, "exec", "--file", "open.sql")
	c.write(map[string]string{"empty.sql": "-- nothing\n"})
	c.fails(exitError, []string{"empty.sql holds no SQL statement"}, "exec", "--file", "empty.sql")
	c.fails(exitError, []string{"reading the SQL", "nope.sql"}, "exec", "--file", "nope.sql")
	c.fails(exitUsage, []string{"exec needs --file FILE"}, "exec")
	c.fails(exitUsage, []string{"not both"}, "exec", "--file", "seed.sql", "SELECT 1")
}

func TestMigrateGenerate(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.fails(exitUsage, []string{"there is no schema file schema.json"}, "migrate", "generate", "init")
	c.write(map[string]string{"schema.json": `{"tables": [{"name": "users", "fields": [
		{"name": "email", "kind": "string", "unique": true},
		{"name": "age", "kind": "number", "optional": true}]}]}`})
	r := c.ok("migrate", "generate", "init")
	mustContain(t, "generate", r.stdout, "wrote migrations/0001_init.sql: create table", "wrote migrations/0002_init.sql", "wrote migrations/schema.snapshot.json")
	mustContain(t, "apply", c.ok("migrate", "apply").stdout, "applied 0001_init", "applied 0002_init")
	mustContain(t, "again", c.ok("migrate", "generate", "again").stdout, "matches the snapshot")

	// Dropping a field is unsafe: it waits in a .unsafe file, which apply
	// ignores and mentions.
	c.write(map[string]string{"schema.json": `{"tables": [{"name": "users", "fields": [
		{"name": "email", "kind": "string", "unique": true},
		{"name": "name", "kind": "string", "optional": true}]}]}`})
	r = c.ok("migrate", "generate", "rename_age")
	mustContain(t, "generate", r.stdout, "add column", "UNSAFE, not applied: drop column", ".sql.unsafe", "1 unsafe change written as .unsafe files")
	r = c.ok("migrate", "apply")
	mustContain(t, "apply", r.stdout, "1 applied, 2 already applied")
	mustContain(t, "apply", r.stderr, "1 unsafe change is not applied, waiting for you to review: 0004_rename_age.sql.unsafe")

	var out struct {
		Files []map[string]any `json:"files"`
	}
	c.write(map[string]string{"db.json": `{"tables": [{"name": "users", "fields": [{"name": "email", "kind": "string", "unique": true}]}]}`})
	decode(t, c.ok("migrate", "generate", "drop_name", "--schema", "db.json", "--unsafe", "--json").stdout, &out)
	if len(out.Files) != 2 || out.Files[0]["unsafe"] != true || out.Files[0]["written_as_sql"] != true {
		t.Errorf("generate --unsafe --json = %+v", out)
	}
	c.fails(exitUsage, []string{"migrate generate needs one NAME"}, "migrate", "generate")
	c.write(map[string]string{"bad.json": `{"tables": [{"name": "_cf_x", "fields": []}]}`})
	c.fails(exitError, []string{"bad.json", "_cf_"}, "migrate", "generate", "x", "--schema", "bad.json")
}

func TestBridgeInit(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.write(map[string]string{"wrangler.toml": "[[d1_databases]]\nbinding = \"DB\"\ndatabase_name = \"shop\"\ndatabase_id = \"1234-abcd\"\n"})
	r := c.ok("bridge", "init")
	mustContain(t, "bridge init", r.stdout, "wrote d1-bridge/bridge.js", "wrote d1-bridge/wrangler.jsonc, binding database shop (1234-abcd)",
		"npx wrangler secret put BRIDGE_TOKEN", "LUNORA_D1_BRIDGE_TOKEN")
	b, err := os.ReadFile(filepath.Join(c.dir, "d1-bridge", "wrangler.jsonc"))
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "wrangler.jsonc", string(b), `"database_name": "shop"`, `"database_id": "1234-abcd"`, `"main": "bridge.js"`)
	doc, err := parseJSONC(b)
	if err != nil {
		t.Fatalf("the written wrangler.jsonc does not parse: %v", err)
	}
	if cfg, err := configFromDoc(doc, ""); err != nil || len(cfg.Databases) != 1 || cfg.Databases[0].Binding != "DB" {
		t.Errorf("written config = %+v, %v", cfg, err)
	}
	js, err := os.ReadFile(filepath.Join(c.dir, "d1-bridge", "bridge.js"))
	if err != nil || !strings.Contains(string(js), "BRIDGE_TOKEN") {
		t.Errorf("bridge.js: %v", err)
	}
	// A second run keeps the configuration.
	os.WriteFile(filepath.Join(c.dir, "d1-bridge", "wrangler.jsonc"), []byte("{}"), 0o644)
	mustContain(t, "again", c.ok("bridge", "init", "d1-bridge").stdout, "kept d1-bridge/wrangler.jsonc")
	// Without a configuration, the placeholders stay.
	bare := newCLI(t)
	mustContain(t, "bare", bare.ok("bridge", "init", "w").stdout, "wrote w/wrangler.jsonc: fill in database_name and database_id")
}
