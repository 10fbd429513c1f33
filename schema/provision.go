package schema

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/dialect"
)

// provisionRounds bounds how often Provision reads the database and applies
// what is missing before it gives up.
const provisionRounds = 5

// Provision creates what the database behind client lacks of tables: missing
// tables (the framework columns, the _version column, then the fields),
// missing columns of existing tables (with ADD COLUMN; see the package
// documentation for the default a required one gets), and missing indexes.
// It never drops or changes anything that exists. The statements are the
// ones [Diff] yields for the same step, so a provisioned database and a
// migrated one agree.
//
// Provision reads sqlite_master and each existing table's columns, runs the
// missing statements as one batch on the primary, and reads again, until
// nothing is missing. It is idempotent: on a provisioned database it reads
// and returns no changes. Two processes may provision at once: tables and
// indexes are created with IF NOT EXISTS, and when the other process adds a
// column first, the batch fails as a whole with "duplicate column name" and
// Provision reads again and makes only what is still missing.
//
// It returns the changes in the batches that succeeded (some may have found
// their table or index made meanwhile by another process). tables must pass
// [Schema.Validate].
//
// A provisioned database costs two round trips: one query of sqlite_master
// and one batch of PRAGMA table_info, one statement per existing table. Each
// statement counts towards D1's queries per Worker invocation.
func Provision(ctx context.Context, client *d1.Client, tables []Table) ([]Change, error) {
	want := &Schema{Tables: tables}
	if err := want.Validate(); err != nil {
		return nil, err
	}
	var done []Change
	for round := 0; ; round++ {
		have, err := readState(ctx, client, want)
		if err != nil {
			var se *Error
			if errors.As(err, &se) {
				return done, err
			}
			return done, fmt.Errorf("schema: provision: read the database's schema: %w", err)
		}
		changes, err := plan(have, want)
		if err != nil {
			return done, err
		}
		if len(changes) == 0 {
			return done, nil
		}
		if round == provisionRounds {
			return done, fmt.Errorf("schema: provision: %s still missing after %d rounds; is another process changing the schema?",
				changes[0], provisionRounds)
		}
		stmts := make([]*d1.Stmt, len(changes))
		for i, c := range changes {
			if stmts[i], err = client.Prepare(c.SQL); err != nil {
				return done, fmt.Errorf("schema: provision: %s: %w", c, err)
			}
		}
		if _, err := client.Batch(ctx, stmts...); err != nil {
			if raced(err) {
				continue
			}
			return done, fmt.Errorf("schema: provision: %s: %w", describe(changes), err)
		}
		done = append(done, changes...)
	}
}

// readState reads which tables and indexes the database has, and the
// columns of the tables in want.
func readState(ctx context.Context, client *d1.Client, want *Schema) (*state, error) {
	res, err := client.All(ctx, "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index', 'view')")
	if err != nil {
		return nil, err
	}
	st := &state{tables: map[string]map[string]bool{}, indexes: map[string]bool{}}
	var tables []string // existing tables of want, as the database names them
	for _, row := range res.Rows {
		typ, _ := row[0].(string)
		name, _ := row[1].(string)
		switch t := want.Table(name); {
		case typ == "index":
			st.indexes[foldName(name)] = true
		case t == nil:
		case typ == "view":
			// CREATE TABLE IF NOT EXISTS would quietly do nothing.
			return nil, &Error{Table: t.Name, Err: ErrDuplicateName, Msg: "the database has a view of this name: rename the table in the schema, or drop the view"}
		default:
			tables = append(tables, name)
		}
	}
	if len(tables) == 0 {
		return st, nil
	}
	stmts := make([]*d1.Stmt, len(tables))
	for i, name := range tables {
		if stmts[i], err = client.Prepare("PRAGMA table_info(" + dialect.QuoteIdentifier(name) + ")"); err != nil {
			return nil, err
		}
	}
	results, err := client.Batch(ctx, stmts...)
	if err != nil {
		return nil, err
	}
	for i, r := range results {
		col := -1
		for j, c := range r.Columns {
			if c == "name" {
				col = j
			}
		}
		cols := map[string]bool{}
		for _, row := range r.Rows {
			if col >= 0 {
				name, _ := row[col].(string)
				cols[foldName(name)] = true
			}
		}
		st.tables[foldName(tables[i])] = cols
	}
	return st, nil
}

// raced reports whether err is what a batch gets when another process made
// one of its objects first.
func raced(err error) bool {
	var e *d1.Error
	if !errors.As(err, &e) {
		return false
	}
	return strings.HasPrefix(e.Message, "duplicate column name: ") || strings.HasSuffix(e.Message, " already exists")
}

// describe names the changes of a failed batch.
func describe(changes []Change) string {
	if len(changes) == 1 {
		return changes[0].String()
	}
	return fmt.Sprintf("%s and %d more changes", changes[0], len(changes)-1)
}
