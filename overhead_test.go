package d1

import (
	"context"
	"testing"
)

// nopStmt is a backend statement that costs nothing, to measure the client's
// own overhead.
type nopStmt struct{ res *Result }

func (s *nopStmt) Bind(...any) (PreparedStatement, error) { return s, nil }
func (s *nopStmt) All(context.Context) (*Result, error)   { return s.res, nil }
func (s *nopStmt) Run(context.Context) (*Result, error)   { return s.res, nil }
func (s *nopStmt) First(context.Context) (*Result, error) { return s.res, nil }
func (s *nopStmt) Raw(context.Context) (*Result, error)   { return s.res, nil }

// nopQuerier is a nopStmt that is also a Querier, as local's statements are.
type nopQuerier struct{ nopStmt }

func (s *nopQuerier) Query(context.Context, Op, ...any) (*Result, error) { return s.res, nil }
func (s *nopQuerier) QueryRow(context.Context, ...any) (Row, error)      { return s.res.Row(0), nil }

type nopDB struct{ st PreparedStatement }

func (db nopDB) Prepare(string) PreparedStatement { return db.st }
func (db nopDB) Batch(context.Context, []PreparedStatement) ([]*Result, error) {
	res, err := db.st.Run(context.Background())
	return []*Result{res}, err
}
func (db nopDB) Exec(context.Context, string) (*ExecResult, error) { return &ExecResult{}, nil }
func (db nopDB) WithSession(string) DatabaseSession                { return nopSession{db} }

type nopSession struct{ nopDB }

func (nopSession) Bookmark() (string, bool) { return "", false }

// BenchmarkClientOverhead is the client's cost of a point read over a backend
// that does nothing: the statement cache, value normalization and binding.
func BenchmarkClientOverhead(b *testing.B) {
	res := &Result{Columns: []string{"a"}, Rows: [][]any{{int64(1)}}}
	c := New(nopDB{&nopStmt{res}})
	ctx := context.Background()
	const q = "SELECT id, name, value FROM t WHERE id = ?"
	b.Run("First int", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := c.First(ctx, q, i); err != nil {
				b.Fatal(err)
			}
		}
	})
	qc := New(nopDB{&nopQuerier{nopStmt{res}}})
	b.Run("First int Querier", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := qc.First(ctx, q, i); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("First int64", func(b *testing.B) {
		b.ReportAllocs()
		for i := int64(0); b.Loop(); i++ {
			if _, err := c.First(ctx, q, i); err != nil {
				b.Fatal(err)
			}
		}
	})
	ins, _ := c.Prepare("INSERT INTO t (a, b) VALUES (?, ?)")
	b.Run("Bind", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if st := ins.Bind("x", 1.5); st.err != nil {
				b.Fatal(st.err)
			}
		}
	})
}

// BenchmarkSession is the cost of a session for one request: opening it
// and running one query, as d1http does per request.
func BenchmarkSession(b *testing.B) {
	res := &Result{Columns: []string{"a"}, Rows: [][]any{{int64(1)}}}
	c := New(nopDB{&nopQuerier{nopStmt{res}}})
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := c.WithSession("").First(ctx, "SELECT a FROM t WHERE id = ?", i); err != nil {
			b.Fatal(err)
		}
	}
}
