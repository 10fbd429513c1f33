// Package rest is a backend of github.com/lunora-go/d1 over Cloudflare's D1
// REST API, for administration, CI migrations and scripts that run outside
// Cloudflare:
//
//	POST https://api.cloudflare.com/client/v4/accounts/{account}/d1/database/{database}/query
//	POST https://api.cloudflare.com/client/v4/accounts/{account}/d1/database/{database}/raw
//
// [Open] returns a [*DB], which implements [d1.Database]; wrap it in a
// [d1.Client]:
//
//	db, err := rest.Open(accountID, databaseID, os.Getenv("CLOUDFLARE_API_TOKEN"), nil)
//	if err != nil { ... }
//	client := d1.New(db)
//
// Cloudflare rate-limits its API (1200 requests per five minutes per token)
// and calls it best for administrative use; application traffic belongs in
// a Worker, where the binding, or the bridge backend, is faster and has
// sessions.
//
// # No sessions
//
// The REST API has no sessions and no bookmarks: Cloudflare offers the
// Sessions API only through the Worker binding. [DB.WithSession] still
// returns a session, so that code written for sessions runs, but that
// session is the database itself: its constraint or bookmark is ignored, and
// its Bookmark method always reports false. Without the Sessions API D1 sends
// every query to the primary database, which is never behind any bookmark,
// so reads through this backend see every committed write.
//
// # Requests
//
// All, Run and First send the statement to /query, which answers rows as
// JSON objects; the client decodes them in order, keeping the column order
// and decoding numbers from their JSON text. Raw sends it to /raw, which
// answers columns and rows and so keeps duplicate column names. A batch is
// one request, {"batch": [...]}, which D1 runs as one transaction. Exec
// splits its input on newlines, as the binding's exec does, and sends the
// lines as one batch.
//
// # Values
//
// Bound values are sent as JSON strings, numbers and null (booleans arrive
// as the numbers 1 and 0, see [d1.Normalize]). Cloudflare's reference types
// params as an array of strings; the D1 service behind it binds numbers as
// numbers, as the Worker binding sends them, and so D1 stores them as it
// would from a Worker (a whole number as a REAL). BLOBs cannot be bound: the
// documented API has no form for them, so binding a []byte fails with a
// D1_TYPE_ERROR instead of sending something D1 would store differently.
// Bind hex text and decode it in SQL instead: INSERT ... VALUES (unhex(?)).
//
// Results follow the other backends: numbers come back as JavaScript numbers
// in JSON, so a number is an int64 when it is whole and within ±2^53 and a
// float64 otherwise (see [d1.NormalizeResult]). An INTEGER beyond ±2^53 has
// already been rounded by D1 before it is written as JSON; the client does
// not pretend otherwise, even when the JSON text has more digits. BLOBs come
// back as arrays of byte values and are decoded to []byte.
//
// # Errors
//
// An error in the SQL (HTTP 400 with Cloudflare error code 7500) is a
// [*d1.Error] in D1's words, with D1's code and SQLite's result codes, the
// same as from every other backend. A failure of the request itself is an
// [*APIError] that says what to fix (a token that is not accepted, a
// missing D1 permission, an unknown database or account, the rate limit,
// a failure at Cloudflare) and unwraps to a [*d1.Error], so errors.As finds
// one either way. HTTP 429 answers are retried after their Retry-After
// delay, within [Options.RateLimitWait]; after that, and on HTTP 5xx, the
// error reports Retryable() true for [d1.IsRetryable] and a [d1.RetryPolicy].
//
// The API token is sent only in the Authorization header. It never appears
// in an error, and the [*DB] does not print it.
package rest
