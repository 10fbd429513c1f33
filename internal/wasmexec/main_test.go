package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildProbe builds testdata/probe for js/wasm.
func buildProbe(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "probe.wasm")
	cmd := exec.Command("go", "build", "-o", out, "./testdata/probe")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the probe: %v\n%s", err, b)
	}
	return out
}

func TestRun(t *testing.T) {
	probe := buildProbe(t)
	t.Setenv("WASMEXEC_PROBE", "from the host")
	for _, code := range []string{"0", "3"} {
		t.Run("exit "+code, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			got := run(context.Background(), []string{probe, code, "-test.v", "two words"}, &stdout, &stderr)
			if want := int(code[0] - '0'); got != want {
				t.Errorf("exit code = %d, want %d\nstderr:\n%s", got, want, stderr.String())
			}
			out := stdout.String()
			for _, want := range []string{
				"args: " + code + ",-test.v,two words\n",
				"d1: 42\n",
				strings.Repeat("x", 100000) + "\n",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %.60q:\n%.300s", want, out)
				}
			}
			if !strings.Contains(stderr.String(), "env: from the host\n") {
				t.Errorf("stderr = %q, want the environment variable", stderr.String())
			}
			if strings.Contains(out, "env:") {
				t.Error("stderr went to stdout")
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if got := run(context.Background(), nil, &stdout, &stderr); got != 2 {
		t.Errorf("no arguments: exit code %d, want 2", got)
	}
	stderr.Reset()
	if got := run(context.Background(), []string{filepath.Join(t.TempDir(), "none.wasm")}, &stdout, &stderr); got != 1 {
		t.Errorf("missing program: exit code %d, want 1", got)
	}
	if !strings.Contains(stderr.String(), "wasmexec:") {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func TestCopyFrames(t *testing.T) {
	frames := []byte{
		1, 0, 0, 0, 3, 'o', 'u', 't',
		2, 0, 0, 0, 3, 'e', 'r', 'r',
		3, 0, 0, 0, 4, 0xff, 0xff, 0xff, 0xfe,
	}
	var stdout, stderr bytes.Buffer
	code, err := copyFrames(bytes.NewReader(frames), &stdout, &stderr)
	if err != nil || code != -2 || stdout.String() != "out" || stderr.String() != "err" {
		t.Errorf("copyFrames = %d, %v; stdout %q, stderr %q", code, err, stdout.String(), stderr.String())
	}
	// Output that ends without an exit frame is an error.
	if _, err := copyFrames(bytes.NewReader(frames[:16]), &stdout, &stderr); err == nil {
		t.Error("no error for output without an exit frame")
	}
	if _, err := copyFrames(bytes.NewReader([]byte{9, 0, 0, 0, 0}), &stdout, &stderr); err == nil {
		t.Error("no error for an unknown frame")
	}
}
