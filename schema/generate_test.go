package schema_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lunora-go/d1/migrate"
	"github.com/lunora-go/d1/schema"
)

func TestGenerateFiles(t *testing.T) {
	st := steps()
	files, err := schema.Generate(st[0].schema, st[1].schema, schema.GenerateOptions{Name: "more_users", Version: 2})
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	if got, want := strings.Join(names, " "), "0002_more_users.sql 0003_more_users.sql 0004_more_users.sql 0005_more_users.sql schema.snapshot.json"; got != want {
		t.Fatalf("files = %s, want %s", got, want)
	}
	if got, want := string(files[0].Data), `-- 0002_more_users: add column "age" to table "users"
-- the field is required, so existing rows get 0.
ALTER TABLE "users" ADD COLUMN "age" REAL NOT NULL DEFAULT 0;
`; got != want {
		t.Errorf("first file:\n%s\nwant:\n%s", got, want)
	}
	if got, want := string(files[1].Data), `-- 0003_more_users: add column "avatar" to table "users"
ALTER TABLE "users" ADD COLUMN "avatar" BLOB;
`; got != want {
		t.Errorf("second file:\n%s\nwant:\n%s", got, want)
	}
	if files[0].Change == nil || files[0].Change.Op != schema.AddColumn || files[4].Change != nil {
		t.Errorf("File.Change: %+v and %+v", files[0].Change, files[4].Change)
	}
	snap, err := schema.Load(strings.NewReader(string(files[4].Data)))
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := schema.Diff(snap, st[1].schema); len(again) != 0 {
		t.Errorf("the snapshot differs from the new schema: %v", again)
	}
}

func TestGenerateNothing(t *testing.T) {
	s := steps()[2].schema
	files, err := schema.Generate(s, clone(s), schema.GenerateOptions{Name: "none"})
	if err != nil || len(files) != 0 {
		t.Errorf("Generate(s, s) = %v, %v; want no files", files, err)
	}
	// A change of kind that keeps the column's type: the snapshot alone.
	k := clone(s)
	k.Tables[1].Fields[1].Kind = schema.ID
	files, err = schema.Generate(s, k, schema.GenerateOptions{Name: "kind"})
	if err != nil || len(files) != 1 || files[0].Name != schema.SnapshotFile {
		t.Errorf("Generate(kind change) = %v, %v; want the snapshot alone", files, err)
	}
}

func TestGenerateOptionsErrors(t *testing.T) {
	s := steps()[0].schema
	for _, opts := range []schema.GenerateOptions{
		{Name: ""},
		{Name: "add users"},
		{Name: "x/../y"},
		{Name: "ok", Version: -1},
	} {
		if _, err := schema.Generate(nil, s, opts); err == nil {
			t.Errorf("Generate with %+v succeeded", opts)
		}
	}
	if _, err := schema.Generate(nil, &schema.Schema{Tables: []schema.Table{{Name: "id", Fields: []schema.Field{{Name: "id", Kind: schema.String}}}}},
		schema.GenerateOptions{Name: "bad"}); !errors.Is(err, schema.ErrReservedName) {
		t.Errorf("Generate(invalid schema) = %v, want ErrReservedName", err)
	}
}

// unsafeSteps drops a field, changes an index and a column type.
func unsafeSchemas() (*schema.Schema, *schema.Schema) {
	old := &schema.Schema{Tables: []schema.Table{{Name: "t",
		Fields:  []schema.Field{{Name: "a", Kind: schema.String}, {Name: "b", Kind: schema.Number}, {Name: "c", Kind: schema.String}},
		Indexes: []schema.Index{{Name: "by_a", Fields: []string{"a"}}}}}}
	new := &schema.Schema{Tables: []schema.Table{{Name: "t",
		Fields:  []schema.Field{{Name: "a", Kind: schema.String}, {Name: "b", Kind: schema.String}, {Name: "d", Kind: schema.String, Optional: true}},
		Indexes: []schema.Index{{Name: "by_a", Fields: []string{"a", "d"}}}}}}
	return old, new
}

