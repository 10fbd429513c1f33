//go:build !(js && wasm)

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lunora-go/d1/internal/workerd"
)

// TestSyumaiWorker builds the Worker with syumai/workers' own glue
// (workers-assets-gen), runs it in workerd with a local D1, writes a note
// and reads it back with the bookmark the write returned.
func TestSyumaiWorker(t *testing.T) {
	dir := t.TempDir()
	run := func(env []string, name string, args ...string) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	run(nil, "go", "run", "github.com/syumai/workers/cmd/workers-assets-gen", "-mode=go", "-o", dir)
	run([]string{"GOOS=js", "GOARCH=wasm"}, "go", "build", "-o", filepath.Join(dir, "app.wasm"), ".")

	var mods []workerd.Module
	for _, m := range []struct {
		name string
		typ  workerd.ModuleType
	}{{"worker.mjs", workerd.ESModule}, {"runtime.mjs", workerd.ESModule}, {"wasm_exec.js", workerd.ESModule}, {"app.wasm", workerd.CompiledWasm}} {
		b, err := os.ReadFile(filepath.Join(dir, m.name))
		if err != nil {
			t.Fatal(err)
		}
		mods = append(mods, workerd.Module{Name: m.name, Type: m.typ, Contents: b})
	}
	srv := workerd.Start(t, workerd.Config{Modules: mods, D1Databases: []string{"DB"}})

	req, _ := http.NewRequest("POST", srv.URL()+"notes", strings.NewReader(`{"body":"from syumai"}`))
	resp := send(t, req)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /notes: %s %s", resp.Status, body(t, resp))
	}
	bookmark := resp.Header.Get("X-D1-Bookmark")
	if bookmark == "" {
		t.Fatal("POST /notes returned no x-d1-bookmark")
	}
	body(t, resp)

	req, _ = http.NewRequest("GET", srv.URL()+"notes", nil)
	req.Header.Set("X-D1-Bookmark", bookmark)
	resp = send(t, req)
	var notes []struct {
		ID   int64
		Body string
	}
	if err := json.Unmarshal(body(t, resp), &notes); err != nil || len(notes) != 1 || notes[0].Body != "from syumai" {
		t.Errorf("GET /notes = %+v, %v", notes, err)
	}
	if got := resp.Header.Get("X-D1-Bookmark"); got < bookmark {
		t.Errorf("GET /notes returned bookmark %q, older than %q", got, bookmark)
	}
}

func send(t *testing.T, req *http.Request) *http.Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func body(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSpace(b)
}
