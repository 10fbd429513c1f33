package d1sql_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1http"
	"github.com/lunora-go/d1/d1sql"
	"github.com/lunora-go/d1/local"
)

// newClient returns a client over a fresh local D1.
func newClient(tb testing.TB) *d1.Client {
	tb.Helper()
	db, err := local.Open(filepath.Join(tb.TempDir(), "d1.sqlite"), nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return d1.New(db)
}

// openDB returns a *sql.DB on c and closes it when the test ends.
func openDB(tb testing.TB, c *d1sql.Connector) *sql.DB {
	tb.Helper()
	db := sql.OpenDB(c)
	tb.Cleanup(func() { db.Close() })
	return db
}

func mustExec(tb testing.TB, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, query string, args ...any) sql.Result {
	tb.Helper()
	res, err := db.ExecContext(context.Background(), query, args...)
	if err != nil {
		tb.Fatalf("ExecContext(%q): %v", query, err)
	}
	return res
}

const schema = `CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, age INTEGER, photo BLOB, born TEXT)`

func TestExecResult(t *testing.T) {
	db := openDB(t, d1sql.NewConnector(newClient(t)))
	mustExec(t, db, schema)
	for i, name := range []string{"ada", "bob", "cy"} {
		res := mustExec(t, db, "INSERT INTO people (name, age) VALUES (?, ?)", name, 30+i)
		id, err := res.LastInsertId()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := id, int64(i+1); got != want {
			t.Errorf("LastInsertId = %d, want %d", got, want)
		}
		n, err := res.RowsAffected()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := n, int64(1); got != want {
			t.Errorf("RowsAffected = %d, want %d", got, want)
		}
	}
	res := mustExec(t, db, "UPDATE people SET age = age + 1 WHERE age >= ?", 31)
	if n, _ := res.RowsAffected(); n != 2 {
		t.Errorf("UPDATE RowsAffected = %d, want 2", n)
	}
	res = mustExec(t, db, "DELETE FROM people WHERE name = ?", "nobody")
	if n, _ := res.RowsAffected(); n != 0 {
		t.Errorf("DELETE of nothing: RowsAffected = %d, want 0", n)
	}
}

func TestQuery(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, d1sql.NewConnector(newClient(t)))
	mustExec(t, db, schema)
	mustExec(t, db, "INSERT INTO people (name, age) VALUES ('ada', 36), ('bob', NULL)")

	var (
		name string
		age  sql.NullInt64
	)
	if err := db.QueryRowContext(ctx, "SELECT name, age FROM people WHERE id = ?", 1).Scan(&name, &age); err != nil {
		t.Fatal(err)
	}
	if name != "ada" || age != (sql.NullInt64{Int64: 36, Valid: true}) {
		t.Errorf("got %q %v, want ada 36", name, age)
	}
	if err := db.QueryRowContext(ctx, "SELECT name, age FROM people WHERE id = ?", 2).Scan(&name, &age); err != nil {
		t.Fatal(err)
	}
	if age.Valid {
		t.Errorf("age = %v, want NULL", age)
	}

	err := db.QueryRowContext(ctx, "SELECT name FROM people WHERE id = ?", 99).Scan(&name)
	if !errors.Is(err, sql.ErrNoRows) {
		t.Errorf("missing row: err = %v, want sql.ErrNoRows", err)
	}

	rows, err := db.QueryContext(ctx, "SELECT id, name FROM people ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d %s", id, name))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"1 ada", "2 bob"}; !slices.Equal(got, want) {
		t.Errorf("rows = %q, want %q", got, want)
	}
}

