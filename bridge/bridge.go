// Package bridge is a D1 backend for programs that run outside Cloudflare:
// it speaks a small HTTP protocol to the bridge Worker, which ships with this
// package (see [WorkerScript] and [WriteWorker]) and holds the D1 binding.
// Unlike the REST API, the bridge has D1's sessions and bookmarks, and runs
// each statement or batch in one HTTP round trip.
//
//	db, err := bridge.Open("https://lunora-d1-bridge.example.workers.dev", &bridge.Options{
//		Token: os.Getenv("BRIDGE_TOKEN"),
//	})
//	if err != nil { ... }
//	client := d1.New(db)
//
// The Worker, and how to deploy it with wrangler, are described in the
// package's README.md.
//
// # Protocol
//
// POST <url>/v1/query with "Authorization: Bearer <token>" and a JSON body
//
//	{"session": "first-primary", "statements": [{"sql": "SELECT ?", "params": [1], "mode": "all"}]}
//
// runs one statement (mode all, run, first or raw) or, with "batch": true,
// a batch, through env.DB or, when "session" is given (a constraint or a
// bookmark), through env.DB.withSession(session). The answer holds the
// results, columnar, with D1's meta, and the session's bookmark:
//
//	{"results": [{"columns": ["?"], "rows": [[1]], "meta": {...}}], "bookmark": "0000..."}
//
// or D1's error in D1's words: {"error": {"message": "D1_ERROR: ..."}}.
// {"exec": "..."} runs D1's exec. BLOBs travel as {"blob": "<base64>"};
// other values are JSON values. HTTP statuses other than 200 (401, 413, ...)
// are failures of the request itself and come back as [*HTTPError].
package bridge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/lunora-go/d1"
)

// Options configures a [DB]. A nil *Options is the same as the zero value.
type Options struct {
	// Token is the bearer token, the Worker's BRIDGE_TOKEN secret. It is
	// sent in the Authorization header and appears in no error.
	Token string

	// HTTPClient sends the requests. When nil, the DB uses a client of its
	// own that keeps up to 64 idle connections to the Worker. Timeouts come
	// from the contexts of the calls.
	HTTPClient *http.Client
}

// DB is a D1 database reached through the bridge Worker. It implements
// [d1.Database] and is safe for concurrent use.
type DB struct {
	endpoint string
	auth     string
	token    string
	client   *http.Client
	own      bool
}

var (
	_ d1.Database          = (*DB)(nil)
	_ d1.DatabaseSession   = (*session)(nil)
	_ d1.PreparedStatement = (*stmt)(nil)
)

// Open returns a DB that talks to the bridge Worker at baseURL, such as
// "https://lunora-d1-bridge.example.workers.dev". Requests go to
// baseURL + "/v1/query". Open sends nothing.
func Open(baseURL string, opts *Options) (*DB, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("bridge: bad URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("bridge: URL %q must be http:// or https:// with a host", u.Redacted())
	}
	u.RawQuery, u.Fragment = "", ""
	var o Options
	if opts != nil {
		o = *opts
	}
	db := &DB{
		endpoint: u.JoinPath("v1", "query").String(),
		auth:     "Bearer " + o.Token,
		token:    o.Token,
		client:   o.HTTPClient,
	}
	if db.client == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConns = 256
		t.MaxIdleConnsPerHost = 64
		db.client = &http.Client{Transport: t}
		db.own = true
	}
	return db, nil
}

// Close closes the idle connections of the DB's own HTTP client. It does
// nothing to a client given in [Options]. The DB remains usable.
func (db *DB) Close() error {
	if db.own {
		db.client.CloseIdleConnections()
	}
	return nil
}

// Prepare returns a statement for query. It sends nothing.
func (db *DB) Prepare(query string) d1.PreparedStatement {
	return &stmt{db: db, sql: query}
}

// Batch runs stmts on the primary in one request, as one implicit
// transaction.
func (db *DB) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	return db.batch(ctx, nil, stmts)
}

// Exec runs query with D1's exec, one statement per line, on the primary.
func (db *DB) Exec(ctx context.Context, query string) (*d1.ExecResult, error) {
	resp, err := db.do(ctx, &request{Exec: &query})
	if err != nil {
		return nil, err
	}
	if resp.Error != nil {
		return nil, d1.ParseError(resp.Error.Message)
	}
	if resp.Exec == nil {
		return nil, errors.New("bridge: protocol: no exec result in the response")
	}
	r := *resp.Exec
	return &r, nil
}

// WithSession opens a session. Its first request carries
// constraintOrBookmark ("" means [d1.FirstUnconstrained]); each later one
// carries the newest bookmark the session has seen.
func (db *DB) WithSession(constraintOrBookmark string) d1.DatabaseSession {
	s := &session{db: db, constraint: constraintOrBookmark}
	switch constraintOrBookmark {
	case "":
		s.constraint = d1.FirstUnconstrained
	case d1.FirstUnconstrained, d1.FirstPrimary:
	default:
		// D1's session reports the bookmark it was opened with until a
		// query brings a newer one.
		s.bookmark, s.has = constraintOrBookmark, true
	}
	return s
}

// session is a D1 session over the bridge: every request carries the
// session's newest bookmark.
type session struct {
	db         *DB
	constraint string

	mu       sync.Mutex
	bookmark string
	has      bool
}

func (s *session) Prepare(query string) d1.PreparedStatement {
	return &stmt{db: s.db, sess: s, sql: query}
}

