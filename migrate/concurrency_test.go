package migrate_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
	"github.com/lunora-go/d1/migrate"
)

// gate holds back every runner's first write until all runners have read
// the (fresh) database, so that they all race for the first migration.
type gate struct {
	arrived sync.WaitGroup
}

// runnerDB is one runner's view of the shared database: it waits at the
// gate before its second call, its first write (on a fresh database, the
// runner reads in one call).
type runnerDB struct {
	d1.Database
	g      *gate
	mu     sync.Mutex
	calls  int
	failed int // batches that failed
}

func (r *runnerDB) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	r.mu.Lock()
	r.calls++
	second := r.calls == 2
	r.mu.Unlock()
	if second {
		r.g.arrived.Done()
		r.g.arrived.Wait()
	}
	res, err := r.Database.Batch(ctx, stmts)
	if err != nil {
		r.mu.Lock()
		r.failed++
		r.mu.Unlock()
	}
	return res, err
}

// checkExactlyOnce checks that the runs together applied each migration
// once, that each run applied or skipped every migration, and that the
// database agrees.
func checkExactlyOnce(t *testing.T, db d1.Database, ms []migrate.Migration, results []migrate.Result) {
	t.Helper()
	count := map[int64]int{}
	for i, res := range results {
		all := append(slices.Clone(res.Applied), res.Skipped...)
		slices.SortFunc(all, func(a, b migrate.Entry) int { return int(a.Version - b.Version) })
		if !sameEntries(all, entries(ms)) {
			t.Errorf("runner %d: applied %v and skipped %v, not every migration once", i, res.Applied, res.Skipped)
		}
		for _, e := range res.Applied {
			count[e.Version]++
		}
	}
	for _, m := range ms {
		if count[m.Version] != 1 {
			t.Errorf("migration %d applied %d times", m.Version, count[m.Version])
		}
	}
	var want []string
	for _, m := range ms {
		if m.Version > 1 && m.Version%2 == 1 {
			want = append(want, fmt.Sprint(m.Version))
		}
	}
	if got := query(t, db, "SELECT version FROM log ORDER BY version"); !slices.Equal(got, want) {
		t.Errorf("log = %v, want %v", got, want)
	}
	for _, m := range ms {
		if got := query(t, db, "SELECT hash FROM __drizzle_migrations WHERE version = ?", m.Version); !slices.Equal(got, []string{m.Hash()}) {
			t.Errorf("records of version %d: %q, want one, of hash %s", m.Version, got, m.Hash())
		}
	}
}

func TestConcurrentGoroutines(t *testing.T) {
	eachBackend(t, func(t *testing.T, open opener) {
		{
			db := open(t)
			ms := tableMigrations(30)
			const n = 4
			g := &gate{}
			g.arrived.Add(n)
			results := make([]migrate.Result, n)
			views := make([]*runnerDB, n)
			var wg sync.WaitGroup
			for i := range n {
				views[i] = &runnerDB{Database: db, g: g}
				r := mustNew(t, views[i], ms)
				wg.Go(func() {
					res, err := r.Run(ctx)
					if err != nil {
						t.Errorf("runner %d: %v", i, err)
					}
					results[i] = res
				})
			}
			wg.Wait()
			checkExactlyOnce(t, db, ms, results)
			// All read an empty database, so all but one lost the race for
			// the first migration, and reported it skipped.
			lost := 0
			for _, v := range views {
				if v.failed > 0 {
					lost++
				}
			}
			if lost < n-1 {
				t.Errorf("%d runners lost a race, want at least %d", lost, n-1)
			}
		}
	})
}

const childEnv = "MIGRATE_TEST_CHILD_DB"

