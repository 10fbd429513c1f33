package dialect

import (
	"slices"
	"testing"
)

func TestQuoteIdentifier(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"users", `"users"`},
		{"select", `"select"`},
		{`a"b`, `"a""b"`},
		{`"`, `""""`},
		{`""`, `""""""`},
		{"a b;--", `"a b;--"`},
		{"naïve", `"naïve"`},
		{"line\nbreak", "\"line\nbreak\""},
		{"back`tick[]", "\"back`tick[]\""},
	}
	for _, tt := range tests {
		if got := QuoteIdentifier(tt.in); got != tt.want {
			t.Errorf("QuoteIdentifier(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestSQLAffinityForKind(t *testing.T) {
	tests := []struct {
		kind string
		want SQLAffinity
	}{
		{"boolean", AffinityInteger},
		{"bytes", AffinityBlob},
		{"number", AffinityReal},
		{"timestamp", AffinityReal},
		{"date", AffinityReal},
		{"string", AffinityText},
		{"id", AffinityText},
		{"int64", AffinityText},
		{"json", AffinityText},
		{"object", AffinityText},
		{"array", AffinityText},
		{"any", AffinityText},
		{"", AffinityText},
		{"Boolean", AffinityText}, // kinds are case-sensitive
	}
	for _, tt := range tests {
		if got := SQLAffinityForKind(tt.kind); got != tt.want {
			t.Errorf("SQLAffinityForKind(%q) = %s, want %s", tt.kind, got, tt.want)
		}
	}
}

func TestFrameworkColumnDDL(t *testing.T) {
	want := []string{`"id" TEXT PRIMARY KEY`, `"_creationTime" REAL NOT NULL`}
	got := FrameworkColumnDDL()
	if !slices.Equal(got, want) {
		t.Fatalf("FrameworkColumnDDL() = %q, want %q", got, want)
	}
	// Each call returns a fresh slice: changing one changes no other.
	got[0] = "x"
	if again := FrameworkColumnDDL(); !slices.Equal(again, want) {
		t.Errorf("FrameworkColumnDDL() after a caller's change = %q, want %q", again, want)
	}
}

func TestColumnRef(t *testing.T) {
	tests := []struct{ in, want string }{
		{"_id", `"id"`},
		{"id", `"id"`},
		{"ID", `"ID"`},
		{"_creationTime", `"_creationTime"`},
		{"name", `"name"`},
		{`we"ird`, `"we""ird"`},
	}
	for _, tt := range tests {
		if got := ColumnRef(tt.in); got != tt.want {
			t.Errorf("ColumnRef(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestPhysicalIndexName(t *testing.T) {
	tests := []struct{ table, index, want string }{
		{"users", "by_email", `"users_by_email"`},
		{`my"t`, `ix"`, `"my""t_ix"""`},
		{"", "", `"_"`},
	}
	for _, tt := range tests {
		if got := PhysicalIndexName(tt.table, tt.index); got != tt.want {
			t.Errorf("PhysicalIndexName(%q, %q) = %s, want %s", tt.table, tt.index, got, tt.want)
		}
	}
}

func TestConstants(t *testing.T) {
	if got, want := MaxTableColumns, 100; got != want {
		t.Errorf("MaxTableColumns = %d, want %d", got, want)
	}
	if got, want := VersionColumn, "_version"; got != want {
		t.Errorf("VersionColumn = %q, want %q", got, want)
	}
}

func BenchmarkQuoteIdentifier(b *testing.B) {
	for _, name := range []string{"users_by_email", `has "quotes" inside`} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = QuoteIdentifier(name)
			}
		})
	}
}
