package d1

import (
	"database/sql"
	"reflect"
	"strings"
	"testing"
	"time"
)

type base struct {
	ID int64 `db:"id"`
}

type user struct {
	base
	Name      string
	Nick      *string
	Age       uint8
	Score     float32
	Active    bool
	Avatar    []byte
	CreatedAt time.Time `db:"created_at"`
	Note      sql.NullString
	Ignored   string `db:"-"`
}

func TestScanAllStructs(t *testing.T) {
	res := &Result{
		Columns: []string{"id", "name", "nick", "age", "score", "active", "avatar", "created_at", "note"},
		Rows: [][]any{
			{int64(1), "ann", "a", int64(30), 1.5, int64(1), []byte{1}, "2026-11-27T10:00:00Z", "n"},
			{int64(2), "bob", nil, int64(0), int64(2), int64(0), nil, int64(1700000000000), nil},
		},
	}
	users, err := ScanAll[user](res)
	if err != nil {
		t.Fatal(err)
	}
	a, b := users[0], users[1]
	if a.ID != 1 || a.Name != "ann" || a.Nick == nil || *a.Nick != "a" || a.Age != 30 || a.Score != 1.5 ||
		!a.Active || string(a.Avatar) != "\x01" || !a.CreatedAt.Equal(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)) ||
		a.Note != (sql.NullString{String: "n", Valid: true}) {
		t.Errorf("row 0 = %+v", a)
	}
	if b.Nick != nil || b.Active || b.Avatar != nil || b.CreatedAt.UnixMilli() != 1700000000000 || b.Note.Valid {
		t.Errorf("row 1 = %+v", b)
	}
	ptrs, err := ScanAll[*user](res)
	if err != nil || ptrs[1].Name != "bob" {
		t.Errorf("ScanAll[*user] = %v, %v", ptrs, err)
	}
}

