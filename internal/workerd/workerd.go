// Package workerd starts Cloudflare's runtime, workerd, for tests: a Worker
// made of modules passed by content, with local D1 databases bound by name,
// listening on 127.0.0.1.
//
// It runs node on runner.mjs, next to this file, which drives Miniflare's
// Node API from the pinned npm packages in this directory's node_modules. Install them
// once with
//
//	npm ci --prefix internal/workerd
//
// A server is quiet and offline: no metrics, no fetch of request.cf data, no
// banner. Its D1 databases start empty: in memory, or in a fresh directory
// when [Config.PersistDir] is set.
//
// Starting a server takes 0.1 to 0.5 s. Tests share one per package through
// [Shared], and get a fresh D1 database per test by binding many databases
// (see [D1Names]) and routing each test to its own.
package workerd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// ModuleType says how workerd interprets a [Module]'s contents.
type ModuleType string

// Module types, as Miniflare names them.
const (
	ESModule     ModuleType = "ESModule"
	CommonJS     ModuleType = "CommonJS"
	Text         ModuleType = "Text"
	Data         ModuleType = "Data"
	CompiledWasm ModuleType = "CompiledWasm"
)

// Module is one module of the Worker, passed by content.
type Module struct {
	// Name is the module's relative name, such as "bridge.js"; other modules
	// import it as "./bridge.js". It must not start with "/" or "..".
	Name string
	// Type defaults to [ESModule].
	Type ModuleType
	// Contents is the module's source or bytes.
	Contents []byte
}

// DefaultCompatibilityDate is the Worker compatibility date used when
// [Config.CompatibilityDate] is empty.
const DefaultCompatibilityDate = "2025-09-01"

// Config describes a server. The zero value is not useful: a Worker needs at
// least one module.
type Config struct {
	// Modules are the Worker's modules. The first is the entry point.
	Modules []Module
	// D1Databases are the names of the D1 bindings, each its own empty
	// database.
	D1Databases []string
	// Vars are plain-text bindings (environment variables and secrets).
	Vars map[string]string
	// CompatibilityDate defaults to [DefaultCompatibilityDate].
	CompatibilityDate string
	// CompatibilityFlags are passed to workerd as they are.
	CompatibilityFlags []string
	// PersistDir, if set, is the directory in which D1 keeps its data;
	// otherwise the data lives in memory. Use a fresh directory: D1 state
	// must not be shared between workerd versions.
	PersistDir string
	// Options are extra Miniflare options, merged over the ones above. They
	// must be JSON values.
	Options map[string]any
	// Output, if not nil, receives the server's output (the Worker's
	// console, workerd's and Miniflare's messages), line by line. The last
	// 64 KiB are kept for error messages in any case.
	Output io.Writer
	// StartTimeout bounds the start-up; zero means 60 s.
	StartTimeout time.Duration
}

// Server is a running workerd.
type Server struct {
	url   string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{} // closed when the runner has exited
	out   *lines
	dir   string

	closeOnce sync.Once
	waitErr   error
}

// ErrNotInstalled is wrapped by the error [New] returns when node or the
// npm packages are missing.
var ErrNotInstalled = errors.New("workerd: not installed")

// Dir returns the directory holding runner.mjs and node_modules.
func Dir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	return filepath.Dir(file)
}

// Check reports whether node and the pinned npm packages are installed, with
// an error that says how to install them when they are not.
func Check() error {
	if _, err := exec.LookPath("node"); err != nil {
		return fmt.Errorf("%w: node is not on PATH: install Node.js 20 "+
			"(Debian: apt-get install nodejs, or NodeSource's node_20.x), "+
			"then run `npm ci --prefix internal/workerd` in the module root", ErrNotInstalled)
	}
	dir := Dir()
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "miniflare", "package.json")); err != nil {
		return fmt.Errorf("%w: %s has no node_modules/miniflare: run `npm ci --prefix internal/workerd` in the module root",
			ErrNotInstalled, dir)
	}
	return nil
}

