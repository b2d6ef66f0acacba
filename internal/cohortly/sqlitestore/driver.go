package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/sqlstore"
)

// newStore puts the shared SQL on the writer wdb (one connection; its transactions are BEGIN
// IMMEDIATE) and the reader pool rdb. observe, when set, sees every statement (tests).
func newStore(wdb, rdb *sql.DB, observe func(sql string)) *Store {
	s := &Store{wdb: wdb, rdb: rdb, r: dbq{c: rdb, prep: rdb, stmts: &sync.Map{}}}
	db := sqlstore.DB{
		Read:  s.r,
		Write: dbq{c: wdb},
		Begin: func(ctx context.Context) (sqlstore.Tx, error) {
			tx, err := wdb.BeginTx(ctx, nil)
			if err != nil {
				return nil, err
			}
			return sqlTx{dbq{c: tx}, tx}, nil
		},
		SendBatch: func(ctx context.Context, b *sqlstore.Batch) sqlstore.BatchResults {
			return &batchResults{ctx: ctx, q: s.r, qs: b.Queued()}
		},
	}
	if observe != nil {
		db = sqlstore.Observe(db, observe)
	}
	s.Store = sqlstore.New(db, dialect())
	return s
}

// dialect is SQLite's. Row locks are not needed: every write transaction is BEGIN IMMEDIATE on the
// one writer connection, so read-then-write bodies are serialised as a whole.
func dialect() sqlstore.Dialect {
	return sqlstore.Dialect{
		Name:     "sqlitestore",
		Classify: classify,
		// SQLite's LIKE folds ASCII case.
		ILike: "LIKE",
		// No LATERAL: the statistics of every bootcamp are grouped once and LEFT JOINed, so bootcamps
		// without batches need the COALESCEs.
		BootcampStats: `COALESCE(s.cnt, 0), s.min_start, s.max_end, COALESCE(s.cap, 0), COALESCE(s.up, 0), COALESCE(s.ongoing, 0), COALESCE(s.done, 0), COALESCE(s.cancelled, 0)
	FROM bootcamps b
	JOIN users u ON u.id = b.created_by
	LEFT JOIN (
		SELECT bootcamp_id, count(*) AS cnt, min(start_date) AS min_start, max(end_date) AS max_end,
			sum(capacity) AS cap,
			count(*) FILTER (WHERE status = 'UPCOMING') AS up,
			count(*) FILTER (WHERE status = 'ONGOING') AS ongoing,
			count(*) FILTER (WHERE status = 'COMPLETED') AS done,
			count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled
		FROM batches GROUP BY bootcamp_id
	) s ON s.bootcamp_id = b.id`,
		// No arrays: one placeholder per value.
		AnyOf: func(col string, from int, vals []string) (string, []any) {
			args := make([]any, len(vals))
			for i, v := range vals {
				args[i] = v
			}
			return fmt.Sprintf("%s IN (%s)", col, placeholders(from, len(vals))), args
		},
		PositionIn: func(col string, from, n int) string {
			var b strings.Builder
			b.WriteString("CASE " + col)
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, " WHEN $%d THEN %d", from+i, i)
			}
			b.WriteString(" END")
			return b.String()
		},
	}
}

// classify sorts SQLite errors by extended result code.
func classify(err error) (sqlstore.ErrKind, string) {
	if errors.Is(err, sql.ErrNoRows) {
		return sqlstore.ErrNoRows, ""
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return sqlstore.ErrOther, ""
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return sqlstore.ErrUnique, ""
	// ON DELETE RESTRICT reports SQLITE_CONSTRAINT_TRIGGER, deferred or immediate FK checks FOREIGNKEY.
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_TRIGGER:
		return sqlstore.ErrForeignKey, ""
	case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		return sqlstore.ErrInvalid, fmt.Sprintf(" (sqlite code %d)", se.Code())
	}
	return sqlstore.ErrDatabase, fmt.Sprintf(" (sqlite code %d)", se.Code())
}

// ---- database/sql shim: Go values on SQLite (statements run as sqlstore wrote them)

type conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// dbq implements sqlstore.Querier on a *sql.DB or *sql.Tx.
type dbq struct {
	c     conn
	prep  *sql.DB   // set on the reader: statements are prepared once and cached
	stmts *sync.Map // SQL text -> *sql.Stmt
}

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

