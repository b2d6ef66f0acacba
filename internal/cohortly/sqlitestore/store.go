// Package sqlitestore is the cohortly.Store on an embedded SQLite file (modernc.org/sqlite, pure Go):
// the default for development and small installations. The schema mirrors the legacy Prisma schema
// (same tables, columns and index names); see schema/sqlite for the type mapping.
//
// Concurrency: one writer connection (SQLite allows one writer at a time anyway; funnelling writes
// through one connection turns lock contention into a Go-side queue instead of SQLITE_BUSY retries),
// every write transaction is BEGIN IMMEDIATE (it takes the write lock up front, so a transaction that
// reads and then writes cannot deadlock on lock upgrade), and a pool of reader connections that WAL
// lets run alongside the writer. Reads are prepared once per statement text and reused.
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
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// Store implements cohortly.Store.
type Store struct {
	wdb *sql.DB
	rdb *sql.DB
	w   dbq // the single writer connection
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
	s := &Store{wdb: wdb, rdb: rdb, w: dbq{c: wdb}, r: dbq{c: rdb, prep: rdb, stmts: &sync.Map{}}}
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

// ---- database/sql shims with pgx-like method names, so pgstore and sqlitestore read alike

type conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type dbq struct {
	c     conn
	prep  *sql.DB   // set on the reader: statements are prepared once and cached
	stmts *sync.Map // SQL text -> *sql.Stmt
}

type querier = dbq

type rowScanner interface{ Scan(dest ...any) error }

type tag struct{ n int64 }

func (t tag) RowsAffected() int64 { return t.n }

func (d dbq) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if v, ok := d.stmts.Load(q); ok {
		return v.(*sql.Stmt), nil
	}
	st, err := d.prep.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if v, loaded := d.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return v.(*sql.Stmt), nil
	}
	return st, nil
}

func (d dbq) Exec(ctx context.Context, q string, args ...any) (tag, error) {
	res, err := d.c.ExecContext(ctx, q, args...)
	if err != nil {
		return tag{}, err
	}
	n, err := res.RowsAffected()
	return tag{n}, err
}

func (d dbq) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if d.prep != nil {
		st, err := d.stmt(ctx, q)
		if err != nil {
			return nil, err
		}
		return st.QueryContext(ctx, args...)
	}
	return d.c.QueryContext(ctx, q, args...)
}

func (d dbq) QueryRow(ctx context.Context, q string, args ...any) rowScanner {
	if d.prep != nil {
		st, err := d.stmt(ctx, q)
		if err != nil {
			return errRow{err}
		}
		return st.QueryRowContext(ctx, args...)
	}
	return d.c.QueryRowContext(ctx, q, args...)
}

type errRow struct{ err error }

func (e errRow) Scan(...any) error { return e.err }

// batch mimics pgx.Batch: queued queries run one after another on the reader when read.
type batch struct {
	qs []queued
}

type queued struct {
	sql  string
	args []any
}

func (b *batch) Queue(q string, args ...any) { b.qs = append(b.qs, queued{q, args}) }

type batchResults struct {
	ctx  context.Context
	q    dbq
	b    *batch
	next int
	open *sql.Rows
}

func (s *Store) sendBatch(ctx context.Context, b *batch) *batchResults {
	return &batchResults{ctx: ctx, q: s.r, b: b}
}

func (br *batchResults) pop() queued {
	if br.open != nil {
		br.open.Close()
		br.open = nil
	}
	q := br.b.qs[br.next]
	br.next++
	return q
}

func (br *batchResults) Query() (*sql.Rows, error) {
	q := br.pop()
	rows, err := br.q.Query(br.ctx, q.sql, q.args...)
	br.open = rows
	return rows, err
}

func (br *batchResults) QueryRow() rowScanner {
	q := br.pop()
	return br.q.QueryRow(br.ctx, q.sql, q.args...)
}

func (br *batchResults) Close() {
	if br.open != nil {
		br.open.Close()
	}
}

// inTx runs fn in a BEGIN IMMEDIATE transaction on the writer, committing when fn returns nil or a
// commitErr.
func (s *Store) inTx(ctx context.Context, op string, fn func(tx dbq) error) error {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err, op+": begin", nil)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	err = fn(dbq{c: tx})
	var ce *commitErr
	if err != nil && !errors.As(err, &ce) {
		return err
	}
	if cerr := tx.Commit(); cerr != nil {
		return mapErr(cerr, op+": commit", cohortly.ErrMissingRef)
	}
	if ce != nil {
		return ce.err
	}
	return nil
}

