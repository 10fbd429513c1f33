package local_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/lunora-go/d1"
)

// TestMeta runs a sequence of statements and checks their meta against what
// workerd's local D1 reported for the same sequence. Where the local
// estimate of rows_read or rows_written is known to differ (see meta.go),
// the statement is not in the list.
func TestMeta(t *testing.T) {
	db := open(t)
	type want struct {
		changes, lastRowID, rowsRead, rowsWritten int64
		changedDB                                 bool
	}
	steps := []struct {
		query string
		want  want
	}{
		{"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, x, y INTEGER)", want{0, 0, 1, 3, true}},
		// After the first query D1 writes its _cf_METADATA row with key 2:
		// last_row_id is 2 until the next insert.
		{"CREATE INDEX t_y ON t (y)", want{0, 2, 2, 1, true}},
		{"SELECT * FROM t", want{0, 2, 1, 0, false}},
		{"SELECT * FROM t WHERE id = 5", want{0, 2, 1, 0, false}},
		{"INSERT INTO t (name, x, y) VALUES ('a',1,1),('b',2,2),('c',3,3),('d',4,4),('e',5,5)", want{5, 5, 0, 15, true}},
		{"SELECT * FROM t", want{0, 5, 5, 0, false}},
		{"SELECT * FROM t WHERE id = 2", want{0, 5, 1, 0, false}},
		{"SELECT * FROM t WHERE id = 99", want{0, 5, 1, 0, false}},
		{"SELECT * FROM t ORDER BY x DESC", want{0, 5, 10, 0, false}},
		{"SELECT * FROM t WHERE y > 2", want{0, 5, 3, 0, false}},
		{"SELECT count(*) FROM t WHERE x > 0", want{0, 5, 5, 0, false}},
		{"SELECT a.id FROM t a JOIN t b ON a.x = b.id", want{0, 5, 10, 0, false}},
		{"SELECT * FROM t LIMIT 2", want{0, 5, 2, 0, false}},
		{"SELECT max(id) FROM t", want{0, 5, 1, 0, false}},
		{"UPDATE t SET x = 10 WHERE id = 1", want{1, 5, 1, 1, true}},
		{"UPDATE t SET y = 10 WHERE id = 1", want{1, 5, 1, 2, true}},
		{"UPDATE t SET y = y + 1", want{5, 5, 5, 10, true}},
		{"DELETE FROM t WHERE id = 5", want{1, 5, 1, 1, true}},
		{"CREATE TABLE u (a)", want{0, 5, 1, 2, true}},
		{"INSERT INTO u VALUES (1), (2), (3)", want{3, 3, 0, 3, true}},
		{"SELECT * FROM u", want{0, 3, 3, 0, false}},
		{"DELETE FROM u", want{3, 3, 0, 3, true}},
		{"SELECT * FROM u", want{0, 3, 1, 0, false}},
		{"SELECT 1 UNION ALL SELECT 2", want{0, 3, 0, 0, false}},
		{"CREATE TABLE v (a INTEGER PRIMARY KEY AUTOINCREMENT, b)", want{0, 3, 2, 4, true}},
		{"INSERT INTO v (b) VALUES (1)", want{1, 1, 1, 2, true}},
		{"CREATE TABLE r (n)", want{0, 1, 1, 2, true}},
		{"CREATE TRIGGER rt AFTER INSERT ON r WHEN new.n < 100 BEGIN INSERT INTO r VALUES (new.n + 1); END", want{0, 1, 0, 1, false}},
		{"PRAGMA recursive_triggers = on", want{0, 1, 0, 0, false}},
		{"INSERT INTO r VALUES (96)", want{5, 1, 0, 5, true}},
	}
	ctx := context.Background()
	for _, s := range steps {
		res, err := db.Prepare(s.query).All(ctx)
		if err != nil {
			t.Fatalf("%s: %v", s.query, err)
		}
		m := res.Meta
		got := want{m.Changes, m.LastRowID, m.RowsRead, m.RowsWritten, m.ChangedDB}
		if got != s.want {
			t.Errorf("%s:\n got %+v\nwant %+v", s.query, got, s.want)
		}
		if m.ServedBy != "local" || m.Duration < 0 || m.SizeAfter <= 0 || m.SizeAfter%4096 != 0 {
			t.Errorf("%s: meta %+v", s.query, m)
		}
	}
}

func TestMetaSize(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	size := func(q string) int64 {
		t.Helper()
		res, err := db.Prepare(q).Run(ctx)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return res.Meta.SizeAfter
	}
	s0 := size("SELECT 1")
	s1 := size("CREATE TABLE big (b)")
	if s1 <= s0 {
		t.Errorf("size after CREATE TABLE %d, before %d", s1, s0)
	}
	s2 := size(fmt.Sprintf("INSERT INTO big VALUES (zeroblob(%d))", 64*1024))
	if s2 < s1+64*1024 {
		t.Errorf("size after inserting 64 KiB: %d, before %d", s2, s1)
	}
	if got := size("SELECT 1"); got != s2 {
		t.Errorf("a read reports size %d, want the last write's %d", got, s2)
	}
	// D1 counts only pages in use: dropping the table shrinks the size
	// although the file keeps its pages.
	res, err := db.Prepare("DROP TABLE big").Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Meta.SizeAfter >= s2 || !res.Meta.ChangedDB {
		t.Errorf("after DROP TABLE: %+v, want a size below %d", res.Meta, s2)
	}
}

func TestLastRowIDPersists(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	run(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v UNIQUE)")
	run(t, db, "INSERT INTO t (v) VALUES ('a'), ('b'), ('c')")
	for _, q := range []string{"SELECT * FROM t", "UPDATE t SET v = 'z' WHERE id = 1", "SELECT 1"} {
		if got := run(t, db, q).Meta.LastRowID; got != 3 {
			t.Errorf("%s: last_row_id %d, want 3", q, got)
		}
	}
	// A failed insert rolls back, but the rowid it took stays, as on D1.
	if _, err := db.Prepare("INSERT INTO t (v) VALUES ('d'); INSERT INTO t (v) VALUES ('b')").Run(ctx); err == nil {
		t.Fatal("duplicate insert succeeded")
	}
	if got := run(t, db, "SELECT 1").Meta.LastRowID; got != 4 {
		t.Errorf("last_row_id after a failed query: %d, want 4", got)
	}
	var m d1.Meta
	if m = run(t, db, "INSERT INTO t (v) VALUES ('e')").Meta; m.LastRowID != 4 || m.Changes != 1 {
		t.Errorf("insert after the failure: %+v", m)
	}
}
