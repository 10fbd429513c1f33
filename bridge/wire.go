package bridge

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/lunora-go/d1"
)

// The protocol's modes: which D1 method runs a single statement.
const (
	modeAll   = "all"
	modeRun   = "run"
	modeFirst = "first"
	modeRaw   = "raw"
)

// request is the body of POST /v1/query.
type request struct {
	Session    *string         `json:"session,omitempty"`
	Statements []wireStatement `json:"statements"`
	Batch      bool            `json:"batch,omitempty"`
	Exec       *string         `json:"exec,omitempty"`
}

type wireStatement struct {
	SQL    string `json:"sql"`
	Params []any  `json:"params,omitempty"`
	Mode   string `json:"mode,omitempty"`
}

// wireBlob is a BLOB on the wire: {"blob": "<base64>"}.
type wireBlob struct {
	Blob []byte `json:"blob"`
}

// response is the body of a 200 answer.
type response struct {
	Results  []wireResult   `json:"results"`
	Bookmark *string        `json:"bookmark"`
	Error    *wireError     `json:"error"`
	Exec     *d1.ExecResult `json:"exec"`
}

type wireResult struct {
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
	Meta    *d1.Meta `json:"meta"`
}

type wireError struct {
	Message string `json:"message"`
}

// toWire converts values normalized by [d1.Normalize] to their JSON form.
func toWire(values []any) ([]any, error) {
	out := make([]any, len(values))
	for i, v := range values {
		n, err := d1.Normalize(v)
		if err != nil {
			return nil, err
		}
		if b, ok := n.([]byte); ok {
			n = wireBlob{Blob: b}
		}
		out[i] = n
	}
	return out, nil
}

// result converts a result off the wire, in place, to a [d1.Result].
func (w *wireResult) result() (*d1.Result, error) {
	for _, row := range w.Rows {
		for j, v := range row {
			x, err := fromWire(v)
			if err != nil {
				return nil, err
			}
			row[j] = x
		}
	}
	res := &d1.Result{Columns: w.Columns, Rows: w.Rows}
	if res.Columns == nil {
		res.Columns = []string{}
	}
	if res.Rows == nil {
		res.Rows = [][]any{}
	}
	if w.Meta != nil {
		res.Meta = *w.Meta
	}
	return res, nil
}

// fromWire converts one value decoded with UseNumber to what a [d1.Result]
// holds. Numbers were JavaScript numbers: they become int64 or float64 by
// [d1.NormalizeResult], as on every backend.
func fromWire(v any) (any, error) {
	switch x := v.(type) {
	case nil, string:
		return x, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return nil, fmt.Errorf("bridge: bad number %q in response", x)
		}
		return d1.NormalizeResult(f), nil
	case map[string]any:
		if s, ok := x["blob"].(string); ok && len(x) == 1 {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, fmt.Errorf("bridge: bad blob in response: %w", err)
			}
			return b, nil
		}
	}
	return nil, fmt.Errorf("bridge: unexpected %T value in response", v)
}
