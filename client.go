package d1

import (
	"context"

	"github.com/lunora-go/d1/internal/stmtcache"
)

// DefaultStatementCacheSize is the number of prepared statements a [Client]
// and each [Session] keep by default.
const DefaultStatementCacheSize = 256

// Options configures a [Client]. The zero value gives the defaults.
type Options struct {
	// StatementCacheSize is how many prepared statements the client, and
	// each of its sessions separately, keep, least recently used first out.
	// Zero means [DefaultStatementCacheSize]; a negative value disables the
	// cache.
	StatementCacheSize int

	// Retry, when set, retries calls that fail transiently; see
	// [RetryPolicy] for which calls qualify.
	Retry *RetryPolicy

	// Hooks wrap every call to the backend, the first outermost; see [Hook].
	Hooks []Hook
}

// Client is a D1 client over any backend implementing [Database]. Its
// queries go to the primary; [Client.WithSession] opens a session for
// read-your-writes across replicas. A Client is safe for concurrent use.
type Client struct {
	db        Database
	cacheSize int
	q         querier
}

// New returns a client over db with default [Options].
func New(db Database) *Client { return NewWithOptions(db, Options{}) }

// NewWithOptions returns a client over db configured by opts.
func NewWithOptions(db Database, opts Options) *Client {
	size := opts.StatementCacheSize
	if size == 0 {
		size = DefaultStatementCacheSize
	}
	c := &Client{db: db, cacheSize: size}
	c.q = querier{p: db, cache: stmtcache.New[*Stmt](size), cfg: newConfig(opts)}
	return c
}

// Raw returns the binding the client was made with.
func (c *Client) Raw() Database { return c.db }

// WithSession opens a session. bookmark is "" (the same as
// [FirstUnconstrained]), [FirstPrimary], or a bookmark from an earlier
// session's [Session.Bookmark], which makes the session's first query see
// data at least that new. The session has its own statement cache.
func (c *Client) WithSession(bookmark string) *Session {
	if bookmark == "" {
		bookmark = FirstUnconstrained
	}
	ds := c.db.WithSession(bookmark)
	return &Session{s: ds, q: querier{p: ds, cache: stmtcache.New[*Stmt](c.cacheSize), cfg: c.q.cfg}}
}

// Prepare returns the statement for query from the client's cache, preparing
// it on a miss. It fails, and caches nothing, when query is empty or longer
// than [MaxSQLLength].
func (c *Client) Prepare(query string) (*Stmt, error) { return c.q.prepare(query) }

// Run runs query with args bound to its parameters, on the primary.
func (c *Client) Run(ctx context.Context, query string, args ...any) (*Result, error) {
	return c.q.run(ctx, query, args, OpRun)
}

// All runs query with args and returns its rows, on the primary.
func (c *Client) All(ctx context.Context, query string, args ...any) (*Result, error) {
	return c.q.run(ctx, query, args, OpAll)
}

// First runs query with args and returns its first row, or [ErrNoRows].
func (c *Client) First(ctx context.Context, query string, args ...any) (Row, error) {
	return c.q.first(ctx, query, args)
}

// Batch runs stmts atomically, in order, on the primary: it returns their
// results in order, or the failing statement's error with nothing applied.
func (c *Client) Batch(ctx context.Context, stmts ...*Stmt) ([]*Result, error) {
	return c.q.batch(ctx, stmts)
}

// Exec runs query, one statement per line, without parameters, as D1's exec.
func (c *Client) Exec(ctx context.Context, query string) (*ExecResult, error) {
	return c.db.Exec(ctx, query)
}

// CachedStatements returns the SQL of the statements in the client's cache,
// most recently used first.
func (c *Client) CachedStatements() []string { return c.q.cache.Keys() }
