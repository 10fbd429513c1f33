package migrate_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/migrate"
)

var ctx = context.Background()

func TestRunAppliesInVersionOrder(t *testing.T) { eachBackend(t, testRunAppliesInVersionOrder) }

func testRunAppliesInVersionOrder(t *testing.T, open opener) {
	db := open(t)
	ms := tableMigrations(5)
	slices.Reverse(ms) // the order given does not matter
	r := mustNew(t, db, ms)
	before := time.Now().UnixMilli()
	res, err := r.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(ms)
	if !sameEntries(res.Applied, entries(ms)) || len(res.Skipped) != 0 {
		t.Errorf("Run = %+v, want all applied", res)
	}
	if got, want := query(t, db, "SELECT version FROM log ORDER BY rowid"), []string{"3", "5"}; !slices.Equal(got, want) {
		t.Errorf("log = %q, want %q", got, want)
	}
	rows := query(t, db, "SELECT id, hash, version, typeof(version), created_at >= ? FROM __drizzle_migrations ORDER BY id", before)
	if len(rows) != 5 {
		t.Fatalf("tracking rows %q", rows)
	}
	for i, m := range ms {
		want := fmt.Sprintf("%d|%s|%d|integer|1", i+1, m.Hash(), m.Version)
		if rows[i] != want {
			t.Errorf("record %d = %q, want %q", i, rows[i], want)
		}
	}
}

func TestRunTwiceIsANoOp(t *testing.T) { eachBackend(t, testRunTwiceIsANoOp) }

func testRunTwiceIsANoOp(t *testing.T, open opener) {
	db := open(t)
	c := &counting{Database: db}
	ms := tableMigrations(6)
	r := mustNew(t, c, ms)
	if _, err := r.Run(ctx); err != nil {
		t.Fatal(err)
	}
	c.reset()
	res, err := r.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applied) != 0 || !sameEntries(res.Skipped, entries(ms)) {
		t.Errorf("second Run = %+v, want all skipped", res)
	}
	calls, sql, metas := c.reset()
	if calls > 2 {
		t.Errorf("no-op run made %d calls, want at most 2", calls)
	}
	for _, s := range sql {
		if !strings.HasPrefix(s, "SELECT ") {
			t.Errorf("no-op run ran %q", s)
		}
	}
	for _, m := range metas {
		if m.ChangedDB || m.RowsWritten != 0 || m.Changes != 0 {
			t.Errorf("no-op run wrote: %+v", m)
		}
	}
}

func TestRoundTrips(t *testing.T) { eachBackend(t, testRoundTrips) }

func testRoundTrips(t *testing.T, open opener) {
	tests := []struct {
		name     string
		setup    func(t *testing.T, db d1.Database) // before counting
		applied  int                                // migrations applied before
		total    int
		maxCalls int
	}{
		{name: "fresh, 1 pending", total: 1, maxCalls: 3},
		{name: "fresh, 10 pending", total: 10, maxCalls: 12},
		{name: "3 applied, 7 pending", applied: 3, total: 10, maxCalls: 9},
		{name: "10 applied, 0 pending", applied: 10, total: 10, maxCalls: 2},
		{name: "fresh, 0 migrations", total: 0, maxCalls: 2},
		{
			name: "drizzle table, 4 pending",
			setup: func(t *testing.T, db d1.Database) {
				mustExec(t, db, drizzleTable, "INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('old', 1)")
			},
			total: 4, maxCalls: 6,
		},
		{
			name: "drizzle table, 0 pending",
			setup: func(t *testing.T, db d1.Database) {
				mustExec(t, db, drizzleTable)
			},
			total: 0, maxCalls: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := open(t)
			if tt.setup != nil {
				tt.setup(t, db)
			}
			ms := tableMigrations(tt.total)[:tt.total]
			if tt.applied > 0 {
				if _, err := mustNew(t, db, ms[:tt.applied]).Run(ctx); err != nil {
					t.Fatal(err)
				}
			}
			c := &counting{Database: db}
			res, err := mustNew(t, c, ms).Run(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(res.Applied), tt.total-tt.applied; got != want {
				t.Errorf("applied %d, want %d", got, want)
			}
			calls, _, _ := c.reset()
			t.Logf("%d pending: %d calls", tt.total-tt.applied, calls)
			if calls > tt.maxCalls {
				t.Errorf("%d calls, want at most %d", calls, tt.maxCalls)
			}
		})
	}
}

func TestDrift(t *testing.T) { eachBackend(t, testDrift) }

