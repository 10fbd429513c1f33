package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"

	"github.com/lunora-go/d1/bridge"
)

var cmdBridgeInit = &command{
	name:    "bridge init",
	args:    "[DIR]",
	summary: "write the bridge Worker and its wrangler.jsonc",
	help: `Writes the bridge Worker into DIR (default d1-bridge): bridge.js, replaced if present,
and wrangler.jsonc, written only when DIR has none. When the project's wrangler
configuration names a D1 database (one entry, or the one --binding or --database
chooses), the new wrangler.jsonc binds it; otherwise fill in database_name and
database_id yourself (wrangler d1 list shows them).

The bridge Worker holds the D1 binding and answers the Go client of package bridge,
with D1's sessions and bookmarks, one HTTP round trip per statement or batch. It
refuses requests without its token, the Worker secret BRIDGE_TOKEN.

Examples:
  lunora-d1 bridge init
  cd d1-bridge && npx wrangler secret put BRIDGE_TOKEN && npx wrangler deploy
  LUNORA_D1_BRIDGE_TOKEN=... lunora-d1 --bridge https://lunora-d1-bridge.example.workers.dev query 'SELECT 1'`,
	run: runBridgeInit,
}

// placeholders of the embedded wrangler.jsonc template.
const (
	templateName = `"database_name": "my-database"`
	templateID   = `"database_id": "00000000-0000-0000-0000-000000000000"`
)

func runBridgeInit(_ context.Context, a *app, _ *cmdFlags, args []string) error {
	if len(args) > 1 {
		return usageErrorf("bridge init takes one DIR")
	}
	dir := "d1-bridge"
	if len(args) == 1 {
		dir = args[0]
	}
	dir = a.abs(dir)
	p, err := a.project()
	if err != nil {
		return err
	}
	entry, err := p.entry(&a.common)
	if err != nil {
		if a.common.binding != "" || a.common.database != "" {
			return err
		}
		entry = nil // several databases and no choice: leave the placeholders
	}
	cfgPath := filepath.Join(dir, "wrangler.jsonc")
	_, statErr := os.Stat(cfgPath)
	newConfig := errors.Is(statErr, fs.ErrNotExist)
	if err := bridge.WriteWorker(dir); err != nil {
		return fmt.Errorf("writing the bridge Worker: %w", err)
	}
	filled := false
	if newConfig && entry != nil && entry.DatabaseName != "" && entry.DatabaseID != "" {
		b, err := os.ReadFile(cfgPath)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(templateName)) && bytes.Contains(b, []byte(templateID)) {
			b = bytes.Replace(b, []byte(templateName), []byte(`"database_name": `+strconv.Quote(entry.DatabaseName)), 1)
			b = bytes.Replace(b, []byte(templateID), []byte(`"database_id": `+strconv.Quote(entry.DatabaseID)), 1)
			if err := os.WriteFile(cfgPath, b, 0o644); err != nil {
				return err
			}
			filled = true
		}
	}
	if a.common.json {
		return a.writeJSON(a.stdout, map[string]any{
			"dir": dir, "files": []string{filepath.Join(dir, "bridge.js"), cfgPath},
			"config_written": newConfig, "database_filled": filled,
		})
	}
	rel := a.rel(dir)
	fmt.Fprintf(a.stdout, "wrote %s\n", filepath.Join(rel, "bridge.js"))
	switch {
	case !newConfig:
		fmt.Fprintf(a.stdout, "kept %s, which exists\n", filepath.Join(rel, "wrangler.jsonc"))
	case filled:
		fmt.Fprintf(a.stdout, "wrote %s, binding database %s (%s)\n", filepath.Join(rel, "wrangler.jsonc"), entry.DatabaseName, entry.DatabaseID)
	default:
		fmt.Fprintf(a.stdout, "wrote %s: fill in database_name and database_id (npx wrangler d1 list shows them)\n", filepath.Join(rel, "wrangler.jsonc"))
	}
	fmt.Fprintf(a.stdout, `
Next:
  cd %s
  npx wrangler secret put BRIDGE_TOKEN   # a long random string, such as: openssl rand -hex 32
  npx wrangler deploy
  export %s=<the same string>
  lunora-d1 --bridge https://lunora-d1-bridge.<your-subdomain>.workers.dev query 'SELECT 1'
`, rel, defaultBridgeTokenEnv)
	return nil
}

var cmdVersion = &command{
	name:    "version",
	summary: "print the version",
	help: `Prints the version of lunora-d1 (the module version when installed with go install,
with the VCS revision when built from a checkout), and the Go version it was built with.

Examples:
  lunora-d1 version
  lunora-d1 version --json`,
	run: runVersion,
}

func runVersion(_ context.Context, a *app, _ *cmdFlags, args []string) error {
	if len(args) > 0 {
		return usageErrorf("version takes no arguments")
	}
	version, revision := "(devel)", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				revision = s.Value
			}
		}
	}
	if a.common.json {
		return a.writeJSON(a.stdout, map[string]any{
			"version": version, "revision": revision, "go": runtime.Version(), "platform": runtime.GOOS + "/" + runtime.GOARCH,
		})
	}
	line := "lunora-d1 " + version
	if revision != "" {
		line += " (" + revision[:min(12, len(revision))] + ")"
	}
	fmt.Fprintf(a.stdout, "%s, %s %s/%s\n", line, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
