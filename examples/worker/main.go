//go:build js && wasm

// Command worker is a Go Worker: a small notes API over D1 with one session
// per request that honours and returns the x-d1-bookmark header. See
// README.md for how to build and run it.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/workers"
)

func main() {
	client := d1.New(workers.New(workers.Binding("DB")))
	// main runs inside the Worker's first request, which waits for Serve.
	if err := setup(context.Background(), client); err != nil {
		fmt.Fprintln(os.Stderr, "worker: creating the schema:", err)
		os.Exit(1)
	}
	workers.Serve(newHandler(client))
}