func TestGenerateUnsafe(t *testing.T) {
	old, new := unsafeSchemas()
	files, err := schema.Generate(old, new, schema.GenerateOptions{Name: "rework", Version: 7})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	want := []string{
		"0007_rework.sql",        // add column d (safe, first)
		"0008_rework.sql.unsafe", // drop index by_a
		"0009_rework.sql.unsafe", // drop column c
		"0010_rework.sql.unsafe", // create index by_a again
		"0011_rework.sql.unsafe", // alter column b
		"schema.snapshot.json",
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("files = %v, want %v", names, want)
	}
	if got, want := string(files[2].Data), `-- 0009_rework: drop column "c" from table "t"
-- NOT APPLIED: this change is unsafe, so it was written as a comment, not as SQL.
-- the field is no longer in the schema: dropping its column deletes its values in every row.
-- To make it, uncomment the statement below and rename this file to 0009_rework.sql, before generating more migrations; or leave it, and the runner ignores this file.
-- ALTER TABLE "t" DROP COLUMN "c";
`; got != want {
		t.Errorf("explanation:\n%s\nwant:\n%s", got, want)
	}
	alter := string(files[4].Data)
	if !strings.Contains(alter, "from REAL NOT NULL to TEXT NOT NULL") || !strings.Contains(alter, "write the statements that rebuild the table") {
		t.Errorf("alter explanation:\n%s", alter)
	}
	for _, line := range strings.Split(strings.TrimSpace(alter), "\n") {
		if !strings.HasPrefix(line, "-- ") {
			t.Errorf("explanation line %q is not a comment", line)
		}
	}

	// Allowed: drops first, in Diff's order; the type change stays a comment.
	files, err = schema.Generate(old, new, schema.GenerateOptions{Name: "rework", Version: 7, AllowUnsafe: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Name)
	}
	want = []string{"0007_rework.sql", "0008_rework.sql", "0009_rework.sql", "0010_rework.sql", "0011_rework.sql.unsafe", "schema.snapshot.json"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("files with unsafe allowed = %v, want %v", got, want)
	}
	for i, wantSQL := range []string{`DROP INDEX "t_by_a";`, `ALTER TABLE "t" DROP COLUMN "c";`, `ALTER TABLE "t" ADD COLUMN "d" TEXT;`, `CREATE INDEX IF NOT EXISTS "t_by_a" ON "t" ("a", "d");`} {
		if text := string(files[i].Data); !strings.HasSuffix(text, wantSQL+"\n") {
			t.Errorf("file %s:\n%s\nwant it to end in %s", files[i].Name, text, wantSQL)
		}
	}
	if !strings.Contains(string(files[0].Data), "-- UNSAFE: the index's definition changes") {
		t.Errorf("unsafe file lacks its warning:\n%s", files[0].Data)
	}
}

