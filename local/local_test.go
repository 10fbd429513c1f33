package local_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
)

// open returns a fresh in-memory database closed at the end of the test.
func open(t testing.TB) *local.DB {
	t.Helper()
	db, err := local.Open("", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openFile opens path and closes it at the end of the test.
func openFile(t testing.TB, path string) *local.DB {
	t.Helper()
	db, err := local.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// run runs query with args through the backend's own statements.
func run(t testing.TB, db d1.Database, query string, args ...any) *d1.Result {
	t.Helper()
	res, err := bound(t, db.Prepare(query), args...).Run(context.Background())
	if err != nil {
		t.Fatalf("Run(%q): %v", query, err)
	}
	return res
}

func bound(t testing.TB, ps d1.PreparedStatement, args ...any) d1.PreparedStatement {
	t.Helper()
	if len(args) == 0 {
		return ps
	}
	b, err := ps.Bind(args...)
	if err != nil {
		t.Fatalf("Bind(%v): %v", args, err)
	}
	return b
}

// errText returns the error's text, or "<nil>".
func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestOpenMemoryIsPrivate(t *testing.T) {
	a, b := open(t), open(t)
	run(t, a, "CREATE TABLE t (x)")
	if _, err := b.Prepare("SELECT * FROM t").All(context.Background()); errText(err) != "D1_ERROR: no such table: t: SQLITE_ERROR" {
		t.Errorf("second in-memory database sees the first's table: %v", err)
	}
	db, err := local.Open(":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Prepare("SELECT * FROM t").All(context.Background()); err == nil {
		t.Error(`":memory:" sees another database's table`)
	}
}

func TestOpenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "d1.sqlite")
	db := openFile(t, path)
	run(t, db, "CREATE TABLE t (x)")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file: %v", err)
	}
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Errorf("no WAL file next to the database: %v", err)
	}
	// The schema D1 keeps: its metadata table, created as workerd does.
	res := run(t, db, "SELECT name, sql FROM sqlite_master WHERE name = '_cf_METADATA'")
	want := "CREATE TABLE _cf_METADATA (\n        key INTEGER PRIMARY KEY,\n        value BLOB\n      )"
	if len(res.Rows) != 1 || res.Rows[0][1] != want {
		t.Errorf("_cf_METADATA = %v, want %q", res.Rows, want)
	}
}

func TestForeignKeysOn(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	for range 3 { // readers and the writer alike
		res := run(t, db, "PRAGMA foreign_keys")
		if got := res.Rows[0][0]; got != int64(1) {
			t.Fatalf("PRAGMA foreign_keys = %v, want 1", got)
		}
		res, err := db.Prepare("SELECT 1 FROM pragma_foreign_key_list('x')").All(ctx)
		_ = res
		_ = err
	}
	run(t, db, "CREATE TABLE p (id INTEGER PRIMARY KEY)")
	run(t, db, "CREATE TABLE c (id INTEGER PRIMARY KEY, p REFERENCES p(id))")
	// D1 runs every query in a transaction, where this has no effect.
	run(t, db, "PRAGMA foreign_keys = OFF")
	_, err := db.Prepare("INSERT INTO c VALUES (1, 99)").Run(ctx)
	if got, want := errText(err), "D1_ERROR: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_FOREIGNKEY)"; got != want {
		t.Errorf("insert violating a foreign key: %s, want %s", got, want)
	}
	if got := run(t, db, "PRAGMA foreign_keys").Rows[0][0]; got != int64(1) {
		t.Errorf("after PRAGMA foreign_keys = OFF: %v, want 1", got)
	}
	// defer_foreign_keys lasts for one query: within it, the order of
	// statements may break the constraint for a while.
	run(t, db, "PRAGMA defer_foreign_keys = ON; INSERT INTO c VALUES (2, 7); INSERT INTO p VALUES (7)")
	if got := run(t, db, "PRAGMA defer_foreign_keys").Rows[0][0]; got != int64(0) {
		t.Errorf("defer_foreign_keys after its query = %v, want 0", got)
	}
}

