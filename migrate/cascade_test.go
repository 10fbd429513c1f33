package migrate_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/migrate"
)

// schema with a parent and children referencing it in every way.
var cascadeSchema = []migrate.Migration{
	{Version: 1, Name: "users", SQL: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)"},
	{Version: 2, Name: "posts", SQL: "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES Users (id) ON DELETE CASCADE)"},
	{Version: 3, Name: "notes", SQL: `CREATE TABLE "Notes" (id INTEGER PRIMARY KEY, user_id INTEGER, FOREIGN KEY (user_id) REFERENCES "users" (id) ON DELETE SET NULL)`},
	{Version: 4, Name: "audit", SQL: "CREATE TABLE audit (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id))"},
	{Version: 5, Name: "seed", SQL: "INSERT INTO users (id, name) VALUES (1, 'ann'), (2, 'bob')"},
	{Version: 6, Name: "seed posts", SQL: "INSERT INTO posts (user_id) VALUES (1), (1), (2)"},
	{Version: 7, Name: "seed notes", SQL: `INSERT INTO "Notes" (user_id) VALUES (2)`},
}

// rebuild is the usual drop-and-recreate of users.
var rebuild = []migrate.Migration{
	{Version: 10, Name: "users_new", SQL: "CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '')"},
	{Version: 11, Name: "copy", SQL: "INSERT INTO users_new (id, name) SELECT id, coalesce(name, '') FROM users"},
	{Version: 12, Name: "drop users", SQL: "DROP TABLE users;"},
	{Version: 13, Name: "rename", SQL: "ALTER TABLE users_new RENAME TO users"},
}

func TestCascadeGuard(t *testing.T) { eachBackend(t, testCascadeGuard) }

