package pgstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/momentum-cohortly/backends/internal/cohortly/schema"
	"github.com/momentum-cohortly/backends/internal/platform/migrate"
)

// migrationLockKey is the advisory lock key every Cohortly instance takes while migrating, so two
// instances starting at once apply each version exactly once. The value is arbitrary but fixed
// ("cohortly" in ASCII).
const migrationLockKey int64 = 0x636f686f72746c79

// lockSQL takes the migration lock for the rest of the transaction. A transaction-level lock, not a
// session-level one: through a pooler in transaction mode (PgBouncer, Neon's and Supabase's pooled
// strings) a session lock is taken on whichever server session runs that one statement, later
// transactions of the migrator run on others, and the unlock lands on yet another (a no-op): the lock
// stays held by an idle pooled session and the next migration waits for it forever. A transaction
// keeps its server session to the end, and the lock ends with it. Simple protocol with the key in the
// text: no prepared statement, whatever the pooler supports.
var lockSQL = fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", migrationLockKey)

// MigrateReport says what Migrate found and did.
type MigrateReport struct {
	// AdoptedLegacy is true when this run found the legacy Prisma schema and recorded the baseline
	// without executing it.
	AdoptedLegacy bool
	// Applied lists the versions this run executed, in order.
	Applied []int
	// Current is the highest version recorded after the run.
	Current int
	// Unknown lists recorded versions this binary does not know (a newer release ran here); they are
	// left alone, since every migration is additive and older code keeps working.
	Unknown []int
}

// ErrSchemaMismatch reports a database that has some of the legacy tables but not the legacy schema,
// which the migrator refuses to touch.
var ErrSchemaMismatch = errors.New("database schema does not match the legacy Cohortly schema")

// Migrate brings the database to the latest schema version over one connection of its own, made
// from cfg (see migrationConn). It is safe to run from several instances at once, directly or through
// a pooler in transaction mode (each transaction takes a transaction-level advisory lock and reads the
// journal again), and on every start (it does nothing when up to date).
func Migrate(ctx context.Context, cfg *pgx.ConnConfig) (MigrateReport, error) {
	return migrateSteps(ctx, cfg, schema.Postgres())
}

func migrateSteps(ctx context.Context, cfg *pgx.ConnConfig, migrations []schema.Migration) (MigrateReport, error) {
	var rep MigrateReport
	c, err := pgx.ConnectConfig(ctx, migrationConn(cfg))
	if err != nil {
		return rep, fmt.Errorf("migrate: connect: %w", err)
	}
	defer c.Close(context.Background())

	steps := make([]migrate.Step[pgx.Tx], len(migrations))
	for i, m := range migrations {
		steps[i] = migrate.Step[pgx.Tx]{Version: m.Version, Name: m.Name, Up: execSQL(m.SQL)}
		if m.Version == 1 {
			steps[i].Up = baseline(m.SQL)
		}
	}
	r, err := migrate.Run(ctx, journal{c}, steps, migrate.Options{})
	if err != nil {
		return rep, fmt.Errorf("migrate: %w", err)
	}
	rep.Current, rep.Unknown = r.Current, r.Unknown
	for _, v := range r.Applied {
		if r.Notes[v] == adoptedNote {
			rep.AdoptedLegacy = true
			continue
		}
		rep.Applied = append(rep.Applied, v)
	}
	return rep, nil
}

// migrationConn is cfg for the migrator's connection: whatever DATABASE_URL (or DATABASE_DIRECT_URL)
// chose as default_query_exec_mode, the migrator uses exec (the extended protocol with unnamed
// statements, one round trip each), which every pooler mode passes: a migration runs a few dozen
// statements, so no statement cache is worth a mode that a pooler may break.
func migrationConn(cfg *pgx.ConnConfig) *pgx.ConnConfig {
	c := cfg.Copy()
	c.DefaultQueryExecMode = pgx.QueryExecModeExec
	return c
}

// adoptedNote is the baseline's note when it found the legacy schema and recorded itself without
// running; the journal keeps it as adopted = true.
const adoptedNote = "adopted the legacy Prisma schema"

// baseline is version 1's Up: on an empty database it runs the baseline, on the legacy Prisma schema
// it runs nothing (see detectLegacy).
func baseline(sql string) func(ctx context.Context, tx pgx.Tx) (string, error) {
	run := execSQL(sql)
	return func(ctx context.Context, tx pgx.Tx) (string, error) {
		adopt, err := detectLegacy(ctx, tx)
		if err != nil || adopt {
			return adoptedNote, err
		}
		return run(ctx, tx)
	}
}

// execSQL runs a migration file, which holds several statements (hence the simple protocol).
func execSQL(sql string) func(ctx context.Context, tx pgx.Tx) (string, error) {
	return func(ctx context.Context, tx pgx.Tx) (string, error) {
		_, err := tx.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol)
		return "", err
	}
}

// journal is the bookkeeping table (schema.BookkeepingTable) on the migrator's connection. Every
// transaction of it holds the migration lock (lockSQL), so concurrent migrators serialise on each
// step, and each reads the journal again under the lock before applying anything (migrate.Run).
type journal struct{ c *pgx.Conn }

// Init creates the journal under the lock too: two CREATE TABLE IF NOT EXISTS at once can both find
// no table and one then fails on the catalog's unique index.
func (j journal) Init(ctx context.Context) error {
	tx, err := j.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.Background()) //nolint:errcheck // a no-op after Commit
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+schema.BookkeepingTable+` (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TIMESTAMP(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
		adopted    BOOLEAN NOT NULL DEFAULT false
	)`); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// Begin starts a transaction holding the migration lock.
