package main

import (
	"flag"
	"reflect"
	"strings"
	"testing"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args      []string
		stop      bool
		wantPos   []string
		wantJSON  bool
		wantDB    string
		wantHelp  bool
		wantError string
	}{
		{args: []string{"SELECT ?", "1", "--json", "--db", "x"}, wantPos: []string{"SELECT ?", "1"}, wantJSON: true, wantDB: "x"},
		{args: []string{"-json", "--db=a=b", "q"}, wantPos: []string{"q"}, wantJSON: true, wantDB: "a=b"},
		{args: []string{"q", "-5", "-1.5e3", "-"}, wantPos: []string{"q", "-5", "-1.5e3", "-"}},
		{args: []string{"q", "--", "--json", "-x"}, wantPos: []string{"q", "--json", "-x"}},
		{args: []string{"--json=false", "q"}, wantPos: []string{"q"}},
		{args: []string{"--db", "-x", "q"}, wantPos: []string{"q"}, wantDB: "-x"},
		{args: []string{"--json", "migrate", "--db", "x"}, stop: true, wantPos: []string{"migrate", "--db", "x"}, wantJSON: true},
		{args: []string{"-h", "q"}, wantPos: []string{"q"}, wantHelp: true},
		{args: []string{"--help"}, wantHelp: true},
		{args: []string{"--nope"}, wantError: "unknown flag --nope"},
		{args: []string{"q", "--db"}, wantError: "flag --db needs a value"},
		{args: []string{"--json=maybe"}, wantError: `flag --json: bad value "maybe"`},
	}
	for _, tt := range tests {
		var c commonFlags
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		c.register(fs)
		pos, help, err := parseFlags(fs, tt.args, tt.stop)
		if tt.wantError != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantError) {
				t.Errorf("parseFlags(%q) error = %v, want %q", tt.args, err, tt.wantError)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseFlags(%q): %v", tt.args, err)
			continue
		}
		if !reflect.DeepEqual(pos, tt.wantPos) || c.json != tt.wantJSON || c.db != tt.wantDB || help != tt.wantHelp {
			t.Errorf("parseFlags(%q) = %q, json %v, db %q, help %v; want %q, %v, %q, %v",
				tt.args, pos, c.json, c.db, help, tt.wantPos, tt.wantJSON, tt.wantDB, tt.wantHelp)
		}
	}
}

func TestQueryArgs(t *testing.T) {
	tests := []struct {
		args  []string
		text  bool
		json  string
		want  []any
		error string
	}{
		{args: []string{"7", "-2", "1.5", "2e3", "0", "-0.5"}, want: []any{int64(7), int64(-2), 1.5, 2000.0, int64(0), -0.5}},
		{args: []string{"007", "+1", "0x10", "1.", ".5", "1e", "NaN", "Infinity", "abc", ""}, want: []any{"007", "+1", "0x10", "1.", ".5", "1e", "NaN", "Infinity", "abc", ""}},
		{args: []string{"7", "x"}, text: true, want: []any{"7", "x"}},
		{args: []string{"9223372036854775808"}, error: "ARG 1: 9223372036854775808 is too large for a number: pass --text"},
		{args: []string{"1e999"}, error: "1e999 is too large"},
		{json: `[null, true, false, 1, 1.5, "7", {"blob": "AQI="}]`, want: []any{nil, true, false, int64(1), 1.5, "7", []byte{1, 2}}},
		{json: `[[1]]`, error: "an array cannot be bound"},
		{json: `[{"blob": "!"}]`, error: "not base64"},
		{json: `[{"hex": "00"}]`, error: `the only object is {"blob": "<base64>"}`},
		{json: `[1] [2]`, error: "needs a JSON array"},
		{json: `[1]`, args: []string{"1"}, error: "not both"},
		{json: `[1]`, text: true, error: "--text applies to ARGS"},
	}
	for _, tt := range tests {
		got, err := queryArgs(&cmdFlags{text: tt.text, argsJSON: tt.json}, tt.args)
		if tt.error != "" {
			if err == nil || !strings.Contains(err.Error(), tt.error) {
				t.Errorf("queryArgs(%q, %q) error = %v, want %q", tt.args, tt.json, err, tt.error)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("queryArgs(%q, %q) = %#v, %v; want %#v", tt.args, tt.json, got, err, tt.want)
		}
	}
}

func TestWriteTable(t *testing.T) {
	var b strings.Builder
	// Widths count runes: a wide character counts as one.
	writeTable(&b, []string{"n", "名前", "v"}, [][]any{
		{int64(10), "été", nil},
		{2.5, "a\x00b", []byte{0xff}},
	})
	want := "" +
		" n   | 名前     | v\n" +
		"-----+--------+-------\n" +
		"  10 | été    | NULL\n" +
		" 2.5 | a\\x00b | x'ff'\n"
	if got := b.String(); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}
