package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/migrate"
	"github.com/lunora-go/d1/schema"
)

// migrationFiles is a loaded migrations folder.
type migrationFiles struct {
	dir    string
	ms     []migrate.Migration
	files  map[int64]string // version to file name, when not split
	unsafe []string         // names of unsafe changes waiting (*.sql.unsafe)
}

// label names a migration for people: its file name without .sql, or its
// version and name when it is a part of a split file.
func (f *migrationFiles) label(e migrate.Entry) string {
	if n, ok := f.files[e.Version]; ok {
		return strings.TrimSuffix(n, filepath.Ext(n))
	}
	return e.String()
}

func (f *migrationFiles) file(e migrate.Entry) string { return f.files[e.Version] }

var migrationName = regexp.MustCompile(`^([0-9]+)_.+\.(?i:sql)(\.unsafe)?$`)

// loadMigrations reads the migrations folder. An invalid migration is an
// error with exit code 3.
func (a *app) loadMigrations(p *project, split bool) (*migrationFiles, error) {
	dir, err := a.migrationsDir(p)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("there is no migrations folder at %s: create the first migration with "+
			"lunora-d1 migrate new NAME, or name the folder with --migrations DIR (or migrations_dir in the wrangler configuration)", a.rel(dir)+string(filepath.Separator))
	}
	ms, err := migrate.LoadWithOptions(os.DirFS(dir), ".", migrate.LoadOptions{Split: split})
	if err != nil {
		msg := strings.ReplaceAll(err.Error(), "LoadOptions{Split: true}", "--split")
		return nil, withCode(exitDrift, fmt.Errorf("%s: %s", a.rel(dir), msg))
	}
	f := &migrationFiles{dir: dir, ms: ms, files: map[int64]string{}}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil || e.IsDir() {
			continue
		}
		if m[2] != "" {
			f.unsafe = append(f.unsafe, e.Name())
			continue
		}
		if v, err := strconv.ParseInt(m[1], 10, 64); err == nil && !split {
			f.files[v] = e.Name()
		}
	}
	return f, nil
}

// warnUnsafe tells people about unsafe changes waiting in the folder.
func (a *app) warnUnsafe(f *migrationFiles) {
	if len(f.unsafe) == 0 || a.common.json {
		return
	}
	fmt.Fprintf(a.stderr, "note: %s not applied, waiting for you to review: %s (uncomment the statement and drop the .unsafe suffix to apply one)\n",
		plural(len(f.unsafe), "unsafe change is", "unsafe changes are"), strings.Join(f.unsafe, ", "))
}

// jsonEntry is a migration in --json output.
type jsonEntry struct {
	Version    int64    `json:"version"`
	Name       string   `json:"name"`
	File       string   `json:"file,omitempty"`
	State      string   `json:"state,omitempty"`
	Hash       string   `json:"hash,omitempty"`
	Recorded   string   `json:"recorded_hash,omitempty"`
	DurationMS *float64 `json:"duration_ms,omitempty"`
}

func (f *migrationFiles) jsonEntries(es []migrate.Entry) []jsonEntry {
	out := make([]jsonEntry, len(es))
	for i, e := range es {
		out[i] = jsonEntry{Version: e.Version, Name: e.Name, File: f.file(e)}
	}
	return out
}

var cmdMigrateNew = &command{
	name:    "migrate new",
	args:    "NAME",
	summary: "create the next numbered migration file",
	help: `Creates <version>_NAME.sql in the migrations folder, numbered after the highest
version there (0001, 0002, ...; unsafe changes' .sql.unsafe files count too), with
a comment to replace by one SQL statement. NAME is ASCII letters, digits, _ and -.

Each migration holds one statement, which migrate apply runs in one batch with its
record in __drizzle_migrations: applied whole or not at all. D1 has no other
transactions, so a statement per file is what makes a failed migration harmless.

Examples:
  lunora-d1 migrate new create_users
  lunora-d1 migrate new add_email_to_users --migrations db/migrations`,
	run: runMigrateNew,
}

