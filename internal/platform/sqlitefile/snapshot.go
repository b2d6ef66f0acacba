package sqlitefile

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
)

// Snapshots keeps query results for exactly as long as they are what the database holds. A lookup
// first reads the header of the WAL index (walIndex), which every commit rewrites, by any connection
// of any process: our writer, another instance, the legacy Node server or a person's sqlite3 shell
// on the same file. Rows kept when the header read as it does now are still the database's, and are
// served with no connection and no transaction at all. Nothing is ever served that a commit has made
// stale: there is no time to live, and the first read after any commit refills.
//
// A miss reads the rows in a read transaction on a reader connection and keeps them under the header
// read before that transaction began: the transaction's state is at least as new as the header, and
// equal to it if the header has not changed since, which is when they are served.
type Snapshots struct {
	db  *sql.DB
	max int
	wal *walIndex
	// conns maps a driver connection to its *connSnapshot; database/sql hands a driver connection
	// to one caller at a time, so the state behind each key is never used concurrently.
	conns sync.Map

	mu   sync.RWMutex
	kept map[snapshotKey]keptRows
}

type keptRows struct {
	at   walHeader
	rows any
}

// NewSnapshots returns the cache of the read-only pool db on the database file at path, with at
// most maxResults results (past that it starts again from empty). A database not in WAL mode has no
// index to watch: every read then goes to it. Close releases the WAL index's guard connection.
func NewSnapshots(ctx context.Context, db *sql.DB, path string, maxResults int) (*Snapshots, error) {
	wal, err := openWALIndex(ctx, path)
	if err != nil {
		return nil, err
	}
	return &Snapshots{db: db, max: max(1, maxResults), wal: wal, kept: map[snapshotKey]keptRows{}}, nil
}

// Close closes the WAL index and its guard connection (not the pool).
func (s *Snapshots) Close() error { return s.wal.close() }

// errNotKept stops a View that answers from kept rows only.
var errNotKept = errors.New("not kept at this header")

// connSnapshot is a reader connection's statements, prepared once.
type connSnapshot struct {
	stmts map[string]driver.Stmt
}

func keyOf(query string, args []any) (snapshotKey, []driver.NamedValue, error) {
	key := snapshotKey{query: query}
	if len(args) > len(key.args) {
		return key, nil, fmt.Errorf("snapshot query %q: %d arguments, at most %d", query, len(args), len(key.args))
	}
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case int:
			a = int64(v)
		case int64, string:
		default:
			return key, nil, fmt.Errorf("snapshot query %q: argument %d is a %T (int64 or string only)", query, i+1, a)
		}
		key.args[i] = a
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return key, named, nil
}

// snapshotKey is a query and its arguments (at most four, each an int64 or a string).
type snapshotKey struct {
	query string
	args  [4]any
}

// Row is one result row, scanned like *sql.Rows: *int64, *string and sql.Scanner destinations.
type Row interface{ Scan(dest ...any) error }

// Query returns query's rows, scanned by scan: the rows kept when nothing has been committed since
// they were read, else from the database (and kept). The returned slice is the
// caller's; the values in it are shared with later callers and must not be modified through
// pointers they hold.
func Query[T any](ctx context.Context, s *Snapshots, query string, args []any, scan func(Row) (T, error)) ([]T, error) {
	var out []T
	err := s.Read(ctx, func(v *View) error {
		var err error
		out, err = ViewQuery(v, query, args, scan)
		return err
	})
	return out, err
}

// View is the reads of one request that belong together (a page's lists): all from the rows kept at
// one WAL index header, or all in one read transaction of one reader connection.
type View struct {
	ctx context.Context
	s   *Snapshots
	st  *connSnapshot
	dc  any
	// at is the WAL index header read before the view began (valid: it could be read); keptOnly
	// views answer from the rows kept at it, with no connection.
	at       walHeader
	valid    bool
	keptOnly bool
}

// Read runs fn in a View: first against the rows kept at the current WAL index header, when all it
// reads is kept there; else in one connection and one read transaction. fn may
// therefore run twice, and must only collect what it reads.
func (s *Snapshots) Read(ctx context.Context, fn func(v *View) error) error {
	var at walHeader
	var valid bool
	if s.wal != nil {
		at, valid = s.wal.header()
	}
	if valid {
		err := fn(&View{ctx: ctx, s: s, at: at, valid: true, keptOnly: true})
		if !errors.Is(err, errNotKept) {
			if err != nil {
				return fmt.Errorf("snapshot read: %w", err)
			}
			return nil
		}
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("snapshot read: %w", err)
	}
	defer conn.Close()
	var used any
	err = conn.Raw(func(dc any) (err error) {
		used = dc
		st := s.state(dc)
		end, err := st.openRead(ctx, dc)
		if err != nil {
			return err
		}
		defer end()
		return fn(&View{ctx: ctx, s: s, st: st, dc: dc, at: at, valid: valid})
	})
	if err != nil {
		s.forget(used)
		return fmt.Errorf("snapshot read: %w", err)
	}
	return nil
}

