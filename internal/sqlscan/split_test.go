package sqlscan

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func stmtTexts(src string, sts []Statement) []string {
	var out []string
	for _, st := range sts {
		out = append(out, src[st.Start:st.End])
	}
	return out
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"empty", "", nil},
		{"blank", " \n\t ", nil},
		{"semicolons only", ";;\n;", nil},
		{"comments only", "-- a\n/* b */", nil},
		{"one", "SELECT 1", []string{"SELECT 1"}},
		{"one with semicolon", "SELECT 1;", []string{"SELECT 1"}},
		{"trailing comment", "SELECT 1; -- done\n/* end */\n", []string{"SELECT 1"}},
		{"comment before semicolon", "SELECT 1 -- one\n;", []string{"SELECT 1"}},
		{"leading comment", "-- first\nCREATE TABLE t(a);", []string{"CREATE TABLE t(a)"}},
		{"inner comment kept", "SELECT /* ; */ 1", []string{"SELECT /* ; */ 1"}},
		{"two", "SELECT 1; SELECT 2;", []string{"SELECT 1", "SELECT 2"}},
		{"two without final semicolon", "SELECT 1;\nSELECT 2", []string{"SELECT 1", "SELECT 2"}},
		{"empty between", "SELECT 1;;; SELECT 2", []string{"SELECT 1", "SELECT 2"}},
		{"semicolon in string", "INSERT INTO t VALUES ('a;b'); SELECT 2", []string{"INSERT INTO t VALUES ('a;b')", "SELECT 2"}},
		{"semicolon in quoted ident", `SELECT "a;b" FROM t`, []string{`SELECT "a;b" FROM t`}},
		{"semicolon in backticks", "SELECT `a;b` FROM t", []string{"SELECT `a;b` FROM t"}},
		{"semicolon in brackets", "SELECT [a;b] FROM t", []string{"SELECT [a;b] FROM t"}},
		// SQLite reads "$a(;)" as one parameter: sqlite3_prepare of this
		// source stops after "SELECT $a(;);".
		{"semicolon in a parameter's suffix", "SELECT $a(;); SELECT 2", []string{"SELECT $a(;)", "SELECT 2"}},
		{"semicolon in line comment", "SELECT 1 -- a; b\n, 2", []string{"SELECT 1 -- a; b\n, 2"}},
		{"semicolon in block comment", "SELECT 1 /* a; b */, 2", []string{"SELECT 1 /* a; b */, 2"}},
		{"doubled quotes", "SELECT 'it''s; fine'; SELECT 2", []string{"SELECT 'it''s; fine'", "SELECT 2"}},
		{"blob", "SELECT x'3b'; SELECT 2", []string{"SELECT x'3b'", "SELECT 2"}},
		{
			"trigger",
			"CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (1); UPDATE c SET n = n + 1; END; SELECT 1",
			[]string{"CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (1); UPDATE c SET n = n + 1; END", "SELECT 1"},
		},
		{
			"temp trigger",
			"create temp trigger tr after insert on t begin select 1; end;",
			[]string{"create temp trigger tr after insert on t begin select 1; end"},
		},
		{
			"temporary trigger",
			"CREATE TEMPORARY TRIGGER IF NOT EXISTS tr BEFORE DELETE ON t BEGIN SELECT 1; END",
			[]string{"CREATE TEMPORARY TRIGGER IF NOT EXISTS tr BEFORE DELETE ON t BEGIN SELECT 1; END"},
		},
		{
			"case inside trigger",
			"CREATE TRIGGER tr AFTER UPDATE ON t BEGIN UPDATE t SET a = CASE WHEN new.b THEN 1 ELSE 0 END; SELECT CASE 1 WHEN 1 THEN 'x' END; END; SELECT 2",
			[]string{"CREATE TRIGGER tr AFTER UPDATE ON t BEGIN UPDATE t SET a = CASE WHEN new.b THEN 1 ELSE 0 END; SELECT CASE 1 WHEN 1 THEN 'x' END; END", "SELECT 2"},
		},
		{
			"nested case inside trigger",
			"CREATE TRIGGER tr AFTER UPDATE ON t BEGIN SELECT CASE WHEN 1 THEN CASE WHEN 2 THEN 3 END END; END; SELECT 2",
			[]string{"CREATE TRIGGER tr AFTER UPDATE ON t BEGIN SELECT CASE WHEN 1 THEN CASE WHEN 2 THEN 3 END END; END", "SELECT 2"},
		},
		{
			"case in trigger WHEN clause",
			"CREATE TRIGGER tr AFTER UPDATE ON t WHEN CASE WHEN new.a THEN 1 END BEGIN SELECT 1; END; SELECT 2",
			[]string{"CREATE TRIGGER tr AFTER UPDATE ON t WHEN CASE WHEN new.a THEN 1 END BEGIN SELECT 1; END", "SELECT 2"},
		},
		{
			"trigger named begin",
			"CREATE TRIGGER begin AFTER INSERT ON begin BEGIN SELECT 1; END; SELECT 2",
			[]string{"CREATE TRIGGER begin AFTER INSERT ON begin BEGIN SELECT 1; END", "SELECT 2"},
		},
		{
			"qualified end column",
			"CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT new.end, t.case; SELECT 1; END; SELECT 2",
			[]string{"CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT new.end, t.case; SELECT 1; END", "SELECT 2"},
		},
		{
			"trigger with strings and comments",
			"CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 'END;'; -- END;\n SELECT \"end\"; END;",
			[]string{"CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 'END;'; -- END;\n SELECT \"end\"; END"},
		},
		{"case outside trigger", "SELECT CASE WHEN 1 THEN 2 END; SELECT 3", []string{"SELECT CASE WHEN 1 THEN 2 END", "SELECT 3"}},
		{"begin transaction", "BEGIN; CREATE TABLE t(a); COMMIT;", []string{"BEGIN", "CREATE TABLE t(a)", "COMMIT"}},
		{"begin end", "BEGIN TRANSACTION; END TRANSACTION", []string{"BEGIN TRANSACTION", "END TRANSACTION"}},
		{"trigger without body", "CREATE TRIGGER tr AFTER INSERT ON t; SELECT 1", []string{"CREATE TRIGGER tr AFTER INSERT ON t", "SELECT 1"}},
		{"create table named trigger", `CREATE TABLE "trigger"(a); SELECT 1`, []string{`CREATE TABLE "trigger"(a)`, "SELECT 1"}},
		{"crlf", "SELECT 1;\r\nSELECT 2;\r\n", []string{"SELECT 1", "SELECT 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sts, err := Split(tt.src)
			if err != nil {
				t.Fatalf("Split: %v", err)
			}
			if got := stmtTexts(tt.src, sts); !slices.Equal(got, tt.want) {
				t.Errorf("statements:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestSplitSemicolon(t *testing.T) {
	src := "SELECT 1 ; SELECT 2"
	sts, err := Split(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []Statement{{Start: 0, End: 8, Semicolon: 9}, {Start: 11, End: 19, Semicolon: -1}}
	if !slices.Equal(sts, want) {
		t.Errorf("Split = %+v, want %+v", sts, want)
	}
}

func TestSplitErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string // the error text
		n    int    // statements still returned
	}{
		{"SELECT 'abc", "1:8: string literal not terminated: missing '", 1},
		{"SELECT 1;\nSELECT \"x", "2:8: quoted identifier not terminated: missing \"", 2},
		{"SELECT 1 /* x", "1:10: comment not terminated: missing */", 1},
		{"CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1;", "1:1: CREATE TRIGGER not terminated: its body needs BEGIN ... END", 1},
		{"CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT CASE WHEN 1 THEN 2 END;", "1:1: CREATE TRIGGER not terminated: its body needs BEGIN ... END", 1},
		{"\n  SELECT {", "2:10: unexpected character '{'", 1},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			sts, err := Split(tt.src)
			if err == nil {
				t.Fatalf("no error; statements %q", stmtTexts(tt.src, sts))
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error %q, want %q", got, tt.want)
			}
			if len(sts) != tt.n {
				t.Errorf("%d statements, want %d", len(sts), tt.n)
			}
		})
	}
}

