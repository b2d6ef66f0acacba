// Package pgstore is the cohortly.Store on PostgreSQL, working on the legacy Prisma schema exactly
// (contract §4 and Appendix A) so the Go server can share a database with the legacy Node server.
// It uses pgx v5 through a pgxpool; pgx caches a prepared statement per SQL text and connection, so
// every query below is parsed and planned once per connection.
package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/sqlstore"
)

// Store implements cohortly.Store: the shared SQL of sqlstore on a pgx pool.
type Store struct {
	*sqlstore.Store
	pool *pgxpool.Pool
	mig  MigrateReport
}

var _ cohortly.Store = (*Store)(nil)

// Option configures Open.
type Option func(*options)

type options struct {
	maxConns  int32
	minConns  int32
	noMigrate bool
}

// WithMaxConns caps the pool (default: pgxpool's, max(4, GOMAXPROCS)). The DSN's pool_max_conns works too.
func WithMaxConns(n int32) Option { return func(o *options) { o.maxConns = n } }

// WithMinConns keeps n connections open (and warm) at all times.
func WithMinConns(n int32) Option { return func(o *options) { o.minConns = n } }

// WithoutMigrate skips the migration on Open: the schema must already be current (e.g. when
// `cohortly migrate` runs as a separate deployment step).
func WithoutMigrate() Option { return func(o *options) { o.noMigrate = true } }

// Open connects to the database at url (a postgres:// URL or key=value DSN), checks it is reachable,
// and migrates it to the latest schema version (see Migrate) unless WithoutMigrate is given.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parse error may quote the URL, password included: say only that it is malformed.
		return nil, errors.New("pgstore: invalid database URL")
	}
	if o.maxConns > 0 {
		cfg.MaxConns = o.maxConns
	}
	if o.minConns > 0 {
		cfg.MinConns = o.minConns
	}
	// Timestamps are timestamp(3) WITHOUT time zone holding UTC. Values are bound from UTC time.Time, but
	// server-side defaults and now() follow the session TimeZone, so pin it.
	if cfg.ConnConfig.RuntimeParams == nil {
		cfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: connect: %w", err)
	}
	s := newStore(pool)
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgstore: connect: %w", err)
	}
	if !o.noMigrate {
		rep, err := Migrate(ctx, pool)
		if err != nil {
			pool.Close()
			return nil, err
		}
		s.mig = rep
	}
	return s, nil
}

// Migration reports what Open's migration did (zero when WithoutMigrate was given).
func (s *Store) Migration() MigrateReport { return s.mig }

// Pool exposes the pool for tests and tools in this module (e.g. schema checks); the service never
// needs it.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("pgstore: ping: %w", err)
	}
	return nil
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// querier is what both the pool and a transaction offer.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// inTx runs fn in a transaction, committing when fn returns nil. fn's error is returned as is, so a
// sentinel can carry out a decision that still needs the commit (see commitErr).
func (s *Store) inTx(ctx context.Context, op string, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("pgstore: %s: begin: %w", op, err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after Commit
	err = fn(tx)
	var ce *commitErr
	if err != nil && !errors.As(err, &ce) {
		return err
	}
	if cerr := tx.Commit(ctx); cerr != nil {
		return mapErr(cerr, op+": commit", cohortly.ErrMissingRef)
	}
	if ce != nil {
		return ce.err
	}
	return nil
}

// commitErr is returned by a transaction body whose writes must be kept although the call fails (e.g.
// a reused refresh token: the family is revoked, then ErrTokenReused is reported).
type commitErr struct{ err error }

func (e *commitErr) Error() string { return e.err.Error() }
func (e *commitErr) Unwrap() error { return e.err }

// mapErr turns driver errors into the Store's sentinels, wrapped with the operation. fk is what a
// foreign-key violation means for this operation: ErrMissingRef for inserts and updates, ErrInUse for
// deletes. The constraint name is kept for logs; no SQL text is.
func mapErr(err error, op string, fk error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("pgstore: %s: %w", op, cohortly.ErrNotFound)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return fmt.Errorf("pgstore: %s: %w (%s)", op, cohortly.ErrConflict, pe.ConstraintName)
		case "23503":
			return fmt.Errorf("pgstore: %s: %w (%s)", op, fk, pe.ConstraintName)
		case "22P02", "22007", "22008", "22003", "22001", "23502", "23514":
			// Bad input that validation should have stopped (invalid enum text, out-of-range number,
			// NULL in a NOT NULL column): report the class, not the statement.
			return fmt.Errorf("pgstore: %s: invalid value (SQLSTATE %s, %s)", op, pe.Code, pe.ColumnName)
		}
		return fmt.Errorf("pgstore: %s: database error SQLSTATE %s", op, pe.Code)
	}
	return fmt.Errorf("pgstore: %s: %w", op, err)
}

// ---- value helpers

func ts(t time.Time) time.Time { return cohortly.Millis(t) }

func tsp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := cohortly.Millis(*t)
	return &v
}

func utc(t time.Time) time.Time { return t.UTC() }

func utcp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.UTC()
	return &v
}

func nullStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func strOr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func parseMoney(s, what string) (cohortly.Money, error) {
	m, err := cohortly.ParseMoney(s)
	if err != nil {
		return 0, fmt.Errorf("pgstore: read %s %q: %w", what, s, err)
	}
	return m, nil
}

// likePattern makes s a literal substring pattern for LIKE/ILIKE ... ESCAPE '\'.
func likePattern(s string) string {
	out := make([]byte, 0, len(s)+2)
	out = append(out, '%')
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '%', '_', '\\':
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(append(out, '%'))
}

// setList builds the SET clause of a partial update with numbered parameters after the first n.
type setList struct {
	cols []string
	args []any
}

func (s *setList) add(col string, v any) {
	s.args = append(s.args, v)
	s.cols = append(s.cols, fmt.Sprintf("%s = $%d", col, len(s.args)))
}

// addCast is add with a type cast on the parameter (enum columns).
func (s *setList) addCast(col, cast string, v any) {
	s.args = append(s.args, v)
	s.cols = append(s.cols, fmt.Sprintf("%s = $%d::%s", col, len(s.args), cast))
}

func (s *setList) sql() string {
	out := ""
	for i, c := range s.cols {
		if i > 0 {
			out += ", "
		}
		out += c
	}
	return out
}

// where accumulates AND-ed conditions with numbered parameters.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, v any) {
	w.args = append(w.args, v)
	w.conds = append(w.conds, fmt.Sprintf(cond, fmt.Sprintf("$%d", len(w.args))))
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	out := " WHERE "
	for i, c := range w.conds {
		if i > 0 {
			out += " AND "
		}
		out += c
	}
	return out
}

// next returns the placeholder for the next argument appended after the conditions' ones.
func (w *where) next(extra int) string { return fmt.Sprintf("$%d", len(w.args)+extra) }
