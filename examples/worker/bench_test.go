//go:build !(js && wasm)

package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lunora-go/d1/internal/workerd"
)

// Benchmarks of the Go Worker against its JavaScript twin in the same
// workerd (the same Worker, even: bench.mjs routes by the x-impl header),
// over the same D1 database:
//
//	go test -run '^$' -bench Requests -benchtime 2000x ./examples/worker
//	go test -run '^$' -bench ColdStart -benchtime 3x ./examples/worker

var seedOnce sync.Once

// kinds are the requests BenchmarkRequests times.
var kinds = []struct {
	name, method, path string
	body               any
	want               int
}{
	{"list", "GET", "/notes", nil, http.StatusOK},
	{"get", "GET", "/notes/1", nil, http.StatusOK},
	{"create", "POST", "/notes", map[string]string{"body": "a new note"}, http.StatusCreated},
	// No D1 query: what serving a request costs each Worker.
	{"not-found", "GET", "/nothing", nil, http.StatusNotFound},
}

// warmRequests is how many requests of each kind each Worker serves before
// anything is timed.
const warmRequests = 2000

// seed fills the notes table so that a list returns a full page, and warms
// both Workers up with warmRequests of each kind, so that the benchmarks
// time them in their steady state: V8 compiles hot code again, optimized,
// once it has run for a while, and Go's large module takes thousands of
// requests to get there (its cost per request falls by a third or more over
// the first ten thousand; JavaScript's hardly moves).
func seed(b *testing.B, base string) {
	seedOnce.Do(func() {
		for i := range listLimit {
			do(b, base, "js", "POST", "/notes", "", map[string]string{"body": fmt.Sprintf("seed note %d, long enough to look like a note someone wrote", i)})
		}
		const concurrency = 8
		var wg sync.WaitGroup
		for range concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range warmRequests / concurrency {
					for _, k := range kinds {
						for _, impl := range []string{"go", "js"} {
							send(base, impl, k.method, k.path, "", k.body)
						}
					}
				}
			}()
		}
		wg.Wait()
	})
}

// BenchmarkRequests compares the Go Worker with its JavaScript twin on each
// kind of request: b.N requests to each, eight at a time, in rounds that
// alternate between the two so that both see the same machine. It reports
// each one's requests per second and workerd's CPU time per request (D1's
// work included; on a busy machine the steadier measure of what each Worker
// costs), and go/js, the ratio of the two throughputs.
func BenchmarkRequests(b *testing.B) {
	base := server(b).URL()
	seed(b, base)
	const rounds, concurrency = 4, 8
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			var wall, cpu [2]time.Duration
			impls := [2]string{"go", "js"}
			for r := range rounds {
				n := b.N / rounds
				if r == rounds-1 {
					n = b.N - n*(rounds-1)
				}
				for i, impl := range impls {
					cpu0, _ := childrenCPU()
					t0 := time.Now()
					var wg sync.WaitGroup
					next := make(chan struct{}, n)
					for range n {
						next <- struct{}{}
					}
					close(next)
					for range concurrency {
						wg.Add(1)
						go func() {
							defer wg.Done()
							for range next {
								resp, err := send(base, impl, k.method, k.path, "", k.body)
								if err != nil || resp.status != k.want {
									b.Errorf("%s %s %s: %v %d %s", impl, k.method, k.path, err, resp.status, resp.body)
									return
								}
							}
						}()
					}
					wg.Wait()
					wall[i] += time.Since(t0)
					cpu1, _ := childrenCPU()
					cpu[i] += cpu1 - cpu0
				}
			}
			for i, impl := range impls {
				b.ReportMetric(float64(b.N)/wall[i].Seconds(), impl+"-req/s")
				if cpu[i] > 0 {
					b.ReportMetric(float64(cpu[i].Microseconds())/float64(b.N), impl+"-cpu-µs/req")
				}
			}
			b.ReportMetric(wall[1].Seconds()/wall[0].Seconds(), "go/js")
		})
	}
}

// BenchmarkColdStart starts a fresh workerd with only the Go Worker, or only
// the JavaScript one, and measures the start of workerd (which compiles the
// wasm) and the first request (which, for Go, instantiates the wasm, starts
// the Go runtime and creates the schema). The entry module answers the HEAD
// requests with which the harness waits for workerd itself, so that they do
// not start Go early.
func BenchmarkColdStart(b *testing.B) {
	mods := workerModules(b)
	entry := func(module string) workerd.Module {
		return workerd.Module{Name: "cold.mjs", Contents: []byte(`import worker from "./` + module + `";
export default {
	fetch(request, env, ctx) {
		return request.method === "HEAD" ? new Response(null) : worker.fetch(request, env, ctx);
	},
};`)}
	}
	workers := map[string][]workerd.Module{
		"go": {entry("worker.mjs"), mods[1], mods[2], mods[4]}, // worker.mjs, wasm_exec.js, app.wasm
		"js": {entry("notes.mjs"), mods[3]},                    // notes.mjs
	}
	for _, impl := range []string{"go", "js"} {
		b.Run(impl, func(b *testing.B) {
			var start, first time.Duration
			for range b.N {
				t0 := time.Now()
				srv, err := workerd.New(context.Background(), workerd.Config{Modules: workers[impl], D1Databases: []string{"DB"}})
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				r, err := send(srv.URL(), impl, "GET", "/notes", "", nil)
				t2 := time.Now()
				srv.Close()
				if err != nil || r.status != http.StatusOK {
					b.Fatalf("first request: %v %d %s", err, r.status, r.body)
				}
				start += t1.Sub(t0)
				first += t2.Sub(t1)
			}
			b.ReportMetric(float64(start.Milliseconds())/float64(b.N), "start-ms")
			b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "first-request-ms")
			if impl == "go" {
				b.ReportMetric(float64(wasmSize), "wasm-bytes")
			}
		})
	}
}

// childrenCPU returns the CPU time used so far by this process's children
// and their descendants that are still running (workerd and its runner), as
// Linux's /proc tells; false elsewhere.
func childrenCPU() (time.Duration, bool) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, false
	}
	type proc struct {
		ppid  int
		ticks int64
	}
	procs := map[int]proc{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// Fields after the command name, which is in parentheses.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 13 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		procs[pid] = proc{ppid, utime + stime}
	}
	self := os.Getpid()
	var ticks int64
	for pid, p := range procs {
		for a, hops := p.ppid, 0; a != 0 && hops < 16; a, hops = procs[a].ppid, hops+1 {
			if a == self {
				ticks += procs[pid].ticks
				break
			}
		}
	}
	// Linux reports in clock ticks of 1/100 s (USER_HZ).
	return time.Duration(ticks) * 10 * time.Millisecond, true
}
