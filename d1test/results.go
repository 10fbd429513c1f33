package d1test

import (
	"errors"
	"slices"
	"testing"

	"github.com/lunora-go/d1"
)

var resultTests = []test{
	{"all", testAll},
	{"duplicate columns", testDuplicateColumns},
	{"no rows", testNoRows},
	{"first", testFirst},
	{"raw", testRaw},
	{"meta", testMeta},
	{"multiple statements", testMultipleStatements},
	{"scan", testScan},
}

func testAll(t *testing.T, h *harness) {
	tbl := Table("all")
	h.exec(t, "CREATE TABLE "+tbl+" (id INTEGER PRIMARY KEY, name TEXT)")
	for _, n := range []string{"a", "b", "c"} {
		h.exec(t, "INSERT INTO "+tbl+" (name) VALUES (?)", n)
	}
	res := h.all(t, "SELECT id, name FROM "+tbl+" ORDER BY id")
	if got, want := res.Columns, []string{"id", "name"}; !slices.Equal(got, want) {
		t.Errorf("Columns = %q, want %q", got, want)
	}
	if len(res.Rows) != 3 {
		t.Fatalf("%d rows, want 3", len(res.Rows))
	}
	for i, n := range []string{"a", "b", "c"} {
		if got := res.Rows[i]; !sameValue(got[0], int64(i+1)) || got[1] != n {
			t.Errorf("row %d = %v, want [%d %s]", i, got, i+1, n)
		}
	}
	// Run returns the same shape as All.
	run, err := h.client.Run(h.ctx, "SELECT name FROM "+tbl+" ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Rows) != 3 || run.Rows[2][0] != "c" {
		t.Errorf("Run rows = %v", run.Rows)
	}
}

