package d1sql

import (
	"database/sql/driver"
	"io"
	"reflect"
	"time"

	"github.com/lunora-go/d1"
)

// rows is the driver.Rows of a query: D1 returns a statement's rows whole,
// so they are all in memory when the query returns.
type rows struct {
	res       *d1.Result
	next      int
	parseTime bool
	open      bool // not yet closed
}

var (
	_ driver.Rows                           = (*rows)(nil)
	_ driver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
	_ driver.RowsColumnTypeScanType         = (*rows)(nil)
)

// Columns returns the result's column names, duplicates included.
func (r *rows) Columns() []string { return r.res.Columns }

// Close drops the result, so the rows can be reused by the connection.
func (r *rows) Close() error {
	*r = rows{}
	return nil
}

// Next copies the next row's values into dest.
func (r *rows) Next(dest []driver.Value) error {
	if r.next >= len(r.res.Rows) {
		return io.EOF
	}
	row := r.res.Rows[r.next]
	r.next++
	for i, v := range row {
		if s, ok := v.(string); ok && r.parseTime {
			if t, ok := parseTime(s); ok {
				v = t
			}
		}
		dest[i] = v
	}
	return nil
}

// ColumnTypeDatabaseTypeName returns the SQLite storage class of the
// column's first non-NULL value: "INTEGER", "REAL", "TEXT" or "BLOB", or ""
// when every value is NULL or there are no rows. D1 does not return declared
// column types; and since D1 returns numbers as JavaScript numbers, a whole
// REAL reads as "INTEGER".
func (r *rows) ColumnTypeDatabaseTypeName(index int) string {
	switch r.firstValue(index).(type) {
	case int64:
		return "INTEGER"
	case float64:
		return "REAL"
	case string:
		return "TEXT"
	case []byte:
		return "BLOB"
	}
	return ""
}

var (
	typeInt64   = reflect.TypeFor[int64]()
	typeFloat64 = reflect.TypeFor[float64]()
	typeString  = reflect.TypeFor[string]()
	typeBytes   = reflect.TypeFor[[]byte]()
	typeAny     = reflect.TypeFor[any]()
)

// ColumnTypeScanType returns the Go type of the column's values as
// [rows.ColumnTypeDatabaseTypeName] infers it, or the type of any when it
// cannot be inferred.
func (r *rows) ColumnTypeScanType(index int) reflect.Type {
	switch r.firstValue(index).(type) {
	case int64:
		return typeInt64
	case float64:
		return typeFloat64
	case string:
		return typeString
	case []byte:
		return typeBytes
	}
	return typeAny
}

func (r *rows) firstValue(index int) any {
	for _, row := range r.res.Rows {
		if v := row[index]; v != nil {
			return v
		}
	}
	return nil
}

// parseTime reads s as RFC 3339 with a time and a zone, or as SQLite's
// "YYYY-MM-DD HH:MM:SS[.fff]" in UTC. It checks the shape first, so that
// ordinary text costs little.
func parseTime(s string) (time.Time, bool) {
	if len(s) < len("2006-01-02 15:04:05") || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	switch s[10] {
	case 'T', 't':
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, true
		}
	case ' ':
		if t, err := time.Parse("2006-01-02 15:04:05.999999999", s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
