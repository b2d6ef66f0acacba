// Package sqlitestore is the cohortly.Store on an embedded SQLite file (modernc.org/sqlite, pure Go):
// the default for development and small installations. The schema mirrors the legacy Prisma schema
// (same tables, columns and index names); see schema/sqlite for the type mapping.
//
// Concurrency: one writer connection (SQLite allows one writer at a time anyway; funnelling writes
// through one connection turns lock contention into a Go-side queue instead of SQLITE_BUSY retries),
// every write transaction is BEGIN IMMEDIATE (it takes the write lock up front, so a transaction that
// reads and then writes cannot deadlock on lock upgrade), and a pool of reader connections that WAL
// lets run alongside the writer. Reads are prepared once per statement text and reused.
//
// The statements and the assembly of results are sqlstore's, shared with pgstore; driver.go runs them
// on database/sql as written, with times stored as fixed-width UTC text.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/sqlstore"
	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
)

// Store implements cohortly.Store: the shared SQL of sqlstore on SQLite.
type Store struct {
	*sqlstore.Store
	wdb *sql.DB
	rdb *sql.DB
	r   dbq // reader pool with a prepared-statement cache
	mig MigrateReport
}

var _ cohortly.Store = (*Store)(nil)

// Option configures Open.
type Option func(*options)

type options struct {
	sqlitefile.Options
	noMigrate bool
	observe   func(sql string) // export_test.go: WithObserver
}

// WithReaders sets the number of reader connections (default max(4, 2*GOMAXPROCS)).
func WithReaders(n int) Option { return func(o *options) { o.Readers = n } }

// WithMaxPageCount caps the database file at n pages: past it writes fail as on a full disk (tests).
func WithMaxPageCount(n int) Option { return func(o *options) { o.MaxPageCount = n } }

// WithBusyTimeout sets how long a connection waits for another process's lock (default 5s).
func WithBusyTimeout(d time.Duration) Option { return func(o *options) { o.BusyTimeout = d } }

// WithTracer gives every statement run within a traced request a span (nil: no tracing).
func WithTracer(tp trace.TracerProvider) Option { return func(o *options) { o.Tracer = tp } }

// WithoutMigrate skips the migration on Open.
func WithoutMigrate() Option { return func(o *options) { o.noMigrate = true } }

// Open opens (creating when missing, with its parent directory) the database file at path, with
// foreign keys enforced, and migrates it to the latest schema version unless WithoutMigrate is given.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	o := options{Options: sqlitefile.Options{ForeignKeys: true}}
	for _, f := range opts {
		f(&o)
	}
	wdb, rdb, err := sqlitefile.Open(ctx, path, o.Options)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: %w", err)
	}
	s := newStore(wdb, rdb, o.observe)
	if !o.noMigrate {
		rep, err := Migrate(ctx, wdb)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.mig = rep
	}
	return s, nil
}

// Migration reports what Open's migration did.
func (s *Store) Migration() MigrateReport { return s.mig }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.r.QueryRow(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("sqlitestore: ping: %w", err)
	}
	return nil
}

// Close closes both pools (and their prepared statements).
func (s *Store) Close() error {
	if s.r.stmts != nil {
		s.r.stmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
	}
	return errors.Join(s.rdb.Close(), s.wdb.Close())
}