var validName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func runMigrateNew(_ context.Context, a *app, _ *cmdFlags, args []string) error {
	if len(args) != 1 {
		return usageErrorf("migrate new needs one NAME, such as lunora-d1 migrate new create_users")
	}
	name := args[0]
	if !validName.MatchString(name) {
		return usageErrorf("migration name %q: use ASCII letters, digits, _ and -, such as %s", name,
			strings.Trim(regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(name, "_"), "_"))
	}
	p, err := a.project()
	if err != nil {
		return err
	}
	dir, err := a.migrationsDir(p)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var next int64 = 1
	for _, e := range entries {
		if m := migrationName.FindStringSubmatch(e.Name()); m != nil {
			v, err := strconv.ParseInt(m[1], 10, 64)
			if err != nil || v >= d1.MaxSafeInteger {
				return fmt.Errorf("%s: version %s is too large to follow", filepath.Join(a.rel(dir), e.Name()), m[1])
			}
			next = max(next, v+1)
		}
	}
	file := fmt.Sprintf("%04d_%s.sql", next, name)
	path := filepath.Join(dir, file)
	text := fmt.Sprintf(`-- Migration %s: replace this comment with one SQL statement, such as
--   CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
-- lunora-d1 migrate apply runs it once, in one batch with its record, so it is
-- applied whole or not at all. Put each further statement in a migration of its own
-- (lunora-d1 migrate new NAME). Once applied, do not edit this file: migrate verify
-- reports an edited migration as drift.
`, strings.TrimSuffix(file, ".sql"))
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := fh.WriteString(text); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Close(); err != nil {
		return err
	}
	if a.common.json {
		return a.writeJSON(a.stdout, map[string]any{"file": path, "version": next, "name": name})
	}
	fmt.Fprintf(a.stdout, "created %s: write its SQL statement, then run lunora-d1 migrate apply\n", a.rel(path))
	return nil
}

func applyFlags(fs *flag.FlagSet, o *cmdFlags) {
	fs.BoolVar(&o.split, "split", false, "load files of several statements as one migration per statement\n"+
		"(each version becomes version*100+i: load a folder always the same way)")
}

var cmdMigrateApply = &command{
	name:     "migrate apply",
	summary:  "apply the pending migrations",
	database: true,
	help: `Applies the migrations of the migrations folder that the database has not applied,
in version order, printing a line for each and a summary. Each migration is applied
in one batch with its record in __drizzle_migrations (drizzle's table, with a
version column added), so it is applied whole or not at all. Migrations already
applied are skipped; running apply twice is harmless, and several runs at once
apply each migration once.

apply stops, applying nothing, when an applied migration's file has changed since
(exit code 3: restore the file and put the change in a new migration), and stops at
the first migration D1 refuses (exit code 1: the ones before it stay applied).
A migration that drops a table which other tables reference with ON DELETE CASCADE
(or SET NULL, SET DEFAULT) is refused: on D1, dropping it deletes or changes their
rows. --allow-cascade lets it.

lunora-d1 records migrations in __drizzle_migrations, not in wrangler's
d1_migrations: apply a database's migrations with one tool only.

Examples:
  lunora-d1 migrate apply
  lunora-d1 migrate apply --db ./test.sqlite --migrations db/migrations
  lunora-d1 migrate apply --remote --database my-db
  lunora-d1 migrate apply --bridge https://bridge.example.workers.dev --json`,
	flags: func(fs *flag.FlagSet, o *cmdFlags) {
		applyFlags(fs, o)
		fs.BoolVar(&o.allowCascade, "allow-cascade", false, "apply migrations that drop tables other tables reference with\n"+
			"ON DELETE CASCADE, SET NULL or SET DEFAULT, losing or changing their rows")
	},
	run: runMigrateApply,
}

