//go:build !(js && wasm)

package workers

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1http"
)

// fakeDB answers every query with one row, for benchmarks of the request
// path without a database.
type fakeDB struct{}

type fakeStmt struct{}

type fakeSession struct{}

func (fakeDB) Prepare(string) d1.PreparedStatement { return fakeStmt{} }
func (fakeDB) Batch(context.Context, []d1.PreparedStatement) ([]*d1.Result, error) {
	return nil, nil
}
func (fakeDB) Exec(context.Context, string) (*d1.ExecResult, error) { return &d1.ExecResult{}, nil }
func (fakeDB) WithSession(string) d1.DatabaseSession                { return fakeSession{} }

func (fakeSession) Prepare(string) d1.PreparedStatement { return fakeStmt{} }
func (fakeSession) Batch(context.Context, []d1.PreparedStatement) ([]*d1.Result, error) {
	return nil, nil
}
func (fakeSession) Bookmark() (string, bool) {
	return "00000000-00000001-00000000-00000000000000000000000000000000", true
}

func (s fakeStmt) Bind(...any) (d1.PreparedStatement, error) { return s, nil }
func (fakeStmt) result() *d1.Result {
	return &d1.Result{Columns: []string{"id", "body", "created_at"}, Rows: [][]any{{float64(1), "a note", float64(1700000000000)}}}
}
func (s fakeStmt) All(context.Context) (*d1.Result, error)   { return s.result(), nil }
func (s fakeStmt) Run(context.Context) (*d1.Result, error)   { return s.result(), nil }
func (s fakeStmt) First(context.Context) (*d1.Result, error) { return s.result(), nil }
func (s fakeStmt) Raw(context.Context) (*d1.Result, error)   { return s.result(), nil }

// BenchmarkServe runs a request through parseHead, a handler like the
// example's GET /notes/{id} and finish.
func BenchmarkServe(b *testing.B) {
	client := d1.New(fakeDB{})
	type note struct {
		ID        int64  `json:"id"`
		Body      string `json:"body"`
		CreatedAt int64  `json:"created_at" db:"created_at"`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /notes/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		ctx := r.Context()
		row, err := d1http.Session(ctx).First(ctx, "SELECT id, body, created_at FROM notes WHERE id = ?", id)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := d1.ScanOne[note](row)
		out, _ := json.Marshal(n)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		w.Write(append(out, '\n'))
	})
	mux.HandleFunc("POST /notes", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("GET /notes", func(w http.ResponseWriter, r *http.Request) {})
	h := d1http.Middleware(client)(mux)
	head := "GET\nhttp://127.0.0.1:8787/notes/1\naccept:*/*\naccept-encoding:br, gzip\nhost:127.0.0.1:8787\nuser-agent:node\nx-impl:b\n"
	w := new(responseWriter)
	b.ReportAllocs()
	for b.Loop() {
		r, err := parseHead(context.Background(), head, nil)
		if err != nil {
			b.Fatal(err)
		}
		w.reset()
		serveHTTP(h, w, r)
		w.finish()
	}
}

// BenchmarkDecodeRows decodes a result of 50 notes, as GET /notes has.
func BenchmarkDecodeRows(b *testing.B) {
	e := enc{}.tag(tagNull).u32(3).text("id").text("body").text("created_at").u32(50)
	for i := range 50 {
		e = e.i32(int32(1000 + i)).str("seed note number 12, long enough to look like a note").f64(1.7e12 + float64(i))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeRows(e); err != nil {
			b.Fatal(err)
		}
	}
}