func testCascadeGuard(t *testing.T, open opener) {
	db := open(t)
	if _, err := mustNew(t, db, cascadeSchema).Run(ctx); err != nil {
		t.Fatal(err)
	}
	ms := append(slices.Clone(cascadeSchema), rebuild...)
	res, err := mustNew(t, db, ms).Run(ctx)
	var ce *migrate.CascadeError
	if !errors.As(err, &ce) {
		t.Fatalf("Run = %+v, %v; want a CascadeError", res, err)
	}
	if got, want := ce.Migration, (migrate.Entry{Version: 12, Name: "drop users"}); got != want {
		t.Errorf("CascadeError.Migration = %v, want %v", got, want)
	}
	wantRefs := []migrate.Reference{{Table: "posts", OnDelete: "CASCADE"}, {Table: "Notes", OnDelete: "SET NULL"}}
	if ce.Table != "users" || !slices.Equal(ce.References, wantRefs) {
		t.Errorf("CascadeError = %+v, want table users, references %+v", ce, wantRefs)
	}
	for _, s := range []string{`migration 12 "drop users"`, "drops table users", "posts (ON DELETE CASCADE)", "Notes (ON DELETE SET NULL)", "AllowCascade", "PRAGMA foreign_keys = OFF"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not contain %q", err, s)
		}
	}
	if !sameEntries(res.Applied, entries(rebuild[:2])) {
		t.Errorf("applied %v, want the two migrations before the drop", res.Applied)
	}
	// Nothing of the drop happened.
	if got := query(t, db, "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM posts), (SELECT count(*) FROM Notes WHERE user_id IS NOT NULL)"); got[0] != "2|3|1" {
		t.Errorf("users|posts|notes = %s, want 2|3|1", got[0])
	}
	if got := query(t, db, "SELECT count(*) FROM __drizzle_migrations WHERE version = 12"); got[0] != "0" {
		t.Error("the refused migration was recorded")
	}

	// Allowed explicitly, the drop goes ahead and D1 deletes and changes the
	// referencing rows, which is what the guard warned about.
	r, err := migrate.NewWithOptions(d1.New(db), ms, migrate.Options{AllowCascade: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err = r.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !sameEntries(res.Applied, entries(rebuild[2:])) {
		t.Errorf("applied %v", res.Applied)
	}
	if got := query(t, db, "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM posts), (SELECT count(*) FROM Notes WHERE user_id IS NOT NULL)"); got[0] != "2|0|0" {
		t.Errorf("users|posts|notes = %s, want 2|0|0 (D1 cascades on DROP TABLE)", got[0])
	}
}

// TestCascadeGuardSeesThisRunsTables: the child table is created by a
// migration of the same run, just before the drop.
func TestCascadeGuardSeesThisRunsTables(t *testing.T) {
	eachBackend(t, testCascadeGuardSeesThisRunsTables)
}

func testCascadeGuardSeesThisRunsTables(t *testing.T, open opener) {
	db := open(t)
	ms := []migrate.Migration{
		{Version: 1, Name: "parent", SQL: "CREATE TABLE parent (id INTEGER PRIMARY KEY)"},
		{Version: 2, Name: "seed", SQL: "INSERT INTO parent VALUES (1)"},
		{Version: 3, Name: "child", SQL: "CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent ON DELETE CASCADE)"},
		{Version: 4, Name: "seed child", SQL: "INSERT INTO child (p) VALUES (1)"},
		{Version: 5, Name: "drop", SQL: "DROP TABLE IF EXISTS main.[parent]"},
	}
	res, err := mustNew(t, db, ms).Run(ctx)
	var ce *migrate.CascadeError
	if !errors.As(err, &ce) || ce.Table != "parent" || len(ce.References) != 1 || ce.References[0].Table != "child" {
		t.Fatalf("Run = %+v, %v; want a CascadeError for child", res, err)
	}
	if got := query(t, db, "SELECT count(*) FROM child"); got[0] != "1" {
		t.Errorf("child rows %s, want 1", got[0])
	}
}

func TestDropWithoutCascadingReferences(t *testing.T) {
	eachBackend(t, testDropWithoutCascadingReferences)
}

func testDropWithoutCascadingReferences(t *testing.T, open opener) {
	db := open(t)
	ms := []migrate.Migration{
		{Version: 1, Name: "a", SQL: "CREATE TABLE a (id INTEGER PRIMARY KEY, self INTEGER REFERENCES a ON DELETE CASCADE)"},
		{Version: 2, Name: "b", SQL: "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a ON DELETE RESTRICT)"},
		{Version: 3, Name: "c", SQL: "CREATE TABLE c (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b ON DELETE CASCADE)"},
		{Version: 4, Name: "drop c", SQL: "DROP TABLE c"}, // nothing references c
		{Version: 5, Name: "drop b", SQL: "DROP TABLE b"}, // c referenced b, and is gone
		{Version: 6, Name: "drop a", SQL: "DROP TABLE a"}, // only a references itself
		{Version: 7, Name: "drop x", SQL: "DROP TABLE IF EXISTS x"},
	}
	res, err := mustNew(t, db, ms).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !sameEntries(res.Applied, entries(ms)) {
		t.Errorf("applied %v", res.Applied)
	}
}

// TestCascadeGuardManyTables: the guard checks tables in chunks, within
// D1's limits on parameters and expression depth.
func TestCascadeGuardManyTables(t *testing.T) { eachBackend(t, testCascadeGuardManyTables) }

func testCascadeGuardManyTables(t *testing.T, open opener) {
	db := open(t)
	ms := []migrate.Migration{{Version: 1, Name: "parent", SQL: "CREATE TABLE parent (id INTEGER PRIMARY KEY)"}}
	for i := 2; i <= 90; i++ {
		ms = append(ms, migrate.Migration{Version: int64(i), Name: fmt.Sprint("t", i),
			SQL: fmt.Sprintf("CREATE TABLE t%d (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent)", i)})
	}
	ms = append(ms, migrate.Migration{Version: 100, Name: "child", SQL: "CREATE TABLE zchild (p INTEGER REFERENCES parent ON DELETE SET DEFAULT)"})
	if _, err := mustNew(t, db, ms).Run(ctx); err != nil {
		t.Fatal(err)
	}
	ms = append(ms, migrate.Migration{Version: 101, Name: "drop", SQL: "DROP TABLE parent"})
	_, err := mustNew(t, db, ms).Run(ctx)
	var ce *migrate.CascadeError
	if !errors.As(err, &ce) || len(ce.References) != 1 || ce.References[0] != (migrate.Reference{Table: "zchild", OnDelete: "SET DEFAULT"}) {
		t.Fatalf("Run = %v; want a CascadeError for zchild", err)
	}
}
