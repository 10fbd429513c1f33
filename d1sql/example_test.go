package d1sql_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1sql"
	"github.com/lunora-go/d1/local"
)

// openLocal opens a local D1 in a temporary directory, for the examples.
func openLocal() (*local.DB, func()) {
	dir, err := os.MkdirTemp("", "d1sql-example")
	if err != nil {
		log.Fatal(err)
	}
	db, err := local.Open(filepath.Join(dir, "d1.sqlite"), nil)
	if err != nil {
		log.Fatal(err)
	}
	return db, func() { db.Close(); os.RemoveAll(dir) }
}

func Example() {
	ctx := context.Background()
	backend, done := openLocal()
	defer done()

	db := sql.OpenDB(d1sql.NewConnector(d1.New(backend)))
	defer db.Close()

	if _, err := db.ExecContext(ctx, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"); err != nil {
		log.Fatal(err)
	}
	res, err := db.ExecContext(ctx, "INSERT INTO notes (body) VALUES (?)", "hello")
	if err != nil {
		log.Fatal(err)
	}
	id, _ := res.LastInsertId()

	var body string
	if err := db.QueryRowContext(ctx, "SELECT body FROM notes WHERE id = :id", sql.Named("id", id)).Scan(&body); err != nil {
		log.Fatal(err)
	}
	fmt.Println(id, body)

	err = db.QueryRowContext(ctx, "SELECT body FROM notes WHERE id = ?", 42).Scan(&body)
	fmt.Println(errors.Is(err, sql.ErrNoRows))
	// Output:
	// 1 hello
	// true
}

// A transaction queues its statements and runs them as one D1 batch at
// Commit: all apply, or none.
func Example_transaction() {
	ctx := context.Background()
	backend, done := openLocal()
	defer done()
	db := sql.OpenDB(d1sql.NewConnector(d1.New(backend)))
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE TABLE accounts (name TEXT PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0))"); err != nil {
		log.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO accounts VALUES ('ann', 10), ('bo', 0)"); err != nil {
		log.Fatal(err)
	}

	transfer := func(amount int) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance + ? WHERE name = 'bo'", amount); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance - ? WHERE name = 'ann'", amount); err != nil {
			return err
		}
		return tx.Commit()
	}
	fmt.Println("transfer 4:", transfer(4))
	err := transfer(50)
	fmt.Println("transfer 50 violates a constraint:", d1.IsConstraint(err))

	rows, err := db.QueryContext(ctx, "SELECT name, balance FROM accounts ORDER BY name")
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var balance int
		if err := rows.Scan(&name, &balance); err != nil {
			log.Fatal(err)
		}
		fmt.Println(name, balance)
	}
	// Output:
	// transfer 4: <nil>
	// transfer 50 violates a constraint: true
	// ann 6
	// bo 4
}

// A *sql.DB over a session reads its own writes, and the session's bookmark
// lets a later session (another request) do the same.
func ExampleSessionConnector() {
	ctx := context.Background()
	backend, done := openLocal()
	defer done()
	client := d1.New(backend)

	sess := client.WithSession(d1.FirstPrimary)
	db := sql.OpenDB(d1sql.SessionConnector(sess))
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (v TEXT)"); err != nil {
		log.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO t VALUES ('mine')"); err != nil {
		log.Fatal(err)
	}
	bookmark, _ := sess.Bookmark()

	later := sql.OpenDB(d1sql.SessionConnector(client.WithSession(bookmark)))
	defer later.Close()
	var v string
	if err := later.QueryRowContext(ctx, "SELECT v FROM t").Scan(&v); err != nil {
		log.Fatal(err)
	}
	fmt.Println(v)
	// Output: mine
}
