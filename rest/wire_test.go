package rest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lunora-go/d1"
)

func TestDecodeResults(t *testing.T) {
	cases := []struct {
		name    string
		results string // the value of "results"
		columns []string
		rows    [][]any
	}{
		{"order kept", `[{"z":1,"a":2,"m":3}]`, []string{"z", "a", "m"}, [][]any{{int64(1), int64(2), int64(3)}}},
		{"no rows", `[]`, []string{}, nil},
		{"null", `null`, nil, nil},
		{"duplicate key keeps first position, last value", `[{"a":1,"b":2,"a":3}]`,
			[]string{"a", "b"}, [][]any{{int64(3), int64(2)}}},
		{"later rows in another order", `[{"a":1,"b":2},{"b":4,"a":3}]`,
			[]string{"a", "b"}, [][]any{{int64(1), int64(2)}, {int64(3), int64(4)}}},
		{"missing and new keys", `[{"a":1},{"b":2},{"a":3,"b":4}]`,
			[]string{"a", "b"}, [][]any{{int64(1), nil}, {nil, int64(2)}, {int64(3), int64(4)}}},
		{"values", `[{"n":null,"s":"x\u00e9","t":true,"f":false,"b":[0,1,255],"e":[]}]`,
			[]string{"n", "s", "t", "f", "b", "e"}, [][]any{{nil, "xé", int64(1), int64(0), []byte{0, 1, 255}, []byte{}}}},
		{"numbers", `[{"a":9007199254740991,"b":9007199254740993,"c":1e2,"d":-0,"e":0.5,"f":1e400,"g":2.0,"h":-9007199254740992,"i":123456789012345678901234567890}]`,
			[]string{"a", "b", "c", "d", "e", "f", "g", "h", "i"},
			[][]any{{int64(9007199254740991), float64(9007199254740992), int64(100), int64(0), 0.5, nil, int64(2), float64(-9007199254740992), 1.2345678901234568e29}}},
		{"raw", `{"columns":["a","a","b"],"rows":[[1,2,[7]],[null,"x",3.5]]}`,
			[]string{"a", "a", "b"}, [][]any{{int64(1), int64(2), []byte{7}}, {nil, "x", 3.5}}},
		{"raw no rows", `{"rows":[],"columns":["a"]}`, []string{"a"}, nil},
		{"raw unknown keys", `{"columns":["a"],"extra":{"x":[1]},"rows":[[1]]}`, []string{"a"}, [][]any{{int64(1)}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env, err := decodeEnvelope([]byte(`{"result":[{"results":` + c.results + `,"success":true}],"success":true,"errors":[],"messages":[]}`))
			if err != nil {
				t.Fatal(err)
			}
			if len(env.results) != 1 {
				t.Fatalf("%d results", len(env.results))
			}
			r := env.results[0]
			if !reflect.DeepEqual(r.columns, c.columns) {
				t.Errorf("columns = %#v, want %#v", r.columns, c.columns)
			}
			if !reflect.DeepEqual(r.rows, c.rows) {
				t.Errorf("rows = %#v\n want %#v", r.rows, c.rows)
			}
		})
	}
}

