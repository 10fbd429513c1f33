package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/lunora-go/d1/bridge/bridgetest"
	"github.com/lunora-go/d1/internal/workerd"
)

// bridgeServer is the bridge Worker over workerd's local D1, shared by the
// tests of the package.
var bridgeServer bridgetest.Server

const (
	restToken   = "cli-rest-token-5e1f0c-MUST-NOT-BE-PRINTED"
	restAccount = "0123456789abcdef0123456789abcdef"
)

func closeServers() {
	bridgeServer.Close()
}

// restBaseURL starts the stand-in REST API (package rest's) over workerd's
// local D1 for the test, and stops it when the test ends. Its databases,
// DB_0 to DB_3, start empty on every run, so that a test may apply
// migrations and count rows under go test -count=N.
func restBaseURL(t *testing.T) string {
	t.Helper()
	script, err := os.ReadFile("../../rest/testdata/rest_api.js")
	if err != nil {
		t.Fatal(err)
	}
	srv := workerd.Start(t, workerd.Config{
		Modules:     []workerd.Module{{Name: "rest_api.js", Contents: script}},
		D1Databases: workerd.D1Names("DB_", 4),
		Vars:        map[string]string{"REST_TOKEN": restToken, "NO_D1_TOKEN": "unused-" + restToken, "ACCOUNT_ID": restAccount},
	})
	return strings.TrimRight(srv.URL(), "/") + "/client/v4"
}

// noSecret fails the test if r shows secret anywhere.
func noSecret(t *testing.T, r result, secret string) {
	t.Helper()
	if strings.Contains(r.stdout, secret) || strings.Contains(r.stderr, secret) {
		t.Errorf("the token was printed:\n%v", r)
	}
}

func TestBridge(t *testing.T) {
	url := bridgeServer.DatabaseURL(t)
	token := bridgeServer.Token()
	c := newCLI(t)
	c.env = []string{"LUNORA_D1_BRIDGE_TOKEN=" + token}
	c.write(map[string]string{
		"migrations/0001_users.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
		"migrations/0002_index.sql": "CREATE INDEX users_name ON users (name)",
	})
	r := c.ok("--bridge", url, "migrate", "apply")
	mustContain(t, "apply", r.stdout, "database bridge "+url, "applied 0001_users", "applied 0002_index", "2 applied, 0 already applied")
	noSecret(t, r, token)
	mustContain(t, "again", c.ok("migrate", "apply", "--bridge", url).stdout, "nothing to apply")
	mustContain(t, "status", c.ok("migrate", "status", "--bridge", url).stdout, "2 applied, 0 pending, 0 drifted")

	// workerd's D1 binds the number 7 as REAL, as the CLI's local default does.
	r = c.ok("--bridge", url, "query", "--bookmark", "first-primary", "INSERT INTO users (name) VALUES (?)", "Ada")
	m := regexp.MustCompile(`(?m)^bookmark: (\S+)$`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no bookmark:\n%s", r.stdout)
	}
	r = c.ok("--bridge", url, "query", "--bookmark", m[1], "SELECT name, typeof(?) AS t FROM users", "7")
	mustContain(t, "query", r.stdout, " Ada  | real\n")
	mustContain(t, "exec", c.ok("--bridge", url, "exec", "INSERT INTO users (name) VALUES ('b'); SELECT count(*) AS n FROM users").stdout, " 2\n")
	c.fails(exitError, []string{"D1_ERROR: no such table: nope"}, "--bridge", url, "query", "SELECT * FROM nope")

	// A wrong token is refused, and the token given is not printed.
	wrong := &cli{t: t, dir: c.dir, env: []string{"MY_TOKEN=wrong-" + token}}
	r = wrong.fails(exitError, []string{"401"}, "--bridge", url, "--bridge-token-env", "MY_TOKEN", "query", "SELECT 1")
	noSecret(t, r, "wrong-"+token)
	wrong.fails(exitUsage, []string{"--bridge needs the bridge's token", "$LUNORA_D1_BRIDGE_TOKEN"}, "--bridge", url, "query", "SELECT 1")
	c.fails(exitUsage, []string{"give the Worker's URL"}, "--bridge", "example.com", "query", "SELECT 1")
	c.fails(exitUsage, []string{"--db, --bridge and --remote each choose a database"}, "--bridge", url, "--db", "x.sqlite", "query", "SELECT 1")
}

