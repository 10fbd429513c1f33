package d1

import (
	"database/sql"
	"math"
	"reflect"
	"testing"
	"time"
)

type celsius float32

func TestNormalize(t *testing.T) {
	s := "p"
	var nilStr *string
	tests := []struct {
		in      any
		want    any
		wantErr string
	}{
		{nil, nil, ""},
		{true, int64(1), ""},
		{false, int64(0), ""},
		{int8(-8), int64(-8), ""},
		{0, int64(0), ""},
		{300, int64(300), ""},
		{-(1 << 30), int64(-(1 << 30)), ""},
		{uint16(65535), int64(65535), ""},
		{int64(MaxSafeInteger), int64(MaxSafeInteger), ""},
		{int64(MaxSafeInteger + 1), nil, "D1_TYPE_ERROR: Type 'bigint' not supported for value '9007199254740992'"},
		{uint64(math.MaxUint64), nil, "D1_TYPE_ERROR: Type 'bigint' not supported for value '18446744073709551615'"},
		{1.25, 1.25, ""},
		{float32(0.5), 0.5, ""},
		{celsius(1.5), 1.5, ""},
		{math.NaN(), nil, ""},
		{math.Inf(-1), nil, ""},
		{"s", "s", ""},
		{&s, "p", ""},
		{nilStr, nil, ""},
		{[]byte("b"), []byte("b"), ""},
		{[]byte(nil), nil, ""},
		{sql.NullString{String: "n", Valid: true}, "n", ""},
		{sql.NullInt64{}, nil, ""},
		{time.Time{}, nil, "D1_TYPE_ERROR: Type 'time.Time' not supported"},
		{[]string{"a"}, nil, "D1_TYPE_ERROR: Type '[]string' not supported"},
		{make(chan int), nil, "D1_TYPE_ERROR: Type 'chan int' not supported"},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Normalize(%#v) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Normalize(%#v) = %#v, %v; want %#v", tt.in, got, err, tt.want)
		}
	}
}

func TestNormalizeResult(t *testing.T) {
	tests := []struct {
		in   float64
		want any
	}{
		{2, int64(2)}, {math.Copysign(0, -1), int64(0)}, {2.5, 2.5}, {MaxSafeInteger, int64(MaxSafeInteger)},
		{MaxSafeInteger + 1, float64(MaxSafeInteger + 1)}, {math.Inf(1), nil}, {math.NaN(), nil},
	}
	for _, tt := range tests {
		if got := NormalizeResult(tt.in); got != tt.want {
			t.Errorf("NormalizeResult(%v) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}