func testDrift(t *testing.T, open opener) {
	db := open(t)
	ms := tableMigrations(4)
	if _, err := mustNew(t, db, ms[:3]).Run(ctx); err != nil {
		t.Fatal(err)
	}
	edited := slices.Clone(ms)
	edited[1].SQL = "CREATE TABLE t2 (id INTEGER PRIMARY KEY, name TEXT, extra TEXT);"
	r := mustNew(t, db, edited)

	st, err := r.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := migrate.Drift{Entry: migrate.Entry{Version: 2, Name: "table_2"}, Recorded: ms[1].Hash(), Hash: edited[1].Hash()}
	if len(st.Drifted) != 1 || st.Drifted[0] != want {
		t.Errorf("Status.Drifted = %+v, want [%+v]", st.Drifted, want)
	}

	res, err := r.Run(ctx)
	var de *migrate.DriftError
	if !errors.As(err, &de) {
		t.Fatalf("Run = %+v, %v; want a DriftError", res, err)
	}
	if len(de.Drifted) != 1 || de.Drifted[0] != want {
		t.Errorf("DriftError.Drifted = %+v", de.Drifted)
	}
	for _, s := range []string{`migration 2 "table_2"`, ms[1].Hash(), edited[1].Hash(), "nothing was applied", "new migration", "WHERE version IN (2)"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not contain %q", err, s)
		}
	}
	if len(res.Applied) != 0 {
		t.Errorf("applied %v despite drift", res.Applied)
	}
	if got := query(t, db, "SELECT name FROM sqlite_master WHERE name = 't4'"); len(got) != 0 {
		t.Error("migration 4 was applied despite drift")
	}
}

func TestRawHashIsAccepted(t *testing.T) { eachBackend(t, testRawHashIsAccepted) }

func testRawHashIsAccepted(t *testing.T, open opener) {
	db := open(t)
	m := migrate.Migration{Version: 1, Name: "crlf", SQL: "\uFEFFCREATE TABLE a (x);\r\n\r\n"}
	// Record the hash of the raw text, as drizzle would, by hand.
	mustExec(t, db, "CREATE TABLE a (x)")
	if _, err := mustNew(t, db, []migrate.Migration{{Version: 0, Name: "other", SQL: "CREATE TABLE b (x)"}}).Run(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d1.New(db).Run(ctx, "INSERT INTO __drizzle_migrations (hash, created_at, version) VALUES (?, 0, 1)", sha(m.SQL)); err != nil {
		t.Fatal(err)
	}
	r := mustNew(t, db, []migrate.Migration{{Version: 0, Name: "other", SQL: "CREATE TABLE b (x)"}, m})
	res, err := r.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applied) != 0 || len(res.Skipped) != 2 {
		t.Errorf("Run = %+v, want both skipped", res)
	}
	st, err := r.Status(ctx)
	if err != nil || len(st.Drifted) != 0 || len(st.Applied) != 2 {
		t.Errorf("Status = %+v, %v", st, err)
	}
}

func TestApplyIsAtomic(t *testing.T) { eachBackend(t, testApplyIsAtomic) }

func testApplyIsAtomic(t *testing.T, open opener) {
	db := open(t)
	ms := []migrate.Migration{
		{Version: 1, Name: "users", SQL: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE)"},
		{Version: 2, Name: "seed", SQL: "INSERT INTO users (email) VALUES ('a@x'), ('b@x'), ('a@x')"},
		{Version: 3, Name: "later", SQL: "CREATE TABLE later (x)"},
	}
	r := mustNew(t, db, ms)
	res, err := r.Run(ctx)
	var ae *migrate.ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("Run = %+v, %v; want an ApplyError", res, err)
	}
	if got, want := ae.Migration, (migrate.Entry{Version: 2, Name: "seed"}); got != want {
		t.Errorf("ApplyError.Migration = %v, want %v", got, want)
	}
	if !d1.IsUniqueViolation(err) {
		t.Errorf("error %v does not unwrap to D1's unique violation", err)
	}
	for _, s := range []string{`migration 2 "seed"`, "neither it nor the migrations after it were applied", "fix it and run again", "UNIQUE constraint failed: users.email"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not contain %q", err, s)
		}
	}
	if !sameEntries(res.Applied, entries(ms[:1])) {
		t.Errorf("applied %v, want migration 1 only", res.Applied)
	}
	if got := query(t, db, "SELECT count(*) FROM users"); got[0] != "0" {
		t.Errorf("users holds %s rows: the failed migration half-applied", got[0])
	}
	if got := query(t, db, "SELECT version FROM __drizzle_migrations"); !slices.Equal(got, []string{"1"}) {
		t.Errorf("records %q, want only version 1", got)
	}
	if got := query(t, db, "SELECT name FROM sqlite_master WHERE name = 'later'"); len(got) != 0 {
		t.Error("the migration after the failure was applied")
	}

	// Fixed, the run goes on from where it stopped.
	ms[1].SQL = "INSERT INTO users (email) VALUES ('a@x'), ('b@x')"
	res, err = mustNew(t, db, ms).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !sameEntries(res.Applied, entries(ms[1:])) || !sameEntries(res.Skipped, entries(ms[:1])) {
		t.Errorf("Run after the fix = %+v", res)
	}
}

