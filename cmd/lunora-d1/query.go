package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/internal/sqlscan"
)

func sessionFlags(fs *flag.FlagSet, o *cmdFlags) {
	fs.StringVar(&o.bookmark, "bookmark", "", "run in a D1 session opened at this `bookmark` (or first-primary,\n"+
		"first-unconstrained, or \"\" for first-unconstrained), and print the\n"+
		"session's bookmark afterwards; not with --remote, which has no sessions")
}

var cmdQuery = &command{
	name:     "query",
	args:     "SQL [ARGS...]",
	summary:  "run one statement and print its rows",
	database: true,
	help: `Runs SQL, one statement, with ARGS bound to its parameters (?, ?NNN, :name or $name,
by position), and prints the rows as a table, or with --json as
{"columns": [...], "rows": [[...]], "meta": {...}}.

How ARGS are bound: an ARG written as a JSON number (42, -1.5, 2e3) binds as a number,
as a Worker's JavaScript number would (D1 stores a whole number as REAL in a column
without INTEGER or NUMERIC affinity); every other ARG binds as text. 007, +1 and 0x10
are text. --text binds every ARG as text. For NULL, BLOBs and exact types, give the
values as a JSON array with --args-json instead: null, true/false (bound as 1/0),
numbers, strings, and {"blob": "<base64>"}.

SQL "-" reads the statement from standard input.

Examples:
  lunora-d1 query 'SELECT name FROM sqlite_master WHERE type = ?' table
  lunora-d1 query 'INSERT INTO users (name, age) VALUES (?, ?)' Ada 36
  lunora-d1 query --text 'SELECT * FROM codes WHERE code = ?' 007
  lunora-d1 query --args-json '[null, {"blob": "AQI="}]' 'INSERT INTO t VALUES (?, ?)'
  lunora-d1 query --bookmark "$BOOKMARK" 'SELECT * FROM users'    # read your writes
  lunora-d1 --bridge https://bridge.example.workers.dev query 'SELECT 1' --json`,
	flags: func(fs *flag.FlagSet, o *cmdFlags) {
		sessionFlags(fs, o)
		fs.BoolVar(&o.text, "text", false, "bind every ARG as text, even one that looks like a number")
		fs.StringVar(&o.argsJSON, "args-json", "", "bind the values of this JSON `array` instead of ARGS")
		fs.BoolVar(&o.raw, "raw", false, "keep every column, duplicate names included, and print the column names\n"+
			"even without rows (D1's raw(); there is no meta)")
	},
	run: runQuery,
}

// jsonNumber matches JSON's number syntax.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// parseNumber returns s as an int64 or a float64 when it is written as a
// JSON number; ok is false otherwise.
func parseNumber(s string) (v any, ok bool, err error) {
	if !jsonNumber.MatchString(s) {
		return nil, false, nil
	}
	if !strings.ContainsAny(s, ".eE") {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, true, fmt.Errorf("%s is too large for a number", s)
		}
		return n, true, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return nil, true, fmt.Errorf("%s is too large for a number", s)
	}
	return f, true, nil
}

// queryArgs returns the values to bind, from ARGS or --args-json.
func queryArgs(o *cmdFlags, args []string) ([]any, error) {
	if o.argsJSON != "" {
		if len(args) > 0 {
			return nil, usageErrorf("give the values as ARGS or with --args-json, not both")
		}
		if o.text {
			return nil, usageErrorf("--text applies to ARGS; in --args-json, write text as JSON strings")
		}
		return parseArgsJSON(o.argsJSON)
	}
	vals := make([]any, len(args))
	for i, s := range args {
		if o.text {
			vals[i] = s
			continue
		}
		v, ok, err := parseNumber(s)
		if err != nil {
			return nil, usageErrorf("ARG %d: %v: pass --text to bind it as text", i+1, err)
		}
		if !ok {
			v = s
		}
		vals[i] = v
	}
	return vals, nil
}

