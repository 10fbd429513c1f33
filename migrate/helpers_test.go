package migrate_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
	"github.com/lunora-go/d1/migrate"
)

// counting wraps a d1.Database and counts the calls that reach the database
// (Batch and Exec, and each statement's All, Run, First and Raw), keeping the
// SQL of every statement and the meta of every result.
type counting struct {
	d1.Database
	mu    sync.Mutex
	calls int
	sql   []string
	metas []d1.Meta
}

func (c *counting) record(sql []string, res []*d1.Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	c.sql = append(c.sql, sql...)
	for _, r := range res {
		if r != nil {
			c.metas = append(c.metas, r.Meta)
		}
	}
}

// reset returns the calls, statements and metas so far and starts again.
func (c *counting) reset() (int, []string, []d1.Meta) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, sql, metas := c.calls, c.sql, c.metas
	c.calls, c.sql, c.metas = 0, nil, nil
	return n, sql, metas
}

func (c *counting) Prepare(query string) d1.PreparedStatement {
	return &countingStmt{c: c, sql: query, ps: c.Database.Prepare(query)}
}

func (c *counting) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	inner := make([]d1.PreparedStatement, len(stmts))
	sql := make([]string, len(stmts))
	for i, s := range stmts {
		cs := s.(*countingStmt)
		inner[i], sql[i] = cs.ps, cs.sql
	}
	res, err := c.Database.Batch(ctx, inner)
	c.record(sql, res)
	return res, err
}

func (c *counting) Exec(ctx context.Context, query string) (*d1.ExecResult, error) {
	c.record([]string{query}, nil)
	return c.Database.Exec(ctx, query)
}

type countingStmt struct {
	c   *counting
	sql string
	ps  d1.PreparedStatement
}

func (s *countingStmt) Bind(values ...any) (d1.PreparedStatement, error) {
	ps, err := s.ps.Bind(values...)
	if err != nil {
		return nil, err
	}
	return &countingStmt{c: s.c, sql: s.sql, ps: ps}, nil
}

func (s *countingStmt) run(res *d1.Result, err error) (*d1.Result, error) {
	s.c.record([]string{s.sql}, []*d1.Result{res})
	return res, err
}

func (s *countingStmt) All(ctx context.Context) (*d1.Result, error)   { return s.run(s.ps.All(ctx)) }
func (s *countingStmt) Run(ctx context.Context) (*d1.Result, error)   { return s.run(s.ps.Run(ctx)) }
func (s *countingStmt) First(ctx context.Context) (*d1.Result, error) { return s.run(s.ps.First(ctx)) }
func (s *countingStmt) Raw(ctx context.Context) (*d1.Result, error)   { return s.run(s.ps.Raw(ctx)) }

// openDB opens a local database: in memory, or in a file in a temporary
// directory when file is true.
func openDB(t testing.TB, file bool) *local.DB {
	t.Helper()
	path := ""
	if file {
		path = filepath.Join(t.TempDir(), "d1.sqlite")
	}
	db, err := local.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// mustExec runs statements on db, failing the test on error.
func mustExec(t testing.TB, db d1.Database, stmts ...string) {
	t.Helper()
	c := d1.New(db)
	for _, s := range stmts {
		if _, err := c.Run(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// query returns the rows of q as strings, one per row, values separated by
// "|", NULL as "NULL".
func query(t testing.TB, db d1.Database, q string, args ...any) []string {
	t.Helper()
	res, err := d1.New(db).All(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	var out []string
	for _, row := range res.Rows {
		var parts []string
		for _, v := range row {
			if v == nil {
				parts = append(parts, "NULL")
			} else {
				parts = append(parts, fmt.Sprint(v))
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return out
}

// tableMigrations returns n migrations, from version 1, each creating a
// table t<version> and logging its version in the table log (which the first
// migration creates), so that a migration applied twice fails, and one
// applied zero times leaves a gap.
func tableMigrations(n int) []migrate.Migration {
	ms := []migrate.Migration{{Version: 1, Name: "log", SQL: "CREATE TABLE log (version INTEGER NOT NULL);\n"}}
	for v := 2; v <= n; v++ {
		if v%2 == 0 {
			ms = append(ms, migrate.Migration{Version: int64(v), Name: fmt.Sprintf("table_%d", v),
				SQL: fmt.Sprintf("CREATE TABLE t%d (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x');", v)})
		} else {
			ms = append(ms, migrate.Migration{Version: int64(v), Name: fmt.Sprintf("log_%d", v),
				SQL: fmt.Sprintf("INSERT INTO log (version) VALUES (%d)", v)})
		}
	}
	return ms
}

func entries(ms []migrate.Migration) []migrate.Entry {
	out := make([]migrate.Entry, len(ms))
	for i, m := range ms {
		out[i] = migrate.Entry{Version: m.Version, Name: m.Name}
	}
	return out
}

func sameEntries(a, b []migrate.Entry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func mustNew(t testing.TB, db d1.Database, ms []migrate.Migration) *migrate.Runner {
	t.Helper()
	r, err := migrate.New(db, ms)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
