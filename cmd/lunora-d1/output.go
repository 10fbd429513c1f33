package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lunora-go/d1"
)

// redact replaces every secret in s.
func (a *app) redact(s string) string {
	for _, sec := range a.secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return s
}

// printError writes err to stderr: as text for people, or with --json as
// {"error": {...}}.
func (a *app) printError(err error, code int) {
	msg := a.redact(err.Error())
	if a.common.json {
		e := map[string]any{"message": msg, "exit_code": code}
		var de *d1.Error
		if errors.As(err, &de) {
			e["d1_code"] = de.Code
			if de.Primary != 0 {
				e["sqlite_code"] = de.ResultCode().String()
			}
		}
		a.writeJSON(a.stderr, map[string]any{"error": e})
		return
	}
	fmt.Fprintf(a.stderr, "lunora-d1: %s\n", msg)
}

// writeJSON writes v as JSON on one line.
func (a *app) writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// jsonValue returns v as D1 gives it to JavaScript: a BLOB is an array of
// byte values.
func jsonValue(v any) any {
	if b, ok := v.([]byte); ok {
		out := make([]int, len(b))
		for i, c := range b {
			out[i] = int(c)
		}
		return out
	}
	return v
}

// jsonResult is a d1.Result as --json writes it.
type jsonResult struct {
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
	Meta    *d1.Meta `json:"meta,omitempty"`
}

func toJSONResult(r *d1.Result, meta bool) jsonResult {
	out := jsonResult{Columns: r.Columns, Rows: make([][]any, len(r.Rows))}
	if out.Columns == nil {
		out.Columns = []string{}
	}
	for i, row := range r.Rows {
		vals := make([]any, len(row))
		for j, v := range row {
			vals[j] = jsonValue(v)
		}
		out.Rows[i] = vals
	}
	if meta {
		m := r.Meta
		out.Meta = &m
	}
	return out
}

// formatValue renders a value for a table cell: NULL, numbers as D1 prints
// them, BLOBs as x'hex', and text with control characters escaped so that
// each row stays on one line.
func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []byte:
		return "x'" + hex.EncodeToString(x) + "'"
	case string:
		if strings.IndexFunc(x, func(r rune) bool { return unicode.IsControl(r) || r == utf8.RuneError }) < 0 {
			return x
		}
		q := strconv.Quote(x)
		return q[1 : len(q)-1]
	}
	return fmt.Sprint(v)
}

// writeTable writes columns and rows as an aligned table, numbers to the
// right:
//
//	 id | name
//	----+-------
//	  1 | Ada
func writeTable(w io.Writer, columns []string, rows [][]any) {
	if len(columns) == 0 {
		return
	}
	cells := make([][]string, len(rows))
	width := make([]int, len(columns))
	right := make([]bool, len(columns))
	for j, c := range columns {
		width[j] = utf8.RuneCountInString(c)
		right[j] = len(rows) > 0
	}
	for i, row := range rows {
		cells[i] = make([]string, len(columns))
		for j := range columns {
			var v any
			if j < len(row) {
				v = row[j]
			}
			s := formatValue(v)
			cells[i][j] = s
			width[j] = max(width[j], utf8.RuneCountInString(s))
			switch v.(type) {
			case int64, float64, nil:
			default:
				right[j] = false
			}
		}
	}
	var b strings.Builder
	line := func(vals []string, alignRight []bool) {
		for j, s := range vals {
			if j > 0 {
				b.WriteString(" |")
			}
			pad := strings.Repeat(" ", width[j]-utf8.RuneCountInString(s))
			b.WriteByte(' ')
			if alignRight != nil && alignRight[j] {
				b.WriteString(pad + s)
			} else if j < len(vals)-1 {
				b.WriteString(s + pad)
			} else {
				b.WriteString(s)
			}
		}
		b.WriteByte('\n')
	}
	line(columns, nil)
	for j := range columns {
		if j > 0 {
			b.WriteByte('+')
		}
		b.WriteString(strings.Repeat("-", width[j]+2))
	}
	b.WriteByte('\n')
	for _, row := range cells {
		line(row, right)
	}
	io.WriteString(w, b.String())
}

// plural returns "1 row" or "2 rows".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// formatMS renders a duration in milliseconds.
func formatMS(ms float64) string {
	switch {
	case ms < 10:
		return strconv.FormatFloat(ms, 'f', 2, 64) + " ms"
	case ms < 1000:
		return strconv.FormatFloat(ms, 'f', 1, 64) + " ms"
	}
	return strconv.FormatFloat(ms/1000, 'f', 2, 64) + " s"
}
