package schema_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/bridge"
	"github.com/lunora-go/d1/bridge/bridgetest"
	"github.com/lunora-go/d1/schema"
)

// srv runs the bridge Worker in workerd, whose local D1 is the judge of what
// D1 does.
var srv bridgetest.Server

func TestMain(m *testing.M) {
	code := m.Run()
	srv.Close()
	os.Exit(code)
}

// TestWorkerdProvisionMatchesMigrations runs the proof against workerd's D1
// through the bridge, and checks that workerd and the local backend end with
// the same sqlite_master.
func TestWorkerdProvisionMatchesMigrations(t *testing.T) {
	onWorkerd := proveSameSchema(t, func(tb testing.TB) d1.Database { return srv.Open(tb) })
	var onLocal []string
	t.Run("local", func(t *testing.T) {
		onLocal = proveSameSchema(t, func(tb testing.TB) d1.Database { return openLocal(tb, "") })
	})
	if !slices.Equal(onWorkerd, onLocal) {
		t.Errorf("sqlite_master differs\nworkerd:\n%s\nlocal:\n%s", strings.Join(onWorkerd, "\n"), strings.Join(onLocal, "\n"))
	}
}

// TestWorkerdProvisionRace provisions one workerd database from two bridge
// handles at once, through every step of the sequence, and then once more
// from each: every call succeeds, and the last ones find nothing to do.
func TestWorkerdProvisionRace(t *testing.T) {
	ctx := context.Background()
	url := srv.DatabaseURL(t)
	open := func() *d1.Client {
		db, err := bridge.Open(url, &bridge.Options{Token: srv.Token()})
		if err != nil {
			t.Fatal(err)
		}
		return d1.New(db)
	}
	clients := []*d1.Client{open(), open()}
	alone := d1.New(srv.Open(t))
	for i, st := range steps() {
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for g := range errs {
			wg.Go(func() { _, errs[g] = schema.Provision(ctx, clients[g%2], st.schema.Tables) })
		}
		wg.Wait()
		for g, err := range errs {
			if err != nil {
				t.Fatalf("step %d, provisioner %d: %v", i, g, err)
			}
		}
		if _, err := schema.Provision(ctx, alone, st.schema.Tables); err != nil {
			t.Fatal(err)
		}
		if got, want := master(t, clients[1]), master(t, alone); !slices.Equal(got, want) {
			t.Fatalf("step %d: concurrent provisioning left\n%s\nwant\n%s", i, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	for _, c := range clients {
		if again, err := schema.Provision(ctx, c, steps()[len(steps())-1].schema.Tables); err != nil || len(again) != 0 {
			t.Errorf("Provision again = %v, %v; want nothing to do", again, err)
		}
	}
}
