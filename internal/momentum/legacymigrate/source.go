package legacymigrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strings"

	_ "modernc.org/sqlite" // driver "sqlite"

	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
)

// source is a legacy SQLite file opened read-only.
type source struct {
	db   *sql.DB
	path string
	// present maps each known table found in the file to the columns it has.
	present map[string]map[string]bool
	// unknownTables and unknownColumns are in the file but not in the model: reported, not migrated.
	unknownTables  []string
	unknownColumns []string // "table.column"
}

// openSource opens path read-only (the legacy file is never written) and reads its schema.
func openSource(ctx context.Context, path string) (*source, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("legacy database: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("legacy database %s is a directory", path)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "query_only(1)")
	db, err := sql.Open("sqlite", sqlitefile.DSN(path, q))
	if err != nil {
		return nil, fmt.Errorf("open legacy database %s: %w", path, err)
	}
	s := &source{db: db, path: path, present: map[string]map[string]bool{}}
	if err := s.readSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *source) Close() error { return s.db.Close() }

func (s *source) readSchema(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return fmt.Errorf("read schema of %s (is it a SQLite database?): %w", s.path, err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return fmt.Errorf("read schema: %w", err)
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	for _, n := range names {
		cols, err := tableColumns(ctx, s.db, n)
		if err != nil {
			return err
		}
		t := tableByName(n)
		if t == nil {
			if !ignoredSourceTable(n) {
				s.unknownTables = append(s.unknownTables, n)
			}
			continue
		}
		s.present[n] = cols
		for c := range cols {
			if t.column(c) == nil {
				s.unknownColumns = append(s.unknownColumns, n+"."+c)
			}
		}
		for _, c := range t.cols {
			if !cols[c.name] && !c.optional {
				return fmt.Errorf("legacy table %s has no column %s: not a Momentum database this tool understands", n, c.name)
			}
		}
	}
	sort.Strings(s.unknownColumns)
	for _, t := range tables {
		if _, ok := s.present[t.name]; !ok && !t.optional {
			return fmt.Errorf("legacy database %s has no table %s: not a Momentum database", s.path, t.name)
		}
	}
	return nil
}

func tableColumns(ctx context.Context, db *sql.DB, name string) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, name)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", name, err)
	}
	defer rows.Close()
	cols := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", name, err)
		}
		cols[c] = true
	}
	return cols, rows.Err()
}

func (s *source) has(t *table) bool { _, ok := s.present[t.name]; return ok }

// quoteIdent quotes an SQL identifier; every name comes from the fixed table list, but quoting keeps
// that true even for odd names.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// selectList is the column list of t for a SELECT. `+col` is an expression, not a column reference:
// SQLite then reports no declared type, so the driver hands over the stored value and storage class
// untouched instead of parsing DATETIME columns into time.Time. Missing optional columns read NULL.
func (s *source) selectList(t *table) string {
	var b strings.Builder
	for i, c := range t.cols {
		if i > 0 {
			b.WriteString(", ")
		}
		if s.present[t.name][c.name] {
			b.WriteString("+" + quoteIdent(c.name))
		} else {
			b.WriteString("NULL")
		}
	}
	return b.String()
}

// row is one legacy row: its rowid (the resume position) and its values aligned with t.cols.
type row struct {
	rowid int64
	vals  []any
}

// page reads up to limit rows of t with rowid > after, in rowid order (keyset pagination: memory
// stays flat and no read transaction stays open between pages).
func (s *source) page(ctx context.Context, t *table, after int64, limit int) ([]row, error) {
	q := fmt.Sprintf(`SELECT rowid, %s FROM %s WHERE rowid > ? ORDER BY rowid LIMIT ?`, s.selectList(t), quoteIdent(t.name))
	rows, err := s.db.QueryContext(ctx, q, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read %s after rowid %d: %w", t.name, after, err)
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		r, err := scanRow(rows, len(t.cols))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", t.name, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s after rowid %d: %w", t.name, after, err)
	}
	return out, nil
}

func scanRow(rows *sql.Rows, n int) (row, error) {
	vals := make([]any, n)
	ptrs := make([]any, n+1)
	var rowid int64
	ptrs[0] = &rowid
	for i := range vals {
		ptrs[i+1] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return row{}, err
	}
	for i, v := range vals {
		if b, ok := v.([]byte); ok {
			vals[i] = append([]byte(nil), b...)
		}
	}
	return row{rowid: rowid, vals: vals}, nil
}

// count returns the number of rows in t.
func (s *source) count(ctx context.Context, t *table) (int64, error) {
	if !s.has(t) {
		return 0, nil
	}
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteIdent(t.name)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", t.name, err)
	}
	return n, nil
}