// ViewQuery is Query inside v: the rows kept at v's header, else read in v's transaction (and kept).
func ViewQuery[T any](v *View, query string, args []any, scan func(Row) (T, error)) ([]T, error) {
	key, named, err := keyOf(query, args)
	if err != nil {
		return nil, err
	}
	if v.keptOnly {
		if rows, ok := v.s.keptAt(key, v.at); ok {
			return slices.Clone(rows.([]T)), nil
		}
		return nil, errNotKept
	}
	rows, err := v.st.query(v.ctx, v.dc, query, named)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, scan)
	if err != nil {
		return nil, err
	}
	v.keep(key, slices.Clone(out))
	return out, nil
}

// keptAt returns the rows of key kept at header at.
func (s *Snapshots) keptAt(key snapshotKey, at walHeader) (any, bool) {
	s.mu.RLock()
	k, ok := s.kept[key]
	s.mu.RUnlock()
	if !ok || k.at != at {
		return nil, false
	}
	return k.rows, true
}

// keep keeps rows read in v's transaction under the header read before it began.
func (v *View) keep(key snapshotKey, rows any) {
	if !v.valid {
		return
	}
	s := v.s
	s.mu.Lock()
	if k, ok := s.kept[key]; !ok || k.at != v.at {
		if len(s.kept) >= s.max {
			clear(s.kept)
		}
		s.kept[key] = keptRows{at: v.at, rows: rows}
	}
	s.mu.Unlock()
}

func (s *Snapshots) state(dc any) *connSnapshot {
	if st, ok := s.conns.Load(dc); ok {
		return st.(*connSnapshot)
	}
	st := &connSnapshot{stmts: map[string]driver.Stmt{}}
	s.conns.Store(dc, st)
	return st
}

// forget drops a connection's state; database/sql closes a connection that reported ErrBadConn, and
// a later one may even get the same address.
func (s *Snapshots) forget(dc any) {
	if st, ok := s.conns.LoadAndDelete(dc); ok {
		st := st.(*connSnapshot)
		for _, p := range st.stmts {
			_ = p.Close()
		}
	}
}

// openRead begins a read transaction and holds it open until end is called: a statement left on its
// row keeps its connection's read transaction (PRAGMA data_version reads the database, so it begins
// one), and the reads made meanwhile see one state of the database, with no BEGIN and COMMIT.
func (st *connSnapshot) openRead(ctx context.Context, dc any) (end func(), err error) {
	p, err := st.stmt(ctx, dc, "PRAGMA data_version")
	if err != nil {
		return nil, err
	}
	rows, err := queryStmt(ctx, p, nil)
	if err != nil {
		return nil, fmt.Errorf("begin read: %w", err)
	}
	if err := rows.Next(make([]driver.Value, 1)); err != nil {
		rows.Close()
		return nil, fmt.Errorf("begin read: %w", err)
	}
	return func() { _ = rows.Close() }, nil
}

func (st *connSnapshot) query(ctx context.Context, dc any, query string, args []driver.NamedValue) (driver.Rows, error) {
	p, err := st.stmt(ctx, dc, query)
	if err != nil {
		return nil, err
	}
	return queryStmt(ctx, p, args)
}

// stmt is query prepared on this connection, once.
func (st *connSnapshot) stmt(ctx context.Context, dc any, query string) (driver.Stmt, error) {
	if p, ok := st.stmts[query]; ok {
		return p, nil
	}
	p, err := prepare(ctx, dc, query)
	if err != nil {
		return nil, err
	}
	st.stmts[query] = p
	return p, nil
}

func prepare(ctx context.Context, dc any, query string) (driver.Stmt, error) {
	pc, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return nil, fmt.Errorf("prepare %q: the driver connection is a %T", query, dc)
	}
	p, err := pc.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", query, err)
	}
	return p, nil
}

func queryStmt(ctx context.Context, p driver.Stmt, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := p.(driver.StmtQueryContext)
	if !ok {
		return nil, fmt.Errorf("query: the driver statement is a %T", p)
	}
	return q.QueryContext(ctx, args)
}

func scanAll[T any](rows driver.Rows, scan func(Row) (T, error)) ([]T, error) {
	defer rows.Close()
	r := &driverRow{vals: make([]driver.Value, len(rows.Columns()))}
	out := []T{}
	for {
		err := rows.Next(r.vals)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		v, err := scan(r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

// driverRow scans driver values the way database/sql would for the destinations the stores use.
type driverRow struct{ vals []driver.Value }

func (r *driverRow) Scan(dest ...any) error {
	if len(dest) != len(r.vals) {
		return fmt.Errorf("scan: %d destinations for %d columns", len(dest), len(r.vals))
	}
	for i, d := range dest {
		v := r.vals[i]
		switch d := d.(type) {
		case sql.Scanner:
			if err := d.Scan(v); err != nil {
				return fmt.Errorf("scan column %d: %w", i+1, err)
			}
		case *int64:
			n, ok := v.(int64)
			if !ok {
				return fmt.Errorf("scan column %d: a %T into an int64", i+1, v)
			}
			*d = n
		case *string:
			switch v := v.(type) {
			case string:
				*d = v
			case []byte:
				*d = string(v)
			default:
				return fmt.Errorf("scan column %d: a %T into a string", i+1, v)
			}
		default:
			return fmt.Errorf("scan column %d: unsupported destination %T", i+1, d)
		}
	}
	return nil
}