func TestColumns(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, d1sql.NewConnector(newClient(t)))
	mustExec(t, db, schema)

	// Duplicate names survive (D1's all() would keep only the last).
	rows, err := db.QueryContext(ctx, "SELECT 1 AS a, 2 AS a")
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	if want := []string{"a", "a"}; !slices.Equal(cols, want) {
		t.Errorf("columns = %q, want %q", cols, want)
	}
	var a1, a2 int
	if !rows.Next() {
		t.Fatal("no row")
	}
	if err := rows.Scan(&a1, &a2); err != nil {
		t.Fatal(err)
	}
	if a1 != 1 || a2 != 2 {
		t.Errorf("got %d, %d, want 1, 2", a1, a2)
	}
	rows.Close()

	// Column names come back even when there are no rows.
	rows, err = db.QueryContext(ctx, "SELECT id, name FROM people WHERE 0")
	if err != nil {
		t.Fatal(err)
	}
	cols, _ = rows.Columns()
	if want := []string{"id", "name"}; !slices.Equal(cols, want) {
		t.Errorf("columns of an empty result = %q, want %q", cols, want)
	}
	if rows.Next() {
		t.Error("a row in an empty result")
	}
	rows.Close()

	// Types are inferred from the first non-NULL value.
	rows, err = db.QueryContext(ctx, "SELECT NULL AS n, 1 AS i, 1.5 AS r, 'x' AS t, x'00' AS b UNION ALL SELECT 1, NULL, NULL, NULL, NULL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var scans []reflect.Type
	for _, ct := range types {
		names = append(names, ct.DatabaseTypeName())
		scans = append(scans, ct.ScanType())
	}
	if want := []string{"INTEGER", "INTEGER", "REAL", "TEXT", "BLOB"}; !slices.Equal(names, want) {
		t.Errorf("DatabaseTypeName = %q, want %q", names, want)
	}
	want := []reflect.Type{reflect.TypeFor[int64](), reflect.TypeFor[int64](), reflect.TypeFor[float64](), reflect.TypeFor[string](), reflect.TypeFor[[]byte]()}
	if !slices.Equal(scans, want) {
		t.Errorf("ScanType = %v, want %v", scans, want)
	}
}

func TestNamedArgs(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, d1sql.NewConnector(newClient(t)))
	tests := []struct {
		query string
		args  []any
		want  string
	}{
		{"SELECT :a || :b || :a", []any{sql.Named("b", "B"), sql.Named("a", "A")}, "ABA"},
		{"SELECT @x || $y", []any{sql.Named("y", "Y"), sql.Named("x", "X")}, "XY"},
		{"SELECT ? || :n || ?", []any{"1", sql.Named("n", "2"), "3"}, "123"},
		{"SELECT ?2 || ?1", []any{"a", "b"}, "ba"},
	}
	for _, tc := range tests {
		var got string
		if err := db.QueryRowContext(ctx, tc.query, tc.args...).Scan(&got); err != nil {
			t.Errorf("%s: %v", tc.query, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s = %q, want %q", tc.query, got, tc.want)
		}
	}
	if _, err := db.ExecContext(ctx, "SELECT :a", sql.Named("b", 1)); err == nil || !strings.Contains(err.Error(), "no parameter :b") {
		t.Errorf("unknown name: err = %v", err)
	}
}

// celsius is a driver.Valuer that binds as its number.
type celsius float64

func (c celsius) Value() (driver.Value, error) { return float64(c), nil }

