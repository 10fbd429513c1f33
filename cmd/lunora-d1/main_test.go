package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// binary is the lunora-d1 built once for the tests, which drive it end to
// end as a user would.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lunora-d1-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "lunora-d1")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building lunora-d1: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	closeServers()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs the binary in a directory with an environment of its own.
type cli struct {
	t   testing.TB
	dir string
	env []string // added to a minimal environment
}

// newCLI returns a cli in a fresh directory.
func newCLI(t testing.TB) *cli {
	return &cli{t: t, dir: t.TempDir()}
}

type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

func (c *cli) run(args ...string) result { return c.runStdin("", args...) }

func (c *cli) runStdin(stdin string, args ...string) result {
	c.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = c.dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + c.dir}, c.env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatalf("running lunora-d1 %q: %v", args, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// ok runs args and fails the test unless the exit code is 0.
func (c *cli) ok(args ...string) result {
	c.t.Helper()
	r := c.run(args...)
	if r.code != 0 {
		c.t.Fatalf("lunora-d1 %q: %v", args, r)
	}
	return r
}

// fails runs args and fails the test unless the exit code is code and
// stderr contains every want.
func (c *cli) fails(code int, want []string, args ...string) result {
	c.t.Helper()
	r := c.run(args...)
	if r.code != code {
		c.t.Fatalf("lunora-d1 %q: exit %d, want %d\n%v", args, r.code, code, r)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			c.t.Errorf("lunora-d1 %q: stderr does not contain %q\n%v", args, w, r)
		}
	}
	return r
}

// write writes files (name to content) below the cli's directory.
func (c *cli) write(files map[string]string) {
	c.t.Helper()
	for name, content := range files {
		p := filepath.Join(c.dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			c.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			c.t.Fatal(err)
		}
	}
}

func (c *cli) exists(name string) bool {
	_, err := os.Stat(filepath.Join(c.dir, name))
	return err == nil
}

// decode decodes the JSON output of r into v.
func decode(t testing.TB, out string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
}

func mustContain(t testing.TB, what, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s does not contain %q:\n%s", what, w, s)
		}
	}
}
