package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/momentum-cohortly/backends/internal/cohortly/schema"
	"github.com/momentum-cohortly/backends/internal/platform/migrate"
)

// MigrateReport says what Migrate did.
type MigrateReport struct {
	Applied []int // versions executed by this run, in order
	Current int   // highest version recorded afterwards
	Unknown []int // recorded versions this binary does not know (a newer release ran here)
}

// Migrate brings the database to the latest schema version, one transaction per version
// (platform/migrate). Each transaction is BEGIN IMMEDIATE (the writer's DSN), so two processes
// opening one file at once serialise on SQLite's write lock and the second sees the first's versions.
func Migrate(ctx context.Context, db *sql.DB) (MigrateReport, error) {
	all := schema.SQLite()
	steps := make([]migrate.Step[*sql.Tx], len(all))
	for i, m := range all {
		steps[i] = migrate.Step[*sql.Tx]{Version: m.Version, Name: m.Name, Up: migrate.ExecSQL(m.SQL)}
	}
	rep, err := migrate.Run(ctx, journal(db), steps, migrate.Options{})
	if err != nil {
		return MigrateReport{}, fmt.Errorf("sqlitestore: %w", err)
	}
	return MigrateReport{Applied: rep.Applied, Current: rep.Current, Unknown: rep.Unknown}, nil
}

// journal is the bookkeeping table this adapter has always used; applied_at is written in the
// fixed-width UTC layout of every other time (timeLayout).
func journal(db *sql.DB) migrate.SQLJournal {
	return migrate.SQLJournal{
		DB: db,
		Create: `CREATE TABLE IF NOT EXISTS ` + schema.BookkeepingTable + ` (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`,
		Versions: `SELECT version FROM ` + schema.BookkeepingTable,
		Insert: func(ctx context.Context, tx *sql.Tx, version int, name, _ string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO `+schema.BookkeepingTable+` (version, name, applied_at)
				VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`, version, name)
			return err
		},
	}
}
