package d1sql

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lunora-go/d1"
)

func TestScanParams(t *testing.T) {
	tests := []struct {
		query string
		names map[string]int
		max   int
	}{
		{"SELECT 1", nil, 0},
		{"SELECT ?, ?", nil, 2},
		{"SELECT ?2, ?", nil, 3},
		{"SELECT ?3, ?1", nil, 3},
		{"SELECT :a, :b, :a", map[string]int{":a": 1, ":b": 2}, 2},
		{"SELECT @a, $b, :c", map[string]int{"@a": 1, "$b": 2, ":c": 3}, 3},
		{"SELECT ?, :a, ?", map[string]int{":a": 2}, 3},
		{"SELECT ?5, :a", map[string]int{":a": 6}, 6},
		{"SELECT $1, $2, $1", map[string]int{"$1": 1, "$2": 2}, 2},
		{"SELECT ':a', \"?\", `@b`, [$c], 'it''s ?'", nil, 0},
		{"SELECT 1 -- ? :a\n, ?", nil, 1},
		{"SELECT /* ? :x */ ?", nil, 1},
		{"SELECT a$b, x'3f', ? FROM t", nil, 1},
		{"SELECT : , ?", nil, 1},
		{"SELECT 'unterminated ?", nil, 0},
		{"SELECT /* unterminated ?", nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			p, err := scanParams(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := p.max, tc.max; got != want {
				t.Errorf("max = %d, want %d", got, want)
			}
			if !maps.Equal(p.names, tc.names) {
				t.Errorf("names = %v, want %v", p.names, tc.names)
			}
		})
	}
}

func TestScanParamsErrors(t *testing.T) {
	for _, q := range []string{"SELECT ?0", "SELECT ?32767", "SELECT ?99999999999999999999"} {
		if _, err := scanParams(q); err == nil {
			t.Errorf("scanParams(%q): no error", q)
		}
	}
}

func named(args ...any) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv[i].Ordinal = i + 1
		if n, ok := a.(sql.NamedArg); ok {
			nv[i].Name, nv[i].Value = n.Name, n.Value
		} else {
			nv[i].Value = a
		}
	}
	return nv
}

func TestPositional(t *testing.T) {
	tests := []struct {
		name  string
		query string
		args  []driver.NamedValue
		want  []any
		err   string
	}{
		{"ordinal", "SELECT ?, ?", named(int64(1), "x"), []any{int64(1), "x"}, ""},
		{"no args", "SELECT 1", nil, []any{}, ""},
		{"named", "SELECT :b, :a", named(sql.Named("a", int64(1)), sql.Named("b", int64(2))), []any{int64(2), int64(1)}, ""},
		{"named reused", "SELECT @a + @a", named(sql.Named("a", int64(3))), []any{int64(3)}, ""},
		{"dollar", "SELECT $id", named(sql.Named("id", "v")), []any{"v"}, ""},
		{"mixed", "SELECT ?, :n", named(int64(1), sql.Named("n", int64(2))), []any{int64(1), int64(2)}, ""},
		{"unknown name", "SELECT :a", named(sql.Named("b", int64(1))), nil, "no parameter :b"},
		{"missing", "SELECT :a, :b", named(sql.Named("a", int64(1))), nil, "no argument for parameter :b"},
		{"too many", "SELECT :a", named(sql.Named("a", int64(1)), int64(2)), nil, "argument 2 has no parameter"},
		{"twice", "SELECT ?, :a", named(int64(1), sql.Named("a", int64(2)), sql.Named("a", int64(3))), nil, "two arguments for parameter 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := positional(tc.query, tc.args)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

type valuer struct{ v any }

func (v valuer) Value() (driver.Value, error) { return v.v, nil }

type ptrValuer struct{ s string }

func (p *ptrValuer) Value() (driver.Value, error) { return p.s, nil }

type failingValuer struct{}

func (failingValuer) Value() (driver.Value, error) { return nil, errors.New("boom") }

func TestConvert(t *testing.T) {
	ts := time.Date(2024, 5, 6, 9, 8, 9, 123456789, time.FixedZone("CEST", 2*3600))
	var nilTime *time.Time
	var nilPtrValuer *ptrValuer
	tests := []struct {
		name string
		in   any
		want any
	}{
		{"nil", nil, nil},
		{"int", 7, int64(7)},
		{"bool", true, int64(1)},
		{"float", 1.5, 1.5},
		{"string", "s", "s"},
		{"bytes", []byte{1, 2}, []byte{1, 2}},
		{"time", ts, "2024-05-06T07:08:09.123456789Z"},
		{"time pointer", &ts, "2024-05-06T07:08:09.123456789Z"},
		{"nil time pointer", nilTime, nil},
		{"valuer", valuer{int64(5)}, int64(5)},
		{"valuer of time", sql.NullTime{Time: ts, Valid: true}, "2024-05-06T07:08:09.123456789Z"},
		{"null valuer", sql.NullString{}, nil},
		{"pointer valuer", &ptrValuer{"p"}, "p"},
		{"nil pointer valuer", nilPtrValuer, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := convert(tc.in, DefaultTimeFormat)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("convert(%v) = %#v, want %#v", tc.in, got, tc.want)
			}
		})
	}
}

func TestConvertErrors(t *testing.T) {
	var de *d1.Error
	if _, err := convert(struct{}{}, DefaultTimeFormat); !errors.As(err, &de) || de.Code != d1.CodeTypeError {
		t.Errorf("struct: err = %v, want a D1_TYPE_ERROR", err)
	}
	if _, err := convert(int64(1)<<60, DefaultTimeFormat); !errors.As(err, &de) || de.Code != d1.CodeTypeError {
		t.Errorf("2^60: err = %v, want a D1_TYPE_ERROR", err)
	}
	if _, err := convert(failingValuer{}, DefaultTimeFormat); err == nil || err.Error() != "boom" {
		t.Errorf("failing Valuer: err = %v, want boom", err)
	}
}

func TestConvertTimeFormat(t *testing.T) {
	ts := time.Date(2024, 5, 6, 7, 8, 9, 120000000, time.UTC)
	got, err := convert(ts, "2006-01-02T15:04:05.000Z07:00")
	if err != nil {
		t.Fatal(err)
	}
	if want := "2024-05-06T07:08:09.120Z"; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestDefaultTimeFormatSorts(t *testing.T) {
	base := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	times := []time.Time{base, base.Add(time.Nanosecond), base.Add(500 * time.Millisecond), base.Add(time.Second)}
	for i := 1; i < len(times); i++ {
		a, b := times[i-1].Format(DefaultTimeFormat), times[i].Format(DefaultTimeFormat)
		if !(a < b) {
			t.Errorf("%q sorts after %q", a, b)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2024-05-06T07:08:09.123456789Z", time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC), true},
		{"2024-05-06T07:08:09.120Z", time.Date(2024, 5, 6, 7, 8, 9, 120000000, time.UTC), true},
		{"2024-05-06T09:08:09+02:00", time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), true},
		{"2024-05-06 07:08:09", time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), true},
		{"2024-05-06 07:08:09.5", time.Date(2024, 5, 6, 7, 8, 9, 500000000, time.UTC), true},
		{"2024-05-06", time.Time{}, false},
		{"2024-05-06T07:08:09", time.Time{}, false}, // no zone
		{"hello, world, this is text", time.Time{}, false},
		{"2024-13-06 07:08:09", time.Time{}, false},
	}
	for _, tc := range tests {
		got, ok := parseTime(tc.in)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("parseTime(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
