package migrate_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/migrate"
)

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestHash(t *testing.T) {
	base := sha("CREATE TABLE t (a);")
	tests := []struct {
		name, sql string
	}{
		{"plain", "CREATE TABLE t (a);"},
		{"trailing newline", "CREATE TABLE t (a);\n"},
		{"trailing newlines", "CREATE TABLE t (a);\n\n\n"},
		{"crlf", "CREATE TABLE t (a);\r\n"},
		{"bom", "\uFEFFCREATE TABLE t (a);\r\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := migrate.Hash(tt.sql); got != base {
				t.Errorf("Hash(%q) = %s, want %s", tt.sql, got, base)
			}
			if got := (migrate.Migration{SQL: tt.sql}).Hash(); got != base {
				t.Errorf("Migration.Hash = %s, want %s", got, base)
			}
		})
	}
	if got := migrate.Hash("CREATE TABLE t (a);  "); got == base {
		t.Error("trailing spaces are not newlines: the hash must differ")
	}
	if got := migrate.Hash("a\r\nb"); got != sha("a\nb") {
		t.Errorf("inner CRLF: got %s", got)
	}
}

var nopDB d1.Database // New checks migrations before it uses the database

func newRunner(ms []migrate.Migration) (*migrate.Runner, error) {
	return migrate.NewWithClient(d1.New(nopDB), ms)
}