func runMigrateApply(ctx context.Context, a *app, o *cmdFlags, _ []string) error {
	start := time.Now()
	p, err := a.project()
	if err != nil {
		return err
	}
	f, err := a.loadMigrations(p, o.split)
	if err != nil {
		return err
	}
	t, err := a.openTarget(p, false)
	if err != nil {
		return err
	}
	defer t.close()
	a.warnUnsafe(f)

	// A hook sees each migration's batch: the record's INSERT binds the
	// migration's hash.
	byHash := make(map[string]migrate.Entry, len(f.ms))
	for _, m := range f.ms {
		byHash[m.Hash()] = migrate.Entry{Version: m.Version, Name: m.Name}
	}
	durations := map[int64]float64{}
	progress := func(next d1.Handler) d1.Handler {
		return func(ctx context.Context, call *d1.Call) error {
			began := time.Now()
			err := next(ctx, call)
			if err != nil || call.Op != d1.OpBatch {
				return err
			}
			for _, st := range call.Statements {
				if len(st.Args) == 0 {
					continue
				}
				h, _ := st.Args[0].(string)
				if e, ok := byHash[h]; ok {
					ms := float64(time.Since(began).Microseconds()) / 1000
					durations[e.Version] = ms
					if !a.common.json {
						fmt.Fprintf(a.stdout, "  applied %s (%s)\n", f.label(e), formatMS(ms))
					}
					break
				}
			}
			return nil
		}
	}
	client := d1.NewWithOptions(t.db, d1.Options{StatementCacheSize: -1, Hooks: []d1.Hook{progress}})
	r, err := migrate.NewWithOptions(client, f.ms, migrate.Options{AllowCascade: o.allowCascade})
	if err != nil {
		return withCode(exitDrift, err)
	}
	if !a.common.json {
		fmt.Fprintf(a.stdout, "migrations in %s (%d), database %s\n", a.rel(f.dir)+string(filepath.Separator), len(f.ms), t.desc)
	}
	res, runErr := r.Run(ctx)
	total := float64(time.Since(start).Microseconds()) / 1000
	if a.common.json {
		out := struct {
			Dir        string      `json:"dir"`
			Target     string      `json:"target"`
			Applied    []jsonEntry `json:"applied"`
			Skipped    []jsonEntry `json:"skipped"`
			DurationMS float64     `json:"duration_ms"`
		}{f.dir, t.desc, f.jsonEntries(res.Applied), f.jsonEntries(res.Skipped), total}
		for i := range out.Applied {
			if d, ok := durations[out.Applied[i].Version]; ok {
				out.Applied[i].DurationMS = &d
			}
		}
		if err := a.writeJSON(a.stdout, out); err != nil {
			return err
		}
	} else {
		switch {
		case runErr != nil:
			fmt.Fprintf(a.stdout, "stopped: %d applied, %d already applied, in %s\n", len(res.Applied), len(res.Skipped), formatMS(total))
		case len(res.Applied) == 0:
			fmt.Fprintf(a.stdout, "nothing to apply: %s already applied (%s)\n",
				plural(len(res.Skipped), "migration", "migrations"), formatMS(total))
		default:
			fmt.Fprintf(a.stdout, "%d applied, %d already applied, in %s\n", len(res.Applied), len(res.Skipped), formatMS(total))
		}
	}
	return migrateError(runErr)
}

// migrateError gives the runner's errors their exit codes.
func migrateError(err error) error {
	var de *migrate.DriftError
	if errors.As(err, &de) {
		return withCode(exitDrift, err)
	}
	var ce *migrate.CascadeError
	if errors.As(err, &ce) {
		// Name the flag, not the Go option.
		return withCode(exitError, errors.New(strings.Replace(err.Error(), "set Options.AllowCascade", "pass --allow-cascade", 1)))
	}
	return err
}

var cmdMigrateStatus = &command{
	name:     "migrate status",
	summary:  "list applied, pending and changed migrations",
	database: true,
	help: `Lists the migrations of the migrations folder with their state in the database:
applied, pending, or DRIFTED (applied, but the file changed since), and records in
the database that match no file (unknown). It only reads: a local database file
that does not exist is not created. Exit code 3 when a migration drifted or the
folder is invalid.

Examples:
  lunora-d1 migrate status
  lunora-d1 migrate status --remote --database my-db --json`,
	flags: applyFlags,
	run:   runMigrateStatus,
}

