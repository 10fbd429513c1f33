package sqlscan

import (
	"strconv"
	"strings"
)

// Position returns the 1-based line and column (in bytes) of offset in src.
// An offset outside src is clamped to it.
func Position(src string, offset int) (line, col int) {
	offset = max(0, min(offset, len(src)))
	before := src[:offset]
	line = 1 + strings.Count(before, "\n")
	col = offset - (strings.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// Error is an error found in a source, at a byte offset.
type Error struct {
	Offset int    // byte offset in the source
	Msg    string // what is wrong

	src string
}

// Error returns "line:col: msg".
func (e *Error) Error() string {
	line, col := e.Position()
	return strconv.Itoa(line) + ":" + strconv.Itoa(col) + ": " + e.Msg
}

// Position returns the line and column of the error, counted from 1.
func (e *Error) Position() (line, col int) { return Position(e.src, e.Offset) }

// ErrorList is a list of errors in one source. Its zero value is an empty
// list for an empty source; [NewErrorList] ties one to a source.
type ErrorList struct {
	src  string
	errs []*Error
}

// NewErrorList returns an empty list for errors in src.
func NewErrorList(src string) *ErrorList { return &ErrorList{src: src} }

// Add appends an error at offset. Its signature is an [ErrorHandler]'s, so
// l.Add can be passed to [Scanner.Init].
func (l *ErrorList) Add(offset int, msg string) {
	l.errs = append(l.errs, &Error{Offset: offset, Msg: msg, src: l.src})
}

// Len returns the number of errors.
func (l *ErrorList) Len() int { return len(l.errs) }

// Errors returns the errors in the order they were added.
func (l *ErrorList) Errors() []*Error { return l.errs }

// Err returns nil when the list is empty, else the list as an error whose
// text is the first error's, followed by how many more there are.
func (l *ErrorList) Err() error {
	if len(l.errs) == 0 {
		return nil
	}
	return l
}

// Error returns the first error's text and the count of the others.
func (l *ErrorList) Error() string {
	switch len(l.errs) {
	case 0:
		return "no errors"
	case 1:
		return l.errs[0].Error()
	}
	return l.errs[0].Error() + " (and " + strconv.Itoa(len(l.errs)-1) + " more errors)"
}

// Unwrap returns the errors, for errors.Is and errors.As.
func (l *ErrorList) Unwrap() []error {
	errs := make([]error, len(l.errs))
	for i, e := range l.errs {
		errs[i] = e
	}
	return errs
}
