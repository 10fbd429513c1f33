package migrate

import (
	"strings"
	"testing"
)

func TestDroppedTable(t *testing.T) {
	tests := []struct{ stmt, want string }{
		{"DROP TABLE users", "users"},
		{"drop table if exists Users", "Users"},
		{`DROP TABLE "my ""table"""`, `my "table"`},
		{"DROP TABLE [order]", "order"},
		{"DROP TABLE `t`", "t"},
		{"DROP TABLE main.users", "users"},
		{`DROP TABLE IF EXISTS "main"."users"`, "users"},
		{"DROP /* c */ TABLE -- c\n users", "users"},
		{"DROP INDEX users", ""},
		{"DROP VIEW users", ""},
		{"CREATE TABLE users (a)", ""},
		{"DROP TABLE", ""},
		{"DROP TABLE IF users", ""},
		{"DROP TABLE main.", ""},
		{"ALTER TABLE users DROP COLUMN a", ""},
	}
	for _, tt := range tests {
		if got := droppedTable(tt.stmt); got != tt.want {
			t.Errorf("droppedTable(%q) = %q, want %q", tt.stmt, got, tt.want)
		}
	}
}

func TestGuardChunks(t *testing.T) {
	var tables []string
	for i := range 150 {
		tables = append(tables, "t"+strings.Repeat("x", i%3)+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	tables = append(tables, "parent", "PARENT", "__drizzle_migrations", "sqlite_sequence", "_cf_METADATA")
	query, args := guard("h", "parent", tables)
	if got, want := len(query), 5; got != want {
		t.Fatalf("%d guard statements, want %d", got, want)
	}
	n := 0
	for i, a := range args {
		if len(a) > 100 {
			t.Errorf("statement %d binds %d values", i, len(a))
		}
		if a[0] != "h" || a[1] != "parent" {
			t.Errorf("statement %d binds %v first", i, a[:2])
		}
		n += len(a) - 2
		for _, v := range a[2:] {
			switch v {
			case "parent", "PARENT", "__drizzle_migrations", "sqlite_sequence", "_cf_METADATA":
				t.Errorf("statement %d checks %v", i, v)
			}
		}
	}
	if n != 150 {
		t.Errorf("%d tables checked, want 150", n)
	}
	if q, _ := guard("h", "t", []string{"t", "sqlite_sequence"}); len(q) != 0 {
		t.Errorf("guard with no other tables: %q", q)
	}
}

func TestEntryString(t *testing.T) {
	if got, want := (Entry{Version: 3, Name: "add users"}).String(), `3 "add users"`; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if got, want := (Entry{Version: 3}).String(), "3"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}