// readStatus loads the folder and reads the database's state.
func (a *app) readStatus(ctx context.Context, o *cmdFlags) (*migrationFiles, *target, migrate.Status, error) {
	var st migrate.Status
	p, err := a.project()
	if err != nil {
		return nil, nil, st, err
	}
	f, err := a.loadMigrations(p, o.split)
	if err != nil {
		return nil, nil, st, err
	}
	t, err := a.openTarget(p, true)
	if err != nil {
		return nil, nil, st, err
	}
	defer t.close()
	r, err := migrate.New(t.db, f.ms)
	if err != nil {
		return nil, nil, st, withCode(exitDrift, err)
	}
	st, err = r.Status(ctx)
	return f, t, st, err
}

// statusEntries merges a status into one list in version order.
func statusEntries(f *migrationFiles, st migrate.Status) []jsonEntry {
	hash := map[int64]string{}
	for _, m := range f.ms {
		hash[m.Version] = m.Hash()
	}
	var out []jsonEntry
	add := func(es []migrate.Entry, state string) {
		for _, e := range es {
			out = append(out, jsonEntry{Version: e.Version, Name: e.Name, File: f.file(e), State: state, Hash: hash[e.Version]})
		}
	}
	add(st.Applied, "applied")
	add(st.Pending, "pending")
	for _, d := range st.Drifted {
		out = append(out, jsonEntry{Version: d.Version, Name: d.Name, File: f.file(d.Entry), State: "drifted", Hash: d.Hash, Recorded: d.Recorded})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out
}

func jsonUnknown(rs []migrate.Record) []map[string]any {
	out := []map[string]any{}
	for _, r := range rs {
		m := map[string]any{"hash": r.Hash, "created_at": r.CreatedAt}
		if r.Versioned {
			m["version"] = r.Version
		}
		out = append(out, m)
	}
	return out
}

func (a *app) printStatus(f *migrationFiles, st migrate.Status) {
	for _, e := range statusEntries(f, st) {
		label := f.label(migrate.Entry{Version: e.Version, Name: e.Name})
		switch e.State {
		case "drifted":
			fmt.Fprintf(a.stdout, "  DRIFTED  %s: applied with hash %.12s…, the file now hashes to %.12s…\n", label, e.Recorded, e.Hash)
		default:
			fmt.Fprintf(a.stdout, "  %-8s %s\n", e.State, label)
		}
	}
	for _, r := range st.Unknown {
		v := "no version"
		if r.Versioned {
			v = "version " + strconv.FormatInt(r.Version, 10)
		}
		fmt.Fprintf(a.stdout, "  unknown  %s, hash %.12s…: recorded in the database, matching no file\n", v, r.Hash)
	}
}

func statusCounts(st migrate.Status) string {
	parts := []string{
		fmt.Sprintf("%d applied", len(st.Applied)),
		fmt.Sprintf("%d pending", len(st.Pending)),
		fmt.Sprintf("%d drifted", len(st.Drifted)),
	}
	if len(st.Unknown) > 0 {
		parts = append(parts, fmt.Sprintf("%d unknown", len(st.Unknown)))
	}
	return strings.Join(parts, ", ")
}

func runMigrateStatus(ctx context.Context, a *app, o *cmdFlags, _ []string) error {
	f, t, st, err := a.readStatus(ctx, o)
	if err != nil {
		return err
	}
	if a.common.json {
		err = a.writeJSON(a.stdout, map[string]any{
			"dir": f.dir, "target": t.desc,
			"migrations": statusEntries(f, st), "unknown": jsonUnknown(st.Unknown),
			"applied": len(st.Applied), "pending": len(st.Pending), "drifted": len(st.Drifted),
		})
	} else {
		a.warnUnsafe(f)
		fmt.Fprintf(a.stdout, "migrations in %s (%d), database %s\n", a.rel(f.dir)+string(filepath.Separator), len(f.ms), t.desc)
		a.printStatus(f, st)
		fmt.Fprintln(a.stdout, statusCounts(st))
	}
	if err != nil {
		return err
	}
	if len(st.Drifted) > 0 {
		return withCode(exitDrift, &migrate.DriftError{Drifted: st.Drifted})
	}
	return nil
}

var cmdMigrateVerify = &command{
	name:     "migrate verify",
	summary:  "check migrations and drift without writing (for CI)",
	database: true,
	help: `Checks, without writing anything, that the migrations folder is valid (every file
named <version>_<name>.sql holds exactly one statement that the SQL lexer can split,
no BEGIN/COMMIT/SAVEPOINT, no two files of one version or of identical SQL) and that
no applied migration has changed since (drift: its SHA-256 differs from the one the
database recorded). Prints each migration's state and hash with --json.

Exit codes: 0 ok, 3 invalid or drifted, 4 pending with --fail-pending.
--files-only checks the folder without a database, for CI jobs that have none.

Examples:
  lunora-d1 migrate verify --files-only                      # on every pull request
  lunora-d1 migrate verify --remote --database my-db         # before deploying
  lunora-d1 migrate verify --remote --fail-pending --json    # after deploying`,
	flags: func(fs *flag.FlagSet, o *cmdFlags) {
		applyFlags(fs, o)
		fs.BoolVar(&o.filesOnly, "files-only", false, "check the folder only, without reading a database")
		fs.BoolVar(&o.failPending, "fail-pending", false, "exit with code 4 when migrations are pending")
	},
	run: runMigrateVerify,
}

func runMigrateVerify(ctx context.Context, a *app, o *cmdFlags, _ []string) error {
	if o.filesOnly {
		if o.failPending {
			return usageErrorf("--fail-pending needs a database to compare with; leave out --files-only")
		}
		p, err := a.project()
		if err != nil {
			return err
		}
		f, err := a.loadMigrations(p, o.split)
		if err != nil {
			return err
		}
		if a.common.json {
			var es []jsonEntry
			for _, m := range f.ms {
				es = append(es, jsonEntry{Version: m.Version, Name: m.Name, File: f.file(migrate.Entry{Version: m.Version}), Hash: m.Hash()})
			}
			return a.writeJSON(a.stdout, map[string]any{"ok": true, "dir": f.dir, "migrations": es})
		}
		a.warnUnsafe(f)
		fmt.Fprintf(a.stdout, "ok: %s in %s, each one valid statement\n", plural(len(f.ms), "migration", "migrations"), a.rel(f.dir))
		return nil
	}
	f, t, st, err := a.readStatus(ctx, o)
	if err != nil {
		return err
	}
	ok := len(st.Drifted) == 0 && !(o.failPending && len(st.Pending) > 0)
	if a.common.json {
		if err := a.writeJSON(a.stdout, map[string]any{
			"ok": ok, "dir": f.dir, "target": t.desc,
			"migrations": statusEntries(f, st), "unknown": jsonUnknown(st.Unknown),
			"applied": len(st.Applied), "pending": len(st.Pending), "drifted": len(st.Drifted),
		}); err != nil {
			return err
		}
	} else {
		a.warnUnsafe(f)
		if !ok || len(st.Unknown) > 0 {
			a.printStatus(f, st)
		}
		verdict := "ok"
		if !ok {
			verdict = "FAILED"
		}
		fmt.Fprintf(a.stdout, "%s: %s in %s, each one valid statement; database %s: %s\n",
			verdict, plural(len(f.ms), "migration", "migrations"), a.rel(f.dir), t.desc, statusCounts(st))
	}
	switch {
	case len(st.Drifted) > 0:
		return withCode(exitDrift, &migrate.DriftError{Drifted: st.Drifted})
	case o.failPending && len(st.Pending) > 0:
		names := make([]string, len(st.Pending))
		for i, e := range st.Pending {
			names[i] = f.label(e)
		}
		return withCode(exitPending, fmt.Errorf("%s pending: %s; run lunora-d1 migrate apply",
			plural(len(st.Pending), "migration is", "migrations are"), strings.Join(names, ", ")))
	}
	return nil
}

var cmdMigrateGenerate = &command{
	name:    "migrate generate",
	args:    "NAME",
	summary: "write migrations for changes to the schema file",
	help: `Compares the schema file (JSON, as package schema saves it) with the snapshot that the
last generate left in the migrations folder (schema.snapshot.json), and writes one
migration per change, <version>_NAME.sql, one statement each, then the new snapshot.

Changes that lose data or need a table rebuild (dropping a table, column or index,
changing a column's type or nullability) are not written as SQL: each becomes
<version>_NAME.sql.unsafe, which explains the change and holds its statement as a
comment, and which migrate apply ignores. Review it; to apply it, uncomment the
statement and drop the .unsafe suffix. --unsafe writes drops as SQL directly.

Examples:
  lunora-d1 migrate generate add_users
  lunora-d1 migrate generate drop_legacy --schema db/schema.json --unsafe`,
	flags: func(fs *flag.FlagSet, o *cmdFlags) {
		fs.StringVar(&o.schema, "schema", "", "the schema `file` (default: schema.json next to the wrangler configuration)")
		fs.BoolVar(&o.unsafe, "unsafe", false, "write unsafe changes (drops, changed indexes) as SQL, not as .unsafe files")
	},
	run: runMigrateGenerate,
}

func runMigrateGenerate(_ context.Context, a *app, o *cmdFlags, args []string) error {
	if len(args) != 1 {
		return usageErrorf("migrate generate needs one NAME, such as lunora-d1 migrate generate add_users")
	}
	name := args[0]
	if !validName.MatchString(name) {
		return usageErrorf("migration name %q: use ASCII letters, digits, _ and -", name)
	}
	p, err := a.project()
	if err != nil {
		return err
	}
	dir, err := a.migrationsDir(p)
	if err != nil {
		return err
	}
	path := filepath.Join(p.dir, "schema.json")
	if o.schema != "" {
		path = a.abs(o.schema)
	}
	fh, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return usageErrorf("there is no schema file %s: write one (see package schema) or name it with --schema FILE", a.rel(path))
	} else if err != nil {
		return err
	}
	s, err := schema.Load(fh)
	fh.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", a.rel(path), err)
	}
	files, err := schema.GenerateDir(dir, s, schema.GenerateOptions{Name: name, AllowUnsafe: o.unsafe})
	if err != nil {
		return err
	}
	if a.common.json {
		out := []map[string]any{}
		for _, fl := range files {
			m := map[string]any{"file": filepath.Join(dir, fl.Name)}
			if fl.Change != nil {
				m["change"] = fl.Change.String()
				m["unsafe"] = fl.Change.Unsafe
				m["written_as_sql"] = strings.HasSuffix(fl.Name, ".sql")
				if fl.Change.Note != "" {
					m["note"] = fl.Change.Note
				}
			}
			out = append(out, m)
		}
		return a.writeJSON(a.stdout, map[string]any{"dir": dir, "files": out})
	}
	if len(files) == 0 {
		fmt.Fprintf(a.stdout, "%s matches the snapshot in %s: nothing to write\n", a.rel(path), a.rel(dir))
		return nil
	}
	held := 0
	for _, fl := range files {
		rel := a.rel(filepath.Join(dir, fl.Name))
		switch {
		case fl.Change == nil:
			fmt.Fprintf(a.stdout, "wrote %s\n", rel)
		case strings.HasSuffix(fl.Name, schema.UnsafeSuffix):
			held++
			fmt.Fprintf(a.stdout, "wrote %s: UNSAFE, not applied: %s: %s\n", rel, fl.Change, fl.Change.Note)
		default:
			fmt.Fprintf(a.stdout, "wrote %s: %s\n", rel, fl.Change)
		}
	}
	if held > 0 {
		fmt.Fprintf(a.stdout, "%s written as .unsafe files for you to review: to apply one, uncomment its statement and drop the .unsafe suffix\n",
			plural(held, "unsafe change", "unsafe changes"))
	}
	fmt.Fprintln(a.stdout, "next: lunora-d1 migrate apply")
	return nil
}
