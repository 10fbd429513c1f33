//go:build !(js && wasm)

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lunora-go/d1/internal/workerd"
	"github.com/lunora-go/d1/workers/glue"
)

// The tests build this package for js/wasm, run it in workerd with its
// JavaScript twin (testdata/notes.mjs) and a local D1 bound as DB, and drive
// both over HTTP.

var (
	buildOnce sync.Once
	modules   []workerd.Module
	wasmSize  int
	buildErr  error
	shared    workerd.Shared
)

func TestMain(m *testing.M) {
	code := m.Run()
	shared.Close()
	os.Exit(code)
}

// workerModules builds the Worker once: the bench entry module, which sends
// x-impl: js requests to JavaScript and the others to Go, the glue, the
// JavaScript twin and app.wasm.
func workerModules(tb testing.TB) []workerd.Module {
	tb.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "worker-example-")
		if err != nil {
			buildErr = err
			return
		}
		defer os.RemoveAll(dir)
		wasmPath := filepath.Join(dir, glue.WasmName)
		cmd := exec.Command("go", "build", "-o", wasmPath, ".")
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("GOOS=js GOARCH=wasm go build: %v\n%s", err, out)
			return
		}
		wasm, err := os.ReadFile(wasmPath)
		if err != nil {
			buildErr = err
			return
		}
		wasmSize = len(wasm)
		wasmExec, err := glue.WasmExec()
		if err != nil {
			buildErr = err
			return
		}
		var twin, bench []byte
		if twin, err = os.ReadFile("testdata/notes.mjs"); err != nil {
			buildErr = err
			return
		}
		if bench, err = os.ReadFile("testdata/bench.mjs"); err != nil {
			buildErr = err
			return
		}
		modules = []workerd.Module{
			{Name: "bench.mjs", Contents: bench},
			{Name: glue.EntryName, Contents: glue.Entry()},
			{Name: glue.WasmExecName, Contents: wasmExec},
			{Name: "notes.mjs", Contents: twin},
			{Name: glue.WasmName, Type: workerd.CompiledWasm, Contents: wasm},
		}
		shared.Config = workerd.Config{Modules: modules, D1Databases: []string{"DB"}}
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return modules
}

// server returns the workerd shared by the package's tests.
func server(tb testing.TB) *workerd.Server {
	tb.Helper()
	workerModules(tb)
	return shared.Server(tb)
}

var httpClient = &http.Client{
	Timeout:   time.Minute,
	Transport: &http.Transport{MaxIdleConnsPerHost: 64},
}

type response struct {
	status   int
	bookmark string
	header   http.Header
	body     []byte
}

// do sends a request to the Worker (impl is "go" or "js") and fails the
// test if it cannot.
func do(tb testing.TB, base, impl, method, path, bookmark string, body any) response {
	tb.Helper()
	r, err := send(base, impl, method, path, bookmark, body)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// send sends a request to the Worker.
func send(base, impl, method, path, bookmark string, body any) (response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return response{}, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, strings.TrimSuffix(base, "/")+path, rd)
	if err != nil {
		return response{}, err
	}
	req.Header.Set("X-Impl", impl)
	if bookmark != "" {
		req.Header.Set("X-D1-Bookmark", bookmark)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	return response{status: resp.StatusCode, bookmark: resp.Header.Get("X-D1-Bookmark"), header: resp.Header, body: b}, nil
}

var bookmarkRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$`)

// TestNotes writes a note and reads it back with the bookmark the write
// returned, through the Go Worker and through its JavaScript twin.
func TestNotes(t *testing.T) {
	base := server(t).URL()
	for _, impl := range []string{"go", "js"} {
		t.Run(impl, func(t *testing.T) {
			body := "note from " + impl + " at " + time.Now().Format(time.RFC3339Nano)
			created := do(t, base, impl, "POST", "/notes", "", map[string]string{"body": body})
			if created.status != http.StatusCreated {
				t.Fatalf("POST /notes: %d %s", created.status, created.body)
			}
			if !bookmarkRE.MatchString(created.bookmark) {
				t.Fatalf("POST /notes: x-d1-bookmark = %q, want a D1 bookmark", created.bookmark)
			}
			var n note
			if err := json.Unmarshal(created.body, &n); err != nil {
				t.Fatalf("POST /notes: %v: %s", err, created.body)
			}
			if n.ID <= 0 || n.Body != body || n.CreatedAt <= 0 {
				t.Errorf("created %+v", n)
			}
			if got, want := created.header.Get("Location"), fmt.Sprintf("/notes/%d", n.ID); got != want {
				t.Errorf("Location = %q, want %q", got, want)
			}

			// A later request carrying the bookmark reads the write.
			list := do(t, base, impl, "GET", "/notes", created.bookmark, nil)
			if list.status != http.StatusOK {
				t.Fatalf("GET /notes: %d %s", list.status, list.body)
			}
			var notes []note
			if err := json.Unmarshal(list.body, &notes); err != nil {
				t.Fatalf("GET /notes: %v: %s", err, list.body)
			}
			if len(notes) == 0 || notes[0] != n {
				t.Errorf("GET /notes = %+v, want %+v first", notes, n)
			}
			if list.bookmark < created.bookmark {
				t.Errorf("GET /notes returned bookmark %q, older than the one it was sent %q", list.bookmark, created.bookmark)
			}

			one := do(t, base, impl, "GET", fmt.Sprintf("/notes/%d", n.ID), list.bookmark, nil)
			var got note
			if err := json.Unmarshal(one.body, &got); one.status != http.StatusOK || err != nil || got != n {
				t.Errorf("GET /notes/%d: %d %s", n.ID, one.status, one.body)
			}
			if r := do(t, base, impl, "GET", "/notes/999999", "", nil); r.status != http.StatusNotFound {
				t.Errorf("GET /notes/999999: %d, want 404", r.status)
			}
			if r := do(t, base, impl, "POST", "/notes", "", map[string]int{"body": 1}); r.status != http.StatusBadRequest {
				t.Errorf("POST with a number as body: %d, want 400", r.status)
			}
			if r := do(t, base, impl, "POST", "/notes", "", map[string]string{"body": " "}); r.status != http.StatusBadRequest {
				t.Errorf("POST with an empty body: %d, want 400", r.status)
			}
			// A bad bookmark is ignored, not passed to D1.
			if r := do(t, base, impl, "GET", "/notes", "not a bookmark", nil); r.status != http.StatusOK {
				t.Errorf("GET with a bad bookmark: %d %s", r.status, r.body)
			}
		})
	}
}

// TestConcurrentRequests sends many requests at once, the first ones while
// Go is starting in a fresh workerd.
func TestConcurrentRequests(t *testing.T) {
	srv := workerd.Start(t, workerd.Config{Modules: workerModules(t), D1Databases: []string{"DB"}})
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := send(srv.URL(), "go", "POST", "/notes", "", map[string]string{"body": fmt.Sprint("c", i)})
			if err != nil {
				errs <- err
			} else if r.status != http.StatusCreated {
				errs <- fmt.Errorf("POST %d: %d %s", i, r.status, r.body)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	list := do(t, srv.URL(), "go", "GET", "/notes", "", nil)
	var notes []note
	if err := json.Unmarshal(list.body, &notes); err != nil || len(notes) != n {
		t.Errorf("after %d POSTs, GET /notes = %d notes, %v: %.200s", n, len(notes), err, list.body)
	}
}
