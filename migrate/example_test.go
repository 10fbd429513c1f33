package migrate_test

import (
	"context"
	"errors"
	"fmt"
	"testing/fstest"

	"github.com/lunora-go/d1/local"
	"github.com/lunora-go/d1/migrate"
)

func Example() {
	ctx := context.Background()
	db, err := local.Open("", nil) // in memory
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	// A migrations folder, as wrangler lays it out; os.DirFS works the same.
	fsys := fstest.MapFS{
		"migrations/0001_users.sql": {Data: []byte("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n")},
		"migrations/0002_email.sql": {Data: []byte("-- users sign in by email\nALTER TABLE users ADD COLUMN email TEXT;\n")},
	}
	ms, err := migrate.Load(fsys, "migrations")
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := migrate.New(db, ms)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Run(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("applied:", res.Applied)

	res, err = r.Run(ctx) // a second run only reads
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("skipped:", res.Skipped)

	// Editing an applied migration is refused before anything is applied.
	ms[1].SQL = "ALTER TABLE users ADD COLUMN mail TEXT;"
	ms = append(ms, migrate.Migration{Version: 3, Name: "index", SQL: "CREATE INDEX users_email ON users (email)"})
	r, err = migrate.New(db, ms)
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := r.Status(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("pending:", st.Pending, "drifted:", st.Drifted[0].Entry)
	_, err = r.Run(ctx)
	var drift *migrate.DriftError
	fmt.Println("refused:", errors.As(err, &drift))
	// Output:
	// applied: [1 "users" 2 "email"]
	// skipped: [1 "users" 2 "email"]
	// pending: [3 "index"] drifted: 2 "email"
	// refused: true
}
