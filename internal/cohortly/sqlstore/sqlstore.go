// Package sqlstore is the cohortly.Store written once in SQL, shared by the two relational adapters
// (pgstore, sqlitestore). It owns the statements, the assembly of views from scanned rows, partial
// updates, filters and paging, transactions and the mapping of database errors onto the Store's
// sentinels. It knows no driver: an adapter hands over its connections as a DB (small interfaces over
// pgx or database/sql) and a Dialect, and keeps only what is really its own: opening and migrating
// the database, type conversions and error codes.
//
// Every statement is written once, in SQL that PostgreSQL and SQLite both run as it stands: $n
// placeholders, no casts on parameters (PostgreSQL infers the legacy enum and numeric types from the
// column, and pgx sends Go strings as text), enum columns read as they are (pgx reads a type it does
// not know as text), and CAST(... AS TEXT) where a numeric must travel as exact text. Nothing rewrites
// a statement at run time. What really differs between the engines (row locks, ILIKE, array
// parameters, a LATERAL join, pages written into the statement) is a named field of the Dialect, set
// in each adapter's dialect(). The statements each engine runs are listed, and checked to prepare on
// it, in the adapters' testdata/statements.sql (see their statements_test.go).
package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/platform/apperr"
	"github.com/momentum-cohortly/backends/internal/platform/coalesce"
)

// Row is one result row (pgx.Row and *sql.Row have this shape).
type Row interface {
	Scan(dest ...any) error
}

// Rows is a result set (the subset of pgx.Rows this package uses).
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Querier runs statements: a pool, a single connection or a transaction. Exec returns the number of
// rows affected. Destinations passed to Scan are plain Go types (*time.Time, **time.Time, *string,
// ...); converting them from the database's representation is the adapter's job.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (int64, error)
	Query(ctx context.Context, sql string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) Row
}

