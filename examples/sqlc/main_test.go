package main

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1sql"
	"github.com/lunora-go/d1/examples/sqlc/store"
	"github.com/lunora-go/d1/local"
)

func Example() {
	dir, err := os.MkdirTemp("", "sqlc-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	db, err := local.Open(filepath.Join(dir, "d1.sqlite"), nil)
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := run(context.Background(), os.Stdout, d1.New(db)); err != nil {
		panic(err)
	}
	// Output:
	// created author 1, Ada Lovelace, at a time.Time: true
	// committed 2 posts in one batch; the last is post 2
	// post 1 by Ada Lovelace: "Notes on the Analytical Engine" (6 bytes, published 1843-09-01)
	// post 2 by Ada Lovelace: "Draft" (0 bytes, unpublished)
	// updated 1 author; bio now "Mathematician"
	// deleted the author; 0 posts left (ON DELETE CASCADE); GetAuthor: sql.ErrNoRows = true
}

// newQueries returns the generated queries over a fresh local D1 with the
// schema applied, and the *sql.DB under them.
func newQueries(t *testing.T) (*store.Queries, *sql.DB) {
	t.Helper()
	db, err := local.Open(filepath.Join(t.TempDir(), "d1.sqlite"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sqldb := sql.OpenDB(d1sql.NewConnector(d1.New(db), d1sql.WithParseTime(true)))
	t.Cleanup(func() { sqldb.Close() })
	if _, err := sqldb.ExecContext(context.Background(), schema); err != nil {
		t.Fatal(err)
	}
	return store.New(sqldb), sqldb
}

func TestGeneratedQueries(t *testing.T) {
	ctx := context.Background()
	q, _ := newQueries(t)

	before := time.Now().UTC().Add(-2 * time.Second)
	ada, err := q.CreateAuthor(ctx, store.CreateAuthorParams{Name: "Ada", Bio: sql.NullString{String: "first", Valid: true}})
	if err != nil {
		t.Fatal(err)
	}
	if ada.ID != 1 || ada.Name != "Ada" || ada.Bio.String != "first" {
		t.Errorf("CreateAuthor = %+v", ada)
	}
	// DEFAULT CURRENT_TIMESTAMP, whole seconds in UTC.
	if ada.CreatedAt.Before(before) || ada.CreatedAt.After(time.Now().Add(2*time.Second)) {
		t.Errorf("created_at = %v, want about now", ada.CreatedAt)
	}
	bob, err := q.CreateAuthor(ctx, store.CreateAuthorParams{Name: "Bob"})
	if err != nil {
		t.Fatal(err)
	}
	if bob.Bio.Valid {
		t.Errorf("Bob's bio = %v, want NULL", bob.Bio)
	}

	if _, err := q.CreateAuthor(ctx, store.CreateAuthorParams{Name: "Ada"}); !d1.IsUniqueViolation(err) {
		t.Errorf("duplicate author: err = %v, want a unique violation", err)
	}

	got, err := q.GetAuthor(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != ada {
		t.Errorf("GetAuthor = %+v, want %+v", got, ada)
	}
	if _, err := q.GetAuthor(ctx, 99); !errors.Is(err, sql.ErrNoRows) {
		t.Errorf("GetAuthor(99): err = %v, want sql.ErrNoRows", err)
	}

	all, err := q.ListAuthors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range all {
		names = append(names, a.Name)
	}
	if want := []string{"Ada", "Bob"}; !slices.Equal(names, want) {
		t.Errorf("ListAuthors = %q, want %q", names, want)
	}

	published := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	res, err := q.CreatePost(ctx, store.CreatePostParams{AuthorID: bob.ID, Title: "hello", Body: []byte{0, 1, 2}, PublishedAt: sql.NullTime{Time: published, Valid: true}})
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := res.LastInsertId(); id != 1 {
		t.Errorf("CreatePost LastInsertId = %d, want 1", id)
	}
	if _, err := q.CreatePost(ctx, store.CreatePostParams{AuthorID: 99, Title: "orphan"}); !d1.IsConstraint(err) {
		t.Errorf("post of a missing author: err = %v, want a FOREIGN KEY violation", err)
	}
	posts, err := q.ListPostsByAuthor(ctx, bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 1 || posts[0].Author != "Bob" || !slices.Equal(posts[0].Body, []byte{0, 1, 2}) ||
		!posts[0].PublishedAt.Valid || !posts[0].PublishedAt.Time.Equal(published) {
		t.Errorf("ListPostsByAuthor = %+v", posts)
	}

	n, err := q.UpdateAuthorBio(ctx, store.UpdateAuthorBioParams{ID: bob.ID, Bio: sql.NullString{String: "second", Valid: true}})
	if err != nil || n != 1 {
		t.Errorf("UpdateAuthorBio = %d, %v; want 1", n, err)
	}
	n, err = q.UpdateAuthorBio(ctx, store.UpdateAuthorBioParams{ID: 99})
	if err != nil || n != 0 {
		t.Errorf("UpdateAuthorBio of a missing author = %d, %v; want 0", n, err)
	}
	byName, err := q.GetAuthorByName(ctx, "Bob")
	if err != nil || byName.Bio.String != "second" {
		t.Errorf("GetAuthorByName = %+v, %v", byName, err)
	}

	if err := q.DeleteAuthor(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	if c, err := q.CountPosts(ctx); err != nil || c != 0 {
		t.Errorf("CountPosts after deleting the author = %d, %v; want 0", c, err)
	}
}

func TestWithTxIsAtomic(t *testing.T) {
	ctx := context.Background()
	q, sqldb := newQueries(t)
	ada, err := q.CreateAuthor(ctx, store.CreateAuthorParams{Name: "Ada"})
	if err != nil {
		t.Fatal(err)
	}

	tx, err := sqldb.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	qtx := q.WithTx(tx)
	if _, err := qtx.CreatePost(ctx, store.CreatePostParams{AuthorID: ada.ID, Title: "one"}); err != nil {
		t.Fatal(err)
	}
	if _, err := qtx.CreatePost(ctx, store.CreatePostParams{AuthorID: 99, Title: "orphan"}); err != nil {
		t.Fatal(err) // queued: it fails at Commit
	}
	// A read inside the transaction could not see the queued writes: refused.
	if _, err := qtx.CountPosts(ctx); !errors.Is(err, d1sql.ErrQueryInTx) {
		t.Errorf("CountPosts in the transaction: err = %v, want d1sql.ErrQueryInTx", err)
	}
	if err := tx.Commit(); !d1.IsConstraint(err) {
		t.Fatalf("Commit: err = %v, want a FOREIGN KEY violation", err)
	}
	if c, err := q.CountPosts(ctx); err != nil || c != 0 {
		t.Errorf("CountPosts after the failed Commit = %d, %v; want 0", c, err)
	}
}
