// Package d1 is a client for Cloudflare D1, the SQLite database that Cloudflare
// runs as a global service with read replicas.
//
// A [Client] sits on top of any backend that implements the binding contract
// ([Database], [DatabaseSession], [PreparedStatement]), the shape of D1's own
// Worker binding. The backends live in their own packages: local (an embedded
// D1 for development and tests), bridge (real D1 through a small Worker), rest
// (Cloudflare's REST API) and workers (Go compiled to wasm inside a Worker).
// Everything above the contract (sessions, the statement cache, batches,
// scanning, errors, limits) is written once, here, and behaves the same on
// every backend.
//
// # Sessions and bookmarks
//
// D1 serves reads from replicas. A [Session] threads a bookmark through every
// query so that its reads never go back in time: [Client.WithSession] with ""
// lets the first query go to any replica, [FirstPrimary] sends it to the
// primary, and a bookmark from an earlier session makes the first query see
// data at least that new. [Session.Bookmark] returns the newest bookmark the
// session has seen; pass it to the next request to read your own writes.
//
// # Values
//
// D1 speaks JavaScript values, and this package keeps their meaning. Bound
// values may be nil, bool, any integer or floating-point kind, string,
// []byte, a [driver.Valuer], or a named type whose underlying kind is one of
// those; see [Normalize] for the exact rules. Note that D1 binds every number,
// even a whole one, as a REAL, and binds true and false as 1.0 and 0.0. An
// integer whose magnitude exceeds 2^53 cannot be represented as a JavaScript
// number, so it is refused with D1's own D1_TYPE_ERROR instead of being
// silently rounded.
//
// Values come back as nil, int64, float64, string or []byte. D1 returns
// numbers as JavaScript numbers, so a number is an int64 when it is whole and
// within ±2^53, and a float64 otherwise: the REAL 2.0 comes back as int64(2),
// as it does from D1. Infinities and NaN come back as nil, as from D1.
// Through the JavaScript-based backends an INTEGER beyond ±2^53 has already
// lost precision inside D1 and arrives as a float64; the local backend returns
// it exactly.
//
// # Errors
//
// Errors from D1 are [*Error] values carrying D1's code, SQLite's result codes
// and D1's message text; use [errors.As] to inspect them and the helpers
// [IsConstraint], [IsUniqueViolation] and [IsRetryable] to ask the common
// questions. [Session.First] reports a missing row as [ErrNoRows].
package d1
