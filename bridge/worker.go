package bridge

import (
	"embed"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed worker/bridge.js worker/wrangler.jsonc
var workerFiles embed.FS

// WorkerScript returns the source of the bridge Worker, an ES module that
// reads its D1 binding from env.DB and its token from env.BRIDGE_TOKEN.
func WorkerScript() []byte { return mustRead("worker/bridge.js") }

// WranglerConfig returns a wrangler.jsonc template for the bridge Worker,
// to be completed with the D1 database's name and id.
func WranglerConfig() []byte { return mustRead("worker/wrangler.jsonc") }

func mustRead(name string) []byte {
	b, err := workerFiles.ReadFile(name)
	if err != nil {
		panic("bridge: embedded " + name + ": " + err.Error())
	}
	return b
}

// WriteWorker writes the bridge Worker into dir, creating dir if needed:
// bridge.js, always replaced, and wrangler.jsonc, written only when dir has
// none, so that a filled-in configuration is kept.
func WriteWorker(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "bridge.js"), WorkerScript(), 0o644); err != nil {
		return err
	}
	cfg := filepath.Join(dir, "wrangler.jsonc")
	if _, err := os.Stat(cfg); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.WriteFile(cfg, WranglerConfig(), 0o644)
}