func TestNewChecks(t *testing.T) {
	tests := []struct {
		name string
		ms   []migrate.Migration
		err  error
		msg  []string // substrings of the error text
	}{
		{
			"duplicate version",
			[]migrate.Migration{{1, "a", "CREATE TABLE a (x)"}, {2, "b", "CREATE TABLE b (x)"}, {1, "c", "CREATE TABLE c (x)"}},
			migrate.ErrDuplicateVersion,
			[]string{`migration 1 "a"`, `migration 1 "c"`, "version 1", "its own version"},
		},
		{
			"duplicate SQL",
			[]migrate.Migration{{1, "a", "CREATE TABLE a (x);"}, {2, "b", "CREATE TABLE b (x)"}, {3, "c", "CREATE TABLE a (x);\r\n"}},
			migrate.ErrDuplicateSQL,
			[]string{`migration 1 "a"`, `migration 3 "c"`, migrate.Hash("CREATE TABLE a (x);"), "remove one"},
		},
		{
			"two statements",
			[]migrate.Migration{{1, "init", "CREATE TABLE a (x);\n\nCREATE TABLE b (x);"}},
			migrate.ErrMultipleStatements,
			[]string{`migration 1 "init"`, "2 statements", "line 3, column 1", "split it into separate migrations"},
		},
		{
			"no statement",
			[]migrate.Migration{{1, "empty", "-- nothing here\n;"}},
			migrate.ErrNoStatement,
			[]string{`migration 1 "empty"`, "no SQL statement"},
		},
		{
			"unterminated string",
			[]migrate.Migration{{4, "bad", "INSERT INTO t VALUES ('x);"}},
			migrate.ErrSyntax,
			[]string{`migration 4 "bad"`, "1:23: string literal not terminated"},
		},
		{
			"begin",
			[]migrate.Migration{{1, "tx", "BEGIN TRANSACTION;"}},
			migrate.ErrTransaction,
			[]string{`migration 1 "tx"`, "BEGIN", "D1 refuses"},
		},
		{
			"commit",
			[]migrate.Migration{{1, "tx", "commit"}},
			migrate.ErrTransaction,
			[]string{"COMMIT"},
		},
		{
			"too long",
			[]migrate.Migration{{1, "big", "INSERT INTO t VALUES ('" + strings.Repeat("x", d1.MaxSQLLength) + "')"}},
			migrate.ErrTooLong,
			[]string{`migration 1 "big"`, "at most 100000"},
		},
		{
			"negative version",
			[]migrate.Migration{{-1, "neg", "CREATE TABLE a (x)"}},
			migrate.ErrVersion,
			[]string{`migration -1 "neg"`, "between 0 and 9007199254740991"},
		},
		{
			"version beyond 2^53",
			[]migrate.Migration{{1 << 53, "big", "CREATE TABLE a (x)"}},
			migrate.ErrVersion,
			nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := newRunner(tt.ms)
			if r != nil || !errors.Is(err, tt.err) {
				t.Fatalf("New = %v, %v; want error %v", r, err, tt.err)
			}
			for _, s := range tt.msg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}

func TestNewAccepts(t *testing.T) {
	ms := []migrate.Migration{
		{3, "trigger", `-- keep counts
CREATE TRIGGER tr AFTER INSERT ON a BEGIN
  UPDATE counts SET n = n + CASE WHEN new.x > 0 THEN 1 ELSE 0 END;
  INSERT INTO log VALUES ('a;b');
END;
-- trailing comment`},
		{1, "a", "CREATE TABLE a (x);"},
		{2, "counts", "/* lead */ CREATE TABLE counts (n INTEGER) -- no semicolon"},
		{0, "zero", "\uFEFFCREATE TABLE log (m TEXT);\r\n"},
	}
	r, err := newRunner(ms)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, m := range r.Migrations() {
		got = append(got, m.Version)
	}
	if want := []int64{0, 1, 2, 3}; !equalInts(got, want) {
		t.Errorf("versions %v, want %v", got, want)
	}
}

func TestNewNil(t *testing.T) {
	if _, err := migrate.New(nil, nil); err == nil {
		t.Error("New(nil) succeeded")
	}
	if _, err := migrate.NewWithClient(nil, nil); err == nil {
		t.Error("NewWithClient(nil) succeeded")
	}
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSplit(t *testing.T) {
	ms := []migrate.Migration{
		{2, "more", "CREATE TABLE c (x);"},
		{1, "init", "CREATE TABLE a (x);\nCREATE TABLE b (x); -- two\n"},
	}
	got, err := migrate.Split(ms)
	if err != nil {
		t.Fatal(err)
	}
	want := []migrate.Migration{
		{200, "more", "CREATE TABLE c (x);"},
		{100, "init", "CREATE TABLE a (x)"},
		{101, "init#2", "CREATE TABLE b (x)"},
	}
	if len(got) != len(want) {
		t.Fatalf("Split = %+v, want %+v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("Split[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if _, err := migrate.Split([]migrate.Migration{{1, "many", strings.Repeat("SELECT 1;", 101)}}); !errors.Is(err, migrate.ErrMultipleStatements) {
		t.Errorf("101 statements: %v", err)
	}
	if _, err := migrate.Split([]migrate.Migration{{d1.MaxSafeInteger, "big", "SELECT 1"}}); !errors.Is(err, migrate.ErrVersion) {
		t.Errorf("huge version: %v", err)
	}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"migrations/0001_init.sql":                 {Data: []byte("CREATE TABLE users (id INTEGER PRIMARY KEY);\n")},
		"migrations/0002_add_email.sql":            {Data: []byte("ALTER TABLE users ADD COLUMN email TEXT;")},
		"migrations/20261127120000_timestamp.sql":  {Data: []byte("CREATE INDEX users_email ON users (email);")},
		"migrations/README.md":                     {Data: []byte("not a migration")},
		"migrations/meta/_journal.json":            {Data: []byte("{}")},
		"migrations/meta/0000_snapshot.sql":        {Data: []byte("not read: in a subdirectory")},
		"other/0003_elsewhere.sql":                 {Data: []byte("CREATE TABLE x (a);")},
		"migrations/0010_upper_case_extension.SQL": {Data: []byte("CREATE TABLE y (a);")},
	}
	ms, err := migrate.Load(fsys, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	want := []migrate.Migration{
		{1, "init", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"},
		{2, "add_email", "ALTER TABLE users ADD COLUMN email TEXT;"},
		{10, "upper_case_extension", "CREATE TABLE y (a);"},
		{20261127120000, "timestamp", "CREATE INDEX users_email ON users (email);"},
	}
	if len(ms) != len(want) {
		t.Fatalf("Load = %+v, want %+v", ms, want)
	}
	for i := range ms {
		if ms[i] != want[i] {
			t.Errorf("Load[%d] = %+v, want %+v", i, ms[i], want[i])
		}
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files fstest.MapFS
		err   error
		msg   []string
	}{
		{
			"several statements",
			fstest.MapFS{"m/0001_init.sql": {Data: []byte("CREATE TABLE a (x);\nCREATE TABLE b (x);\n")}},
			migrate.ErrMultipleStatements,
			[]string{"m/0001_init.sql holds 2 statements", "line 2, column 1", "LoadOptions{Split: true}"},
		},
		{
			"duplicate version",
			fstest.MapFS{"m/0001_a.sql": {Data: []byte("SELECT 1")}, "m/1_b.sql": {Data: []byte("SELECT 2")}},
			migrate.ErrDuplicateVersion,
			[]string{"m/0001_a.sql", "m/1_b.sql", "version 1"},
		},
		{
			"duplicate SQL",
			fstest.MapFS{"m/0001_a.sql": {Data: []byte("SELECT 1")}, "m/0002_b.sql": {Data: []byte("SELECT 1\r\n")}},
			migrate.ErrDuplicateSQL,
			[]string{"m/0001_a.sql", "m/0002_b.sql"},
		},
		{
			"no version",
			fstest.MapFS{"m/init.sql": {Data: []byte("SELECT 1")}},
			migrate.ErrVersion,
			[]string{"m/init.sql", "<version>_<name>.sql"},
		},
		{
			"no name",
			fstest.MapFS{"m/0001.sql": {Data: []byte("SELECT 1")}},
			migrate.ErrVersion,
			[]string{"m/0001.sql"},
		},
		{
			"letters in version",
			fstest.MapFS{"m/v1_init.sql": {Data: []byte("SELECT 1")}},
			migrate.ErrVersion,
			nil,
		},
		{
			"version too large",
			fstest.MapFS{"m/99999999999999999999_big.sql": {Data: []byte("SELECT 1")}},
			migrate.ErrVersion,
			[]string{"too large"},
		},
		{
			"empty file",
			fstest.MapFS{"m/0001_empty.sql": {Data: []byte("-- TODO\n")}},
			migrate.ErrNoStatement,
			[]string{"m/0001_empty.sql"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := migrate.Load(tt.files, "m")
			if !errors.Is(err, tt.err) {
				t.Fatalf("Load = %v, %v; want %v", ms, err, tt.err)
			}
			for _, s := range tt.msg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
	if _, err := migrate.Load(fstest.MapFS{}, "missing"); err == nil {
		t.Error("Load of a missing directory succeeded")
	}
}

func TestLoadSplit(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0001_init.sql": {Data: []byte("CREATE TABLE a (x);\n--> statement-breakpoint\nCREATE TABLE b (x);\n")},
		"m/0002_more.sql": {Data: []byte("CREATE TABLE c (x);")},
	}
	ms, err := migrate.LoadWithOptions(fsys, "m", migrate.LoadOptions{Split: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, migrate.Entry{Version: m.Version, Name: m.Name}.String()+": "+m.SQL)
	}
	want := []string{`100 "init": CREATE TABLE a (x)`, `101 "init#2": CREATE TABLE b (x)`, `200 "more": CREATE TABLE c (x);`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("LoadWithOptions(Split) =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
