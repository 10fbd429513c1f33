package d1http_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1http"
	"github.com/lunora-go/d1/d1sql"
	"github.com/lunora-go/d1/local"
)

func Example() {
	dir, err := os.MkdirTemp("", "d1http-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	backend, err := local.Open(filepath.Join(dir, "d1.sqlite"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer backend.Close()
	client := d1.New(backend)
	if _, err := client.Run(context.Background(), "CREATE TABLE notes (body TEXT)"); err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("POST /notes", func(w http.ResponseWriter, r *http.Request) {
		sess := d1http.Session(r.Context())
		if _, err := sess.Run(r.Context(), "INSERT INTO notes VALUES (?)", r.FormValue("body")); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	mux.HandleFunc("GET /notes", func(w http.ResponseWriter, r *http.Request) {
		row, err := d1http.Session(r.Context()).First(r.Context(), "SELECT count(*) FROM notes")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		n, _ := d1.ScanOne[int](row)
		fmt.Fprintf(w, "%d notes", n)
	})
	srv := httptest.NewServer(d1http.Middleware(client)(mux))
	defer srv.Close()

	// The client sends back the bookmark of its last response, so its next
	// request reads its own write even on a lagging replica.
	res, err := http.PostForm(srv.URL+"/notes", map[string][]string{"body": {"hi"}})
	if err != nil {
		log.Fatal(err)
	}
	res.Body.Close()
	bookmark := res.Header.Get("X-D1-Bookmark")
	fmt.Println(res.StatusCode, bookmark != "")

	req, _ := http.NewRequest("GET", srv.URL+"/notes", nil)
	req.Header.Set("X-D1-Bookmark", bookmark)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	var body [64]byte
	n, _ := res.Body.Read(body[:])
	fmt.Println(string(body[:n]))
	// Output:
	// 201 true
	// 1 notes
}

// One *sql.DB serves every request; each call runs in the request's session
// when its context carries one.
func Example_databaseSQL() {
	dir, err := os.MkdirTemp("", "d1http-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	backend, err := local.Open(filepath.Join(dir, "d1.sqlite"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer backend.Close()
	client := d1.New(backend)
	db := sql.OpenDB(d1sql.NewConnector(client, d1sql.WithSessionFromContext(d1http.Session)))
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE hits (at TEXT)"); err != nil {
		log.Fatal(err)
	}

	h := d1http.Middleware(client)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := db.ExecContext(r.Context(), "INSERT INTO hits VALUES (CURRENT_TIMESTAMP)"); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		var n int
		if err := db.QueryRowContext(r.Context(), "SELECT count(*) FROM hits").Scan(&n); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "hit %d", n)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/", nil))
	fmt.Println(rec.Body.String(), rec.Header().Get("X-D1-Bookmark") != "")
	// Output: hit 1 true
}
