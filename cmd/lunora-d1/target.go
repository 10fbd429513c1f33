package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/bridge"
	"github.com/lunora-go/d1/local"
	"github.com/lunora-go/d1/rest"
)

// project is where a command works: the directory of the wrangler
// configuration (or the current directory without one) and the
// configuration.
type project struct {
	dir string
	cfg *wranglerConfig // nil when there is none
}

// project finds and reads the wrangler configuration.
func (a *app) project() (*project, error) {
	c := &a.common
	path := c.config
	if path != "" {
		path = a.abs(path)
		if _, err := os.Stat(path); err != nil {
			return nil, usageErrorf("--config %s: %v", c.config, errors.Unwrap(err))
		}
	} else {
		var err error
		if path, err = findConfig(a.cwd); err != nil {
			return nil, err
		}
	}
	if path == "" {
		if c.env != "" || c.binding != "" || c.database != "" {
			return nil, usageErrorf("--env, --binding and --database choose from a wrangler configuration, " +
				"and there is no wrangler.json, wrangler.jsonc or wrangler.toml here or above; pass --config FILE")
		}
		return &project{dir: a.cwd}, nil
	}
	if c.binding != "" && c.database != "" {
		return nil, usageErrorf("give --binding or --database, not both")
	}
	cfg, err := readConfig(path, c.env)
	if err != nil {
		return nil, withCode(exitUsage, fmt.Errorf("reading the wrangler configuration: %w", err))
	}
	return &project{dir: filepath.Dir(path), cfg: cfg}, nil
}

// entry returns the d1_databases entry chosen by --binding or --database,
// the only one, or nil when the configuration has none (or there is no
// configuration).
func (p *project) entry(c *commonFlags) (*d1Entry, error) {
	if p.cfg == nil {
		return nil, nil
	}
	e, err := selectDatabase(p.cfg, c.binding, c.database)
	return e, withCode(exitUsage, err)
}

// abs resolves path against the current directory.
func (a *app) abs(path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(a.cwd, path)
}

// rel returns path relative to the current directory when that is
// shorter, for messages.
func (a *app) rel(path string) string {
	if r, err := filepath.Rel(a.cwd, path); err == nil && len(r) < len(path) {
		return r
	}
	return path
}

// migrationsDir returns the migrations folder: --migrations, else the
// entry's migrations_dir, else migrations/, both next to the configuration.
func (a *app) migrationsDir(p *project) (string, error) {
	if a.common.migrations != "" {
		return a.abs(a.common.migrations), nil
	}
	e, err := p.entry(&a.common)
	if err != nil {
		return "", err
	}
	if e != nil && e.MigrationsDir != "" {
		if filepath.IsAbs(e.MigrationsDir) {
			return e.MigrationsDir, nil
		}
		return filepath.Join(p.dir, e.MigrationsDir), nil
	}
	return filepath.Join(p.dir, "migrations"), nil
}

// target is an open database.
type target struct {
	db       d1.Database
	kind     string // "local", "bridge" or "remote"
	desc     string // for people; never holds a token
	sessions bool   // the backend has sessions and bookmarks
	missing  bool   // a local file that does not exist, read as an empty database
	close    func() error
}

// openTarget opens the database the flags choose. With readOnly, a local
// file that does not exist is not created: an empty in-memory database
// stands for it.
func (a *app) openTarget(p *project, readOnly bool) (*target, error) {
	c := &a.common
	n := 0
	for _, set := range []bool{c.db != "", c.bridge != "", c.remote} {
		if set {
			n++
		}
	}
	if n > 1 {
		return nil, usageErrorf("--db, --bridge and --remote each choose a database: give one of them")
	}
	switch {
	case c.bridge != "":
		return a.openBridge()
	case c.remote:
		return a.openRemote(p)
	}
	path := c.db
	if path != "" {
		path = a.abs(path)
	} else {
		name := "default"
		e, err := p.entry(c)
		if err != nil {
			return nil, err
		}
		if e != nil && e.name() != "" {
			name = e.name()
		}
		if strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
			return nil, usageErrorf("the database name %q cannot be a file name; pass --db PATH", name)
		}
		path = filepath.Join(p.dir, ".lunora", "d1", name+".sqlite")
	}
	t := &target{kind: "local", desc: "local " + a.rel(path), sessions: true}
	open := path
	if readOnly {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			open, t.missing = "", true
			t.desc += " (not created yet)"
		}
	}
	db, err := local.Open(open, nil)
	if err != nil {
		return nil, fmt.Errorf("opening the local database %s: %w", a.rel(path), err)
	}
	t.db, t.close = db, db.Close
	return t, nil
}

func (a *app) openBridge() (*target, error) {
	c := &a.common
	token := a.getenv(c.bridgeTokenEnv)
	if token == "" {
		return nil, usageErrorf("--bridge needs the bridge's token (the Worker's BRIDGE_TOKEN secret) in $%s; "+
			"set it, or name another variable with --bridge-token-env", c.bridgeTokenEnv)
	}
	a.secrets = append(a.secrets, token)
	if !strings.HasPrefix(c.bridge, "http://") && !strings.HasPrefix(c.bridge, "https://") {
		return nil, usageErrorf("--bridge %q: give the Worker's URL, such as https://lunora-d1-bridge.example.workers.dev", c.bridge)
	}
	db, err := bridge.Open(c.bridge, &bridge.Options{Token: token})
	if err != nil {
		return nil, withCode(exitUsage, fmt.Errorf("--bridge %s: %w", c.bridge, err))
	}
	return &target{db: db, kind: "bridge", desc: "bridge " + c.bridge, sessions: true, close: db.Close}, nil
}

func (a *app) openRemote(p *project) (*target, error) {
	c := &a.common
	account := c.accountID
	if account == "" {
		account = a.getenv(envAccountID)
	}
	if account == "" && p.cfg != nil {
		account = p.cfg.AccountID
	}
	if account == "" {
		return nil, usageErrorf("--remote needs the Cloudflare account ID: pass --account-id ID, set $%s, "+
			"or add account_id to the wrangler configuration", envAccountID)
	}
	database := c.databaseID
	if database == "" {
		e, err := p.entry(c)
		if err != nil {
			return nil, err
		}
		if e != nil {
			database = e.DatabaseID
		}
		if database == "" {
			what := "the wrangler configuration's d1_databases has no database_id"
			if p.cfg == nil {
				what = "there is no wrangler configuration to read it from"
			}
			return nil, usageErrorf("--remote needs the D1 database's ID (wrangler d1 list shows it): pass --database-id ID; %s", what)
		}
	}
	token := a.getenv(c.apiTokenEnv)
	if token == "" {
		return nil, usageErrorf("--remote needs a Cloudflare API token with D1 Edit (or D1 Read) permission in $%s; "+
			"set it, or name another variable with --api-token-env", c.apiTokenEnv)
	}
	a.secrets = append(a.secrets, token)
	base := c.apiURL
	if base == "" {
		base = a.getenv(envAPIURL)
	}
	db, err := rest.Open(account, database, token, &rest.Options{BaseURL: base})
	if err != nil {
		return nil, withCode(exitUsage, fmt.Errorf("--remote: %w", err))
	}
	return &target{db: db, kind: "remote", desc: "remote database " + database + " of account " + account,
		close: func() error { return nil }}, nil
}