func (j journal) Begin(ctx context.Context) (pgx.Tx, error) {
	tx, err := j.c.Begin(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, lockSQL, pgx.QueryExecModeSimpleProtocol); err != nil {
		_ = tx.Rollback(context.Background())
		return nil, fmt.Errorf("take the migration lock: %w", err)
	}
	return tx, nil
}

func (j journal) Commit(ctx context.Context, tx pgx.Tx) error   { return tx.Commit(ctx) }
func (j journal) Rollback(ctx context.Context, tx pgx.Tx) error { return tx.Rollback(ctx) }

func (j journal) Applied(ctx context.Context, tx pgx.Tx) ([]int, error) {
	rows, err := tx.Query(ctx, `SELECT version FROM `+schema.BookkeepingTable)
	if err != nil {
		return nil, err
	}
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	out := make([]int, len(vs))
	for i, v := range vs {
		out[i] = int(v)
	}
	return out, err
}

func (j journal) Record(ctx context.Context, tx pgx.Tx, version int, name, note string) error {
	_, err := tx.Exec(ctx, `INSERT INTO `+schema.BookkeepingTable+` (version, name, adopted) VALUES ($1, $2, $3)`,
		version, name, note == adoptedNote)
	return err
}

// detectLegacy decides what to do about version 1 on a database with no record of it:
//   - none of the 20 legacy tables and none of the 11 enum types in schema public: an empty database,
//     run the baseline (false, nil);
//   - all of them, every legacy column with the legacy type and nullability (extra columns, tables
//     and indexes are tolerated: they are someone's additive change) and every enum with the legacy
//     labels in order (extra labels tolerated): the database the legacy Prisma migration created;
//     adopt it as the baseline without touching it (true, nil);
//   - anything in between: ErrSchemaMismatch with the list of differences; nothing is changed.
func detectLegacy(ctx context.Context, c pgx.Tx) (bool, error) {
	tables := schema.LegacyTables()
	rows, err := c.Query(ctx, `
		SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
		FROM pg_attribute a
		JOIN pg_class c ON c.oid = a.attrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname = ANY($1)
		  AND a.attnum > 0 AND NOT a.attisdropped`, tables)
	if err != nil {
		return false, fmt.Errorf("inspect legacy tables: %w", err)
	}
	type key struct{ table, col string }
	have := map[key]schema.Column{}
	haveTable := map[string]bool{}
	for rows.Next() {
		var col schema.Column
		if err := rows.Scan(&col.Table, &col.Name, &col.Type, &col.NotNull); err != nil {
			rows.Close()
			return false, fmt.Errorf("inspect legacy tables: %w", err)
		}
		have[key{col.Table, col.Name}] = col
		haveTable[col.Table] = true
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("inspect legacy tables: %w", err)
	}

	enumRows, err := c.Query(ctx, `
		SELECT t.typname, e.enumlabel
		FROM pg_type t
		JOIN pg_namespace n ON n.oid = t.typnamespace
		JOIN pg_enum e ON e.enumtypid = t.oid
		WHERE n.nspname = 'public' AND t.typname = ANY($1)
		ORDER BY t.typname, e.enumsortorder`, enumNames())
	if err != nil {
		return false, fmt.Errorf("inspect legacy enums: %w", err)
	}
	haveEnum := map[string][]string{}
	for enumRows.Next() {
		var typ, label string
		if err := enumRows.Scan(&typ, &label); err != nil {
			enumRows.Close()
			return false, fmt.Errorf("inspect legacy enums: %w", err)
		}
		haveEnum[typ] = append(haveEnum[typ], label)
	}
	if err := enumRows.Err(); err != nil {
		return false, fmt.Errorf("inspect legacy enums: %w", err)
	}

	if len(haveTable) == 0 && len(haveEnum) == 0 {
		return false, nil
	}

	var problems []string
	for _, t := range tables {
		if !haveTable[t] {
			problems = append(problems, "missing table "+t)
		}
	}
	for _, want := range schema.LegacyColumns {
		if !haveTable[want.Table] {
			continue
		}
		got, ok := have[key{want.Table, want.Name}]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("missing column %s.%s", want.Table, want.Name))
		case got.Type != want.Type:
			problems = append(problems, fmt.Sprintf("column %s.%s is %s, want %s", want.Table, want.Name, got.Type, want.Type))
		case got.NotNull != want.NotNull:
			problems = append(problems, fmt.Sprintf("column %s.%s NOT NULL is %v, want %v", want.Table, want.Name, got.NotNull, want.NotNull))
		}
	}
	for _, name := range enumNames() {
		labels, ok := haveEnum[name]
		want := schema.LegacyEnums[name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("missing enum type %q", name))
		case len(labels) < len(want) || !slices.Equal(labels[:len(want)], want):
			problems = append(problems, fmt.Sprintf("enum %q has labels %v, want %v", name, labels, want))
		}
	}
	if len(problems) > 0 {
		return false, fmt.Errorf("%w: %s", ErrSchemaMismatch, strings.Join(problems, "; "))
	}
	return true, nil
}

func enumNames() []string {
	out := make([]string, 0, len(schema.LegacyEnums))
	for k := range schema.LegacyEnums {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
