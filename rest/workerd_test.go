package rest_test

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/d1test"
	"github.com/lunora-go/d1/internal/workerd"
	"github.com/lunora-go/d1/rest"
)

// Recognisable credentials: no test output may ever contain the tokens.
const (
	testToken   = "rest-test-token-7f3a9c-MUST-NOT-BE-PRINTED"
	noD1Token   = "rest-test-token-without-d1-0b21e5-MUST-NOT-BE-PRINTED"
	testAccount = "0123456789abcdef0123456789abcdef"
)

// server is the stand-in REST API (testdata/rest_api.js) in workerd, shared
// by the tests of the package. Its databases are named DB_0 to DB_3.
var server workerd.Shared

func TestMain(m *testing.M) {
	script, err := os.ReadFile("testdata/rest_api.js")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	server.Config = workerd.Config{
		Modules:     []workerd.Module{{Name: "rest_api.js", Contents: script}},
		D1Databases: workerd.D1Names("DB_", 4),
		Vars: map[string]string{
			"REST_TOKEN":  testToken,
			"NO_D1_TOKEN": noD1Token,
			"ACCOUNT_ID":  testAccount,
		},
	}
	code := m.Run()
	server.Close()
	os.Exit(code)
}

// baseURL returns the stand-in API's base URL, starting it on first use.
func baseURL(tb testing.TB) string {
	tb.Helper()
	return strings.TrimRight(server.Server(tb).URL(), "/") + "/client/v4"
}

// openWorkerd opens database name of the stand-in API with the valid token.
func openWorkerd(tb testing.TB, name string) *rest.DB {
	tb.Helper()
	return openAs(tb, testAccount, name, testToken)
}

