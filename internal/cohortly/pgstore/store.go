// Package pgstore is the cohortly.Store on PostgreSQL, working on the legacy Prisma schema exactly
// (contract §4 and Appendix A) so the Go server can share a database with the legacy Node server.
// The statements and the assembly of results are sqlstore's, shared with sqlitestore; this package
// opens and migrates the database and runs them through pgx v5 and a pgxpool (driver.go). pgx caches
// a prepared statement per SQL text and connection, so every statement is parsed and planned once
// per connection (unless the URL chooses another default_query_exec_mode, as it must through a
// pooler in transaction mode: pooler.go).
package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/otel/trace"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/sqlstore"
	"github.com/momentum-cohortly/backends/internal/platform/tracing/pgxtrace"
)

// Store implements cohortly.Store: the shared SQL of sqlstore on a pgx pool.
type Store struct {
	*sqlstore.Store
	pool    *pgxpool.Pool
	mig     MigrateReport
	pooling Pooling
}

var _ cohortly.Store = (*Store)(nil)

// Option configures Open.
type Option func(*options)

type options struct {
	maxConns   int32
	minConns   int32
	noMigrate  bool
	migrateURL string
	tracer     trace.TracerProvider
	observe    func(sql string) // export_test.go: WithObserver
}

// WithTracer gives every query, batch query and connect made within a traced request a span
// (platform/tracing/pgxtrace; nil: no tracer on the connections).
func WithTracer(tp trace.TracerProvider) Option { return func(o *options) { o.tracer = tp } }

// WithMaxConns caps the pool (default: pgxpool's, max(4, GOMAXPROCS)). The DSN's pool_max_conns works too.
func WithMaxConns(n int32) Option { return func(o *options) { o.maxConns = n } }

// WithMinConns keeps n connections open (and warm) at all times.
func WithMinConns(n int32) Option { return func(o *options) { o.minConns = n } }

// WithoutMigrate skips the migration on Open: the schema must already be current (e.g. when
// `cohortly migrate` runs as a separate deployment step).
func WithoutMigrate() Option { return func(o *options) { o.noMigrate = true } }

// WithMigrationURL makes Open migrate over url instead of the pool's URL: DATABASE_DIRECT_URL, a
// direct connection to the server when the pool's goes through a connection pooler. Without it,
// migrations run through the pool's URL, which is safe through a pooler in transaction mode too (see
// Migrate).
func WithMigrationURL(url string) Option { return func(o *options) { o.migrateURL = url } }

// Open connects to the database at url (a postgres:// URL or key=value DSN), checks it is reachable
// and that pgx's query exec mode works on the way to it (probePooler: a pooler in transaction mode
// needs one without prepared statements, and Open refuses one that would fail at random later), and
// migrates it to the latest schema version (see Migrate) unless WithoutMigrate is given.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	cfg, err := poolConfig(url, o.tracer)
	if err != nil {
		return nil, err
	}
	if o.maxConns > 0 {
		cfg.MaxConns = o.maxConns
	}
	if o.minConns > 0 {
		cfg.MinConns = o.minConns
	}
	migrateCfg := cfg.ConnConfig
	if o.migrateURL != "" {
		mc, err := poolConfig(o.migrateURL, o.tracer)
		if err != nil {
			return nil, errors.New("pgstore: invalid migration (direct) database URL")
		}
		migrateCfg = mc.ConnConfig
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: connect: %w", err)
	}
	s := newStore(pool, o.observe)
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgstore: connect: %w", err)
	}
	if s.pooling, err = probePooler(ctx, cfg.ConnConfig); err != nil {
		pool.Close()
		return nil, err
	}
	if !o.noMigrate {
		rep, err := Migrate(ctx, migrateCfg)
		if err != nil {
			pool.Close()
			return nil, err
		}
		s.mig = rep
	}
	return s, nil
}

// poolConfig is the one place that turns a database URL into pgx's configuration, for the pool and for
// the migrator's connection alike; tp (nil: none) traces their statements.
func poolConfig(url string, tp trace.TracerProvider) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parse error may quote the URL, password included: say only that it is malformed.
		return nil, errors.New("pgstore: invalid database URL")
	}
	// Timestamps are timestamp(3) WITHOUT time zone holding UTC. Values are bound from UTC time.Time, but
	// server-side defaults and now() follow the session TimeZone, so pin it. (A startup parameter:
	// PgBouncer keeps it per client and sets it on whichever server connection serves the client.)
	if cfg.ConnConfig.RuntimeParams == nil {
		cfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	if t := pgxtrace.Tracer(tp); t != nil {
		cfg.ConnConfig.Tracer = t
	}
	return cfg, nil
}

// Migration reports what Open's migration did (zero when WithoutMigrate was given).
func (s *Store) Migration() MigrateReport { return s.mig }

// Pooling reports what Open found on the way to the server (whether a pooler in transaction mode
// serves the pool, and the query exec mode in use), for the start-up log.
func (s *Store) Pooling() Pooling { return s.pooling }

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
