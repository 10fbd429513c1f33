package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// errHelp is returned when help was asked for and printed.
var errHelp = errors.New("help printed")

// commonFlags are the flags every command accepts, before or after its name.
type commonFlags struct {
	json bool

	// Where the project's settings come from.
	config, env, binding, database string
	migrations                     string

	// Which database.
	db                     string
	bridge, bridgeTokenEnv string
	remote                 bool
	accountID, databaseID  string
	apiTokenEnv, apiURL    string
	timeout                time.Duration
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&c.json, "json", false, "")
	fs.StringVar(&c.config, "config", "", "")
	fs.StringVar(&c.env, "env", "", "")
	fs.StringVar(&c.binding, "binding", "", "")
	fs.StringVar(&c.database, "database", "", "")
	fs.StringVar(&c.migrations, "migrations", "", "")
	fs.StringVar(&c.db, "db", "", "")
	fs.StringVar(&c.bridge, "bridge", "", "")
	fs.StringVar(&c.bridgeTokenEnv, "bridge-token-env", defaultBridgeTokenEnv, "")
	fs.BoolVar(&c.remote, "remote", false, "")
	fs.StringVar(&c.accountID, "account-id", "", "")
	fs.StringVar(&c.databaseID, "database-id", "", "")
	fs.StringVar(&c.apiTokenEnv, "api-token-env", defaultAPITokenEnv, "")
	fs.StringVar(&c.apiURL, "api-url", "", "")
	fs.DurationVar(&c.timeout, "timeout", 0, "")
}

const (
	defaultBridgeTokenEnv = "LUNORA_D1_BRIDGE_TOKEN"
	defaultAPITokenEnv    = "CLOUDFLARE_API_TOKEN"
	envAccountID          = "CLOUDFLARE_ACCOUNT_ID"
	envAPIURL             = "CLOUDFLARE_API_BASE_URL"
)

// command is one command of the tool.
type command struct {
	name     string // "migrate apply"
	args     string // what follows the name in the usage line
	summary  string
	help     string // what it does, with examples
	database bool   // it opens a database: the database flags apply
	flags    func(fs *flag.FlagSet, o *cmdFlags)
	run      func(ctx context.Context, a *app, o *cmdFlags, args []string) error
}

// cmdFlags holds the flags of the commands; each command registers the ones
// it takes.
type cmdFlags struct {
	file         string
	schema       string
	unsafe       bool
	split        bool
	allowCascade bool
	filesOnly    bool
	failPending  bool
	bookmark     string
	bookmarkSet  bool
	text         bool
	argsJSON     string
	raw          bool
}

var commands []*command // filled in init, since the help command lists them

func init() {
	commands = []*command{
		cmdMigrateNew, cmdMigrateApply, cmdMigrateStatus, cmdMigrateVerify, cmdMigrateGenerate,
		cmdQuery, cmdExec, cmdBridgeInit, cmdVersion, cmdHelp,
	}
}