func TestSyntaxErrorIsD1s(t *testing.T) { eachBackend(t, testSyntaxErrorIsD1s) }

func testSyntaxErrorIsD1s(t *testing.T, open opener) {
	db := open(t)
	_, err := mustNew(t, db, []migrate.Migration{{Version: 7, Name: "typo", SQL: "CREAT TABLE x (a)"}}).Run(ctx)
	var de *d1.Error
	if !errors.As(err, &de) || !strings.Contains(err.Error(), `migration 7 "typo"`) || !strings.Contains(de.Message, "syntax error") {
		t.Fatalf("Run = %v; want D1's syntax error for migration 7", err)
	}
	// The tracking table was to be created in the same batch: it was not.
	if got := query(t, db, "SELECT count(*) FROM sqlite_master WHERE name = '__drizzle_migrations'"); got[0] != "0" {
		t.Error("the tracking table exists after a failed first migration")
	}
}

// drizzleTable is the tracking table drizzle-orm's migrator creates.
const drizzleTable = `CREATE TABLE IF NOT EXISTS __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`

func TestDrizzleTableIsUpgraded(t *testing.T) { eachBackend(t, testDrizzleTableIsUpgraded) }

func testDrizzleTableIsUpgraded(t *testing.T, open opener) {
	db := open(t)
	ms := tableMigrations(4)
	// Drizzle applied migrations 1 and 2, recording the hash of the file's
	// raw text, and one we do not know.
	ms[0].SQL = "CREATE TABLE log (version INTEGER NOT NULL);\r\n"
	mustExec(t, db, drizzleTable, ms[0].SQL[:len(ms[0].SQL)-2], ms[1].SQL)
	c := d1.New(db)
	for i, h := range []string{sha(ms[0].SQL), "unknown-hash", sha(ms[1].SQL)} {
		if _, err := c.Run(ctx, "INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)", h, 1700000000000+i); err != nil {
			t.Fatal(err)
		}
	}
	if got := query(t, db, "SELECT count(*) FROM __drizzle_migrations WHERE id IS NULL"); got[0] != "3" {
		t.Fatalf("drizzle's ids are not NULL here: %s", got[0])
	}

	r := mustNew(t, db, ms)
	st, err := r.Status(ctx) // reads the old table as it is
	if err != nil {
		t.Fatal(err)
	}
	if !sameEntries(st.Applied, entries(ms[:2])) || !sameEntries(st.Pending, entries(ms[2:])) ||
		len(st.Unknown) != 1 || st.Unknown[0].Hash != "unknown-hash" || st.Unknown[0].Versioned {
		t.Errorf("Status before the upgrade = %+v", st)
	}
	if got := query(t, db, "SELECT count(*) FROM pragma_table_info('__drizzle_migrations') WHERE name = 'version'"); got[0] != "0" {
		t.Fatal("Status changed the table")
	}

	res, err := r.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !sameEntries(res.Skipped, entries(ms[:2])) || !sameEntries(res.Applied, entries(ms[2:])) {
		t.Errorf("Run = %+v", res)
	}
	got := query(t, db, "SELECT id, hash, created_at, version FROM __drizzle_migrations ORDER BY id")
	want := []string{
		"1|" + sha(ms[0].SQL) + "|1700000000000|1",
		"2|unknown-hash|1700000000001|NULL",
		"3|" + sha(ms[1].SQL) + "|1700000000002|2",
	}
	if len(got) != 5 || !slices.Equal(got[:3], want) {
		t.Errorf("records after the upgrade:\n%s\nwant first\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	schema := query(t, db, "SELECT sql FROM sqlite_master WHERE tbl_name = '__drizzle_migrations' AND sql IS NOT NULL ORDER BY type DESC")
	if len(schema) != 2 || !strings.Contains(schema[0], "id INTEGER PRIMARY KEY AUTOINCREMENT, hash TEXT NOT NULL UNIQUE") ||
		!strings.Contains(schema[1], "UNIQUE INDEX") {
		t.Errorf("schema after the upgrade: %q", schema)
	}

	// Drizzle's migrator can still read and write the upgraded table.
	mustExec(t, db, drizzleTable, "INSERT INTO __drizzle_migrations (\"hash\", \"created_at\") VALUES ('from-drizzle', 1)")
	if got := query(t, db, "SELECT id, created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1"); len(got) != 1 {
		t.Errorf("drizzle's query: %q", got)
	}

	// Now drift is detected for migrations drizzle applied.
	edited := slices.Clone(ms)
	edited[1].SQL += " -- edited"
	if _, err := mustNew(t, db, edited).Run(ctx); !errors.As(err, new(*migrate.DriftError)) {
		t.Errorf("Run with an edited migration that drizzle applied: %v, want a DriftError", err)
	}
}

func TestDrizzleTableWithDuplicateHashes(t *testing.T) {
	eachBackend(t, testDrizzleTableWithDuplicateHashes)
}

func testDrizzleTableWithDuplicateHashes(t *testing.T, open opener) {
	db := open(t)
	mustExec(t, db, drizzleTable,
		"INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('same', 1), ('same', 2)")
	_, err := mustNew(t, db, tableMigrations(2)).Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "upgrading the table __drizzle_migrations that drizzle created") ||
		!d1.IsUniqueViolation(err) {
		t.Fatalf("Run = %v; want the upgrade's unique violation", err)
	}
	if got := query(t, db, "SELECT count(*) FROM __drizzle_migrations"); got[0] != "2" {
		t.Errorf("%s rows after a failed upgrade, want 2", got[0])
	}
}

func TestForeignTrackingTable(t *testing.T) { eachBackend(t, testForeignTrackingTable) }

func testForeignTrackingTable(t *testing.T, open opener) {
	db := open(t)
	mustExec(t, db, "CREATE TABLE __drizzle_migrations (a, b)")
	_, err := mustNew(t, db, tableMigrations(1)).Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "not a migrations table") {
		t.Fatalf("Run = %v", err)
	}
}

