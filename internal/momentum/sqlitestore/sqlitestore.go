// Package sqlitestore is the momentum.Store on SQLite (modernc.org/sqlite, pure Go). Its schema is the
// legacy Node server's schema plus additive, versioned migrations, so it opens the legacy database file
// in place and the legacy server can still run on the migrated file.
//
// Two connection pools (platform/sqlitefile) share the file: one connection for writes (so our own writers queue in Go
// instead of fighting over the SQLite lock, and every transaction starts with BEGIN IMMEDIATE so a
// read-then-write transaction can never fail half way with SQLITE_BUSY), and several read-only
// connections for reads, which run in parallel with the writer thanks to WAL.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/coalesce"
	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
)

// Option configures Open.
type Option func(*sqlitefile.Options)

// WithReaders sets the size of the read pool (default: 2 × GOMAXPROCS, at least 4).
func WithReaders(n int) Option { return func(o *sqlitefile.Options) { o.Readers = n } }

// WithMaxPageCount caps the database file at n pages: past it writes fail as on a full disk (tests).
func WithMaxPageCount(n int) Option { return func(o *sqlitefile.Options) { o.MaxPageCount = n } }

// WithTracer gives every statement run within a traced request a span (nil: no tracing).
func WithTracer(tp trace.TracerProvider) Option { return func(o *sqlitefile.Options) { o.Tracer = tp } }

// WithBusyTimeout sets how long a connection waits for a lock held by another process, for example the
// legacy Node server writing to the same file (default 5s).
func WithBusyTimeout(d time.Duration) Option {
	return func(o *sqlitefile.Options) { o.BusyTimeout = d }
}

// Store implements momentum.Store on one SQLite file.
type Store struct {
	path string
	w    *sql.DB // exactly one connection; BEGIN IMMEDIATE
	r    *sql.DB // read-only connections
	q    readStmts
	// snap answers the per-request reads (the account, the dashboard's lists, the checklist
	// statuses) from what was last read, while nothing has been committed since.
	snap *sqlitefile.Snapshots
	// ticks runs concurrent dashboard ticks together (ticks.go) with the two statements below,
	// prepared once on the writer: preparing a statement on every request cost a tenth of its CPU.
	ticks                      *coalesce.Coalescer[*tick]
	setTasks, accountRolesStmt *sql.Stmt

	closeOnce sync.Once
	closeErr  error
}

var _ momentum.Store = (*Store)(nil)

// snapshotsKept bounds the kept results: a few hundred restaurants' worth of accounts and statuses,
// about a megabyte.
const snapshotsKept = 512

// Open opens (creating if needed, with its parent directory) the SQLite database at path, switches it
// to WAL and applies the pending migrations. A legacy Node database is migrated in place. Foreign keys
// stay off, as the legacy server runs them.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	var o sqlitefile.Options
	for _, opt := range opts {
		opt(&o)
	}
	w, r, err := sqlitefile.Open(ctx, path, o)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: %w", err)
	}
	s := &Store{path: path, w: w, r: r}
	// One run at a time: the writer has one connection.
	s.ticks = coalesce.New(ticksPerTx, 1, s.runTicks)
	if err := migrateFile(ctx, w); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("sqlitestore: migrate %s: %w", path, err)
	}
	if s.snap, err = sqlitefile.NewSnapshots(ctx, r, path, snapshotsKept); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlitestore: %w", err)
	}
	if s.setTasks, err = w.PrepareContext(ctx, qSetTasks); err == nil {
		s.accountRolesStmt, err = w.PrepareContext(ctx, qAccountRoles)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlitestore: prepare statements on %s: %w", path, err)
	}
	if err := s.q.prepare(ctx, r); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlitestore: prepare statements on %s: %w", path, err)
	}
	return s, nil
}

// Path is the database file this store uses.
func (s *Store) Path() string { return s.path }

// Ping checks that both pools can reach the database.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping sqlite readers: %w", err)
	}
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("ping sqlite writer: %w", err)
	}
	return nil
}

// Close closes both pools; later calls return the first call's result. It lets SQLite refresh its
// query planner statistics first, which is cheap and only looks at tables the session used.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.q.close()
		var errs []error
		if s.snap != nil {
			errs = append(errs, s.snap.Close())
		}
		if s.r != nil {
			errs = append(errs, s.r.Close())
		}
		for _, st := range []*sql.Stmt{s.setTasks, s.accountRolesStmt} {
			if st != nil {
				_ = st.Close()
			}
		}
		if s.w != nil {
			_, _ = s.w.Exec("PRAGMA optimize")
			errs = append(errs, s.w.Close())
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// inTx runs fn in one write transaction (BEGIN IMMEDIATE on the writer connection).
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY constraint violation.
func isUnique(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return true
	}
	return false
}

// notFound turns sql.ErrNoRows into momentum.ErrNotFound; other errors pass through.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return momentum.ErrNotFound
	}
	return err
}

// sqlLimit maps "limit <= 0 means no limit" onto SQLite's LIMIT -1.
func sqlLimit(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}

func nullStr(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func nullInt(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func strPtr(ns sql.NullString) *string {
	if !ns.Valid {
		return nil
	}
	v := ns.String
	return &v
}

func intPtr(ni sql.NullInt64) *int64 {
	if !ni.Valid {
		return nil
	}
	v := ni.Int64
	return &v
}
