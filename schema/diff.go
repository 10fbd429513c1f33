package schema

import (
	"fmt"
	"slices"

	"github.com/lunora-go/d1/dialect"
)

// Op is what a [Change] does.
type Op int

// The operations of a [Change]. The first four are safe; the rest lose data
// or need work SQLite cannot do in place, and are only ever reported.
const (
	CreateTable Op = iota + 1
	AddColumn
	CreateIndex
	CreateUniqueIndex
	DropIndex
	DropColumn
	DropTable
	AlterColumn
)

var opNames = [...]string{
	CreateTable:       "create table",
	AddColumn:         "add column",
	CreateIndex:       "create index",
	CreateUniqueIndex: "create unique index",
	DropIndex:         "drop index",
	DropColumn:        "drop column",
	DropTable:         "drop table",
	AlterColumn:       "alter column",
}

// String returns the operation in words, such as "add column".
func (op Op) String() string {
	if op > 0 && int(op) < len(opNames) {
		return opNames[op]
	}
	return fmt.Sprintf("Op(%d)", int(op))
}

// Change is one step from one schema to another: a single SQL statement, or,
// for a change that cannot be made safely, an explanation.
type Change struct {
	Op     Op
	Table  string // the table's name
	Column string // the field's name, for column operations and a unique field's index
	Index  string // the index's name within the table, for index operations

	// SQL is the one statement that makes the change, without a trailing
	// semicolon. It is "" for an AlterColumn, which no single statement can
	// make.
	SQL string

	// Unsafe marks a change that drops something, or that needs a table
	// rebuild; Provision never makes one, and Generate writes it as a comment
	// unless asked for it.
	Unsafe bool

	// Note explains an unsafe change, or what a safe one does to existing
	// rows (the default a required column added to an existing table gets).
	Note string
}

// String describes the change in words, for example
// `add column "email" to table "users"`.
func (c Change) String() string {
	q := dialect.QuoteIdentifier
	switch c.Op {
	case CreateTable, DropTable:
		return fmt.Sprintf("%s %s", c.Op, q(c.Table))
	case AddColumn:
		return fmt.Sprintf("add column %s to table %s", q(c.Column), q(c.Table))
	case DropColumn:
		return fmt.Sprintf("drop column %s from table %s", q(c.Column), q(c.Table))
	case AlterColumn:
		return fmt.Sprintf("alter column %s of table %s", q(c.Column), q(c.Table))
	case CreateIndex, CreateUniqueIndex:
		return fmt.Sprintf("%s %s on table %s", c.Op, q(c.Index), q(c.Table))
	case DropIndex:
		return fmt.Sprintf("drop index %s of table %s", q(c.Index), q(c.Table))
	}
	return c.Op.String()
}

// state is what a database holds, as far as planning needs: which tables it
// has with which columns, and which indexes. Names are folded as SQLite folds
// them.
type state struct {
	tables  map[string]map[string]bool // table -> its columns
	indexes map[string]bool            // physical index names
}

// stateOf returns the state a database built from s is in.
func stateOf(s *Schema) *state {
	st := &state{tables: map[string]map[string]bool{}, indexes: map[string]bool{}}
	if s == nil {
		return st
	}
	for ti := range s.Tables {
		t := &s.Tables[ti]
		cols := map[string]bool{}
		for _, c := range frameworkColumns {
			cols[foldName(c)] = true
		}
		for _, f := range t.Fields {
			cols[foldName(f.Name)] = true
		}
		st.tables[foldName(t.Name)] = cols
		for _, ix := range allIndexes(t) {
			st.indexes[indexKey(t, &ix)] = true
		}
	}
	return st
}

// indexKey is the folded physical name of ix on t.
func indexKey(t *Table, ix *Index) string { return foldName(t.Name + "_" + ix.Name) }

// errNotFramework is returned when an existing table lacks the framework's
// primary columns, so fields cannot simply be added to it.
func errNotFramework(t *Table, col string) error {
	return &Error{Table: t.Name, Err: ErrDuplicateName, Msg: fmt.Sprintf(
		"a table of this name exists without the column %q, so it was not made from a schema: rename the table in the schema, or move the existing table away", col)}
}

// plan returns the safe changes that bring a database in state have to hold
// want: the tables it lacks, the columns its tables lack and the indexes it
// lacks, in schema order. want must be valid.
func plan(have *state, want *Schema) ([]Change, error) {
	var out []Change
	for ti := range want.Tables {
		t := &want.Tables[ti]
		cols, exists := have.tables[foldName(t.Name)]
		if !exists {
			out = append(out, Change{Op: CreateTable, Table: t.Name, SQL: createTableSQL(t)})
		} else {
			for _, c := range [...]string{"id", "_creationTime"} {
				if !cols[foldName(c)] {
					return nil, errNotFramework(t, c)
				}
			}
			if !cols[foldName(dialect.VersionColumn)] {
				out = append(out, Change{Op: AddColumn, Table: t.Name, Column: dialect.VersionColumn, SQL: addVersionColumnSQL(t),
					Note: "existing rows get version 0"})
			}
			for fi := range t.Fields {
				f := &t.Fields[fi]
				if cols[foldName(f.Name)] {
					continue
				}
				c := Change{Op: AddColumn, Table: t.Name, Column: f.Name, SQL: addColumnSQL(t, f)}
				if !f.Optional {
					c.Note = fmt.Sprintf("the field is required, so existing rows get %s", zeroDefault(dialect.SQLAffinityForKind(string(f.Kind))))
				}
				out = append(out, c)
			}
		}
		for _, ix := range allIndexes(t) {
			if have.indexes[indexKey(t, &ix)] {
				continue
			}
			c := indexChange(t, &ix)
			if !exists {
				c.Note = "" // a new table holds no rows to clash
			}
			out = append(out, c)
		}
	}
	return out, nil
}

