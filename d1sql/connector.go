package d1sql

import (
	"context"
	"database/sql/driver"
	"errors"

	"github.com/lunora-go/d1"
)

// target is what a connection runs statements on: a *d1.Client or a
// *d1.Session.
type target interface {
	Prepare(query string) (*d1.Stmt, error)
	Batch(ctx context.Context, stmts ...*d1.Stmt) ([]*d1.Result, error)
}

// Option configures a [Connector].
type Option func(*config)

type config struct {
	sessionFrom func(context.Context) *d1.Session
	timeFormat  string
	parseTime   bool
}

// WithSessionFromContext makes each call run in the session that f finds in
// the call's context, when f returns one, and on the connector's client or
// session otherwise. With it, one *sql.DB serves every request of a server
// while each request reads its own writes; pass d1http.Session to use the
// session that package's middleware opens:
//
//	db := sql.OpenDB(d1sql.NewConnector(client, d1sql.WithSessionFromContext(d1http.Session)))
//
// Calls without a context (Query, Exec, Begin rather than QueryContext,
// ExecContext, BeginTx) run with context.Background and so outside any
// session.
func WithSessionFromContext(f func(context.Context) *d1.Session) Option {
	return func(c *config) { c.sessionFrom = f }
}

// WithTimeFormat sets the layout in which a [time.Time] argument is bound, as
// text, after conversion to UTC. The default is [DefaultTimeFormat].
// JavaScript's Date.prototype.toISOString writes "2006-01-02T15:04:05.000Z07:00".
func WithTimeFormat(layout string) Option {
	return func(c *config) { c.timeFormat = layout }
}

// WithParseTime makes rows return text that reads as a date and time as a
// [time.Time], so that it scans into a time.Time (database/sql does not
// parse text into one). Two forms are read: RFC 3339 with a time and a zone
// (what d1sql writes, and JavaScript's toISOString), and SQLite's
// "2006-01-02 15:04:05" with an optional fraction, read as UTC (what
// CURRENT_TIMESTAMP and datetime() write). Dates without a time stay text.
//
// D1 returns values without their column's declared type, so the choice is
// made by the text alone: with this option, such text scanned into a string
// comes back reformatted by database/sql as RFC 3339 (for example
// "2024-01-02 03:04:05" as "2024-01-02T03:04:05Z"). Leave it off when text
// columns hold date-like strings that must keep their exact form.
func WithParseTime(on bool) Option {
	return func(c *config) { c.parseTime = on }
}

// Connector is a [driver.Connector] over a [d1.Client] or a [d1.Session];
// open a *sql.DB on it with [sql.OpenDB]. A Connector is safe for concurrent
// use, and its connections hold no state of their own beyond an open
// transaction: they are all views of the same client or session.
type Connector struct {
	client  *d1.Client
	session *d1.Session
	cfg     config
}

var _ driver.Connector = (*Connector)(nil)

// NewConnector returns a connector whose connections run every statement on
// client, that is on the primary, without a session.
func NewConnector(client *d1.Client, opts ...Option) *Connector {
	return newConnector(client, nil, opts)
}

// SessionConnector returns a connector whose connections run every statement
// in sess, so that a *sql.DB opened on it reads its own writes, as the
// session does. The session's bookmark moves on with every statement; read
// it with [d1.Session.Bookmark].
func SessionConnector(sess *d1.Session, opts ...Option) *Connector {
	return newConnector(nil, sess, opts)
}

func newConnector(client *d1.Client, sess *d1.Session, opts []Option) *Connector {
	c := &Connector{client: client, session: sess, cfg: config{timeFormat: DefaultTimeFormat}}
	for _, o := range opts {
		o(&c.cfg)
	}
	return c
}

// Connect returns a connection. It does no I/O and does not fail.
func (c *Connector) Connect(context.Context) (driver.Conn, error) {
	return &conn{c: c}, nil
}

// Driver returns a [Driver], which cannot open connections by name.
func (c *Connector) Driver() driver.Driver { return Driver{} }

// target returns the client or session that a call with ctx runs on.
func (c *Connector) target(ctx context.Context) target {
	if c.cfg.sessionFrom != nil {
		if s := c.cfg.sessionFrom(ctx); s != nil {
			return s
		}
	}
	if c.session != nil {
		return c.session
	}
	return c.client
}

// Driver is the [driver.Driver] of a [Connector]. It is not registered with
// database/sql and its Open fails: a D1 database is a Go value (a backend's
// d1.Database), not a name, so open a *sql.DB with
// sql.OpenDB(d1sql.NewConnector(client)).
type Driver struct{}

// ErrOpenByName is returned by [Driver.Open].
var ErrOpenByName = errors.New("d1sql: a D1 database cannot be opened by name; use sql.OpenDB(d1sql.NewConnector(client))")

// Open returns [ErrOpenByName].
func (Driver) Open(string) (driver.Conn, error) { return nil, ErrOpenByName }
