package migrate_test

import (
	"os"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/bridge/bridgetest"
)

// An opener returns a fresh, empty database.
type opener func(t testing.TB) d1.Database

// workerd runs the bridge Worker over workerd's local D1, the judge of what
// D1 does; its tests go through the bridge backend.
var workerd bridgetest.Server

func TestMain(m *testing.M) {
	code := m.Run()
	workerd.Close()
	os.Exit(code)
}

// backends are the databases the runner's tests run on: the embedded D1, in
// memory and in a file, and workerd's local D1.
var backends = []struct {
	name string
	open opener
}{
	{"local", func(t testing.TB) d1.Database { return openDB(t, false) }},
	{"local-file", func(t testing.TB) d1.Database { return openDB(t, true) }},
	{"workerd", func(t testing.TB) d1.Database { return workerd.Open(t) }},
}

// eachBackend runs f as a subtest on each backend.
func eachBackend(t *testing.T, f func(t *testing.T, open opener)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { f(t, b.open) })
	}
}
