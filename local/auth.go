package local

import (
	"strings"

	"zombiezen.com/go/sqlite"
)

// denyKind records why the authorizer refused a statement when D1 words the
// refusal differently from SQLite's "not authorized".
type denyKind uint8

const (
	denyNone            denyKind = iota
	denyPlain                    // SQLite's own "not authorized" text
	denyTransaction              // BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE
	denyMissingFunction          // a function D1's SQLite does not have
)

// pragmaSetting is a PRAGMA that changes connection state, seen by the
// authorizer while preparing a statement.
type pragmaSetting struct {
	name, value string
}

// connPragmas are the PRAGMAs that set connection state D1 keeps across
// queries (D1 runs every query on one connection). foreign_keys and
// defer_foreign_keys are absent on purpose: inside D1's implicit
// transaction the first has no effect and the second resets at commit.
var connPragmas = map[string]bool{
	"case_sensitive_like":       true,
	"ignore_check_constraints":  true,
	"legacy_alter_table":        true,
	"recursive_triggers":        true,
	"reverse_unordered_selects": true,
}

// booleanPragmas take an optional boolean argument.
var booleanPragmas = map[string]bool{
	"case_sensitive_like":       true,
	"foreign_keys":              true,
	"defer_foreign_keys":        true,
	"ignore_check_constraints":  true,
	"legacy_alter_table":        true,
	"recursive_triggers":        true,
	"reverse_unordered_selects": true,
}

// objectPragmas take a table or index name.
var objectPragmas = map[string]bool{
	"table_info":       true,
	"table_xinfo":      true,
	"index_info":       true,
	"index_list":       true,
	"index_xinfo":      true,
	"foreign_key_list": true,
}

// deniedFunctions are SQLite functions D1 refuses with "not authorized to use
// function" (observed in workerd's local D1).
var deniedFunctions = map[string]bool{
	"ceiling":                   true,
	"fts5":                      true,
	"fts5_get_locale":           true,
	"fts5_locale":               true,
	"fts5_source_id":            true,
	"json_error_position":       true,
	"json_pretty":               true,
	"log10":                     true,
	"power":                     true,
	"sqlite_compileoption_get":  true,
	"sqlite_compileoption_used": true,
	"sqlite_log":                true,
	"sqlite_source_id":          true,
	"sqlite_version":            true,
	"subtype":                   true,
}

// missingFunctions are functions modernc's SQLite has and D1's does not: D1
// answers "no such function".
var missingFunctions = map[string]bool{
	"fts5_insttoken":         true,
	"geopoly_area":           true,
	"geopoly_bbox":           true,
	"geopoly_blob":           true,
	"geopoly_ccw":            true,
	"geopoly_contains_point": true,
	"geopoly_debug":          true,
	"geopoly_group_bbox":     true,
	"geopoly_json":           true,
	"geopoly_overlap":        true,
	"geopoly_regular":        true,
	"geopoly_svg":            true,
	"geopoly_within":         true,
	"geopoly_xform":          true,
	"if":                     true,
	"json_array_insert":      true,
	"jsonb_array_insert":     true,
	"rtreecheck":             true,
	"rtreedepth":             true,
	"rtreenode":              true,
	"soundex":                true,
	"sqlite_offset":          true,
	"unistr":                 true,
	"unistr_quote":           true,
}

// connFunctions report state of the connection: D1 runs every query on one
// connection, so statements calling them run on the writer.
var connFunctions = map[string]bool{
	"changes":           true,
	"total_changes":     true,
	"last_insert_rowid": true,
}

// allowedModules are the virtual table modules D1 allows. D1's documentation
// also names rtree and rtree_i32, which workerd's D1 refuses; workerd is
// followed.
var allowedModules = map[string]bool{
	"fts5":      true,
	"fts5vocab": true,
}

// reservedName reports whether name is reserved by D1: names beginning with
// "_cf_". Like workerd, the comparison is case-sensitive ("_CF_x" is allowed;
// workerd only warns about it).
func reservedName(name string) bool {
	return strings.HasPrefix(name, "_cf_")
}

