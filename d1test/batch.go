package d1test

import (
	"testing"

	"github.com/lunora-go/d1"
)

var batchTests = []test{
	{"in order", testBatchInOrder},
	{"atomic", testBatchAtomic},
	{"empty", testBatchEmpty},
	{"bind error", testBatchBindError},
}

func testBatchInOrder(t *testing.T, h *harness) {
	tbl := Table("batch")
	create, _ := h.client.Prepare("CREATE TABLE " + tbl + " (id INTEGER PRIMARY KEY, name TEXT)")
	ins, _ := h.client.Prepare("INSERT INTO " + tbl + " (name) VALUES (?)")
	count, _ := h.client.Prepare("SELECT count(*) AS n FROM " + tbl)
	res, err := h.client.Batch(h.ctx, create, ins.Bind("a"), ins.Bind("b"), count)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 4 {
		t.Fatalf("%d results, want 4", len(res))
	}
	if res[1].Meta.LastRowID != 1 || res[2].Meta.LastRowID != 2 {
		t.Errorf("last_row_id = %d, %d, want 1, 2", res[1].Meta.LastRowID, res[2].Meta.LastRowID)
	}
	if len(res[3].Rows) != 1 || !sameValue(res[3].Rows[0][0], int64(2)) {
		t.Errorf("count in batch = %v, want 2", res[3].Rows)
	}
}

func testBatchAtomic(t *testing.T, h *harness) {
	tbl := Table("atomic")
	h.exec(t, "CREATE TABLE "+tbl+" (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
	ins, _ := h.client.Prepare("INSERT INTO " + tbl + " (name) VALUES (?)")
	after := Table("after")
	createAfter, _ := h.client.Prepare("CREATE TABLE " + after + " (a)")
	_, err := h.client.Batch(h.ctx, ins.Bind("a"), ins.Bind("b"), ins.Bind("a"), createAfter)
	wantError(t, err, "D1_ERROR: UNIQUE constraint failed: "+tbl+".name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)")
	res := h.all(t, "SELECT count(*) FROM "+tbl)
	if !sameValue(res.Rows[0][0], int64(0)) {
		t.Errorf("after a failed batch the table has %v rows, want 0", res.Rows[0][0])
	}
	_, err = h.client.All(h.ctx, "SELECT * FROM "+after)
	wantError(t, err, "D1_ERROR: no such table: "+after+": SQLITE_ERROR")
	// DDL in a failed batch is rolled back too.
	ddl := Table("ddl")
	mk, _ := h.client.Prepare("CREATE TABLE " + ddl + " (a)")
	bad, _ := h.client.Prepare("SELECT * FROM nosuch_for_batch")
	_, err = h.client.Batch(h.ctx, mk, bad)
	wantError(t, err, "D1_ERROR: no such table: nosuch_for_batch: SQLITE_ERROR")
	_, err = h.client.All(h.ctx, "SELECT * FROM "+ddl)
	wantError(t, err, "D1_ERROR: no such table: "+ddl+": SQLITE_ERROR")
}

func testBatchEmpty(t *testing.T, h *harness) {
	_, err := h.client.Batch(h.ctx)
	wantError(t, err, "D1_ERROR: No SQL statements detected.")
	_, err = h.client.WithSession("").Batch(h.ctx)
	wantError(t, err, "D1_ERROR: No SQL statements detected.")
}

func testBatchBindError(t *testing.T, h *harness) {
	tbl := Table("bindbatch")
	h.exec(t, "CREATE TABLE "+tbl+" (a)")
	ins, _ := h.client.Prepare("INSERT INTO " + tbl + " (a) VALUES (?)")
	_, err := h.client.Batch(h.ctx, ins.Bind(1), ins.Bind(struct{}{}))
	wantError(t, err, "D1_TYPE_ERROR: Type 'struct {}' not supported")
	res := h.all(t, "SELECT count(*) FROM "+tbl)
	if !sameValue(res.Rows[0][0], int64(0)) {
		t.Errorf("a batch with a bad value applied %v rows", res.Rows[0][0])
	}
	var nilStmt *d1.Stmt
	if _, err := h.client.Batch(h.ctx, ins.Bind(1), nilStmt); err == nil {
		t.Error("a batch with a nil statement succeeded")
	}
}
