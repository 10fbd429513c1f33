package schema_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/dialect"
	"github.com/lunora-go/d1/schema"
)

func fields(n int) []schema.Field {
	fs := make([]schema.Field, n)
	for i := range fs {
		fs[i] = schema.Field{Name: fmt.Sprintf("f%d", i), Kind: schema.String}
	}
	return fs
}

func TestValidate(t *testing.T) {
	users := func(fs ...schema.Field) schema.Table {
		return schema.Table{Name: "users", Fields: fs}
	}
	name := schema.Field{Name: "name", Kind: schema.String}
	tests := []struct {
		name   string
		tables []schema.Table
		want   error  // nil: valid
		msg    string // a part of the message: where, and what to do
	}{
		{"valid", []schema.Table{{Name: "users", Fields: []schema.Field{name, {Name: "email", Kind: schema.String, Unique: true}},
			Indexes: []schema.Index{{Name: "by_name", Fields: []string{"name", "_creationTime"}}, {Name: "by_id", Fields: []string{"_id"}}}}}, nil, ""},
		{"no tables", nil, nil, ""},
		{"97 fields", []schema.Table{{Name: "t", Fields: fields(97)}}, nil, ""},
		{"98 fields", []schema.Table{{Name: "t", Fields: fields(98)}}, schema.ErrTooManyColumns, `table "t": 98 fields, but D1 allows 100 columns in a table and id, _creationTime and _version take 3: keep to 97 fields, or split the table`},
		{"empty table name", []schema.Table{{Fields: []schema.Field{name}}}, schema.ErrEmptyName, "table 1 has no name: give every table a name"},
		{"empty field name", []schema.Table{users(name, schema.Field{Kind: schema.String})}, schema.ErrEmptyName, `table "users": field 2 has no name: give every field a name`},
		{"empty index name", []schema.Table{{Name: "t", Fields: []schema.Field{name}, Indexes: []schema.Index{{Fields: []string{"name"}}}}}, schema.ErrEmptyName, "index 1 has no name"},
		{"_cf_ table", []schema.Table{{Name: "_cf_KV", Fields: []schema.Field{name}}}, schema.ErrReservedName, `table names beginning "_cf_" are reserved by D1: rename the table`},
		{"_CF_ table", []schema.Table{{Name: "_CF_x"}}, schema.ErrReservedName, "reserved by D1"},
		{"sqlite_ table", []schema.Table{{Name: "SQLite_stuff"}}, schema.ErrReservedName, "reserved by SQLite"},
		{"migrate's table", []schema.Table{{Name: "__Drizzle_Migrations"}}, schema.ErrReservedName, `"__Drizzle_Migrations" is the table in which migration runners record migrations: rename the table`},
		{"wrangler's table", []schema.Table{{Name: "d1", Fields: []schema.Field{name}, Indexes: []schema.Index{{Name: "migrations", Fields: []string{"name"}}}}}, schema.ErrReservedName, "rename the index"},
		{"_cf_ field", []schema.Table{users(schema.Field{Name: "_cf_x", Kind: schema.String})}, schema.ErrReservedName, "reserved by D1: rename the field"},
		{"_cf_ index", []schema.Table{{Name: "_cf", Fields: []schema.Field{name}, Indexes: []schema.Index{{Name: "x", Fields: []string{"name"}}}}}, schema.ErrReservedName, `index names beginning "_cf_"`},
		{"field id", []schema.Table{users(schema.Field{Name: "id", Kind: schema.String})}, schema.ErrReservedName, `field "id": "id" is reserved: every table has the framework columns id (also called _id), _creationTime and _version: rename the field`},
		{"field _id", []schema.Table{users(schema.Field{Name: "_id", Kind: schema.String})}, schema.ErrReservedName, "rename the field"},
		{"field ID", []schema.Table{users(schema.Field{Name: "ID", Kind: schema.String})}, schema.ErrReservedName, "rename the field"},
		{"field _creationTime", []schema.Table{users(schema.Field{Name: "_creationTime", Kind: schema.Number})}, schema.ErrReservedName, "rename the field"},
		{"field _version", []schema.Table{users(schema.Field{Name: "_version", Kind: schema.Number})}, schema.ErrReservedName, "rename the field"},
		{"duplicate field", []schema.Table{users(name, schema.Field{Name: "Name", Kind: schema.Number})}, schema.ErrDuplicateName, `field "Name": declared twice (first as "name"`},
		{"duplicate table", []schema.Table{users(name), {Name: "USERS"}}, schema.ErrDuplicateName, `table "USERS": table "users" and table "USERS" would both be named "USERS" in the database (SQLite ignores the case of ASCII letters): rename one of them`},
		{"duplicate index", []schema.Table{{Name: "t", Fields: []schema.Field{name}, Indexes: []schema.Index{{Name: "a", Fields: []string{"name"}}, {Name: "A", Fields: []string{"name"}}}}}, schema.ErrDuplicateName, `index "A": declared twice`},
		{"index named like a table", []schema.Table{{Name: "a", Fields: []schema.Field{name}, Indexes: []schema.Index{{Name: "b", Fields: []string{"name"}}}}, {Name: "a_b"}}, schema.ErrDuplicateName, `table "a_b": index "b" of table "a" and table "a_b" would both be named "a_b" in the database`},
		{"index colliding with unique field index", []schema.Table{{Name: "t", Fields: []schema.Field{{Name: "e", Kind: schema.String, Unique: true}}, Indexes: []schema.Index{{Name: "e_unique", Fields: []string{"e"}}}}}, schema.ErrDuplicateName, `the unique index of field "e" of table "t" and index "e_unique" of table "t" would both be named "t_e_unique"`},
		{"unknown kind", []schema.Table{users(schema.Field{Name: "x", Kind: "strnig"})}, schema.ErrUnknownKind, `field "x": unknown kind "strnig": use one of string, number, boolean, bytes, int64, id, timestamp, date, json, object, array, any`},
		{"empty kind", []schema.Table{users(schema.Field{Name: "x"})}, schema.ErrUnknownKind, `unknown kind ""`},
		{"index without fields", []schema.Table{{Name: "t", Fields: []schema.Field{name}, Indexes: []schema.Index{{Name: "i"}}}}, schema.ErrBadIndex, `index "i": has no fields: list the fields it indexes`},
		{"index on unknown field", []schema.Table{{Name: "t", Fields: []schema.Field{name}, Indexes: []schema.Index{{Name: "i", Fields: []string{"nmae"}}}}}, schema.ErrBadIndex, `field "nmae" is not a field of the table`},
		{"index on a field twice", []schema.Table{{Name: "t", Fields: []schema.Field{name}, Indexes: []schema.Index{{Name: "i", Fields: []string{"name", "NAME"}}}}}, schema.ErrBadIndex, `field "NAME" is listed twice`},
		{"index on id and _id", []schema.Table{{Name: "t", Fields: []schema.Field{name}, Indexes: []schema.Index{{Name: "i", Fields: []string{"id", "_id"}}}}}, schema.ErrBadIndex, "listed twice"},
		{"NUL in name", []schema.Table{{Name: "a\x00b"}}, schema.ErrInvalidName, "NUL byte"},
		{"invalid UTF-8", []schema.Table{users(schema.Field{Name: "\xff", Kind: schema.String})}, schema.ErrInvalidName, "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := (&schema.Schema{Tables: tt.tables}).Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Validate() = %v, want an error that is %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Validate() = %q, want it to contain %q", err, tt.msg)
			}
			var se *schema.Error
			if !errors.As(err, &se) {
				t.Errorf("Validate() = %T, want a *schema.Error in it", err)
			}
		})
	}
}