// authorize is the connection's authorizer: D1's rules. Internal statements
// run with cn.trusted set and are not checked.
func (cn *conn) authorize(a sqlite.Action) sqlite.AuthResult {
	if cn.trusted {
		return sqlite.AuthResultOK
	}
	r := cn.policy(a)
	if r != sqlite.AuthResultOK && cn.note.deny == denyNone {
		cn.note.deny = denyPlain
	}
	return r
}

func (cn *conn) policy(a sqlite.Action) sqlite.AuthResult {
	arg1, arg2, dbName := cn.lay.actionArgs(a)
	if a.Type() == sqlite.OpAlterTable {
		// ALTER TABLE passes the schema as its first argument; for DROP
		// COLUMN SQLite puts the column's name where the schema goes.
		dbName = arg1
	}
	if dbName == "temp" {
		switch a.Type() {
		case sqlite.OpRead, sqlite.OpUpdate:
			return allow(!reservedName(arg1))
		}
		return sqlite.AuthResultDeny
	} else if dbName != "" && dbName != "main" {
		return sqlite.AuthResultDeny
	}

	switch a.Type() {
	case sqlite.OpSelect, sqlite.OpRecursive:
		return sqlite.AuthResultOK
	case sqlite.OpAnalyze:
		// D1 lets ANALYZE and PRAGMA optimize gather statistics on every
		// table, its own included.
		cn.note.stats = true
		return sqlite.AuthResultOK
	case sqlite.OpCreateTable, sqlite.OpDelete, sqlite.OpDropTable, sqlite.OpInsert,
		sqlite.OpCreateView, sqlite.OpDropView, sqlite.OpReindex:
		return allow(!reservedName(arg1))
	case sqlite.OpAlterTable:
		return allow(!reservedName(arg2))
	case sqlite.OpRead, sqlite.OpUpdate:
		return allow(!reservedName(arg1))
	case sqlite.OpCreateIndex, sqlite.OpDropIndex, sqlite.OpCreateTrigger, sqlite.OpDropTrigger:
		return allow(!reservedName(arg1) && !reservedName(arg2))
	case sqlite.OpTransaction, sqlite.OpSavepoint:
		cn.note.deny = denyTransaction
		return sqlite.AuthResultDeny
	case sqlite.OpPragma:
		return cn.authorizePragma(arg1, arg2)
	case sqlite.OpFunction:
		name := strings.ToLower(arg2)
		if connFunctions[name] {
			cn.note.connState = true
		}
		if missingFunctions[name] {
			if cn.note.deny == denyNone {
				cn.note.deny = denyMissingFunction
			}
			return sqlite.AuthResultDeny
		}
		return allow(!deniedFunctions[name])
	case sqlite.OpCreateVTable, sqlite.OpDropVTable:
		return allow(allowedModules[strings.ToLower(arg2)] && !reservedName(arg1))
	}
	// ATTACH, DETACH, temporary objects (their own action codes), COPY and
	// anything new are refused.
	return sqlite.AuthResultDeny
}

func (cn *conn) authorizePragma(name, arg string) sqlite.AuthResult {
	name = strings.ToLower(name)
	switch {
	case name == "optimize":
		cn.note.stats, cn.note.optimizeAll = true, arg == ""
		return allow(arg == "" || !reservedName(arg))
	case name == "table_list", name == "quick_check", name == "foreign_key_check":
		return allow(arg == "" || !reservedName(arg))
	case name == "data_version":
		return allow(arg == "")
	case objectPragmas[name]:
		return allow(arg != "" && !reservedName(arg))
	case booleanPragmas[name]:
		if arg == "" {
			return sqlite.AuthResultOK
		}
		if !isPragmaBool(arg) {
			return sqlite.AuthResultDeny
		}
		cn.note.pragma = &pragmaSetting{name: name, value: arg}
		return sqlite.AuthResultOK
	}
	return sqlite.AuthResultDeny
}

// isPragmaBool reports whether D1 accepts v as a boolean PRAGMA argument. Like
// workerd it strips matching quotes and compares a case-insensitive prefix.
func isPragmaBool(v string) bool {
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	for _, w := range [...]string{"true", "false", "yes", "no", "on", "off", "1", "0"} {
		if len(v) >= len(w) && strings.EqualFold(v[:len(w)], w) {
			return true
		}
	}
	return false
}

func allow(ok bool) sqlite.AuthResult {
	if ok {
		return sqlite.AuthResultOK
	}
	return sqlite.AuthResultDeny
}
