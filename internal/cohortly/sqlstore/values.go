package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// ---- values

// ts is how every time is bound: UTC, milliseconds (the legacy columns are timestamp(3)).
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
		return 0, fmt.Errorf("read %s %q: %w", what, s, err)
	}
	return m, nil
}

// LikePattern makes s a literal substring pattern for LIKE/ILIKE ... ESCAPE '\'.
func LikePattern(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
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

// ---- statement building

// setList builds the SET clause of a partial update; its parameters are $1..$len(args), so the
// statement's own (the id) follow.
type setList struct {
	cols []string
	args []any
}

func (s *setList) add(col string, v any) {
	s.args = append(s.args, v)
	s.cols = append(s.cols, fmt.Sprintf("%s = $%d", col, len(s.args)))
}

func (s *setList) sql() string { return strings.Join(s.cols, ", ") }

// where accumulates AND-ed conditions with numbered parameters.
type where struct {
	conds []string
	args  []any
}

// add appends cond, a format whose %s (or %[1]s, repeated) is the argument's placeholder.
func (w *where) add(cond string, v any) {
	w.args = append(w.args, v)
	w.conds = append(w.conds, fmt.Sprintf(cond, fmt.Sprintf("$%d", len(w.args))))
}

// addAny appends "col equals one of vals" in the dialect's form.
func (w *where) addAny(d Dialect, col string, vals []string) {
	cond, args := d.AnyOf(col, len(w.args)+1, vals)
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// page returns " LIMIT $a OFFSET $b" after the conditions' parameters, and the arguments of both; with
// inline (Dialect.InlinePage) it returns " LIMIT a OFFSET b" with the numbers written out, and only the
// conditions' arguments.
func (w *where) page(p cohortly.Page, inline bool) (string, []any) {
	if inline {
		b := make([]byte, 0, 40)
		b = append(b, " LIMIT "...)
		b = strconv.AppendInt(b, int64(p.Limit), 10)
		b = append(b, " OFFSET "...)
		b = strconv.AppendInt(b, int64(p.Offset), 10)
		return string(b), w.args
	}
	n := len(w.args)
	args := append(append(make([]any, 0, n+2), w.args...), p.Limit, p.Offset)
	return fmt.Sprintf(" LIMIT $%d OFFSET $%d", n+1, n+2), args
}

// ---- reading

// scanAll reads every row with scan; the result is never nil.
func scanAll[T any](rows Rows, scan func(r Row, v *T) error) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// queryAll reads the next result of br with scan; the result is never nil.
func queryAll[T any](br BatchResults, scan func(r Row, v *T) error) ([]T, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	return scanAll(rows, scan)
}

// listBatch starts the batch of a list read: the viewer's row first when one is named. The page
// statement and then its count are queued after it, and listViewed reads them back.
func listBatch(viewerID string) *Batch {
	b := &Batch{}
	if viewerID != "" {
		b.Queue(userByID, viewerID)
	}
	return b
}

// listPage sends a batch holding a page statement and then its count, and reads both: the page with
// scan, the count into the total. what names the rows in errors ("leads").
func listPage[T any](ctx context.Context, s *Store, what string, b *Batch, p cohortly.Page, scan func(r Row, v *T) error) ([]T, int, error) {
	l, err := listViewed(ctx, s, what, "", b, p, scan)
	return l.Items, l.Total, err
}

// listViewed reads back a batch from listBatch(viewerID) with the page statement and then the count
// queued after the viewer's read.
func listViewed[T any](ctx context.Context, s *Store, what, viewerID string, b *Batch, p cohortly.Page, scan func(r Row, v *T) error) (cohortly.Listed[T], error) {
	var res cohortly.Listed[T]
	br := s.db.SendBatch(ctx, b)
	defer br.Close()
	if viewerID != "" {
		if err := scanUser(br.QueryRow(), &res.Viewer); err != nil {
			return res, s.mapErr(err, "list "+what+": viewer "+viewerID, nil)
		}
	}
	l, err := listRest(s, what, br, p, scan)
	res.Items, res.Total = l.Items, l.Total
	return res, err
}

// listRest reads the page statement and then its count from br.
func listRest[T any](s *Store, what string, br BatchResults, p cohortly.Page, scan func(r Row, v *T) error) (cohortly.Listed[T], error) {
	var res cohortly.Listed[T]
	rows, err := br.Query()
	if err != nil {
		return res, s.mapErr(err, "list "+what, nil)
	}
	out := make([]T, 0, p.Limit)
	var zero T
	for rows.Next() {
		// Scanned in place: no per-row copy of T escaping to the heap.
		out = append(out, zero)
		if err := scan(rows, &out[len(out)-1]); err != nil {
			rows.Close()
			return res, s.mapErr(err, "list "+what, nil)
		}
	}
	if err := rows.Err(); err != nil {
		return res, s.mapErr(err, "list "+what, nil)
	}
	if err := br.QueryRow().Scan(&res.Total); err != nil {
		return res, s.mapErr(err, "count "+what, nil)
	}
	res.Items = out
	return res, nil
}

// listOneViewed reads a list with its viewer in one statement: b is listBatch(viewerID) with the
// page statement and then its count queued, whose page is ordered by created_at DESC, id with id its
// first column and created_at its ninth (bootcamps; the shape of leads too). The three travel as one SELECT over
// their three results (the viewer's row and the total repeated on every page row, read from the
// first), so PostgreSQL runs one statement and the driver reads one result instead of three. A page
// without rows (or an unknown viewer) returns no row at all: the batch is then sent as it is, which
// tells those cases apart, so answers are exactly listViewed's.
func listOneViewed[T any](ctx context.Context, s *Store, what, viewerID string, b *Batch, p cohortly.Page, scan func(r Row, v *T) error) (cohortly.Listed[T], error) {
	q := b.Queued()
	page, count := q[1], q[2]
	args := append(append(make([]any, 0, len(page.Args)+1), page.Args...), viewerID)
	// The viewer's parameter comes after the page's (whose first ones the count shares), so the
	// placeholders appear in the order of their numbers. ORDER BY names output columns by position:
	// the page's columns follow the viewer's nine and the total.
	sql := `WITH p AS (` + page.SQL + `), c AS (` + count.SQL + `), v AS (` + userByIDAt(len(args)) + `)
	SELECT v.*, c.*, p.* FROM v, c, p ORDER BY 19 DESC, 11`
	var res cohortly.Listed[T]
	rows, err := s.db.Read.Query(ctx, sql, args...)
	if err != nil {
		return res, s.mapErr(err, "list "+what, nil)
	}
	defer rows.Close()
	var (
		vs  = userScan{u: &res.Viewer}
		pre = &prefixRow{rows: rows}
		out = make([]T, 0, p.Limit)
		// skipped are the viewer and total columns of the rows after the first (nil: not read).
		skipped [10]any
		zero    T
	)
	for rows.Next() {
		if len(out) == 0 {
			pre.prefix = append(vs.dest(pre.prefix[:0]), &res.Total)
		} else {
			pre.prefix = append(pre.prefix[:0], skipped[:]...)
		}
		out = append(out, zero)
		if err := scan(pre, &out[len(out)-1]); err != nil {
			return res, s.mapErr(err, "list "+what, nil)
		}
		if len(out) == 1 {
			vs.fix()
		}
	}
	if err := rows.Err(); err != nil {
		return res, s.mapErr(err, "list "+what, nil)
	}
	if len(out) == 0 {
		rows.Close()
		return listViewed(ctx, s, what, viewerID, b, p, scan)
	}
	res.Items = out
	return res, nil
}

// prefixRow scans a row whose first columns go to prefix and the rest to what the caller's scan
// function passes; buf is reused from row to row.
type prefixRow struct {
	rows   Rows
	prefix []any
	buf    []any
}

func (r *prefixRow) Scan(dest ...any) error {
	r.buf = append(append(r.buf[:0], r.prefix...), dest...)
	return r.rows.Scan(r.buf...)
}
