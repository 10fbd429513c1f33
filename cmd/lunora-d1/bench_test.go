package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// benchMigrations is how many single-statement migrations the apply
// benchmarks write.
const benchMigrations = 200

// writeBenchMigrations writes n migrations, each creating one table, named
// as both lunora-d1 and wrangler read them.
func writeBenchMigrations(tb testing.TB, dir string, n int) {
	tb.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		sql := fmt.Sprintf("CREATE TABLE t%d (id INTEGER PRIMARY KEY, v TEXT NOT NULL, n REAL);\n", i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d_create_t%d.sql", i, i)), []byte(sql), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// timeRun runs the command and returns its wall time, failing on an error.
func timeRun(tb testing.TB, cmd *exec.Cmd) time.Duration {
	tb.Helper()
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		tb.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	return d
}

func lunoraApply(dir, db string) *exec.Cmd {
	cmd := exec.Command(binary, "migrate", "apply", "--db", db)
	cmd.Dir = dir
	return cmd
}

// BenchmarkMigrateApply200 measures the built binary applying 200
// single-statement migrations to a fresh local database, wall time of the
// whole process included.
func BenchmarkMigrateApply200(b *testing.B) {
	dir := b.TempDir()
	writeBenchMigrations(b, filepath.Join(dir, "migrations"), benchMigrations)
	for i := 0; b.Loop(); i++ {
		timeRun(b, lunoraApply(dir, filepath.Join(dir, fmt.Sprintf("db%d.sqlite", i))))
	}
}

// BenchmarkMigrateApplyNoop200 measures the built binary re-running
// migrate apply when all 200 migrations are applied: the target is under
// 50 ms of wall time, which the benchmark checks on the median.
func BenchmarkMigrateApplyNoop200(b *testing.B) {
	dir := b.TempDir()
	writeBenchMigrations(b, filepath.Join(dir, "migrations"), benchMigrations)
	db := filepath.Join(dir, "db.sqlite")
	timeRun(b, lunoraApply(dir, db))
	var walls []time.Duration
	for b.Loop() {
		walls = append(walls, timeRun(b, lunoraApply(dir, db)))
	}
	slices.Sort(walls)
	median := walls[len(walls)/2]
	b.ReportMetric(float64(median.Microseconds())/1000, "median-wall-ms")
	if median >= 50*time.Millisecond {
		b.Errorf("a no-op migrate apply took %v (median wall time), over the 50 ms target", median)
	}
}

// wranglerBin is wrangler@4.86.0, installed by
// npm ci --prefix internal/bench/wrangler (not by ./test.sh).
var wranglerBin = filepath.Join("..", "..", "internal", "bench", "wrangler", "node_modules", ".bin", "wrangler")

// BenchmarkMigrateApply200VsWrangler applies the same 200 migration files
// with lunora-d1 and with wrangler d1 migrations apply --local, in the same
// run, each to a fresh local database, and reports both wall times and the
// ratio (x-faster); then the no-op re-run of each. It needs wrangler:
//
//	npm ci --prefix internal/bench/wrangler
//	go test ./cmd/lunora-d1 -run '^$' -bench VsWrangler -benchtime 1x -timeout 60m
func BenchmarkMigrateApply200VsWrangler(b *testing.B) {
	wrangler, err := filepath.Abs(wranglerBin)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(wrangler); err != nil {
		b.Skip("wrangler is not installed: run npm ci --prefix internal/bench/wrangler (wrangler@4.86.0) to compare with it")
	}
	dir := b.TempDir()
	writeBenchMigrations(b, filepath.Join(dir, "migrations"), benchMigrations)
	config := `{
  "name": "bench",
  "compatibility_date": "2025-09-01",
  "d1_databases": [{"binding": "DB", "database_name": "bench", "database_id": "00000000-0000-0000-0000-000000000000", "migrations_dir": "migrations"}]
}`
	if err := os.WriteFile(filepath.Join(dir, "wrangler.jsonc"), []byte(config), 0o644); err != nil {
		b.Fatal(err)
	}
	wranglerApply := func(state string) *exec.Cmd {
		cmd := exec.Command(wrangler, "d1", "migrations", "apply", "bench", "--local", "--persist-to", state)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CI=true", "WRANGLER_SEND_METRICS=false", "CLOUDFLARE_CF_FETCH_ENABLED=false",
			"WRANGLER_HIDE_BANNER=true", "WRANGLER_LOG_PATH="+filepath.Join(dir, "wrangler-logs"))
		return cmd
	}
	var lunora, wr, lunoraNoop, wrNoop time.Duration
	for i := 0; b.Loop(); i++ {
		db := filepath.Join(dir, fmt.Sprintf("lunora%d.sqlite", i))
		state := filepath.Join(dir, fmt.Sprintf("wrangler-state%d", i))
		lunora += timeRun(b, lunoraApply(dir, db))
		wr += timeRun(b, wranglerApply(state))
		lunoraNoop += timeRun(b, lunoraApply(dir, db))
		wrNoop += timeRun(b, wranglerApply(state))
	}
	n := float64(b.N)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / n }
	b.ReportMetric(ms(lunora), "lunora-ms")
	b.ReportMetric(ms(wr), "wrangler-ms")
	b.ReportMetric(float64(wr)/float64(lunora), "x-faster")
	b.ReportMetric(ms(lunoraNoop), "lunora-noop-ms")
	b.ReportMetric(ms(wrNoop), "wrangler-noop-ms")
	if wr < 20*lunora {
		b.Errorf("lunora-d1 applied 200 migrations in %v, wrangler in %v: %.1fx, under the 20x target", lunora, wr, float64(wr)/float64(lunora))
	}
}
