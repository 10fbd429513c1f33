package schema_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/lunora-go/d1/schema"
)

func TestSaveLoad(t *testing.T) {
	for _, st := range steps() {
		var buf bytes.Buffer
		if err := st.schema.Save(&buf); err != nil {
			t.Fatalf("%s: Save: %v", st.name, err)
		}
		got, err := schema.Load(&buf)
		if err != nil {
			t.Fatalf("%s: Load: %v", st.name, err)
		}
		if !reflect.DeepEqual(got, st.schema) {
			t.Errorf("%s: Load(Save(s)) = %+v, want %+v", st.name, got, st.schema)
		}
	}
}

func TestSaveFormat(t *testing.T) {
	s := &schema.Schema{Tables: []schema.Table{{Name: "t<&>", Fields: []schema.Field{
		{Name: "a", Kind: schema.String},
		{Name: "b", Kind: schema.Number, Optional: true, Unique: true},
	}, Indexes: []schema.Index{{Name: "by_a", Fields: []string{"a"}}}}}}
	var buf bytes.Buffer
	if err := s.Save(&buf); err != nil {
		t.Fatal(err)
	}
	want := `{
  "tables": [
    {
      "name": "t<&>",
      "fields": [
        {
          "name": "a",
          "kind": "string"
        },
        {
          "name": "b",
          "kind": "number",
          "optional": true,
          "unique": true
        }
      ],
      "indexes": [
        {
          "name": "by_a",
          "fields": [
            "a"
          ]
        }
      ]
    }
  ]
}
`
	if got := buf.String(); got != want {
		t.Errorf("Save wrote:\n%s\nwant:\n%s", got, want)
	}

	buf.Reset()
	if err := (&schema.Schema{}).Save(&buf); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "{\n  \"tables\": []\n}\n"; got != want {
		t.Errorf("Save(empty) = %q, want %q", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, in, msg string
		is            error
	}{
		{"unknown key", `{"tables":[{"name":"t","fields":[{"name":"a","kind":"string","requried":true}]}]}`, `unknown field "requried"`, nil},
		{"not JSON", `tables:`, "schema: load:", nil},
		{"trailing data", `{"tables":[]} {}`, "data after", nil},
		{"invalid schema", `{"tables":[{"name":"t","fields":[{"name":"_id","kind":"id"}]}]}`, "reserved", schema.ErrReservedName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := schema.Load(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("Load = %v, want an error containing %q", err, tt.msg)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Load = %v, want %v", err, tt.is)
			}
		})
	}
}

func TestSaveRefusesInvalid(t *testing.T) {
	var buf bytes.Buffer
	err := (&schema.Schema{Tables: []schema.Table{{Name: ""}}}).Save(&buf)
	if !errors.Is(err, schema.ErrEmptyName) || buf.Len() != 0 {
		t.Errorf("Save(invalid) = %v and wrote %d bytes, want ErrEmptyName and nothing", err, buf.Len())
	}
}

func TestLookups(t *testing.T) {
	s := &schema.Schema{Tables: []schema.Table{{Name: "Users", Fields: []schema.Field{{Name: "Email", Kind: schema.String}},
		Indexes: []schema.Index{{Name: "By_Email", Fields: []string{"email"}}}}}}
	tbl := s.Table("users")
	if tbl == nil || tbl.Name != "Users" {
		t.Fatalf("Table(users) = %v", tbl)
	}
	if f := tbl.Field("EMAIL"); f == nil || f.Name != "Email" {
		t.Errorf("Field(EMAIL) = %v", f)
	}
	if ix := tbl.Index("by_email"); ix == nil || ix.Name != "By_Email" {
		t.Errorf("Index(by_email) = %v", ix)
	}
	if s.Table("nope") != nil || tbl.Field("nope") != nil || tbl.Index("nope") != nil {
		t.Error("lookups of missing names found something")
	}
	// SQLite folds ASCII letters only.
	u := &schema.Schema{Tables: []schema.Table{{Name: "É"}}}
	if u.Table("é") != nil {
		t.Error(`Table("é") found "É"; SQLite treats them as different names`)
	}
	var nilSchema *schema.Schema
	if nilSchema.Table("x") != nil {
		t.Error("nil schema found a table")
	}
}
