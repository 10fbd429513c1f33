package d1

// Result is the outcome of a statement: column names once, then rows of
// values, and D1's meta. Values are nil, int64, float64, string or []byte
// (see the package documentation).
//
// Columns may be shared with other results of the same statement: treat it as
// read-only.
type Result struct {
	Columns []string
	Rows    [][]any
	Meta    Meta
}

// Row returns row i of r. It panics if i is out of range, as indexing does.
func (r *Result) Row(i int) Row {
	return Row{Columns: r.Columns, Values: r.Rows[i]}
}

// Meta is D1's metadata about a query. Fields D1 leaves out are zero.
type Meta struct {
	Duration        float64  `json:"duration"`
	Changes         int64    `json:"changes"`
	LastRowID       int64    `json:"last_row_id"`
	ChangedDB       bool     `json:"changed_db"`
	SizeAfter       int64    `json:"size_after"`
	RowsRead        int64    `json:"rows_read"`
	RowsWritten     int64    `json:"rows_written"`
	ServedBy        string   `json:"served_by,omitempty"`
	ServedByRegion  string   `json:"served_by_region,omitempty"`
	ServedByPrimary *bool    `json:"served_by_primary,omitempty"`
	ServedByColo    string   `json:"served_by_colo,omitempty"`
	TotalAttempts   int      `json:"total_attempts,omitempty"`
	Timings         *Timings `json:"timings,omitempty"`
}

// Timings holds D1's timing detail for a query.
type Timings struct {
	SQLDurationMS float64 `json:"sql_duration_ms"`
}

// ExecResult is the outcome of [Database.Exec]: how many statements ran and
// how long they took, in milliseconds.
type ExecResult struct {
	Count    int     `json:"count"`
	Duration float64 `json:"duration"`
}

// Row is one row of a [Result].
type Row struct {
	Columns []string
	Values  []any
}

// Value returns the value of the column named name, or a D1_COLUMN_NOTFOUND
// error, as D1's first(column) does.
func (r Row) Value(name string) (any, error) {
	for i, c := range r.Columns {
		if c == name {
			return r.Values[i], nil
		}
	}
	return nil, &Error{Code: CodeColumnNotFound, Message: "Column not found (" + name + ")"}
}
