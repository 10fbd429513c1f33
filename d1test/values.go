package d1test

import (
	"bytes"
	"math"
	"reflect"
	"testing"
)

type myString string
type myInt int16

var valueTests = []test{
	{"bind", testBind},
	{"affinity", testAffinity},
	{"returned", testReturned},
	{"refused", testRefused},
}

// testBind binds each kind of Go value and reads back what D1 stored.
func testBind(t *testing.T, h *harness) {
	var nilPtr *int
	seven := int64(7)
	cases := []struct {
		name     string
		in       any
		want     any
		wantType string
	}{
		{"nil", nil, nil, "null"},
		{"nil pointer", nilPtr, nil, "null"},
		{"int", 7, int64(7), "real"},
		{"int64", int64(-42), int64(-42), "real"},
		{"uint8", uint8(200), int64(200), "real"},
		{"max safe", int64(1<<53 - 1), int64(1<<53 - 1), "real"},
		{"float", 1.5, 1.5, "real"},
		{"whole float", 2.0, int64(2), "real"},
		{"float32", float32(0.25), 0.25, "real"},
		{"NaN", math.NaN(), nil, "null"},
		{"+Inf", math.Inf(1), nil, "null"},
		{"true", true, int64(1), "real"},
		{"false", false, int64(0), "real"},
		{"string", "héllo", "héllo", "text"},
		{"empty string", "", "", "text"},
		{"bytes", []byte{0, 1, 254}, []byte{0, 1, 254}, "blob"},
		{"nil bytes", []byte(nil), nil, "null"},
		{"pointer", &seven, int64(7), "real"},
		{"named string", myString("x"), "x", "text"},
		{"named int", myInt(-3), int64(-3), "real"},
	}
	for _, c := range cases {
		if b, ok := c.in.([]byte); ok && b != nil && h.b.NoBlobParams {
			continue
		}
		res, err := h.client.All(h.ctx, "SELECT ? AS v, typeof(?) AS t", c.in, c.in)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(res.Rows) != 1 {
			t.Errorf("%s: %d rows", c.name, len(res.Rows))
			continue
		}
		got, typ := res.Rows[0][0], res.Rows[0][1]
		if !sameValue(got, c.want) {
			t.Errorf("%s: value = %#v (%T), want %#v (%T)", c.name, got, got, c.want, c.want)
		}
		if typ != c.wantType {
			t.Errorf("%s: typeof = %v, want %v", c.name, typ, c.wantType)
		}
	}
}

// testAffinity checks how a bound number is stored in each column affinity.
func testAffinity(t *testing.T, h *harness) {
	tbl := Table("aff")
	h.exec(t, "CREATE TABLE "+tbl+" (id INTEGER PRIMARY KEY, t TEXT, n NUMERIC, r REAL, i INTEGER, b BLOB, z)")
	h.exec(t, "INSERT INTO "+tbl+" (t, n, r, i, b, z) VALUES (?, ?, ?, ?, ?, ?)", 7, 7, 7, 7, 7, 7)
	res := h.all(t, "SELECT t, typeof(t), n, typeof(n), r, typeof(r), i, typeof(i), b, typeof(b), z, typeof(z) FROM "+tbl)
	want := []any{"7.0", "text", int64(7), "integer", int64(7), "real", int64(7), "integer", int64(7), "real", int64(7), "real"}
	if len(res.Rows) != 1 {
		t.Fatalf("%d rows", len(res.Rows))
	}
	for i, w := range want {
		if got := res.Rows[0][i]; !sameValue(got, w) {
			t.Errorf("%s = %#v, want %#v", res.Columns[i], got, w)
		}
	}
}

// testReturned checks the Go types of values D1 returns.
func testReturned(t *testing.T, h *harness) {
	res := h.all(t, "SELECT 1 AS i, 2.0 AS w, 2.5 AS r, 'x' AS s, x'0102' AS b, NULL AS n, 1e999 AS inf, -0.0 AS nz, 9007199254740991 AS big")
	want := []any{int64(1), int64(2), 2.5, "x", []byte{1, 2}, nil, nil, int64(0), int64(9007199254740991)}
	for i, w := range want {
		if got := res.Rows[0][i]; !sameValue(got, w) {
			t.Errorf("%s = %#v (%T), want %#v (%T)", res.Columns[i], got, got, w, w)
		}
	}
}

// testRefused checks the values D1 refuses to bind.
func testRefused(t *testing.T, h *harness) {
	cases := []struct {
		in   any
		want string
	}{
		{int64(math.MaxInt64), "D1_TYPE_ERROR: Type 'bigint' not supported for value '9223372036854775807'"},
		{uint64(1 << 60), "D1_TYPE_ERROR: Type 'bigint' not supported for value '1152921504606846976'"},
		{int64(-(1 << 53)), "D1_TYPE_ERROR: Type 'bigint' not supported for value '-9007199254740992'"},
		{struct{ A int }{1}, "D1_TYPE_ERROR: Type 'struct { A int }' not supported"},
		{map[string]int{}, "D1_TYPE_ERROR: Type 'map[string]int' not supported"},
		{[]int{1}, "D1_TYPE_ERROR: Type '[]int' not supported"},
	}
	for _, c := range cases {
		_, err := h.client.All(h.ctx, "SELECT ?", c.in)
		wantError(t, err, c.want)
	}
}

// sameValue compares result values, []byte by content.
func sameValue(got, want any) bool {
	if g, ok := got.([]byte); ok {
		w, ok := want.([]byte)
		return ok && bytes.Equal(g, w)
	}
	return reflect.TypeOf(got) == reflect.TypeOf(want) && got == want
}
