package legacymigrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/momentum-cohortly/backends/internal/momentum/sqlitestore"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
)

// ReverseOptions configures the reverse export (rollback): MongoDB back to a legacy SQLite file.
type ReverseOptions struct {
	MongoURL    string
	Database    string
	Out         string // the SQLite file to create
	Force       bool   // replace Out if it exists
	BatchSize   int
	NoVerify    bool
	MaxIssues   int
	Progress    string
	ProgressOut io.Writer
	Clock       clock.Clock
}

// Reverse writes every collection of the model into a new SQLite file with the schema the Go
// server's SQLite adapter creates (the legacy schema plus its additive migrations, which the legacy
// Node server ignores), keeping every id, then sets sqlite_sequence so neither server reuses an id,
// and verifies the file against MongoDB. The file appears under its name only when complete.
func Reverse(ctx context.Context, o ReverseOptions) (*Report, error) {
	rep := &Report{Command: "reverse", IssueCounts: map[string]int64{}, Issues: []Issue{}}
	if o.Clock == nil {
		o.Clock = clock.System()
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 1000
	}
	if o.MaxIssues <= 0 {
		o.MaxIssues = 100_000
	}
	if o.ProgressOut == nil {
		o.ProgressOut = io.Discard
	}
	defer rep.timed(o.Clock)()
	if o.Out == "" {
		return fail(rep, errors.New("no output file given: pass --out FILE"))
	}
	rep.Source = redactURL(o.MongoURL) + " database " + o.Database
	rep.Target = o.Out
	if _, err := os.Stat(o.Out); err == nil && !o.Force {
		return fail(rep, fmt.Errorf("%s exists: choose another --out or pass --force to replace it", o.Out))
	}
	tg, err := connectTarget(ctx, o.MongoURL, o.Database)
	if err != nil {
		return fail(rep, err)
	}
	defer tg.Close()

	tmp := o.Out + ".partial"
	removeSQLite(tmp)
	if err := exportTo(ctx, tg, tmp, o, rep); err != nil {
		removeSQLite(tmp)
		return fail(rep, err)
	}
	if o.Force {
		removeSQLite(o.Out)
	}
	if err := os.Rename(tmp, o.Out); err != nil {
		removeSQLite(tmp)
		return fail(rep, fmt.Errorf("move %s into place: %w", o.Out, err))
	}
	if o.NoVerify {
		rep.OK = true
		return rep, nil
	}
	vrep, err := Verify(ctx, VerifyOptions{Source: o.Out, MongoURL: o.MongoURL, Database: o.Database, Orphans: OrphansKeep,
		Direction: DirectionReverse, BatchSize: o.BatchSize, Progress: o.Progress, Out: o.ProgressOut, Clock: o.Clock})
	rep.Verify = vrep.Verify
	rep.Warnings = append(rep.Warnings, vrep.Warnings...)
	if err != nil {
		return fail(rep, fmt.Errorf("verify %s: %w", o.Out, err))
	}
	rep.OK = true
	return rep, nil
}

func removeSQLite(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		_ = os.Remove(path + suffix)
	}
}