func TestClosed(t *testing.T) {
	db, err := local.Open("", nil)
	if err != nil {
		t.Fatal(err)
	}
	ps := db.Prepare("SELECT 1")
	sess := db.WithSession("")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	ctx := context.Background()
	checks := map[string]func() error{
		"All":           func() error { _, err := ps.All(ctx); return err },
		"Run":           func() error { _, err := ps.Run(ctx); return err },
		"First":         func() error { _, err := ps.First(ctx); return err },
		"Raw":           func() error { _, err := ps.Raw(ctx); return err },
		"Prepare.Run":   func() error { _, err := db.Prepare("SELECT 2").Run(ctx); return err },
		"Batch":         func() error { _, err := db.Batch(ctx, []d1.PreparedStatement{ps}); return err },
		"Exec":          func() error { _, err := db.Exec(ctx, "SELECT 1"); return err },
		"session Batch": func() error { _, err := sess.Batch(ctx, []d1.PreparedStatement{ps}); return err },
		"session All":   func() error { _, err := sess.Prepare("SELECT 1").All(ctx); return err },
	}
	for name, f := range checks {
		if err := f(); !errors.Is(err, local.ErrClosed) {
			t.Errorf("%s after Close: %v, want ErrClosed", name, err)
		}
	}
}

func TestPrepareNeverFails(t *testing.T) {
	db := open(t)
	ps := db.Prepare("SELEC nonsense")
	if ps == nil {
		t.Fatal("Prepare returned nil")
	}
	_, err := ps.All(context.Background())
	if got, want := errText(err), `D1_ERROR: near "SELEC": syntax error at offset 0: SQLITE_ERROR`; got != want {
		t.Errorf("error = %s, want %s", got, want)
	}
	var e *d1.Error
	if !errors.As(err, &e) || e.Offset != 0 || e.Primary != d1.ResultError {
		t.Errorf("error fields = %+v", e)
	}
}

func TestBindTypes(t *testing.T) {
	db := open(t)
	run(t, db, "CREATE TABLE c (t TEXT, n NUMERIC, r REAL, i INTEGER, b BLOB, z)")
	run(t, db, "INSERT INTO c VALUES (?, ?, ?, ?, ?, ?)", int64(7), int64(7), int64(7), int64(7), int64(7), int64(7))
	res := run(t, db, "SELECT t, typeof(t), n, typeof(n), r, typeof(r), i, typeof(i), b, typeof(b), z, typeof(z) FROM c")
	want := []any{"7.0", "text", int64(7), "integer", int64(7), "real", int64(7), "integer", int64(7), "real", int64(7), "real"}
	if !reflect.DeepEqual(res.Rows[0], want) {
		t.Errorf("stored 7 as %v, want %v (D1 binds every number as REAL)", res.Rows[0], want)
	}
	res = run(t, db, "SELECT typeof(?) a, typeof(?) b, typeof(?) c, typeof(?) d, typeof(?) e, ? || '' f", int64(1), 1.5, "x", nil, []byte{1, 2}, int64(1))
	want = []any{"real", "real", "text", "null", "blob", "1.0"}
	if !reflect.DeepEqual(res.Rows[0], want) {
		t.Errorf("typeof bound values = %v, want %v", res.Rows[0], want)
	}
	// Values that are not normalized yet are normalized by Bind.
	res = run(t, db, "SELECT ? a, ? b, ? c", true, int32(5), float32(0.5))
	if want := []any{int64(1), int64(5), 0.5}; !reflect.DeepEqual(res.Rows[0], want) {
		t.Errorf("normalized binds = %v, want %v", res.Rows[0], want)
	}
	if _, err := db.Prepare("SELECT ?").Bind(struct{}{}); err == nil || !strings.HasPrefix(err.Error(), "D1_TYPE_ERROR: ") {
		t.Errorf("Bind(struct{}{}) = %v, want a D1_TYPE_ERROR", err)
	}
	if _, err := db.Prepare("SELECT ?").Bind(int64(1) << 60); errText(err) != "D1_TYPE_ERROR: Type 'bigint' not supported for value '1152921504606846976'" {
		t.Errorf("Bind(2^60) = %v", err)
	}
}

