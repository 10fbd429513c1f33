package schema_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/lunora-go/d1/schema"
)

// step is one change of schema in a sequence the tests walk through.
type step struct {
	name   string
	schema *schema.Schema
	want   []string // the SQL of the safe changes from the previous step
}

func steps() []step {
	s1 := &schema.Schema{Tables: []schema.Table{
		{Name: "users", Fields: []schema.Field{
			{Name: "name", Kind: schema.String},
			{Name: "email", Kind: schema.String, Optional: true},
		}},
	}}
	s2 := clone(s1)
	s2.Tables[0].Fields = append(s2.Tables[0].Fields,
		schema.Field{Name: "age", Kind: schema.Number},
		schema.Field{Name: "avatar", Kind: schema.Bytes, Optional: true},
		schema.Field{Name: "admin", Kind: schema.Boolean},
		schema.Field{Name: "bio", Kind: schema.String, Optional: true})
	s3 := clone(s2)
	s3.Tables = append(s3.Tables, schema.Table{Name: "posts",
		Fields: []schema.Field{
			{Name: "author", Kind: schema.ID},
			{Name: "title", Kind: schema.String},
			{Name: "body", Kind: schema.JSON, Optional: true},
			{Name: "slug", Kind: schema.String, Unique: true},
		},
		Indexes: []schema.Index{{Name: "by_author", Fields: []string{"author", "_creationTime"}}},
	})
	s4 := clone(s3)
	s4.Tables[0].Indexes = append(s4.Tables[0].Indexes, schema.Index{Name: "by_name", Fields: []string{"name"}})
	s4.Tables[0].Fields[1].Unique = true // email becomes unique
	s5 := clone(s4)
	s5.Tables[0].Fields = append(s5.Tables[0].Fields, schema.Field{Name: "handle", Kind: schema.String, Unique: true})
	s5.Tables[1].Indexes = append(s5.Tables[1].Indexes, schema.Index{Name: "by_title", Fields: []string{"title", "_id"}, Unique: true})
	s6 := clone(s5)
	s6.Tables = append(s6.Tables, schema.Table{Name: `odd "name"; --`, Fields: []schema.Field{
		{Name: `col "x"`, Kind: schema.Timestamp, Unique: true},
	}})

	return []step{
		{"add table", s1, []string{
			`CREATE TABLE IF NOT EXISTS "users" ("id" TEXT PRIMARY KEY, "_creationTime" REAL NOT NULL, "_version" INTEGER NOT NULL DEFAULT 0, "name" TEXT NOT NULL, "email" TEXT)`,
		}},
		{"add fields", s2, []string{
			`ALTER TABLE "users" ADD COLUMN "age" REAL NOT NULL DEFAULT 0`,
			`ALTER TABLE "users" ADD COLUMN "avatar" BLOB`,
			`ALTER TABLE "users" ADD COLUMN "admin" INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE "users" ADD COLUMN "bio" TEXT`,
		}},
		{"add table with indexes", s3, []string{
			`CREATE TABLE IF NOT EXISTS "posts" ("id" TEXT PRIMARY KEY, "_creationTime" REAL NOT NULL, "_version" INTEGER NOT NULL DEFAULT 0, "author" TEXT NOT NULL, "title" TEXT NOT NULL, "body" TEXT, "slug" TEXT NOT NULL)`,
			`CREATE UNIQUE INDEX IF NOT EXISTS "posts_slug_unique" ON "posts" ("slug")`,
			`CREATE INDEX IF NOT EXISTS "posts_by_author" ON "posts" ("author", "_creationTime")`,
		}},
		{"add index and make a field unique", s4, []string{
			`CREATE UNIQUE INDEX IF NOT EXISTS "users_email_unique" ON "users" ("email")`,
			`CREATE INDEX IF NOT EXISTS "users_by_name" ON "users" ("name")`,
		}},
		{"add unique field and unique index", s5, []string{
			`ALTER TABLE "users" ADD COLUMN "handle" TEXT NOT NULL DEFAULT ''`,
			`CREATE UNIQUE INDEX IF NOT EXISTS "users_handle_unique" ON "users" ("handle")`,
			`CREATE UNIQUE INDEX IF NOT EXISTS "posts_by_title" ON "posts" ("title", "id")`,
		}},
		{"add table with awkward names", s6, []string{
			`CREATE TABLE IF NOT EXISTS "odd ""name""; --" ("id" TEXT PRIMARY KEY, "_creationTime" REAL NOT NULL, "_version" INTEGER NOT NULL DEFAULT 0, "col ""x""" REAL NOT NULL)`,
			`CREATE UNIQUE INDEX IF NOT EXISTS "odd ""name""; --_col ""x""_unique" ON "odd ""name""; --" ("col ""x""")`,
		}},
	}
}

