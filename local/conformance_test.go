package local_test

import (
	"path/filepath"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1test"
	"github.com/lunora-go/d1/local"
)

// TestConformance runs the backend-neutral conformance suite against an
// in-memory database and against a file.
func TestConformance(t *testing.T) {
	for _, kind := range []string{"memory", "file"} {
		t.Run(kind, func(t *testing.T) {
			path := ""
			if kind == "file" {
				path = filepath.Join(t.TempDir(), "d1.sqlite")
			}
			db, err := local.Open(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			d1test.Run(t, d1test.Backend{Open: func(testing.TB) d1.Database { return db }})
		})
	}
}
