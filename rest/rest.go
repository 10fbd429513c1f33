package rest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lunora-go/d1"
)

// DefaultBaseURL is the Cloudflare API that [Open] uses when
// [Options.BaseURL] is empty.
const DefaultBaseURL = "https://api.cloudflare.com/client/v4"

// DefaultRateLimitWait is the longest a call waits in all on HTTP 429
// answers when [Options.RateLimitWait] is zero.
const DefaultRateLimitWait = 30 * time.Second

// Options configures a [DB]. A nil *Options, and the zero value, give the
// defaults.
type Options struct {
	// BaseURL is the API's base URL, without the /accounts/... path: for
	// example a proxy, or a test server. Empty means [DefaultBaseURL].
	BaseURL string

	// HTTPClient sends the requests. Nil means http.DefaultClient. Timeouts
	// come from the context of each call; a client's own Timeout also
	// applies.
	HTTPClient *http.Client

	// RateLimitWait is the longest time one call waits, in all, for the
	// delays that HTTP 429 answers ask for in Retry-After before it sends
	// the request again. An answer that asks for more than is left ends the
	// call with a retryable [*APIError] at once. Zero means
	// [DefaultRateLimitWait]; a negative value never waits.
	RateLimitWait time.Duration
}

// DB is a D1 database reached through Cloudflare's REST API. It implements
// [d1.Database] and is safe for concurrent use. Create it with [Open].
type DB struct {
	accountID  string
	databaseID string
	token      string
	queryURL   string
	rawURL     string
	client     *http.Client
	rateWait   time.Duration
}

var _ d1.Database = (*DB)(nil)

// Open returns the database databaseID of account accountID, reached with
// the API token token. It sends nothing: the first query does. The token
// needs the D1 Read permission to read and D1 Edit to write. An empty token
// sends no Authorization header, for proxies that add their own.
func Open(accountID, databaseID, token string, opts *Options) (*DB, error) {
	if opts == nil {
		opts = &Options{}
	}
	if strings.TrimSpace(accountID) == "" {
		return nil, errors.New("rest: the account ID is empty")
	}
	if strings.TrimSpace(databaseID) == "" {
		return nil, errors.New("rest: the database ID is empty")
	}
	if strings.ContainsAny(token, "\r\n") {
		return nil, errors.New("rest: the API token contains a line break")
	}
	base := opts.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("rest: BaseURL %q is not an http or https URL", base)
	}
	prefix := strings.TrimRight(base, "/") + "/accounts/" + url.PathEscape(accountID) +
		"/d1/database/" + url.PathEscape(databaseID)
	db := &DB{
		accountID:  accountID,
		databaseID: databaseID,
		token:      token,
		queryURL:   prefix + "/query",
		rawURL:     prefix + "/raw",
		client:     opts.HTTPClient,
		rateWait:   opts.RateLimitWait,
	}
	if db.client == nil {
		db.client = http.DefaultClient
	}
	if db.rateWait == 0 {
		db.rateWait = DefaultRateLimitWait
	}
	return db, nil
}

// AccountID returns the account the database belongs to.
func (db *DB) AccountID() string { return db.accountID }

// DatabaseID returns the database's ID.
func (db *DB) DatabaseID() string { return db.databaseID }

// String describes the database without its token.
func (db *DB) String() string {
	return "rest.DB(account " + db.accountID + ", database " + db.databaseID + ")"
}

// GoString is String, so that %#v does not print the token either.
func (db *DB) GoString() string { return db.String() }

// Prepare returns a statement for sql. It sends nothing.
func (db *DB) Prepare(sql string) d1.PreparedStatement {
	return &stmt{db: db, sql: sql}
}

// Batch runs stmts in one request, as one transaction: if one fails, Batch
// returns its error and none is applied. The statements must come from this
// package.
func (db *DB) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	if len(stmts) == 0 {
		return nil, errNoStatements()
	}
	qs := make([]query, len(stmts))
	for i, ps := range stmts {
		s, ok := ps.(*stmt)
		if !ok || s == nil {
			return nil, fmt.Errorf("rest: batch statement %d is a %T, not a statement of this package", i, ps)
		}
		qs[i] = query{SQL: s.sql, Params: s.params}
	}
	results, err := db.do(ctx, db.queryURL, batchBody{Batch: qs})
	if err != nil {
		return nil, err
	}
	if len(results) != len(qs) {
		return nil, fmt.Errorf("rest: the API answered %d results for a batch of %d statements "+
			"(does a statement hold several statements?)", len(results), len(qs))
	}
	out := make([]*d1.Result, len(results))
	for i := range results {
		out[i] = results[i].result()
	}
	return out, nil
}