func (s *session) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	return s.db.batch(ctx, s, stmts)
}

func (s *session) Bookmark() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bookmark, s.has
}

// current returns what the next request sends: the newest bookmark, or the
// constraint before there is one.
func (s *session) current() *string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.has {
		b := s.bookmark
		return &b
	}
	c := s.constraint
	return &c
}

// observe keeps b when it is newer than the session's bookmark. D1's
// bookmarks sort by string comparison.
func (s *session) observe(b *string) {
	if s == nil || b == nil || *b == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.has || *b > s.bookmark {
		s.bookmark, s.has = *b, true
	}
}

// stmt is a prepared statement: SQL and bound values, run on the primary or
// in a session.
type stmt struct {
	db     *DB
	sess   *session
	sql    string
	params []any // JSON-ready values
}

func (st *stmt) Bind(values ...any) (d1.PreparedStatement, error) {
	params, err := toWire(values)
	if err != nil {
		return nil, err
	}
	return &stmt{db: st.db, sess: st.sess, sql: st.sql, params: params}, nil
}

func (st *stmt) All(ctx context.Context) (*d1.Result, error)   { return st.run(ctx, modeAll) }
func (st *stmt) Run(ctx context.Context) (*d1.Result, error)   { return st.run(ctx, modeRun) }
func (st *stmt) First(ctx context.Context) (*d1.Result, error) { return st.run(ctx, modeFirst) }
func (st *stmt) Raw(ctx context.Context) (*d1.Result, error)   { return st.run(ctx, modeRaw) }

func (st *stmt) run(ctx context.Context, mode string) (*d1.Result, error) {
	req := &request{Statements: []wireStatement{{SQL: st.sql, Params: st.params, Mode: mode}}}
	if st.sess != nil {
		req.Session = st.sess.current()
	}
	results, err := st.db.query(ctx, st.sess, req)
	if err != nil {
		return nil, err
	}
	return results[0], nil
}

func (db *DB) batch(ctx context.Context, s *session, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	req := &request{Batch: true, Statements: make([]wireStatement, len(stmts))}
	for i, p := range stmts {
		st, ok := p.(*stmt)
		if !ok || st == nil || st.db != db {
			return nil, fmt.Errorf("bridge: batch statement %d was not prepared by this database", i)
		}
		req.Statements[i] = wireStatement{SQL: st.sql, Params: st.params}
	}
	if s != nil {
		req.Session = s.current()
	}
	return db.query(ctx, s, req)
}

// query sends req and turns the answer into results, one a statement.
func (db *DB) query(ctx context.Context, s *session, req *request) ([]*d1.Result, error) {
	resp, err := db.do(ctx, req)
	if err != nil {
		return nil, err
	}
	s.observe(resp.Bookmark)
	if resp.Error != nil {
		return nil, d1.ParseError(resp.Error.Message)
	}
	// D1 leaves statements with no SQL out of a batch's results, so a batch
	// may have fewer results than statements, never more.
	if n := len(resp.Results); n > len(req.Statements) || n == 0 && len(req.Statements) > 0 || !req.Batch && n != 1 {
		return nil, fmt.Errorf("bridge: protocol: %d results for %d statements", n, len(req.Statements))
	}
	out := make([]*d1.Result, len(resp.Results))
	for i := range resp.Results {
		if out[i], err = resp.Results[i].result(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// maxErrorBody bounds how much of a failed answer is read for its message.
const maxErrorBody = 4 << 10

// do makes one round trip.
func (db *DB) do(ctx context.Context, req *request) (*response, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("bridge: encoding request: %w", err)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, db.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("bridge: %w", err)
	}
	hreq.Header.Set("Authorization", db.auth)
	hreq.Header.Set("Content-Type", "application/json")
	hresp, err := db.client.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("bridge: %w", err)
	}
	defer func() {
		// Read what is left so that the connection can be reused.
		io.Copy(io.Discard, io.LimitReader(hresp.Body, 64<<10))
		hresp.Body.Close()
	}()
	if hresp.StatusCode != http.StatusOK {
		return nil, db.httpError(hresp)
	}
	var resp response
	dec := json.NewDecoder(hresp.Body)
	dec.UseNumber()
	if err := dec.Decode(&resp); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("bridge: reading response: %w", ctx.Err())
		}
		return nil, fmt.Errorf("bridge: reading response: %w", err)
	}
	return &resp, nil
}

// HTTPError is a failure of a request to the bridge Worker that is not a D1
// error: a refused token (401), a request too large (413), a wrong URL
// (404), a Worker failure (500), or an answer from something else.
type HTTPError struct {
	// StatusCode is the HTTP status code.
	StatusCode int
	// Message is the Worker's explanation, or the start of the body.
	Message string
}

// Error returns "bridge: HTTP <code>: <message>".
func (e *HTTPError) Error() string {
	s := fmt.Sprintf("bridge: HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

func (db *DB) httpError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var w struct {
		Error *wireError `json:"error"`
	}
	msg := strings.TrimSpace(string(b))
	if json.Unmarshal(b, &w) == nil && w.Error != nil {
		msg = strings.TrimPrefix(w.Error.Message, "bridge: ")
	}
	if db.token != "" {
		// Something between us and the Worker might echo the request.
		msg = strings.ReplaceAll(msg, db.token, "[token]")
	}
	if len(msg) > 200 {
		msg = msg[:200] + "..."
	}
	return &HTTPError{StatusCode: resp.StatusCode, Message: msg}
}