func TestBindByPosition(t *testing.T) {
	db := open(t)
	tests := []struct {
		query string
		args  []any
		want  []any
	}{
		{"SELECT ?, ?", []any{int64(1), int64(2)}, []any{int64(1), int64(2)}},
		{"SELECT ?2, ?1", []any{int64(1), int64(2)}, []any{int64(2), int64(1)}},
		{"SELECT :a, :b, :a", []any{int64(1), int64(2)}, []any{int64(1), int64(2), int64(1)}},
		{"SELECT $1, $2", []any{"x", "y"}, []any{"x", "y"}},
		{"SELECT @x, ?", []any{int64(1), int64(2)}, []any{int64(1), int64(2)}},
		{"SELECT ?2", []any{int64(1), int64(2)}, []any{int64(2)}},
	}
	for _, tt := range tests {
		res, err := bound(t, db.Prepare(tt.query), tt.args...).Raw(context.Background())
		if err != nil {
			t.Errorf("%s: %v", tt.query, err)
			continue
		}
		if !reflect.DeepEqual(res.Rows[0], tt.want) {
			t.Errorf("%s = %v, want %v", tt.query, res.Rows[0], tt.want)
		}
	}
	for _, tt := range []struct {
		query string
		args  []any
	}{
		{"SELECT ?", nil},
		{"SELECT ?", []any{int64(1), int64(2)}},
		{"SELECT ?2", []any{int64(1)}},
		{"SELECT 1", []any{int64(1)}},
	} {
		_, err := bound(t, db.Prepare(tt.query), tt.args...).All(context.Background())
		if got, want := errText(err), "D1_ERROR: Wrong number of parameter bindings for SQL query."; got != want {
			t.Errorf("%s with %d values: %s, want %s", tt.query, len(tt.args), got, want)
		}
	}
}

func TestValues(t *testing.T) {
	db := open(t)
	res, err := db.Prepare("SELECT 2.0, 1e999, -1e999, x'0102', 9007199254740993, -0.0, 2.5, x'', '', NULL, 1e16, 9007199254740993.0").Raw(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// A REAL becomes int64 only when whole and within ±2^53; an INTEGER
	// stays exact (D1 itself would round 9007199254740993).
	want := []any{int64(2), nil, nil, []byte{1, 2}, int64(9007199254740993), int64(0), 2.5, []byte{}, "", nil, 1e16, 9007199254740992.0}
	if !reflect.DeepEqual(res.Rows[0], want) {
		t.Errorf("values = %#v\nwant %#v", res.Rows[0], want)
	}
}

func TestResultShapes(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	all, err := db.Prepare("SELECT 1 a, 2 a, 3 b").All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b"}; !reflect.DeepEqual(all.Columns, want) || !reflect.DeepEqual(all.Rows[0], []any{int64(2), int64(3)}) {
		t.Errorf("All = %v %v, want columns %v and the last a", all.Columns, all.Rows, want)
	}
	raw, err := db.Prepare("SELECT 1 a, 2 a, 3 b").Raw(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "a", "b"}; !reflect.DeepEqual(raw.Columns, want) || !reflect.DeepEqual(raw.Rows[0], []any{int64(1), int64(2), int64(3)}) {
		t.Errorf("Raw = %v %v", raw.Columns, raw.Rows)
	}
	if raw.Meta != (d1.Meta{}) {
		t.Errorf("Raw has meta: %+v", raw.Meta)
	}
	empty, err := db.Prepare("SELECT 1 a, 2 a WHERE 0").All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(empty.Columns) != 0 || len(empty.Rows) != 0 {
		t.Errorf("All without rows = %v %v, want no columns", empty.Columns, empty.Rows)
	}
	rawEmpty, err := db.Prepare("SELECT 1 a, 2 a WHERE 0").Raw(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "a"}; !reflect.DeepEqual(rawEmpty.Columns, want) || len(rawEmpty.Rows) != 0 {
		t.Errorf("Raw without rows = %v %v, want columns %v", rawEmpty.Columns, rawEmpty.Rows, want)
	}
	first, err := db.Prepare("SELECT value FROM json_each('[1,2,3]')").First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Rows) != 1 || first.Rows[0][0] != int64(1) || first.Meta != (d1.Meta{}) {
		t.Errorf("First = %v %+v, want one row without meta", first.Rows, first.Meta)
	}
	first, err = db.Prepare("SELECT 1 a, 2 a").First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first.Columns, []string{"a"}) || !reflect.DeepEqual(first.Rows, [][]any{{int64(2)}}) {
		t.Errorf("First with duplicate names = %v %v", first.Columns, first.Rows)
	}
	none, err := db.Prepare("SELECT 1 WHERE 0").First(ctx)
	if err != nil || len(none.Rows) != 0 {
		t.Errorf("First without rows = %v, %v", none, err)
	}
	// Run returns rows too, as D1's run() does.
	ran, err := db.Prepare("SELECT 1 AS one").Run(ctx)
	if err != nil || !reflect.DeepEqual(ran.Rows, [][]any{{int64(1)}}) {
		t.Errorf("Run(SELECT) = %v, %v", ran, err)
	}
}