var cmdHelp = &command{
	name:    "help",
	args:    "[COMMAND]",
	summary: "explain a command, with examples",
	help: `Prints what a command does, its flags and examples.

Examples:
  lunora-d1 help
  lunora-d1 help migrate apply`,
	run: func(_ context.Context, a *app, _ *cmdFlags, args []string) error {
		if len(args) == 0 {
			a.topHelp(a.stdout)
			return nil
		}
		name := strings.Join(args, " ")
		if c := lookup(name); c != nil {
			a.commandHelp(a.stdout, c)
			return nil
		}
		if g := groupCommands(name); len(g) > 0 {
			a.groupHelp(a.stdout, name)
			return nil
		}
		return usageErrorf("no command %q; run lunora-d1 help for the list", name)
	},
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// groupCommands returns the commands named "group ...".
func groupCommands(group string) []*command {
	var out []*command
	for _, c := range commands {
		if strings.HasPrefix(c.name, group+" ") {
			out = append(out, c)
		}
	}
	return out
}

// dispatch finds the command in args and runs it.
func (a *app) dispatch(ctx context.Context, args []string) error {
	// Flags before the command are the common ones.
	global := flag.NewFlagSet("lunora-d1", flag.ContinueOnError)
	a.common.register(global)
	rest, help, err := parseFlags(global, args, true)
	if err != nil {
		return usageErrorf("%v; run lunora-d1 help", err)
	}
	if len(rest) == 0 {
		if help {
			a.topHelp(a.stdout)
			return errHelp
		}
		a.topHelp(a.stderr)
		return &codeError{code: exitUsage, err: errors.New("no command given")}
	}
	name, rest := rest[0], rest[1:]
	if g := groupCommands(name); len(g) > 0 {
		sub, more, subHelp, err := a.subcommand(global, rest)
		if err != nil {
			return usageErrorf("%v; run lunora-d1 help %s", err, name)
		}
		help = help || subHelp
		if sub == "" {
			if help {
				a.groupHelp(a.stdout, name)
				return errHelp
			}
			a.groupHelp(a.stderr, name)
			return &codeError{code: exitUsage, err: fmt.Errorf("%s needs a command: %s", name, groupNames(name))}
		}
		name, rest = name+" "+sub, more
	}
	c := lookup(name)
	if c == nil {
		return usageErrorf("unknown command %q; run lunora-d1 help for the list", name)
	}
	if help {
		a.commandHelp(a.stdout, c)
		return errHelp
	}
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	saved := a.common
	a.common.register(fs) // registering sets the defaults again:
	a.common = saved      // keep what was given before the command
	var o cmdFlags
	if c.flags != nil {
		c.flags(fs, &o)
	}
	pos, help, err := parseFlags(fs, rest, false)
	if err != nil {
		return usageErrorf("%v; run lunora-d1 help %s", err, c.name)
	}
	if help {
		a.commandHelp(a.stdout, c)
		return errHelp
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "bookmark" {
			o.bookmarkSet = true
		}
	})
	if a.common.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, a.common.timeout)
		defer cancel()
	}
	return c.run(ctx, a, &o, pos)
}

// subcommand reads the name after a group ("apply" after "migrate"),
// allowing common flags between the two.
func (a *app) subcommand(global *flag.FlagSet, args []string) (string, []string, bool, error) {
	rest, help, err := parseFlags(global, args, true)
	if err != nil || len(rest) == 0 {
		return "", nil, help, err
	}
	return rest[0], rest[1:], help, nil
}

func groupNames(group string) string {
	var names []string
	for _, c := range groupCommands(group) {
		names = append(names, strings.TrimPrefix(c.name, group+" "))
	}
	return strings.Join(names, ", ")
}

// parseFlags parses args with fs, allowing flags and arguments in any order,
// and returns the arguments. "--" ends the flags; "-" and negative numbers
// are arguments. With stopAtArg, it stops at the first argument and returns
// it and everything after it. help reports -h, -help or --help.
func parseFlags(fs *flag.FlagSet, args []string, stopAtArg bool) (pos []string, help bool, err error) {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			return append(pos, args[i+1:]...), help, nil
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" || looksNumeric(arg) {
			if stopAtArg {
				return append(pos, args[i:]...), help, nil
			}
			pos = append(pos, arg)
			continue
		}
		name := strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-")
		value, hasValue := "", false
		if k, v, ok := strings.Cut(name, "="); ok {
			name, value, hasValue = k, v, true
		}
		if name == "h" || name == "help" {
			help = true
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			return nil, help, fmt.Errorf("unknown flag %s%s", "--", name)
		}
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			if !hasValue {
				value = "true"
			}
		} else if !hasValue {
			if i+1 >= len(args) {
				return nil, help, fmt.Errorf("flag --%s needs a value", name)
			}
			i++
			value = args[i]
		}
		if err := fs.Set(name, value); err != nil {
			return nil, help, fmt.Errorf("flag --%s: bad value %q: %v", name, value, unwrapFlagErr(err))
		}
	}
	return pos, help, nil
}

func unwrapFlagErr(err error) error {
	if ne := (*strconv.NumError)(nil); errors.As(err, &ne) {
		return ne.Err
	}
	return err
}

