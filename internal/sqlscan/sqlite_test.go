//go:build !js && !wasip1

// This file compares the lexer with SQLite itself. SQLite (modernc.org's
// translation, through zombiezen.com/go/sqlite) does not build for js/wasm
// or wasip1, which sqlscan must build for, so the file is left out there;
// only test files import SQLite, and sqlscan itself stays free of
// dependencies.

package sqlscan

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"zombiezen.com/go/sqlite"
)

func init() { checkSQLite = compareWithSQLite }

// engine is one SQLite connection shared by the tests of a process; a
// zombiezen Conn is not safe for concurrent use, hence the mutex.
var engine struct {
	once sync.Once
	mu   sync.Mutex
	conn *sqlite.Conn
	err  error
}

func sqliteConn(t *testing.T) *sqlite.Conn {
	t.Helper()
	engine.once.Do(func() {
		conn, err := sqlite.OpenConn(":memory:", sqlite.OpenReadWrite|sqlite.OpenCreate|sqlite.OpenMemory)
		if err != nil {
			engine.err = err
			return
		}
		// A table lets more fuzzed statements prepare.
		stmt, _, err := conn.PrepareTransient("CREATE TABLE t(a, b, c)")
		if err == nil {
			_, err = stmt.Step()
			stmt.Finalize()
		}
		engine.conn, engine.err = conn, err
	})
	if engine.err != nil {
		t.Fatalf("open SQLite: %v", engine.err)
	}
	return engine.conn
}

// prepared is what SQLite makes of the first statement of a source.
type prepared struct {
	consumed int      // bytes of the source the statement took
	names    []string // sqlite3_bind_parameter_name of each index
	err      error
}

func prepare(t *testing.T, src string) prepared {
	conn := sqliteConn(t)
	engine.mu.Lock()
	defer engine.mu.Unlock()
	stmt, trailing, err := conn.PrepareTransient(src)
	if err != nil {
		return prepared{err: err}
	}
	defer stmt.Finalize()
	p := prepared{consumed: len(src) - trailing, names: make([]string, stmt.BindParamCount())}
	for i := range p.names {
		p.names[i] = stmt.BindParamName(i + 1)
	}
	return p
}

// TestParamsSQLite checks the table of TestParamsLikeSQLite against SQLite.
func TestParamsSQLite(t *testing.T) {
	for _, tt := range sqliteParams {
		t.Run(tt.src, func(t *testing.T) {
			p := prepare(t, tt.src)
			if tt.err != "" {
				if p.err == nil || !strings.HasSuffix(p.err.Error(), tt.err) {
					t.Errorf("SQLite: %v, want an error ending %q", p.err, tt.err)
				}
				return
			}
			if p.err != nil {
				t.Fatalf("SQLite: %v", p.err)
			}
			if got, want := p.consumed, len(tt.src); got != want {
				t.Errorf("SQLite took %d bytes of %d", got, want)
			}
			if got, want := fmt.Sprintf("%q", p.names), fmt.Sprintf("%q", tt.names); got != want {
				t.Errorf("SQLite's names %s, the table's %s", got, want)
			}
		})
	}
}

// compareWithSQLite checks, for src and for "SELECT "+src, that wherever
// SQLite prepares the first statement the lexer counts and names its
// parameters as SQLite does and finds no illegal token in it.
func compareWithSQLite(t *testing.T, src string) {
	if strings.IndexByte(src, 0) >= 0 {
		// SQLite's input ends at a NUL byte; the lexer's does not.
		return
	}
	for _, src := range []string{src, "SELECT " + src} {
		p := prepare(t, src)
		if p.err != nil {
			continue
		}
		first := src[:p.consumed]
		names, ok := bindNames(first)
		if !ok {
			t.Fatalf("%q: the lexer counts %d parameters; SQLite, %d", first, NumParams(first), len(p.names))
		}
		if got, want := fmt.Sprintf("%q", names), fmt.Sprintf("%q", p.names); got != want {
			t.Fatalf("%q: the lexer's parameter names %s, SQLite's %s", first, got, want)
		}
		if lit := scanIllegal(first); lit != "" {
			t.Fatalf("%q: illegal token %q in a statement SQLite prepares", first, lit)
		}
	}
}