func exportTo(ctx context.Context, tg *target, path string, o ReverseOptions, rep *Report) error {
	// The Go server's SQLite adapter creates the schema, so the file is exactly what both servers
	// expect.
	st, err := sqlitestore.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := st.Close(); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(0)")
	// A crash leaves only the .partial file, which the next run discards: no need to sync.
	q.Add("_pragma", "synchronous(OFF)")
	db, err := sql.Open("sqlite", sqlitefile.DSN(path, q))
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	sink := newIssueSink(o.MaxIssues)
	prog := newProgress(o.Progress, o.ProgressOut, o.Clock)
	for _, t := range tables {
		cols, err := tableColumns(ctx, db, t.name)
		if err != nil {
			return err
		}
		n, err := exportTable(ctx, tg, db, t, cols, o, prog, sink)
		rep.RowsRead += n
		rep.Tables = append(rep.Tables, TableReport{Table: t.name, SourceRows: n, Read: n, Written: n, TargetDocs: n, ThisRun: n})
		if err != nil {
			return err
		}
	}
	rep.Counters = map[string]int64{}
	for _, t := range tables {
		if !t.counter {
			continue
		}
		ctr, err := tg.counter(ctx, t.name)
		if err != nil {
			return err
		}
		var mx sql.NullInt64
		if err := db.QueryRowContext(ctx, `SELECT max(rowid) FROM `+quoteIdent(t.name)).Scan(&mx); err != nil {
			return fmt.Errorf("max id of %s: %w", t.name, err)
		}
		seq := max(ctr, mx.Int64)
		if seq == 0 {
			continue
		}
		if _, err := db.ExecContext(ctx, `DELETE FROM sqlite_sequence WHERE name = ?`, t.name); err != nil {
			return fmt.Errorf("set sqlite_sequence of %s: %w", t.name, err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)`, t.name, seq); err != nil {
			return fmt.Errorf("set sqlite_sequence of %s: %w", t.name, err)
		}
		rep.Counters[t.name] = seq
	}
	// One self-contained file, like the legacy database (the Go server switches it back to WAL).
	if _, err := db.ExecContext(ctx, `PRAGMA journal_mode=DELETE`); err != nil {
		return fmt.Errorf("finish %s: %w", path, err)
	}
	rep.Issues, rep.IssueCounts, rep.Truncated = sink.issues, sink.counts, sink.truncated
	if rep.Issues == nil {
		rep.Issues = []Issue{}
	}
	return nil
}

func exportTable(ctx context.Context, tg *target, db *sql.DB, t *table, cols map[string]bool, o ReverseOptions, prog *progress, sink *issueSink) (int64, error) {
	total, err := tg.count(ctx, t.name)
	if err != nil {
		return 0, err
	}
	if len(cols) == 0 {
		if total > 0 {
			return 0, fmt.Errorf("the SQLite schema has no table %s for its %d documents", t.name, total)
		}
		return 0, nil
	}
	var names []string
	var colIdx []int
	for i, c := range t.cols {
		if cols[c.name] {
			names = append(names, quoteIdent(c.name))
			colIdx = append(colIdx, i)
		}
	}
	insert := fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s)`, quoteIdent(t.name), strings.Join(names, ", "), placeholders(len(names)))
	prog.start(t.name, total, 0)
	cur, err := tg.coll(t.name).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: t.key, Value: 1}}).SetBatchSize(int32(o.BatchSize)))
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", t.name, err)
	}
	defer cur.Close(ctx)

	var n int64
	var tx *sql.Tx
	var stmt *sql.Stmt
	inBatch := 0
	commit := func() error {
		if tx == nil {
			return nil
		}
		stmt.Close()
		err := tx.Commit()
		tx, stmt = nil, nil
		if err != nil {
			return fmt.Errorf("write %s: %w", t.name, err)
		}
		prog.add(int64(inBatch))
		inBatch = 0
		return nil
	}
	defer func() {
		if tx != nil {
			tx.Rollback()
		}
	}()
	for cur.Next(ctx) {
		if tx == nil {
			if tx, err = db.BeginTx(ctx, nil); err != nil {
				return n, fmt.Errorf("write %s: %w", t.name, err)
			}
			if stmt, err = tx.PrepareContext(ctx, insert); err != nil {
				return n, fmt.Errorf("write %s: %w", t.name, err)
			}
		}
		doc := cur.Current
		id := any("?")
		if rv, err := doc.LookupErr(t.key); err == nil {
			if k, ok := targetKey(t, doc); ok {
				id = k
			} else {
				id = rv.String()
			}
		}
		args := make([]any, 0, len(colIdx))
		for _, i := range colIdx {
			c := &t.cols[i]
			v, note := reverseField(c, doc)
			if note != nil {
				sink.add(Issue{Kind: note.kind, Table: t.name, ID: id, Column: note.column, Value: note.value, Action: note.action})
			}
			args = append(args, sqliteValue(v))
		}
		for i := range t.cols {
			c := &t.cols[i]
			if cols[c.name] {
				continue
			}
			if rv, err := doc.LookupErr(c.name); err == nil && rv.Type != bson.TypeNull {
				return n, fmt.Errorf("%s %v has %s, but the SQLite schema has no such column: it would be lost", t.name, id, c.name)
			}
		}
		if t.name == "users" {
			if rv, err := doc.LookupErr("pending_since"); err == nil && rv.Type != bson.TypeNull {
				sink.add(Issue{Kind: IssuePendingRegistration, Table: t.name, ID: id, Column: "pending_since", Value: renderRaw(rv),
					Action: "exported, but the Go server on MongoDB treats this registration as unfinished (its restaurant or tasks may be missing)"})
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return n, fmt.Errorf("write %s %s = %v: %w", t.name, t.key, id, err)
		}
		n++
		inBatch++
		if inBatch >= o.BatchSize {
			if err := commit(); err != nil {
				return n, err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return n, fmt.Errorf("read %s: %w", t.name, err)
	}
	if err := commit(); err != nil {
		return n, err
	}
	prog.finish()
	if n != total {
		return n, fmt.Errorf("%s: %d documents counted, %d exported", t.name, total, n)
	}
	return n, nil
}
