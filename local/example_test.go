package local_test

import (
	"context"
	"fmt"
	"log"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
)

func Example() {
	db, err := local.Open("", nil) // in memory; pass a path for a file
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	client := d1.New(db)

	// One request writes through a session and hands on its bookmark...
	s := client.WithSession("")
	if _, err := s.Run(ctx, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"); err != nil {
		log.Fatal(err)
	}
	res, err := s.Run(ctx, "INSERT INTO notes (body) VALUES (?)", "hello")
	if err != nil {
		log.Fatal(err)
	}
	bookmark, _ := s.Bookmark()
	fmt.Println("inserted row", res.Meta.LastRowID, "served by", res.Meta.ServedBy)

	// ...and the next one starts its session from it and reads the write.
	next := client.WithSession(bookmark)
	row, err := next.First(ctx, "SELECT body FROM notes WHERE id = ?", res.Meta.LastRowID)
	if err != nil {
		log.Fatal(err)
	}
	body, _ := row.Value("body")
	fmt.Println(body)
	b, _ := next.Bookmark()
	fmt.Println(b == bookmark, len(b))
	// Output:
	// inserted row 1 served by local
	// hello
	// true 59
}
