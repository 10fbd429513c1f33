// Package glue holds the JavaScript that runs a Go program built with
// GOOS=js GOARCH=wasm as a Cloudflare Worker with package
// github.com/lunora-go/d1/workers, for build tools and tests.
//
// A Go Worker is three modules side by side:
//
//	worker.mjs    the entry module, [Entry] (this directory's worker.mjs)
//	wasm_exec.js  the Go distribution's support code, [WasmExec]
//	app.wasm      the program, imported as a compiled WebAssembly module
//
// Built by hand:
//
//	GOOS=js GOARCH=wasm go build -o build/app.wasm .
//	cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" build/
//	cp "$(go list -m -f '{{.Dir}}' github.com/lunora-go/d1)/workers/glue/worker.mjs" build/
//
// wasm_exec.js must come from the same Go version that built the program, so
// it is not copied into this module: [WasmExec] reads it from the Go
// installation.
package glue

import (
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

//go:embed worker.mjs
var entry []byte

// Module names the entry module imports.
const (
	EntryName    = "worker.mjs"
	WasmExecName = "wasm_exec.js"
	WasmName     = "app.wasm"
)

// Entry returns the entry module's source.
func Entry() []byte { return append([]byte(nil), entry...) }

// WasmExec returns wasm_exec.js from the Go installation that the go command
// on PATH uses (or the one in $GOROOT when it is set).
func WasmExec() ([]byte, error) {
	root, err := goroot()
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(root, "lib", "wasm", WasmExecName))
	if err != nil {
		return nil, fmt.Errorf("glue: %w", err)
	}
	return b, nil
}

func goroot() (string, error) {
	if r := os.Getenv("GOROOT"); r != "" {
		return r, nil
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("glue: go env GOROOT: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Write writes the entry module and wasm_exec.js into dir, next to which the
// program must be written as app.wasm.
func Write(dir string) error {
	we, err := WasmExec()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, EntryName), entry, 0o644); err != nil {
		return fmt.Errorf("glue: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, WasmExecName), we, 0o644); err != nil {
		return fmt.Errorf("glue: %w", err)
	}
	return nil
}
