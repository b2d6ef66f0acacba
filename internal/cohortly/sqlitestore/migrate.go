package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly/schema"
)

// MigrateReport says what Migrate did.
type MigrateReport struct {
	Applied []int // versions executed by this run, in order
	Current int   // highest version recorded afterwards
	Unknown []int // recorded versions this binary does not know (a newer release ran here)
}

// Migrate brings the database to the latest schema version, one transaction per version. Each
// transaction is BEGIN IMMEDIATE (the writer's DSN), so two processes opening one file at once
// serialise on SQLite's write lock and the second sees the first's versions.
func Migrate(ctx context.Context, db *sql.DB) (MigrateReport, error) {
	var rep MigrateReport
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+schema.BookkeepingTable+` (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return rep, fmt.Errorf("sqlitestore: migrate: create %s: %w", schema.BookkeepingTable, err)
	}
	all := schema.SQLite()
	known := map[int]bool{}
	for _, m := range all {
		known[m.Version] = true
	}
	for _, m := range all {
		done, err := applyOne(ctx, db, m)
		if err != nil {
			return rep, err
		}
		if done {
			rep.Applied = append(rep.Applied, m.Version)
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT version FROM `+schema.BookkeepingTable)
	if err != nil {
		return rep, fmt.Errorf("sqlitestore: migrate: read versions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return rep, fmt.Errorf("sqlitestore: migrate: read versions: %w", err)
		}
		rep.Current = max(rep.Current, v)
		if !known[v] {
			rep.Unknown = append(rep.Unknown, v)
		}
	}
	sort.Ints(rep.Unknown)
	return rep, rows.Err()
}

// applyOne runs m unless it is recorded, checking inside the write transaction so a concurrent
// migrator cannot apply it twice.
func applyOne(ctx context.Context, db *sql.DB, m schema.Migration) (bool, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("sqlitestore: migrate %d_%s: begin: %w", m.Version, m.Name, err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+schema.BookkeepingTable+` WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return false, fmt.Errorf("sqlitestore: migrate %d_%s: %w", m.Version, m.Name, err)
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return false, fmt.Errorf("sqlitestore: migrate %d_%s: %w", m.Version, m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO `+schema.BookkeepingTable+` (version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, time.Now().UTC().Format(timeLayout)); err != nil {
		return false, fmt.Errorf("sqlitestore: migrate %d_%s: record: %w", m.Version, m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("sqlitestore: migrate %d_%s: commit: %w", m.Version, m.Name, err)
	}
	return true, nil
}
