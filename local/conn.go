package local

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/lunora-go/d1"
	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	lib "modernc.org/sqlite/lib"
	"zombiezen.com/go/sqlite"
)

// maxCachedStmts bounds each connection's statement cache.
const maxCachedStmts = 512

// conn is one SQLite connection with D1's rules applied: limits, the
// authorizer and a statement cache keyed by SQL text. A conn is used by one
// goroutine at a time (the pool or the writer lock hands it out).
type conn struct {
	c   *sqlite.Conn
	lay *layout
	tls *libc.TLS
	db  uintptr

	trusted bool     // internal statement: skip the authorizer
	note    prepNote // what the authorizer saw in the current prepare

	stmts map[string]*cstmt
	// lastPlan and lastStmt remember the plan last looked up in stmts and
	// its statement, which saves hashing the SQL text when a connection
	// runs the same statement again. lastStmt is in stmts.
	lastPlan  *plan
	lastStmt  *cstmt
	pragmaVer uint64 // version of DB.pragmas applied to this connection
	cbuf      uintptr
	sbuf      uintptr // scratch buffer of bound text and blobs; see cstmt.bind
	sbufCap   int
	scr       scratch
	view      *view // replica view whose read transaction a reader holds open
	w         watcher
	rows      []rowResult // room for QueryRow's rows; see newRow
}

// maxLength is SQLITE_LIMIT_LENGTH in workerd's D1, found by probing: a
// string, blob or row of up to 2,200,000 bytes, so that a row holding a
// value of D1's documented maximum of 2,000,000 bytes fits.
const maxLength = 2_200_000

// SQLite limits as D1 sets them.
var d1Limits = [...]struct {
	id    sqlite.Limit
	value int32
}{
	{sqlite.LimitLength, maxLength},
	{sqlite.LimitSQLLength, d1.MaxSQLLength},
	{sqlite.LimitColumn, d1.MaxColumns},
	{sqlite.LimitExprDepth, 100},
	{sqlite.LimitCompoundSelect, 5},
	{sqlite.LimitFunctionArg, 32},
	{sqlite.LimitLikePatternLength, 50},
	{sqlite.LimitVariableNumber, d1.MaxBoundParameters},
	{sqlite.LimitTriggerDepth, 10},
	{sqlite.LimitWorkerThreads, 0},
}

// openConn opens a connection to uri and applies D1's settings.
func openConn(uri string, lay *layout, opts *Options, writer, wal bool) (*conn, error) {
	c, err := sqlite.OpenConn(uri, sqlite.OpenReadWrite, sqlite.OpenCreate, sqlite.OpenURI)
	if err != nil {
		return nil, fmt.Errorf("local: open: %w", err)
	}
	cn := &conn{c: c, lay: lay, tls: lay.tls(c), db: lay.db(c), stmts: make(map[string]*cstmt)}
	if err := cn.setup(opts, writer, wal); err != nil {
		c.Close()
		return nil, fmt.Errorf("local: open: %w", err)
	}
	return cn, nil
}

func (cn *conn) setup(opts *Options, writer, wal bool) error {
	cn.c.SetBusyTimeout(opts.busyTimeout())
	// zombiezen turns off double-quoted string literals; D1 accepts them.
	for _, op := range []int32{lib.SQLITE_DBCONFIG_DQS_DML, lib.SQLITE_DBCONFIG_DQS_DDL} {
		va := libc.NewVaList(int32(1), uintptr(0))
		if va == 0 {
			return fmt.Errorf("out of memory")
		}
		rc := lib.Xsqlite3_db_config(cn.tls, cn.db, op, va)
		libc.Xfree(cn.tls, va)
		if rc != lib.SQLITE_OK {
			return fmt.Errorf("enable double-quoted strings: %w", sqlite.ResultCode(rc).ToError())
		}
	}
	if err := cn.keepModules("fts5", "fts5vocab", "rtree", "rtree_i32", "json_each", "json_tree"); err != nil {
		return err
	}
	if err := cn.c.SetDefensive(true); err != nil {
		return err
	}
	for _, l := range d1Limits {
		cn.c.Limit(l.id, l.value)
	}
	pragmas := []string{"PRAGMA foreign_keys = ON"}
	if writer {
		if wal {
			pragmas = append(pragmas, "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL")
		}
	}
	for _, p := range pragmas {
		if err := cn.exec(p); err != nil {
			return err
		}
	}
	cn.cbuf = libc.Xmalloc(cn.tls, 16)
	if cn.cbuf == 0 {
		return fmt.Errorf("out of memory")
	}
	copy(unsafe.Slice((*byte)(cptr(cn.cbuf)), 5), "main\x00")
	return cn.c.SetAuthorizer(sqlite.AuthorizeFunc(cn.authorize))
}

