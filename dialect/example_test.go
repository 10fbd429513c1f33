package dialect_test

import (
	"fmt"
	"strings"

	"github.com/lunora-go/d1/dialect"
)

func ExampleQuoteIdentifier() {
	fmt.Println(dialect.QuoteIdentifier("users"))
	fmt.Println(dialect.QuoteIdentifier(`say "hi"`))
	// Output:
	// "users"
	// "say ""hi"""
}

func ExampleSQLAffinityForKind() {
	for _, kind := range []string{"boolean", "bytes", "number", "timestamp", "string", "int64", "object"} {
		fmt.Println(kind, dialect.SQLAffinityForKind(kind))
	}
	// Output:
	// boolean INTEGER
	// bytes BLOB
	// number REAL
	// timestamp REAL
	// string TEXT
	// int64 TEXT
	// object TEXT
}

func ExampleFrameworkColumnDDL() {
	cols := append(dialect.FrameworkColumnDDL(), dialect.QuoteIdentifier("title")+" "+string(dialect.SQLAffinityForKind("string")))
	fmt.Printf("CREATE TABLE %s (%s)\n", dialect.QuoteIdentifier("posts"), strings.Join(cols, ", "))
	// Output:
	// CREATE TABLE "posts" ("id" TEXT PRIMARY KEY, "_creationTime" REAL NOT NULL, "title" TEXT)
}

func ExampleColumnRef() {
	fmt.Println(dialect.ColumnRef("_id"), dialect.ColumnRef("id"), dialect.ColumnRef("author"))
	// Output:
	// "id" "id" "author"
}

func ExamplePhysicalIndexName() {
	fmt.Printf("CREATE INDEX %s ON %s (%s)\n",
		dialect.PhysicalIndexName("posts", "by_author"), dialect.QuoteIdentifier("posts"), dialect.ColumnRef("author"))
	// Output:
	// CREATE INDEX "posts_by_author" ON "posts" ("author")
}
