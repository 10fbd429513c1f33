//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "syumai is a Cloudflare Worker: build it with GOOS=js GOARCH=wasm (see README.md)")
	os.Exit(2)
}
