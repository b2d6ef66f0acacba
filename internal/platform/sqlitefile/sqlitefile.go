// Package sqlitefile opens SQLite database files (modernc.org/sqlite, pure Go) the way both services
// use them: one writer connection and a pool of read-only connections on one WAL file. The writer
// is alone so our own writers queue in Go instead of fighting over SQLite's lock, and every
// transaction it starts is BEGIN IMMEDIATE, so a read-then-write transaction never fails half way
// with SQLITE_BUSY; the readers run beside it thanks to WAL.
package sqlitefile

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/XSAM/otelsql"
	noopmetric "go.opentelemetry.io/otel/metric/noop"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
	_ "modernc.org/sqlite" // driver "sqlite"

	"github.com/momentum-cohortly/backends/internal/platform/tracing"
)

// DSN is the data source name of the database file at path with params (for example "_pragma"
// values, run on every new connection, or mode=ro). The path is written as a file: URI with '%', '?'
// and '#' escaped, so no directory name can be read as the start of the parameters.
func DSN(path string, params url.Values) string {
	u := url.URL{Scheme: "file", Opaque: strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)}
	if len(params) == 0 {
		return u.String()
	}
	return u.String() + "?" + params.Encode()
}

// Options tunes Open. Zero values take the defaults.
type Options struct {
	// Readers is the size of the read-only pool (default 2 × GOMAXPROCS, at least 4).
	Readers int
	// BusyTimeout is how long a connection waits for a lock held by another process, for example a
	// legacy server on the same file (default 5s).
	BusyTimeout time.Duration
	// ForeignKeys turns SQLite's foreign key enforcement on for every connection.
	ForeignKeys bool
	// MaxPageCount caps the file at this many pages (never below its current size): past it, writes
	// fail with SQLITE_FULL as on a full disk. Zero: no cap beyond SQLite's own.
	MaxPageCount int
	// Tracer, when set, gives every statement, transaction begin and commit run within a recording
	// span a child span of its own (platform/tracing). Nil: the pools are plain database/sql, with
	// nothing in between.
	Tracer trace.TracerProvider
}

// Open opens the file at path, creating it and its directory when missing, in WAL mode with
// synchronous=NORMAL (durable across application crashes; only an OS crash or power loss can lose
// the last transactions). w has exactly one connection; r is query-only.
func Open(ctx context.Context, path string, o Options) (w, r *sql.DB, err error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, nil, fmt.Errorf("open SQLite %q: need a file path (two pools cannot share an in-memory database)", path)
	}
	if o.Readers <= 0 {
		o.Readers = max(4, 2*runtime.GOMAXPROCS(0))
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 5 * time.Second
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, nil, fmt.Errorf("create the directory of %s: %w", path, err)
	}
	fk := "foreign_keys(0)"
	if o.ForeignKeys {
		fk = "foreign_keys(1)"
	}
	// No memory map: after every commit by another connection, SQLite unmaps a reader's whole
	// mapping at its next read and maps it again (munmap, mmap, fstat and page faults), which cost
	// the checklist write 32% more CPU per request than reading the few pages it needs with pread
	// (load -against, two builds side by side). Reads with no commit in between hit the page cache
	// either way.
	common := []string{fmt.Sprintf("busy_timeout(%d)", o.BusyTimeout.Milliseconds()), fk, "mmap_size(0)"}

	writer := []string{"journal_mode(WAL)", "synchronous(NORMAL)"}
	if o.MaxPageCount > 0 {
		writer = append(writer, fmt.Sprintf("max_page_count(%d)", o.MaxPageCount))
	}
	w, err = open(o.Tracer, DSN(path, url.Values{
		"_pragma": slices.Concat(common, writer),
		"_txlock": {"immediate"},
	}))
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// The writer's first connection creates the file and switches it to WAL before any reader opens.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	r, err = open(o.Tracer, DSN(path, url.Values{"_pragma": slices.Concat(common, []string{"query_only(1)"})}))
	if err != nil {
		w.Close()
		return nil, nil, fmt.Errorf("open readers on %s: %w", path, err)
	}
	r.SetMaxOpenConns(o.Readers)
	r.SetMaxIdleConns(o.Readers)
	r.SetConnMaxLifetime(0)
	r.SetConnMaxIdleTime(0)
	return w, r, nil
}

// PageCount is the size of the database at path in pages, the WAL's pages included: what
// Options.MaxPageCount is compared with. It opens its own read-only connection.
func PageCount(ctx context.Context, path string) (int, error) {
	db, err := sql.Open("sqlite", DSN(path, url.Values{"mode": {"ro"}}))
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&n); err != nil {
		return 0, fmt.Errorf("page count of %s: %w", path, err)
	}
	return n, nil
}

// open opens the driver's pool, through otelsql when tp is set.
func open(tp trace.TracerProvider, dsn string) (*sql.DB, error) {
	if tp == nil {
		return sql.Open("sqlite", dsn)
	}
	return otelsql.Open("sqlite", dsn,
		otelsql.WithTracerProvider(tp),
		otelsql.WithMeterProvider(noopmetric.NewMeterProvider()),
		otelsql.WithAttributes(semconv.DBSystemNameSQLite),
		otelsql.WithSpanNameFormatter(spanName),
		otelsql.WithSpanOptions(otelsql.SpanOptions{
			// A span per statement (its rows are read inside it), per begin, commit and rollback: not
			// per connection reset, row iteration or connect.
			OmitConnResetSession: true,
			OmitRows:             true,
			OmitConnectorConnect: true,
			DisableErrSkip:       true,
			SpanFilter: func(ctx context.Context, _ otelsql.Method, _ string, _ []driver.NamedValue) bool {
				return tracing.InTrace(ctx)
			},
		}),
	)
}

// spanName names a statement's span after its operation ("SELECT"), as pgx's are named.
func spanName(_ context.Context, method otelsql.Method, query string) string {
	switch method {
	case otelsql.MethodConnBeginTx:
		return "BEGIN"
	case otelsql.MethodTxCommit:
		return "COMMIT"
	case otelsql.MethodTxRollback:
		return "ROLLBACK"
	case otelsql.MethodConnPing:
		return "PING"
	}
	return tracing.SQLOperation(query)
}
