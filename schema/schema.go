// Package schema describes global tables in Go, provisions them on a running
// database, and turns a change of description into migrations.
//
// A [Schema] lists tables; each [Table] has fields of a [Kind], optional or
// required, possibly unique, and indexes. Every table also gets the framework
// columns: "id" (TEXT PRIMARY KEY), "_creationTime" (REAL NOT NULL) and
// "_version" (INTEGER NOT NULL DEFAULT 0), ahead of its fields. A schema is
// saved and loaded as JSON ([Load], [Schema.Save]) so that the command-line
// tool and a running program read the same file.
//
// The SQL comes from one renderer, built on package dialect, whichever way it
// reaches the database: [Provision] creates at run time what is missing, and
// [Diff] and [Generate] write the same statements as migrations. A database
// provisioned at run time and one migrated from the generated files hold the
// same text in sqlite_master for every table and index.
//
// # How fields become columns
//
// A field's column type is [dialect.SQLAffinityForKind] of its kind; a required
// field is NOT NULL. A unique field gets its own unique index,
// "<table>_<field>_unique", rather than a UNIQUE clause, because SQLite cannot
// add a UNIQUE column to an existing table and the two paths must agree.
//
// SQLite can add a NOT NULL column to an existing table only with a DEFAULT.
// So a required field added to a table that already exists gets its column
// type's zero value as the default, which existing rows take:
//
//	TEXT     DEFAULT ''
//	INTEGER  DEFAULT 0
//	REAL     DEFAULT 0
//	BLOB     DEFAULT x''
//
// A required field present when the table is created has no default. New
// columns of an existing table come after the columns it has, whatever their
// place in the schema.
//
// # What is never done automatically
//
// Dropping a table, column or index, and changing a column's type or whether
// it is required, lose data or need a table rebuild, which SQLite cannot do in
// place and which on D1 silently deletes child rows through ON DELETE CASCADE.
// [Provision] never does them; [Diff] reports them as unsafe [Change] values
// with an explanation, and [Generate] writes them as comments unless told
// otherwise.
package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
)

// Schema describes the global tables of a program.
type Schema struct {
	Tables []Table `json:"tables"`
}

// Table describes one table: its fields, in column order, and its indexes.
type Table struct {
	Name    string  `json:"name"`
	Fields  []Field `json:"fields"`
	Indexes []Index `json:"indexes,omitempty"`
}

// Field describes one column of a table.
type Field struct {
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
	// Optional fields may hold NULL; the others are NOT NULL.
	Optional bool `json:"optional,omitempty"`
	// Unique fields get a unique index of their own.
	Unique bool `json:"unique,omitempty"`
}

// Index describes an index over one or more fields of a table. Its name is
// unique within the table; in the database it is "<table>_<name>". Fields
// may also name the framework columns "_id" (or "id") and "_creationTime".
type Index struct {
	Name   string   `json:"name"`
	Fields []string `json:"fields"`
	Unique bool     `json:"unique,omitempty"`
}

// Kind is the kind of value a field holds. It decides the column's type
// through [dialect.SQLAffinityForKind].
type Kind string

// The kinds a field may have.
const (
	String    Kind = "string"    // TEXT
	Number    Kind = "number"    // REAL: a JavaScript number
	Boolean   Kind = "boolean"   // INTEGER: 0 or 1
	Bytes     Kind = "bytes"     // BLOB
	Int64     Kind = "int64"     // TEXT: a 64-bit integer in decimal, which a JavaScript number cannot hold exactly
	ID        Kind = "id"        // TEXT: the id of a document
	Timestamp Kind = "timestamp" // REAL: milliseconds since the Unix epoch
	Date      Kind = "date"      // REAL: milliseconds since the Unix epoch, at midnight UTC
	JSON      Kind = "json"      // TEXT: any JSON value
	Object    Kind = "object"    // TEXT: a JSON object
	Array     Kind = "array"     // TEXT: a JSON array
	Any       Kind = "any"       // TEXT: any JSON value
)

// Kinds lists every [Kind], in the order the documentation gives them.
func Kinds() []Kind {
	return []Kind{String, Number, Boolean, Bytes, Int64, ID, Timestamp, Date, JSON, Object, Array, Any}
}

func (k Kind) known() bool { return slices.Contains(Kinds(), k) }

// Table returns the table named name, matched as SQLite matches names (ASCII
// letters in either case), or nil.
func (s *Schema) Table(name string) *Table {
	if s == nil {
		return nil
	}
	for i := range s.Tables {
		if sameName(s.Tables[i].Name, name) {
			return &s.Tables[i]
		}
	}
	return nil
}

// Field returns the field named name, matched as SQLite matches names, or nil.
func (t *Table) Field(name string) *Field {
	for i := range t.Fields {
		if sameName(t.Fields[i].Name, name) {
			return &t.Fields[i]
		}
	}
	return nil
}

// Index returns the index named name, matched as SQLite matches names, or nil.
func (t *Table) Index(name string) *Index {
	for i := range t.Indexes {
		if sameName(t.Indexes[i].Name, name) {
			return &t.Indexes[i]
		}
	}
	return nil
}

// Load reads a schema saved as JSON and checks it with [Schema.Validate].
// Unknown keys are refused, so a misspelt key does not pass unnoticed.
func Load(r io.Reader) (*Schema, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var s Schema
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("schema: load: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("schema: load: data after the schema's JSON object")
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// Save writes s as indented JSON, ending in a newline. It writes what [Load]
// reads back; a schema that does not pass [Schema.Validate] is not written.
func (s *Schema) Save(w io.Writer) error {
	if err := s.Validate(); err != nil {
		return err
	}
	data, err := s.marshal()
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

func (s *Schema) marshal() ([]byte, error) {
	out := *s
	if out.Tables == nil {
		out.Tables = []Table{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&out); err != nil {
		return nil, fmt.Errorf("schema: save: %w", err)
	}
	return buf.Bytes(), nil
}

// sameName reports whether SQLite takes a and b for the same name: it folds
// ASCII letters only.
func sameName(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

// foldName returns name with ASCII letters lowered, the key under which
// SQLite finds it.
func foldName(name string) string {
	b := []byte(name)
	for i, c := range b {
		b[i] = lowerASCII(c)
	}
	return string(b)
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
