package schema_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
	"github.com/lunora-go/d1/migrate"
	"github.com/lunora-go/d1/schema"
)

func openLocal(tb testing.TB, path string) *local.DB {
	tb.Helper()
	db, err := local.Open(path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// master returns the type, name, table and SQL of every table and index in
// sqlite_master, by name, leaving out SQLite's own tables (sqlite_), D1's
// (_cf_) and the migration runner's tracking table.
func master(tb testing.TB, client *d1.Client) []string {
	tb.Helper()
	res, err := client.All(context.Background(), `SELECT type, name, tbl_name, sql FROM sqlite_master
		WHERE type IN ('table', 'index') AND tbl_name <> '__drizzle_migrations' AND substr(tbl_name, 1, 4) <> '_cf_' AND substr(tbl_name, 1, 7) <> 'sqlite_'
		ORDER BY name`)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, r := range res.Rows {
		out = append(out, fmt.Sprintf("%v %v on %v: %v", r[0], r[1], r[2], r[3]))
	}
	return out
}

// TestProvisionMatchesMigrations is the proof that the runtime and the
// migrations agree, on the local backend.
func TestProvisionMatchesMigrations(t *testing.T) {
	proveSameSchema(t, func(tb testing.TB) d1.Database { return openLocal(tb, "") })
}

// proveSameSchema is the proof on the databases open returns: across a
// sequence of schema changes (add a table, add fields, add a table with
// indexes, add an index and make a field unique, add a unique field, add a
// table with awkward names), one fresh database is provisioned at each step
// and another is migrated with the files that GenerateDir wrote for that
// step; after each step both hold the same SQL text for every table and
// index. A third database, migrated once at the end from the whole folder,
// holds it too. It returns the final sqlite_master.
func proveSameSchema(t *testing.T, open func(testing.TB) d1.Database) []string {
	ctx := context.Background()
	provisioned := d1.New(open(t))
	migratedDB := open(t)
	migrated := d1.New(migratedDB)
	dir := filepath.Join(t.TempDir(), "migrations")

	for i, st := range steps() {
		changes, err := schema.Provision(ctx, provisioned, st.schema.Tables)
		if err != nil {
			t.Fatalf("step %d (%s): Provision: %v", i, st.name, err)
		}
		if got := sqlOf(changes); !slices.Equal(got, st.want) {
			t.Errorf("step %d (%s): Provision ran\n%s\nwant\n%s", i, st.name, strings.Join(got, "\n"), strings.Join(st.want, "\n"))
		}

		files, err := schema.GenerateDir(dir, st.schema, schema.GenerateOptions{Name: fmt.Sprintf("step_%d", i)})
		if err != nil {
			t.Fatalf("step %d: GenerateDir: %v", i, err)
		}
		if got, want := len(files), len(st.want)+1; got != want {
			t.Fatalf("step %d: GenerateDir wrote %d files, want %d", i, got, want)
		}
		ms, err := migrate.Load(os.DirFS(dir), ".")
		if err != nil {
			t.Fatalf("step %d: Load: %v", i, err)
		}
		r, err := migrate.New(migratedDB, ms)
		if err != nil {
			t.Fatalf("step %d: migrate.New: %v", i, err)
		}
		res, err := r.Run(ctx)
		if err != nil {
			t.Fatalf("step %d: Run: %v", i, err)
		}
		if got, want := len(res.Applied), len(st.want); got != want {
			t.Errorf("step %d: applied %d migrations, want %d", i, got, want)
		}

		p, m := master(t, provisioned), master(t, migrated)
		if !slices.Equal(p, m) {
			t.Fatalf("step %d (%s): sqlite_master differs\nprovisioned:\n%s\nmigrated:\n%s", i, st.name, strings.Join(p, "\n"), strings.Join(m, "\n"))
		}
		if len(p) == 0 {
			t.Fatalf("step %d: sqlite_master is empty", i)
		}
	}

	// The folder applied in one go to a fresh database builds the same.
	fresh := open(t)
	ms, err := migrate.Load(os.DirFS(dir), ".")
	if err != nil {
		t.Fatal(err)
	}
	r, err := migrate.New(fresh, ms)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(ctx); err != nil {
		t.Fatal(err)
	}
	last := master(t, provisioned)
	if f := master(t, d1.New(fresh)); !slices.Equal(last, f) {
		t.Fatalf("sqlite_master differs\nprovisioned:\n%s\nmigrated at once:\n%s", strings.Join(last, "\n"), strings.Join(f, "\n"))
	}

	// What the tables look like in the end, as SQLite keeps them.
	want := []string{
		`table users on users: CREATE TABLE "users" ("id" TEXT PRIMARY KEY, "_creationTime" REAL NOT NULL, "_version" INTEGER NOT NULL DEFAULT 0, "name" TEXT NOT NULL, "email" TEXT, "age" REAL NOT NULL DEFAULT 0, "avatar" BLOB, "admin" INTEGER NOT NULL DEFAULT 0, "bio" TEXT, "handle" TEXT NOT NULL DEFAULT '')`,
		`index users_by_name on users: CREATE INDEX "users_by_name" ON "users" ("name")`,
		`index posts_slug_unique on posts: CREATE UNIQUE INDEX "posts_slug_unique" ON "posts" ("slug")`,
	}
	for _, w := range want {
		if !slices.Contains(last, w) {
			t.Errorf("sqlite_master lacks\n%s\nit holds:\n%s", w, strings.Join(last, "\n"))
		}
	}
	return last
}

func TestProvisionIdempotent(t *testing.T) {
	ctx := context.Background()
	client := d1.New(openLocal(t, ""))
	last := steps()[len(steps())-1].schema
	first, err := schema.Provision(ctx, client, last.Tables)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) == 0 {
		t.Fatal("first Provision made no changes")
	}
	for _, c := range first {
		if c.Op == schema.AddColumn {
			t.Errorf("a fresh database got %s; want every field in CREATE TABLE", c)
		}
	}
	before := master(t, client)
	again, err := schema.Provision(ctx, client, last.Tables)
	if err != nil || len(again) != 0 {
		t.Fatalf("second Provision = %v, %v; want no changes", again, err)
	}
	if after := master(t, client); !slices.Equal(before, after) {
		t.Errorf("second Provision changed sqlite_master")
	}
	// Data goes in and out of a provisioned table as its columns say.
	if _, err := client.Run(ctx, `INSERT INTO "users" ("id", "_creationTime", "name", "age", "admin", "handle") VALUES (?, ?, ?, ?, ?, ?)`,
		"u1", 1700000000000.5, "Ada", 36, true, "ada"); err != nil {
		t.Fatal(err)
	}
	row, err := client.First(ctx, `SELECT typeof("age") AS a, typeof("admin") AS b, "_version" AS v, typeof("_creationTime") AS c FROM "users"`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := row.Values, []any{"real", "integer", int64(0), "real"}; !slices.Equal(got, want) {
		t.Errorf("stored types = %v, want %v", got, want)
	}
	_, err = client.Run(ctx, `INSERT INTO "users" ("id", "_creationTime", "name", "age", "admin", "handle") VALUES ('u2', 1, 'B', 1, 0, 'ada')`)
	if !d1.IsUniqueViolation(err) {
		t.Errorf("a second handle 'ada' = %v, want a unique violation", err)
	}
}

func TestProvisionNeverDrops(t *testing.T) {
	ctx := context.Background()
	client := d1.New(openLocal(t, ""))
	old, new := unsafeSchemas()
	if _, err := schema.Provision(ctx, client, old.Tables); err != nil {
		t.Fatal(err)
	}
	before := master(t, client)
	changes, err := schema.Provision(ctx, client, new.Tables)
	if err != nil {
		t.Fatal(err)
	}
	// Only the new column d; column c, the old index and b's type stay.
	if got, want := sqlOf(changes), []string{`ALTER TABLE "t" ADD COLUMN "d" TEXT`}; !slices.Equal(got, want) {
		t.Errorf("Provision ran %q, want %q", got, want)
	}
	after := strings.Join(master(t, client), "\n")
	for _, kept := range []string{`"b" REAL NOT NULL, "c" TEXT NOT NULL, "d" TEXT)`, `CREATE INDEX "t_by_a" ON "t" ("a")`} {
		if !strings.Contains(after, kept) {
			t.Errorf("after provisioning, sqlite_master lacks %s:\n%s\nbefore it was:\n%s", kept, after, strings.Join(before, "\n"))
		}
	}
}

func TestProvisionForeignTable(t *testing.T) {
	ctx := context.Background()
	client := d1.New(openLocal(t, ""))
	if _, err := client.Run(ctx, `CREATE TABLE "users" (id INTEGER PRIMARY KEY, name TEXT)`); err != nil {
		t.Fatal(err)
	}
	_, err := schema.Provision(ctx, client, steps()[0].schema.Tables)
	if err == nil || !strings.Contains(err.Error(), `table "users": a table of this name exists without the column "_creationTime"`) {
		t.Fatalf("Provision over a foreign table = %v, want an error naming the missing column", err)
	}
	var se *schema.Error
	if !errors.As(err, &se) || se.Table != "users" {
		t.Errorf("Provision error %v is not a *schema.Error for table users", err)
	}
}

func TestProvisionView(t *testing.T) {
	ctx := context.Background()
	client := d1.New(openLocal(t, ""))
	if _, err := client.Run(ctx, `CREATE VIEW "users" AS SELECT 1 AS x`); err != nil {
		t.Fatal(err)
	}
	_, err := schema.Provision(ctx, client, steps()[0].schema.Tables)
	if !errors.Is(err, schema.ErrDuplicateName) || !strings.Contains(err.Error(), `table "users": the database has a view of this name`) {
		t.Fatalf("Provision over a view = %v, want an error naming the view", err)
	}
}

func TestProvisionIndexInTheWay(t *testing.T) {
	ctx := context.Background()
	client := d1.New(openLocal(t, ""))
	if _, err := client.Run(ctx, `CREATE TABLE other (a)`); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Run(ctx, `CREATE INDEX "users" ON other (a)`); err != nil {
		t.Fatal(err)
	}
	_, err := schema.Provision(ctx, client, steps()[0].schema.Tables)
	if err == nil || !strings.Contains(err.Error(), `schema: provision: create table "users": D1_ERROR: there is already an index named users`) {
		t.Fatalf("Provision with an index named like the table = %v, want D1's error", err)
	}
}

func TestProvisionAddsVersionColumn(t *testing.T) {
	ctx := context.Background()
	client := d1.New(openLocal(t, ""))
	if _, err := client.Run(ctx, `CREATE TABLE "users" ("id" TEXT PRIMARY KEY, "_creationTime" REAL NOT NULL, "name" TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	changes, err := schema.Provision(ctx, client, steps()[0].schema.Tables)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`ALTER TABLE "users" ADD COLUMN "_version" INTEGER NOT NULL DEFAULT 0`, `ALTER TABLE "users" ADD COLUMN "email" TEXT`}
	if got := sqlOf(changes); !slices.Equal(got, want) {
		t.Errorf("Provision ran %q, want %q", got, want)
	}
}

func TestProvisionInvalid(t *testing.T) {
	client := d1.New(openLocal(t, ""))
	_, err := schema.Provision(context.Background(), client, []schema.Table{{Name: "t", Fields: fields(98)}})
	if !errors.Is(err, schema.ErrTooManyColumns) {
		t.Errorf("Provision(98 fields) = %v, want ErrTooManyColumns", err)
	}
}

// The local backend itself refuses a 101st column, so the limit that
// Validate applies before is the real one.
func TestMaxFieldsIsD1Limit(t *testing.T) {
	ctx := context.Background()
	client := d1.New(openLocal(t, ""))
	if _, err := schema.Provision(ctx, client, []schema.Table{{Name: "wide", Fields: fields(schema.MaxFields)}}); err != nil {
		t.Fatalf("Provision(%d fields): %v", schema.MaxFields, err)
	}
	_, err := client.Run(ctx, `ALTER TABLE "wide" ADD COLUMN "one_more" TEXT`)
	if err == nil {
		t.Fatal("a 101st column was accepted")
	}
}

// TestProvisionConcurrent provisions from several goroutines over two
// handles of one database file, as two processes starting at once would,
// through every step of the sequence. Each must succeed and the database
// must end as one provisioning alone leaves it.
func TestProvisionConcurrent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.sqlite")
	clients := []*d1.Client{d1.New(openLocal(t, path)), d1.New(openLocal(t, path))}
	alone := d1.New(openLocal(t, ""))
	for i, st := range steps() {
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for g := range errs {
			wg.Go(func() {
				_, errs[g] = schema.Provision(ctx, clients[g%len(clients)], st.schema.Tables)
			})
		}
		wg.Wait()
		for g, err := range errs {
			if err != nil {
				t.Fatalf("step %d, provisioner %d: %v", i, g, err)
			}
		}
		if _, err := schema.Provision(ctx, alone, st.schema.Tables); err != nil {
			t.Fatal(err)
		}
		if got, want := master(t, clients[0]), master(t, alone); !slices.Equal(got, want) {
			t.Fatalf("step %d: concurrent provisioning left\n%s\nwant\n%s", i, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestProvisionRace makes two processes (two handles of one database file)
// read the schema before either applies its changes, so both try to add the
// same columns: one batch wins, the other fails with "duplicate column name",
// reads again and finds nothing left to do.
func TestProvisionRace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "race.sqlite")
	st := steps()
	if _, err := schema.Provision(ctx, d1.New(openLocal(t, path)), st[0].schema.Tables); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 4} {
		prev, next := st[n-1], st[n]
		t.Run(next.name, func(t *testing.T) {
			// Each client's first schema change waits until both have one.
			var ready sync.WaitGroup
			ready.Add(2)
			client := func() *d1.Client {
				var once sync.Once
				hook := func(h d1.Handler) d1.Handler {
					return func(ctx context.Context, call *d1.Call) error {
						if call.Op == d1.OpBatch && strings.HasPrefix(call.Statements[0].SQL, "ALTER TABLE") {
							once.Do(func() { ready.Done(); ready.Wait() })
						}
						return h(ctx, call)
					}
				}
				return d1.NewWithOptions(openLocal(t, path), d1.Options{Hooks: []d1.Hook{hook}})
			}
			a, b := client(), client()
			// Bring the file to the step before, so both see the same gap.
			if _, err := schema.Provision(ctx, d1.New(openLocal(t, path)), prev.schema.Tables); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			var changes [2][]schema.Change
			var errs [2]error
			for i, c := range []*d1.Client{a, b} {
				wg.Go(func() { changes[i], errs[i] = schema.Provision(ctx, c, next.schema.Tables) })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("provisioner %d: %v", i, err)
				}
			}
			// One made the changes; the other lost the race and made none.
			if n0, n1 := len(changes[0]), len(changes[1]); min(n0, n1) != 0 || max(n0, n1) != len(next.want) {
				t.Errorf("the provisioners made %d and %d changes; want %d and 0", n0, n1, len(next.want))
			}
			alone := d1.New(openLocal(t, ""))
			for _, s := range st[:n+1] {
				if _, err := schema.Provision(ctx, alone, s.schema.Tables); err != nil {
					t.Fatal(err)
				}
			}
			if got, want := master(t, a), master(t, alone); !slices.Equal(got, want) {
				t.Errorf("after the race:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
