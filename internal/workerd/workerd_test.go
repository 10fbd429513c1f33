package workerd_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lunora-go/d1/internal/workerd"
)

const echoWorker = `
import greeting from "./greeting.txt";
import bytes from "./bytes.bin";
import addModule from "./add.wasm";
export default {
  async fetch(req, env) {
    const url = new URL(req.url);
    if (url.pathname === "/wasm") {
      const inst = await WebAssembly.instantiate(addModule);
      return Response.json({ sum: inst.exports.add(2, 3) });
    }
    if (url.pathname === "/d1") {
      const db = env[url.searchParams.get("db")];
      await db.prepare("CREATE TABLE IF NOT EXISTS t(a)").run();
      await db.prepare("INSERT INTO t VALUES (1)").run();
      const r = await db.prepare("SELECT count(*) AS n FROM t").first("n");
      return Response.json({ n: r });
    }
    return Response.json({
      greeting,
      bytes: Array.from(new Uint8Array(bytes)),
      secret: env.SECRET,
    });
  },
};
`

// addWasm is (module (func (export "add") (param i32 i32) (result i32)
// local.get 0 local.get 1 i32.add)).
var addWasm = []byte{
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,
	0x03, 0x02, 0x01, 0x00,
	0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00,
	0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,
}

func echoConfig() workerd.Config {
	return workerd.Config{
		Modules: []workerd.Module{
			{Name: "main.mjs", Contents: []byte(echoWorker)},
			{Name: "greeting.txt", Type: workerd.Text, Contents: []byte("hello")},
			{Name: "bytes.bin", Type: workerd.Data, Contents: []byte{0, 1, 255}},
			{Name: "add.wasm", Type: workerd.CompiledWasm, Contents: addWasm},
		},
		D1Databases: workerd.D1Names("DB_", 3),
		Vars:        map[string]string{"SECRET": "s3"},
	}
}

var shared = workerd.Shared{Config: echoConfig()}

func TestMain(m *testing.M) {
	code := m.Run()
	shared.Close()
	os.Exit(code)
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s: %s", url, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func TestModulesAndVars(t *testing.T) {
	srv := shared.Server(t)
	if !strings.HasPrefix(srv.URL(), "http://127.0.0.1:") {
		t.Errorf("URL() = %q, want http://127.0.0.1:PORT/", srv.URL())
	}
	var got struct {
		Greeting string
		Bytes    []int
		Secret   string
	}
	getJSON(t, srv.URL(), &got)
	if got.Greeting != "hello" || len(got.Bytes) != 3 || got.Bytes[2] != 255 || got.Secret != "s3" {
		t.Errorf("worker saw %+v", got)
	}
}

func TestCompiledWasm(t *testing.T) {
	srv := shared.Server(t)
	var got struct{ Sum int }
	getJSON(t, srv.URL()+"wasm", &got)
	if got.Sum != 5 {
		t.Errorf("add(2, 3) in wasm = %d, want 5", got.Sum)
	}
}

func TestD1DatabasesAreSeparate(t *testing.T) {
	srv := shared.Server(t)
	// Each request adds a row to one database and counts its rows. The
	// shared server may have served earlier runs (go test -count), so each
	// count is checked against that database's previous one.
	last := map[string]int{}
	for _, db := range []string{"DB_0", "DB_0", "DB_1", "DB_0", "DB_2"} {
		var got struct{ N int }
		getJSON(t, srv.URL()+"d1?db="+db, &got)
		if prev, seen := last[db]; seen && got.N != prev+1 {
			t.Errorf("%s: count = %d after %d: another database's writes reached it", db, got.N, prev)
		} else if !seen && got.N < 1 {
			t.Errorf("%s: count = %d, want at least the row just added", db, got.N)
		}
		last[db] = got.N
	}
}

func TestStartFailsWithOutput(t *testing.T) {
	cfg := workerd.Config{
		Modules:      []workerd.Module{{Name: "main.mjs", Contents: []byte("export default {{{")}},
		StartTimeout: 30 * time.Second,
	}
	_, err := workerd.New(context.Background(), cfg)
	if err == nil {
		t.Fatal("New with a broken module succeeded")
	}
	if !strings.Contains(err.Error(), "output:") {
		t.Errorf("error does not show the server's output: %v", err)
	}
}

func TestBadModuleName(t *testing.T) {
	_, err := workerd.New(context.Background(), workerd.Config{
		Modules: []workerd.Module{{Name: "../x.mjs", Contents: []byte("")}},
	})
	if err == nil || !strings.Contains(err.Error(), "relative") {
		t.Errorf("New with ../x.mjs: err = %v, want a relative-name error", err)
	}
}

func TestNodeMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := workerd.Check()
	if !errors.Is(err, workerd.ErrNotInstalled) {
		t.Fatalf("Check() = %v, want ErrNotInstalled", err)
	}
	for _, want := range []string{"Node.js 20", "npm ci --prefix internal/workerd"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Check() = %q, want it to mention %q", err, want)
		}
	}
}
