package d1_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
)

// openExample opens an in-memory local D1 with a table for the examples.
func openExample() (*local.DB, *d1.Client) {
	db, err := local.Open("", nil)
	if err != nil {
		log.Fatal(err)
	}
	client := d1.New(db)
	if _, err := client.Run(context.Background(),
		"CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, email TEXT)"); err != nil {
		log.Fatal(err)
	}
	return db, client
}

// A session reads its own writes; its bookmark carries that guarantee to a
// later request.
func ExampleClient_WithSession() {
	db, client := openExample()
	defer db.Close()
	ctx := context.Background()

	write := client.WithSession("") // first-unconstrained
	if _, err := write.Run(ctx, "INSERT INTO users (name) VALUES (?)", "ann"); err != nil {
		log.Fatal(err)
	}
	bookmark, ok := write.Bookmark()
	fmt.Println("has bookmark:", ok)

	// Later, perhaps in another request: pass the bookmark back.
	read := client.WithSession(bookmark)
	row, err := read.First(ctx, "SELECT name FROM users WHERE id = ?", 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("read:", row.Values[0])
	// Output:
	// has bookmark: true
	// read: ann
}

func ExampleScanAll() {
	db, client := openExample()
	defer db.Close()
	ctx := context.Background()

	ins, _ := client.Prepare("INSERT INTO users (name, email) VALUES (?, ?)")
	if _, err := client.Batch(ctx, ins.Bind("ann", "ann@example.com"), ins.Bind("bob", nil)); err != nil {
		log.Fatal(err)
	}
	type User struct {
		ID    int64
		Name  string
		Email *string
	}
	res, err := client.All(ctx, "SELECT id, name, email FROM users ORDER BY id")
	if err != nil {
		log.Fatal(err)
	}
	users, err := d1.ScanAll[User](res)
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		email := "(none)"
		if u.Email != nil {
			email = *u.Email
		}
		fmt.Println(u.ID, u.Name, email)
	}
	// Output:
	// 1 ann ann@example.com
	// 2 bob (none)
}

func ExampleClient_Batch() {
	db, client := openExample()
	defer db.Close()
	ctx := context.Background()

	ins, _ := client.Prepare("INSERT INTO users (name) VALUES (?)")
	// The batch is atomic: the duplicate name fails it, and nothing is applied.
	_, err := client.Batch(ctx, ins.Bind("ann"), ins.Bind("bob"), ins.Bind("ann"))
	fmt.Println(err)
	fmt.Println("unique violation:", d1.IsUniqueViolation(err))

	row, _ := client.First(ctx, "SELECT count(*) FROM users")
	n, _ := d1.ScanOne[int](row)
	fmt.Println("rows:", n)
	// Output:
	// D1_ERROR: UNIQUE constraint failed: users.name: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)
	// unique violation: true
	// rows: 0
}

func ExampleError() {
	db, client := openExample()
	defer db.Close()

	_, err := client.All(context.Background(), "SELEC 1")
	var e *d1.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Primary, e.Offset)
		fmt.Println(e.Message)
	}
	// Output:
	// D1_ERROR SQLITE_ERROR 0
	// near "SELEC": syntax error
}

func ExampleSession_First() {
	db, client := openExample()
	defer db.Close()

	_, err := client.WithSession(d1.FirstPrimary).First(context.Background(), "SELECT * FROM users WHERE id = ?", 42)
	fmt.Println(errors.Is(err, d1.ErrNoRows))
	// Output:
	// true
}
