package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/lunora-go/d1"
)

// query is one statement in a request body: {"sql", "params"}.
type query struct {
	SQL    string `json:"sql"`
	Params []any  `json:"params,omitempty"`
}

// batchBody is the body of a batch: {"batch": [...]}.
type batchBody struct {
	Batch []query `json:"batch"`
}

// maxResponseBytes bounds the body the client reads. D1 results are at most
// 50 MB; their JSON is larger, BLOBs especially.
const maxResponseBytes = 1 << 30

// userAgent identifies the client to Cloudflare.
const userAgent = "lunora-go-d1-rest"

// MaxRateLimitRetries is the most times one call sends its request again
// after HTTP 429 answers, however short the delays they ask for.
const MaxRateLimitRetries = 10

// do sends body to endpoint and decodes the answer, waiting out HTTP 429
// answers within the rate-limit budget. A 429 answer without Retry-After
// counts as one asking for a second.
func (db *DB) do(ctx context.Context, endpoint string, body any) ([]wireResult, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		return nil, fmt.Errorf("rest: encoding the request: %w", err)
	}
	payload := buf.Bytes()
	budget := db.rateWait
	for retries := 0; ; retries++ {
		status, header, data, err := db.post(ctx, endpoint, payload)
		if err != nil {
			return nil, err
		}
		if status == http.StatusTooManyRequests && retries < MaxRateLimitRetries {
			wait, ok := retryAfter(header, time.Now())
			if !ok {
				wait = time.Second
			}
			if budget > 0 && wait <= budget {
				budget -= wait
				t := time.NewTimer(wait)
				select {
				case <-ctx.Done():
					t.Stop()
					return nil, fmt.Errorf("%w; stopped waiting to send it again: %w", db.failure(status, header, data), ctx.Err())
				case <-t.C:
				}
				continue
			}
		}
		return db.decode(status, header, data)
	}
}

// post sends one request and reads the whole answer.
func (db *DB) post(ctx context.Context, endpoint string, payload []byte) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(payload))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("rest: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if db.token != "" {
		req.Header.Set("Authorization", "Bearer "+db.token)
	}
	resp, err := db.client.Do(req)
	if err != nil {
		// *url.Error names the method and URL (account and database IDs,
		// never the token) and unwraps to the cause, such as
		// context.Canceled.
		return 0, nil, nil, fmt.Errorf("rest: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("rest: reading the answer to POST %s: %w", endpoint, err)
	}
	if len(data) > maxResponseBytes {
		return 0, nil, nil, fmt.Errorf("rest: the answer to POST %s is larger than %d bytes", endpoint, maxResponseBytes)
	}
	return resp.StatusCode, resp.Header, data, nil
}

// decode turns an answer into results, or into the error it reports.
func (db *DB) decode(status int, header http.Header, data []byte) ([]wireResult, error) {
	if status != http.StatusOK {
		return nil, db.failure(status, header, data)
	}
	env, err := decodeEnvelope(data)
	if err != nil {
		return nil, fmt.Errorf("rest: decoding the API's answer: %w", err)
	}
	if !env.success {
		return nil, db.failure(status, header, data)
	}
	for i := range env.results {
		if r := &env.results[i]; !r.success {
			msg := r.err
			if msg == "" {
				msg = "the statement failed and the API gave no reason"
			}
			return nil, d1.ParseError(db.redact(msg))
		}
	}
	return env.results, nil
}

// retryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// envelope is the API's answer: {success, errors, messages, result}.
type envelope struct {
	success  bool
	errors   []Message
	messages []Message
	results  []wireResult
}

// wireResult is one statement's entry in result.
type wireResult struct {
	success bool
	err     string // a per-statement error, as D1's own protocol gives one
	meta    d1.Meta
	columns []string
	rows    [][]any
}

// result converts r to a d1.Result. Columns and Rows are never nil.
func (r *wireResult) result() *d1.Result {
	res := &d1.Result{Columns: r.columns, Rows: r.rows, Meta: r.meta}
	if res.Columns == nil {
		res.Columns = []string{}
	}
	if res.Rows == nil {
		res.Rows = [][]any{}
	}
	return res
}

// The decoder is in decode.go.

// metaWire is D1's meta as JSON, with numbers as text: D1 writes them from
// JavaScript numbers, which need not look like Go integers.
type metaWire struct {
	Duration        json.Number  `json:"duration"`
	Changes         json.Number  `json:"changes"`
	LastRowID       json.Number  `json:"last_row_id"`
	ChangedDB       bool         `json:"changed_db"`
	SizeAfter       json.Number  `json:"size_after"`
	RowsRead        json.Number  `json:"rows_read"`
	RowsWritten     json.Number  `json:"rows_written"`
	ServedBy        string       `json:"served_by"`
	ServedByRegion  string       `json:"served_by_region"`
	ServedByPrimary *bool        `json:"served_by_primary"`
	ServedByColo    string       `json:"served_by_colo"`
	TotalAttempts   json.Number  `json:"total_attempts"`
	Timings         *timingsWire `json:"timings"`
}

type timingsWire struct {
	SQLDurationMS json.Number `json:"sql_duration_ms"`
}

func (m *metaWire) meta() d1.Meta {
	out := d1.Meta{
		Duration:        toFloat(m.Duration),
		Changes:         toInt(m.Changes),
		LastRowID:       toInt(m.LastRowID),
		ChangedDB:       m.ChangedDB,
		SizeAfter:       toInt(m.SizeAfter),
		RowsRead:        toInt(m.RowsRead),
		RowsWritten:     toInt(m.RowsWritten),
		ServedBy:        m.ServedBy,
		ServedByRegion:  m.ServedByRegion,
		ServedByPrimary: m.ServedByPrimary,
		ServedByColo:    m.ServedByColo,
		TotalAttempts:   int(toInt(m.TotalAttempts)),
	}
	if m.Timings != nil {
		out.Timings = &d1.Timings{SQLDurationMS: toFloat(m.Timings.SQLDurationMS)}
	}
	return out
}

func toFloat(n json.Number) float64 {
	f, _ := strconv.ParseFloat(string(n), 64)
	return f
}

func toInt(n json.Number) int64 {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i
	}
	f, _ := strconv.ParseFloat(string(n), 64)
	if f >= -(1<<63) && f < 1<<63 {
		return int64(f)
	}
	return 0
}
