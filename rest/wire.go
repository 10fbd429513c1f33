package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
					return nil, errors.Join(db.failure(status, header, data), ctx.Err())
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

// decoder reads an answer token by token, so that the keys of row objects
// keep their order and numbers keep their text.
type decoder struct {
	dec *json.Decoder
}

// decodeEnvelope decodes an answer of /query or /raw.
func decodeEnvelope(data []byte) (*envelope, error) {
	d := decoder{dec: json.NewDecoder(bytes.NewReader(data))}
	d.dec.UseNumber()
	env := &envelope{}
	err := d.object(func(key string) error {
		switch key {
		case "success":
			return d.dec.Decode(&env.success)
		case "errors":
			return d.dec.Decode(&env.errors)
		case "messages":
			return d.dec.Decode(&env.messages)
		case "result":
			return d.array(func() error {
				r := wireResult{success: true}
				if err := d.result(&r); err != nil {
					return err
				}
				env.results = append(env.results, r)
				return nil
			})
		}
		return d.skip()
	})
	if err != nil {
		return nil, err
	}
	if _, err := d.dec.Token(); err != io.EOF {
		return nil, errors.New("data after the answer's object")
	}
	return env, nil
}

// result decodes one entry of result.
func (d *decoder) result(r *wireResult) error {
	return d.object(func(key string) error {
		switch key {
		case "success":
			return d.dec.Decode(&r.success)
		case "error":
			var s *string
			if err := d.dec.Decode(&s); err != nil {
				return err
			}
			if s != nil {
				r.err = *s
				r.success = false
			}
			return nil
		case "meta":
			var m *metaWire
			if err := d.dec.Decode(&m); err != nil {
				return fmt.Errorf("meta: %w", err)
			}
			if m != nil {
				r.meta = m.meta()
			}
			return nil
		case "results":
			return d.results(r)
		}
		return d.skip()
	})
}

// results decodes /query's array of row objects or /raw's
// {columns, rows}.
func (d *decoder) results(r *wireResult) error {
	tok, err := d.dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case nil:
		return nil
	case json.Delim('['):
		return d.rowObjects(r)
	case json.Delim('{'):
		return d.columnsAndRows(r)
	}
	return fmt.Errorf("results: unexpected %v", tok)
}

// rowObjects decodes row objects, after the opening '['. The first row's
// keys name the columns, in order. A key repeated within a row keeps its
// first position and its last value, as a JavaScript object does.
func (d *decoder) rowObjects(r *wireResult) error {
	var index map[string]int
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return err
		}
		if tok != json.Delim('{') {
			return fmt.Errorf("results: a row is %v, not an object", tok)
		}
		var row []any
		if r.columns != nil {
			row = make([]any, len(r.columns))
		}
		pos := 0
		for d.dec.More() {
			key, err := d.key()
			if err != nil {
				return err
			}
			v, err := d.value()
			if err != nil {
				return fmt.Errorf("column %q: %w", key, err)
			}
			// Fast path: the keys come in the order of the columns,
			// which are distinct.
			if pos < len(r.columns) && r.columns[pos] == key {
				row[pos] = v
				pos++
				continue
			}
			if index == nil {
				index = make(map[string]int, len(r.columns))
				for i, c := range r.columns {
					if _, dup := index[c]; !dup {
						index[c] = i
					}
				}
			}
			i, ok := index[key]
			if !ok {
				// A column the earlier rows lacked: they hold NULL in it.
				i = len(r.columns)
				index[key] = i
				r.columns = append(r.columns, key)
				for j := range r.rows {
					r.rows[j] = append(r.rows[j], nil)
				}
				row = append(row, nil)
			}
			row[i] = v
			pos = i + 1
		}
		if _, err := d.dec.Token(); err != nil { // '}'
			return err
		}
		if row == nil {
			row = []any{}
		}
		r.rows = append(r.rows, row)
	}
	if r.columns == nil {
		r.columns = []string{}
	}
	_, err := d.dec.Token() // ']'
	return err
}

// columnsAndRows decodes /raw's {columns, rows}, after the opening '{'.
func (d *decoder) columnsAndRows(r *wireResult) error {
	for d.dec.More() {
		key, err := d.key()
		if err != nil {
			return err
		}
		switch key {
		case "columns":
			var cols []string
			if err := d.dec.Decode(&cols); err != nil {
				return fmt.Errorf("columns: %w", err)
			}
			r.columns = cols
		case "rows":
			err = d.array(func() error {
				row := make([]any, 0, len(r.columns))
				err := d.array(func() error {
					v, err := d.value()
					row = append(row, v)
					return err
				})
				r.rows = append(r.rows, row)
				return err
			})
			if err != nil {
				return fmt.Errorf("rows: %w", err)
			}
		default:
			if err := d.skip(); err != nil {
				return err
			}
		}
	}
	_, err := d.dec.Token() // '}'
	return err
}

// value decodes one value: null, a string, a number, or a BLOB as an array
// of byte values. Booleans, which D1 does not return, become 1 and 0.
func (d *decoder) value() (any, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return nil, err
	}
	switch x := tok.(type) {
	case nil, string:
		return x, nil
	case json.Number:
		return number(x)
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case json.Delim:
		if x == '[' {
			return d.blob()
		}
	}
	return nil, fmt.Errorf("unexpected %v", tok)
}

// blob decodes an array of byte values, after the opening '['.
func (d *decoder) blob() ([]byte, error) {
	b := []byte{}
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return nil, err
		}
		n, ok := tok.(json.Number)
		if !ok {
			return nil, fmt.Errorf("a BLOB holds %v, not a byte value", tok)
		}
		v, err := strconv.ParseUint(string(n), 10, 8)
		if err != nil {
			return nil, fmt.Errorf("a BLOB holds %s, not a byte value", n)
		}
		b = append(b, byte(v))
	}
	_, err := d.dec.Token() // ']'
	return b, err
}

// number converts a JSON number, written from a JavaScript number, as
// [d1.NormalizeResult] does. Whole numbers of up to 15 digits are exact in a
// float64 and parse directly.
func number(n json.Number) (any, error) {
	s := string(n)
	if len(s) <= 15 {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
			return nil, fmt.Errorf("bad number %s", s)
		}
		// Out of float64's range: ParseFloat gives ±Inf, as JavaScript
		// would, and NormalizeResult makes it nil.
	}
	return d1.NormalizeResult(f), nil
}

// object reads an object, calling field for each key with the decoder at
// the key's value; field must consume the value. A null object is empty.
func (d *decoder) object(field func(key string) error) error {
	tok, err := d.dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("expected an object, found %v", tok)
	}
	for d.dec.More() {
		key, err := d.key()
		if err != nil {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
	}
	_, err = d.dec.Token()
	return err
}

// array reads an array, calling elem for each element; elem must consume
// it. A null array is empty.
func (d *decoder) array(elem func() error) error {
	tok, err := d.dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if tok != json.Delim('[') {
		return fmt.Errorf("expected an array, found %v", tok)
	}
	for d.dec.More() {
		if err := elem(); err != nil {
			return err
		}
	}
	_, err = d.dec.Token()
	return err
}

func (d *decoder) key() (string, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("expected a key, found %v", tok)
	}
	return s, nil
}

// skip consumes one value.
func (d *decoder) skip() error {
	var v json.RawMessage
	return d.dec.Decode(&v)
}

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
