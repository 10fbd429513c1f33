//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "worker is a Cloudflare Worker: build it with GOOS=js GOARCH=wasm (see examples/worker/README.md)")
	os.Exit(2)
}
