//go:build !(js && wasm)

package main

import (
	"context"
	"flag"
	"log"
	"net/http"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
)

// Built for anything but js/wasm, the same handler serves on the embedded
// local D1, for development without workerd:
//
//	go run ./examples/worker -addr 127.0.0.1:8787
func main() {
	addr := flag.String("addr", "127.0.0.1:8787", "address to listen on")
	path := flag.String("db", ".lunora/d1/worker-example.sqlite", "local database file (created if missing)")
	flag.Parse()
	db, err := local.Open(*path, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	client := d1.New(db)
	if err := setup(context.Background(), client); err != nil {
		log.Fatal(err)
	}
	log.Printf("serving http://%s/ on %s (this is the local backend; the Worker is the js/wasm build)", *addr, *path)
	log.Fatal(http.ListenAndServe(*addr, newHandler(client)))
}
