package local_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/lunora-go/d1"
)

// TestQuery covers the statement's d1.Querier side: values given for one run
// instead of bound to a copy.
func TestQuery(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	run(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n REAL)")
	ins := db.Prepare("INSERT INTO t (id, name, n) VALUES (?, ?, ?)").(d1.Querier)
	res, err := ins.Query(ctx, d1.OpRun, 1, "a", int32(7))
	if err != nil {
		t.Fatal(err)
	}
	if res.Meta.Changes != 1 || res.Meta.LastRowID != 1 {
		t.Errorf("run meta = %+v", res.Meta)
	}
	sel := db.Prepare("SELECT id, name, n FROM t WHERE id = ?").(d1.Querier)
	for _, tc := range []struct {
		op      d1.Op
		cols    []string
		rows    [][]any
		hasMeta bool
	}{
		{d1.OpAll, []string{"id", "name", "n"}, [][]any{{int64(1), "a", int64(7)}}, true},
		{d1.OpFirst, []string{"id", "name", "n"}, [][]any{{int64(1), "a", int64(7)}}, false},
		{d1.OpRaw, []string{"id", "name", "n"}, [][]any{{int64(1), "a", int64(7)}}, false},
	} {
		res, err := sel.Query(ctx, tc.op, 1)
		if err != nil {
			t.Fatalf("%s: %v", tc.op, err)
		}
		if !reflect.DeepEqual(res.Columns, tc.cols) || !reflect.DeepEqual(res.Rows, tc.rows) {
			t.Errorf("%s = %v %v, want %v %v", tc.op, res.Columns, res.Rows, tc.cols, tc.rows)
		}
		if got := res.Meta.ServedBy != ""; got != tc.hasMeta {
			t.Errorf("%s: meta present = %v, want %v", tc.op, got, tc.hasMeta)
		}
	}

	// QueryRow: the row alone, from a reader or, for a statement that
	// writes, from the writer; ErrNoRows without a row.
	row, err := sel.QueryRow(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := (d1.Row{Columns: []string{"id", "name", "n"}, Values: []any{int64(1), "a", int64(7)}}); !reflect.DeepEqual(row, want) {
		t.Errorf("QueryRow = %v, want %v", row, want)
	}
	if _, err := sel.QueryRow(ctx, 99); !errors.Is(err, d1.ErrNoRows) {
		t.Errorf("QueryRow without a row: %v, want d1.ErrNoRows", err)
	}
	// Rows kept from many reads stay as they were read: each has room of
	// its own, though several share an allocation.
	for i := 2; i <= 4; i++ {
		if _, err := ins.Query(ctx, d1.OpRun, i, fmt.Sprintf("name-%d", i), float64(i)+0.5); err != nil {
			t.Fatal(err)
		}
	}
	var kept []d1.Row
	for i := range 10 {
		row, err := sel.QueryRow(ctx, i%3+2)
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, row)
	}
	for i, row := range kept {
		id := i%3 + 2
		if want := []any{int64(id), fmt.Sprintf("name-%d", id), float64(id) + 0.5}; !reflect.DeepEqual(row.Values, want) {
			t.Errorf("kept row %d = %v, want %v", i, row.Values, want)
		}
	}
	run(t, db, "DELETE FROM t WHERE id > 1")

	ret := db.Prepare("INSERT INTO t (id, name, n) VALUES (?, ?, ?) RETURNING id, name").(d1.Querier)
	row, err = ret.QueryRow(ctx, 5, "e", 2.5)
	if err != nil {
		t.Fatal(err)
	}
	if want := []any{int64(5), "e"}; !reflect.DeepEqual(row.Values, want) {
		t.Errorf("QueryRow of an insert = %v, want %v", row.Values, want)
	}
	run(t, db, "DELETE FROM t WHERE id = 5")

	// Bad input: the same errors as Bind and a run give, and nothing runs.
	var e *d1.Error
	if _, err := ins.Query(ctx, d1.OpRun, 2, "b", int64(1)<<60); !errors.As(err, &e) || e.Code != d1.CodeTypeError {
		t.Errorf("integer beyond 2^53: %v, want D1_TYPE_ERROR", err)
	}
	if _, err := ins.Query(ctx, d1.OpRun, 2, "b", struct{}{}); !errors.As(err, &e) || e.Code != d1.CodeTypeError {
		t.Errorf("struct value: %v, want D1_TYPE_ERROR", err)
	}
	if _, err := ins.Query(ctx, d1.OpRun, 2); errText(err) != "D1_ERROR: Wrong number of parameter bindings for SQL query." {
		t.Errorf("too few values: %v", err)
	}
	if _, err := ins.QueryRow(ctx, 2, "b", []int{1}); !errors.As(err, &e) || e.Code != d1.CodeTypeError {
		t.Errorf("slice value in QueryRow: %v, want D1_TYPE_ERROR", err)
	}
	if _, err := ins.Query(ctx, d1.OpBatch, 2, "b", 1); err == nil {
		t.Error("Query ran op batch")
	}
	if got := run(t, db, "SELECT count(*) FROM t").Rows[0][0]; got != int64(1) {
		t.Errorf("%v rows after refused queries, want 1", got)
	}
}

