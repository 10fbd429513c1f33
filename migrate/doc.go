// Package migrate applies schema migrations to a Cloudflare D1 database
// through any backend of package d1, and reports their status.
//
// A [Migration] is one SQL statement with a version. A [Runner] applies the
// pending ones in version order, each in one batch with its record in the
// tracking table, so that a migration and its record are applied together or
// not at all; D1 has no other transactions. The tracking table is drizzle's
// __drizzle_migrations, extended with a version column, so a database that
// drizzle migrated can be taken over (its table is upgraded in place) and
// the two agree on what is applied.
//
// Migrations usually come from a folder of <version>_<name>.sql files:
//
//	ms, err := migrate.Load(os.DirFS("migrations"), ".")
//	...
//	r, err := migrate.New(db, ms)
//	...
//	res, err := r.Run(ctx)
//
// Errors say what is wrong and what to do: [*DriftError] when an applied
// migration was edited, [*ApplyError] when D1 refused a migration,
// [*CascadeError] when a migration would drop a table whose rows other
// tables delete or change with it. Several runners, in goroutines or
// processes, may run at once: each migration is applied exactly once, and
// the runners that lose the race report it as skipped.
package migrate
