package migrate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lunora-go/d1"
)

// Options configures a [Runner]. The zero value gives the defaults.
type Options struct {
	// AllowCascade lets migrations drop tables that other tables reference
	// with ON DELETE CASCADE, SET NULL or SET DEFAULT, which deletes or
	// changes the referencing rows. By default such a migration is refused
	// with a [*CascadeError].
	AllowCascade bool
}

// Runner applies migrations to a D1 database and reports their status. It
// holds no state between calls, and is safe for concurrent use; runners in
// several goroutines or processes may run against one database at once.
type Runner struct {
	c     *d1.Client
	plans []plan
	opts  Options
}

// New returns a runner that applies migrations to db through a [d1.Client]
// of its own (with no statement cache: migrations run once).
//
// Migrations are checked here, and New returns an error naming the
// migrations at fault when two share a version ([ErrDuplicateVersion]) or
// have identical SQL ([ErrDuplicateSQL]), or when one holds more or less than
// one statement ([ErrMultipleStatements], [ErrNoStatement]), malformed SQL
// ([ErrSyntax]), a transaction statement ([ErrTransaction]) or a statement
// longer than D1 accepts ([ErrTooLong]), or has a version out of range
// ([ErrVersion]). Migrations are applied in version
// order, whatever their order in the slice.
//
// To run through an existing client, use [NewWithClient]; the two take the
// two things a program may hold, the binding and the client over it.
func New(db d1.Database, migrations []Migration) (*Runner, error) {
	if db == nil {
		return nil, errors.New("migrate: New with a nil database")
	}
	return NewWithOptions(d1.NewWithOptions(db, d1.Options{StatementCacheSize: -1}), migrations, Options{})
}

// NewWithClient is [New] for a [d1.Client]: the runner's queries go through
// c, and so through whatever it wraps.
func NewWithClient(c *d1.Client, migrations []Migration) (*Runner, error) {
	return NewWithOptions(c, migrations, Options{})
}

// NewWithOptions is [NewWithClient] configured by opts. For a bare
// [d1.Database], pass d1.New(db).
func NewWithOptions(c *d1.Client, migrations []Migration, opts Options) (*Runner, error) {
	if c == nil {
		return nil, errors.New("migrate: NewWithOptions with a nil client")
	}
	plans, err := check(migrations, nil)
	if err != nil {
		return nil, err
	}
	return &Runner{c: c, plans: plans, opts: opts}, nil
}

// Migrations returns the runner's migrations, in version order.
func (r *Runner) Migrations() []Migration {
	ms := make([]Migration, len(r.plans))
	for i, p := range r.plans {
		ms[i] = p.Migration
	}
	return ms
}

// Result is what [Runner.Run] did, each list in version order.
type Result struct {
	// Applied are the migrations this run applied.
	Applied []Entry
	// Skipped are the migrations found applied already, including those
	// that another runner applied while this one ran.
	Skipped []Entry
}

// Run applies the migrations not yet applied, in version order, and returns
// what it applied and what it skipped.
//
// Run first reads the tracking table, __drizzle_migrations (creating it with
// the first migration it applies, and upgrading in place, keeping every row,
// one that drizzle created). A migration whose hash is recorded is skipped;
// if every migration is, Run only reads, in two calls. If a migration's
// version is recorded with another hash (the migration was edited after it
// was applied), Run applies nothing and returns a [*DriftError].
//
// Each migration is applied in one batch with the INSERT of its record, so
// either both happen or neither does. Run stops at the first migration D1
// refuses and returns an [*ApplyError] naming it, with the Result of what was
// applied before it. A migration that drops a table other tables reference
// with ON DELETE CASCADE (or SET NULL, SET DEFAULT) is refused, in the same
// batch, with a [*CascadeError], unless [Options.AllowCascade] is set.
//
// When another runner applies a migration at the same time, its record's
// UNIQUE hash makes this runner's batch fail before the migration runs; Run
// then reads the table again and reports the migration as skipped.
//
// With N migrations pending Run makes at most N+2 calls to the database,
// unless it loses a race or a migration fails.
func (r *Runner) Run(ctx context.Context) (Result, error) {
	var res Result
	if err := ctx.Err(); err != nil {
		return res, err
	}
	st, err := r.readState(ctx, true)
	if err != nil {
		return res, err
	}
	if drifted := r.drifted(st); len(drifted) > 0 {
		return res, &DriftError{Drifted: drifted}
	}
	setup := st.setup()
	for i := range r.plans {
		p := &r.plans[i]
		if st.applied(p) {
			res.Skipped = append(res.Skipped, p.entry())
			continue
		}
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("migrate: stopped before migration %s: %w", p.entry(), err)
		}
		for attempt := 0; ; attempt++ {
			query, args := r.applyBatch(p, st, setup)
			wantTables := r.nextDrops(i, st)
			if wantTables {
				query = append(query, sqlTables)
			}
			results, err := r.batch(ctx, query, args)
			if err == nil {
				if wantTables {
					st.tables = names(results[len(results)-1])
				}
				setup = nil
				res.Applied = append(res.Applied, p.entry())
				break
			}
			skipped, retry, ferr := r.afterFailure(ctx, p, err, &st)
			if ferr != nil {
				return res, ferr
			}
			if skipped {
				res.Skipped = append(res.Skipped, p.entry())
				break
			}
			if !retry || attempt == 2 {
				return res, &ApplyError{Migration: p.entry(), Err: err}
			}
			setup = st.setup()
		}
	}
	return res, nil
}