// parseArgsJSON reads --args-json.
func parseArgsJSON(s string) ([]any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var raw []any
	if err := dec.Decode(&raw); err != nil || dec.More() {
		return nil, usageErrorf(`--args-json needs a JSON array, such as '[1, "text", null, {"blob": "AQI="}]'`)
	}
	vals := make([]any, len(raw))
	for i, r := range raw {
		switch x := r.(type) {
		case json.Number:
			v, _, err := parseNumber(x.String())
			if err != nil {
				return nil, usageErrorf("--args-json value %d: %v", i+1, err)
			}
			vals[i] = v
		case map[string]any:
			b64, ok := x["blob"].(string)
			if !ok || len(x) != 1 {
				return nil, usageErrorf(`--args-json value %d: the only object is {"blob": "<base64>"}`, i+1)
			}
			b, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				return nil, usageErrorf("--args-json value %d: the blob is not base64: %v", i+1, err)
			}
			vals[i] = b
		case []any:
			return nil, usageErrorf(`--args-json value %d: an array cannot be bound; a BLOB is {"blob": "<base64>"}`, i+1)
		default:
			vals[i] = x // nil, bool, string
		}
	}
	return vals, nil
}

// queryRunner opens the session --bookmark asks for, or uses the client.
type queryRunner struct {
	client  *d1.Client
	session *d1.Session
}

// openRunner opens the chosen database for a query command, and the session
// --bookmark asks for. The caller closes the database with the returned func.
func (a *app) openRunner(o *cmdFlags) (*queryRunner, func() error, error) {
	p, err := a.project()
	if err != nil {
		return nil, nil, err
	}
	t, err := a.openTarget(p, false)
	if err != nil {
		return nil, nil, err
	}
	q, err := newRunner(t, o)
	if err != nil {
		t.close()
		return nil, nil, err
	}
	return q, t.close, nil
}

func newRunner(t *target, o *cmdFlags) (*queryRunner, error) {
	client := d1.New(t.db)
	q := &queryRunner{client: client}
	if o.bookmarkSet {
		if !t.sessions {
			return nil, usageErrorf("--bookmark needs D1's Sessions API, which the REST API (--remote) does not have; " +
				"use --bridge for sessions, or leave --bookmark out: every REST query goes to the primary")
		}
		q.session = client.WithSession(o.bookmark)
	}
	return q, nil
}

func (q *queryRunner) prepare(query string) (*d1.Stmt, error) {
	if q.session != nil {
		return q.session.Prepare(query)
	}
	return q.client.Prepare(query)
}

func (q *queryRunner) batch(ctx context.Context, stmts []*d1.Stmt) ([]*d1.Result, error) {
	if q.session != nil {
		return q.session.Batch(ctx, stmts...)
	}
	return q.client.Batch(ctx, stmts...)
}

// bookmark returns the session's bookmark, or "".
func (q *queryRunner) bookmark() string {
	if q.session == nil {
		return ""
	}
	b, _ := q.session.Bookmark()
	return b
}

func runQuery(ctx context.Context, a *app, o *cmdFlags, args []string) error {
	if len(args) == 0 {
		return usageErrorf("query needs the SQL to run, such as lunora-d1 query 'SELECT 1'")
	}
	query, args := args[0], args[1:]
	if query == "-" {
		b, err := io.ReadAll(a.stdin)
		if err != nil {
			return fmt.Errorf("reading the SQL from standard input: %w", err)
		}
		query = string(b)
	}
	vals, err := queryArgs(o, args)
	if err != nil {
		return err
	}
	q, closeTarget, err := a.openRunner(o)
	if err != nil {
		return err
	}
	defer closeTarget()
	stmt, err := q.prepare(query)
	if err != nil {
		return err
	}
	var res *d1.Result
	if o.raw {
		res, err = stmt.Raw(ctx, vals...)
	} else {
		res, err = stmt.All(ctx, vals...)
	}
	if err != nil {
		return err
	}
	bm := q.bookmark()
	if a.common.json {
		out := struct {
			jsonResult
			Bookmark string `json:"bookmark,omitempty"`
		}{toJSONResult(res, !o.raw), bm}
		return a.writeJSON(a.stdout, out)
	}
	writeTable(a.stdout, res.Columns, res.Rows)
	fmt.Fprintln(a.stdout, summary(res, !o.raw))
	if bm != "" {
		fmt.Fprintln(a.stdout, "bookmark:", bm)
	}
	return nil
}

