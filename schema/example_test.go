package schema_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/local"
	"github.com/lunora-go/d1/schema"
)

// exampleTables returns the tables the examples start from.
func exampleTables() []schema.Table {
	return []schema.Table{{
		Name: "posts",
		Fields: []schema.Field{
			{Name: "author", Kind: schema.ID},
			{Name: "title", Kind: schema.String},
			{Name: "slug", Kind: schema.String, Unique: true},
			{Name: "publishedAt", Kind: schema.Timestamp, Optional: true},
		},
		Indexes: []schema.Index{{Name: "by_author", Fields: []string{"author", "_creationTime"}}},
	}}
}

func ExampleProvision() {
	db, err := local.Open("", nil) // in memory
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	client := d1.New(db)
	ctx := context.Background()

	tables := exampleTables()
	changes, err := schema.Provision(ctx, client, tables)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range changes {
		fmt.Println(c.SQL)
	}

	// At the next start, with a field more: only the column is added.
	tables[0].Fields = append(tables[0].Fields, schema.Field{Name: "draft", Kind: schema.Boolean})
	changes, err = schema.Provision(ctx, client, tables)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range changes {
		fmt.Printf("%s (%s)\n", c.SQL, c.Note)
	}
	// Output:
	// CREATE TABLE IF NOT EXISTS "posts" ("id" TEXT PRIMARY KEY, "_creationTime" REAL NOT NULL, "_version" INTEGER NOT NULL DEFAULT 0, "author" TEXT NOT NULL, "title" TEXT NOT NULL, "slug" TEXT NOT NULL, "publishedAt" REAL)
	// CREATE UNIQUE INDEX IF NOT EXISTS "posts_slug_unique" ON "posts" ("slug")
	// CREATE INDEX IF NOT EXISTS "posts_by_author" ON "posts" ("author", "_creationTime")
	// ALTER TABLE "posts" ADD COLUMN "draft" INTEGER NOT NULL DEFAULT 0 (the field is required, so existing rows get 0)
}

func ExampleDiff() {
	old := &schema.Schema{Tables: exampleTables()}
	new := &schema.Schema{Tables: []schema.Table{{
		Name: "posts",
		Fields: []schema.Field{
			{Name: "author", Kind: schema.ID},
			{Name: "title", Kind: schema.String},
			{Name: "slug", Kind: schema.String, Unique: true},
			{Name: "tags", Kind: schema.Array, Optional: true},
		},
		Indexes: []schema.Index{{Name: "by_author", Fields: []string{"author", "_creationTime"}}},
	}}}
	changes, err := schema.Diff(old, new)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range changes {
		if c.Unsafe {
			fmt.Printf("unsafe: %s: %s\n", c, c.Note)
			continue
		}
		fmt.Println(c.SQL)
	}
	// Output:
	// unsafe: drop column "publishedAt" from table "posts": the field is no longer in the schema: dropping its column deletes its values in every row
	// ALTER TABLE "posts" ADD COLUMN "tags" TEXT
}

func ExampleGenerate() {
	files, err := schema.Generate(nil, &schema.Schema{Tables: exampleTables()}, schema.GenerateOptions{Name: "posts"})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		fmt.Println("==", f.Name)
		if f.Name != schema.SnapshotFile {
			fmt.Print(string(f.Data))
		}
	}
	// Output:
	// == 0001_posts.sql
	// -- 0001_posts: create table "posts"
	// CREATE TABLE IF NOT EXISTS "posts" ("id" TEXT PRIMARY KEY, "_creationTime" REAL NOT NULL, "_version" INTEGER NOT NULL DEFAULT 0, "author" TEXT NOT NULL, "title" TEXT NOT NULL, "slug" TEXT NOT NULL, "publishedAt" REAL);
	// == 0002_posts.sql
	// -- 0002_posts: create unique index "slug_unique" on table "posts"
	// CREATE UNIQUE INDEX IF NOT EXISTS "posts_slug_unique" ON "posts" ("slug");
	// == 0003_posts.sql
	// -- 0003_posts: create index "by_author" on table "posts"
	// CREATE INDEX IF NOT EXISTS "posts_by_author" ON "posts" ("author", "_creationTime");
	// == schema.snapshot.json
}

func ExampleGenerateDir() {
	dir, err := os.MkdirTemp("", "migrations")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	s := &schema.Schema{Tables: exampleTables()}
	if _, err := schema.GenerateDir(dir, s, schema.GenerateOptions{Name: "init"}); err != nil {
		log.Fatal(err)
	}
	// Later: the schema gains a field; only that is written, after 0003.
	s.Tables[0].Fields = append(s.Tables[0].Fields, schema.Field{Name: "views", Kind: schema.Number, Optional: true})
	files, err := schema.GenerateDir(dir, s, schema.GenerateOptions{Name: "views"})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		fmt.Println(f.Name)
	}
	// Output:
	// 0004_views.sql
	// schema.snapshot.json
}

func ExampleLoad() {
	s, err := schema.Load(strings.NewReader(`{
		"tables": [{
			"name": "users",
			"fields": [
				{"name": "email", "kind": "string", "unique": true},
				{"name": "age", "kind": "number", "optional": true}
			]
		}]
	}`))
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range s.Tables[0].Fields {
		fmt.Printf("%s %s optional=%v unique=%v\n", f.Name, f.Kind, f.Optional, f.Unique)
	}
	// Output:
	// email string optional=false unique=true
	// age number optional=true unique=false
}

func ExampleSchema_Validate() {
	s := &schema.Schema{Tables: []schema.Table{
		{Name: "_cf_cache", Fields: []schema.Field{{Name: "key", Kind: schema.String}}},
		{Name: "users", Fields: []schema.Field{{Name: "id", Kind: schema.String}, {Name: "", Kind: schema.String}}},
	}}
	err := s.Validate()
	fmt.Println(err)
	fmt.Println(errors.Is(err, schema.ErrReservedName), errors.Is(err, schema.ErrTooManyColumns))
	// Output:
	// schema: table "_cf_cache": table names beginning "_cf_" are reserved by D1: rename the table
	// schema: table "users": field "id": "id" is reserved: every table has the framework columns id (also called _id), _creationTime and _version: rename the field
	// schema: table "users": field 2 has no name: give every field a name
	// true false
}