// keepModules drops every virtual table module but names: D1's SQLite has no
// dbstat, sqlite_dbpage or geopoly.
func (cn *conn) keepModules(names ...string) error {
	arr := libc.Xmalloc(cn.tls, types.Size_t(len(names)+1)*types.Size_t(unsafe.Sizeof(uintptr(0))))
	if arr == 0 {
		return fmt.Errorf("out of memory")
	}
	defer libc.Xfree(cn.tls, arr)
	ptrs := unsafe.Slice((*uintptr)(cptr(arr)), len(names)+1)
	for i, n := range names {
		p, err := libc.CString(n)
		if err != nil {
			return err
		}
		defer libc.Xfree(cn.tls, p)
		ptrs[i] = p
	}
	ptrs[len(names)] = 0
	if rc := lib.Xsqlite3_drop_modules(cn.tls, cn.db, arr); rc != lib.SQLITE_OK {
		return fmt.Errorf("drop modules: %w", sqlite.ResultCode(rc).ToError())
	}
	return nil
}

// close finalizes the cached statements and closes the connection.
func (cn *conn) close() error {
	cn.lastPlan, cn.lastStmt = nil, nil
	for k, cs := range cn.stmts {
		cs.s.Finalize()
		delete(cn.stmts, k)
	}
	if cn.cbuf != 0 {
		libc.Xfree(cn.tls, cn.cbuf)
		cn.cbuf = 0
	}
	err := cn.c.Close()
	if cn.sbuf != 0 {
		libc.Xfree(cn.tls, cn.sbuf)
		cn.sbuf, cn.sbufCap = 0, 0
	}
	return err
}

// exec runs an internal statement, bypassing the authorizer, and discards
// its rows.
func (cn *conn) exec(query string) error {
	_, err := cn.queryInt(query)
	return err
}

// queryInt runs an internal statement and returns the first column of its
// first row (0 without rows).
func (cn *conn) queryInt(query string) (int64, error) {
	cn.trusted = true
	defer func() { cn.trusted = false }()
	s, err := cn.c.Prepare(query)
	if err != nil {
		return 0, err
	}
	var v int64
	first := true
	for {
		row, err := s.Step()
		if err != nil {
			return 0, err
		}
		if !row {
			break
		}
		if first && s.ColumnCount() > 0 {
			v = s.ColumnInt64(0)
		}
		first = false
	}
	return v, s.Reset()
}

// forgetError frees the message SQLite keeps on the connection after an
// error (db->pErr, made even by an error SQLite recovers from, such as a
// prepare across a schema change). While it is kept, every reset of every
// statement clears it again (sqlite3VdbeTransferError): about 1% of a point
// read, under perf, on a reader that had once seen an error. The message was
// read when the error was returned; SQLite makes a new one for the next.
// The connection must be idle.
func (cn *conn) forgetError() {
	d := (*lib.Tsqlite3)(cptr(cn.db))
	if d.FpErr != 0 {
		lib.Xsqlite3_value_free(cn.tls, d.FpErr)
		d.FpErr = 0
	}
}

// totalChanges returns sqlite3_total_changes64.
func (cn *conn) totalChanges() int64 { return lib.Xsqlite3_total_changes64(cn.tls, cn.db) }

// lastInsertRowID returns sqlite3_last_insert_rowid.
func (cn *conn) lastInsertRowID() int64 { return lib.Xsqlite3_last_insert_rowid(cn.tls, cn.db) }

// watcher interrupts the statement running on a connection when the
// context of its query is done. Each conn has one, reused by every query, so
// that watching a context costs only its context.AfterFunc.
type watcher struct {
	stop func() bool   // the current query's AfterFunc stop; nil when none
	fire func()        // the interrupter, made once
	quit chan struct{} // closed to stop the interrupter once it runs
	done chan struct{} // closed by the interrupter when it returns
}