func clone(s *schema.Schema) *schema.Schema {
	out := &schema.Schema{}
	for _, t := range s.Tables {
		t.Fields = append([]schema.Field(nil), t.Fields...)
		t.Indexes = append([]schema.Index(nil), t.Indexes...)
		out.Tables = append(out.Tables, t)
	}
	return out
}

func sqlOf(changes []schema.Change) []string {
	var out []string
	for _, c := range changes {
		out = append(out, c.SQL)
	}
	return out
}

func TestDiffSteps(t *testing.T) {
	var prev *schema.Schema
	for _, st := range steps() {
		t.Run(st.name, func(t *testing.T) {
			changes, err := schema.Diff(prev, st.schema)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range changes {
				if c.Unsafe {
					t.Errorf("unexpected unsafe change %s: %s", c, c.Note)
				}
			}
			if got := sqlOf(changes); strings.Join(got, "\n") != strings.Join(st.want, "\n") {
				t.Errorf("Diff SQL:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(st.want, "\n"))
			}
			// No change from a schema to itself.
			if again, err := schema.Diff(st.schema, st.schema); err != nil || len(again) != 0 {
				t.Errorf("Diff(s, s) = %v, %v; want no changes", again, err)
			}
		})
		prev = st.schema
	}
}

func TestDiffChangeDetails(t *testing.T) {
	old := &schema.Schema{Tables: []schema.Table{{Name: "t", Fields: []schema.Field{{Name: "a", Kind: schema.String}}}}}
	new := clone(old)
	new.Tables[0].Fields = append(new.Tables[0].Fields,
		schema.Field{Name: "b", Kind: schema.Int64},
		schema.Field{Name: "c", Kind: schema.Date, Optional: true, Unique: true})
	changes, err := schema.Diff(old, new)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		op                   schema.Op
		table, column, index string
		str, note            string
	}{
		{schema.AddColumn, "t", "b", "", `add column "b" to table "t"`, "the field is required, so existing rows get ''"},
		{schema.AddColumn, "t", "c", "", `add column "c" to table "t"`, ""},
		{schema.CreateUniqueIndex, "t", "c", "c_unique", `create unique index "c_unique" on table "t"`, "fails if existing rows hold the same value twice"},
	}
	if len(changes) != len(want) {
		t.Fatalf("Diff = %v, want %d changes", changes, len(want))
	}
	for i, w := range want {
		c := changes[i]
		if c.Op != w.op || c.Table != w.table || c.Column != w.column || c.Index != w.index || c.String() != w.str || c.Note != w.note || c.Unsafe {
			t.Errorf("change %d = %+v (%s), want %+v", i, c, c, w)
		}
	}
}

func TestDiffUnsafe(t *testing.T) {
	base := &schema.Schema{Tables: []schema.Table{
		{Name: "users", Fields: []schema.Field{
			{Name: "name", Kind: schema.String},
			{Name: "email", Kind: schema.String, Unique: true},
			{Name: "age", Kind: schema.Number},
			{Name: "nick", Kind: schema.String, Optional: true},
		}, Indexes: []schema.Index{{Name: "by_name", Fields: []string{"name"}}}},
		{Name: "logs", Fields: []schema.Field{{Name: "line", Kind: schema.String}}},
	}}
	type want struct {
		op     schema.Op
		sql    string
		unsafe bool
	}
	tests := []struct {
		name   string
		change func(s *schema.Schema)
		want   []want
	}{
		{"drop table", func(s *schema.Schema) { s.Tables = s.Tables[:1] }, []want{
			{schema.DropTable, `DROP TABLE "logs"`, true},
		}},
		{"drop field with unique index", func(s *schema.Schema) {
			s.Tables[0].Fields = append(s.Tables[0].Fields[:1], s.Tables[0].Fields[2:]...)
		}, []want{
			{schema.DropIndex, `DROP INDEX "users_email_unique"`, true},
			{schema.DropColumn, `ALTER TABLE "users" DROP COLUMN "email"`, true},
		}},
		{"drop unique", func(s *schema.Schema) { s.Tables[0].Fields[1].Unique = false }, []want{
			{schema.DropIndex, `DROP INDEX "users_email_unique"`, true},
		}},
		{"drop index", func(s *schema.Schema) { s.Tables[0].Indexes = nil }, []want{
			{schema.DropIndex, `DROP INDEX "users_by_name"`, true},
		}},
		{"change index", func(s *schema.Schema) {
			s.Tables[0].Indexes[0] = schema.Index{Name: "by_name", Fields: []string{"name", "age"}}
		}, []want{
			{schema.DropIndex, `DROP INDEX "users_by_name"`, true},
			{schema.CreateIndex, `CREATE INDEX IF NOT EXISTS "users_by_name" ON "users" ("name", "age")`, true},
		}},
		{"make index unique, with a new field", func(s *schema.Schema) {
			s.Tables[0].Fields = append(s.Tables[0].Fields, schema.Field{Name: "city", Kind: schema.String, Optional: true})
			s.Tables[0].Indexes[0] = schema.Index{Name: "by_name", Fields: []string{"name", "city"}, Unique: true}
		}, []want{
			{schema.DropIndex, `DROP INDEX "users_by_name"`, true},
			{schema.AddColumn, `ALTER TABLE "users" ADD COLUMN "city" TEXT`, false},
			{schema.CreateUniqueIndex, `CREATE UNIQUE INDEX IF NOT EXISTS "users_by_name" ON "users" ("name", "city")`, true},
		}},
		{"change type", func(s *schema.Schema) { s.Tables[0].Fields[2].Kind = schema.String }, []want{
			{schema.AlterColumn, "", true},
		}},
		{"make required", func(s *schema.Schema) { s.Tables[0].Fields[3].Optional = false }, []want{
			{schema.AlterColumn, "", true},
		}},
		{"same column type", func(s *schema.Schema) { s.Tables[0].Fields[0].Kind = schema.ID }, nil},
		{"rename field", func(s *schema.Schema) { s.Tables[0].Fields[3].Name = "nickname" }, []want{
			{schema.DropColumn, `ALTER TABLE "users" DROP COLUMN "nick"`, true},
			{schema.AddColumn, `ALTER TABLE "users" ADD COLUMN "nickname" TEXT`, false},
		}},
		{"case of names", func(s *schema.Schema) {
			s.Tables[0].Name = "Users"
			s.Tables[0].Fields[0].Name = "Name"
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			new := clone(base)
			tt.change(new)
			changes, err := schema.Diff(base, new)
			if err != nil {
				t.Fatal(err)
			}
			if len(changes) != len(tt.want) {
				t.Fatalf("Diff = %d changes, want %d:\n%v", len(changes), len(tt.want), changes)
			}
			for i, w := range tt.want {
				c := changes[i]
				if c.Op != w.op || c.SQL != w.sql || c.Unsafe != w.unsafe {
					t.Errorf("change %d = %s %q unsafe=%v, want %s %q unsafe=%v", i, c.Op, c.SQL, c.Unsafe, w.op, w.sql, w.unsafe)
				}
				if c.Unsafe && c.Note == "" {
					t.Errorf("change %d (%s) is unsafe without a note", i, c)
				}
			}
		})
	}
}

func TestDiffAlterNote(t *testing.T) {
	old := &schema.Schema{Tables: []schema.Table{{Name: "t", Fields: []schema.Field{{Name: "n", Kind: schema.Number}}}}}
	new := clone(old)
	new.Tables[0].Fields[0] = schema.Field{Name: "n", Kind: schema.String, Optional: true}
	changes, err := schema.Diff(old, new)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 {
		t.Fatalf("Diff = %v, want one change", changes)
	}
	for _, part := range []string{"from REAL NOT NULL to TEXT (optional)", "table rebuild", "ON DELETE CASCADE", "by hand"} {
		if !strings.Contains(changes[0].Note, part) {
			t.Errorf("note %q lacks %q", changes[0].Note, part)
		}
	}
}

func TestDiffInvalid(t *testing.T) {
	bad := &schema.Schema{Tables: []schema.Table{{Name: "_cf_x"}}}
	if _, err := schema.Diff(nil, bad); !errors.Is(err, schema.ErrReservedName) {
		t.Errorf("Diff(nil, bad) = %v, want ErrReservedName", err)
	}
	if _, err := schema.Diff(bad, &schema.Schema{}); !errors.Is(err, schema.ErrReservedName) || !strings.Contains(err.Error(), "old schema") {
		t.Errorf("Diff(bad, empty) = %v, want ErrReservedName about the old schema", err)
	}
}

func TestOpString(t *testing.T) {
	for op, want := range map[schema.Op]string{
		schema.CreateTable: "create table", schema.AddColumn: "add column", schema.CreateIndex: "create index",
		schema.CreateUniqueIndex: "create unique index", schema.DropIndex: "drop index", schema.DropColumn: "drop column",
		schema.DropTable: "drop table", schema.AlterColumn: "alter column", 0: "Op(0)", 99: "Op(99)",
	} {
		if got := op.String(); got != want {
			t.Errorf("Op(%d).String() = %q, want %q", int(op), got, want)
		}
	}
}
