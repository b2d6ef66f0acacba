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
// on database/sql: PostgreSQL casts dropped, times stored as fixed-width UTC text.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/sqlstore"
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
	readers     int
	busyTimeout time.Duration
	noMigrate   bool
}

// WithReaders sets the number of reader connections (default max(4, 2*GOMAXPROCS)).
func WithReaders(n int) Option { return func(o *options) { o.readers = n } }

// WithBusyTimeout sets how long a connection waits for another process's lock (default 5s).
func WithBusyTimeout(d time.Duration) Option { return func(o *options) { o.busyTimeout = d } }

// WithoutMigrate skips the migration on Open.
func WithoutMigrate() Option { return func(o *options) { o.noMigrate = true } }

// Open opens (creating when missing, with its parent directory) the database file at path and
// migrates it to the latest schema version unless WithoutMigrate is given.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	o := options{readers: max(4, 2*runtime.GOMAXPROCS(0)), busyTimeout: 5 * time.Second}
	for _, f := range opts {
		f(&o)
	}
	if path == "" {
		return nil, errors.New("sqlitestore: empty database path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("sqlitestore: create directory for %s: %w", path, err)
		}
	}
	pragmas := []string{
		fmt.Sprintf("busy_timeout(%d)", o.busyTimeout.Milliseconds()),
		"journal_mode(WAL)",
		"foreign_keys(1)",
		// NORMAL is durable across application crashes in WAL mode; only an OS crash or power loss
		// can lose the last transactions.
		"synchronous(NORMAL)",
	}
	dsn := func(extra ...string) string {
		q := url.Values{}
		for _, p := range append(pragmas, extra...) {
			q.Add("_pragma", p)
		}
		return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	}
	wdb, err := sql.Open("sqlite", dsn()+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxIdleTime(0)
	wdb.SetConnMaxLifetime(0)
	if err := wdb.PingContext(ctx); err != nil {
		wdb.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	rdb, err := sql.Open("sqlite", dsn("query_only(1)"))
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	rdb.SetMaxOpenConns(o.readers)
	rdb.SetMaxIdleConns(o.readers)
	rdb.SetConnMaxIdleTime(0)
	rdb.SetConnMaxLifetime(0)
	s := newStore(wdb, rdb)
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
