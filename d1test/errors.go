package d1test

import (
	"context"
	"errors"
	"testing"

	"github.com/lunora-go/d1"
)

var errorTests = []test{
	{"syntax", testSyntaxError},
	{"no such table", testNoSuchTable},
	{"constraints", testConstraints},
	{"parameter count", testParameterCount},
	{"cancelled context", testCancelled},
}

func testSyntaxError(t *testing.T, h *harness) {
	_, err := h.client.All(h.ctx, "SELEC 1")
	e := wantError(t, err, `D1_ERROR: near "SELEC": syntax error at offset 0: SQLITE_ERROR`)
	if e.Code != d1.CodeError || e.Primary != d1.ResultError || e.Offset != 0 || e.Message != `near "SELEC": syntax error` {
		t.Errorf("fields = %+v", *e)
	}
}

func testNoSuchTable(t *testing.T, h *harness) {
	_, err := h.client.All(h.ctx, "SELECT * FROM nosuch_table_here")
	wantError(t, err, "D1_ERROR: no such table: nosuch_table_here: SQLITE_ERROR")
}

func testConstraints(t *testing.T, h *harness) {
	parent, child := Table("parent"), Table("child")
	h.exec(t, "CREATE TABLE "+parent+" (id INTEGER PRIMARY KEY CHECK (id > 0), name TEXT NOT NULL UNIQUE)")
	h.exec(t, "CREATE TABLE "+child+" (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES "+parent+"(id))")
	h.exec(t, "INSERT INTO "+parent+" (id, name) VALUES (1, 'a')")
	cases := []struct {
		name, sql string
		want      string
		ext       d1.ResultCode
		unique    bool
	}{
		{"unique", "INSERT INTO " + parent + " (id, name) VALUES (2, 'a')",
			"D1_ERROR: UNIQUE constraint failed: " + parent + ".name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)",
			d1.ResultConstraintUnique, true},
		{"not null", "INSERT INTO " + parent + " (id, name) VALUES (3, NULL)",
			"D1_ERROR: NOT NULL constraint failed: " + parent + ".name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_NOTNULL)",
			d1.ResultConstraintNotNull, false},
		{"check", "INSERT INTO " + parent + " (id, name) VALUES (-1, 'c')",
			"D1_ERROR: CHECK constraint failed: id > 0: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_CHECK)",
			d1.ResultConstraintCheck, false},
		{"foreign key", "INSERT INTO " + child + " (parent_id) VALUES (99)",
			"D1_ERROR: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_FOREIGNKEY)",
			d1.ResultConstraintForeignKey, false},
		{"primary key", "INSERT INTO " + parent + " (id, name) VALUES (1, 'z')",
			"D1_ERROR: UNIQUE constraint failed: " + parent + ".id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)",
			d1.ResultConstraintPrimaryKey, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := h.client.Run(h.ctx, c.sql)
			e := wantError(t, err, c.want)
			if e.Primary != d1.ResultConstraint || e.Extended != c.ext {
				t.Errorf("codes = %v/%v, want %v/%v", e.Primary, e.Extended, d1.ResultConstraint, c.ext)
			}
			if !d1.IsConstraint(err) {
				t.Error("IsConstraint = false")
			}
			if got := d1.IsUniqueViolation(err); got != c.unique {
				t.Errorf("IsUniqueViolation = %v, want %v", got, c.unique)
			}
			if d1.IsRetryable(err) {
				t.Error("IsRetryable = true for a constraint violation")
			}
		})
	}
}

func testParameterCount(t *testing.T, h *harness) {
	const want = "D1_ERROR: Wrong number of parameter bindings for SQL query."
	_, err := h.client.All(h.ctx, "SELECT ?")
	wantError(t, err, want)
	_, err = h.client.All(h.ctx, "SELECT ?", 1, 2)
	wantError(t, err, want)
	_, err = h.client.All(h.ctx, "SELECT 1", 1)
	wantError(t, err, want)
	res, err := h.client.All(h.ctx, "SELECT ?2 AS b, ?1 AS a", "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows[0][0] != "b" || res.Rows[0][1] != "a" {
		t.Errorf("?NNN binding: %v", res.Rows[0])
	}
}

func testCancelled(t *testing.T, h *harness) {
	ctx, cancel := context.WithCancel(h.ctx)
	cancel()
	_, err := h.client.All(ctx, "SELECT 1")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	// The client still works afterwards.
	if _, err := h.client.All(h.ctx, "SELECT 1"); err != nil {
		t.Errorf("after a cancelled query: %v", err)
	}
}
