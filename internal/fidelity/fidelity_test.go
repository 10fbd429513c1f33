package fidelity_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/bridge/bridgetest"
	"github.com/lunora-go/d1/local"
)

// srv is workerd with the bridge, one fresh D1 database a scenario.
var srv = bridgetest.Server{Databases: 128}

func TestMain(m *testing.M) {
	code := m.Run()
	srv.Close()
	os.Exit(code)
}

// A step is one call on the binding contract.
type step struct {
	mode    string // all, run, first, raw, exec, batch, bookmark
	sql     string
	args    []any
	batch   []stmt
	session string // "" runs on the primary; otherwise a session's name
	open    string // the constraint or bookmark a new session opens with
}

type stmt struct {
	sql  string
	args []any
}

func all(sql string, args ...any) step   { return step{mode: "all", sql: sql, args: args} }
func run(sql string, args ...any) step   { return step{mode: "run", sql: sql, args: args} }
func first(sql string, args ...any) step { return step{mode: "first", sql: sql, args: args} }
func raw(sql string, args ...any) step   { return step{mode: "raw", sql: sql, args: args} }
func exec(sql string) step               { return step{mode: "exec", sql: sql} }
func batch(stmts ...stmt) step           { return step{mode: "batch", batch: stmts} }
func st(sql string, args ...any) stmt    { return stmt{sql, args} }

// bookmark reports the session's bookmark relative to what it was.
func bookmark(session string) step { return step{mode: "bookmark", session: session} }

// in runs the step in the named session, opening it with open (a
// constraint) when it is new.
func (s step) in(session, open string) step {
	s.session, s.open = session, open
	return s
}

type scenario struct {
	name  string
	steps []step
	// fresh runs the steps on a database nothing has touched. Otherwise a
	// "SELECT 1" runs first, uncompared: workerd's D1 creates its
	// _cf_METADATA table after the first successful query, which changes
	// size_after and last_row_id, and the scenarios marked fresh show
	// that once rather than every scenario showing it again.
	fresh bool
}

// An outcome is a step's observable result, aspect by aspect: "error",
// "columns", "rows", "meta.changes", ..., "exec.count", "bookmark".
type outcome map[string]string

// metaAspects are the meta fields compared; duration, timings and served_by
// are not.
var metaAspects = []string{"changes", "last_row_id", "changed_db", "size_after", "rows_read", "rows_written"}

var bookmarkRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$`)

// play runs a scenario on db and returns the outcome of each step.
func play(ctx context.Context, db d1.Database, sc scenario) []outcome {
	sessions := map[string]d1.DatabaseSession{}
	last := map[string]string{}
	prep := func(s step, sql string) func() d1.PreparedStatement {
		return func() d1.PreparedStatement {
			if s.session == "" {
				return db.Prepare(sql)
			}
			sess, ok := sessions[s.session]
			if !ok {
				open := s.open
				if from, ok := strings.CutPrefix(open, "@"); ok {
					open, _ = sessions[from].Bookmark()
				}
				sess = db.WithSession(open)
				sessions[s.session] = sess
				last[s.session] = "none"
			}
			return sess.Prepare(sql)
		}
	}
	if !sc.fresh {
		if _, err := db.Prepare("SELECT 1").All(ctx); err != nil {
			panic(err)
		}
	}
	out := make([]outcome, len(sc.steps))
	for i, s := range sc.steps {
		o := outcome{}
		out[i] = o
		switch s.mode {
		case "exec":
			r, err := db.Exec(ctx, s.sql)
			if err != nil {
				o["error"] = describeError(err)
				continue
			}
			o["exec.count"] = strconv.Itoa(r.Count)
		case "batch":
			var pss []d1.PreparedStatement
			var bindErr error
			for _, b := range s.batch {
				ps, err := bind(prep(s, b.sql)(), b.args)
				if err != nil {
					bindErr = err
					break
				}
				pss = append(pss, ps)
			}
			if bindErr != nil {
				o["error"] = describeError(bindErr)
				continue
			}
			var results []*d1.Result
			var err error
			if s.session != "" {
				prep(s, "")() // opens the session
				results, err = sessions[s.session].Batch(ctx, pss)
			} else {
				results, err = db.Batch(ctx, pss)
			}
			if err != nil {
				o["error"] = describeError(err)
				continue
			}
			o["results"] = strconv.Itoa(len(results))
			for j, r := range results {
				describeResult(o, fmt.Sprintf("[%d].", j), r, true)
			}
		case "bookmark":
			prep(s, "")()
			b, ok := sessions[s.session].Bookmark()
			switch {
			case !ok:
				o["bookmark"] = "none"
			case !bookmarkRE.MatchString(b):
				o["bookmark"] = "not D1's form: " + b
			case last[s.session] == "none":
				o["bookmark"] = "first"
			case b == last[s.session]:
				o["bookmark"] = "same"
			case b > last[s.session]:
				o["bookmark"] = "newer"
			default:
				o["bookmark"] = "older"
			}
			if ok {
				last[s.session] = b
			}
		default:
			ps, err := bind(prep(s, s.sql)(), s.args)
			if err != nil {
				o["error"] = describeError(err)
				continue
			}
			var r *d1.Result
			switch s.mode {
			case "all":
				r, err = ps.All(ctx)
			case "run":
				r, err = ps.Run(ctx)
			case "first":
				r, err = ps.First(ctx)
			case "raw":
				r, err = ps.Raw(ctx)
			default:
				panic("unknown mode " + s.mode)
			}
			if err != nil {
				o["error"] = describeError(err)
				continue
			}
			describeResult(o, "", r, s.mode == "all" || s.mode == "run")
		}
	}
	return out
}

func bind(ps d1.PreparedStatement, args []any) (d1.PreparedStatement, error) {
	if len(args) == 0 {
		return ps, nil
	}
	vals := make([]any, len(args))
	for i, a := range args {
		v, err := d1.Normalize(a)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return ps.Bind(vals...)
}

func describeError(err error) string {
	var e *d1.Error
	if !errors.As(err, &e) {
		return fmt.Sprintf("not a *d1.Error: %T %v", err, err)
	}
	return e.Error()
}

func describeResult(o outcome, prefix string, r *d1.Result, meta bool) {
	o[prefix+"columns"] = fmt.Sprintf("%q", r.Columns)
	var b strings.Builder
	for i, row := range r.Rows {
		if i > 0 {
			b.WriteString(" | ")
		}
		for j, v := range row {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(describeValue(v))
		}
	}
	o[prefix+"rows"] = b.String()
	if !meta {
		return
	}
	m := r.Meta
	for _, a := range metaAspects {
		var v string
		switch a {
		case "changes":
			v = strconv.FormatInt(m.Changes, 10)
		case "last_row_id":
			v = strconv.FormatInt(m.LastRowID, 10)
		case "changed_db":
			v = strconv.FormatBool(m.ChangedDB)
		case "size_after":
			v = strconv.FormatInt(m.SizeAfter, 10)
		case "rows_read":
			v = strconv.FormatInt(m.RowsRead, 10)
		case "rows_written":
			v = strconv.FormatInt(m.RowsWritten, 10)
		}
		o[prefix+"meta."+a] = v
	}
}

func describeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case int64:
		return "int " + strconv.FormatInt(x, 10)
	case float64:
		return "real " + strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		if len(x) > 60 {
			return fmt.Sprintf("text(%d bytes) %q...", len(x), x[:40])
		}
		return "text " + strconv.Quote(x)
	case []byte:
		if len(x) > 30 {
			return fmt.Sprintf("blob(%d bytes) %x...", len(x), x[:20])
		}
		return fmt.Sprintf("blob x'%x'", x)
	}
	return fmt.Sprintf("unexpected %T %v", v, v)
}

// A difference between local and D1 (workerd) on one aspect of one step.
type difference struct {
	scenario string
	step     int
	aspect   string
	local    string
	d1       string
	known    string // the reason, when it is a known difference
}

// knownDifference is a difference that is understood and accepted, with
// the reason. scenario and aspect are path.Match patterns ("" matches
// anything); aspect matches the aspect without a batch index prefix too. sql,
// when set, must occur in the step's SQL.
type knownDifference struct {
	scenario, sql, aspect, reason string
}

func (k knownDifference) matches(d difference, s step) bool {
	if ok, _ := path.Match(k.scenario, d.scenario); k.scenario != "" && !ok {
		return false
	}
	if k.sql != "" {
		found := strings.Contains(s.sql, k.sql)
		for _, b := range s.batch {
			found = found || strings.Contains(b.sql, k.sql)
		}
		if !found {
			return false
		}
	}
	if k.aspect == "" {
		return true
	}
	aspect := d.aspect
	if i := strings.Index(aspect, "]."); strings.HasPrefix(aspect, "[") && i >= 0 {
		aspect = aspect[i+2:]
	}
	ok, _ := path.Match(k.aspect, aspect)
	return ok
}

func compare(name string, local, remote []outcome) []difference {
	var diffs []difference
	for i := range local {
		keys := map[string]bool{}
		for k := range local[i] {
			keys[k] = true
		}
		for k := range remote[i] {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		slices.Sort(sorted)
		for _, k := range sorted {
			l, lok := local[i][k]
			r, rok := remote[i][k]
			if !lok {
				l = "(absent)"
			}
			if !rok {
				r = "(absent)"
			}
			if l != r {
				diffs = append(diffs, difference{scenario: name, step: i, aspect: k, local: l, d1: r})
			}
		}
	}
	return diffs
}

// TestFidelity runs every scenario against local and against workerd's D1
// through the bridge, and compares them.
func TestFidelity(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var diffs []difference
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			ldb, err := local.Open("", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer ldb.Close()
			rdb := srv.Open(t)
			lout := play(ctx, ldb, sc)
			rout := play(ctx, rdb, sc)
			for _, d := range compare(sc.name, lout, rout) {
				for _, k := range knownDifferences {
					if k.matches(d, sc.steps[d.step]) {
						d.known = k.reason
						break
					}
				}
				diffs = append(diffs, d)
				s := sc.steps[d.step]
				what := s.sql
				if s.mode == "batch" {
					what = fmt.Sprintf("batch of %d", len(s.batch))
				}
				msg := fmt.Sprintf("step %d (%s %.80q) %s:\n\tlocal: %s\n\tD1:    %s", d.step, s.mode, what, d.aspect, d.local, d.d1)
				if d.known != "" {
					t.Logf("known difference: %s\n\treason: %s", msg, d.known)
				} else {
					t.Errorf("%s", msg)
				}
			}
		})
	}
	unknown := 0
	differ, unexplained := map[string]bool{}, map[string]bool{}
	byAspect := map[string]int{}
	for _, d := range diffs {
		differ[d.scenario] = true
		if d.known == "" {
			unknown++
			unexplained[d.scenario] = true
			aspect := d.aspect
			if i := strings.Index(aspect, "]."); strings.HasPrefix(aspect, "[") && i >= 0 {
				aspect = aspect[i+2:]
			}
			byAspect[aspect]++
		}
	}
	steps := 0
	for _, sc := range scenarios {
		steps += len(sc.steps)
	}
	aspects := make([]string, 0, len(byAspect))
	for a, n := range byAspect {
		aspects = append(aspects, fmt.Sprintf("%s %d", a, n))
	}
	slices.Sort(aspects)
	summary := fmt.Sprintf("fidelity: %d scenarios (%d steps); %d differ from D1, %d of them in ways not listed as known; "+
		"%d differences: %d known, %d unexplained (%s)",
		len(scenarios), steps, len(differ), len(unexplained), len(diffs), len(diffs)-unknown, unknown, strings.Join(aspects, ", "))
	t.Log(summary)
	fmt.Println(summary)
}
