package d1

import (
	"context"
	"reflect"
	"testing"
)

// valuesDB is a fakeDB whose statements are Queriers and which is a
// ValueBatcher: it records what the client hands it.
type valuesDB struct {
	fakeDB
	queries [][]any  // values of each Query
	ops     []Op     // op of each Query
	batch   [][]any  // values of the last BatchValues
	binds   int      // calls of Bind
	stmts   []*vStmt // statements of the last BatchValues
}

type vStmt struct {
	fakeStmt
	db *valuesDB
}

func (db *valuesDB) Prepare(query string) PreparedStatement {
	return &vStmt{fakeStmt: fakeStmt{db: &db.fakeDB, sql: query}, db: db}
}

func (db *valuesDB) WithSession(string) DatabaseSession { return valuesSession{db} }

func (db *valuesDB) BatchValues(ctx context.Context, stmts []PreparedStatement, values [][]any) ([]*Result, error) {
	db.batch = values
	db.stmts = db.stmts[:0]
	for _, s := range stmts {
		db.stmts = append(db.stmts, s.(*vStmt))
	}
	out := make([]*Result, len(stmts))
	for i, s := range stmts {
		out[i] = s.(*vStmt).result()
	}
	return out, nil
}

func (s *vStmt) Bind(values ...any) (PreparedStatement, error) {
	s.db.binds++
	return &vStmt{fakeStmt: fakeStmt{db: s.fakeStmt.db, sql: s.sql, args: values}, db: s.db}, nil
}

func (s *vStmt) Query(ctx context.Context, op Op, values ...any) (*Result, error) {
	s.db.ops = append(s.db.ops, op)
	s.db.queries = append(s.db.queries, append([]any(nil), values...))
	return s.run(ctx)
}

// QueryRow records its values as a Query of op first.
func (s *vStmt) QueryRow(ctx context.Context, values ...any) (Row, error) {
	res, err := s.Query(ctx, OpFirst, values...)
	if err != nil {
		return Row{}, err
	}
	return res.Row(0), nil
}

type valuesSession struct{ db *valuesDB }

func (s valuesSession) Prepare(q string) PreparedStatement { return s.db.Prepare(q) }
func (s valuesSession) Batch(ctx context.Context, st []PreparedStatement) ([]*Result, error) {
	return s.db.Batch(ctx, st)
}
func (s valuesSession) BatchValues(ctx context.Context, st []PreparedStatement, v [][]any) ([]*Result, error) {
	return s.db.BatchValues(ctx, st, v)
}
func (s valuesSession) Bookmark() (string, bool) { return "", false }

// TestOptionalInterfaces checks that the client hands values to a Querier
// and a ValueBatcher instead of binding copies of statements.
func TestOptionalInterfaces(t *testing.T) {
	ctx := context.Background()
	for _, hooked := range []bool{false, true} {
		db := &valuesDB{}
		var opts Options
		if hooked {
			opts.Hooks = []Hook{func(next Handler) Handler { return next }}
		}
		c := NewWithOptions(db, opts)
		sess := c.WithSession("")

		// Values given with the query: as given without hooks (the backend
		// normalizes them), normalized with hooks, which see them.
		if _, err := sess.First(ctx, "SELECT ?, ?", 7, true); err != nil {
			t.Fatal(err)
		}
		want := []any{7, true}
		if hooked {
			want = []any{int64(7), int64(1)}
		}
		if got := db.queries[0]; !reflect.DeepEqual(got, want) || db.ops[0] != OpFirst {
			t.Errorf("hooked=%v: Query(%s, %#v), want Query(first, %#v)", hooked, db.ops[0], got, want)
		}

		// Values bound to a Stmt are normalized when bound.
		st, err := sess.Prepare("INSERT INTO t VALUES (?)")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Bind(int8(3)).Run(ctx); err != nil {
			t.Fatal(err)
		}
		if got, want := db.queries[1], []any{int64(3)}; !reflect.DeepEqual(got, want) || db.ops[1] != OpRun {
			t.Errorf("hooked=%v: Query(%s, %#v), want Query(run, %#v)", hooked, db.ops[1], got, want)
		}

		// A batch passes values beside the unbound statements.
		sel, _ := sess.Prepare("SELECT 1")
		if _, err := sess.Batch(ctx, st.Bind(1), sel, st.Bind("x")); err != nil {
			t.Fatal(err)
		}
		if got, want := db.batch, [][]any{{int64(1)}, nil, {"x"}}; !reflect.DeepEqual(got, want) {
			t.Errorf("hooked=%v: BatchValues values = %#v, want %#v", hooked, got, want)
		}
		for i, s := range db.stmts {
			if s.args != nil {
				t.Errorf("hooked=%v: batch statement %d was bound to %v", hooked, i, s.args)
			}
		}
		if db.binds != 0 {
			t.Errorf("hooked=%v: Bind called %d times, want 0", hooked, db.binds)
		}
	}
}
