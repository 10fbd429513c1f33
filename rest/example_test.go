package rest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/rest"
)

// Open a database over the REST API and query it through a d1.Client.
func ExampleOpen() {
	db, err := rest.Open(os.Getenv("CLOUDFLARE_ACCOUNT_ID"), os.Getenv("D1_DATABASE_ID"),
		os.Getenv("CLOUDFLARE_API_TOKEN"), nil)
	if err != nil {
		log.Fatal(err)
	}
	client := d1.New(db)

	ctx := context.Background()
	res, err := client.All(ctx, "SELECT name FROM sqlite_master WHERE type = ?", "table")
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range res.Rows {
		fmt.Println(row[0])
	}
}

// Options for a script that runs in CI: a client timeout, a longer wait when
// rate-limited, and retries of transient failures by the d1.Client.
func ExampleOptions() {
	db, err := rest.Open(os.Getenv("CLOUDFLARE_ACCOUNT_ID"), os.Getenv("D1_DATABASE_ID"),
		os.Getenv("CLOUDFLARE_API_TOKEN"), &rest.Options{
			HTTPClient:    &http.Client{Timeout: time.Minute},
			RateLimitWait: 2 * time.Minute,
		})
	if err != nil {
		log.Fatal(err)
	}
	client := d1.NewWithOptions(db, d1.Options{Retry: &d1.RetryPolicy{MaxAttempts: 4}})
	_ = client
}

// Tell an error in the SQL from a failure of the request.
func ExampleAPIError() {
	db, err := rest.Open(os.Getenv("CLOUDFLARE_ACCOUNT_ID"), os.Getenv("D1_DATABASE_ID"),
		os.Getenv("CLOUDFLARE_API_TOKEN"), nil)
	if err != nil {
		log.Fatal(err)
	}
	_, err = d1.New(db).Run(context.Background(), "INSERT INTO users (email) VALUES (?)", "ann@example.com")
	var apiErr *rest.APIError
	switch {
	case err == nil:
	case d1.IsUniqueViolation(err):
		fmt.Println("already there")
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden:
		log.Fatal(err) // says which permission the token lacks
	case d1.IsRetryable(err):
		log.Print("try again later: ", err)
	default:
		log.Fatal(err)
	}
}

// Store a BLOB: the REST API cannot bind []byte, so bind hex text and decode
// it in SQL.
func ExampleDB_Prepare_blob() {
	db, err := rest.Open(os.Getenv("CLOUDFLARE_ACCOUNT_ID"), os.Getenv("D1_DATABASE_ID"),
		os.Getenv("CLOUDFLARE_API_TOKEN"), nil)
	if err != nil {
		log.Fatal(err)
	}
	avatar := []byte{0x89, 0x50, 0x4e, 0x47}
	_, err = d1.New(db).Run(context.Background(),
		"UPDATE users SET avatar = unhex(?) WHERE id = ?", fmt.Sprintf("%x", avatar), 1)
	if err != nil {
		log.Fatal(err)
	}
}