func indexChange(t *Table, ix *Index) Change {
	c := Change{Op: CreateIndex, Table: t.Name, Index: ix.Name, SQL: createIndexSQL(t, ix)}
	if ix.Unique {
		c.Op = CreateUniqueIndex
		c.Note = "fails if existing rows hold the same value twice"
	}
	if len(ix.Fields) == 1 && ix.Name == ix.Fields[0]+uniqueIndexSuffix {
		if f := t.Field(ix.Fields[0]); f != nil && f.Unique {
			c.Column = f.Name
		}
	}
	return c
}

// Diff returns the changes that turn a database built from old into one
// built from new, in the order they must run: each a single statement. The
// safe ones (create table, add column, create index, create unique index)
// are the very statements [Provision] runs for the same step. The unsafe ones
// (drops, changes of type or of whether a field is required, changed
// indexes) come marked Unsafe with a Note; drops come first, so that the
// list runs in order when unsafe changes are wanted, and changes no single
// statement can make come last, with no SQL.
//
// A nil old is the empty schema. Tables, fields and indexes are matched by
// name, as SQLite matches them: a renamed one is dropped and added. A field
// whose kind changes without changing its column's type (string to id, say)
// needs no change. Both schemas must pass [Schema.Validate].
func Diff(old, new *Schema) ([]Change, error) {
	if old == nil {
		old = &Schema{}
	}
	if err := old.Validate(); err != nil {
		return nil, fmt.Errorf("schema: old schema: %w", err)
	}
	if err := new.Validate(); err != nil {
		return nil, err
	}

	type indexDef struct {
		table  string
		cols   []string
		unique bool
	}
	def := func(t *Table, ix *Index) indexDef {
		d := indexDef{table: foldName(t.Name), unique: ix.Unique}
		for _, name := range ix.Fields {
			col, _ := indexColumn(t, name)
			d.cols = append(d.cols, col)
		}
		return d
	}
	same := func(a, b indexDef) bool {
		return a.table == b.table && a.unique == b.unique && slices.Equal(a.cols, b.cols)
	}
	newDefs := map[string]indexDef{}
	for ti := range new.Tables {
		t := &new.Tables[ti]
		for _, ix := range allIndexes(t) {
			newDefs[indexKey(t, &ix)] = def(t, &ix)
		}
	}

	var drops, recreates, alters []Change
	changed := map[string]bool{} // physical index names whose definition changes
	for ti := range old.Tables {
		ot := &old.Tables[ti]
		nt := new.Table(ot.Name)
		for _, ix := range allIndexes(ot) {
			key := indexKey(ot, &ix)
			nd, kept := newDefs[key]
			if kept && same(def(ot, &ix), nd) {
				continue
			}
			if kept {
				changed[key] = true
			}
			if nt == nil {
				continue // DROP TABLE drops its indexes
			}
			note := "the index is no longer in the schema; dropping it loses no data, but queries that used it slow down"
			if kept {
				note = "the index's definition changes: it must be dropped and created again"
			}
			drops = append(drops, Change{Op: DropIndex, Table: ot.Name, Index: ix.Name, SQL: dropIndexSQL(ot, &ix), Unsafe: true, Note: note})
		}
	}
	for ti := range old.Tables {
		ot := &old.Tables[ti]
		nt := new.Table(ot.Name)
		if nt == nil {
			continue
		}
		for fi := range ot.Fields {
			of := &ot.Fields[fi]
			nf := nt.Field(of.Name)
			if nf == nil {
				drops = append(drops, Change{Op: DropColumn, Table: ot.Name, Column: of.Name, SQL: dropColumnSQL(ot, of), Unsafe: true,
					Note: "the field is no longer in the schema: dropping its column deletes its values in every row"})
				continue
			}
			oa, na := dialect.SQLAffinityForKind(string(of.Kind)), dialect.SQLAffinityForKind(string(nf.Kind))
			if oa == na && of.Optional == nf.Optional {
				continue
			}
			alters = append(alters, Change{Op: AlterColumn, Table: nt.Name, Column: nf.Name, Unsafe: true, Note: fmt.Sprintf(
				"the column changes from %s to %s; SQLite cannot change a column's type or NOT NULL in place. "+
					"It takes a table rebuild (create a new table, copy the rows, drop the old one, rename), "+
					"which on D1 also deletes child rows through ON DELETE CASCADE foreign keys: write that migration by hand, "+
					"or add a new field and copy the values into it",
				describeColumn(oa, of.Optional), describeColumn(na, nf.Optional))})
		}
	}
	for ti := range old.Tables {
		ot := &old.Tables[ti]
		if new.Table(ot.Name) == nil {
			drops = append(drops, Change{Op: DropTable, Table: ot.Name, SQL: dropTableSQL(ot), Unsafe: true,
				Note: "the table is no longer in the schema: dropping it deletes every row"})
		}
	}
	for ti := range new.Tables {
		nt := &new.Tables[ti]
		for _, ix := range allIndexes(nt) {
			if changed[indexKey(nt, &ix)] {
				c := indexChange(nt, &ix)
				c.Unsafe, c.Note = true, "replaces the index of the same name, which must be dropped first"
				recreates = append(recreates, c)
			}
		}
	}

	safe, err := plan(stateOf(old), new)
	if err != nil {
		return nil, err
	}
	out := append(drops, safe...)
	out = append(out, recreates...)
	return append(out, alters...), nil
}

func describeColumn(a dialect.SQLAffinity, optional bool) string {
	if optional {
		return string(a) + " (optional)"
	}
	return string(a) + " NOT NULL"
}