// watch arranges for ctx's cancellation to interrupt the connection while a
// statement runs. unwatch must be called before the connection is used for
// anything else; it stops the interrupter and waits for it.
//
// sqlite3_interrupt is forgotten when it arrives before a statement starts
// (SQLite clears the flag when the first statement of a connection starts),
// so once ctx is done the interrupter repeats it every millisecond until the
// query returns.
func (cn *conn) watch(ctx context.Context) {
	if ctx.Done() == nil {
		return
	}
	w := &cn.w
	if w.fire == nil {
		w.fire = cn.interrupt
		w.quit, w.done = make(chan struct{}), make(chan struct{})
	}
	w.stop = context.AfterFunc(ctx, w.fire)
}

// unwatch ends what watch started.
func (cn *conn) unwatch() {
	w := &cn.w
	if w.stop == nil {
		return
	}
	if !w.stop() {
		// The interrupter runs: stop it, and make channels for the next.
		close(w.quit)
		<-w.done
		w.quit, w.done = make(chan struct{}), make(chan struct{})
	}
	w.stop = nil
}

// interrupt interrupts the connection every millisecond until unwatch stops
// it.
func (cn *conn) interrupt() {
	w := &cn.w
	defer close(w.done)
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		lib.Xsqlite3_interrupt(cn.tls, cn.db)
		t.Reset(time.Millisecond)
		select {
		case <-w.quit:
			return
		case <-t.C:
		}
	}
}

// optimizeAllSQL is PRAGMA optimize with its default mask plus 0x10000:
// check every table, not only those this connection queried.
const optimizeAllSQL = "PRAGMA optimize(0x1fffe)"

// cstmt is a prepared statement of a connection with what the backend
// learned about it.
type cstmt struct {
	s        *sqlite.Stmt
	p        uintptr // sqlite3_stmt*
	nParams  int
	readonly bool
	pragma   *pragmaSetting
	writer   bool // must run on the writer: sets or reads connection state
	stats    bool // ANALYZE or PRAGMA optimize: may create sqlite_stat tables

	names  []string // every result column name, duplicates included
	shape  shape    // how All() collapses duplicate names
	reprep uint32   // SQLITE_STMTSTATUS_REPREPARE when names were read
	prog   progInfo // program analysis for rows_read and rows_written
}

// prepareCached returns the connection's statement for p's SQL, preparing
// and caching it on a miss. multi reports that the SQL holds more than one
// statement: nothing is returned or cached then, and the caller runs it
// statement by statement.
func (cn *conn) prepareCached(ctx context.Context, p *plan) (cs *cstmt, multi bool, err error) {
	if p == cn.lastPlan {
		return cn.lastStmt, false, nil
	}
	query := p.sql
	if cs := cn.stmts[query]; cs != nil {
		cn.lastPlan, cn.lastStmt = p, cs
		return cs, false, nil
	}
	cs, rest, err := cn.prepareOne(ctx, query)
	if err != nil {
		return nil, false, err
	}
	if cs == nil {
		return nil, false, d1Error(msgNoStatement)
	}
	if skipSpace(rest) != "" {
		cs.s.Finalize()
		return nil, true, nil
	}
	if len(cn.stmts) >= maxCachedStmts {
		for k, old := range cn.stmts {
			old.s.Finalize()
			delete(cn.stmts, k)
			break
		}
	}
	cn.stmts[query] = cs
	cn.lastPlan, cn.lastStmt = p, cs
	return cs, false, nil
}

// prepNote is what the authorizer notes about the statement being prepared.
type prepNote struct {
	deny   denyKind       // why the authorizer refused it
	pragma *pragmaSetting // a state-setting PRAGMA
	// connState reports that it calls a function that reads connection
	// state (changes(), last_insert_rowid()).
	connState bool
	// stats reports that it is ANALYZE or PRAGMA optimize; optimizeAll that
	// it is PRAGMA optimize without a mask.
	stats, optimizeAll bool
}

// prepareOne prepares the first statement of text and returns it with the
// text that follows it. It returns a nil statement when text holds no
// statement (only comments or semicolons). A DELETE or UPDATE with ORDER BY
// or LIMIT, which this SQLite build cannot parse, is rewritten first.
func (cn *conn) prepareOne(ctx context.Context, text string) (*cstmt, string, error) {
	if len(text) > d1.MaxSQLLength {
		// Workerd passes the statement's length to SQLite, which then
		// refuses a long one with this text.
		return nil, "", &d1.Error{Code: d1.CodeError, Message: "statement too long", Offset: -1, Primary: d1.ResultTooBig}
	}
	cn.note = prepNote{}
	// What the authorizer noted belongs to this prepare only.
	defer func() { cn.note = prepNote{} }()
	s, trailing, err := cn.c.PrepareTransient(text)
	if err != nil {
		orig := cn.sqliteError(ctx, err)
		e, ok := orig.(*d1.Error)
		if !ok || e.Primary != d1.ResultError || !strings.Contains(e.Message, "syntax error") {
			return nil, "", orig
		}
		rewritten, msg, ok := rewriteLimit(text)
		if !ok {
			return nil, "", orig
		}
		if msg != "" {
			return nil, "", &d1.Error{Code: d1.CodeError, Message: msg, Offset: -1, Primary: d1.ResultError}
		}
		cn.note = prepNote{}
		if s, trailing, err = cn.c.PrepareTransient(rewritten); err != nil {
			if e2, ok := cn.sqliteError(ctx, err).(*d1.Error); ok && !strings.Contains(e2.Message, "syntax error") {
				return nil, "", e2
			}
			return nil, "", orig
		}
		text = rewritten
	}
	rest := text[len(text)-trailing:]
	if cn.note.optimizeAll {
		// workerd runs every query on one connection, so PRAGMA optimize
		// there considers every table the database's queries used; here
		// reads ran on other connections. Consider every table.
		s.Finalize()
		if s, _, err = cn.c.PrepareTransient(optimizeAllSQL); err != nil {
			return nil, "", cn.sqliteError(ctx, err)
		}
	}
	p := cn.lay.stmt(s)
	if p == 0 {
		s.Finalize()
		return nil, rest, nil
	}
	cs := &cstmt{
		s:        s,
		p:        p,
		nParams:  s.BindParamCount(),
		readonly: lib.Xsqlite3_stmt_readonly(cn.tls, p) != 0,
		pragma:   cn.note.pragma,
		writer:   cn.note.pragma != nil || cn.note.connState,
		stats:    cn.note.stats,
	}
	return cs, rest, nil
}

// bind binds args to the statement's parameters. Text and blobs are copied
// into the connection's scratch buffer and bound in place (SQLITE_STATIC),
// which saves a C allocation and a free for each: every binding is replaced
// before the statement runs again, so a binding left pointing into the
// buffer is never read.
func (cs *cstmt) bind(cn *conn, args []any) error {
	if len(args) != cs.nParams {
		return d1Error(msgWrongBindings)
	}
	buf := cn.scratchFor(args)
	s := cs.s
	for i, v := range args {
		switch x := v.(type) {
		case nil:
			s.BindNull(i + 1)
		case int64:
			s.BindFloat(i+1, float64(x))
		case int:
			s.BindFloat(i+1, float64(x))
		case float64:
			if math.IsInf(x, 0) || math.IsNaN(x) {
				s.BindNull(i + 1) // as D1 binds NaN and ±Infinity
			} else {
				s.BindFloat(i+1, x)
			}
		case string:
			if buf == nil || lib.Xsqlite3_bind_text(cn.tls, cs.p, int32(i+1), buf.put(x), int32(len(x)), 0) != lib.SQLITE_OK {
				s.BindText(i+1, x)
			}
		case []byte:
			switch {
			case x == nil:
				s.BindNull(i + 1)
			case buf == nil || lib.Xsqlite3_bind_blob(cn.tls, cs.p, int32(i+1), buf.put(unsafe.String(unsafe.SliceData(x), len(x))), int32(len(x)), 0) != lib.SQLITE_OK:
				s.BindBytes(i+1, x)
			}
		default:
			return &d1.Error{Code: d1.CodeTypeError, Message: fmt.Sprintf("Type '%T' not supported", v), Offset: -1}
		}
	}
	return nil
}

// maxScratch bounds a connection's scratch buffer for bound text and blobs;
// a statement whose values need more binds them through SQLite's own copies.
const maxScratch = 64 << 10

// scratch is the part of a connection's scratch buffer that the values of
// one statement are copied into.
type scratch struct {
	p uintptr // the next free byte
}

// put copies v into the buffer and returns where. The buffer was sized for
// every value, and holds at least one byte, so that an empty value has an
// address and binds as empty, not NULL.
func (b *scratch) put(v string) uintptr {
	p := b.p
	copy(unsafe.Slice((*byte)(cptr(p)), len(v)), v)
	b.p += uintptr(len(v))
	return p
}

// scratchFor returns the connection's scratch buffer, large enough for the
// text and blobs of args, or nil when they need more than maxScratch.
func (cn *conn) scratchFor(args []any) *scratch {
	n := 0
	for _, v := range args {
		switch x := v.(type) {
		case string:
			n += len(x)
		case []byte:
			n += len(x)
		}
	}
	if n > maxScratch {
		return nil
	}
	if n > cn.sbufCap || cn.sbuf == 0 {
		c := max(n, 2*cn.sbufCap, 256)
		p := libc.Xmalloc(cn.tls, types.Size_t(c))
		if p == 0 {
			return nil
		}
		if cn.sbuf != 0 {
			libc.Xfree(cn.tls, cn.sbuf)
		}
		cn.sbuf, cn.sbufCap = p, c
	}
	cn.scr = scratch{p: cn.sbuf}
	return &cn.scr
}

// vdbe returns the statement's VDBE, for the counters and the program.
func (cs *cstmt) vdbe() *lib.TVdbe { return (*lib.TVdbe)(cptr(cs.p)) }

// columns returns the statement's result column names, reading them again
// when SQLite re-prepared the statement (after a schema change).
func (cs *cstmt) columns(cn *conn) []string {
	v := cs.vdbe()
	n := int(lib.Xsqlite3_column_count(cn.tls, cs.p))
	if cs.names != nil && len(cs.names) == n && v.FaCounter[lib.SQLITE_STMTSTATUS_REPREPARE] == cs.reprep {
		return cs.names
	}
	names := make([]string, n)
	for i := range names {
		names[i] = libc.GoString(lib.Xsqlite3_column_name(cn.tls, cs.p, int32(i)))
	}
	cs.names = names
	cs.shape = newShape(names)
	cs.reprep = v.FaCounter[lib.SQLITE_STMTSTATUS_REPREPARE]
	return names
}

// resultRow returns the address of the statement's current result row, to
// read in place (see directValue), or 0 when it cannot be read so.
func (cs *cstmt) resultRow(cn *conn) uintptr {
	if !cn.lay.directRows {
		return 0
	}
	return cs.vdbe().FpResultRow
}

// apiValue reads column i through sqlite3_column_*.
func (cs *cstmt) apiValue(cn *conn, a *arena, i int) any {
	p, col := cs.p, int32(i)
	switch lib.Xsqlite3_column_type(cn.tls, p, col) {
	case lib.SQLITE_INTEGER:
		return a.int(lib.Xsqlite3_column_int64(cn.tls, p, col))
	case lib.SQLITE_FLOAT:
		return a.number(lib.Xsqlite3_column_double(cn.tls, p, col))
	case lib.SQLITE_TEXT:
		t := lib.Xsqlite3_column_text(cn.tls, p, col)
		return a.string(t, int(lib.Xsqlite3_column_bytes(cn.tls, p, col)))
	case lib.SQLITE_BLOB:
		n := int(lib.Xsqlite3_column_bytes(cn.tls, p, col))
		b := make([]byte, n)
		if n > 0 {
			copy(b, unsafe.Slice((*byte)(cptr(lib.Xsqlite3_column_blob(cn.tls, p, col))), n))
		}
		return b
	}
	return nil
}

// directValue reads column i from a statement's result row, at row, in
// place, which saves the sqlite3_column_* calls (each takes the
// connection's mutex and checks its arguments); it is what those calls do
// for values that need no conversion. ok is false for a value it leaves to
// the API (a zero-filled blob, text in another encoding).
func directValue(a *arena, row uintptr, i int) (v any, ok bool) {
	m := (*lib.TMem)(cptr(row + uintptr(i)*unsafe.Sizeof(lib.TMem{})))
	u := unsafe.Pointer(&m.Fu)
	switch aType[m.Fflags&lib.MEM_AffMask] {
	case lib.SQLITE_INTEGER:
		return a.int(*(*int64)(u)), true
	case lib.SQLITE_FLOAT:
		if m.Fflags&lib.MEM_IntReal != 0 {
			return a.number(float64(*(*int64)(u))), true
		}
		return a.number(*(*float64)(u)), true
	case lib.SQLITE_TEXT:
		if m.Fenc != lib.SQLITE_UTF8 || m.Fflags&lib.MEM_Zero != 0 {
			return nil, false
		}
		return a.string(m.Fz, int(m.Fn)), true
	case lib.SQLITE_BLOB:
		if m.Fflags&lib.MEM_Zero != 0 {
			return nil, false
		}
		b := make([]byte, m.Fn)
		if m.Fn > 0 {
			copy(b, unsafe.Slice((*byte)(cptr(m.Fz)), m.Fn))
		}
		return b, true
	}
	return nil, true
}

// aType is SQLite's map from a value's type flags to its fundamental type
// (sqlite3_value_type).
var aType = func() (t [64]uint8) {
	for f := range t {
		switch {
		case f&lib.MEM_Null != 0:
			t[f] = lib.SQLITE_NULL
		case f&lib.MEM_Int != 0:
			t[f] = lib.SQLITE_INTEGER
		case f&(lib.MEM_Real|lib.MEM_IntReal) != 0:
			t[f] = lib.SQLITE_FLOAT
		case f&lib.MEM_Str != 0:
			t[f] = lib.SQLITE_TEXT
		default:
			t[f] = lib.SQLITE_BLOB
		}
	}
	return t
}()

// shape maps result columns to the columns of D1's all(), whose rows are
// JavaScript objects: when names repeat, the first position keeps the last
// value, and names that are array indices ("0", "10") come first, in
// ascending numeric order, as JavaScript orders an object's keys.
type shape struct {
	names []string // the columns of all(); nil if they are the raw columns
	src   []int    // for each of names, the raw column whose value it takes
}

func newShape(names []string) shape {
	seen := make(map[string]int, len(names))
	reshape := false
	for i, n := range names {
		if _, ok := seen[n]; ok || isArrayIndex(n) {
			reshape = true
		}
		seen[n] = i
	}
	if !reshape {
		return shape{}
	}
	var sh shape
	for _, n := range names {
		if last, ok := seen[n]; ok {
			sh.names = append(sh.names, n)
			sh.src = append(sh.src, last)
			delete(seen, n)
		}
	}
	type col struct {
		name  string
		src   int
		index uint64
		isIdx bool
	}
	cols := make([]col, len(sh.names))
	for i, n := range sh.names {
		v, err := strconv.ParseUint(n, 10, 32)
		cols[i] = col{n, sh.src[i], v, err == nil && isArrayIndex(n)}
	}
	slices.SortStableFunc(cols, func(a, b col) int {
		switch {
		case a.isIdx && b.isIdx:
			return cmp.Compare(a.index, b.index)
		case a.isIdx:
			return -1
		case b.isIdx:
			return 1
		}
		return 0
	})
	for i, c := range cols {
		sh.names[i], sh.src[i] = c.name, c.src
	}
	return sh
}

// isArrayIndex reports whether a JavaScript object orders the property name
// s as an array index: the canonical decimal form of an integer from 0 to
// 2^32-2.
func isArrayIndex(s string) bool {
	if s == "" || len(s) > 10 || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	return err == nil && v < 1<<32-1
}

// checkDirectRows reports whether reading result rows in place gives what
// the C API gives, on a row of every kind of value.
func (cn *conn) checkDirectRows() bool {
	const q = "SELECT 1, -5000000000, 2.5, 7.0, 'h\u00e9llo', x'0102', NULL, 1e999, zeroblob(3), CAST(3 AS REAL), '', x''"
	cn.trusted = true
	defer func() { cn.trusted = false }()
	cs, _, err := cn.prepareOne(context.Background(), q)
	if err != nil || cs == nil {
		return false
	}
	defer cs.s.Finalize()
	if row, err := cs.s.Step(); err != nil || !row {
		return false
	}
	n := int(lib.Xsqlite3_column_count(cn.tls, cs.p))
	row := cs.vdbe().FpResultRow
	if row == 0 {
		return false
	}
	var a arena
	for i := range n {
		d, ok := directValue(&a, row, i)
		if !ok {
			d = cs.apiValue(cn, &a, i)
		}
		if !reflect.DeepEqual(d, cs.apiValue(cn, &a, i)) {
			return false
		}
	}
	return true
}
