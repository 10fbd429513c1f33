package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStripJSONC(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain json", `{"a": [1, 2], "b": "x"}`, `{"a": [1, 2], "b": "x"}`},
		{"line comment", "{\"a\": 1 // one\n}", "{\"a\": 1       \n}"},
		{"block comment", "{/* a\nb */\"a\": 1}", "{    \n    \"a\": 1}"},
		{"trailing comma in object", `{"a": 1,}`, `{"a": 1 }`},
		{"trailing comma in array", "[1, 2,\n]", "[1, 2 \n]"},
		{"trailing comma before comment", "[1, // x\n]", "[1      \n]"},
		{"comment markers in strings", `{"u": "http://x/*y*/", "v": "a,]"}`, `{"u": "http://x/*y*/", "v": "a,]"}`},
		{"escaped quote in string", `{"a": "say \"//hi\","}`, `{"a": "say \"//hi\","}`},
		{"comment at end without newline", `{"a": 1} // end`, `{"a": 1}       `},
		{"commas not trailing", `[1, , 2]`, `[1, , 2]`},
		{"slash alone", `{"a": 1 / 2}`, `{"a": 1 / 2}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := stripJSONC([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(got), tt.want; got != want {
				t.Errorf("stripJSONC(%q) = %q, want %q", tt.in, got, want)
			}
		})
	}
}

func TestStripJSONCUnclosedComment(t *testing.T) {
	_, err := stripJSONC([]byte("{\n  \"a\": 1 /* no end\n}"))
	if err == nil || !strings.Contains(err.Error(), "line 2, column 10") {
		t.Fatalf("err = %v, want one naming line 2, column 10", err)
	}
}

func TestParseJSONCErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"{\n  \"a\": 1\n  \"b\": 2\n}", "line 3, column 3"},
		{"[1, 2]", "one JSON object"},
		{"", "ends before"},
		{"{\"a\": 1", "ends before"},
		{"{} {}", "text after the JSON object"},
		{"null", "one JSON object"},
	}
	for _, tt := range tests {
		_, err := parseJSONC([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseJSONC(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
		}
	}
}

// FuzzStripJSONC checks that stripping never panics, keeps the length and
// the newlines, leaves valid JSON unchanged, and yields valid JSON from valid
// JSON with comments and trailing commas added.
func FuzzStripJSONC(f *testing.F) {
	for _, s := range []string{
		`{"a": 1}`, "{\"a\": [1, 2,], // c\n}", "/* x */ {}", `{"s": "/*"}`, `"\"`, "{,}", "/*", "//",
		`{"d1_databases": [{"binding": "DB", "database_name": "x",},],}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := stripJSONC([]byte(s))
		if err != nil {
			if !strings.Contains(s, "/*") {
				t.Fatalf("error %v without a block comment in %q", err, s)
			}
			return
		}
		if len(out) != len(s) {
			t.Fatalf("length %d, want %d", len(out), len(s))
		}
		if strings.Count(string(out), "\n") != strings.Count(s, "\n") {
			t.Fatalf("newlines changed: %q -> %q", s, out)
		}
		if json.Valid([]byte(s)) {
			if string(out) != s {
				t.Fatalf("valid JSON changed: %q -> %q", s, out)
			}
			// The same JSON with a comment and a trailing comma decodes
			// to the same value.
			if strings.HasPrefix(strings.TrimSpace(s), "[") && strings.HasSuffix(strings.TrimSpace(s), "]") {
				trimmed := strings.TrimSpace(s)
				inner := trimmed[1 : len(trimmed)-1]
				if strings.TrimSpace(inner) == "" {
					return
				}
				decorated := "/* lead */[" + inner + ", // trailing\n]"
				out, err := stripJSONC([]byte(decorated))
				if err != nil {
					t.Fatal(err)
				}
				var a, b any
				if err := json.Unmarshal([]byte(s), &a); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(out, &b); err != nil {
					t.Fatalf("decorated %q -> %q: %v", decorated, out, err)
				}
				if !reflect.DeepEqual(a, b) {
					t.Fatalf("decorated %q decodes to %v, want %v", decorated, b, a)
				}
			}
		}
	})
}