// TestConcurrentProcesses runs several processes (this test binary, again)
// against one database file at once.
func TestConcurrentProcesses(t *testing.T) {
	if path := os.Getenv(childEnv); path != "" {
		runChild(t, path)
		return
	}
	path := filepath.Join(t.TempDir(), "shared.sqlite")
	// Create the file first, so that the children do not race to create it.
	db, err := local.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	const n = 3
	type child struct {
		cmd   *exec.Cmd
		stdin io.WriteCloser
		out   *strings.Builder
		ready *bufio.Reader
	}
	children := make([]child, n)
	for i := range children {
		cmd := exec.Command(os.Args[0], "-test.run=^TestConcurrentProcesses$")
		cmd.Env = append(os.Environ(), childEnv+"="+path)
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var errOut strings.Builder
		cmd.Stderr = &errOut
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children[i] = child{cmd: cmd, stdin: stdin, out: &errOut, ready: bufio.NewReader(stdout)}
	}
	// Wait until every child has read the database, then let them all go.
	for i, c := range children {
		for {
			line, err := c.ready.ReadString('\n')
			if err != nil {
				t.Fatalf("child %d: %v; stderr: %s", i, err, c.out)
			}
			if line == "ready\n" {
				break
			}
		}
	}
	for _, c := range children {
		c.stdin.Close()
	}
	results := make([]migrate.Result, n)
	lost := 0
	for i, c := range children {
		var res childResult
		found := false
		for {
			line, err := c.ready.ReadString('\n')
			if after, ok := strings.CutPrefix(line, "result "); ok {
				if err := json.Unmarshal([]byte(after), &res); err != nil {
					t.Fatalf("child %d: %v", i, err)
				}
				found = true
			}
			if err != nil {
				break
			}
		}
		if err := c.cmd.Wait(); err != nil || !found {
			t.Fatalf("child %d: %v, result found %v; stderr: %s", i, err, found, c.out)
		}
		results[i] = res.Result
		if res.Failed > 0 {
			lost++
		}
	}
	db, err = local.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkExactlyOnce(t, db, tableMigrations(40), results)
	// All read the fresh database before any wrote, so all but one lost
	// the race for the first migration.
	if lost < n-1 {
		t.Errorf("%d processes lost a race, want at least %d", lost, n-1)
	}
}

// runChild is the body of a child process: read the fresh database, say
// ready, wait for the parent to close stdin, then write; print the result.
func runChild(t *testing.T, path string) {
	db, err := local.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v := &childDB{Database: db}
	r := mustNew(t, v, tableMigrations(40))
	res, err := r.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(childResult{Result: res, Failed: v.failed})
	fmt.Printf("result %s\n", b)
}

type childResult struct {
	migrate.Result
	Failed int // batches that failed: races lost
}

// childDB holds back the runner's second call, its first write, until the
// parent says go.
type childDB struct {
	d1.Database
	calls, failed int
}

func (c *childDB) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	c.calls++
	if c.calls == 2 {
		fmt.Println("ready")
		io.Copy(io.Discard, os.Stdin)
	}
	res, err := c.Database.Batch(ctx, stmts)
	if err != nil {
		c.failed++
	}
	return res, err
}

// TestConcurrentDrizzleUpgrade: runners that find drizzle's table at once
// all try to upgrade it; one does, the others read the upgraded table.
func TestConcurrentDrizzleUpgrade(t *testing.T) { eachBackend(t, testConcurrentDrizzleUpgrade) }

func testConcurrentDrizzleUpgrade(t *testing.T, open opener) {
	db := open(t)
	ms := tableMigrations(6)
	mustExec(t, db, drizzleTable, ms[0].SQL)
	if _, err := d1.New(db).Run(ctx, "INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, 1), ('other', 2)", sha(ms[0].SQL)); err != nil {
		t.Fatal(err)
	}
	const n = 3
	g := &gate{}
	g.arrived.Add(n)
	results := make([]migrate.Result, n)
	var wg sync.WaitGroup
	lost := 0
	views := make([]*runnerDB, n)
	for i := range n {
		// Call 1 reads the schema, call 2 upgrades: the gate holds call 2.
		views[i] = &runnerDB{Database: db, g: g}
		r := mustNew(t, views[i], ms)
		wg.Go(func() {
			res, err := r.Run(ctx)
			if err != nil {
				t.Errorf("runner %d: %v", i, err)
			}
			results[i] = res
		})
	}
	wg.Wait()
	for _, v := range views {
		if v.failed > 0 {
			lost++
		}
	}
	if lost < n-1 {
		t.Errorf("%d runners lost the upgrade race, want at least %d", lost, n-1)
	}
	// Migration 1 was applied by drizzle: no runner applied it.
	for i, res := range results {
		if len(res.Skipped) == 0 || res.Skipped[0].Version != 1 {
			t.Errorf("runner %d skipped %v, want migration 1 first", i, res.Skipped)
		}
		res.Skipped = slices.DeleteFunc(res.Skipped, func(e migrate.Entry) bool { return e.Version == 1 })
		results[i] = res
	}
	checkExactlyOnce(t, db, ms[1:], results)
	if got, want := query(t, db, "SELECT id, hash, version FROM __drizzle_migrations WHERE id <= 2 ORDER BY id"),
		[]string{"1|" + sha(ms[0].SQL) + "|1", "2|other|NULL"}; !slices.Equal(got, want) {
		t.Errorf("drizzle's rows = %q, want %q", got, want)
	}
}