type commitErr struct{ err error }

func (e *commitErr) Error() string { return e.err.Error() }
func (e *commitErr) Unwrap() error { return e.err }

// mapErr turns driver errors into the Store's sentinels; fk is what a foreign-key violation means for
// the operation (ErrMissingRef for writes, ErrInUse for deletes).
func mapErr(err error, op string, fk error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sqlitestore: %s: %w", op, cohortly.ErrNotFound)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("sqlitestore: %s: %w", op, cohortly.ErrConflict)
		// ON DELETE RESTRICT reports SQLITE_CONSTRAINT_TRIGGER, deferred or immediate FK checks FOREIGNKEY.
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_TRIGGER:
			if fk == nil {
				fk = cohortly.ErrMissingRef
			}
			return fmt.Errorf("sqlitestore: %s: %w", op, fk)
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return fmt.Errorf("sqlitestore: %s: invalid value (sqlite code %d)", op, se.Code())
		}
		return fmt.Errorf("sqlitestore: %s: database error (sqlite code %d)", op, se.Code())
	}
	return fmt.Errorf("sqlitestore: %s: %w", op, err)
}

// ---- values

// timeLayout is how every time is stored: fixed width, so text order is time order.
const timeLayout = "2006-01-02T15:04:05.000Z"

func ts(t time.Time) string { return cohortly.Millis(t).Format(timeLayout) }

func tsp(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

func parseTime(v any) (time.Time, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	case time.Time:
		return x.UTC(), nil
	default:
		return time.Time{}, fmt.Errorf("sqlitestore: time column holds %T", v)
	}
	for _, layout := range []string{timeLayout, time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("sqlitestore: unparsable time %q", s)
}

type timeScan struct{ p *time.Time }

func (t timeScan) Scan(v any) error {
	x, err := parseTime(v)
	if err != nil {
		return err
	}
	*t.p = x
	return nil
}

type timeNullScan struct{ p **time.Time }

func (t timeNullScan) Scan(v any) error {
	if v == nil {
		*t.p = nil
		return nil
	}
	x, err := parseTime(v)
	if err != nil {
		return err
	}
	*t.p = &x
	return nil
}

func tm(p *time.Time) any   { return timeScan{p} }
func tmn(p **time.Time) any { return timeNullScan{p} }

func utc(t time.Time) time.Time    { return t }
func utcp(t *time.Time) *time.Time { return t }

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
		return 0, fmt.Errorf("sqlitestore: read %s %q: %w", what, s, err)
	}
	return m, nil
}

// likePattern makes s a literal substring pattern for LIKE ... ESCAPE '\'.
func likePattern(s string) string {
	var b strings.Builder
	b.WriteByte('%')
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '%', '_', '\\':
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('%')
	return b.String()
}

// placeholders returns "$n, $n+1, ..." for k arguments starting at $from.
func placeholders(from, k int) string {
	ps := make([]string, k)
	for i := range ps {
		ps[i] = fmt.Sprintf("$%d", from+i)
	}
	return strings.Join(ps, ", ")
}

type setList struct {
	cols []string
	args []any
}

func (s *setList) add(col string, v any) {
	s.args = append(s.args, v)
	s.cols = append(s.cols, fmt.Sprintf("%s = $%d", col, len(s.args)))
}

func (s *setList) addCast(col, _ string, v any) { s.add(col, v) }

func (s *setList) sql() string { return strings.Join(s.cols, ", ") }

type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, v any) {
	w.args = append(w.args, v)
	w.conds = append(w.conds, fmt.Sprintf(cond, fmt.Sprintf("$%d", len(w.args))))
}

// addIn adds "col IN (...)" over vs.
func (w *where) addIn(col string, vs []any) {
	from := len(w.args) + 1
	w.args = append(w.args, vs...)
	w.conds = append(w.conds, fmt.Sprintf("%s IN (%s)", col, placeholders(from, len(vs))))
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func (w *where) next(extra int) string { return fmt.Sprintf("$%d", len(w.args)+extra) }
