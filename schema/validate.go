package schema

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lunora-go/d1/dialect"
)

// The kinds of problem [Schema.Validate] reports. Each [*Error] wraps one, so
// errors.Is(err, ErrReservedName) and the like answer what went wrong.
var (
	ErrEmptyName      = errors.New("schema: empty name")
	ErrInvalidName    = errors.New("schema: invalid name")
	ErrReservedName   = errors.New("schema: reserved name")
	ErrDuplicateName  = errors.New("schema: duplicate name")
	ErrTooManyColumns = errors.New("schema: too many columns")
	ErrUnknownKind    = errors.New("schema: unknown kind")
	ErrBadIndex       = errors.New("schema: bad index")
)

// frameworkColumns are the columns every table has ahead of its fields.
var frameworkColumns = [...]string{"id", "_creationTime", dialect.VersionColumn}

// MaxFields is the most fields a table may have: D1's [dialect.MaxTableColumns]
// less the framework columns id, _creationTime and _version.
const MaxFields = dialect.MaxTableColumns - len(frameworkColumns)

// reservedFields are the names a field may not have.
var reservedFields = [...]string{"id", "_id", "_creationTime", dialect.VersionColumn}

// uniqueIndexSuffix names a unique field's index: "<field>_unique".
const uniqueIndexSuffix = "_unique"

// Error is a problem that keeps D1 from holding a schema. Its message says
// where the problem is and what to do about it.
type Error struct {
	Table string // the table's name, or "" when the problem is not in one table
	Field string // the field's name, if the problem is in a field
	Index string // the index's name, if the problem is in an index
	Msg   string // what is wrong and what to do
	Err   error  // the kind of problem: ErrEmptyName, ErrReservedName, ...
}

// Error returns the problem and where it is.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("schema: ")
	if e.Table != "" {
		fmt.Fprintf(&b, "table %q: ", e.Table)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %q: ", e.Field)
	}
	if e.Index != "" {
		fmt.Fprintf(&b, "index %q: ", e.Index)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the kind of problem.
func (e *Error) Unwrap() error { return e.Err }

// ErrorList is every problem [Schema.Validate] found, in schema order.
type ErrorList []*Error

// Error returns the problems, one a line.
func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the problems, so that errors.Is and errors.As look at each.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Validate reports every reason D1 cannot hold s, as an [ErrorList], or nil:
//
//   - an empty table, field or index name, or one that is not valid UTF-8 or
//     holds a NUL byte (D1 speaks JavaScript strings; SQLite names cannot
//     hold NUL);
//   - a table or index name beginning "_cf_" (reserved by D1) or "sqlite_"
//     (reserved by SQLite), in any case, or naming a migration runner's
//     tracking table (__drizzle_migrations, which package migrate uses, and
//     wrangler's d1_migrations);
//   - a field named id, _id, _creationTime or _version, which the framework
//     columns use, or beginning "_cf_";
//   - two tables, two fields of a table, or two indexes of a table with the
//     same name, or a table and an index, or two indexes, that would have the
//     same name in the database (SQLite ignores the case of ASCII letters);
//   - more than [MaxFields] fields in a table (D1 allows
//     [dialect.MaxTableColumns] columns and the framework uses three);
//   - a field kind not in [Kinds];
//   - an index with no fields, or over a field the table does not have, or
//     over the same field twice.
func (s *Schema) Validate() error {
	var errs ErrorList
	add := func(e *Error) { errs = append(errs, e) }

	type owner struct{ desc string }
	objects := map[string]owner{} // folded database names of tables and indexes
	claim := func(e Error, name, desc string) bool {
		key := foldName(name)
		if prev, ok := objects[key]; ok {
			e.Msg = fmt.Sprintf("%s and %s would both be named %s in the database (SQLite ignores the case of ASCII letters): rename one of them",
				prev.desc, desc, dialect.QuoteIdentifier(name))
			e.Err = ErrDuplicateName
			add(&e)
			return false
		}
		objects[key] = owner{desc}
		return true
	}

	for ti := range s.Tables {
		t := &s.Tables[ti]
		tableOK := true
		if e := checkName(t.Name, "table", fmt.Sprintf("table %d", ti+1)); e != nil {
			e.Table = t.Name
			add(e)
			tableOK = false
		} else if e := checkObjectName(t.Name, "table"); e != nil {
			e.Table = t.Name
			add(e)
			tableOK = false
		} else if !claim(Error{Table: t.Name}, t.Name, fmt.Sprintf("table %q", t.Name)) {
			tableOK = false
		}

		if n := len(t.Fields); n > MaxFields {
			add(&Error{Table: t.Name, Err: ErrTooManyColumns, Msg: fmt.Sprintf(
				"%d fields, but D1 allows %d columns in a table and id, _creationTime and _version take 3: keep to %d fields, or split the table",
				n, dialect.MaxTableColumns, MaxFields)})
		}

		fields := map[string]string{} // folded name -> name as declared
		for fi := range t.Fields {
			f := &t.Fields[fi]
			if e := checkName(f.Name, "field", fmt.Sprintf("field %d", fi+1)); e != nil {
				e.Table, e.Field = t.Name, f.Name
				add(e)
				continue
			}
			if r := reservedField(f.Name); r != "" {
				add(&Error{Table: t.Name, Field: f.Name, Err: ErrReservedName, Msg: r})
			} else if prev, dup := fields[foldName(f.Name)]; dup {
				add(&Error{Table: t.Name, Field: f.Name, Err: ErrDuplicateName, Msg: fmt.Sprintf(
					"declared twice (first as %q; SQLite ignores the case of ASCII letters in names): rename or remove one", prev)})
			} else {
				fields[foldName(f.Name)] = f.Name
			}
			if !f.Kind.known() {
				add(&Error{Table: t.Name, Field: f.Name, Err: ErrUnknownKind, Msg: fmt.Sprintf(
					"unknown kind %q: use one of %s", f.Kind, kindList())})
			}
			if f.Unique && tableOK {
				claim(Error{Table: t.Name, Field: f.Name}, t.Name+"_"+f.Name+uniqueIndexSuffix,
					fmt.Sprintf("the unique index of field %q of table %q", f.Name, t.Name))
			}
		}

		indexes := map[string]string{}
		for ii := range t.Indexes {
			ix := &t.Indexes[ii]
			if e := checkName(ix.Name, "index", fmt.Sprintf("index %d", ii+1)); e != nil {
				e.Table, e.Index = t.Name, ix.Name
				add(e)
				continue
			}
			if prev, dup := indexes[foldName(ix.Name)]; dup {
				add(&Error{Table: t.Name, Index: ix.Name, Err: ErrDuplicateName, Msg: fmt.Sprintf(
					"declared twice (first as %q; SQLite ignores the case of ASCII letters in names): rename or remove one", prev)})
				continue
			}
			indexes[foldName(ix.Name)] = ix.Name
			if tableOK {
				phys := t.Name + "_" + ix.Name
				if e := checkObjectName(phys, "index"); e != nil {
					e.Table, e.Index = t.Name, ix.Name
					add(e)
				} else {
					claim(Error{Table: t.Name, Index: ix.Name}, phys, fmt.Sprintf("index %q of table %q", ix.Name, t.Name))
				}
			}
			if len(ix.Fields) == 0 {
				add(&Error{Table: t.Name, Index: ix.Name, Err: ErrBadIndex, Msg: "has no fields: list the fields it indexes, in order"})
			}
			seen := map[string]bool{}
			for _, name := range ix.Fields {
				col, ok := indexColumn(t, name)
				if !ok {
					add(&Error{Table: t.Name, Index: ix.Name, Err: ErrBadIndex, Msg: fmt.Sprintf(
						"field %q is not a field of the table: index its fields, _id or _creationTime", name)})
					continue
				}
				if seen[col] {
					add(&Error{Table: t.Name, Index: ix.Name, Err: ErrBadIndex, Msg: fmt.Sprintf(
						"field %q is listed twice: list each field once", name)})
				}
				seen[col] = true
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// checkName checks that name can be a name at all.
func checkName(name, what, position string) *Error {
	switch {
	case name == "":
		return &Error{Err: ErrEmptyName, Msg: fmt.Sprintf("%s has no name: give every %s a name", position, what)}
	case !utf8.ValidString(name):
		return &Error{Err: ErrInvalidName, Msg: fmt.Sprintf("the %s's name is not valid UTF-8, which D1's JavaScript strings cannot carry: use a UTF-8 name", what)}
	case strings.IndexByte(name, 0) >= 0:
		return &Error{Err: ErrInvalidName, Msg: fmt.Sprintf("the %s's name holds a NUL byte, which SQLite names cannot: remove it", what)}
	}
	return nil
}

// checkObjectName checks the name of a table or index in sqlite_master.
func checkObjectName(name, what string) *Error {
	switch {
	case hasPrefixFold(name, "_cf_"):
		return &Error{Err: ErrReservedName, Msg: fmt.Sprintf("%s names beginning \"_cf_\" are reserved by D1: rename the %s", what, what)}
	case hasPrefixFold(name, "sqlite_"):
		return &Error{Err: ErrReservedName, Msg: fmt.Sprintf("%s names beginning \"sqlite_\" are reserved by SQLite: rename the %s", what, what)}
	case sameName(name, "__drizzle_migrations"), sameName(name, "d1_migrations"):
		return &Error{Err: ErrReservedName, Msg: fmt.Sprintf("%q is the table in which migration runners record migrations: rename the %s", name, what)}
	}
	return nil
}

// reservedField explains why a field may not have name, or returns "".
func reservedField(name string) string {
	for _, r := range reservedFields {
		if sameName(name, r) {
			return fmt.Sprintf("%q is reserved: every table has the framework columns id (also called _id), _creationTime and _version: rename the field", name)
		}
	}
	if hasPrefixFold(name, "_cf_") {
		return "names beginning \"_cf_\" are reserved by D1: rename the field"
	}
	return ""
}

// indexColumn returns the folded column an index entry names.
func indexColumn(t *Table, name string) (string, bool) {
	switch {
	case name == "_id" || name == "id":
		return "id", true
	case name == "_creationTime":
		return foldName(name), true
	}
	if f := t.Field(name); f != nil {
		return foldName(f.Name), true
	}
	return "", false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && sameName(s[:len(prefix)], prefix)
}

func kindList() string {
	ks := Kinds()
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}