func TestMaxFields(t *testing.T) {
	if got, want := dialect.MaxTableColumns, d1.MaxColumns; got != want {
		t.Errorf("dialect.MaxTableColumns = %d, d1.MaxColumns = %d; they must agree", got, want)
	}
	if got, want := schema.MaxFields, d1.MaxColumns-3; got != want {
		t.Errorf("MaxFields = %d, want %d", got, want)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	s := &schema.Schema{Tables: []schema.Table{
		{Name: "", Fields: []schema.Field{{Name: "id", Kind: schema.String}}},
		{Name: "t", Fields: []schema.Field{{Name: "x", Kind: "nope"}}},
	}}
	err := s.Validate()
	var list schema.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Validate() = %T %v, want an ErrorList", err, err)
	}
	if got, want := len(list), 3; got != want {
		t.Fatalf("Validate() found %d problems, want %d:\n%v", got, want, err)
	}
	for i, want := range []error{schema.ErrEmptyName, schema.ErrReservedName, schema.ErrUnknownKind} {
		if !errors.Is(list[i], want) {
			t.Errorf("problem %d = %v, want %v", i, list[i], want)
		}
	}
	if got, want := strings.Count(err.Error(), "\n"), 2; got != want {
		t.Errorf("Error() has %d line breaks, want %d (one problem a line)", got, want)
	}
}
