package schema

import (
	"strings"

	"github.com/lunora-go/d1/dialect"
)

// This file is the one renderer of DDL: Provision and Diff (and so Generate)
// both build their statements here, from package dialect's pieces, so that a
// database provisioned at run time and one built from migrations hold the
// same text in sqlite_master.
//
// SQLite keeps a CREATE statement's text from the object's name on, so
// "CREATE TABLE IF NOT EXISTS" is stored as "CREATE TABLE"; and ADD COLUMN
// appends ", <column definition>" before the closing parenthesis. Columns are
// therefore joined with ", " on one line: a table created with a column reads
// the same as one that had the column added later (defaults aside).

// versionColumnDDL defines the row version column that follows the framework
// columns.
var versionColumnDDL = dialect.QuoteIdentifier(dialect.VersionColumn) + " INTEGER NOT NULL DEFAULT 0"

// columnDDL returns the column definition of f, without a default.
func columnDDL(f *Field) string {
	def := dialect.QuoteIdentifier(f.Name) + " " + string(dialect.SQLAffinityForKind(string(f.Kind)))
	if !f.Optional {
		def += " NOT NULL"
	}
	return def
}

// zeroDefault returns the DEFAULT a required column gets when it is added to
// an existing table: the zero value of its type.
func zeroDefault(a dialect.SQLAffinity) string {
	switch a {
	case dialect.AffinityInteger, dialect.AffinityReal:
		return "0"
	case dialect.AffinityBlob:
		return "x''"
	}
	return "''"
}

// createTableSQL returns the statement that creates t with every column.
func createTableSQL(t *Table) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS ")
	b.WriteString(dialect.QuoteIdentifier(t.Name))
	b.WriteString(" (")
	for i, c := range dialect.FrameworkColumnDDL() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c)
	}
	b.WriteString(", ")
	b.WriteString(versionColumnDDL)
	for i := range t.Fields {
		b.WriteString(", ")
		b.WriteString(columnDDL(&t.Fields[i]))
	}
	b.WriteString(")")
	return b.String()
}

// addColumnSQL returns the statement that adds f to the existing table t. A
// required field gets its type's zero value as DEFAULT, which SQLite demands
// and existing rows take.
func addColumnSQL(t *Table, f *Field) string {
	def := columnDDL(f)
	if !f.Optional {
		def += " DEFAULT " + zeroDefault(dialect.SQLAffinityForKind(string(f.Kind)))
	}
	return "ALTER TABLE " + dialect.QuoteIdentifier(t.Name) + " ADD COLUMN " + def
}

// addVersionColumnSQL returns the statement that adds the version column to a
// table that lacks it.
func addVersionColumnSQL(t *Table) string {
	return "ALTER TABLE " + dialect.QuoteIdentifier(t.Name) + " ADD COLUMN " + versionColumnDDL
}

// createIndexSQL returns the statement that creates ix on t.
func createIndexSQL(t *Table, ix *Index) string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if ix.Unique {
		b.WriteString("UNIQUE ")
	}
	b.WriteString("INDEX IF NOT EXISTS ")
	b.WriteString(dialect.PhysicalIndexName(t.Name, ix.Name))
	b.WriteString(" ON ")
	b.WriteString(dialect.QuoteIdentifier(t.Name))
	b.WriteString(" (")
	for i, name := range ix.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		if f := t.Field(name); f != nil {
			name = f.Name // as declared, whatever the case the index used
		}
		b.WriteString(dialect.ColumnRef(name))
	}
	b.WriteString(")")
	return b.String()
}

// dropTableSQL, dropColumnSQL and dropIndexSQL are the unsafe statements.
func dropTableSQL(t *Table) string { return "DROP TABLE " + dialect.QuoteIdentifier(t.Name) }

func dropColumnSQL(t *Table, f *Field) string {
	return "ALTER TABLE " + dialect.QuoteIdentifier(t.Name) + " DROP COLUMN " + dialect.QuoteIdentifier(f.Name)
}

func dropIndexSQL(t *Table, ix *Index) string {
	return "DROP INDEX " + dialect.PhysicalIndexName(t.Name, ix.Name)
}

// allIndexes returns t's indexes as they are created: one unique index for
// each unique field, in field order, then the declared indexes.
func allIndexes(t *Table) []Index {
	var out []Index
	for i := range t.Fields {
		if f := &t.Fields[i]; f.Unique {
			out = append(out, Index{Name: f.Name + uniqueIndexSuffix, Fields: []string{f.Name}, Unique: true})
		}
	}
	return append(out, t.Indexes...)
}