func TestGenerateCommentsHoldLineBreaks(t *testing.T) {
	s := &schema.Schema{Tables: []schema.Table{{Name: "evil\nDROP TABLE x;\r--", Fields: []schema.Field{{Name: "a", Kind: schema.String}}}}}
	files, err := schema.Generate(nil, s, schema.GenerateOptions{Name: "evil"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, files[0].Name), files[0].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	// The runner's loader sees one statement: the name's line break stayed
	// inside the comment and the quoted name.
	ms, err := migrate.Load(os.DirFS(dir), ".")
	if err != nil {
		t.Fatalf("Load: %v\n%s", err, files[0].Data)
	}
	if len(ms) != 1 {
		t.Fatalf("Load = %d migrations", len(ms))
	}
}

func TestGenerateDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "migrations")
	for i, st := range steps() {
		files, err := schema.GenerateDir(dir, st.schema, schema.GenerateOptions{Name: strings.ReplaceAll(st.name, " ", "_")})
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got, want := len(files), len(st.want)+1; got != want {
			t.Fatalf("step %d wrote %d files, want %d", i, got, want)
		}
		// Nothing more to do: no files.
		again, err := schema.GenerateDir(dir, st.schema, schema.GenerateOptions{Name: "again"})
		if err != nil || len(again) != 0 {
			t.Fatalf("step %d again = %v, %v; want no files", i, again, err)
		}
	}
	ms, err := migrate.Load(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	var wantSQL []string
	for _, st := range steps() {
		wantSQL = append(wantSQL, st.want...)
	}
	if len(ms) != len(wantSQL) {
		t.Fatalf("Load = %d migrations, want %d", len(ms), len(wantSQL))
	}
	for i, m := range ms {
		if got, want := m.Version, int64(i+1); got != want {
			t.Errorf("migration %d has version %d, want %d", i, got, want)
		}
		if !strings.HasSuffix(m.SQL, wantSQL[i]+";\n") {
			t.Errorf("migration %d:\n%s\nwant it to end in %s;", m.Version, m.SQL, wantSQL[i])
		}
	}
	snap, err := schema.ReadSnapshot(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	last := steps()[len(steps())-1].schema
	if d, _ := schema.Diff(snap, last); len(d) != 0 {
		t.Errorf("snapshot differs from the last schema: %v", d)
	}
}

func TestGenerateDirUnsafeAndNextVersion(t *testing.T) {
	dir := t.TempDir()
	old, new := unsafeSchemas()
	if _, err := schema.GenerateDir(dir, old, schema.GenerateOptions{Name: "init"}); err != nil {
		t.Fatal(err)
	}
	files, err := schema.GenerateDir(dir, new, schema.GenerateOptions{Name: "rework"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := files[0].Name, "0003_rework.sql"; got != want {
		t.Errorf("first new file %s, want %s", got, want)
	}
	// The explanations take versions too, so the next migration follows them.
	v, err := schema.NextVersion(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := v, int64(8); got != want {
		t.Errorf("NextVersion = %d, want %d", got, want)
	}
	ms, err := migrate.Load(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(ms), 3; got != want {
		t.Errorf("Load = %d migrations, want %d (explanations are ignored)", got, want)
	}

	// Making an explained change: uncomment its statement, drop the suffix.
	text, err := os.ReadFile(filepath.Join(dir, "0005_rework.sql.unsafe"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(text)), "\n")
	lines[len(lines)-1] = strings.TrimPrefix(lines[len(lines)-1], "-- ")
	if err := os.WriteFile(filepath.Join(dir, "0005_rework.sql"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "0005_rework.sql.unsafe")); err != nil {
		t.Fatal(err)
	}
	ms, err = migrate.Load(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ms[len(ms)-1].Version, int64(5); len(ms) != 4 || got != want {
		t.Errorf("after making the change: %d migrations, last version %d; want 4 and %d", len(ms), got, want)
	}

	// A file in the way: an error, and nothing written.
	if err := os.WriteFile(filepath.Join(dir, "0008_next.sql"), []byte("SELECT 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	next := clone(new)
	next.Tables = append(next.Tables, schema.Table{Name: "u", Fields: []schema.Field{{Name: "x", Kind: schema.String}}})
	if _, err := schema.GenerateDir(dir, next, schema.GenerateOptions{Name: "next", Version: 8}); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("GenerateDir over an existing file = %v, want an error", err)
	}
	if snap, _ := schema.ReadSnapshot(os.DirFS(dir), "."); snap.Table("u") != nil {
		t.Error("the snapshot was written although generating failed")
	}
}

func TestNextVersion(t *testing.T) {
	tests := []struct {
		files []string
		want  int64
		err   string
	}{
		{nil, 1, ""},
		{[]string{"README.md", schema.SnapshotFile}, 1, ""},
		{[]string{"0001_init.sql", "0002_more.SQL"}, 3, ""},
		{[]string{"0001_init.sql", "0007_x.sql.unsafe"}, 8, ""},
		{[]string{"20261127120000_init.sql"}, 20261127120001, ""},
		{[]string{"notes.sql.unsafe"}, 1, ""},
		{[]string{"init.sql"}, 0, "init.sql: a migration file is named <version>_<name>.sql"},
		{[]string{"99999999999999999999_x.sql"}, 0, "too large"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		for _, f := range tt.files {
			if err := os.WriteFile(filepath.Join(dir, f), []byte("SELECT 1;\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := schema.NextVersion(os.DirFS(dir), ".")
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("NextVersion(%v) = %d, %v; want an error containing %q", tt.files, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NextVersion(%v) = %d, %v; want %d", tt.files, got, err, tt.want)
		}
	}
}

func TestReadSnapshotErrors(t *testing.T) {
	dir := t.TempDir()
	s, err := schema.ReadSnapshot(os.DirFS(dir), ".")
	if err != nil || len(s.Tables) != 0 {
		t.Errorf("ReadSnapshot(empty folder) = %v, %v; want the empty schema", s, err)
	}
	if err := os.WriteFile(filepath.Join(dir, schema.SnapshotFile), []byte(`{"tables": [{"name": ""}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := schema.ReadSnapshot(os.DirFS(dir), "."); !errors.Is(err, schema.ErrEmptyName) || !strings.Contains(err.Error(), schema.SnapshotFile) {
		t.Errorf("ReadSnapshot(bad) = %v, want ErrEmptyName naming the file", err)
	}
}