// testDuplicateColumns: all() keeps the last value of a repeated name, raw keeps both.
func testDuplicateColumns(t *testing.T, h *harness) {
	res := h.all(t, "SELECT 1 AS a, 2 AS a, 3 AS b")
	if got, want := res.Columns, []string{"a", "b"}; !slices.Equal(got, want) {
		t.Fatalf("Columns = %q, want %q", got, want)
	}
	if got := res.Rows[0]; !sameValue(got[0], int64(2)) || !sameValue(got[1], int64(3)) {
		t.Errorf("row = %v, want [2 3]", got)
	}
	st, err := h.client.Prepare("SELECT 1 AS a, 2 AS a, 3 AS b")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := st.Raw(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := raw.Columns, []string{"a", "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("Raw Columns = %q, want %q", got, want)
	}
	if got := raw.Rows[0]; len(got) != 3 || !sameValue(got[0], int64(1)) || !sameValue(got[1], int64(2)) {
		t.Errorf("Raw row = %v, want [1 2 3]", got)
	}
}

func testNoRows(t *testing.T, h *harness) {
	tbl := Table("empty")
	h.exec(t, "CREATE TABLE "+tbl+" (id INTEGER PRIMARY KEY, name TEXT)")
	res := h.all(t, "SELECT id, name FROM "+tbl)
	if len(res.Rows) != 0 {
		t.Errorf("%d rows, want 0", len(res.Rows))
	}
	if len(res.Columns) != 0 {
		t.Errorf("Columns = %q, want none (D1's all() names columns only through rows)", res.Columns)
	}
	_, err := h.client.First(h.ctx, "SELECT id FROM "+tbl)
	if !errors.Is(err, d1.ErrNoRows) {
		t.Errorf("First on no rows: err = %v, want ErrNoRows", err)
	}
	st, _ := h.client.Prepare("SELECT id, name FROM " + tbl)
	raw, err := st.Raw(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := raw.Columns, []string{"id", "name"}; !slices.Equal(got, want) || len(raw.Rows) != 0 {
		t.Errorf("Raw = %q %v, want columns %q and no rows", got, raw.Rows, want)
	}
}

func testFirst(t *testing.T, h *harness) {
	row, err := h.client.First(h.ctx, "SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y'")
	if err != nil {
		t.Fatal(err)
	}
	if !sameValue(row.Values[0], int64(1)) || row.Values[1] != "x" {
		t.Errorf("First = %v, want [1 x]", row.Values)
	}
	v, err := row.Value("b")
	if err != nil || v != "x" {
		t.Errorf(`Value("b") = %v, %v`, v, err)
	}
	_, err = row.Value("nosuch")
	wantError(t, err, "D1_COLUMN_NOTFOUND: Column not found (nosuch)")
}

func testRaw(t *testing.T, h *harness) {
	st, err := h.client.Prepare("SELECT ? AS a, ? AS a, x'0aff' AS b")
	if err != nil {
		t.Fatal(err)
	}
	var second any = []byte("y")
	if h.b.NoBlobParams {
		second = "y"
	}
	raw, err := st.Bind("x", second).Raw(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := raw.Columns, []string{"a", "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("Raw Columns = %q, want %q", got, want)
	}
	if len(raw.Rows) != 1 || raw.Rows[0][0] != "x" || !sameValue(raw.Rows[0][1], second) ||
		!sameValue(raw.Rows[0][2], []byte{0x0a, 0xff}) {
		t.Errorf("Raw rows = %v", raw.Rows)
	}
}

func testMeta(t *testing.T, h *harness) {
	tbl := Table("meta")
	h.exec(t, "CREATE TABLE "+tbl+" (id INTEGER PRIMARY KEY, name TEXT)")
	res := h.exec(t, "INSERT INTO "+tbl+" (name) VALUES (?), (?)", "a", "b")
	m := res.Meta
	if m.Changes != 2 {
		t.Errorf("Changes = %d, want 2", m.Changes)
	}
	if m.LastRowID != 2 {
		t.Errorf("LastRowID = %d, want 2", m.LastRowID)
	}
	if !m.ChangedDB {
		t.Error("ChangedDB = false after an insert")
	}
	if m.RowsWritten < 2 {
		t.Errorf("RowsWritten = %d, want at least 2", m.RowsWritten)
	}
	if m.SizeAfter <= 0 {
		t.Errorf("SizeAfter = %d, want > 0", m.SizeAfter)
	}
	sel := h.all(t, "SELECT * FROM "+tbl)
	if sel.Meta.ChangedDB || sel.Meta.Changes != 0 {
		t.Errorf("a SELECT reports ChangedDB=%v Changes=%d", sel.Meta.ChangedDB, sel.Meta.Changes)
	}
	if sel.Meta.RowsRead < 2 {
		t.Errorf("RowsRead = %d, want at least 2", sel.Meta.RowsRead)
	}
	upd := h.exec(t, "UPDATE "+tbl+" SET name = 'z'")
	if upd.Meta.Changes != 2 {
		t.Errorf("UPDATE Changes = %d, want 2", upd.Meta.Changes)
	}
}

// testMultipleStatements: one prepared SQL with several statements runs them all.
func testMultipleStatements(t *testing.T, h *harness) {
	tbl := Table("multi")
	h.exec(t, "CREATE TABLE "+tbl+" (id INTEGER PRIMARY KEY, name TEXT)")
	res := h.all(t, "INSERT INTO "+tbl+" (name) VALUES ('m'); SELECT count(*) AS c FROM "+tbl)
	if len(res.Rows) != 1 || !sameValue(res.Rows[0][0], int64(1)) {
		t.Errorf("rows = %v, want [[1]]", res.Rows)
	}
}

func testScan(t *testing.T, h *harness) {
	type user struct {
		ID        int64
		Name      string
		Email     *string
		CreatedAt float64 `db:"created_at"`
	}
	tbl := Table("scan")
	h.exec(t, "CREATE TABLE "+tbl+" (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, created_at REAL)")
	h.exec(t, "INSERT INTO "+tbl+" (name, email, created_at) VALUES ('ann', 'a@x', 1.5), ('bob', NULL, 2)")
	res := h.all(t, "SELECT id, name, email, created_at FROM "+tbl+" ORDER BY id")
	users, err := d1.ScanAll[user](res)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users[0].Name != "ann" || users[0].Email == nil || *users[0].Email != "a@x" ||
		users[1].Email != nil || users[1].CreatedAt != 2 || users[0].CreatedAt != 1.5 || users[1].ID != 2 {
		t.Errorf("ScanAll = %+v", users)
	}
	row, err := h.client.First(h.ctx, "SELECT name, id FROM "+tbl+" WHERE id = ?", 2)
	if err != nil {
		t.Fatal(err)
	}
	var name string
	var id int
	if err := row.Scan(&name, &id); err != nil || name != "bob" || id != 2 {
		t.Errorf("Scan = %q %d %v", name, id, err)
	}
	n, err := d1.ScanOne[int](h.firstRow(t, "SELECT count(*) FROM "+tbl))
	if err != nil || n != 2 {
		t.Errorf("ScanOne[int] = %d, %v", n, err)
	}
}

func (h *harness) firstRow(t *testing.T, query string, args ...any) d1.Row {
	t.Helper()
	row, err := h.client.First(h.ctx, query, args...)
	if err != nil {
		t.Fatalf("First(%q): %v", query, err)
	}
	return row
}