func TestValues(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, d1sql.NewConnector(newClient(t), d1sql.WithParseTime(true)))
	mustExec(t, db, schema)

	born := time.Date(1815, 12, 10, 8, 30, 0, 123456789, time.FixedZone("GMT+1", 3600))
	photo := []byte{0, 1, 2, 255}
	mustExec(t, db, "INSERT INTO people (name, age, photo, born) VALUES (?, ?, ?, ?)", "ada", celsius(36), photo, born)

	var (
		gotPhoto []byte
		gotBorn  time.Time
		gotAge   int
		text     string
		kind     string
	)
	err := db.QueryRowContext(ctx, "SELECT photo, born, age, born, typeof(photo) FROM people WHERE name = ?", "ada").
		Scan(&gotPhoto, &gotBorn, &gotAge, &text, &kind)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gotPhoto, photo) || kind != "blob" {
		t.Errorf("photo = %v (%s), want %v (blob)", gotPhoto, kind, photo)
	}
	if !gotBorn.Equal(born) {
		t.Errorf("born = %v, want %v", gotBorn, born)
	}
	if gotAge != 36 {
		t.Errorf("age = %d, want 36", gotAge)
	}
	// Stored as fixed-width RFC 3339 text in UTC.
	var stored string
	if err := db.QueryRowContext(ctx, "SELECT born || '' FROM people").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if want := "1815-12-10T07:30:00.123456789Z"; stored != want {
		t.Errorf("stored time = %q, want %q", stored, want)
	}
	// SQLite's own date functions read it.
	var day string
	if err := db.QueryRowContext(ctx, "SELECT date(born) FROM people").Scan(&day); err != nil {
		t.Fatal(err)
	}
	if want := "1815-12-10"; day != want {
		t.Errorf("date(born) = %q, want %q", day, want)
	}
	// CURRENT_TIMESTAMP's form reads as a time too.
	var now time.Time
	if err := db.QueryRowContext(ctx, "SELECT CURRENT_TIMESTAMP").Scan(&now); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(now); d < -time.Minute || d > time.Minute {
		t.Errorf("CURRENT_TIMESTAMP = %v, not now", now)
	}

	// Booleans bind as 1 and 0; NULLs as NULL.
	var b1, b0 bool
	var null sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT ? = 1, ? = 0, ?", true, false, nil).Scan(&b1, &b0, &null); err != nil {
		t.Fatal(err)
	}
	if !b1 || !b0 || null.Valid {
		t.Errorf("got %v %v %v, want true true NULL", b1, b0, null)
	}

	// A value D1 cannot bind fails before anything is sent, with D1's error.
	_, err = db.ExecContext(ctx, "SELECT ?", int64(1)<<60)
	var de *d1.Error
	if !errors.As(err, &de) || de.Code != d1.CodeTypeError {
		t.Errorf("2^60: err = %v, want a D1_TYPE_ERROR", err)
	}
}

func TestWithoutParseTime(t *testing.T) {
	db := openDB(t, d1sql.NewConnector(newClient(t)))
	var s string
	if err := db.QueryRowContext(context.Background(), "SELECT '2024-01-02 03:04:05'").Scan(&s); err != nil {
		t.Fatal(err)
	}
	if want := "2024-01-02 03:04:05"; s != want {
		t.Errorf("got %q, want %q", s, want)
	}
	var tm time.Time
	if err := db.QueryRowContext(context.Background(), "SELECT '2024-01-02 03:04:05'").Scan(&tm); err == nil {
		t.Error("text scanned into a time.Time without WithParseTime")
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, d1sql.NewConnector(newClient(t)))
	mustExec(t, db, schema)
	mustExec(t, db, "INSERT INTO people (name) VALUES ('ada')")

	_, err := db.ExecContext(ctx, "INSERT INTO people (name) VALUES ('ada')")
	if !d1.IsUniqueViolation(err) {
		t.Errorf("duplicate: err = %v, want a unique violation", err)
	}
	_, err = db.QueryContext(ctx, "SELEC 1")
	var de *d1.Error
	if !errors.As(err, &de) || de.Primary != d1.ResultError {
		t.Errorf("syntax error: err = %v, want a *d1.Error with SQLITE_ERROR", err)
	}
	if _, err := db.ExecContext(ctx, "   "); err == nil {
		t.Error("empty SQL: no error")
	}
	if _, err := db.PrepareContext(ctx, ""); err == nil {
		t.Error("Prepare of empty SQL: no error")
	}
}

