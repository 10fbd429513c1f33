// Package dialect holds the pieces of SQL that the runtime, which provisions
// global tables, and the migration generator, which writes them to files, must
// agree on byte for byte: how names are quoted, which SQLite type affinity a
// field kind gets, and the columns every table carries.
//
// It imports nothing outside the standard library, so it builds everywhere the
// client does, including Go compiled to wasm inside a Worker.
package dialect

import "strings"

// MaxTableColumns is the most columns D1 allows in one table, the framework
// columns included.
const MaxTableColumns = 100

// VersionColumn is the name of the column, after the framework columns, that
// holds a row's version.
const VersionColumn = "_version"

// QuoteIdentifier returns name as an SQL identifier: wrapped in double quotes,
// with each double quote inside doubled. Any name without a NUL byte comes back
// unchanged from SQLite when used as a table, column or index name; SQLite
// cannot hold a NUL in a name, and a statement holding one fails rather than
// naming something else.
func QuoteIdentifier(name string) string {
	n := strings.Count(name, `"`)
	var b strings.Builder
	b.Grow(len(name) + n + 2)
	b.WriteByte('"')
	if n == 0 {
		b.WriteString(name)
	} else {
		for i := 0; i < len(name); i++ {
			if name[i] == '"' {
				b.WriteByte('"')
			}
			b.WriteByte(name[i])
		}
	}
	b.WriteByte('"')
	return b.String()
}

// SQLAffinity is the declared type of a column, which gives it SQLite's type
// affinity of the same name.
type SQLAffinity string

// The affinities a field's column can have.
const (
	AffinityText    SQLAffinity = "TEXT"
	AffinityInteger SQLAffinity = "INTEGER"
	AffinityReal    SQLAffinity = "REAL"
	AffinityBlob    SQLAffinity = "BLOB"
)

// SQLAffinityForKind returns the column type for a field of the given kind:
// "boolean" is INTEGER; "bytes" is BLOB; "number", "timestamp" and "date" are
// REAL; every other kind, including "string", "id", "int64" (which a
// JavaScript number cannot hold exactly) and the JSON kinds, is TEXT.
func SQLAffinityForKind(kind string) SQLAffinity {
	switch kind {
	case "boolean":
		return AffinityInteger
	case "bytes":
		return AffinityBlob
	case "number", "timestamp", "date":
		return AffinityReal
	}
	return AffinityText
}

// FrameworkColumnDDL returns the column definitions that open every table, in
// order: the document id and its creation time.
//
//	"id" TEXT PRIMARY KEY
//	"_creationTime" REAL NOT NULL
func FrameworkColumnDDL() []string {
	return []string{`"id" TEXT PRIMARY KEY`, `"_creationTime" REAL NOT NULL`}
}

// ColumnRef returns the quoted column that holds field: "_id" and "id" both
// name the id column, "id"; any other field is its own column.
func ColumnRef(field string) string {
	if field == "_id" || field == "id" {
		return `"id"`
	}
	return QuoteIdentifier(field)
}

// PhysicalIndexName returns the quoted SQLite name of the index named index on
// table: "<table>_<index>". Index names share one namespace per database in
// SQLite, so the table's name keeps them apart.
func PhysicalIndexName(table, index string) string {
	return QuoteIdentifier(table + "_" + index)
}