func TestStatus(t *testing.T) { eachBackend(t, testStatus) }

func testStatus(t *testing.T, open opener) {
	db := open(t)
	c := &counting{Database: db}
	ms := tableMigrations(5)
	r := mustNew(t, c, ms)

	st, err := r.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Applied) != 0 || !sameEntries(st.Pending, entries(ms)) {
		t.Errorf("Status of a fresh database = %+v", st)
	}
	if got := query(t, db, "SELECT count(*) FROM sqlite_master WHERE name = '__drizzle_migrations'"); got[0] != "0" {
		t.Error("Status created the tracking table")
	}

	if _, err := mustNew(t, db, append(slices.Clone(ms[:3]), migrate.Migration{Version: 9, Name: "gone", SQL: "CREATE TABLE gone (x)"})).Run(ctx); err != nil {
		t.Fatal(err)
	}
	c.reset()
	st, err = r.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !sameEntries(st.Applied, entries(ms[:3])) || !sameEntries(st.Pending, entries(ms[3:])) || len(st.Drifted) != 0 {
		t.Errorf("Status = %+v", st)
	}
	if len(st.Unknown) != 1 || st.Unknown[0].Version != 9 || !st.Unknown[0].Versioned || st.Unknown[0].Hash != migrate.Hash("CREATE TABLE gone (x)") {
		t.Errorf("Status.Unknown = %+v", st.Unknown)
	}
	calls, sql, _ := c.reset()
	if calls > 2 {
		t.Errorf("Status made %d calls", calls)
	}
	for _, s := range sql {
		if !strings.HasPrefix(s, "SELECT ") {
			t.Errorf("Status ran %q", s)
		}
	}
}

func TestRunWithClient(t *testing.T) { eachBackend(t, testRunWithClient) }

func testRunWithClient(t *testing.T, open opener) {
	db := open(t)
	c := d1.New(db)
	r, err := migrate.NewWithClient(c, tableMigrations(3))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := r.Run(ctx); err != nil || len(res.Applied) != 3 {
		t.Fatalf("Run = %+v, %v", res, err)
	}
	if rows := query(t, db, "SELECT count(*) FROM log"); rows[0] != "1" {
		t.Errorf("log rows %q", rows)
	}
}