func TestPrepared(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	db := openDB(t, d1sql.NewConnector(client))
	mustExec(t, db, schema)

	const insert = "INSERT INTO people (name, age) VALUES (?, ?)"
	st, err := db.PrepareContext(ctx, insert)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := st.ExecContext(ctx, fmt.Sprint("p", i), i); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	if !slices.Contains(client.CachedStatements(), insert) {
		t.Errorf("%q not in the client's statement cache %q", insert, client.CachedStatements())
	}

	q, err := db.PrepareContext(ctx, "SELECT sum(age) FROM people WHERE age >= ?")
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	var sum int
	if err := q.QueryRowContext(ctx, 3).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	if sum != 7 {
		t.Errorf("sum = %d, want 7", sum)
	}
}

func TestPing(t *testing.T) {
	db := openDB(t, d1sql.NewConnector(newClient(t)))
	if err := db.PingContext(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestOpenByName(t *testing.T) {
	db := openDB(t, d1sql.NewConnector(newClient(t)))
	if _, err := db.Driver().Open("anything"); !errors.Is(err, d1sql.ErrOpenByName) {
		t.Errorf("Open: err = %v, want ErrOpenByName", err)
	}
}

func count(tb testing.TB, db *sql.DB, table string) int {
	tb.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

func TestTxCommit(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, d1sql.NewConnector(newClient(t)))
	mustExec(t, db, schema)

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	r1 := mustExec(t, tx, "INSERT INTO people (name) VALUES (?)", "ada")
	r2 := mustExec(t, tx, "INSERT INTO people (name) VALUES (:n)", sql.Named("n", "bob"))
	mustExec(t, tx, "UPDATE people SET age = 1")

	if _, err := r1.LastInsertId(); !errors.Is(err, d1sql.ErrResultPending) {
		t.Errorf("LastInsertId before Commit: err = %v, want ErrResultPending", err)
	}
	if _, err := r2.RowsAffected(); !errors.Is(err, d1sql.ErrResultPending) {
		t.Errorf("RowsAffected before Commit: err = %v, want ErrResultPending", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM people").Scan(&n); !errors.Is(err, d1sql.ErrQueryInTx) {
		t.Errorf("query in a transaction: err = %v, want ErrQueryInTx", err)
	}
	if _, err := tx.QueryContext(ctx, "INSERT INTO people (name) VALUES ('x') RETURNING id"); !errors.Is(err, d1sql.ErrQueryInTx) {
		t.Errorf("RETURNING in a transaction: err = %v, want ErrQueryInTx", err)
	}
	// Nothing has run yet.
	if got := count(t, db, "people"); got != 0 {
		t.Errorf("before Commit: %d rows, want 0", got)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := count(t, db, "people"); got != 2 {
		t.Errorf("after Commit: %d rows, want 2", got)
	}
	if id, err := r2.LastInsertId(); err != nil || id != 2 {
		t.Errorf("LastInsertId after Commit = %d, %v; want 2", id, err)
	}
	if n, err := r1.RowsAffected(); err != nil || n != 1 {
		t.Errorf("RowsAffected after Commit = %d, %v; want 1", n, err)
	}
}

func TestTxAtomic(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, d1sql.NewConnector(newClient(t)))
	mustExec(t, db, schema)
	mustExec(t, db, "INSERT INTO people (name) VALUES ('ada')")

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, "INSERT INTO people (name) VALUES ('bob')")
	r := mustExec(t, tx, "INSERT INTO people (name) VALUES ('ada')") // fails at Commit
	mustExec(t, tx, "INSERT INTO people (name) VALUES ('cy')")
	err = tx.Commit()
	if !d1.IsUniqueViolation(err) {
		t.Fatalf("Commit: err = %v, want a unique violation", err)
	}
	if got := count(t, db, "people"); got != 1 {
		t.Errorf("after a failed Commit: %d rows, want 1", got)
	}
	if _, err := r.RowsAffected(); !errors.Is(err, d1sql.ErrResultPending) {
		t.Errorf("RowsAffected after a failed Commit: err = %v, want ErrResultPending", err)
	}
}

func TestTxRollback(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, d1sql.NewConnector(newClient(t)))
	mustExec(t, db, schema)

	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, "INSERT INTO people (name) VALUES ('ada')")
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := count(t, db, "people"); got != 0 {
		t.Errorf("after Rollback: %d rows, want 0", got)
	}

	// An empty transaction commits without a request.
	tx, err = db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Errorf("empty Commit: %v", err)
	}

	if _, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}); !errors.Is(err, d1sql.ErrReadOnlyTx) {
		t.Errorf("read-only BeginTx: err = %v, want ErrReadOnlyTx", err)
	}
}