func TestSplitterReuse(t *testing.T) {
	var sp Splitter
	for i, src := range []string{"SELECT 'x", "SELECT 1; SELECT 2"} {
		sp.Init(src, nil)
		n := 0
		for {
			if _, ok := sp.Next(); !ok {
				break
			}
			n++
		}
		if got, want := sp.ErrorCount(), []int{1, 0}[i]; got != want {
			t.Errorf("source %d: ErrorCount = %d, want %d", i, got, want)
		}
		if got, want := n, []int{1, 2}[i]; got != want {
			t.Errorf("source %d: %d statements, want %d", i, got, want)
		}
	}
}

func TestParams(t *testing.T) {
	tests := []struct {
		src  string
		want string // Lit=Index, with * when New
		n    int
	}{
		{"SELECT 1", "", 0},
		{"SELECT ?, ?", "?=1* ?=2*", 2},
		{"SELECT ?2, ?", "?2=2* ?=3*", 3},
		{"SELECT ?1, ?1", "?1=1* ?1=1", 1},
		{"SELECT :a, :b, :a, ?", ":a=1* :b=2* :a=1 ?=3*", 3},
		{"SELECT @a, $a, :a", "@a=1* $a=2* :a=3*", 3},
		{"SELECT ?5, :x", "?5=5* :x=6*", 6},
		{"SELECT ?3, ?1", "?3=3* ?1=1", 3},
		{"SELECT '?', \"?\", [?], `?` -- ?\n/* ? */", "", 0},
		{"SELECT ?99999999999999999999999", "?99999999999999999999999=9223372036854775807*", 9223372036854775807},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			var parts []string
			for p := range Params(tt.src) {
				if tt.src[p.Offset:p.Offset+len(p.Lit)] != p.Lit {
					t.Errorf("param %q not at offset %d", p.Lit, p.Offset)
				}
				s := fmt.Sprintf("%s=%d", p.Lit, p.Index)
				if p.New {
					s += "*"
				}
				parts = append(parts, s)
			}
			if got := strings.Join(parts, " "); got != tt.want {
				t.Errorf("Params = %q, want %q", got, tt.want)
			}
			if got := NumParams(tt.src); got != tt.n {
				t.Errorf("NumParams = %d, want %d", got, tt.n)
			}
		})
	}
}

// TestParamsTooMany reproduces the offset D1 reports for 101 parameters:
// "too many SQL variables at offset 207".
func TestParamsTooMany(t *testing.T) {
	src := "SELECT " + strings.Repeat("?,", 100) + "?"
	off := -1
	for p := range Params(src) {
		if p.New && p.Index > 100 {
			off = p.Offset
			break
		}
	}
	if off != 207 {
		t.Errorf("offset of the 101st parameter = %d, want 207", off)
	}
}
