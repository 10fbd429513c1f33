package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1http"
)

// schema creates the notes table. A real Worker would apply it with
// migrations (package migrate, or wrangler d1 migrations) before deploying.
const schema = `CREATE TABLE IF NOT EXISTS notes (
	id INTEGER PRIMARY KEY,
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL
)`

// listLimit is how many notes GET /notes returns, newest first.
const listLimit = 50

// maxBody is the largest note accepted, in bytes.
const maxBody = 64 << 10

type note struct {
	ID        int64  `json:"id"`
	Body      string `json:"body"`
	CreatedAt int64  `json:"created_at" db:"created_at"`
}

// setup creates the schema.
func setup(ctx context.Context, client *d1.Client) error {
	_, err := client.Run(ctx, schema)
	return err
}

// newHandler returns the notes API over client. Each request gets its own
// session from d1http: it starts from the request's x-d1-bookmark header, if
// any (a POST without one starts on the primary), and the session's newest
// bookmark goes back in the response's x-d1-bookmark header.
//
//	POST /notes        {"body": "..."}  creates a note: 201 and the note
//	GET  /notes                         the newest notes, newest first
//	GET  /notes/{id}                    one note, or 404
func newHandler(client *d1.Client) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /notes", createNote)
	mux.HandleFunc("GET /notes", listNotes)
	mux.HandleFunc("GET /notes/{id}", getNote)
	return d1http.Middleware(client, d1http.WithConstraint(func(r *http.Request) string {
		if r.Method == http.MethodPost {
			return d1.FirstPrimary
		}
		return d1.FirstUnconstrained
	}))(mux)
}

func createNote(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Body string `json:"body"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&in); err != nil {
		http.Error(w, "want a JSON object {\"body\": \"...\"}: "+err.Error(), http.StatusBadRequest)
		return
	}
	if strings.TrimSpace(in.Body) == "" {
		http.Error(w, "the note's body is empty", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	n := note{Body: in.Body, CreatedAt: time.Now().UnixMilli()}
	res, err := d1http.Session(ctx).Run(ctx, "INSERT INTO notes (body, created_at) VALUES (?, ?)", n.Body, n.CreatedAt)
	if err != nil {
		serverError(w, err)
		return
	}
	n.ID = res.Meta.LastRowID
	w.Header().Set("Location", "/notes/"+strconv.FormatInt(n.ID, 10))
	writeJSON(w, http.StatusCreated, n)
}

func listNotes(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	res, err := d1http.Session(ctx).All(ctx, "SELECT id, body, created_at FROM notes ORDER BY id DESC LIMIT ?", listLimit)
	if err != nil {
		serverError(w, err)
		return
	}
	notes, err := d1.ScanAll[note](res)
	if err != nil {
		serverError(w, err)
		return
	}
	if notes == nil {
		notes = []note{}
	}
	writeJSON(w, http.StatusOK, notes)
}

func getNote(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ctx := r.Context()
	row, err := d1http.Session(ctx).First(ctx, "SELECT id, body, created_at FROM notes WHERE id = ?", id)
	if errors.Is(err, d1.ErrNoRows) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		serverError(w, err)
		return
	}
	n, err := d1.ScanOne[note](row)
	if err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, n)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		serverError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func serverError(w http.ResponseWriter, err error) {
	http.Error(w, err.Error(), http.StatusInternalServerError)
}