// maxKey returns the largest integer id in t (0 when empty).
func (s *source) maxKey(ctx context.Context, t *table) (int64, error) {
	if !s.has(t) || t.textKey {
		return 0, nil
	}
	var n sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(rowid) FROM `+quoteIdent(t.name)).Scan(&n); err != nil {
		return 0, fmt.Errorf("max id of %s: %w", t.name, err)
	}
	return n.Int64, nil
}

// sequences returns sqlite_sequence (AUTOINCREMENT high-water marks) by table name.
func (s *source) sequences(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	rows, err := s.db.QueryContext(ctx, `SELECT name, seq FROM sqlite_sequence`)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return out, nil
		}
		return nil, fmt.Errorf("read sqlite_sequence: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var seq sql.NullInt64
		if err := rows.Scan(&name, &seq); err != nil {
			return nil, fmt.Errorf("read sqlite_sequence: %w", err)
		}
		out[name] = seq.Int64
	}
	return out, rows.Err()
}

// rowidsPresent returns which of the integer keys exist in t.
func (s *source) rowidsPresent(ctx context.Context, t *table, keys []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(keys))
	if !s.has(t) || len(keys) == 0 {
		return out, nil
	}
	err := inChunks(ctx, s.db, keys, "look up "+t.name+" ids", func(in string) string {
		return fmt.Sprintf(`SELECT rowid FROM %s WHERE rowid IN (%s)`, quoteIdent(t.name), in)
	}, func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		out[id] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// refRows returns, for the keys of t that exist, their values of the given reference columns.
func (s *source) refRows(ctx context.Context, t *table, keys []int64, cols []column) (map[int64][]any, error) {
	out := make(map[int64][]any, len(keys))
	if !s.has(t) || len(keys) == 0 {
		return out, nil
	}
	var sel strings.Builder
	for _, c := range cols {
		sel.WriteString(", +" + quoteIdent(c.name))
	}
	err := inChunks(ctx, s.db, keys, "look up "+t.name+" references", func(in string) string {
		return fmt.Sprintf(`SELECT rowid%s FROM %s WHERE rowid IN (%s)`, sel.String(), quoteIdent(t.name), in)
	}, func(rows *sql.Rows) error {
		r, err := scanRow(rows, len(cols))
		if err != nil {
			return err
		}
		out[r.rowid] = r.vals
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// inChunks runs the query that query(placeholders) builds for keys, 500 at a time (below SQLite's
// limit on bound parameters), and hands every row to scan. what names the lookup in errors.
func inChunks[K any](ctx context.Context, db *sql.DB, keys []K, what string, query func(in string) string, scan func(*sql.Rows) error) error {
	for start := 0; start < len(keys); start += 500 {
		chunk := keys[start:min(start+500, len(keys))]
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		rows, err := db.QueryContext(ctx, query(placeholders(len(args))), args...)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// emailConflicts finds users whose emails differ as stored but are one account under
// NormalizeEmail (ASCII case and surrounding spaces; the unique index in MongoDB catches the rest at
// write time). Each result lists the user ids of one group.
func (s *source) emailConflicts(ctx context.Context) ([][]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT group_concat(user_id) FROM (SELECT user_id, lower(trim(email, ' '||char(9,10,11,12,13))) AS e FROM users ORDER BY user_id) GROUP BY e HAVING count(*) > 1 ORDER BY min(user_id)`)
	if err != nil {
		return nil, fmt.Errorf("check user emails: %w", err)
	}
	defer rows.Close()
	var out [][]int64
	for rows.Next() {
		var ids string
		if err := rows.Scan(&ids); err != nil {
			return nil, err
		}
		var group []int64
		for _, p := range strings.Split(ids, ",") {
			var id int64
			if _, err := fmt.Sscan(p, &id); err == nil {
				group = append(group, id)
			}
		}
		out = append(out, group)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}

var errNoSource = errors.New("no legacy database given: pass --source FILE (or set SQLITE_PATH)")

// pageByKey reads up to limit rows of a TEXT-keyed table (sessions) in key order, after the key
// `after` (nil: from the start). Rows whose key is NULL are not returned (see countNullKeys).
func (s *source) pageByKey(ctx context.Context, t *table, after any, limit int) ([]row, error) {
	where := quoteIdent(t.key) + ` IS NOT NULL`
	args := []any{}
	if after != nil {
		where = quoteIdent(t.key) + ` > ?`
		args = append(args, after)
	}
	args = append(args, limit)
	q := fmt.Sprintf(`SELECT rowid, %s FROM %s WHERE %s ORDER BY %s LIMIT ?`, s.selectList(t), quoteIdent(t.name), where, quoteIdent(t.key))
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", t.name, err)
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		r, err := scanRow(rows, len(t.cols))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", t.name, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// countNullKeys counts rows of a TEXT-keyed table whose key is NULL (they cannot be migrated).
func (s *source) countNullKeys(ctx context.Context, t *table) (int64, error) {
	if !t.textKey || !s.has(t) {
		return 0, nil
	}
	var n int64
	err := s.db.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s IS NULL`, quoteIdent(t.name), quoteIdent(t.key))).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count %s without %s: %w", t.name, t.key, err)
	}
	return n, nil
}
