package local_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
)

func TestBatch(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	run(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
	ins := db.Prepare("INSERT INTO t (name) VALUES (?)")
	stmts := []d1.PreparedStatement{
		bound(t, ins, "a"),
		bound(t, ins, "b"),
		db.Prepare("SELECT name FROM t ORDER BY id"),
	}
	res, err := db.Batch(ctx, stmts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 {
		t.Fatalf("%d results, want 3", len(res))
	}
	if res[0].Meta.Changes != 1 || res[0].Meta.LastRowID != 1 || res[1].Meta.LastRowID != 2 {
		t.Errorf("meta = %+v, %+v", res[0].Meta, res[1].Meta)
	}
	if want := [][]any{{"a"}, {"b"}}; !reflect.DeepEqual(res[2].Rows, want) {
		t.Errorf("rows = %v, want %v: a batch sees its own writes", res[2].Rows, want)
	}

	// A failing statement undoes the whole batch and its error is returned.
	_, err = db.Batch(ctx, []d1.PreparedStatement{bound(t, ins, "c"), bound(t, ins, "a"), bound(t, ins, "d")})
	if got, want := errText(err), "D1_ERROR: UNIQUE constraint failed: t.name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)"; got != want {
		t.Errorf("error = %s, want %s", got, want)
	}
	if got := run(t, db, "SELECT count(*) FROM t").Rows[0][0]; got != int64(2) {
		t.Errorf("%v rows after a failed batch, want 2", got)
	}

	// Empty batches and statements D1 finds empty.
	if _, err := db.Batch(ctx, nil); errText(err) != "D1_ERROR: No SQL statements detected." {
		t.Errorf("empty batch: %v", err)
	}
	res, err = db.Batch(ctx, []d1.PreparedStatement{db.Prepare("SELECT 1"), db.Prepare("  ")})
	if err != nil || len(res) != 1 {
		t.Errorf("batch with a blank statement = %d results, %v; want it left out", len(res), err)
	}
	if _, err := db.Batch(ctx, []d1.PreparedStatement{db.Prepare("SELECT 1"), db.Prepare("-- c")}); errText(err) != "D1_ERROR: SQL code did not contain a statement." {
		t.Errorf("batch with a comment: %v", err)
	}

	// Statements of another local database run here.
	other := open(t)
	res, err = db.Batch(ctx, []d1.PreparedStatement{other.Prepare("SELECT count(*) FROM t")})
	if err != nil || res[0].Rows[0][0] != int64(2) {
		t.Errorf("statement of another DB: %v, %v", res, err)
	}
	// And of another backend are refused.
	if _, err := db.Batch(ctx, []d1.PreparedStatement{foreign{}}); err == nil {
		t.Error("a foreign statement ran")
	}
}

type foreign struct{ d1.PreparedStatement }

func TestExec(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	res, err := db.Exec(ctx, "CREATE TABLE t (id INTEGER PRIMARY KEY, v UNIQUE);\nINSERT INTO t VALUES (1, 'a');\n\nINSERT INTO t VALUES (2, 'b'); INSERT INTO t VALUES (3, 'c')\n")
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 3 || res.Duration < 0 {
		t.Errorf("Exec = %+v, want 3 queries", res)
	}
	if got := run(t, db, "SELECT count(*) FROM t").Rows[0][0]; got != int64(3) {
		t.Errorf("%v rows, want 3", got)
	}
	// Workerd's local D1 names line 1 and its text whichever line failed,
	// and applies none of the lines.
	tests := []struct{ query, want string }{
		{"INSERT INTO t VALUES (5, 'e')\nINSERT INTO t VALUES (6, 'a')", "D1_EXEC_ERROR: Error in line 1: INSERT INTO t VALUES (5, 'e'): UNIQUE constraint failed: t.v: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)"},
		{"SELEC 1", `D1_EXEC_ERROR: Error in line 1: SELEC 1: near "SELEC": syntax error at offset 0: SQLITE_ERROR`},
		{"SELECT 1;\nSELEC 2", `D1_EXEC_ERROR: Error in line 1: SELECT 1;: near "SELEC": syntax error at offset 0: SQLITE_ERROR`},
		{"", "D1_EXEC_ERROR: Error in line 1: : No SQL statements detected."},
		{"\n\n", "D1_EXEC_ERROR: Error in line 1: : No SQL statements detected."},
		{"SELECT ?", "D1_EXEC_ERROR: Error in line 1: SELECT ?: Wrong number of parameter bindings for SQL query."},
		{"INSERT INTO t VALUES (7, 'g')\n-- comment", "D1_EXEC_ERROR: Error in line 1: INSERT INTO t VALUES (7, 'g'): SQL code did not contain a statement."},
	}
	for _, tt := range tests {
		_, err := db.Exec(ctx, tt.query)
		if got := errText(err); got != tt.want {
			t.Errorf("Exec(%q):\n got %s\nwant %s", tt.query, got, tt.want)
		}
		var e *d1.Error
		if errors.As(err, &e) && e.Code != d1.CodeExecError {
			t.Errorf("Exec(%q): code %s", tt.query, e.Code)
		}
	}
	if got := run(t, db, "SELECT count(*) FROM t").Rows[0][0]; got != int64(3) {
		t.Errorf("%v rows after failed Execs, want 3", got)
	}
	if res, err := db.Exec(ctx, "SELECT 1\r\nSELECT 2"); err != nil || res.Count != 2 {
		t.Errorf("Exec with CRLF = %+v, %v", res, err)
	}
}

func TestDeleteUpdateLimit(t *testing.T) {
	db := open(t)
	run(t, db, "CREATE TABLE q (id INTEGER PRIMARY KEY, v)")
	run(t, db, "INSERT INTO q (v) VALUES (1), (2), (3), (4), (5)")
	values := func() []any {
		var out []any
		for _, r := range run(t, db, "SELECT v FROM q ORDER BY id").Rows {
			out = append(out, r[0])
		}
		return out
	}
	steps := []struct {
		query  string
		result [][]any
		want   []any
	}{
		{"DELETE FROM q WHERE v > 1 ORDER BY v DESC LIMIT 2", nil, []any{int64(1), int64(2), int64(3)}},
		{"UPDATE q SET v = v * 10 ORDER BY v LIMIT 1", nil, []any{int64(10), int64(2), int64(3)}},
		{"DELETE FROM q LIMIT 1 OFFSET 1", nil, []any{int64(10), int64(3)}},
		{"DELETE FROM q WHERE v > 0 RETURNING v LIMIT 1", [][]any{{int64(10)}}, []any{int64(3)}},
		{"INSERT INTO q (v) VALUES (7), (8); DELETE FROM q WHERE v < 100 ORDER BY v DESC LIMIT 1; SELECT count(*) FROM q", [][]any{{int64(2)}}, []any{int64(3), int64(7)}},
	}
	for _, s := range steps {
		res := run(t, db, s.query)
		if len(res.Rows) != len(s.result) || (len(s.result) > 0 && !reflect.DeepEqual(res.Rows, s.result)) {
			t.Errorf("%s: rows %v, want %v", s.query, res.Rows, s.result)
		}
		if got := values(); !reflect.DeepEqual(got, s.want) {
			t.Errorf("after %s: %v, want %v", s.query, got, s.want)
		}
	}
	// A WITHOUT ROWID table has no rowid to select by: a known difference.
	run(t, db, "CREATE TABLE w (k PRIMARY KEY) WITHOUT ROWID")
	if _, err := db.Prepare("DELETE FROM w LIMIT 1").Run(context.Background()); err == nil {
		t.Error("DELETE ... LIMIT on a WITHOUT ROWID table ran")
	}
}

func TestBatchOfClientStatements(t *testing.T) {
	db := open(t)
	c := d1.New(db)
	ctx := context.Background()
	if _, err := c.Run(ctx, "CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	ins, err := c.Prepare("INSERT INTO t VALUES (?)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Batch(ctx, ins.Bind(1), ins.Bind(2)); err != nil {
		t.Fatal(err)
	}
	row, err := c.First(ctx, "SELECT sum(x) AS s FROM t")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := row.Value("s"); v != int64(3) {
		t.Errorf("sum = %v", v)
	}
	var _ d1.Database = (*local.DB)(nil)
}