// Start starts a server for the test and stops it when the test ends. It
// fails the test when the server does not start.
func Start(tb testing.TB, cfg Config) *Server {
	tb.Helper()
	s, err := New(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// runnerConfig is the JSON line runner.mjs reads.
type runnerConfig struct {
	Modules            []runnerModule    `json:"modules"`
	D1Databases        []string          `json:"d1Databases"`
	Vars               map[string]string `json:"vars,omitempty"`
	CompatibilityDate  string            `json:"compatibilityDate"`
	CompatibilityFlags []string          `json:"compatibilityFlags,omitempty"`
	PersistDir         string            `json:"persistDir,omitempty"`
	Options            map[string]any    `json:"options,omitempty"`
}

type runnerModule struct {
	Name     string     `json:"name"`
	Type     ModuleType `json:"type"`
	Contents []byte     `json:"contents"` // base64
}

const readyPrefix = "WORKERD-READY "

// New starts a server. The caller must Close it. ctx bounds the start-up
// only.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if err := Check(); err != nil {
		return nil, err
	}
	if len(cfg.Modules) == 0 {
		return nil, errors.New("workerd: no modules")
	}
	rc := runnerConfig{
		D1Databases:        cfg.D1Databases,
		Vars:               cfg.Vars,
		CompatibilityDate:  cfg.CompatibilityDate,
		CompatibilityFlags: cfg.CompatibilityFlags,
		PersistDir:         cfg.PersistDir,
		Options:            cfg.Options,
	}
	if rc.CompatibilityDate == "" {
		rc.CompatibilityDate = DefaultCompatibilityDate
	}
	for _, m := range cfg.Modules {
		if m.Name == "" || strings.HasPrefix(m.Name, "/") || strings.HasPrefix(m.Name, "..") {
			return nil, fmt.Errorf("workerd: module name %q must be relative", m.Name)
		}
		if m.Type == "" {
			m.Type = ESModule
		}
		rc.Modules = append(rc.Modules, runnerModule(m))
	}
	line, err := json.Marshal(rc)
	if err != nil {
		return nil, fmt.Errorf("workerd: encoding configuration: %w", err)
	}
	line = append(line, '\n')

	tmp, err := os.MkdirTemp("", "workerd-")
	if err != nil {
		return nil, fmt.Errorf("workerd: %w", err)
	}
	s := &Server{dir: tmp, done: make(chan struct{}), out: &lines{w: cfg.Output, ready: make(chan string, 1)}}

	cmd := exec.Command("node", filepath.Join(Dir(), "runner.mjs"))
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(),
		"WRANGLER_SEND_METRICS=false",
		"CLOUDFLARE_CF_FETCH_ENABLED=false",
		"WRANGLER_HIDE_BANNER=true",
		"CI=true",
		"WRANGLER_LOG_PATH="+filepath.Join(tmp, "logs"),
	)
	cmd.Stdout = s.out
	cmd.Stderr = s.out
	cmd.WaitDelay = 2 * time.Second
	setProcessGroup(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("workerd: %w", err)
	}
	s.cmd, s.stdin = cmd, stdin
	if err := cmd.Start(); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("workerd: starting node: %w", err)
	}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.done)
	}()
	if _, err := stdin.Write(line); err != nil {
		s.Close()
		return nil, fmt.Errorf("workerd: sending configuration: %w", err)
	}

	timeout := cfg.StartTimeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	select {
	case s.url = <-s.out.ready:
	case <-s.done:
		s.Close()
		return nil, fmt.Errorf("workerd: runner exited before workerd was ready (%v)%s", s.waitErr, s.out.tailForError())
	case <-ctx.Done():
		s.Close()
		return nil, fmt.Errorf("workerd: waiting for workerd: %w%s", ctx.Err(), s.out.tailForError())
	}
	if err := waitAnswer(ctx, s.url); err != nil {
		s.Close()
		return nil, fmt.Errorf("workerd: %s does not answer: %w%s", s.url, err, s.out.tailForError())
	}
	return s, nil
}

// waitAnswer polls url until workerd answers with any HTTP response.
func waitAnswer(ctx context.Context, url string) error {
	client := &http.Client{Timeout: 5 * time.Second}
	delay := 10 * time.Millisecond
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		delay = min(2*delay, 500*time.Millisecond)
	}
}

// URL returns the server's base URL, such as "http://127.0.0.1:41234/".
func (s *Server) URL() string { return s.url }

// Output returns the last 64 KiB of the server's output.
func (s *Server) Output() string { return s.out.tail() }

// Close stops the server: it closes the runner's stdin and signals its
// process group, then kills the group if it has not exited within a few
// seconds, and removes the server's temporary directory. Close is
// idempotent.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.stdin.Close()
		signalGroup(s.cmd, false)
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
		}
		signalGroup(s.cmd, true)
		<-s.done
		os.RemoveAll(s.dir)
	})
	return nil
}

// D1Names returns n binding names: prefix followed by 0 to n-1.
func D1Names(prefix string, n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = prefix + strconv.Itoa(i)
	}
	return names
}

// Shared starts one server on first use and hands the same one to every
// caller, for the tests of a package. Close it from TestMain after m.Run.
// The zero value is not ready: set Config first.
type Shared struct {
	Config Config

	mu  sync.Mutex
	srv *Server
	err error
}

// Server returns the shared server, starting it on the first call. It fails
// the test when the server cannot start, now or earlier.
func (sh *Shared) Server(tb testing.TB) *Server {
	tb.Helper()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.srv == nil && sh.err == nil {
		sh.srv, sh.err = New(context.Background(), sh.Config)
	}
	if sh.err != nil {
		tb.Fatal(sh.err)
	}
	return sh.srv
}

// Close stops the shared server, if it was started.
func (sh *Shared) Close() {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.srv != nil {
		sh.srv.Close()
		sh.srv = nil
	}
}

// lines receives the runner's output: it finds the ready line and keeps
// the tail of the rest.
type lines struct {
	mu      sync.Mutex
	w       io.Writer
	partial []byte
	buf     []byte
	ready   chan string
	found   bool
}

const tailSize = 64 << 10

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		line := l.partial[:i+1]
		l.partial = l.partial[i+1:]
		if !l.found && bytes.HasPrefix(line, []byte(readyPrefix)) {
			var msg struct{ URL string }
			if err := json.Unmarshal(line[len(readyPrefix):], &msg); err == nil && msg.URL != "" {
				l.found = true
				l.ready <- msg.URL
				continue
			}
		}
		l.keep(line)
	}
	if len(l.partial) > tailSize {
		l.keep(l.partial)
		l.partial = nil
	}
	return len(p), nil
}

func (l *lines) keep(line []byte) {
	if l.w != nil {
		l.w.Write(line)
	}
	l.buf = append(l.buf, line...)
	if len(l.buf) > tailSize {
		l.buf = append(l.buf[:0], l.buf[len(l.buf)-tailSize:]...)
	}
}

func (l *lines) tail() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.buf) + string(l.partial)
}

func (l *lines) tailForError() string {
	t := strings.TrimSpace(l.tail())
	if t == "" {
		return ""
	}
	return "\noutput:\n" + t
}
