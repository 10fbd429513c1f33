package bridge_test

import (
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1test"
)

// TestConformance runs the conformance suite against the bridge in front of
// workerd's local D1, one database shared by the subtests.
func TestConformance(t *testing.T) {
	db := srv.Open(t)
	d1test.Run(t, d1test.Backend{Open: func(testing.TB) d1.Database { return db }})
}
