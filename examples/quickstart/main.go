// Command quickstart shows the main job of lunora-d1 on the embedded local
// D1: it writes through a session, then reads its own write back in a new
// session opened from the first one's bookmark, the way a later request would.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
)

func main() {
	path := flag.String("db", ".lunora/d1/quickstart.sqlite", "database file (created if missing)")
	flag.Parse()
	if err := run(context.Background(), *path); err != nil {
		log.Fatal(err)
	}
}

type note struct {
	ID        int64
	Body      string
	CreatedAt time.Time `db:"created_at"`
}

func run(ctx context.Context, path string) error {
	db, err := local.Open(path, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	client := d1.New(db)
	fmt.Printf("opened %s\n", path)

	if _, err := client.Run(ctx, `CREATE TABLE IF NOT EXISTS notes (
		id INTEGER PRIMARY KEY,
		body TEXT NOT NULL,
		created_at INTEGER NOT NULL
	)`); err != nil {
		return err
	}

	// Request 1: write through a session, and keep its bookmark.
	write := client.WithSession("")
	res, err := write.Run(ctx, "INSERT INTO notes (body, created_at) VALUES (?, ?)",
		"hello from the quick start", time.Now().UnixMilli())
	if err != nil {
		return err
	}
	bookmark, _ := write.Bookmark()
	fmt.Printf("wrote note %d (%d row written); bookmark %s\n", res.Meta.LastRowID, res.Meta.RowsWritten, bookmark)

	// Request 2: a new session opened from that bookmark sees the write.
	read := client.WithSession(bookmark)
	row, err := read.First(ctx, "SELECT id, body, created_at FROM notes WHERE id = ?", res.Meta.LastRowID)
	if err != nil {
		return err
	}
	n, err := d1.ScanOne[note](row)
	if err != nil {
		return err
	}
	fmt.Printf("read back note %d: %q (created %s)\n", n.ID, n.Body, n.CreatedAt.Format(time.RFC3339))

	count, err := read.First(ctx, "SELECT count(*) FROM notes")
	if err != nil {
		return err
	}
	total, _ := d1.ScanOne[int](count)
	after, _ := read.Bookmark()
	fmt.Printf("%d notes in %s; session bookmark now %s\n", total, path, after)
	return nil
}
