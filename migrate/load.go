package migrate

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// LoadOptions configures [LoadWithOptions]. The zero value gives the
// defaults.
type LoadOptions struct {
	// Split turns a file of several statements into several migrations, as
	// [Split] does (which changes every version: see there). Without it such
	// a file is refused.
	Split bool
}

// Load reads the migrations in the directory dir of fsys: the files named
// <version>_<name>.sql, where version is decimal digits, such as wrangler's
// 0001_init.sql or 20261127120000_add_users.sql. Other files, and
// subdirectories, are ignored; a .sql file named otherwise is an error.
// Each file's text is a migration's SQL, unchanged (so its raw hash is the
// one drizzle records).
//
// Load refuses, naming the files, two files of one version and a file that
// [New] would refuse; in particular a file of several statements, which
// [LoadWithOptions] can split when asked to.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	return LoadWithOptions(fsys, dir, LoadOptions{})
}

// LoadWithOptions is [Load] configured by opts.
func LoadWithOptions(fsys fs.FS, dir string, opts LoadOptions) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("migrate: reading migrations: %w", err)
	}
	var ms []Migration
	file := map[int64]string{} // version to file name
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.EqualFold(path.Ext(name), ".sql") {
			continue
		}
		p := path.Join(dir, name)
		v, mname, err := parseFileName(name)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrVersion, p, err)
		}
		if other, ok := file[v]; ok {
			return nil, fmt.Errorf("%w: %s and %s both have version %d: give each file its own version",
				ErrDuplicateVersion, path.Join(dir, other), p, v)
		}
		file[v] = name
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("migrate: reading migrations: %w", err)
		}
		ms = append(ms, Migration{Version: v, Name: mname, SQL: string(b)})
	}
	where := func(m Migration) string {
		// Split parts are not files; name them by version and name.
		if f, ok := file[m.Version]; ok && !opts.Split {
			return path.Join(dir, f)
		}
		return "migration " + m.entry().String()
	}
	if opts.Split {
		if ms, err = Split(ms); err != nil {
			return nil, err
		}
	}
	plans, err := check(ms, where)
	if err != nil {
		if !opts.Split && errors.Is(err, ErrMultipleStatements) {
			return nil, fmt.Errorf("%w (one file each), or load the folder with LoadOptions{Split: true}", err)
		}
		return nil, err
	}
	out := make([]Migration, len(plans))
	for i, p := range plans {
		out[i] = p.Migration
	}
	return out, nil
}

// parseFileName splits "0001_init.sql" into 1 and "init".
func parseFileName(name string) (int64, string, error) {
	base := name[:len(name)-len(path.Ext(name))]
	digits, rest, ok := strings.Cut(base, "_")
	if !ok || digits == "" || rest == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, "", fmt.Errorf("a migration file is named <version>_<name>.sql, with a decimal version, such as 0001_init.sql")
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, "", fmt.Errorf("version %s is too large", digits)
	}
	return v, rest, nil
}