func TestRemote(t *testing.T) {
	base := restBaseURL(t)
	c := newCLI(t)
	c.env = []string{"CLOUDFLARE_API_TOKEN=" + restToken, "CLOUDFLARE_ACCOUNT_ID=" + restAccount, "CLOUDFLARE_API_BASE_URL=" + base}
	c.write(map[string]string{
		"wrangler.jsonc": `{
  "d1_databases": [
    {"binding": "DB", "database_name": "prod", "database_id": "DB_1", "migrations_dir": "sql"}, // the REST API's DB_1
  ],
}`,
		"sql/0001_t.sql": "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
		"sql/0002_u.sql": "CREATE TABLE u (x)",
	})
	r := c.ok("--remote", "migrate", "apply")
	mustContain(t, "apply", r.stdout, "remote database DB_1 of account "+restAccount, "applied 0001_t", "applied 0002_u")
	noSecret(t, r, restToken)
	mustContain(t, "status", c.ok("--remote", "migrate", "verify").stdout, "ok: 2 migrations", "2 applied, 0 pending, 0 drifted")
	r = c.ok("--remote", "query", "INSERT INTO t (v) VALUES (?) ", "x")
	mustContain(t, "insert", r.stdout, "1 change")
	mustContain(t, "select", c.ok("--remote", "query", "SELECT v FROM t").stdout, " x\n(1 row")
	c.fails(exitUsage, []string{"--bookmark needs D1's Sessions API, which the REST API (--remote) does not have"},
		"--remote", "query", "--bookmark", "first-primary", "SELECT 1")

	// Flags override the configuration and the environment.
	r = c.ok("--remote", "--database-id", "DB_2", "--account-id", restAccount, "--api-url", base, "query", "SELECT count(*) AS n FROM sqlite_master WHERE name = 't'")
	mustContain(t, "DB_2", r.stdout, " 0\n")

	// Missing settings are usage errors that say where to put them.
	bare := newCLI(t)
	bare.fails(exitUsage, []string{"--remote needs the Cloudflare account ID: pass --account-id ID, set $CLOUDFLARE_ACCOUNT_ID"}, "--remote", "query", "SELECT 1")
	bare.env = []string{"CLOUDFLARE_ACCOUNT_ID=a"}
	bare.fails(exitUsage, []string{"--remote needs the D1 database's ID", "--database-id"}, "--remote", "query", "SELECT 1")
	bare.fails(exitUsage, []string{"--remote needs a Cloudflare API token", "$CLOUDFLARE_API_TOKEN"}, "--remote", "--database-id", "x", "query", "SELECT 1")

	// A token the API refuses: exit 1, with what to fix, and the token is
	// not printed.
	bad := &cli{t: t, dir: c.dir, env: []string{"CF=bad-" + restToken, "CLOUDFLARE_ACCOUNT_ID=" + restAccount, "CLOUDFLARE_API_BASE_URL=" + base}}
	r = bad.fails(exitError, []string{"401"}, "--remote", "--api-token-env", "CF", "query", "SELECT 1")
	noSecret(t, r, "bad-"+restToken)
}

// TestTokensNeverPrinted points the bridge and REST targets at servers that
// echo the Authorization header back in their error answers: the CLI must
// still print no token, in text or JSON.
func TestTokensNeverPrinted(t *testing.T) {
	t.Parallel()
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		auth := r.Header.Get("Authorization")
		if strings.Contains(r.URL.Path, "/accounts/") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"success": false, "errors": [{"code": 10000, "message": "bad header `+auth+`"}], "messages": [], "result": null}`)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, "refused: "+auth)
	}))
	defer echo.Close()
	const secret = "s3cr3t-token-that-must-never-appear"
	c := newCLI(t)
	c.env = []string{"LUNORA_D1_BRIDGE_TOKEN=" + secret, "CLOUDFLARE_API_TOKEN=" + secret, "CLOUDFLARE_ACCOUNT_ID=acc", "CLOUDFLARE_API_BASE_URL=" + echo.URL}
	c.write(map[string]string{"migrations/0001_a.sql": "CREATE TABLE a (x)"})
	for _, args := range [][]string{
		{"--bridge", echo.URL, "query", "SELECT 1"},
		{"--bridge", echo.URL, "query", "SELECT 1", "--json"},
		{"--bridge", echo.URL, "migrate", "apply"},
		{"--bridge", echo.URL, "exec", "SELECT 1", "--json"},
		{"--remote", "--database-id", "db", "query", "SELECT 1"},
		{"--remote", "--database-id", "db", "migrate", "status", "--json"},
		{"--remote", "--database-id", "db", "migrate", "verify"},
	} {
		r := c.run(args...)
		if r.code != exitError {
			t.Errorf("lunora-d1 %q: exit %d, want %d\n%v", args, r.code, exitError, r)
		}
		noSecret(t, r, secret)
		if r.stderr == "" {
			t.Errorf("lunora-d1 %q: no error message", args)
		}
	}
	// Help and usage errors do not show the token either.
	for _, args := range [][]string{{"help", "query"}, {"--remote", "query"}, {"--bridge", echo.URL, "query"}} {
		noSecret(t, c.run(args...), secret)
	}
}