func TestDecodeEnvelope(t *testing.T) {
	env, err := decodeEnvelope([]byte(`{
		"messages": [{"code": 1, "message": "note"}],
		"result": [
			{"meta": {"duration": 0.25, "changes": 2.0, "last_row_id": 1e3, "changed_db": true, "size_after": 8192,
			          "rows_read": 3, "rows_written": 4, "served_by": "v3-prod", "served_by_region": "WEUR",
			          "served_by_primary": true, "served_by_colo": "AMS", "total_attempts": 1,
			          "timings": {"sql_duration_ms": 0.125}, "unknown": [1, {"x": 2}]},
			 "results": [], "success": true, "extra": {"a": [1, 2]}},
			{"success": false, "error": "boom"},
			{"error": null}
		],
		"success": true,
		"errors": []
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if !env.success || len(env.messages) != 1 || env.messages[0] != (Message{1, "note"}) || len(env.errors) != 0 {
		t.Errorf("envelope = %+v", env)
	}
	if len(env.results) != 3 {
		t.Fatalf("%d results", len(env.results))
	}
	primary := true
	want := d1.Meta{Duration: 0.25, Changes: 2, LastRowID: 1000, ChangedDB: true, SizeAfter: 8192, RowsRead: 3,
		RowsWritten: 4, ServedBy: "v3-prod", ServedByRegion: "WEUR", ServedByPrimary: &primary, ServedByColo: "AMS",
		TotalAttempts: 1, Timings: &d1.Timings{SQLDurationMS: 0.125}}
	if got := env.results[0].meta; !reflect.DeepEqual(got, want) {
		t.Errorf("meta = %+v\n want %+v", got, want)
	}
	if r := env.results[1]; r.success || r.err != "boom" {
		t.Errorf("result 1 = %+v, want a failure with its error", r)
	}
	if r := env.results[2]; !r.success {
		t.Errorf("result 2 = %+v: a null error is not a failure", r)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, body := range []string{
		``,
		`[]`,
		`{"result": {}}`,
		`{"result": [{"results": 5}]}`,
		`{"result": [{"results": [5]}]}`,
		`{"result": [{"results": [{"a": {"b": 1}}]}]}`,
		`{"result": [{"results": [{"a": [1, -1]}]}]}`,
		`{"result": [{"results": [{"a": [1, "x"]}]}]}`,
		`{"result": [{"results": {"rows": [5]}}]}`,
		`{"result": [{"meta": {"changed_db": "yes"}}]}`,
		`{"success": true} {}`,
		`{"success": true`,
	} {
		if _, err := decodeEnvelope([]byte(body)); err == nil {
			t.Errorf("decodeEnvelope(%s) succeeded", body)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	cases := []struct {
		header string
		want   string
		ok     bool
	}{
		{"", "0s", false},
		{"0", "0s", true},
		{"120", "2m0s", true},
		{"-1", "0s", false},
		{"soon", "0s", false},
		{"Wed, 21 Oct 2015 07:28:00 GMT", "0s", true},
		{"99999999", "24h0m0s", true},
	}
	for _, c := range cases {
		h := make(map[string][]string)
		if c.header != "" {
			h["Retry-After"] = []string{c.header}
		}
		got, ok := retryAfter(h, time.Now())
		if got.String() != c.want || ok != c.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %s, %v", c.header, got, ok, c.want, c.ok)
		}
	}
}

// queryAnswer builds an answer of /query, or of /raw, with n rows of six
// columns of every kind.
func queryAnswer(n int, raw bool) []byte {
	var b bytes.Buffer
	b.WriteString(`{"success":true,"errors":[],"messages":[],"result":[{"success":true,"meta":{"served_by":"v3-prod","duration":0.5,"changes":0,"last_row_id":0,"changed_db":false,"size_after":1048576,"rows_read":1000,"rows_written":0},"results":`)
	if raw {
		b.WriteString(`{"columns":["id","name","email","score","avatar","created_at"],"rows":[`)
	} else {
		b.WriteString(`[`)
	}
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if raw {
			fmt.Fprintf(&b, `[%d,"user %d","user%d@example.com",%d.25,[1,2,3,4,5,6,7,8],1735689600123]`, i+1, i, i, i)
		} else {
			fmt.Fprintf(&b, `{"id":%d,"name":"user %d","email":"user%d@example.com","score":%d.25,"avatar":[1,2,3,4,5,6,7,8],"created_at":1735689600123}`, i+1, i, i, i)
		}
	}
	if raw {
		b.WriteString(`]}`)
	} else {
		b.WriteString(`]`)
	}
	b.WriteString(`}]}`)
	return b.Bytes()
}

func BenchmarkDecodeQuery1000(b *testing.B) { benchmarkDecode(b, queryAnswer(1000, false)) }
func BenchmarkDecodeRaw1000(b *testing.B)   { benchmarkDecode(b, queryAnswer(1000, true)) }

func benchmarkDecode(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		env, err := decodeEnvelope(data)
		if err != nil || len(env.results[0].rows) != 1000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeStdlibMaps is the baseline the ordered decoder replaces:
// encoding/json into maps, which loses the column order.
func BenchmarkDecodeStdlibMaps1000(b *testing.B) {
	data := queryAnswer(1000, false)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var env struct {
			Result []struct {
				Results []map[string]any `json:"results"`
			} `json:"result"`
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&env); err != nil || len(env.Result[0].Results) != 1000 {
			b.Fatal(err)
		}
	}
}

func TestQueryAnswerDecodes(t *testing.T) {
	for _, raw := range []bool{false, true} {
		env, err := decodeEnvelope(queryAnswer(3, raw))
		if err != nil {
			t.Fatal(err)
		}
		r := env.results[0]
		want := []any{int64(3), "user 2", "user2@example.com", 2.25, []byte{1, 2, 3, 4, 5, 6, 7, 8}, int64(1735689600123)}
		if !reflect.DeepEqual(r.rows[2], want) || strings.Join(r.columns, ",") != "id,name,email,score,avatar,created_at" {
			t.Errorf("raw %v: %v %v", raw, r.columns, r.rows[2])
		}
	}
}

// FuzzDecodeEnvelope: the decoder never panics, accepts only valid JSON,
// and agrees with encoding/json on the values of /query rows.
func FuzzDecodeEnvelope(f *testing.F) {
	f.Add(queryAnswer(2, false))
	f.Add(queryAnswer(2, true))
	f.Add([]byte(`{"result":[{"results":[{"a":"x\u00e9\ud83d\ude00","b":-0.5e-3,"a":null}]}]}`))
	f.Add([]byte(`{"success":false,"errors":[{"code":7500,"message":"m"}],"messages":[],"result":null}`))
	f.Add([]byte(`{"result":[{"results":{"columns":["a"],"rows":[[1],[2.5],["s"],[[1,2]]]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		env, err := decodeEnvelope(data)
		if err != nil {
			return
		}
		if !json.Valid(data) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		var std struct {
			Result []struct {
				Results json.RawMessage `json:"results"`
			} `json:"result"`
		}
		if json.Unmarshal(data, &std) != nil || len(std.Result) != len(env.results) {
			return // duplicate keys and the like: encoding/json keeps the last
		}
		for i, r := range std.Result {
			var objs []map[string]any
			if json.Unmarshal(r.Results, &objs) != nil {
				continue
			}
			got := env.results[i]
			if len(objs) != len(got.rows) {
				t.Fatalf("result %d: %d rows, encoding/json finds %d", i, len(got.rows), len(objs))
			}
			for j, obj := range objs {
				for k, v := range obj {
					col := -1
					for c, name := range got.columns {
						if name == k {
							col = c
						}
					}
					if col < 0 {
						t.Fatalf("row %d: no column %q", j, k)
					}
					if s, ok := v.(string); ok && got.rows[j][col] != s {
						t.Fatalf("row %d column %q = %#v, encoding/json reads %q", j, k, got.rows[j][col], s)
					}
				}
			}
		}
	})
}