func TestTxPrepared(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, d1sql.NewConnector(newClient(t)))
	mustExec(t, db, schema)
	st, err := db.PrepareContext(ctx, "INSERT INTO people (name) VALUES (?)")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b", "c"} {
		if _, err := tx.StmtContext(ctx, st).ExecContext(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := count(t, db, "people"); got != 3 {
		t.Errorf("%d rows, want 3", got)
	}
}

func TestSessionConnector(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	if _, err := client.Run(ctx, schema); err != nil {
		t.Fatal(err)
	}
	sess := client.WithSession(d1.FirstPrimary)
	db := openDB(t, d1sql.SessionConnector(sess))
	if _, ok := sess.Bookmark(); ok {
		t.Fatal("a bookmark before the first query")
	}
	mustExec(t, db, "INSERT INTO people (name) VALUES ('ada')")
	after, ok := sess.Bookmark()
	if !ok {
		t.Fatal("no bookmark after a write through the *sql.DB")
	}
	if got := count(t, db, "people"); got != 1 {
		t.Errorf("read own write: %d rows, want 1", got)
	}
	if now, _ := sess.Bookmark(); now < after {
		t.Errorf("bookmark went back: %q after %q", now, after)
	}

	// A later session from that bookmark sees the write.
	later := openDB(t, d1sql.SessionConnector(client.WithSession(after)))
	if got := count(t, later, "people"); got != 1 {
		t.Errorf("session from the bookmark: %d rows, want 1", got)
	}
}

func TestSessionFromContext(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	db := openDB(t, d1sql.NewConnector(client, d1sql.WithSessionFromContext(d1http.Session)))
	mustExec(t, db, schema)

	sess := client.WithSession("")
	sctx := d1http.NewContext(ctx, sess)
	if _, err := db.ExecContext(sctx, "INSERT INTO people (name) VALUES ('ada')"); err != nil {
		t.Fatal(err)
	}
	first, ok := sess.Bookmark()
	if !ok {
		t.Fatal("the context's session ran no query")
	}
	if !slices.Contains(sess.CachedStatements(), "INSERT INTO people (name) VALUES ('ada')") {
		t.Error("the statement is not in the session's cache")
	}
	// Without a session in the context, calls go to the client.
	if got := count(t, db, "people"); got != 1 {
		t.Errorf("%d rows, want 1", got)
	}
	if now, _ := sess.Bookmark(); now != first {
		t.Errorf("a call without the session moved its bookmark: %q, then %q", first, now)
	}
	// A transaction runs its batch in the session of BeginTx's context.
	tx, err := db.BeginTx(sctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, "INSERT INTO people (name) VALUES ('bob')")
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if now, _ := sess.Bookmark(); now <= first {
		t.Errorf("the transaction did not run in the session: bookmark %q, then %q", first, now)
	}
}

// Rows stay valid while another query runs on the same connection.
func TestNestedRows(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, d1sql.NewConnector(newClient(t)))
	mustExec(t, db, schema)
	mustExec(t, db, "INSERT INTO people (name, age) VALUES ('a', 1), ('b', 2), ('c', 3)")
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	outer, err := conn.QueryContext(ctx, "SELECT name FROM people ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer outer.Close()
	var got []string
	for outer.Next() {
		var name string
		if err := outer.Scan(&name); err != nil {
			t.Fatal(err)
		}
		var age int
		if err := conn.QueryRowContext(ctx, "SELECT age FROM people WHERE name = ?", name).Scan(&age); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s=%d", name, age))
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a=1", "b=2", "c=3"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