// summary describes a result in a line: "(2 rows, 0.31 ms)", with the
// changes for a write.
func summary(res *d1.Result, meta bool) string {
	parts := []string{plural(len(res.Rows), "row", "rows")}
	if meta {
		m := res.Meta
		if m.Changes > 0 || m.ChangedDB {
			parts = append(parts, plural(int(m.Changes), "change", "changes"))
			if m.LastRowID != 0 {
				parts = append(parts, "last row id "+strconv.FormatInt(m.LastRowID, 10))
			}
		}
		parts = append(parts, formatMS(m.Duration))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

var cmdExec = &command{
	name:     "exec",
	args:     "--file FILE | SQL",
	summary:  "run a file of statements as one batch",
	database: true,
	help: `Runs every statement of FILE (or of the SQL argument), in order, as one D1 batch: one
implicit transaction, so that if one statement fails, none is applied. Statements
are split on semicolons by a lexer that knows SQLite's quotes, comments and trigger
bodies. Statements that return rows have them printed; --json prints
{"results": [{"columns", "rows", "meta"}, ...]}, one result per statement.

BEGIN, COMMIT and SAVEPOINT are refused by D1: the batch is the transaction.

Examples:
  lunora-d1 exec --file seed.sql
  lunora-d1 exec 'CREATE TABLE t (x); INSERT INTO t VALUES (1), (2)'
  cat dump.sql | lunora-d1 exec --file - --db ./copy.sqlite
  lunora-d1 --remote --database my-db exec --file fix.sql --json`,
	flags: func(fs *flag.FlagSet, o *cmdFlags) {
		fs.StringVar(&o.file, "file", "", "the SQL `file` to run; - for standard input")
		sessionFlags(fs, o)
	},
	run: runExec,
}

func runExec(ctx context.Context, a *app, o *cmdFlags, args []string) error {
	var src, name string
	switch {
	case o.file != "" && len(args) > 0:
		return usageErrorf("give --file FILE or the SQL as an argument, not both")
	case o.file == "-":
		b, err := io.ReadAll(a.stdin)
		if err != nil {
			return fmt.Errorf("reading the SQL from standard input: %w", err)
		}
		src, name = string(b), "standard input"
	case o.file != "":
		b, err := os.ReadFile(a.abs(o.file))
		if err != nil {
			return fmt.Errorf("reading the SQL: %w", err)
		}
		src, name = string(b), o.file
	case len(args) == 1:
		src, name = args[0], "the SQL argument"
	case len(args) > 1:
		return usageErrorf("exec takes one SQL argument (quote it), or --file FILE")
	default:
		return usageErrorf("exec needs --file FILE (or - for standard input) or the SQL as an argument")
	}
	src = strings.TrimPrefix(src, "\uFEFF")
	stmts, err := sqlscan.Split(src)
	if err != nil {
		return fmt.Errorf("%s:%v; nothing was run", name, err)
	}
	if len(stmts) == 0 {
		return fmt.Errorf("%s holds no SQL statement; nothing was run", name)
	}
	q, closeTarget, err := a.openRunner(o)
	if err != nil {
		return err
	}
	defer closeTarget()
	batch := make([]*d1.Stmt, len(stmts))
	for i, st := range stmts {
		s, err := q.prepare(src[st.Start:st.End])
		if err != nil {
			line, _ := sqlscan.Position(src, st.Start)
			return fmt.Errorf("%s: statement %d (line %d): %w; nothing was run", name, i+1, line, err)
		}
		batch[i] = s
	}
	results, err := q.batch(ctx, batch)
	if err != nil {
		var be *d1.Error
		if errors.As(err, &be) {
			return fmt.Errorf("the batch failed, so none of its %d statements was applied: %w", len(batch), err)
		}
		return err
	}
	bm := q.bookmark()
	if a.common.json {
		out := struct {
			Results  []jsonResult `json:"results"`
			Bookmark string       `json:"bookmark,omitempty"`
		}{Bookmark: bm}
		for _, r := range results {
			out.Results = append(out.Results, toJSONResult(r, true))
		}
		return a.writeJSON(a.stdout, out)
	}
	var changes int64
	var ms float64
	var buf bytes.Buffer
	for i, r := range results {
		changes += r.Meta.Changes
		ms += r.Meta.Duration
		if len(r.Columns) > 0 {
			line, _ := sqlscan.Position(src, stmts[i].Start)
			fmt.Fprintf(&buf, "statement %d (line %d):\n", i+1, line)
			writeTable(&buf, r.Columns, r.Rows)
			fmt.Fprintln(&buf, summary(r, true))
		}
	}
	buf.WriteString(fmt.Sprintf("ran %s in one batch: %s, %s\n",
		plural(len(results), "statement", "statements"), plural(int(changes), "change", "changes"), formatMS(ms)))
	if bm != "" {
		fmt.Fprintln(&buf, "bookmark:", bm)
	}
	_, err = a.stdout.Write(buf.Bytes())
	return err
}
