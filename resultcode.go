package d1

import (
	"strconv"
	"strings"
)

// ResultCode is an SQLite result code, primary (such as [ResultConstraint]) or
// extended (such as [ResultConstraintUnique]). Its String method gives
// SQLite's name, "SQLITE_CONSTRAINT_UNIQUE".
type ResultCode int

// Primary returns the primary code of an extended code: its low byte.
func (c ResultCode) Primary() ResultCode { return c & 0xff }

// IsPrimary reports whether c is a primary code.
func (c ResultCode) IsPrimary() bool { return c == c.Primary() }

// String returns SQLite's name for the code, or "SQLITE_UNKNOWN(n)".
func (c ResultCode) String() string {
	if s, ok := resultCodeNames[c]; ok {
		return s
	}
	return "SQLITE_UNKNOWN(" + strconv.Itoa(int(c)) + ")"
}

var resultCodesByName = func() map[string]ResultCode {
	m := make(map[string]ResultCode, len(resultCodeNames))
	for c, s := range resultCodeNames {
		m[s] = c
	}
	return m
}()

func resultCodeByName(s string) (ResultCode, bool) {
	if !strings.HasPrefix(s, "SQLITE_") {
		return 0, false
	}
	c, ok := resultCodesByName[s]
	return c, ok
}