func (d dbq) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := d.c.ExecContext(ctx, q, bindArgs(args)...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (d dbq) Query(ctx context.Context, q string, args ...any) (sqlstore.Rows, error) {
	var rows *sql.Rows
	var err error
	if d.prep != nil {
		st, perr := d.stmt(ctx, q)
		if perr != nil {
			return nil, perr
		}
		rows, err = st.QueryContext(ctx, bindArgs(args)...)
	} else {
		rows, err = d.c.QueryContext(ctx, q, bindArgs(args)...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (d dbq) QueryRow(ctx context.Context, q string, args ...any) sqlstore.Row {
	if d.prep != nil {
		st, err := d.stmt(ctx, q)
		if err != nil {
			return errRow{err}
		}
		return sqlRow{st.QueryRowContext(ctx, bindArgs(args)...)}
	}
	return sqlRow{d.c.QueryRowContext(ctx, q, bindArgs(args)...)}
}

type sqlTx struct {
	dbq
	tx *sql.Tx
}

func (t sqlTx) Commit(context.Context) error   { return t.tx.Commit() }
func (t sqlTx) Rollback(context.Context) error { return t.tx.Rollback() }

type sqlRow struct{ r *sql.Row }

func (r sqlRow) Scan(dest ...any) error { return r.r.Scan(scanDest(dest)...) }

type errRow struct{ err error }

func (e errRow) Scan(...any) error { return e.err }

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Scan(dest ...any) error { return r.Rows.Scan(scanDest(dest)...) }
func (r sqlRows) Close()                 { _ = r.Rows.Close() }

// batchResults stands in for a pgx batch: the queued reads run one after another on the reader as
// they are read.
type batchResults struct {
	ctx  context.Context
	q    dbq
	qs   []sqlstore.Queued
	next int
	open sqlstore.Rows
}

func (br *batchResults) pop() sqlstore.Queued {
	br.Close()
	q := br.qs[br.next]
	br.next++
	return q
}

func (br *batchResults) Query() (sqlstore.Rows, error) {
	q := br.pop()
	rows, err := br.q.Query(br.ctx, q.SQL, q.Args...)
	br.open = rows
	return rows, err
}

func (br *batchResults) QueryRow() sqlstore.Row {
	q := br.pop()
	return br.q.QueryRow(br.ctx, q.SQL, q.Args...)
}

func (br *batchResults) Close() {
	if br.open != nil {
		br.open.Close()
		br.open = nil
	}
}

// bindArgs stores times as text (see ts); other values bind as they are. args is not modified.
func bindArgs(args []any) []any {
	for i, a := range args {
		switch a.(type) {
		case time.Time, *time.Time:
			out := append([]any(nil), args...)
			for j := i; j < len(out); j++ {
				switch t := out[j].(type) {
				case time.Time:
					out[j] = ts(t)
				case *time.Time:
					if t == nil {
						out[j] = nil
					} else {
						out[j] = ts(*t)
					}
				}
			}
			return out
		}
	}
	return args
}

// scanDest makes time destinations parse the stored text. It rewrites dest in place: dest is the
// argument list of this one Scan call.
func scanDest(dest []any) []any {
	for i, d := range dest {
		switch p := d.(type) {
		case *time.Time:
			dest[i] = timeScan{p}
		case **time.Time:
			dest[i] = timeNullScan{p}
		case nil:
			// A column the caller does not read (pgx skips nil destinations; database/sql does not).
			dest[i] = skipScan{}
		}
	}
	return dest
}

// ---- values

// timeLayout is how every time is stored: fixed width, so text order is time order.
const timeLayout = "2006-01-02T15:04:05.000Z"

func ts(t time.Time) string { return cohortly.Millis(t).Format(timeLayout) }

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

// skipScan reads a column into nothing.
type skipScan struct{}

func (skipScan) Scan(any) error { return nil }

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

// likePattern is the search pattern sqlstore binds for ListLeads (SQLite LIKE ... ESCAPE '\').
func likePattern(s string) string { return sqlstore.LikePattern(s) }

// placeholders returns "$n, $n+1, ..." for k arguments starting at $from.
func placeholders(from, k int) string {
	ps := make([]string, k)
	for i := range ps {
		ps[i] = fmt.Sprintf("$%d", from+i)
	}
	return strings.Join(ps, ", ")
}
