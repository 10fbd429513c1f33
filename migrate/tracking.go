package migrate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/lunora-go/d1"
)

// The tracking table is drizzle's, so that drizzle and this package can
// share a database; the version column and its unique index are this
// package's additions.
const (
	trackingTable = "__drizzle_migrations"
	versionIndex  = "__drizzle_migrations_version"

	sqlCreateTable = `CREATE TABLE IF NOT EXISTS __drizzle_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, hash TEXT NOT NULL UNIQUE, created_at NUMERIC, version INTEGER)`
	sqlCreateIndex = `CREATE UNIQUE INDEX IF NOT EXISTS __drizzle_migrations_version ON __drizzle_migrations (version)`

	// sqlSchema lists the tables and the tracking table's indexes.
	sqlSchema = `SELECT type, name FROM sqlite_master WHERE type = 'table' OR (type = 'index' AND tbl_name = '__drizzle_migrations')`
	// sqlColumns lists the tracking table's columns, none when it is missing.
	sqlColumns = `SELECT name FROM pragma_table_info('__drizzle_migrations')`

	sqlRecords        = `SELECT hash, version, created_at FROM __drizzle_migrations ORDER BY id`
	sqlDrizzleRecords = `SELECT hash, NULL, created_at FROM __drizzle_migrations ORDER BY rowid`

	sqlInsert = `INSERT INTO __drizzle_migrations (hash, created_at, version) VALUES (?1, ?2, ?3)`

	sqlTables = `SELECT name FROM sqlite_master WHERE type = 'table'`
)

// The upgrade of a table drizzle created (id SERIAL, so every id is NULL; no
// version column) to this package's shape, in one batch. Adding the version
// column first makes a second, racing upgrade fail before it changes
// anything. Rows keep their order, hash and created_at; they get ids in that
// order, and the version of the migration whose hash they hold (?1 is a JSON
// array of [hash, version] pairs).
var sqlUpgrade = []string{
	`ALTER TABLE __drizzle_migrations ADD COLUMN version INTEGER`,
	`CREATE TABLE __drizzle_migrations_upgrade (id INTEGER PRIMARY KEY AUTOINCREMENT, hash TEXT NOT NULL UNIQUE, created_at NUMERIC, version INTEGER)`,
	`INSERT INTO __drizzle_migrations_upgrade (hash, created_at, version) ` +
		`SELECT m.hash, m.created_at, (SELECT json_extract(j.value, '$[1]') FROM json_each(?1) AS j WHERE json_extract(j.value, '$[0]') = m.hash) ` +
		`FROM __drizzle_migrations AS m ORDER BY m.rowid`,
	`DROP TABLE __drizzle_migrations`,
	`ALTER TABLE __drizzle_migrations_upgrade RENAME TO __drizzle_migrations`,
	sqlCreateIndex,
}

// Record is a row of the tracking table.
type Record struct {
	// Hash is the recorded hash of the migration's SQL.
	Hash string
	// Version is the recorded version; Versioned is false when the row has
	// none (rows written by drizzle).
	Version   int64
	Versioned bool
	// CreatedAt is the row's created_at: milliseconds since 1970 when this
	// package or drizzle wrote it.
	CreatedAt int64
}

// state is what the database holds: the tracking table's shape and rows,
// and the names of its tables.
type state struct {
	exists     bool // the tracking table exists
	hasVersion bool // it has the version column
	hasIndex   bool // and the unique index on it
	records    []Record
	byHash     map[string]int
	byVersion  map[int64]int
	tables     []string
}

// setup returns the statements that make the tracking table ready: none when
// it is.
func (st *state) setup() []string {
	switch {
	case !st.exists:
		return []string{sqlCreateTable, sqlCreateIndex}
	case !st.hasIndex:
		return []string{sqlCreateIndex}
	}
	return nil
}

// applied reports whether p's hash is recorded.
func (st *state) applied(p *plan) bool {
	_, ok := st.byHash[p.hash]
	if !ok {
		_, ok = st.byHash[p.rawHash]
	}
	return ok
}

// drift returns the record of p's version when its hash is not p's.
func (st *state) drift(p *plan) (Record, bool) {
	i, ok := st.byVersion[p.Version]
	if !ok || p.applies(st.records[i].Hash) {
		return Record{}, false
	}
	return st.records[i], true
}

// readState reads the state in two calls (one when the tracking table does
// not exist). With upgrade, a tracking table that drizzle created is first
// upgraded, in the second call.
func (r *Runner) readState(ctx context.Context, upgrade bool) (*state, error) {
	for attempt := 0; ; attempt++ {
		st, err := r.tryReadState(ctx, upgrade)
		if err == nil || !errors.Is(err, errUpgradeRace) || attempt == 2 {
			return st, err
		}
	}
}

// errUpgradeRace marks an upgrade that failed, possibly because another
// runner upgraded the table first: reading again tells.
var errUpgradeRace = errors.New("migrate: upgrade raced")

