package migrate

import (
	"context"
	"database/sql"
)

// SQLJournal is a Journal on database/sql. Its transactions are DB's: on a SQLite writer opened by
// platform/sqlitefile they are BEGIN IMMEDIATE, which serialises concurrent migrators.
type SQLJournal struct {
	DB *sql.DB
	// Create is the journal table's CREATE TABLE IF NOT EXISTS statement.
	Create string
	// Versions selects the recorded versions (one integer column).
	Versions string
	// Insert records one step in tx, in the table's own columns.
	Insert func(ctx context.Context, tx *sql.Tx, version int, name, note string) error
}

var _ Journal[*sql.Tx] = SQLJournal{}

func (j SQLJournal) Init(ctx context.Context) error {
	_, err := j.DB.ExecContext(ctx, j.Create)
	return err
}

func (j SQLJournal) Begin(ctx context.Context) (*sql.Tx, error) { return j.DB.BeginTx(ctx, nil) }

func (j SQLJournal) Commit(_ context.Context, tx *sql.Tx) error { return tx.Commit() }

func (j SQLJournal) Rollback(_ context.Context, tx *sql.Tx) error { return tx.Rollback() }

func (j SQLJournal) Applied(ctx context.Context, tx *sql.Tx) ([]int, error) {
	rows, err := tx.QueryContext(ctx, j.Versions)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (j SQLJournal) Record(ctx context.Context, tx *sql.Tx, version int, name, note string) error {
	return j.Insert(ctx, tx, version, name, note)
}

// ExecSQL is the Up of a step written as SQL text (one or more statements).
func ExecSQL(sqlText string) func(ctx context.Context, tx *sql.Tx) (string, error) {
	return func(ctx context.Context, tx *sql.Tx) (string, error) {
		_, err := tx.ExecContext(ctx, sqlText)
		return "", err
	}
}