func TestRunTriggerMigration(t *testing.T) { eachBackend(t, testRunTriggerMigration) }

func testRunTriggerMigration(t *testing.T, open opener) {
	db := open(t)
	ms := []migrate.Migration{
		{Version: 1, Name: "items", SQL: "CREATE TABLE items (id INTEGER PRIMARY KEY, qty INTEGER);"},
		{Version: 2, Name: "counts", SQL: "CREATE TABLE counts (name TEXT PRIMARY KEY, n INTEGER);"},
		{Version: 3, Name: "seed", SQL: "INSERT INTO counts VALUES ('big', 0), ('small', 0);"},
		{Version: 4, Name: "trigger", SQL: `-- count items by size
CREATE TRIGGER items_count AFTER INSERT ON items BEGIN
  UPDATE counts SET n = n + 1 WHERE name = CASE WHEN new.qty > 10 THEN 'big' ELSE 'small' END;
  UPDATE counts SET n = n WHERE name = 'x;y';
END; -- done
`},
	}
	if _, err := mustNew(t, db, ms).Run(ctx); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "INSERT INTO items (qty) VALUES (1), (50), (60)")
	if got, want := query(t, db, "SELECT name, n FROM counts ORDER BY name"), []string{"big|2", "small|1"}; !slices.Equal(got, want) {
		t.Errorf("counts = %q, want %q", got, want)
	}
}

func TestRunCancelled(t *testing.T) {
	db := openDB(t, false)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := mustNew(t, db, tableMigrations(2)).Run(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a cancelled context: %v", err)
	}
}

// lossy applies the first migration's batch but loses the answer, and then
// cannot be reached: the outcome of that migration is unknown to the runner.
type lossy struct {
	d1.Database
	lost bool
}

func (l *lossy) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	if l.lost {
		return nil, errors.New("Network connection lost.")
	}
	if len(stmts) > 2 {
		l.lost = true
		if _, err := l.Database.Batch(ctx, stmts); err != nil {
			return nil, err
		}
		return nil, errors.New("Network connection lost.")
	}
	return l.Database.Batch(ctx, stmts)
}

func TestRunUnconfirmed(t *testing.T) {
	db := openDB(t, false)
	ms := tableMigrations(2)
	_, err := mustNew(t, &lossy{Database: db}, ms).Run(ctx)
	var ae *migrate.ApplyError
	if !errors.As(err, &ae) || !ae.Unconfirmed || ae.Migration.Version != 1 || !strings.Contains(err.Error(), "run again to find out") {
		t.Fatalf("Run = %v; want an unconfirmed ApplyError for migration 1", err)
	}
	// Running again finds it applied.
	res, err := mustNew(t, db, ms).Run(ctx)
	if err != nil || !sameEntries(res.Skipped, entries(ms[:1])) || !sameEntries(res.Applied, entries(ms[1:])) {
		t.Errorf("second Run = %+v, %v", res, err)
	}
}

// TestRunRetriesLostAnswer: when the answer to a migration's batch is lost
// once, the runner reads the table, finds the migration applied, and goes
// on.
func TestRunRetriesLostAnswer(t *testing.T) {
	db := openDB(t, false)
	ms := tableMigrations(3)
	f := &flaky{Database: db}
	res, err := mustNew(t, f, ms).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Migration 1's answer was lost after it was applied: reported skipped
	// (another call applied it), never applied twice.
	if !sameEntries(res.Skipped, entries(ms[:1])) || !sameEntries(res.Applied, entries(ms[1:])) {
		t.Errorf("Run = %+v", res)
	}
	// Migration 2's batch failed before reaching the database: retried.
	if got := query(t, db, "SELECT count(*) FROM __drizzle_migrations"); got[0] != "3" {
		t.Errorf("%s records, want 3", got[0])
	}
}

// flaky loses the answer to the first write batch (after applying it) and
// fails the second write batch before sending it, with D1's transient
// error.
type flaky struct {
	d1.Database
	writes int
}

func (f *flaky) Batch(ctx context.Context, stmts []d1.PreparedStatement) ([]*d1.Result, error) {
	if len(stmts) <= 2 {
		return f.Database.Batch(ctx, stmts)
	}
	f.writes++
	switch f.writes {
	case 1:
		if _, err := f.Database.Batch(ctx, stmts); err != nil {
			return nil, err
		}
		return nil, errors.New("Network connection lost.")
	case 2:
		return nil, errors.New("Network connection lost.")
	}
	return f.Database.Batch(ctx, stmts)
}
