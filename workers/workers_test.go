//go:build js && wasm

package workers_test

import (
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1test"
	"github.com/lunora-go/d1/workers"
)

// binding returns the D1 binding of the Worker the tests run in, and fails
// the test when there is none.
func binding(tb testing.TB) *workers.DB {
	tb.Helper()
	b := workers.Binding("DB")
	if b.IsUndefined() {
		tb.Fatal(`no D1 binding "DB": run these tests inside workerd with ` +
			`GOOS=js GOARCH=wasm go test -exec="env GOOS= GOARCH= go run github.com/lunora-go/d1/internal/wasmexec" ./workers/...`)
	}
	return workers.New(b)
}

func TestConformance(t *testing.T) {
	d1test.Run(t, d1test.Backend{
		Open: func(tb testing.TB) d1.Database { return binding(tb) },
	})
}
