package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// stripJSONC turns JSON with comments and trailing commas, as wrangler.jsonc
// is written, into JSON: every comment and every comma that closes nothing
// is replaced by spaces. Newlines inside block comments are kept, and the
// result has the length of src, so an offset that encoding/json reports
// points at the same place in src.
//
// Valid JSON comes back unchanged. Text inside strings is never touched.
// An unterminated block comment is an error; an unterminated string is left
// for the JSON decoder to report.
func stripJSONC(src []byte) ([]byte, error) {
	out := bytes.Clone(src)
	blank := func(from, to int) {
		for i := from; i < to; i++ {
			if out[i] != '\n' && out[i] != '\r' {
				out[i] = ' '
			}
		}
	}
	for i := 0; i < len(out); i++ {
		switch c := out[i]; {
		case c == '"':
			i = skipString(out, i)
		case c == '/' && i+1 < len(out) && out[i+1] == '/':
			end := bytes.IndexByte(out[i:], '\n')
			if end < 0 {
				end = len(out) - i
			}
			blank(i, i+end)
			i += end - 1
		case c == '/' && i+1 < len(out) && out[i+1] == '*':
			end := bytes.Index(out[i+2:], []byte("*/"))
			if end < 0 {
				line, col := lineCol(src, i)
				return nil, fmt.Errorf("line %d, column %d: a /* comment is never closed with */", line, col)
			}
			blank(i, i+2+end+2)
			i += 2 + end + 1
		}
	}
	// Comments are spaces now: a comma followed only by white space and
	// then } or ] is trailing.
	for i := 0; i < len(out); i++ {
		switch out[i] {
		case '"':
			i = skipString(out, i)
		case ',':
			j := i + 1
			for j < len(out) && isJSONSpace(out[j]) {
				j++
			}
			if j < len(out) && (out[j] == '}' || out[j] == ']') {
				out[i] = ' '
			}
		}
	}
	return out, nil
}

// skipString returns the offset of the quote that closes the string opened
// at b[i], or len(b)-1 when it is never closed.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return len(b) - 1
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// lineCol returns the 1-based line and column (in bytes) of offset in src.
func lineCol(src []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(src))
	line = 1 + bytes.Count(src[:offset], []byte("\n"))
	col = offset - bytes.LastIndexByte(src[:offset], '\n')
	return line, col
}

// parseJSONC decodes a wrangler.jsonc (or wrangler.json) document into a
// generic value: objects are map[string]any, arrays []any, strings string.
// Errors name the line and column in src.
func parseJSONC(src []byte) (map[string]any, error) {
	clean, err := stripJSONC(src)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(clean))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line, col := lineCol(src, int(se.Offset)-1)
			return nil, fmt.Errorf("line %d, column %d: %s", line, col, se.Error())
		case errors.As(err, &te):
			return nil, errors.New("the file must hold one JSON object, { ... }")
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return nil, errors.New("the file ends before its JSON object does")
		}
		return nil, err
	}
	if doc == nil {
		return nil, errors.New("the file must hold one JSON object, { ... }")
	}
	if off := dec.InputOffset(); len(bytes.TrimSpace(clean[off:])) > 0 {
		line, col := lineCol(src, int(off)+len(clean[off:])-len(bytes.TrimLeft(clean[off:], " \t\r\n")))
		return nil, fmt.Errorf("line %d, column %d: text after the JSON object", line, col)
	}
	return doc, nil
}