func (r *Runner) tryReadState(ctx context.Context, upgrade bool) (*state, error) {
	res, err := r.batch(ctx, []string{sqlSchema, sqlColumns}, nil)
	if err != nil {
		return nil, fmt.Errorf("migrate: reading the schema: %w", err)
	}
	st := &state{byHash: map[string]int{}, byVersion: map[int64]int{}}
	for _, row := range res[0].Rows {
		typ, _ := row[0].(string)
		name, _ := row[1].(string)
		switch {
		case typ == "table" && strings.EqualFold(name, trackingTable):
			st.exists = true
		case typ == "table":
			st.tables = append(st.tables, name)
		case typ == "index" && strings.EqualFold(name, versionIndex):
			st.hasIndex = true
		}
	}
	hasHash := false
	for _, row := range res[1].Rows {
		switch name, _ := row[0].(string); strings.ToLower(name) {
		case "hash":
			hasHash = true
		case "version":
			st.hasVersion = true
		}
	}
	if !st.exists {
		return st, nil
	}
	if !hasHash {
		return nil, fmt.Errorf("migrate: the table %s exists but has no hash column, so it is not a migrations table: rename or drop it", trackingTable)
	}

	query := []string{sqlRecords}
	var args [][]any
	if !st.hasVersion {
		query = []string{sqlDrizzleRecords}
		if upgrade {
			query = append(slicesClone(sqlUpgrade), sqlRecords)
			args = make([][]any, len(query))
			args[2] = []any{r.versionMap()}
		}
	}
	res, err = r.batch(ctx, query, args)
	if err != nil {
		if len(query) > 1 {
			// The upgrade failed: another runner may have upgraded the
			// table first, or it holds a hash twice.
			return nil, fmt.Errorf("%w: upgrading the table %s that drizzle created: %w", errUpgradeRace, trackingTable, err)
		}
		return nil, fmt.Errorf("migrate: reading %s: %w", trackingTable, err)
	}
	if len(query) > 1 {
		st.hasVersion, st.hasIndex = true, true
	}
	for _, row := range res[len(res)-1].Rows {
		rec := Record{}
		rec.Hash, _ = row[0].(string)
		rec.Version, rec.Versioned = asInt(row[1])
		rec.CreatedAt, _ = asInt(row[2])
		st.byHash[rec.Hash] = len(st.records)
		if rec.Versioned {
			st.byVersion[rec.Version] = len(st.records)
		}
		st.records = append(st.records, rec)
	}
	return st, nil
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

// versionMap returns the JSON array of [hash, version] pairs that the
// upgrade uses to give drizzle's rows their versions: both hashes of each
// migration.
func (r *Runner) versionMap() string {
	pairs := make([][2]any, 0, 2*len(r.plans))
	for _, p := range r.plans {
		pairs = append(pairs, [2]any{p.hash, p.Version})
		if p.rawHash != p.hash {
			pairs = append(pairs, [2]any{p.rawHash, p.Version})
		}
	}
	b, _ := json.Marshal(pairs) // strings and integers cannot fail
	return string(b)
}

func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) <= d1.MaxSafeInteger {
			return int64(x), true
		}
	}
	return 0, false
}

// references asks the database which tables reference table with an ON
// DELETE action that deletes or changes their rows, in one call.
func (r *Runner) references(ctx context.Context, table string, tables []string) ([]Reference, error) {
	cands := guardTables(table, tables)
	if len(cands) == 0 {
		return nil, nil
	}
	query := make([]string, len(cands))
	args := make([][]any, len(cands))
	for i, t := range cands {
		query[i] = `SELECT "table", on_delete FROM pragma_foreign_key_list(?1)`
		args[i] = []any{t}
	}
	res, err := r.batch(ctx, query, args)
	if err != nil {
		return nil, err
	}
	var refs []Reference
	for i, rs := range res {
		for _, row := range rs.Rows {
			parent, _ := row[0].(string)
			action, _ := row[1].(string)
			if strings.EqualFold(parent, table) && rowChanging(action) {
				refs = append(refs, Reference{Table: cands[i], OnDelete: action})
				break
			}
		}
	}
	return refs, nil
}

func rowChanging(action string) bool {
	switch strings.ToUpper(action) {
	case "CASCADE", "SET NULL", "SET DEFAULT":
		return true
	}
	return false
}

// guardTables returns the tables that may reference table: all but table
// itself, the tracking table, and SQLite's and D1's own (sqlite_, _cf_),
// which reference nothing and which D1 does not let PRAGMA read.
func guardTables(table string, tables []string) []string {
	var out []string
	for _, t := range tables {
		lt := strings.ToLower(t)
		if strings.EqualFold(t, table) || lt == trackingTable || strings.HasPrefix(lt, "sqlite_") || strings.HasPrefix(lt, "_cf_") {
			continue
		}
		out = append(out, t)
	}
	return out
}

// guardChunk is how many tables one guard statement checks, within D1's 100
// bound parameters.
const guardChunk = 32

// guard returns statements that, placed after the tracking INSERT of the
// migration with the given hash, make its batch fail (by setting the
// recorded hash to NULL, which NOT NULL refuses) when one of tables
// references table with ON DELETE CASCADE, SET NULL or SET DEFAULT. D1 does
// not let pragma_foreign_key_list take a column of another table, so each
// table is a bound parameter.
func guard(hash, table string, tables []string) (query []string, args [][]any) {
	cands := guardTables(table, tables)
	for len(cands) > 0 {
		n := min(len(cands), guardChunk)
		var b strings.Builder
		b.WriteString(`UPDATE __drizzle_migrations SET hash = NULL WHERE hash = ?1 AND (`)
		a := []any{hash, table}
		for i, t := range cands[:n] {
			if i > 0 {
				b.WriteString(" OR ")
			}
			fmt.Fprintf(&b, `EXISTS (SELECT 1 FROM pragma_foreign_key_list(?%d) WHERE "table" = ?2 COLLATE NOCASE AND on_delete IN ('CASCADE', 'SET NULL', 'SET DEFAULT'))`, i+3)
			a = append(a, t)
		}
		b.WriteString(")")
		query = append(query, b.String())
		args = append(args, a)
		cands = cands[n:]
	}
	return query, args
}

// isGuardFailure reports whether err is the guard's refusal.
func isGuardFailure(err error) bool {
	var e *d1.Error
	return errors.As(err, &e) && e.Extended == d1.ResultConstraintNotNull &&
		strings.Contains(e.Message, trackingTable+".hash")
}
