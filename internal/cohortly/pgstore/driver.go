package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/momentum-cohortly/backends/internal/cohortly/sqlstore"
)

// newStore puts the shared SQL on pool. Reads and writes share the pool; queued reads travel as one
// pgx batch (one round trip). observe, when set, sees every statement (tests).
func newStore(pool *pgxpool.Pool, observe func(sql string)) *Store {
	q := pgq{pool}
	db := sqlstore.DB{
		Read:  q,
		Write: q,
		Begin: func(ctx context.Context) (sqlstore.Tx, error) {
			tx, err := pool.Begin(ctx)
			if err != nil {
				return nil, err
			}
			return pgTx{pgq{tx}, tx}, nil
		},
		SendBatch: func(ctx context.Context, b *sqlstore.Batch) sqlstore.BatchResults {
			pb := &pgx.Batch{}
			for _, q := range b.Queued() {
				pb.Queue(q.SQL, q.Args...)
			}
			return pgResults{pool.SendBatch(ctx, pb)}
		},
	}
	if observe != nil {
		db = sqlstore.Observe(db, observe)
	}
	return &Store{Store: sqlstore.New(db, dialect()), pool: pool}
}

// dialect is PostgreSQL's: the shared statements run as written (casts included).
func dialect() sqlstore.Dialect {
	return sqlstore.Dialect{
		Name:        "pgstore",
		Classify:    classify,
		ILike:       "ILIKE",
		ForUpdate:   " FOR UPDATE",
		ForKeyShare: " FOR KEY SHARE",
		// LATERAL: the statistics of one bootcamp come from its own batches (index on bootcamp_id),
		// not from grouping the whole table.
		BootcampStats: `s.cnt, s.min_start, s.max_end, s.cap, s.up, s.ongoing, s.done, s.cancelled
	FROM bootcamps b
	JOIN users u ON u.id = b.created_by
	CROSS JOIN LATERAL (
		SELECT count(*) AS cnt, min(start_date) AS min_start, max(end_date) AS max_end,
			COALESCE(sum(capacity), 0) AS cap,
			count(*) FILTER (WHERE status = 'UPCOMING') AS up,
			count(*) FILTER (WHERE status = 'ONGOING') AS ongoing,
			count(*) FILTER (WHERE status = 'COMPLETED') AS done,
			count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled
		FROM batches WHERE bootcamp_id = b.id
	) s`,
		// One text[] parameter, whatever the number of values: one prepared statement.
		AnyOf: func(col string, from int, vals []string) (string, []any) {
			return fmt.Sprintf("%s = ANY($%d::text[])", col, from), []any{vals}
		},
		// pgx's statement cache is an LRU per connection (512 statements), so distinct pages cannot
		// grow it without bound.
		InlinePage: true,
		WriteCTE:   true,
		// Every authenticated request reads its caller: one statement for the concurrent ones.
		CoalesceReads: true,
		PositionIn: func(col string, from, _ int) string {
			return fmt.Sprintf("array_position($%d::text[], %s)", from, col)
		},
	}
}

// classify sorts pgx errors by SQLSTATE. The constraint or column name is kept for logs; no SQL text is.
func classify(err error) (sqlstore.ErrKind, string) {
	if errors.Is(err, pgx.ErrNoRows) {
		return sqlstore.ErrNoRows, ""
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return sqlstore.ErrOther, ""
	}
	switch pe.Code {
	case "23505":
		return sqlstore.ErrUnique, " (" + pe.ConstraintName + ")"
	case "23503":
		return sqlstore.ErrForeignKey, " (" + pe.ConstraintName + ")"
	case "22P02", "22007", "22008", "22003", "22001", "23502", "23514":
		// Bad input that validation should have stopped (invalid enum text, out-of-range number,
		// NULL in a NOT NULL column): report the class, not the statement.
		return sqlstore.ErrInvalid, fmt.Sprintf(" (SQLSTATE %s, %s)", pe.Code, pe.ColumnName)
	}
	return sqlstore.ErrDatabase, " SQLSTATE " + pe.Code
}

// pgq adapts a pool or a transaction to sqlstore.Querier.
type pgq struct {
	q interface {
		Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
		Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
		QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	}
}

func (p pgq) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := p.q.Exec(ctx, sql, args...)
	return tag.RowsAffected(), err
}

func (p pgq) Query(ctx context.Context, sql string, args ...any) (sqlstore.Rows, error) {
	rows, err := p.q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func (p pgq) QueryRow(ctx context.Context, sql string, args ...any) sqlstore.Row {
	return p.q.QueryRow(ctx, sql, args...)
}

type pgTx struct {
	pgq
	tx pgx.Tx
}

func (t pgTx) Commit(ctx context.Context) error   { return t.tx.Commit(ctx) }
func (t pgTx) Rollback(ctx context.Context) error { return t.tx.Rollback(ctx) }

type pgResults struct{ br pgx.BatchResults }

func (r pgResults) Query() (sqlstore.Rows, error) {
	rows, err := r.br.Query()
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func (r pgResults) QueryRow() sqlstore.Row { return r.br.QueryRow() }
func (r pgResults) Close()                 { _ = r.br.Close() }