// looksNumeric reports whether s is a number such as -5 or -1.5e3, which is
// an argument, not a flag.
func looksNumeric(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func (a *app) topHelp(w io.Writer) {
	var b strings.Builder
	b.WriteString(`lunora-d1: migrations and queries for Cloudflare D1

Usage:
  lunora-d1 COMMAND [flags] [arguments]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-24s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	b.WriteString(`
Which database (for every command that uses one):
  (default)       the embedded local database .lunora/d1/NAME.sqlite, where NAME is
                  the database_name (or binding) in wrangler.jsonc or wrangler.toml,
                  else "default"
  --db PATH       a local database file
  --bridge URL    D1 through the bridge Worker at URL (see lunora-d1 help bridge init);
                  its token is read from $LUNORA_D1_BRIDGE_TOKEN
  --remote        D1 through Cloudflare's REST API: account from --account-id or
                  $CLOUDFLARE_ACCOUNT_ID, database from --database-id or the
                  d1_databases entry of the wrangler configuration, token from
                  $CLOUDFLARE_API_TOKEN

Examples:
  lunora-d1 migrate new create_users          # writes migrations/0001_create_users.sql
  lunora-d1 migrate apply                     # to .lunora/d1/<name>.sqlite
  lunora-d1 query 'SELECT * FROM users WHERE id = ?' 42
  lunora-d1 --remote --database my-db migrate apply
  lunora-d1 migrate verify --remote --json    # in CI: exit 3 on drift

Exit codes:
  0 ok, 1 the command failed, 2 usage (a wrong flag, argument or setting),
  3 migrations invalid or changed after they were applied (drift),
  4 migrations pending (migrate verify --fail-pending), 130 interrupted.

Add --json to any command for output that programs read. Run lunora-d1 help COMMAND
for a command's flags and examples.
`)
	io.WriteString(w, b.String())
}

func (a *app) groupHelp(w io.Writer, group string) {
	fmt.Fprintf(w, "Usage: lunora-d1 %s COMMAND [flags]\n\nCommands:\n", group)
	for _, c := range groupCommands(group) {
		fmt.Fprintf(w, "  %-24s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	fmt.Fprintf(w, "\nRun lunora-d1 help %s COMMAND for a command's flags and examples.\n", group)
}

// commonHelp describes the common flags, by section.
const (
	projectHelp = `Project flags:
  --config FILE         the wrangler configuration (default: wrangler.json, wrangler.jsonc
                        or wrangler.toml in this directory or the nearest parent)
  --env NAME            use the configuration's environment env.NAME
  --binding NAME        the d1_databases entry with this binding
  --database NAME       the d1_databases entry with this database_name
`
	migrationsHelp = `  --migrations DIR      the migrations folder (default: the entry's migrations_dir, else
                        migrations/, next to the configuration)
`
	databaseHelp = `Database flags (default: the local database .lunora/d1/NAME.sqlite):
  --db PATH             a local database file
  --bridge URL          D1 through the bridge Worker at URL
  --bridge-token-env V  the environment variable holding the bridge's token
                        (default LUNORA_D1_BRIDGE_TOKEN)
  --remote              D1 through Cloudflare's REST API
  --account-id ID       the Cloudflare account (default: $CLOUDFLARE_ACCOUNT_ID, else the
                        configuration's account_id)
  --database-id ID      the D1 database (default: the d1_databases entry's database_id)
  --api-token-env V     the environment variable holding the API token (default
                        CLOUDFLARE_API_TOKEN); tokens are never taken from flags, which
                        show in ps and shell history, and never printed
  --api-url URL         the API's base URL (default: $CLOUDFLARE_API_BASE_URL, else
                        https://api.cloudflare.com/client/v4)
  --timeout DURATION    give up after this long, such as 30s (default: never)
`
	outputHelp = `Output flags:
  --json                write JSON for programs instead of text for people
`
)

func (a *app) commandHelp(w io.Writer, c *command) {
	var b strings.Builder
	usage := c.name
	if c.args != "" {
		usage += " " + c.args
	}
	fmt.Fprintf(&b, "Usage: lunora-d1 %s [flags]\n\n%s\n\n", usage, c.help)
	if c.flags != nil {
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		var o cmdFlags
		c.flags(fs, &o)
		var lines []string
		fs.VisitAll(func(f *flag.Flag) {
			name, usage := flag.UnquoteUsage(f)
			left := "--" + f.Name
			if name != "" {
				left += " " + name
			}
			lines = append(lines, fmt.Sprintf("  %-21s %s", left, strings.ReplaceAll(usage, "\n", "\n"+strings.Repeat(" ", 24))))
		})
		sort.Strings(lines)
		b.WriteString("Flags:\n" + strings.Join(lines, "\n") + "\n\n")
	}
	if c.database || strings.HasPrefix(c.name, "migrate") || c.name == "bridge init" {
		b.WriteString(projectHelp)
		if strings.HasPrefix(c.name, "migrate") {
			b.WriteString(migrationsHelp)
		}
		b.WriteString("\n")
	}
	if c.database {
		b.WriteString(databaseHelp + "\n")
	}
	b.WriteString(outputHelp)
	io.WriteString(w, b.String())
}
