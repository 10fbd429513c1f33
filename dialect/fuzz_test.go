package dialect_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/dialect"
	"github.com/lunora-go/d1/local"
)

// refusedTableName reports whether a table may not have name: must when
// SQLite (sqlite_, in any case) or D1 (_cf_) keep it for themselves, or it
// holds a NUL; may when it begins with _cf_ in another letter case, which D1's
// documentation reserves and workerd allows with a warning.
func refusedTableName(name string) (must, may bool) {
	hasPrefixFold := func(p string) bool { return len(name) >= len(p) && strings.EqualFold(name[:len(p)], p) }
	must = strings.IndexByte(name, 0) >= 0 || hasPrefixFold("sqlite_") || strings.HasPrefix(name, "_cf_")
	return must, hasPrefixFold("_cf_")
}

// FuzzQuoteIdentifier checks that any name, quoted, works as a table name
// and as a column name in the embedded D1 and reads back unchanged: from
// sqlite_master, from PRAGMA table_info and as a result column. A name with a
// NUL byte, which SQLite names cannot hold, must make the statement fail
// rather than name something else; so must a name that SQLite or D1 reserve
// for tables.
func FuzzQuoteIdentifier(f *testing.F) {
	for _, s := range []string{
		"", "a", "users", `"`, `""`, `a"b`, `"a"`, "select", "TABLE", "a b", "a.b", "main.t",
		"[x]", "`x`", "'x'", "--", "/*", "*/", ";", "a;DROP TABLE t;--", "?", "?1", ":a", "$a", "@a",
		"naïve", "名前", "😀", "\u200b", "\ufeff", "line\nbreak", "tab\there", "\r",
		"sqlite_master", "SQLITE_x", "_cf_KV", "_CF_x", "a\x00b", "\x00",
		"rowid", "oid", "_rowid_", "id", "_creationTime", strings.Repeat("x", 200),
	} {
		f.Add(s)
	}
	db, err := local.Open("", nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	client := d1.NewWithOptions(db, d1.Options{StatementCacheSize: -1})

	f.Fuzz(func(t *testing.T, name string) {
		// A bound on each input, so that a hang is reported with its input.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		q := dialect.QuoteIdentifier(name)
		if len(q) > d1.MaxSQLLength/4 {
			t.Skip("name longer than a statement may be")
		}
		create := "CREATE TABLE " + q + " (" + q + " TEXT)"
		_, err := client.Run(ctx, create)
		must, may := refusedTableName(name)
		if must && err == nil {
			client.Run(ctx, "DROP TABLE "+q)
			t.Fatalf("%s succeeded; want an error for a name SQLite or D1 cannot take", create)
		}
		if err != nil && (must || may) {
			if strings.IndexByte(name, 0) >= 0 {
				return
			}
			// The name still works as a column name.
			create = `CREATE TABLE "fuzz_columns" (` + q + " TEXT)"
			if _, err := client.Run(ctx, create); err != nil {
				t.Fatalf("%s: %v", create, err)
			}
			defer client.Run(ctx, `DROP TABLE "fuzz_columns"`)
			checkColumn(ctx, t, client, "fuzz_columns", name)
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", create, err)
		}
		defer func() {
			if _, err := client.Run(ctx, "DROP TABLE "+q); err != nil {
				t.Fatalf("DROP TABLE %s: %v", q, err)
			}
		}()

		row, err := client.First(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name = ?", name)
		if err != nil {
			t.Fatalf("sqlite_master for %q: %v", name, err)
		}
		if got, _ := row.Value("name"); got != name {
			t.Errorf("sqlite_master name = %q, want %q", got, name)
		}
		if got, _ := row.Value("sql"); got != create {
			t.Errorf("sqlite_master sql = %q, want %q", got, create)
		}
		checkColumn(ctx, t, client, name, name)
	})
}

// checkColumn checks that table has the one column name, which holds what is
// inserted into it.
func checkColumn(ctx context.Context, t *testing.T, client *d1.Client, table, name string) {
	t.Helper()
	qt, qc := dialect.QuoteIdentifier(table), dialect.QuoteIdentifier(name)
	// The local backend's authorizer cannot tell PRAGMA table_info("") from
	// PRAGMA table_info and refuses both (workerd answers the first); the
	// result column names below check the empty name instead.
	if table != "" {
		info, err := client.All(ctx, "PRAGMA table_info("+qt+")")
		if err != nil {
			t.Fatalf("table_info: %v", err)
		}
		if len(info.Rows) != 1 {
			t.Fatalf("table_info has %d rows, want 1", len(info.Rows))
		}
		if got, _ := info.Row(0).Value("name"); got != name {
			t.Errorf("table_info name = %q, want %q", got, name)
		}
	}
	if _, err := client.Run(ctx, "INSERT INTO "+qt+" ("+qc+") VALUES (?)", "v"); err != nil {
		t.Fatalf("insert: %v", err)
	}
	res, err := client.Prepare("SELECT " + qc + " FROM " + qt)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := res.Raw(ctx)
	if err != nil {
		t.Fatalf("select: %v", err)
	}
	if len(raw.Columns) != 1 || raw.Columns[0] != name {
		t.Errorf("result columns = %q, want [%q]", raw.Columns, name)
	}
	if len(raw.Rows) != 1 || raw.Rows[0][0] != "v" {
		t.Errorf("rows = %v, want [[v]]", raw.Rows)
	}
}
