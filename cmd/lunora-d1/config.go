package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// configNames are the wrangler configuration files looked for, in wrangler's
// order of preference.
var configNames = []string{"wrangler.json", "wrangler.jsonc", "wrangler.toml"}

// wranglerConfig is what this tool reads from a wrangler configuration: the
// account and the D1 databases, at the top level or in one environment.
type wranglerConfig struct {
	Path      string // the file it was read from
	AccountID string
	Databases []d1Entry
}

// d1Entry is one entry of a wrangler configuration's d1_databases.
type d1Entry struct {
	Binding       string
	DatabaseName  string
	DatabaseID    string
	MigrationsDir string
}

// name returns what identifies the entry to people: its database name, or
// else its binding.
func (e *d1Entry) name() string {
	if e.DatabaseName != "" {
		return e.DatabaseName
	}
	return e.Binding
}

// findConfig returns the wrangler configuration in dir or the nearest of its
// parents, or "" when there is none.
func findConfig(dir string) (string, error) {
	for {
		for _, n := range configNames {
			p := filepath.Join(dir, n)
			if _, err := os.Stat(p); err == nil {
				return p, nil
			} else if !errors.Is(err, fs.ErrNotExist) {
				return "", err
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// readConfig reads the wrangler configuration at path: JSON with comments
// (wrangler.json, wrangler.jsonc) or TOML (wrangler.toml), by its extension.
// env, when not "", selects the environment env.<name>, whose d1_databases
// and account_id replace the top-level ones, as in wrangler.
func readConfig(path, env string) (*wranglerConfig, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if strings.EqualFold(filepath.Ext(path), ".toml") {
		doc, err = parseTOML(string(b))
	} else {
		doc, err = parseJSONC(b)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	cfg, err := configFromDoc(doc, env)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	cfg.Path = path
	return cfg, nil
}

// configFromDoc extracts the settings from a parsed configuration.
func configFromDoc(doc map[string]any, env string) (*wranglerConfig, error) {
	cfg := &wranglerConfig{}
	var err error
	if cfg.AccountID, err = stringKey(doc, "account_id", "account_id"); err != nil {
		return nil, err
	}
	where := "d1_databases"
	scope := doc
	if env != "" {
		envs, _ := doc["env"].(map[string]any)
		e, ok := envs[env].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("no environment %q (env.%s) is defined", env, env)
		}
		if id, err := stringKey(e, "account_id", "env."+env+".account_id"); err != nil {
			return nil, err
		} else if id != "" {
			cfg.AccountID = id
		}
		scope, where = e, "env."+env+".d1_databases"
	}
	switch list := scope["d1_databases"].(type) {
	case nil:
	case []any:
		for i, item := range list {
			m, ok := item.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s[%d] is not a table of settings", where, i)
			}
			var d d1Entry
			at := fmt.Sprintf("%s[%d].", where, i)
			for _, f := range []struct {
				key string
				dst *string
			}{
				{"binding", &d.Binding},
				{"database_name", &d.DatabaseName},
				{"database_id", &d.DatabaseID},
				{"migrations_dir", &d.MigrationsDir},
			} {
				if *f.dst, err = stringKey(m, f.key, at+f.key); err != nil {
					return nil, err
				}
			}
			cfg.Databases = append(cfg.Databases, d)
		}
	default:
		return nil, fmt.Errorf("%s must be a list of databases", where)
	}
	return cfg, nil
}

// stringKey returns m[key] when it is a string, "" when it is absent, and an
// error naming where otherwise.
func stringKey(m map[string]any, key, where string) (string, error) {
	switch v := m[key].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	}
	return "", fmt.Errorf("%s must be a string", where)
}

// selectDatabase returns the entry of cfg that binding or name chooses (at
// most one of them is set), the only entry when neither is set, or nil when
// there are none. Several entries and no choice is an error that lists them.
func selectDatabase(cfg *wranglerConfig, binding, name string) (*d1Entry, error) {
	var names []string
	for i := range cfg.Databases {
		e := &cfg.Databases[i]
		if binding != "" && e.Binding == binding || name != "" && e.DatabaseName == name {
			return e, nil
		}
		names = append(names, fmt.Sprintf("binding %s (database %s)", orDash(e.Binding), orDash(e.DatabaseName)))
	}
	switch {
	case binding != "":
		return nil, fmt.Errorf("%s has no D1 database with binding %q; it has: %s", cfg.Path, binding, listOrNone(names))
	case name != "":
		return nil, fmt.Errorf("%s has no D1 database named %q; it has: %s", cfg.Path, name, listOrNone(names))
	case len(cfg.Databases) == 1:
		return &cfg.Databases[0], nil
	case len(cfg.Databases) == 0:
		return nil, nil
	}
	return nil, fmt.Errorf("%s has %d D1 databases: %s; choose one with --binding NAME or --database NAME",
		cfg.Path, len(cfg.Databases), strings.Join(names, ", "))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
