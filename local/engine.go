package local

import (
	"fmt"
	"reflect"
	"unsafe"

	"modernc.org/libc"
	"zombiezen.com/go/sqlite"
)

// layout locates the handles that zombiezen.com/go/sqlite keeps unexported
// but that the local backend needs for the parts of SQLite's C API zombiezen
// does not wrap (statement status counters, column names with duplicates,
// sqlite3_interrupt, the authorizer's function names). It is computed once per
// [Open] by reflection and checked, so a zombiezen release that renames the
// fields makes Open fail with an error instead of misbehaving.
type layout struct {
	connTLS, connDB, stmtPtr          uintptr
	actArg1, actArg2, actDB, actTrigg int

	// directRows reports that result rows may be read in place (see
	// cstmt.direct); Open checks it against the C API first.
	directRows bool
	// directPages reports that the page counts may be read from the b-tree
	// (see conn.pagesInUse); Open checks it against the PRAGMAs first.
	directPages bool
}

func newLayout() (*layout, error) {
	var l layout
	ct := reflect.TypeFor[sqlite.Conn]()
	f, ok := ct.FieldByName("tls")
	if !ok || f.Type != reflect.TypeFor[*libc.TLS]() {
		return nil, fmt.Errorf("local: unsupported zombiezen.com/go/sqlite: no Conn.tls")
	}
	l.connTLS = f.Offset
	if f, ok = ct.FieldByName("conn"); !ok || f.Type.Kind() != reflect.Uintptr {
		return nil, fmt.Errorf("local: unsupported zombiezen.com/go/sqlite: no Conn.conn")
	}
	l.connDB = f.Offset
	if f, ok = reflect.TypeFor[sqlite.Stmt]().FieldByName("stmt"); !ok || f.Type.Kind() != reflect.Uintptr {
		return nil, fmt.Errorf("local: unsupported zombiezen.com/go/sqlite: no Stmt.stmt")
	}
	l.stmtPtr = f.Offset
	at := reflect.TypeFor[sqlite.Action]()
	for _, x := range []struct {
		name string
		dst  *int
	}{{"arg1", &l.actArg1}, {"arg2", &l.actArg2}, {"database", &l.actDB}, {"trigger", &l.actTrigg}} {
		f, ok := at.FieldByName(x.name)
		if !ok || f.Type.Kind() != reflect.String || len(f.Index) != 1 {
			return nil, fmt.Errorf("local: unsupported zombiezen.com/go/sqlite: no Action.%s", x.name)
		}
		*x.dst = f.Index[0]
	}
	return &l, nil
}

func (l *layout) tls(c *sqlite.Conn) *libc.TLS {
	return *(**libc.TLS)(unsafe.Add(unsafe.Pointer(c), l.connTLS))
}

func (l *layout) db(c *sqlite.Conn) uintptr {
	return *(*uintptr)(unsafe.Add(unsafe.Pointer(c), l.connDB))
}

func (l *layout) stmt(s *sqlite.Stmt) uintptr {
	return *(*uintptr)(unsafe.Add(unsafe.Pointer(s), l.stmtPtr))
}

// actionArgs returns the authorizer's raw arguments: the two action
// parameters and the database name.
func (l *layout) actionArgs(a sqlite.Action) (arg1, arg2, db string) {
	v := reflect.ValueOf(a)
	return v.Field(l.actArg1).String(), v.Field(l.actArg2).String(), v.Field(l.actDB).String()
}

// cptr converts the address of memory that SQLite or modernc's libc
// allocated, outside the Go heap, to a pointer.
func cptr(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }
