//go:build js && wasm

package workers

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"sync"
	"syscall/js"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/internal/sqlscan"
)

// DB is a [d1.Database] over a Worker's D1 binding. It is safe for concurrent
// use by multiple goroutines.
type DB struct {
	v    js.Value
	fast *bridge // nil: through syscall/js
}

var (
	_ d1.Database          = (*DB)(nil)
	_ d1.DatabaseSession   = (*session)(nil)
	_ d1.PreparedStatement = (*stmt)(nil)
)

// New returns a database over binding, the D1Database object of a Worker's
// env, such as Binding("DB"). New does not check binding: when it is not a
// D1 binding, every query fails with a *d1.Error that says why.
func New(binding js.Value) *DB {
	db := &DB{v: binding}
	if binding.Type() == js.TypeObject {
		db.fast = glueBridge()
	}
	return db
}

// JSValue returns the binding.
func (db *DB) JSValue() js.Value { return db.v }

// Prepare returns a statement for query, as the binding's prepare does. It
// sends nothing; errors in the SQL arrive when the statement runs.
func (db *DB) Prepare(query string) d1.PreparedStatement { return prepare(db.fast, db.v, query) }

// Batch runs stmts, which must come from this backend, as one implicit
// transaction with the binding's batch.
func (db *DB) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	return batch(ctx, db.fast, db.v, nil, stmts)
}

// Exec runs query, one statement per line, with the binding's exec.
func (db *DB) Exec(ctx context.Context, query string) (*d1.ExecResult, error) {
	if db.fast != nil {
		out, err := db.fast.run(ctx, db.v, opExec, appendText(nil, query))
		if err != nil {
			return nil, err
		}
		return decodeExec(out)
	}
	v, err := callAwait(ctx, db.v, "exec", query)
	if err != nil {
		return nil, err
	}
	return &d1.ExecResult{Count: int(number(v, "count")), Duration: number(v, "duration")}, nil
}

// WithSession opens a session with the binding's withSession: with no
// argument when constraintOrBookmark is "", else with it.
//
// With the glue's bridge, the session is opened lazily: D1's session is only
// the bookmark or constraint its next query starts from, which the session
// keeps in Go and sends with each query, the glue opening D1's session for
// it and sending back the bookmark D1's session has after it. Opening a
// session and asking for its bookmark then cost no call into JavaScript.
func (db *DB) WithSession(constraintOrBookmark string) d1.DatabaseSession {
	if db.fast != nil { // New sets it for an object only
		from := strings.TrimFunc(constraintOrBookmark, sqlscan.IsJSSpace) // as D1 trims it
		if from == "" {
			from = d1.FirstUnconstrained
		}
		return &session{db: db.v, fast: db.fast, from: from}
	}
	var args []any
	if constraintOrBookmark != "" {
		args = []any{constraintOrBookmark}
	}
	v, err := call(db.v, "withSession", args...)
	return &session{v: v, err: err}
}

// session is a D1DatabaseSession: D1's (v), or, with the glue's bridge
// (fast set), the bookmark or constraint that D1's session holds (from),
// which each query starts from and moves on.
type session struct {
	v    js.Value // D1's session, when not fast
	db   js.Value // the binding, when fast
	fast *bridge
	err  error // from withSession; every query returns it

	mu   sync.Mutex
	from string // when fast: as D1's session's bookmarkOrConstraint
}

func (s *session) Prepare(query string) d1.PreparedStatement {
	if s.err != nil {
		return &stmt{err: s.err}
	}
	if s.fast != nil {
		return &stmt{fast: s.fast, owner: s.db, sess: s, query: query}
	}
	return prepare(nil, s.v, query)
}

func (s *session) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.fast != nil {
		return batch(ctx, s.fast, s.db, s, stmts)
	}
	return batch(ctx, nil, s.v, nil, stmts)
}

func (s *session) Bookmark() (string, bool) {
	if s.err != nil {
		return "", false
	}
	if s.fast != nil {
		b := s.start()
		if b == d1.FirstPrimary || b == d1.FirstUnconstrained {
			return "", false
		}
		return b, true
	}
	b, err := call(s.v, "getBookmark")
	if err != nil || b.Type() != js.TypeString {
		return "", false
	}
	return b.String(), true
}

// start returns the bookmark or constraint the session's next query starts
// from.
func (s *session) start() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.from
}

