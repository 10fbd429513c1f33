package d1test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/lunora-go/d1"
)

var limitTests = []test{
	{"empty sql", testEmptySQL},
	{"parameters", testTooManyParameters},
	{"sql length", testSQLLength},
	{"compound select", testCompoundSelect},
	{"like pattern", testLikePattern},
	{"columns", testTooManyColumns},
}

func testEmptySQL(t *testing.T, h *harness) {
	for _, q := range []string{"", "   \n\t"} {
		_, err := h.client.All(h.ctx, q)
		wantError(t, err, "D1_ERROR: No SQL statements detected.")
		if _, err := h.client.Prepare(q); err == nil {
			t.Errorf("Prepare(%q) succeeded", q)
		}
	}
	if got := h.client.CachedStatements(); len(got) != 0 {
		t.Errorf("failed prepares were cached: %q", got)
	}
}

func testTooManyParameters(t *testing.T, h *harness) {
	ok := "SELECT " + strings.Repeat("?,", d1.MaxBoundParameters-1) + "?"
	args := make([]any, d1.MaxBoundParameters)
	for i := range args {
		args[i] = i
	}
	if _, err := h.client.All(h.ctx, ok, args...); err != nil {
		t.Fatalf("%d parameters: %v", d1.MaxBoundParameters, err)
	}
	args = append(args, 1)
	_, err := h.client.All(h.ctx, ok+",?", args...)
	wantError(t, err, "D1_ERROR: too many SQL variables at offset 207: SQLITE_ERROR")
	_, err = h.client.All(h.ctx, "SELECT ?", args...)
	wantError(t, err, "D1_ERROR: Wrong number of parameter bindings for SQL query.")
}

func testSQLLength(t *testing.T, h *harness) {
	long := "SELECT '" + strings.Repeat("x", d1.MaxSQLLength) + "'"
	if _, err := h.client.Prepare(long); err == nil {
		t.Error("Prepare of a statement over 100,000 bytes succeeded")
	}
	_, err := h.client.All(h.ctx, long)
	wantError(t, err, "D1_ERROR: statement too long: SQLITE_TOOBIG")
}

func testCompoundSelect(t *testing.T, h *harness) {
	five := "SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5"
	if _, err := h.client.All(h.ctx, five); err != nil {
		t.Fatalf("5 terms: %v", err)
	}
	_, err := h.client.All(h.ctx, five+" UNION SELECT 6")
	wantError(t, err, "D1_ERROR: too many terms in compound SELECT: SQLITE_ERROR")
}

func testLikePattern(t *testing.T, h *harness) {
	if _, err := h.client.All(h.ctx, "SELECT 'a' LIKE ?", strings.Repeat("x", 50)); err != nil {
		t.Fatalf("50-byte pattern: %v", err)
	}
	_, err := h.client.All(h.ctx, "SELECT 'a' LIKE ?", strings.Repeat("x", 51))
	wantError(t, err, "D1_ERROR: LIKE or GLOB pattern too complex: SQLITE_ERROR")
}

func testTooManyColumns(t *testing.T, h *harness) {
	cols := func(n int) string {
		names := make([]string, n)
		for i := range names {
			names[i] = "c" + strconv.Itoa(i)
		}
		return strings.Join(names, ", ")
	}
	h.exec(t, "CREATE TABLE "+Table("cols")+" ("+cols(100)+")")
	name := Table("cols")
	_, err := h.client.Run(h.ctx, "CREATE TABLE "+name+" ("+cols(101)+")")
	wantError(t, err, "D1_ERROR: too many columns on "+name+": SQLITE_ERROR")
}
