package local

import "testing"

func TestIsBlankQuery(t *testing.T) {
	tests := []struct {
		query string
		want  bool
	}{
		{"", true},
		{"   ", true},
		{"\n\t \r\n", true},
		{"\u00a0\u2003", true},
		{"  -- only\n  ", true},
		{"\n-- at a line start after a newline", true},
		{"  -- one\n  -- two", true},
		{"-- hi", false}, // no whitespace before "--": SQLite sees it
		{"/* c */", false},
		{";", false},
		{"SELECT 1", false},
		{"  -- c\nSELECT 1", false},
		{"  -- c\n-- d", false}, // the second comment starts its line
	}
	for _, tt := range tests {
		if got := isBlankQuery(tt.query); got != tt.want {
			t.Errorf("isBlankQuery(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
}

func TestSkipSpace(t *testing.T) {
	for in, want := range map[string]string{
		"":            "",
		" \t\n\r\f\v": "",
		"  x ":        "x ",
		"-- c":        "-- c",
	} {
		if got := skipSpace(in); got != want {
			t.Errorf("skipSpace(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFirstWord(t *testing.T) {
	for in, want := range map[string]string{
		"pragma foreign_keys":           "PRAGMA",
		"  /* x */ -- y\n Pragma a = 1": "PRAGMA",
		"SELECT 1":                      "SELECT",
		"'str'":                         "",
		"":                              "",
	} {
		if got := firstWord(in); got != want {
			t.Errorf("firstWord(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRewriteLimit(t *testing.T) {
	tests := []struct {
		in, want, err string
		ok            bool
	}{
		{
			in:   "DELETE FROM t WHERE v > 1 ORDER BY v DESC LIMIT 2",
			want: "DELETE FROM t WHERE rowid IN (SELECT rowid FROM t WHERE v > 1 ORDER BY v DESC LIMIT 2)",
			ok:   true,
		},
		{
			in:   "delete from main.t limit 1 offset 1;",
			want: "delete from main.t WHERE rowid IN (SELECT rowid FROM main.t limit 1 offset 1);",
			ok:   true,
		},
		{
			in:   "DELETE FROM t AS x WHERE x.v IN (SELECT v FROM u LIMIT 3) RETURNING v LIMIT 1",
			want: "DELETE FROM t AS x WHERE rowid IN (SELECT rowid FROM t AS x WHERE x.v IN (SELECT v FROM u LIMIT 3) LIMIT 1) RETURNING v",
			ok:   true,
		},
		{
			in:   "WITH c AS (SELECT 1) DELETE FROM t WHERE a IN c LIMIT 1; SELECT 2",
			want: "WITH c AS (SELECT 1) DELETE FROM t WHERE rowid IN (SELECT rowid FROM t WHERE a IN c LIMIT 1); SELECT 2",
			ok:   true,
		},
		{
			in:   "UPDATE OR IGNORE t SET v = (SELECT max(v) FROM t LIMIT 1) WHERE v < 3 ORDER BY v LIMIT 1",
			want: "UPDATE OR IGNORE t SET v = (SELECT max(v) FROM t LIMIT 1) WHERE rowid IN (SELECT rowid FROM t WHERE v < 3 ORDER BY v LIMIT 1)",
			ok:   true,
		},
		{
			in:   "UPDATE t SET v = 'LIMIT' LIMIT 1 -- LIMIT",
			want: "UPDATE t SET v = 'LIMIT' WHERE rowid IN (SELECT rowid FROM t LIMIT 1)",
			ok:   true,
		},
		{in: "DELETE FROM t ORDER BY v", err: "ORDER BY without LIMIT on DELETE", ok: true},
		{in: "UPDATE t SET v = 1 ORDER BY v", err: "ORDER BY without LIMIT on UPDATE", ok: true},
		{in: "UPDATE t SET v = u.v FROM u LIMIT 1"},
		{in: "SELECT * FROM t LIMIT 1"},
		{in: "DELETE FROM t WHERE 'unterminated LIMIT 1"},
		{in: "DELETE FROM t"},
	}
	for _, tt := range tests {
		got, err, ok := rewriteLimit(tt.in)
		if got != tt.want || err != tt.err || ok != tt.ok {
			t.Errorf("rewriteLimit(%q)\n = %q, %q, %v\nwant %q, %q, %v", tt.in, got, err, ok, tt.want, tt.err, tt.ok)
		}
	}
}

func TestFormatBookmark(t *testing.T) {
	tests := []struct {
		c    uint64
		want string
	}{
		{0, "00000000-00000000-00000000-00000000000000000000000000000000"},
		{0x1c, "00000000-0000001c-00000000-00000000000000000000000000000000"},
		{1<<32 + 5, "00000001-00000005-00000000-00000000000000000000000000000000"},
	}
	for _, tt := range tests {
		if got := formatBookmark(tt.c); got != tt.want {
			t.Errorf("formatBookmark(%d) = %s, want %s", tt.c, got, tt.want)
		}
	}
	if a, b := formatBookmark(0xffffffff), formatBookmark(1<<32); !(a < b) {
		t.Errorf("bookmarks do not sort as counters: %s >= %s", a, b)
	}
}

func TestIsPragmaBool(t *testing.T) {
	for v, want := range map[string]bool{
		"on": true, "OFF": true, "'yes'": true, `"no"`: true, "1": true, "0": true,
		"true": true, "False": true, "onx": true, "10": true, "2": false, "maybe": false, "''": false,
	} {
		if got := isPragmaBool(v); got != want {
			t.Errorf("isPragmaBool(%q) = %v, want %v", v, got, want)
		}
	}
}