// update moves the session on to bookmark b, what D1's session reported
// after a query, unless the session has seen a newer one meanwhile (when
// queries run concurrently), as D1's session keeps the newest bookmark.
func (s *session) update(b string) {
	if b == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.from == d1.FirstPrimary || s.from == d1.FirstUnconstrained || bookmarkLess(s.from, b) {
		s.from = b
	}
}

// updateFromReply moves the session on to the bookmark at the end of a
// reply to one of its queries (see bridge.runSession).
func (s *session) updateFromReply(reply []byte) {
	if _, b, err := cutBookmark(reply); err == nil {
		s.update(b)
	}
}

// open returns a D1 session, opened through syscall/js, that starts where
// the session is now, for statements that cannot cross on the wire.
func (s *session) open() (js.Value, error) {
	return call(s.db, "withSession", s.start())
}

// updateFrom moves the session on to the bookmark of jsSession, a D1
// session that open returned, after it ran a query.
func (s *session) updateFrom(jsSession js.Value) {
	b, err := call(jsSession, "getBookmark")
	if err == nil && b.Type() == js.TypeString {
		s.update(b.String())
	}
}

// bookmarkLess reports whether bookmark a is older than b, as D1's session
// compares them (with localeCompare, which for bookmarks, hexadecimal
// fields of fixed width, orders as their bytes do, ignoring case).
func bookmarkLess(a, b string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := lower(a[i]), lower(b[i])
		if x != y {
			return x < y
		}
	}
	return len(a) < len(b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// stmt is a D1PreparedStatement. With the glue's bridge (fast set), it is
// only its owner, SQL and values until it runs, when the glue prepares,
// binds and runs it in one go. Otherwise it is D1's statement (v).
type stmt struct {
	fast  *bridge
	owner js.Value // the database or session, when fast
	sess  *session // the lazy session it runs in, when fast; or, when not, the one jsSess started from
	// jsSess is D1's session that v was prepared on, opened from sess for
	// a statement that cannot cross on the wire; sess moves on with it.
	jsSess js.Value
	query  string   // when fast
	args   []any    // when fast: nil, float64, string or []byte, see wireValue
	v      js.Value // D1's statement, when not fast
	err    error    // from prepare; the statement fails with it when it runs
}

func prepare(fast *bridge, owner js.Value, query string) *stmt {
	if fast != nil {
		return &stmt{fast: fast, owner: owner, query: query}
	}
	v, err := call(owner, "prepare", query)
	return &stmt{v: v, err: err}
}

func (s *stmt) Bind(values ...any) (d1.PreparedStatement, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.fast != nil {
		args := make([]any, len(values))
		for i, v := range values {
			w, ok := wireValue(v)
			if !ok {
				// A js.Value, or a value D1 refuses: bind through
				// syscall/js, as D1 would.
				return s.bindJS(values)
			}
			args[i] = w
		}
		return &stmt{fast: s.fast, owner: s.owner, sess: s.sess, query: s.query, args: args}, nil
	}
	return s.bindJS(values)
}

// bindJS binds values through syscall/js, preparing the statement first
// when it has not been.
func (s *stmt) bindJS(values []any) (d1.PreparedStatement, error) {
	args := make([]any, len(values))
	for i, v := range values {
		a, err := toJS(v)
		if err != nil {
			return nil, err
		}
		args[i] = a
	}
	v, jsSess := s.v, s.jsSess
	if s.fast != nil {
		owner := s.owner
		var err error
		if s.sess != nil {
			if owner, err = s.sess.open(); err != nil {
				return nil, err
			}
			jsSess = owner
		}
		if v, err = call(owner, "prepare", s.query); err != nil {
			return nil, err
		}
	}
	v, err := call(v, "bind", args...)
	if err != nil {
		return nil, err
	}
	return &stmt{v: v, sess: s.sess, jsSess: jsSess}, nil
}

// jsValue returns D1's statement for s, preparing and binding it through
// syscall/js when s has not been.
func (s *stmt) jsValue() (js.Value, error) {
	if s.err != nil || s.fast == nil {
		return s.v, s.err
	}
	v, err := call(s.owner, "prepare", s.query)
	if err != nil || len(s.args) == 0 {
		return v, err
	}
	args := make([]any, len(s.args))
	for i, a := range s.args {
		if args[i], err = toJS(a); err != nil {
			return js.Undefined(), err
		}
	}
	return call(v, "bind", args...)
}

// runFast runs s through the glue.
func (s *stmt) runFast(ctx context.Context, op int) ([]byte, error) {
	if s.sess != nil {
		from := s.sess.start()
		req := make([]byte, 0, 4+len(from)+statementSize(s.query, s.args))
		req = appendStatement(appendText(req, from), s.query, s.args)
		return s.fast.runSession(ctx, s.owner, s.sess, op, req)
	}
	req := appendStatement(make([]byte, 0, statementSize(s.query, s.args)), s.query, s.args)
	return s.fast.run(ctx, s.owner, op, req)
}

// callJS calls method of D1's statement, moving the session on after it.
func (s *stmt) callJS(ctx context.Context, method string, args ...any) (js.Value, error) {
	v, err := callAwait(ctx, s.v, method, args...)
	if s.sess != nil && s.jsSess.Type() == js.TypeObject {
		s.sess.updateFrom(s.jsSess)
	}
	return v, err
}

func (s *stmt) All(ctx context.Context) (*d1.Result, error) { return s.rows(ctx, opAll, "all") }

func (s *stmt) Run(ctx context.Context) (*d1.Result, error) { return s.rows(ctx, opRun, "run") }

func (s *stmt) rows(ctx context.Context, op int, method string) (*d1.Result, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.fast != nil {
		out, err := s.runFast(ctx, op)
		if err != nil {
			return nil, err
		}
		return decodeRows(out)
	}
	v, err := s.callJS(ctx, method)
	if err != nil {
		return nil, err
	}
	return rowsResult(v), nil
}

func (s *stmt) First(ctx context.Context) (*d1.Result, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.fast != nil {
		out, err := s.runFast(ctx, opFirst)
		if err != nil {
			return nil, err
		}
		return decodeFirst(out)
	}
	v, err := s.callJS(ctx, "first")
	if err != nil {
		return nil, err
	}
	return firstResult(v), nil
}

func (s *stmt) Raw(ctx context.Context) (*d1.Result, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.fast != nil {
		out, err := s.runFast(ctx, opRaw)
		if err != nil {
			return nil, err
		}
		return decodeRaw(out)
	}
	opts := jsObject.New()
	opts.Set("columnNames", true)
	v, err := s.callJS(ctx, "raw", opts)
	if err != nil {
		return nil, err
	}
	return rawResult(v), nil
}

// batch calls owner's batch with stmts; in the lazy session sess, when not
// nil, whose binding owner is.
func batch(ctx context.Context, fast *bridge, owner js.Value, sess *session, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	ss := make([]*stmt, len(stmts))
	allFast := fast != nil
	size := 4
	for i, ps := range stmts {
		s, ok := ps.(*stmt)
		if !ok || s == nil {
			return nil, fmt.Errorf("workers: batch statement %d is a %T, not a statement of this backend", i, ps)
		}
		if s.err != nil {
			return nil, s.err
		}
		ss[i] = s
		if s.fast == nil || s.sess != sess || !s.owner.Equal(owner) {
			allFast = false
		} else {
			size += statementSize(s.query, s.args)
		}
	}
	if allFast {
		var from string
		if sess != nil {
			from = sess.start()
			size += 4 + len(from)
		}
		req := make([]byte, 0, size)
		if sess != nil {
			req = appendText(req, from)
		}
		req = binary.LittleEndian.AppendUint32(req, uint32(len(ss)))
		for _, s := range ss {
			req = appendStatement(req, s.query, s.args)
		}
		var out []byte
		var err error
		if sess != nil {
			out, err = fast.runSession(ctx, owner, sess, opBatch, req)
		} else {
			out, err = fast.run(ctx, owner, opBatch, req)
		}
		if err != nil {
			return nil, err
		}
		return decodeBatch(out)
	}
	arr := jsArray.New(len(stmts))
	for i, s := range ss {
		v, err := s.jsValue()
		if err != nil {
			return nil, err
		}
		arr.SetIndex(i, v)
	}
	if sess != nil {
		var err error
		if owner, err = sess.open(); err != nil {
			return nil, err
		}
	}
	v, err := callAwait(ctx, owner, "batch", arr)
	if sess != nil {
		sess.updateFrom(owner)
	}
	if err != nil {
		return nil, err
	}
	if s, ok := stringify(v); ok {
		if res, err := jsonResults(s, true); err == nil && len(res) == len(stmts) {
			return res, nil
		}
	}
	res := make([]*d1.Result, v.Length())
	for i := range res {
		res[i] = rowsResult(v.Index(i))
	}
	return res, nil
}