// Exec runs script, one statement per line, without parameters, as D1's
// exec does: the lines go in one batch, which D1 runs as one transaction.
// Blank lines are left out. When the batch fails, the error is a
// D1_EXEC_ERROR that names line 1, as the binding's does when D1 reports
// one error for the whole batch.
func (db *DB) Exec(ctx context.Context, script string) (*d1.ExecResult, error) {
	lines := strings.Split(strings.TrimSpace(script), "\n")
	qs := make([]query, 0, len(lines))
	for _, line := range lines {
		if strings.TrimSpace(line) != "" {
			qs = append(qs, queryOf(line))
		}
	}
	if len(qs) == 0 {
		return nil, execError(lines[0], errNoStatements())
	}
	results, err := db.do(ctx, db.queryURL, batchBody{Batch: qs})
	if err != nil {
		var e *d1.Error
		if errors.As(err, &e) && !isAPIError(err) {
			return nil, execError(lines[0], e)
		}
		return nil, err
	}
	res := &d1.ExecResult{Count: len(results)}
	for _, r := range results {
		res.Duration += r.meta.Duration
	}
	return res, nil
}

// WithSession returns a session that is the database itself: the REST API
// has no sessions. constraintOrBookmark is ignored, and the session's
// Bookmark always reports false. See the package documentation.
func (db *DB) WithSession(constraintOrBookmark string) d1.DatabaseSession {
	return session{db: db}
}

// session is what WithSession returns: the database under another name.
type session struct{ db *DB }

func (s session) Prepare(sql string) d1.PreparedStatement { return s.db.Prepare(sql) }

func (s session) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	return s.db.Batch(ctx, stmts)
}

// Bookmark reports false: the REST API returns no bookmarks.
func (session) Bookmark() (string, bool) { return "", false }

// stmt is a statement with its bound values, ready to send.
type stmt struct {
	db     *DB
	sql    string
	params []any
}

// Bind returns a copy of the statement with values bound. Values pass
// through [d1.Normalize]; a []byte is refused with a D1_TYPE_ERROR, since the
// REST API cannot bind a BLOB.
func (s *stmt) Bind(values ...any) (d1.PreparedStatement, error) {
	params := make([]any, len(values))
	for i, v := range values {
		n, err := d1.Normalize(v)
		if err != nil {
			return nil, err
		}
		if _, ok := n.([]byte); ok {
			return nil, &d1.Error{
				Code: d1.CodeTypeError,
				Message: "Type '[]byte' not supported: the Cloudflare REST API binds only strings, numbers and null; " +
					"bind hex text and decode it with unhex(?) in the SQL",
				Offset: -1,
			}
		}
		params[i] = n
	}
	return &stmt{db: s.db, sql: s.sql, params: params}, nil
}

func (s *stmt) All(ctx context.Context) (*d1.Result, error) {
	r, err := s.one(ctx, s.db.queryURL)
	if err != nil {
		return nil, err
	}
	return r.result(), nil
}

func (s *stmt) Run(ctx context.Context) (*d1.Result, error) { return s.All(ctx) }

func (s *stmt) First(ctx context.Context) (*d1.Result, error) {
	r, err := s.one(ctx, s.db.queryURL)
	if err != nil {
		return nil, err
	}
	res := r.result()
	res.Meta = d1.Meta{}
	if len(res.Rows) > 1 {
		res.Rows = res.Rows[:1]
	}
	return res, nil
}

func (s *stmt) Raw(ctx context.Context) (*d1.Result, error) {
	r, err := s.one(ctx, s.db.rawURL)
	if err != nil {
		return nil, err
	}
	res := r.result()
	res.Meta = d1.Meta{}
	return res, nil
}

// one sends the statement alone. When its SQL holds several statements the
// API may answer one result for each; like the binding, one returns the
// last.
func (s *stmt) one(ctx context.Context, endpoint string) (*wireResult, error) {
	results, err := s.db.do(ctx, endpoint, query{SQL: s.sql, Params: s.params})
	if err != nil {
		return nil, err
	}
	if len(results) == 0 {
		return &wireResult{}, nil
	}
	return &results[len(results)-1], nil
}

func queryOf(sql string) query { return query{SQL: sql} }

func errNoStatements() *d1.Error {
	return &d1.Error{Code: d1.CodeError, Message: "No SQL statements detected.", Offset: -1}
}

// execError words a failed exec as the binding does:
// D1_EXEC_ERROR: Error in line 1: <line>: <D1's message without its code>.
func execError(line string, e *d1.Error) *d1.Error {
	text := e.Error()
	if e.Code == d1.CodeError {
		text = strings.TrimPrefix(text, d1.CodeError+": ")
	}
	return d1.ParseError(d1.CodeExecError + ": Error in line 1: " + line + ": " + text)
}
