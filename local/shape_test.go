package local

import (
	"slices"
	"testing"
)

func TestNewShape(t *testing.T) {
	tests := []struct {
		names     []string
		wantNames []string
		wantSrc   []int
	}{
		{[]string{"a", "b"}, nil, nil},
		{[]string{"a", "a"}, []string{"a"}, []int{1}},
		{[]string{"b", "10", "2", "a"}, []string{"2", "10", "b", "a"}, []int{2, 1, 0, 3}},
		{[]string{"x", "0", "x", "0"}, []string{"0", "x"}, []int{3, 2}},
		// Not array indices: leading zeros, signs, 2^32-1 and beyond.
		{[]string{"b", "01", "-1", "4294967295", "1.5"}, nil, nil},
		{[]string{"b", "4294967294"}, []string{"4294967294", "b"}, []int{1, 0}},
	}
	for _, tt := range tests {
		sh := newShape(tt.names)
		if !slices.Equal(sh.names, tt.wantNames) || !slices.Equal(sh.src, tt.wantSrc) {
			t.Errorf("newShape(%q) = %q %v, want %q %v", tt.names, sh.names, sh.src, tt.wantNames, tt.wantSrc)
		}
	}
}
