package d1test

import "testing"

var execTests = []test{
	{"lines", testExecLines},
	{"error", testExecError},
}

func testExecLines(t *testing.T, h *harness) {
	tbl := Table("exec")
	res, err := h.client.Exec(h.ctx, "CREATE TABLE "+tbl+" (a);\nINSERT INTO "+tbl+" VALUES (1);\nINSERT INTO "+tbl+" VALUES (2)")
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 3 {
		t.Errorf("Count = %d, want 3", res.Count)
	}
	rows := h.all(t, "SELECT count(*) FROM "+tbl)
	if !sameValue(rows.Rows[0][0], int64(2)) {
		t.Errorf("rows = %v, want 2", rows.Rows[0][0])
	}
}

func testExecError(t *testing.T, h *harness) {
	_, err := h.client.Exec(h.ctx, "SELEC 1")
	wantError(t, err, `D1_EXEC_ERROR: Error in line 1: SELEC 1: near "SELEC": syntax error at offset 0: SQLITE_ERROR`)
}