// TestBatchValues covers the d1.ValueBatcher side of the database and of a
// session: values beside unbound statements.
func TestBatchValues(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	run(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
	sess := db.WithSession("")
	for _, b := range []struct {
		name string
		db   d1.ValueBatcher
		p    func(string) d1.PreparedStatement
	}{
		{"db", db, db.Prepare},
		{"session", sess.(d1.ValueBatcher), sess.Prepare},
	} {
		ins := b.p("INSERT INTO t (name) VALUES (?)")
		count := b.p("SELECT count(*) FROM t")
		before := run(t, db, "SELECT count(*) FROM t").Rows[0][0].(int64)
		res, err := b.db.BatchValues(ctx, []d1.PreparedStatement{ins, ins, count},
			[][]any{{b.name + "-1"}, {b.name + "-2"}, nil})
		if err != nil {
			t.Fatalf("%s: %v", b.name, err)
		}
		if got, want := res[2].Rows[0][0], before+2; got != want {
			t.Errorf("%s: count in the batch = %v, want %v", b.name, got, want)
		}
		// A refused value fails the batch before anything runs; a failing
		// statement undoes it.
		for _, vals := range [][][]any{
			{{b.name + "-3"}, {[]int{1}}, nil},
			{{b.name + "-3"}, {b.name + "-1"}, nil},
		} {
			if _, err := b.db.BatchValues(ctx, []d1.PreparedStatement{ins, ins, count}, vals); err == nil {
				t.Errorf("%s: batch with %v succeeded", b.name, vals)
			}
		}
		if _, err := b.db.BatchValues(ctx, []d1.PreparedStatement{ins}, [][]any{}); err == nil {
			t.Errorf("%s: batch with a missing list of values succeeded", b.name)
		}
		if got, want := run(t, db, "SELECT count(*) FROM t").Rows[0][0], before+2; got != want {
			t.Errorf("%s: %v rows after failed batches, want %v", b.name, got, want)
		}
		// Values the caller did not normalize are normalized, as Bind
		// would: bound as REAL, they land in TEXT as "7.0".
		del := b.p("DELETE FROM t WHERE name IN ('7.0', '1.0')")
		sel := b.p("SELECT name FROM t WHERE name IN ('7.0', '1.0') ORDER BY name")
		res, err = b.db.BatchValues(ctx, []d1.PreparedStatement{del, ins, ins, sel}, [][]any{nil, {int32(7)}, {true}, nil})
		if err != nil {
			t.Fatalf("%s: batch of values to normalize: %v", b.name, err)
		}
		if got := fmt.Sprint(res[3].Rows); got != "[[1.0] [7.0]]" {
			t.Errorf("%s: rows of normalized values = %s, want [[1.0] [7.0]]", b.name, got)
		}
	}
}

// TestNoStat4 checks that ANALYZE leaves no sqlite_stat4 table, which D1's
// SQLite does not make, whether it is a statement of its own or comes
// before another in one text.
func TestNoStat4(t *testing.T) {
	for _, q := range []string{"ANALYZE", "ANALYZE; SELECT 1", "PRAGMA optimize=0x10002; SELECT 1"} {
		db := open(t)
		run(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
		run(t, db, "CREATE INDEX tv ON t (v)")
		run(t, db, "INSERT INTO t (v) VALUES ('a'), ('b'), ('a')")
		run(t, db, q)
		if n := run(t, db, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat4'").Rows[0][0]; n != int64(0) {
			t.Errorf("after %q: %v sqlite_stat4 tables, want none", q, n)
		}
	}
}
