//go:build js && wasm

// Command syumai is a Go Worker built on github.com/syumai/workers that
// takes its D1 binding from that package (cloudflare.GetBinding) and uses
// it through github.com/lunora-go/d1/workers: a notes API with one session
// per request that honours and returns x-d1-bookmark. See README.md.
package main

import (
	"encoding/json"
	"net/http"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1http"
	d1workers "github.com/lunora-go/d1/workers"
	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
)

func main() {
	// syumai/workers starts the program anew for each request, inside it, so
	// the binding is there from the start.
	client := d1.New(d1workers.New(cloudflare.GetBinding("DB")))

	mux := http.NewServeMux()
	mux.HandleFunc("POST /notes", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Body string }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == "" {
			http.Error(w, `want {"body": "..."}`, http.StatusBadRequest)
			return
		}
		ctx := r.Context()
		s := d1http.Session(ctx)
		if _, err := s.Run(ctx, "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		res, err := s.Run(ctx, "INSERT INTO notes (body) VALUES (?)", in.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"id": res.Meta.LastRowID, "body": in.Body})
	})
	mux.HandleFunc("GET /notes", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		res, err := d1http.Session(ctx).All(ctx, "SELECT id, body FROM notes ORDER BY id")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		type note struct {
			ID   int64  `json:"id"`
			Body string `json:"body"`
		}
		notes, err := d1.ScanAll[note](res)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(notes)
	})
	workers.Serve(d1http.Middleware(client)(mux))
}
