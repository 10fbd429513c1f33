package rest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/lunora-go/d1"
)

// CodeSQLError is the Cloudflare error code of an error in the SQL, which
// the API answers with HTTP 400.
const CodeSQLError = 7500

// Message is one entry of the errors or messages of an API answer.
type Message struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// APIError is a failure of a request to the Cloudflare API, as opposed to an
// error in the SQL, which is a [*d1.Error]: a token that is not accepted or
// lacks a permission, an unknown account or database, the rate limit, a
// failure at Cloudflare. Its message says what to fix. It unwraps to a
// [*d1.Error] (code D1_ERROR) with the same message, so errors.As finds a
// *d1.Error for every failure of this backend.
//
// It never contains the API token: text from the answer is redacted.
type APIError struct {
	// StatusCode is the answer's HTTP status.
	StatusCode int
	// Errors are the answer's errors, as Cloudflare gave them.
	Errors []Message
	// RetryAfter is the delay an HTTP 429 or 503 answer asked for in its
	// Retry-After header, or zero.
	RetryAfter time.Duration

	err *d1.Error
}

// Error returns the message, prefixed "rest: ".
func (e *APIError) Error() string { return "rest: " + e.err.Message }

// Unwrap returns the error as a [*d1.Error].
func (e *APIError) Unwrap() error { return e.err }

// Retryable reports whether sending the request again may succeed: true for
// HTTP 429 (rate limited) and for HTTP 5xx (a failure at Cloudflare, after
// which a write may or may not have been applied). [d1.IsRetryable] and a
// [d1.RetryPolicy] ask this method.
func (e *APIError) Retryable() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

func isAPIError(err error) bool {
	var e *APIError
	return errors.As(err, &e)
}

// Cloudflare error codes that mean the credentials were not accepted, which
// the API answers with HTTP 400 rather than 401 when the headers themselves
// are at fault.
var authCodes = map[int]bool{
	6003:  true, // Invalid request headers
	6111:  true, // Invalid format for Authorization header
	9106:  true, // Missing X-Auth-Key, X-Auth-Email or Authorization headers
	9109:  true, // Invalid access token
	10001: true, // Unable to authenticate request
}

// codeAccountNotAuthorized is D1's answer for an account the token may not
// use, or that does not exist.
const codeAccountNotAuthorized = 7403

// failure turns an answer that is not a success into an error: a *d1.Error
// for an error in the SQL, an *APIError for anything else.
func (db *DB) failure(status int, header http.Header, data []byte) error {
	var env struct {
		Errors []Message `json:"errors"`
	}
	isJSON := json.Unmarshal(data, &env) == nil
	for i := range env.Errors {
		env.Errors[i].Message = db.redact(env.Errors[i].Message)
	}
	if (status == http.StatusBadRequest || status == http.StatusOK) && len(env.Errors) > 0 && allSQL(env.Errors) {
		return d1.ParseError(env.Errors[0].Message)
	}

	e := &APIError{StatusCode: status, Errors: env.Errors}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		e.RetryAfter, _ = retryAfter(header, time.Now())
	}
	detail := "HTTP " + strconv.Itoa(status)
	for _, m := range env.Errors {
		detail += fmt.Sprintf("; Cloudflare error %d: %s", m.Code, m.Message)
	}
	if !isJSON && len(data) > 0 {
		detail += ": " + db.snippet(data)
	}
	code := 0
	if len(env.Errors) > 0 {
		code = env.Errors[0].Code
	}

	var msg string
	switch {
	case status == http.StatusUnauthorized || (status == http.StatusBadRequest && authCodes[code]):
		msg = "the API token was not accepted (" + detail + "): use a valid, unexpired Cloudflare API token; " +
			"it is sent as a bearer token"
	case status == http.StatusForbidden && code == codeAccountNotAuthorized:
		msg = "account " + db.accountID + " is not valid or the API token may not use it (" + detail + "): " +
			"check the account ID and the token's account resources"
	case status == http.StatusForbidden:
		msg = "the API token may not query database " + db.databaseID + " (" + detail + "): it needs the " +
			"D1 Read permission to read and D1 Edit (\"D1 Write\" in the API reference) to write, " +
			"for account " + db.accountID
	case status == http.StatusNotFound:
		msg = "database " + db.databaseID + " was not found in account " + db.accountID + " (" + detail + "): " +
			"check the database ID (a UUID, as `wrangler d1 list` shows it) and the account ID"
	case status == http.StatusTooManyRequests:
		msg = "rate limited by the Cloudflare API (" + detail + "): it allows 1200 requests per five minutes " +
			"per API token"
		if e.RetryAfter > 0 {
			msg += "; retry after " + e.RetryAfter.String()
		}
	case status >= 500:
		msg = "the Cloudflare API failed (" + detail + "): this may be transient; a write may or may not " +
			"have been applied"
		if e.RetryAfter > 0 {
			msg += "; retry after " + e.RetryAfter.String()
		}
	default:
		msg = "the Cloudflare API refused the request (" + detail + ")"
	}
	e.err = &d1.Error{Code: d1.CodeError, Message: msg, Offset: -1}
	return e
}

func allSQL(ms []Message) bool {
	for _, m := range ms {
		if m.Code != CodeSQLError {
			return false
		}
	}
	return true
}

// redact removes the API token from text that came from the server.
func (db *DB) redact(s string) string {
	if len(db.token) < 4 {
		return s
	}
	return strings.ReplaceAll(s, db.token, "[REDACTED]")
}

// snippet is the start of an answer that is not JSON, for an error message:
// redacted, one line, at most 200 bytes.
func (db *DB) snippet(data []byte) string {
	s := db.redact(strings.ToValidUTF8(string(data), "\uFFFD"))
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		cut := 200
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