const sampleTOML = `
# A realistic wrangler.toml.
name = "my-worker"
main = "src/index.ts"
compatibility_date = "2025-09-01"
compatibility_flags = [ "nodejs_compat" ]
account_id = 'abc123'
workers_dev = true
logpush = false
limits = { cpu_ms = 50 }

[vars]
GREETING = """
Hello,
  world"""
PATTERN = '''C:\path\'''
ESCAPED = "tab\there \u00e9 \"q\""
WHEN = 1979-05-27 07:32:00

[[kv_namespaces]]
binding = "KV"
id = "kv-id"

[[d1_databases]]
binding = "DB"             # the binding
database_name = "app-db"
database_id = "11111111-2222-3333-4444-555555555555"
migrations_dir = "db/migrations"

[[d1_databases]]
binding = "ANALYTICS"
database_name = "analytics"
database_id = "66666666-7777-8888-9999-000000000000"

[env.staging]
name = "my-worker-staging"
account_id = "staging-account"

[[env.staging.d1_databases]]
binding = "DB"
database_name = "app-db-staging"
database_id = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

[env.inline]
d1_databases = [
  { binding = "DB", database_name = "inline-db", database_id = "inline-id" }, # comment
]
"quoted.key" = 1
dotted.key = "v"
`

func TestParseTOML(t *testing.T) {
	doc, err := parseTOML(sampleTOML)
	if err != nil {
		t.Fatal(err)
	}
	vars := doc["vars"].(map[string]any)
	for key, want := range map[string]string{
		"GREETING": "Hello,\n  world",
		"PATTERN":  `C:\path\`,
		"ESCAPED":  "tab\there \u00e9 \"q\"",
	} {
		if got := vars[key]; got != want {
			t.Errorf("vars.%s = %#v, want %q", key, got, want)
		}
	}
	if got, want := vars["WHEN"], tomlScalar("1979-05-27 07:32:00"); got != want {
		t.Errorf("vars.WHEN = %#v, want %#v", got, want)
	}
	if got, want := doc["workers_dev"], tomlScalar("true"); got != want {
		t.Errorf("workers_dev = %#v, want %#v", got, want)
	}
	inline := doc["env"].(map[string]any)["inline"].(map[string]any)
	if got := inline["dotted"].(map[string]any)["key"]; got != "v" {
		t.Errorf("env.inline.dotted.key = %#v", got)
	}
	if _, ok := inline["quoted.key"]; !ok {
		t.Errorf("env.inline has no \"quoted.key\": %v", inline)
	}

	tests := []struct {
		env  string
		want *wranglerConfig
	}{
		{"", &wranglerConfig{AccountID: "abc123", Databases: []d1Entry{
			{Binding: "DB", DatabaseName: "app-db", DatabaseID: "11111111-2222-3333-4444-555555555555", MigrationsDir: "db/migrations"},
			{Binding: "ANALYTICS", DatabaseName: "analytics", DatabaseID: "66666666-7777-8888-9999-000000000000"},
		}}},
		{"staging", &wranglerConfig{AccountID: "staging-account", Databases: []d1Entry{
			{Binding: "DB", DatabaseName: "app-db-staging", DatabaseID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"},
		}}},
		{"inline", &wranglerConfig{AccountID: "abc123", Databases: []d1Entry{
			{Binding: "DB", DatabaseName: "inline-db", DatabaseID: "inline-id"},
		}}},
	}
	for _, tt := range tests {
		got, err := configFromDoc(doc, tt.env)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("env %q: config = %+v, want %+v", tt.env, got, tt.want)
		}
	}
	if _, err := configFromDoc(doc, "nosuch"); err == nil || !strings.Contains(err.Error(), `no environment "nosuch"`) {
		t.Errorf("env nosuch: err = %v", err)
	}
}

func TestParseTOMLErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a = \"open\n", `line 1: a string is never closed with "`},
		{"a = 1\na = 2", `line 2: the key "a" is defined twice`},
		{"[d1_databases\nx = 1", "line 1: a table header must end with ]"},
		{"\n\na = [1, 2", "line 3: an array is never closed with ]"},
		{"a = 1 b = 2", "line 1: unexpected 'b' after a value"},
		{"a", "line 1: expected = after the key"},
		{"a = \"\\q\"", `line 1: unknown escape \q`},
		{"a = 1\n[[a]]", "line 2: [[a]] names a key that already holds a value"},
		{"a = '''x", "a string is never closed with '''"},
		{"= 1", "line 1: unexpected '='"},
	}
	for _, tt := range tests {
		_, err := parseTOML(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseTOML(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
		}
	}
}

// tomlQuote writes s as a TOML basic string.
func tomlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\u00` + string("0123456789abcdef"[r>>4]) + string("0123456789abcdef"[r&15]))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// FuzzParseTOML checks that the parser never panics on any input, and that
// d1_databases entries written with any string values read back as written.
func FuzzParseTOML(f *testing.F) {
	f.Add("DB", "app-db", "id-1", "migrations", sampleTOML)
	f.Add("a\"b", "x\\y", "\n", "é", "[[d1_databases]]\nbinding = 'x'")
	f.Add("", "", "", "", "a = [\n1,\n{ b = 2 }, ]")
	f.Fuzz(func(t *testing.T, binding, name, id, dir, junk string) {
		parseTOML(junk) // must not panic
		for _, s := range []string{binding, name, id, dir} {
			if !utf8.ValidString(s) {
				return
			}
		}
		src := "# generated\naccount_id = " + tomlQuote(id) + "\n[[d1_databases]]\n" +
			"binding = " + tomlQuote(binding) + "\n" +
			"'database_name' = " + tomlQuote(name) + " # trailing comment\n" +
			"database_id = " + tomlQuote(id) + "\n" +
			"migrations_dir = " + tomlQuote(dir) + "\n"
		doc, err := parseTOML(src)
		if err != nil {
			t.Fatalf("parseTOML(%q): %v", src, err)
		}
		cfg, err := configFromDoc(doc, "")
		if err != nil {
			t.Fatal(err)
		}
		want := []d1Entry{{Binding: binding, DatabaseName: name, DatabaseID: id, MigrationsDir: dir}}
		if !reflect.DeepEqual(cfg.Databases, want) || cfg.AccountID != id {
			t.Fatalf("parseTOML(%q) = %+v, want %+v", src, cfg, want)
		}
	})
}

func TestReadConfigJSONC(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "wrangler.jsonc")
	src := `{
  // Worker settings.
  "name": "w",
  "account_id": "acc",
  "d1_databases": [
    {
      "binding": "DB", /* the main one */
      "database_name": "main",
      "database_id": "id-main",
      "migrations_dir": "sql",
    },
  ],
  "env": {"prod": {"d1_databases": [{"binding": "DB", "database_name": "prod", "database_id": "id-prod"}]}},
}`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := readConfig(path, "")
	if err != nil {
		t.Fatal(err)
	}
	want := &wranglerConfig{Path: path, AccountID: "acc", Databases: []d1Entry{
		{Binding: "DB", DatabaseName: "main", DatabaseID: "id-main", MigrationsDir: "sql"},
	}}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("readConfig = %+v, want %+v", cfg, want)
	}
	cfg, err = readConfig(path, "prod")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Databases[0].DatabaseName, "prod"; got != want {
		t.Errorf("env prod database = %q, want %q", got, want)
	}

	bad := filepath.Join(dir, "bad.jsonc")
	os.WriteFile(bad, []byte("{\n  \"d1_databases\": {\"binding\": \"DB\"}\n}"), 0o644)
	if _, err := readConfig(bad, ""); err == nil || !strings.Contains(err.Error(), "d1_databases must be a list") {
		t.Errorf("err = %v, want d1_databases must be a list", err)
	}
	os.WriteFile(bad, []byte(`{"d1_databases": [{"binding": 1}]}`), 0o644)
	if _, err := readConfig(bad, ""); err == nil || !strings.Contains(err.Error(), "d1_databases[0].binding must be a string") {
		t.Errorf("err = %v, want d1_databases[0].binding must be a string", err)
	}
}

func TestSelectDatabase(t *testing.T) {
	cfg := &wranglerConfig{Path: "wrangler.toml", Databases: []d1Entry{
		{Binding: "DB", DatabaseName: "main"},
		{Binding: "LOGS", DatabaseName: "logs"},
	}}
	tests := []struct {
		binding, name string
		want          string // the chosen binding, or "error: ..."
	}{
		{"LOGS", "", "LOGS"},
		{"", "main", "DB"},
		{"", "", "error: has 2 D1 databases: binding DB (database main), binding LOGS (database logs); choose one with --binding NAME or --database NAME"},
		{"NOPE", "", `error: has no D1 database with binding "NOPE"; it has: binding DB (database main), binding LOGS (database logs)`},
		{"", "nope", `error: has no D1 database named "nope"`},
	}
	for _, tt := range tests {
		e, err := selectDatabase(cfg, tt.binding, tt.name)
		got := ""
		if err != nil {
			got = "error: " + err.Error()
		} else {
			got = e.Binding
		}
		if strings.HasPrefix(tt.want, "error: ") {
			if !strings.Contains(got, strings.TrimPrefix(tt.want, "error: ")) {
				t.Errorf("selectDatabase(%q, %q) = %q, want %q", tt.binding, tt.name, got, tt.want)
			}
		} else if got != tt.want {
			t.Errorf("selectDatabase(%q, %q) = %q, want %q", tt.binding, tt.name, got, tt.want)
		}
	}
	one := &wranglerConfig{Databases: []d1Entry{{Binding: "DB"}}}
	if e, err := selectDatabase(one, "", ""); err != nil || e.Binding != "DB" {
		t.Errorf("one entry: %v, %v", e, err)
	}
	if e, err := selectDatabase(&wranglerConfig{}, "", ""); err != nil || e != nil {
		t.Errorf("no entries: %v, %v", e, err)
	}
}