// applyBatch returns the batch that applies p: the tracking table's setup
// if it needs any, the record's INSERT (first, so that a runner that lost a
// race fails before running the migration), the cascade guard when p drops a
// table, and p's statement.
func (r *Runner) applyBatch(p *plan, st *state, setup []string) ([]string, [][]any) {
	query := append(slicesClone(setup), sqlInsert)
	args := make([][]any, len(query))
	args[len(args)-1] = []any{p.hash, time.Now().UnixMilli(), p.Version}
	if p.drops != "" && !r.opts.AllowCascade {
		q, a := guard(p.hash, p.drops, st.tables)
		query = append(query, q...)
		args = append(args, a...)
	}
	query = append(query, p.stmt)
	args = append(args, nil)
	return query, args
}

// nextDrops reports whether the next pending migration after plans[i] drops
// a table under the guard, so that the batch of plans[i] should list the
// tables as they are after it.
func (r *Runner) nextDrops(i int, st *state) bool {
	if r.opts.AllowCascade {
		return false
	}
	for j := i + 1; j < len(r.plans); j++ {
		if p := &r.plans[j]; !st.applied(p) {
			return p.drops != ""
		}
	}
	return false
}

// afterFailure reads the state again after p's batch failed with err, and
// tells whether another runner applied p (skipped), whether trying again may
// succeed (retry), or what to return instead of an [ApplyError].
func (r *Runner) afterFailure(ctx context.Context, p *plan, err error, stp **state) (skipped, retry bool, _ error) {
	st, rerr := r.readState(ctx, true)
	if rerr != nil {
		return false, false, &ApplyError{Migration: p.entry(), Err: errors.Join(err, rerr), Unconfirmed: true}
	}
	*stp = st
	if st.applied(p) {
		return true, false, nil
	}
	if rec, ok := st.drift(p); ok {
		return false, false, &DriftError{Drifted: []Drift{{Entry: p.entry(), Recorded: rec.Hash, Hash: p.hash}}}
	}
	if isGuardFailure(err) {
		refs, rerr := r.references(ctx, p.drops, st.tables)
		if rerr == nil && len(refs) > 0 {
			return false, false, &CascadeError{Migration: p.entry(), Table: p.drops, References: refs}
		}
		return false, true, nil // the references went away meanwhile
	}
	var e *d1.Error
	busy := errors.As(err, &e) && (e.Primary == d1.ResultBusy || e.Primary == d1.ResultLocked)
	return false, busy || d1.IsRetryable(err), nil
}

// drifted returns the migrations whose version is recorded with another
// hash.
func (r *Runner) drifted(st *state) []Drift {
	var ds []Drift
	for i := range r.plans {
		p := &r.plans[i]
		if rec, ok := st.drift(p); ok {
			ds = append(ds, Drift{Entry: p.entry(), Recorded: rec.Hash, Hash: p.hash})
		}
	}
	return ds
}

// Status is the state of a database's migrations, each list in version
// order.
type Status struct {
	// Applied are the migrations whose hash is recorded.
	Applied []Entry
	// Pending are the migrations Run would apply.
	Pending []Entry
	// Drifted are the migrations whose version is recorded with another
	// hash; while there are any, Run refuses to apply anything.
	Drifted []Drift
	// Unknown are the records that match none of the runner's migrations,
	// in the order they were recorded: migrations applied by other code, or
	// since removed.
	Unknown []Record
}

// Status reports which migrations are applied, pending and drifted, without
// writing anything (a table drizzle created is read as it is). It makes at
// most two calls.
func (r *Runner) Status(ctx context.Context) (Status, error) {
	var s Status
	st, err := r.readState(ctx, false)
	if err != nil {
		return s, err
	}
	known := make(map[string]bool, 2*len(r.plans))
	for i := range r.plans {
		p := &r.plans[i]
		known[p.hash], known[p.rawHash] = true, true
		if rec, ok := st.drift(p); ok {
			s.Drifted = append(s.Drifted, Drift{Entry: p.entry(), Recorded: rec.Hash, Hash: p.hash})
		} else if st.applied(p) {
			s.Applied = append(s.Applied, p.entry())
		} else {
			s.Pending = append(s.Pending, p.entry())
		}
	}
	for _, rec := range st.records {
		if !known[rec.Hash] {
			s.Unknown = append(s.Unknown, rec)
		}
	}
	return s, nil
}

// batch prepares query, binds args[i] (when given) to query[i], and runs
// them as one batch: one call.
func (r *Runner) batch(ctx context.Context, query []string, args [][]any) ([]*d1.Result, error) {
	stmts := make([]*d1.Stmt, len(query))
	for i, q := range query {
		s, err := r.c.Prepare(q)
		if err != nil {
			return nil, err
		}
		if i < len(args) && args[i] != nil {
			s = s.Bind(args[i]...)
		}
		stmts[i] = s
	}
	return r.c.Batch(ctx, stmts...)
}

func names(res *d1.Result) []string {
	out := make([]string, 0, len(res.Rows))
	for _, row := range res.Rows {
		if s, ok := row[0].(string); ok {
			out = append(out, s)
		}
	}
	return out
}
