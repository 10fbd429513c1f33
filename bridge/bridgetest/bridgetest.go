// Package bridgetest runs the bridge Worker in workerd for tests, so that a
// test can use real D1 semantics (workerd's local D1) through
// [bridge.DB]. It needs Node.js and `npm ci --prefix internal/workerd`; see
// package internal/workerd.
//
// A package's tests share one [Server] and close it in TestMain:
//
//	var srv bridgetest.Server
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		srv.Close()
//		os.Exit(code)
//	}
//
//	func TestSomething(t *testing.T) {
//		db := srv.Open(t) // a fresh, empty D1 database
//		...
//	}
package bridgetest

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/lunora-go/d1/bridge"
	"github.com/lunora-go/d1/internal/workerd"
)

//go:embed testworker.mjs
var testWorker []byte

// DefaultDatabases is how many D1 databases one workerd binds when
// [Server.Databases] is zero.
const DefaultDatabases = 32

// Server is workerd running the bridge Worker with a pool of empty local D1
// databases. Each [Server.Open] or [Server.DatabaseURL] takes a database
// nobody used before; when a workerd's databases are used up, the next call
// starts another workerd. The zero value is ready to use; it starts workerd
// on first use. A Server is safe for concurrent use.
type Server struct {
	// Databases is how many D1 databases each workerd binds; zero means
	// [DefaultDatabases].
	Databases int
	// Output, if set, receives workerd's output.
	Output io.Writer

	mu      sync.Mutex
	token   string
	servers []*workerd.Server
	next    int // next database of the last server
}

// Token returns the bridge's bearer token, a random one for each Server.
func (s *Server) Token() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initToken()
	return s.token
}

func (s *Server) initToken() {
	if s.token == "" {
		var b [24]byte
		rand.Read(b[:])
		s.token = "bt-" + hex.EncodeToString(b[:])
	}
}

func (s *Server) size() int {
	if s.Databases > 0 {
		return s.Databases
	}
	return DefaultDatabases
}

// DatabaseURL returns the base URL of the bridge in front of a fresh D1
// database, for [bridge.Open]. DatabaseURL(tb) + "/plain" is a plain route
// with the same database (see testworker.mjs). It fails the test when
// workerd cannot start.
func (s *Server) DatabaseURL(tb testing.TB) string {
	tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initToken()
	if len(s.servers) == 0 || s.next == s.size() {
		srv, err := workerd.New(context.Background(), workerd.Config{
			Modules: []workerd.Module{
				{Name: "main.mjs", Contents: testWorker},
				{Name: "bridge.js", Contents: bridge.WorkerScript()},
			},
			D1Databases: workerd.D1Names("DB_", s.size()),
			Vars:        map[string]string{"BRIDGE_TOKEN": s.token},
			Output:      s.Output,
		})
		if err != nil {
			tb.Fatalf("bridgetest: %v", err)
		}
		s.servers = append(s.servers, srv)
		s.next = 0
	}
	srv := s.servers[len(s.servers)-1]
	u := fmt.Sprintf("%sd1/DB_%d", srv.URL(), s.next)
	s.next++
	return u
}

// Open returns a [bridge.DB] over a fresh D1 database, with the server's
// token. The DB's idle connections are closed when the test ends.
func (s *Server) Open(tb testing.TB) *bridge.DB {
	tb.Helper()
	return s.OpenWith(tb, nil)
}

// OpenWith is [Server.Open] with options; an empty Token is filled in.
func (s *Server) OpenWith(tb testing.TB, opts *bridge.Options) *bridge.DB {
	tb.Helper()
	u := s.DatabaseURL(tb)
	var o bridge.Options
	if opts != nil {
		o = *opts
	}
	if o.Token == "" {
		o.Token = s.Token()
	}
	db, err := bridge.Open(u, &o)
	if err != nil {
		tb.Fatalf("bridgetest: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Logs returns the recent output of the server's workerd processes.
func (s *Server) Logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, srv := range s.servers {
		b.WriteString(srv.Output())
	}
	return b.String()
}

// Close stops the server's workerd processes. The Server may be used again:
// it then starts new ones.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, srv := range s.servers {
		srv.Close()
	}
	s.servers, s.next = nil, 0
}