func TestScanErrors(t *testing.T) {
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"unknown column", func() error {
			_, err := ScanAll[user](&Result{Columns: []string{"nope"}, Rows: [][]any{{int64(1)}}})
			return err
		}, `column "nope" has no field`},
		{"null into string", func() error {
			_, err := ScanOne[user](Row{Columns: []string{"name"}, Values: []any{nil}})
			return err
		}, `column "name": NULL cannot be stored here`},
		{"overflow", func() error {
			_, err := ScanOne[user](Row{Columns: []string{"age"}, Values: []any{int64(300)}})
			return err
		}, "overflows uint8"},
		{"fraction into int", func() error {
			var n int
			return Row{Columns: []string{"n"}, Values: []any{2.5}}.Scan(&n)
		}, "without loss"},
		{"count", func() error {
			var n int
			return Row{Columns: []string{"a", "b"}, Values: []any{int64(1), int64(2)}}.Scan(&n)
		}, "1 destinations for 2 columns"},
		{"one column", func() error {
			_, err := ScanOne[int](Row{Columns: []string{"a", "b"}, Values: []any{int64(1), int64(2)}})
			return err
		}, "needs one column"},
		{"bad time", func() error {
			var tm time.Time
			return Row{Columns: []string{"t"}, Values: []any{"yesterday"}}.Scan(&tm)
		}, "cannot parse"},
	}
	for _, tt := range tests {
		err := tt.run()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func TestRowScan(t *testing.T) {
	row := Row{Columns: []string{"a", "b", "c", "d", "e"}, Values: []any{int64(7), "x", 2.5, nil, []byte("z")}}
	var (
		a int32
		b string
		c float64
		d *int
		e string
		f any
	)
	if err := row.Scan(&a, &b, &c, &d, &e); err != nil {
		t.Fatal(err)
	}
	if a != 7 || b != "x" || c != 2.5 || d != nil || e != "z" {
		t.Errorf("got %v %v %v %v %v", a, b, c, d, e)
	}
	if err := (Row{Columns: []string{"a"}, Values: []any{int64(1)}}).Scan(&f); err != nil || f != int64(1) {
		t.Errorf("scan into any: %v %v", f, err)
	}
}

func BenchmarkScanAll(b *testing.B) {
	res := &Result{Columns: []string{"id", "name", "age"}}
	for i := range 1000 {
		res.Rows = append(res.Rows, []any{int64(i), "name", int64(i % 90)})
	}
	type row struct {
		ID   int64
		Name string
		Age  int
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ScanAll[row](res); err != nil {
			b.Fatal(err)
		}
	}
}

// TestScanSlotsAgree checks the direct path of a struct that reaches its
// fields without pointers against the reflective one (taken for *T), value
// by value, errors included.
func TestScanSlotsAgree(t *testing.T) {
	type inner struct {
		Inner int
	}
	type level int64
	type wide struct {
		inner
		I64   int64
		I     int
		I32   int32
		F     float64
		S     string
		B     bool
		Raw   []byte
		PS    *string
		NS    sql.NullString
		Lvl   level
		When  time.Time
		Thing any
	}
	cols := []string{"inner", "i64", "i", "i32", "f", "s", "b", "raw", "ps", "ns", "lvl", "when", "thing"}
	values := []any{nil, int64(0), int64(-7), int64(1) << 40, int64(1) << 53, 2.5, 3.0, -1e300, "", "12", "x", " 4 ", "2026-11-27 10:00:00", []byte("b"), []byte{}}
	for col := range cols {
		for _, v := range values {
			row := make([]any, len(cols))
			for i := range row {
				row[i] = int64(1) // valid for every field but "when"
			}
			row[11] = "2026-11-27T10:00:00Z"
			row[col] = v
			res := &Result{Columns: cols, Rows: [][]any{row}}
			direct, derr := ScanAll[wide](res)
			viaPtr, perr := ScanAll[*wide](res)
			if (derr == nil) != (perr == nil) || (derr != nil && derr.Error() != perr.Error()) {
				t.Errorf("column %s, value %#v: errors differ: %v / %v", cols[col], v, derr, perr)
				continue
			}
			if derr != nil {
				continue
			}
			a, b := direct[0], *viaPtr[0]
			if a.Inner != b.Inner || a.I64 != b.I64 || a.I != b.I || a.I32 != b.I32 || a.F != b.F || a.S != b.S ||
				a.B != b.B || string(a.Raw) != string(b.Raw) || (a.PS == nil) != (b.PS == nil) ||
				(a.PS != nil && *a.PS != *b.PS) || a.NS != b.NS || a.Lvl != b.Lvl || !a.When.Equal(b.When) || !reflect.DeepEqual(a.Thing, b.Thing) {
				t.Errorf("column %s, value %#v: %+v, want %+v", cols[col], v, a, b)
			}
		}
	}
	// ScanOne takes the same path.
	one, err := ScanOne[wide](Row{Columns: []string{"s", "i"}, Values: []any{"hi", int64(3)}})
	if err != nil || one.S != "hi" || one.I != 3 {
		t.Errorf("ScanOne = %+v, %v", one, err)
	}
}

// TestScannerCache scans one type through many column lists, each more than
// once, so that kept scanners are used: each scan must match its own
// columns, a list that failed must fail again, and lists past the cache's
// bound must scan as well as the first.
func TestScannerCache(t *testing.T) {
	type quad struct {
		A, B, C, D int64
	}
	// Lists of columns that differ in order; values say which column they
	// came from.
	var lists [][]string
	var permute func(done, left []string)
	permute = func(done, left []string) {
		if len(left) == 0 {
			lists = append(lists, done)
			return
		}
		for i := range left {
			rest := append(append([]string(nil), left[:i]...), left[i+1:]...)
			permute(append(append([]string(nil), done...), left[i]), rest)
		}
	}
	permute(nil, []string{"a", "b", "c", "d"})
	lists = lists[:maxScanners+4]
	for round := range 2 {
		for n, cols := range lists {
			vals := make([]any, len(cols))
			for i, c := range cols {
				vals[i] = int64(c[0])*100 + int64(n)
			}
			got, err := ScanOne[quad](Row{Columns: cols, Values: vals})
			if err != nil {
				t.Fatalf("round %d, columns %v: %v", round, cols, err)
			}
			for i, c := range cols {
				f := map[string]int64{"a": got.A, "b": got.B, "c": got.C, "d": got.D}[c]
				if f != vals[i] {
					t.Errorf("round %d, columns %v: field %s = %d, want %d", round, cols, c, f, vals[i])
				}
			}
		}
		if _, err := ScanOne[quad](Row{Columns: []string{"a", "zz"}, Values: []any{int64(1), int64(2)}}); err == nil || !strings.Contains(err.Error(), `"zz"`) {
			t.Errorf("round %d: column zz: err = %v", round, err)
		}
	}
	v, ok := scanners.Load(reflect.TypeFor[quad]())
	if !ok {
		t.Fatal("no scanners kept")
	}
	if n := len(*v.(*scannerSet).list.Load()); n != maxScanners {
		t.Errorf("%d scanners kept, want %d", n, maxScanners)
	}
}
