// Command wasmexec runs a program built with GOOS=js GOARCH=wasm inside
// workerd, Cloudflare's runtime, with a fresh local D1 database bound as DB.
// It is meant for go test's -exec flag, so that the tests of package
// github.com/lunora-go/d1/workers run inside a real Worker:
//
//	GOOS=js GOARCH=wasm go test -exec="env GOOS= GOARCH= go run github.com/lunora-go/d1/internal/wasmexec" ./workers/...
//
// (GOOS and GOARCH are cleared so that go run builds wasmexec for the host.)
//
// wasmexec starts workerd through package internal/workerd (which needs
// `npm ci --prefix internal/workerd` once), with the program, the Go
// distribution's wasm_exec.js and runner.mjs as the Worker. The program gets
// wasmexec's arguments as its os.Args, wasmexec's environment, and the
// Worker's env through workers.Binding; it has no file system. Its standard
// output and error stream back as it writes them, and wasmexec exits with its
// exit code.
package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/lunora-go/d1/internal/workerd"
	"github.com/lunora-go/d1/workers/glue"
)

//go:embed runner.mjs
var runner []byte

// Binding is the name of the D1 binding the program finds in the Worker's env.
const Binding = "DB"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the program args[0] with arguments args[1:] and returns its exit
// code, or 1 when it could not run it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: wasmexec program.wasm [arguments]")
		return 2
	}
	code, err := runProgram(ctx, args, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "wasmexec:", err)
		return 1
	}
	return code
}

// frame kinds, as runner.mjs sends them.
const (
	frameStdout = 1
	frameStderr = 2
	frameExit   = 3
)

func runProgram(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	wasm, err := os.ReadFile(args[0])
	if err != nil {
		return 0, err
	}
	wasmExec, err := glue.WasmExec()
	if err != nil {
		return 0, err
	}
	srv, err := workerd.New(ctx, workerd.Config{
		Modules: []workerd.Module{
			{Name: "runner.mjs", Contents: runner},
			{Name: glue.WasmExecName, Contents: wasmExec},
			{Name: glue.EntryName, Contents: glue.Entry()},
			{Name: glue.WasmName, Type: workerd.CompiledWasm, Contents: wasm},
		},
		D1Databases: []string{Binding},
		Output:      stderr,
	})
	if err != nil {
		return 0, err
	}
	defer srv.Close()

	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	argv := append([]string{filepath.Base(args[0])}, args[1:]...)
	body, err := json.Marshal(map[string]any{"argv": argv, "env": env})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL(), bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return 0, fmt.Errorf("workerd answered %s: %s", resp.Status, b)
	}
	return copyFrames(bufio.NewReader(resp.Body), stdout, stderr)
}

// copyFrames copies the program's output from r to stdout and stderr until
// the exit frame, and returns the exit code.
func copyFrames(r io.Reader, stdout, stderr io.Writer) (int, error) {
	var head [5]byte
	for {
		if _, err := io.ReadFull(r, head[:]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return 0, errors.New("the program's output ended without an exit code (did workerd end the request?)")
			}
			return 0, err
		}
		n := int64(binary.BigEndian.Uint32(head[1:]))
		switch head[0] {
		case frameStdout, frameStderr:
			w := stdout
			if head[0] == frameStderr {
				w = stderr
			}
			if _, err := io.CopyN(w, r, n); err != nil {
				return 0, err
			}
		case frameExit:
			var code [4]byte
			if n != 4 {
				return 0, fmt.Errorf("exit frame of %d bytes", n)
			}
			if _, err := io.ReadFull(r, code[:]); err != nil {
				return 0, err
			}
			return int(int32(binary.BigEndian.Uint32(code[:]))), nil
		default:
			return 0, fmt.Errorf("unknown frame kind %d", head[0])
		}
	}
}