// Tx is a transaction.
type Tx interface {
	Querier
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// Batch queues read statements that are sent together (one round trip on PostgreSQL) and read back in
// order through BatchResults.
type Batch struct {
	queued []Queued
}

// Queued is one statement of a Batch.
type Queued struct {
	SQL  string
	Args []any
}

// Queue appends a statement.
func (b *Batch) Queue(sql string, args ...any) { b.queued = append(b.queued, Queued{sql, args}) }

// Queued returns the statements in order.
func (b *Batch) Queued() []Queued { return b.queued }

// BatchResults yields the results of a Batch, one call per queued statement, in order.
type BatchResults interface {
	Query() (Rows, error)
	QueryRow() Row
	Close()
}

// DB is the adapter's side of the Store.
type DB struct {
	// Read serves reads outside transactions.
	Read Querier
	// Write serves single-statement writes outside transactions.
	Write Querier
	// Begin starts a transaction; it serialises with concurrent writers as the Dialect documents.
	Begin func(ctx context.Context) (Tx, error)
	// SendBatch sends queued reads.
	SendBatch func(ctx context.Context, b *Batch) BatchResults
}

// ErrKind classifies a database error for the mapping onto the Store's sentinels.
type ErrKind int

const (
	// ErrOther is not a database error (context, network, conversion): it is wrapped as it is.
	ErrOther ErrKind = iota
	// ErrNoRows: a single-row query found nothing.
	ErrNoRows
	// ErrUnique: a UNIQUE or PRIMARY KEY constraint was violated.
	ErrUnique
	// ErrForeignKey: a foreign key was violated (missing parent on write, RESTRICT on delete).
	ErrForeignKey
	// ErrInvalid: a value the schema refuses (CHECK, NOT NULL, enum text, range) that validation
	// should have stopped.
	ErrInvalid
	// ErrDatabase: any other error the database reported.
	ErrDatabase
)

// Dialect is what differs between the engines beyond driver types: each field is one difference.
type Dialect struct {
	// Name prefixes every error: the adapter's package name.
	Name string
	// Classify sorts a driver error; detail is appended to the message for logs (a constraint name,
	// an error code) and must not contain SQL or values.
	Classify func(err error) (kind ErrKind, detail string)
	// ILike is the case-insensitive LIKE operator (ASCII case folding at least).
	ILike string
	// ForUpdate and ForKeyShare are row-lock clauses appended to SELECTs that must serialise with
	// concurrent writers of the row; empty where every write transaction is serialised anyway.
	ForUpdate, ForKeyShare string
	// BootcampStats continues a bootcamp view's select list with the batch statistics of bootcamp b
	// (count, min start_date, max end_date, capacity sum, UPCOMING, ONGOING, COMPLETED, CANCELLED; all
	// but the two dates never NULL) and its FROM clause: bootcamps b, JOIN users u (the creator), and
	// whatever the statistics come from.
	BootcampStats string
	// AnyOf returns a condition "col equals one of vals" whose placeholders start at $from, and the
	// arguments to bind to them.
	AnyOf func(col string, from int, vals []string) (cond string, args []any)
	// InlinePage writes a page's LIMIT and OFFSET into the statement as numbers (both are validated
	// ints) instead of binding them. PostgreSQL re-plans a prepared statement whose LIMIT or OFFSET is a
	// parameter on every execution (its generic plan, guessing a limit of 10% of the rows, always looks
	// dearer than a custom plan), and planning a list page's joins costs more than running it. The cost
	// is one cached statement per distinct page, which needs a bounded statement cache (pgx's is an LRU).
	InlinePage bool
	// WriteCTE says the engine runs data-modifying statements inside WITH and binds arrays
	// (PostgreSQL), so a write conditioned on a row it reads, and returning that row, is one
	// statement, for many rows at once (createLead). Without it (SQLite) the read and the write run
	// in one (serialised) transaction instead. The statements it enables run on PostgreSQL only.
	WriteCTE bool
	// CoalesceReads says a statement is a round trip to a server (PostgreSQL), so that the point
	// reads of concurrent requests are worth sending as one (loadUser). SQLite reads in process.
	CoalesceReads bool
	// PositionIn returns an expression ranking col by the position of its value among the n values
	// that AnyOf bound from $from on (0 for the first).
	PositionIn func(col string, from, n int) string
}

// Store implements cohortly.Store over a DB; adapters embed it.
type Store struct {
	db DB
	d  Dialect
	// bootcampView is the bootcamp view's SELECT for this dialect.
	bootcampView string
	// createLeads is the lead creation that admits its creators (WriteCTE only), and leads
	// coalesces the concurrent calls into it.
	createLeads string
	leads       *coalesce.Coalescer[*leadReq]
	// users coalesces the concurrent reads of callers' rows (CoalesceReads only).
	users *coalesce.Coalescer[*userReq]
	// leadPages and bootcampPages read list pages, coalescing concurrent reads (CoalesceReads only).
	leadPages     *pageReader[cohortly.LeadView]
	bootcampPages *pageReader[cohortly.BootcampView]
}

// New returns the Store on db speaking d.
func New(db DB, d Dialect) *Store {
	s := &Store{db: db, d: d, bootcampView: bootcampViewSelect(d)}
	if d.WriteCTE {
		s.createLeads = createLeadsSelect()
		s.leads = coalesce.New(leadBatchMax, leadBatchFlushers, s.sendLeads)
	}
	if d.CoalesceReads {
		s.users = coalesce.New(userBatchMax, userBatchFlushers, s.readUsers)
	}
	s.leadPages = newPageReader(s, "leads", s.leadPage, func() func(Row, *cohortly.LeadView) error {
		var x leadViewScan
		return x.scan
	})
	s.bootcampPages = newPageReader(s, "bootcamps", s.bootcampPage, func() func(Row, *cohortly.BootcampView) error {
		return scanBootcampView
	})
	return s
}

// inTx runs fn in a transaction, committing when fn returns nil. fn's error is returned as is, so a
// sentinel can carry out a decision that still needs the commit (see commitErr).
func (s *Store) inTx(ctx context.Context, op string, fn func(tx Querier) error) error {
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return s.mapErr(err, op+": begin", nil)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after Commit
	err = fn(tx)
	var ce *commitErr
	if err != nil && !errors.As(err, &ce) {
		return err
	}
	if cerr := tx.Commit(ctx); cerr != nil {
		return s.mapErr(cerr, op+": commit", cohortly.ErrMissingRef)
	}
	if ce != nil {
		return ce.err
	}
	return nil
}

// commitErr is returned by a transaction body whose writes must be kept although the call fails (e.g.
// a reused refresh token: the family is revoked, then ErrTokenReused is reported).
type commitErr struct{ err error }

func (e *commitErr) Error() string { return e.err.Error() }
func (e *commitErr) Unwrap() error { return e.err }

// mapErr turns driver errors into the Store's sentinels, wrapped with the operation. fk is what a
// foreign-key violation means for this operation: ErrMissingRef for inserts and updates (the default
// when nil), ErrInUse for deletes. No SQL text or value reaches the message.
func (s *Store) mapErr(err error, op string, fk error) error {
	if err == nil {
		return nil
	}
	kind, detail := s.d.Classify(err)
	switch kind {
	case ErrNoRows:
		return s.fail(op, cohortly.ErrNotFound)
	case ErrUnique:
		return fmt.Errorf("%s: %s: %w%s", s.d.Name, op, cohortly.ErrConflict, detail)
	case ErrForeignKey:
		if fk == nil {
			fk = cohortly.ErrMissingRef
		}
		return fmt.Errorf("%s: %s: %w%s", s.d.Name, op, fk, detail)
	case ErrInvalid:
		return fmt.Errorf("%s: %s: invalid value%s", s.d.Name, op, detail)
	case ErrDatabase:
		// The classes the HTTP layer answers 507 and 503 for (apperr.Classify) survive the message.
		switch {
		case apperr.IsNoSpace(err):
			return fmt.Errorf("%s: %s: %w%s", s.d.Name, op, apperr.ErrNoSpace, detail)
		case apperr.IsUnavailable(err):
			return fmt.Errorf("%s: %s: %w%s", s.d.Name, op, apperr.ErrUnavailable, detail)
		}
		return fmt.Errorf("%s: %s: database error%s", s.d.Name, op, detail)
	}
	return s.fail(op, err)
}

// isNoRows tells whether err is the driver's "no row".
func (s *Store) isNoRows(err error) bool {
	kind, _ := s.d.Classify(err)
	return kind == ErrNoRows
}

// fail wraps err (usually a sentinel) with the adapter's name and the operation.
func (s *Store) fail(op string, err error) error {
	return fmt.Errorf("%s: %s: %w", s.d.Name, op, err)
}

// deleteByID deletes one row of table; no row is ErrNotFound, a RESTRICT reference ErrInUse.
func (s *Store) deleteByID(ctx context.Context, table, what, id string) error {
	n, err := s.db.Write.Exec(ctx, `DELETE FROM `+table+` WHERE id = $1`, id)
	if err != nil {
		return s.mapErr(err, "delete "+what+" "+id, cohortly.ErrInUse)
	}
	if n == 0 {
		return s.fail("delete "+what+" "+id, cohortly.ErrNotFound)
	}
	return nil
}

// updateByID runs a partial update of one row in a transaction and then read (which reads the row
// back in the same transaction). No row is ErrNotFound.
func (s *Store) updateByID(ctx context.Context, table, what, id string, set setList, read func(tx Querier) error) error {
	args := append(set.args, id)
	return s.inTx(ctx, "update "+what, func(tx Querier) error {
		n, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE %s SET %s WHERE id = $%d`, table, set.sql(), len(args)), args...)
		if err != nil {
			return s.mapErr(err, "update "+what+" "+id, cohortly.ErrMissingRef)
		}
		if n == 0 {
			return s.fail("update "+what+" "+id, cohortly.ErrNotFound)
		}
		return read(tx)
	})
}
