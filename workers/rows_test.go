//go:build !(js && wasm)

package workers

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lunora-go/d1"
)

func listJSON(n int) string {
	var b strings.Builder
	b.WriteString(`{"success":true,"meta":{"served_by":"miniflare.db","duration":0,"changes":0,"last_row_id":60,"changed_db":false,"size_after":16384,"rows_read":50,"rows_written":0},"results":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"body":"seed note number %d, long enough to look like a note","created_at":1764245000%03d}`, n-i, i, i)
	}
	b.WriteString("]}")
	return b.String()
}

func BenchmarkJSONResults(b *testing.B) {
	s := listJSON(50)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jsonResults(s, false); err != nil {
			b.Fatal(err)
		}
	}
}

func TestJSONRows(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		objects bool
		cols    []string
		rows    [][]any
	}{
		{"empty", `[]`, true, nil, nil},
		{"objects", `[{"a":1,"b":"x"},{"a":2,"b":null}]`, true, []string{"a", "b"}, [][]any{{int64(1), "x"}, {int64(2), nil}}},
		{"keys in another order", `[{"a":1,"b":2},{"b":4,"a":3}]`, true, []string{"a", "b"}, [][]any{{int64(1), int64(2)}, {int64(3), int64(4)}}},
		{"numbers", `[[0,-7,2.5,1e3,-1.5e-3,123456789012345,9007199254740991,9007199254740993,1e400]]`, false, nil,
			[][]any{{int64(0), int64(-7), 2.5, int64(1000), -0.0015, int64(123456789012345), int64(9007199254740991), 9007199254740992.0, nil}}},
		{"strings", `[["", "a\"b\\c\/d\b\f\n\r\t", "\u00e9\u20ac", "\ud83d\ude00", "\ud800x", "héllo"]]`, false, nil,
			[][]any{{"", "a\"b\\c/d\b\f\n\r\t", "é€", "😀", "\uFFFDx", "héllo"}}},
		{"blobs and booleans", `[[[],[0,1,255],true,false]]`, false, nil, [][]any{{[]byte{}, []byte{0, 1, 255}, int64(1), int64(0)}}},
		{"white space", ` [ { "a" : [ 1 , 2 ] } ] `, true, []string{"a"}, [][]any{{[]byte{1, 2}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cols, rows, err := jsonRows(c.in, c.objects)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(cols, c.cols) {
				t.Errorf("columns = %q, want %q", cols, c.cols)
			}
			if !reflect.DeepEqual(rows, c.rows) {
				t.Errorf("rows = %#v\nwant %#v", rows, c.rows)
			}
		})
	}
}

func TestJSONRowsUnexpected(t *testing.T) {
	for _, in := range []string{
		``, `[`, `{}`, `[{"a":{}}]`, `[{"a":[256]}]`, `[{"a":[1.5]}]`, `[{"a":"x}]`, `[{"a":"\x"}]`,
		`[{"a":1}] x`, `[{"a":1},]`, `[{"a" 1}]`, `[{"a":nul}]`, `[{"a":-}]`, "[{\"a\":\"\x01\"}]",
	} {
		if _, _, err := jsonRows(in, true); err == nil {
			t.Errorf("jsonRows(%q) succeeded", in)
		}
	}
}

func TestJSONResults(t *testing.T) {
	in := `{"success":true,"meta":{"served_by":"miniflare.db","served_by_region":"WEUR","served_by_primary":true,` +
		`"served_by_colo":"AMS","duration":0.5,"changes":2,"last_row_id":7,"changed_db":true,"size_after":8192,` +
		`"rows_read":3,"rows_written":4,"total_attempts":1,"timings":{"sql_duration_ms":0.25,"other":[1,{"x":null}]},` +
		`"unknown":{"nested":["a",1]}},"results":[{"n":1}]}`
	res, err := jsonResults(in, false)
	if err != nil {
		t.Fatal(err)
	}
	primary := true
	want := d1.Meta{
		Duration: 0.5, Changes: 2, LastRowID: 7, ChangedDB: true, SizeAfter: 8192, RowsRead: 3, RowsWritten: 4,
		ServedBy: "miniflare.db", ServedByRegion: "WEUR", ServedByPrimary: &primary, ServedByColo: "AMS",
		TotalAttempts: 1, Timings: &d1.Timings{SQLDurationMS: 0.25},
	}
	if len(res) != 1 || !reflect.DeepEqual(res[0].Meta, want) {
		t.Errorf("meta = %+v\nwant %+v", res[0].Meta, want)
	}
	if !slices.Equal(res[0].Columns, []string{"n"}) || !reflect.DeepEqual(res[0].Rows, [][]any{{int64(1)}}) {
		t.Errorf("result = %q %v", res[0].Columns, res[0].Rows)
	}

	many, err := jsonResults(`[{"results":[],"meta":null},{"success":true,"results":null,"meta":{"changes":1}}]`, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(many) != 2 || many[0].Rows != nil || many[1].Meta.Changes != 1 {
		t.Errorf("batch = %+v %+v", many[0], many[1])
	}
	for _, bad := range []string{`[]x`, `{"results":{}}`, `{"meta":{"changes":"x"`} {
		if _, err := jsonResults(bad, bad[0] == '['); err == nil {
			t.Errorf("jsonResults(%q) succeeded", bad)
		}
	}
}