func openAs(tb testing.TB, account, database, token string) *rest.DB {
	tb.Helper()
	db, err := rest.Open(account, database, token, &rest.Options{BaseURL: baseURL(tb)})
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

// TestConformance runs the suite every backend runs against rest, pointed at
// the stand-in API over workerd's local D1.
func TestConformance(t *testing.T) {
	d1test.Run(t, d1test.Backend{
		Open:       func(tb testing.TB) d1.Database { return openWorkerd(tb, "DB_0") },
		NoSessions: true,
		// The REST API's params are strings, numbers and null; see TestBlobs.
		NoBlobParams: true,
	})
}

// TestBlobs: binding a []byte is refused, and the documented workaround,
// hex text through unhex(?), stores a BLOB that comes back as []byte.
func TestBlobs(t *testing.T) {
	client := d1.New(openWorkerd(t, "DB_1"))
	ctx := context.Background()
	_, err := client.All(ctx, "SELECT ?", []byte{1, 2})
	e, ok := d1test.AsError(err)
	if !ok || e.Code != d1.CodeTypeError || !strings.Contains(e.Message, "unhex") {
		t.Fatalf("binding a []byte: err = %v, want a D1_TYPE_ERROR that points to unhex", err)
	}

	tbl := d1test.Table("blobs")
	if _, err := client.Run(ctx, "CREATE TABLE "+tbl+" (id INTEGER PRIMARY KEY, b BLOB)"); err != nil {
		t.Fatal(err)
	}
	want := []byte{0, 1, 127, 128, 254, 255}
	if _, err := client.Run(ctx, "INSERT INTO "+tbl+" (b) VALUES (unhex(?))", hex.EncodeToString(want)); err != nil {
		t.Fatal(err)
	}
	row, err := client.First(ctx, "SELECT b, typeof(b), x'' AS empty FROM "+tbl)
	if err != nil {
		t.Fatal(err)
	}
	if got := row.Values; !reflect.DeepEqual(got, []any{want, "blob", []byte{}}) {
		t.Errorf("row = %#v, want the BLOB %v, blob and an empty BLOB", got, want)
	}
}

// TestNumbers checks numbers at the edge of what JavaScript holds exactly.
func TestNumbers(t *testing.T) {
	client := d1.New(openWorkerd(t, "DB_1"))
	res, err := client.All(context.Background(),
		"SELECT 9007199254740991 AS safe, -9007199254740991 AS negsafe, 9007199254740993 AS big, "+
			"12345.678 AS real, 0.1 AS tenth, 1e999 AS inf, -0.0 AS nz, 123456789012345678 AS bigger")
	if err != nil {
		t.Fatal(err)
	}
	want := []any{int64(9007199254740991), int64(-9007199254740991), float64(9007199254740992),
		12345.678, 0.1, nil, int64(0), float64(123456789012345678)}
	if got := res.Rows[0]; !reflect.DeepEqual(got, want) {
		t.Errorf("row = %#v\nwant  %#v", got, want)
	}
}

// TestColumnOrder: /query answers rows as JSON objects; the columns keep the
// order of the SQL.
func TestColumnOrder(t *testing.T) {
	client := d1.New(openWorkerd(t, "DB_1"))
	res, err := client.All(context.Background(),
		"SELECT 'z' AS zeta, 'a' AS alpha, 'm' AS mu, NULL AS nada UNION ALL SELECT 'z2', 'a2', 'm2', 1")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Columns, []string{"zeta", "alpha", "mu", "nada"}; !slices.Equal(got, want) {
		t.Errorf("Columns = %q, want %q", got, want)
	}
	if got, want := res.Rows, [][]any{{"z", "a", "m", nil}, {"z2", "a2", "m2", int64(1)}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Rows = %v, want %v", got, want)
	}
}

// TestExecLines checks Exec's splitting, its count and its errors.
func TestExecLines(t *testing.T) {
	db := openWorkerd(t, "DB_2")
	ctx := context.Background()
	tbl := d1test.Table("execlines")
	res, err := db.Exec(ctx, "\n  CREATE TABLE "+tbl+" (a);\n\n   \nINSERT INTO "+tbl+" VALUES (1);\nINSERT INTO "+tbl+" VALUES (2)\n")
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 3 {
		t.Errorf("Count = %d, want 3 (blank lines are not statements)", res.Count)
	}

	// A failing line rolls the whole exec back, as the binding's exec does
	// over workerd's D1, and the error names line 1 as the binding's does.
	_, err = db.Exec(ctx, "INSERT INTO "+tbl+" VALUES (3)\nSELEC 1")
	want := `D1_EXEC_ERROR: Error in line 1: INSERT INTO ` + tbl + ` VALUES (3): near "SELEC": syntax error at offset 0: SQLITE_ERROR`
	if e, ok := d1test.AsError(err); !ok || e.Error() != want {
		t.Errorf("err = %v\n want %s", err, want)
	}
	count, err := d1.New(db).First(ctx, "SELECT count(*) FROM "+tbl)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(count.Values, []any{int64(2)}) {
		t.Errorf("after a failed exec the table has %v rows, want 2", count.Values)
	}

	_, err = db.Exec(ctx, " \n\t\n")
	if e, ok := d1test.AsError(err); !ok || e.Error() != "D1_EXEC_ERROR: Error in line 1: : No SQL statements detected." {
		t.Errorf("empty exec: err = %v", err)
	}
}

// TestSessionIsTheDatabase: a session of the REST backend reads what the
// database wrote, with any constraint or bookmark, and never has a bookmark.
func TestSessionIsTheDatabase(t *testing.T) {
	client := d1.New(openWorkerd(t, "DB_2"))
	ctx := context.Background()
	tbl := d1test.Table("sess")
	if _, err := client.Run(ctx, "CREATE TABLE "+tbl+" (v TEXT)"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"", d1.FirstPrimary, d1.FirstUnconstrained, "00000001-00000002-00000003-00000000000000000000000000000004", "junk"} {
		s := client.WithSession(c)
		if _, err := s.Run(ctx, "INSERT INTO "+tbl+" (v) VALUES (?)", c); err != nil {
			t.Fatalf("WithSession(%q): %v", c, err)
		}
		row, err := s.First(ctx, "SELECT count(*) FROM "+tbl+" WHERE v = ?", c)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(row.Values, []any{int64(1)}) {
			t.Errorf("WithSession(%q) read %v, want its own write", c, row.Values)
		}
		if b, ok := s.Bookmark(); ok || b != "" {
			t.Errorf("WithSession(%q).Bookmark() = %q, %v; want none", c, b, ok)
		}
	}
}

// TestRequestFailures checks the errors for credentials, accounts and
// databases the stand-in API refuses, and that they never hold a token.
func TestRequestFailures(t *testing.T) {
	cases := []struct {
		name              string
		account, database string
		token             string
		status            int
		says              []string
	}{
		{"wrong token", testAccount, "DB_3", "not-the-token-0000", 401,
			[]string{"API token was not accepted", "HTTP 401", "Cloudflare error 10000: Authentication error"}},
		{"token without D1", testAccount, "DB_3", noD1Token, 403,
			[]string{"may not query database DB_3", "D1 Read", "D1 Edit", "account " + testAccount}},
		{"wrong account", "ffffffffffffffffffffffffffffffff", "DB_3", testToken, 403,
			[]string{"account ffffffffffffffffffffffffffffffff is not valid", "7403"}},
		{"unknown database", testAccount, "no-such-db", testToken, 404,
			[]string{"database no-such-db was not found in account " + testAccount, "7404"}},
		{"no token", testAccount, "DB_3", "", 400,
			[]string{"API token was not accepted", "6003"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			client := d1.New(openAs(t, c.account, c.database, c.token))
			_, err := client.All(context.Background(), "SELECT 1")
			var ae *rest.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %T %v, want an *rest.APIError", err, err)
			}
			if ae.StatusCode != c.status {
				t.Errorf("StatusCode = %d, want %d", ae.StatusCode, c.status)
			}
			for _, s := range c.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("err = %q\ndoes not say %q", err, s)
				}
			}
			if _, ok := d1test.AsError(err); !ok {
				t.Error("errors.As finds no *d1.Error")
			}
			if d1.IsRetryable(err) {
				t.Error("IsRetryable = true for a refused request")
			}
			assertNoToken(t, err.Error())
		})
	}
}

// assertNoToken fails the test if s holds either test token. It does not
// print s, in case it does.
func assertNoToken(t *testing.T, s string) {
	t.Helper()
	for _, tok := range []string{testToken, noD1Token, errorTestToken} {
		if strings.Contains(s, tok) {
			t.Errorf("a token appears in the text (%d bytes, not printed)", len(s))
		}
	}
}