func TestFirstOfWriteRunsToCompletion(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	run(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v)")
	res, err := db.Prepare("INSERT INTO t (v) VALUES (1), (2), (3) RETURNING id").First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0][0] != int64(1) {
		t.Errorf("First(INSERT ... RETURNING) = %v", res.Rows)
	}
	if got := run(t, db, "SELECT count(*) FROM t").Rows[0][0]; got != int64(3) {
		t.Errorf("rows inserted = %v, want 3", got)
	}
}

func TestMultipleStatements(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	run(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
	res := run(t, db, "INSERT INTO t (name) VALUES ('a'); INSERT INTO t (name) VALUES ('b'); SELECT count(*) AS c FROM t WHERE name > ?", "")
	if !reflect.DeepEqual(res.Columns, []string{"c"}) || !reflect.DeepEqual(res.Rows, [][]any{{int64(2)}}) {
		t.Errorf("result = %v %v, want the last statement's rows", res.Columns, res.Rows)
	}
	if res.Meta.Changes != 2 || !res.Meta.ChangedDB {
		t.Errorf("meta = %+v, want changes 2 from the earlier statements", res.Meta)
	}
	// A failing statement undoes the ones before it.
	_, err := db.Prepare("INSERT INTO t (name) VALUES ('c'); INSERT INTO t (name) VALUES ('a')").Run(ctx)
	if got, want := errText(err), "D1_ERROR: UNIQUE constraint failed: t.name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)"; got != want {
		t.Errorf("error = %s, want %s", got, want)
	}
	if got := run(t, db, "SELECT count(*) FROM t WHERE name = 'c'").Rows[0][0]; got != int64(0) {
		t.Errorf("the first statement stayed: %v rows", got)
	}
	// Statements are prepared in turn, so later ones may use what earlier
	// ones created.
	res = run(t, db, "CREATE TABLE u (x); INSERT INTO u VALUES (5); SELECT x FROM u")
	if !reflect.DeepEqual(res.Rows, [][]any{{int64(5)}}) {
		t.Errorf("rows = %v", res.Rows)
	}
	for _, tt := range []struct{ query, want string }{
		{"SELECT ?; SELECT 2", "D1_ERROR: When executing multiple SQL statements in a single call, only the last statement can have parameters."},
		{"SELECT 1;;", "D1_ERROR: SQL code did not contain a statement."},
		{"SELECT 1; -- c", "D1_ERROR: SQL code did not contain a statement."},
		{"SELECT 1; SELEC 2", `D1_ERROR: near "SELEC": syntax error at offset 0: SQLITE_ERROR`},
	} {
		_, err := db.Prepare(tt.query).All(ctx)
		if got := errText(err); got != tt.want {
			t.Errorf("%q: %s, want %s", tt.query, got, tt.want)
		}
	}
	for _, q := range []string{"SELECT 1;", "SELECT 1;\t", "SELECT 1 ;  \n  ", "SELECT 1 -- trailing"} {
		if _, err := db.Prepare(q).All(ctx); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
}

func TestEmptyQueries(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	for _, tt := range []struct{ query, want string }{
		{"", "D1_ERROR: No SQL statements detected."},
		{"   ", "D1_ERROR: No SQL statements detected."},
		{"  -- only a comment\n  ", "D1_ERROR: No SQL statements detected."},
		{"-- hi", "D1_ERROR: SQL code did not contain a statement."},
		{"/* c */", "D1_ERROR: SQL code did not contain a statement."},
		{";", "D1_ERROR: SQL code did not contain a statement."},
	} {
		for name, f := range map[string]func(d1.PreparedStatement) error{
			"All":   func(p d1.PreparedStatement) error { _, err := p.All(ctx); return err },
			"First": func(p d1.PreparedStatement) error { _, err := p.First(ctx); return err },
			"Raw":   func(p d1.PreparedStatement) error { _, err := p.Raw(ctx); return err },
		} {
			if got := errText(f(db.Prepare(tt.query))); got != tt.want {
				t.Errorf("%s(%q) = %s, want %s", name, tt.query, got, tt.want)
			}
		}
	}
}
