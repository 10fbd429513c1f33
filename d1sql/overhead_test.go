package d1sql

import (
	"context"
	"database/sql"
	"testing"

	"github.com/lunora-go/d1"
)

// fixed is a backend whose every statement returns the same one-row result
// at once, so that a benchmark over it measures the layers above a backend.
type fixed struct{ res *d1.Result }

func (f fixed) Prepare(string) d1.PreparedStatement { return f }
func (f fixed) Batch(context.Context, []d1.PreparedStatement) ([]*d1.Result, error) {
	return []*d1.Result{f.res}, nil
}
func (f fixed) Exec(context.Context, string) (*d1.ExecResult, error) { return &d1.ExecResult{}, nil }
func (f fixed) WithSession(string) d1.DatabaseSession                { return fixedSession{f} }
func (f fixed) Bind(...any) (d1.PreparedStatement, error)            { return f, nil }
func (f fixed) All(context.Context) (*d1.Result, error)              { return f.res, nil }
func (f fixed) Run(context.Context) (*d1.Result, error)              { return f.res, nil }
func (f fixed) First(context.Context) (*d1.Result, error)            { return f.res, nil }
func (f fixed) Raw(context.Context) (*d1.Result, error)              { return f.res, nil }

type fixedSession struct{ fixed }

func (fixedSession) Bookmark() (string, bool) { return "", false }

// BenchmarkOverhead measures what database/sql and d1sql add to a point
// read, over a backend that costs nothing.
//
//	go test ./d1sql -run '^$' -bench Overhead -benchmem
func BenchmarkOverhead(b *testing.B) {
	ctx := context.Background()
	sess := d1.New(fixed{&d1.Result{Columns: []string{"name", "n"}, Rows: [][]any{{"name", int64(7)}}}}).WithSession("")
	db := sql.OpenDB(SessionConnector(sess))
	defer db.Close()
	const query = "SELECT name, n FROM kv WHERE id = ?"
	var (
		name string
		n    int64
	)
	b.Run("Session.First", func(b *testing.B) {
		for b.Loop() {
			row, err := sess.First(ctx, query, 5)
			if err != nil {
				b.Fatal(err)
			}
			if err := row.Scan(&name, &n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("d1sql.QueryRowContext", func(b *testing.B) {
		for b.Loop() {
			if err := db.QueryRowContext(ctx, query, 5).Scan(&name, &n); err != nil {
				b.Fatal(err)
			}
		}
	})
}
