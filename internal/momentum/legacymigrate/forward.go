package legacymigrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/momentum-cohortly/backends/internal/momentum/mongostore"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

// Odd-timestamp policies.
const (
	OddTimesKeep = "keep" // convert what parses, null what does not; keep the original in legacy_raw; report
	OddTimesFail = "fail" // stop before writing a batch that holds one
)

// ForwardOptions configures a forward migration (or its dry run).
type ForwardOptions struct {
	Source        string // legacy SQLite file, opened read-only
	MongoURL      string
	Database      string
	DryRun        bool
	Orphans       string // OrphansKeep | OrphansSkip
	OddTimestamps string // OddTimesKeep | OddTimesFail
	BatchSize     int
	WriteMode     string // WriteInsert | WriteUpsert
	Restart       bool   // ignore checkpoints and rewrite everything (still idempotent)
	DropTarget    bool   // drop every collection the migrator writes before starting
	AllowNonEmpty bool   // migrate into a database that has data but no checkpoints
	MaxIssues     int    // issues kept in detail in the report
	// MeasureRawInsert, when > 0, also times a plain InsertMany of that many documents of the
	// largest table into a scratch collection of the same server, interleaved with its migration,
	// for comparison.
	MeasureRawInsert int
	Progress         string
	ProgressOut      io.Writer
	Clock            clock.Clock

	// interruptAfter (tests) stops the run with errInterrupted once that many documents have been
	// written in total, possibly in the middle of a batch and before its checkpoint: what a kill
	// -9 at that moment leaves behind.
	interruptAfter int64
	// checkpointBatches (tests) overrides the number of batches between checkpoints.
	checkpointBatches int
}

var errInterrupted = errors.New("interrupted (test hook)")

// checkpointRows is about how many rows go between two checkpoints: a resumed run redoes at most
// that many, and each checkpoint costs the server two small writes.
const checkpointRows = 50_000

func (o *ForwardOptions) defaults() error {
	if o.Orphans == "" {
		o.Orphans = OrphansKeep
	}
	if o.Orphans != OrphansKeep && o.Orphans != OrphansSkip {
		return fmt.Errorf("--orphans must be keep or skip, not %q", o.Orphans)
	}
	if o.OddTimestamps == "" {
		o.OddTimestamps = OddTimesKeep
	}
	if o.OddTimestamps != OddTimesKeep && o.OddTimestamps != OddTimesFail {
		return fmt.Errorf("--odd-timestamps must be keep or fail, not %q", o.OddTimestamps)
	}
	if o.BatchSize == 0 {
		o.BatchSize = 1000
	}
	if o.BatchSize < 1 || o.BatchSize > 100_000 {
		return fmt.Errorf("--batch-size must be between 1 and 100000, not %d", o.BatchSize)
	}
	if o.WriteMode == "" {
		o.WriteMode = WriteInsert
	}
	if o.WriteMode != WriteInsert && o.WriteMode != WriteUpsert {
		return fmt.Errorf("--write-mode must be insert or upsert, not %q", o.WriteMode)
	}
	if o.MaxIssues == 0 {
		o.MaxIssues = 100_000
	}
	if o.Clock == nil {
		o.Clock = clock.System()
	}
	if o.ProgressOut == nil {
		o.ProgressOut = io.Discard
	}
	if o.Source == "" {
		return errNoSource
	}
	return nil
}

// batch is one page of a table, converted and checked, on its way to the writer.
type batch struct {
	read      int64
	lastRowid int64
	docs      []bson.D
	keys      []any
	skipped   int64
	issues    []Issue
	hasOddTS  bool
}

// Forward migrates the legacy file into MongoDB (or, with DryRun, does everything but write). The
// report is returned even when err is not nil, as far as the run got.
func Forward(ctx context.Context, o ForwardOptions) (*Report, error) {
	rep := &Report{Command: "forward", IssueCounts: map[string]int64{}}
	if err := o.defaults(); err != nil {
		return fail(rep, err)
	}
	rep.Source, rep.DryRun, rep.Orphans, rep.OddTimes, rep.WriteMode = o.Source, o.DryRun, o.Orphans, o.OddTimestamps, o.WriteMode
	if o.DryRun {
		rep.Command = "dry-run"
	}
	defer rep.timed(o.Clock)()

	src, err := openSource(ctx, o.Source)
	if err != nil {
		return fail(rep, err)
	}
	defer src.Close()

	sink := newIssueSink(o.MaxIssues)
	var schemaIssues []Issue
	for _, n := range src.unknownTables {
		schemaIssues = append(schemaIssues, Issue{Kind: IssueUnknownTable, Table: n, Action: "not part of the Momentum schema: not migrated"})
	}
	for _, n := range src.unknownColumns {
		tbl, col, _ := strings.Cut(n, ".")
		schemaIssues = append(schemaIssues, Issue{Kind: IssueUnknownColumn, Table: tbl, Column: col, Action: "not part of the Momentum schema: not migrated"})
	}
	conflicts, err := src.emailConflicts(ctx)
	if err != nil {
		return fail(rep, err)
	}
	for _, g := range conflicts {
		for _, id := range g {
			schemaIssues = append(schemaIssues, Issue{Kind: IssueEmailConflict, Table: "users", ID: id, Column: "email",
				Reference: fmt.Sprintf("users %v", g), Action: "emails that differ only in case or spaces are one account in the Go server: merge or rename them in the source first"})
		}
	}

	if len(conflicts) > 0 {
		// Refused before the target is touched at all.
		sink.add(schemaIssues...)
		finishIssues(ctx, rep, nil, sink)
		return fail(rep, fmt.Errorf("%d groups of users share an email up to case and spaces; nothing was migrated", len(conflicts)))
	}

	var tg *target
	if !o.DryRun {
		rep.Target = redactURL(o.MongoURL) + " database " + o.Database
		tg, err = connectTarget(ctx, o.MongoURL, o.Database)
		if err != nil {
			return fail(rep, err)
		}
		defer tg.Close()
		if err := prepareTarget(ctx, tg, o); err != nil {
			return fail(rep, err)
		}
		if err := tg.saveIssues(ctx, schemaIssues); err != nil {
			return fail(rep, err)
		}
	} else {
		rep.Target = "(dry run)"
		sink.add(schemaIssues...)
	}
	prog := newProgress(o.Progress, o.ProgressOut, o.Clock)
	var written int64
	rc := newRefChecker(src, o.Orphans)
	var bench *rawBench
	if tg != nil && o.MeasureRawInsert > 0 {
		if bench, err = newRawBench(ctx, src, tg, o); err != nil {
			return fail(rep, err)
		}
		defer tg.coll(benchCollection).Drop(context.Background())
		defer tg.coll(benchIndexedCollection).Drop(context.Background())
	}
	for _, t := range tables {
		if !src.has(t) {
			continue
		}
		var tb *rawBench
		if bench != nil && bench.table == t.name {
			tb = bench
		}
		tr, err := forwardTable(ctx, src, tg, rc, t, o, prog, sink, &written, tb)
		if tb != nil {
			rep.RawInsert = tb.finish(tr)
		}
		rep.RowsRead += tr.ThisRun
		rep.Tables = append(rep.Tables, tr)
		if err != nil {
			finishIssues(ctx, rep, tg, sink)
			return fail(rep, err)
		}
	}

	if tg == nil && o.OddTimestamps == OddTimesFail && sink.counts[IssueOddTimestamp] > 0 {
		finishIssues(ctx, rep, tg, sink)
		return fail(rep, fmt.Errorf("%d odd timestamps and --odd-timestamps=fail: the migration would stop at the first one", sink.counts[IssueOddTimestamp]))
	}
	if tg != nil {
		// The model's other indexes, exactly as the server creates them, built once the data is in.
		if err := mongostore.EnsureIndexes(ctx, tg.db); err != nil {
			return fail(rep, fmt.Errorf("create the model's indexes: %w", err))
		}
		rep.Counters = map[string]int64{}
		seqs, err := src.sequences(ctx)
		if err != nil {
			return fail(rep, err)
		}
		for _, t := range tables {
			if !t.counter || !src.has(t) {
				continue
			}
			mx, err := src.maxKey(ctx, t)
			if err != nil {
				return fail(rep, err)
			}
			v, err := tg.raiseCounter(ctx, t.name, max(mx, seqs[t.name]))
			if err != nil {
				return fail(rep, err)
			}
			rep.Counters[t.name] = v
		}
	}
	finishIssues(ctx, rep, tg, sink)
	rep.OK = true
	return rep, nil
}

func fail(rep *Report, err error) (*Report, error) {
	rep.OK = false
	rep.Error = err.Error()
	return rep, err
}

// finishIssues fills the report's issues: from migration_issues (which includes what interrupted
// runs found) when there is a target, else from the in-memory sink.
func finishIssues(ctx context.Context, rep *Report, tg *target, sink *issueSink) {
	if tg != nil {
		full := newIssueSink(sink.max)
		if err := tg.loadIssues(ctx, full); err == nil {
			sink = full
		} else {
			rep.Warnings = append(rep.Warnings, err.Error())
		}
	}
	rep.Issues, rep.IssueCounts, rep.Truncated = sink.issues, sink.counts, sink.truncated
	if rep.Issues == nil {
		rep.Issues = []Issue{}
	}
}

func prepareTarget(ctx context.Context, tg *target, o ForwardOptions) error {
	if o.DropTarget {
		if err := tg.dropAll(ctx); err != nil {
			return err
		}
	}
	hasState, err := tg.hasState(ctx)
	if err != nil {
		return err
	}
	if !hasState && !o.AllowNonEmpty {
		coll, err := tg.hasData(ctx)
		if err != nil {
			return err
		}
		if coll != "" {
			return fmt.Errorf("target collection %s already has documents and no migration checkpoints: refusing to mix data (use an empty database, --drop-target, or --allow-nonempty)", coll)
		}
	}
	if o.Restart {
		if err := tg.resetBookkeeping(ctx); err != nil {
			return err
		}
	}
	return tg.markRun(ctx, o.Source, o.Orphans, o.Clock.Now().UTC())
}

func newRawBench(ctx context.Context, src *source, tg *target, o ForwardOptions) (*rawBench, error) {
	var big *table
	var bigN int64
	for _, t := range tables {
		n, err := src.count(ctx, t)
		if err != nil {
			return nil, err
		}
		if n > bigN {
			big, bigN = t, n
		}
	}
	if big == nil {
		return nil, nil
	}
	for _, c := range []string{benchCollection, benchIndexedCollection} {
		if err := tg.coll(c).Drop(ctx); err != nil {
			return nil, fmt.Errorf("drop %s: %w", c, err)
		}
	}
	if err := tg.ensureIndex(ctx, benchIndexedCollection, index{keys: []string{big.key}, unique: true}); err != nil {
		return nil, err
	}
	batches := (bigN + int64(o.BatchSize) - 1) / int64(o.BatchSize)
	want := min(int64(o.MeasureRawInsert), bigN)
	rawBatches := max(1, (want+int64(o.BatchSize)-1)/int64(o.BatchSize))
	return &rawBench{table: big.name, want: want, every: int(max(1, batches/rawBatches)), rep: RawInsertReport{BatchSize: o.BatchSize}}, nil
}

func forwardTable(ctx context.Context, src *source, tg *target, rc *refChecker, t *table, o ForwardOptions, prog *progress, sink *issueSink, written *int64, bench *rawBench) (tr TableReport, err error) {
	tr = TableReport{Table: t.name}
	started := o.Clock.Now()
	defer func() {
		tr.Seconds = o.Clock.Now().Sub(started).Seconds()
		if tr.Seconds > 0 {
			tr.RowsPerSecond = float64(tr.ThisRun) / tr.Seconds
		}
	}()
	total, err := src.count(ctx, t)
	if err != nil {
		return tr, err
	}
	tr.SourceRows = total

	st := tableState{Table: t.name, Orphans: o.Orphans, Source: src.path}
	if tg != nil {
		prev, found, err := tg.loadState(ctx, t.name)
		if err != nil {
			return tr, err
		}
		if found {
			if prev.Orphans != o.Orphans {
				return tr, fmt.Errorf("%s was migrated with --orphans=%s; run again with the same policy, or with --restart (and --drop-target to remove rows the other policy kept)", t.name, prev.Orphans)
			}
			st = prev
			st.Source = src.path
		}
		// The unique index on the key exists before the first write: a resumed batch's documents
		// that are already there then fail as duplicates and are replaced, never doubled. (On
		// increasing integer keys it costs the inserts next to nothing.)
		if err := tg.ensureIndex(ctx, t.name, index{keys: []string{t.key}, unique: true}); err != nil {
			return tr, err
		}
	}
	tr.ResumedAfter = st.LastRowid
	prog.start(t.name, total, st.Read)

	// The reader converts and checks the next pages while the writer stores the current one.
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, 2)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- readTable(rctx, src, rc, t, st.LastRowid, o, batches)
	}()

	// Checkpoints (the issues found so far, then the position) are written every few batches: a
	// resumed run redoes at most that many batches, which the idempotent writes make harmless.
	every := max(1, checkpointRows/o.BatchSize)
	if o.checkpointBatches > 0 {
		every = o.checkpointBatches
	}
	var pending []Issue
	sinceCheckpoint := 0
	checkpoint := func() error {
		if tg == nil || sinceCheckpoint == 0 {
			return nil
		}
		if err := tg.saveIssues(ctx, pending); err != nil {
			return err
		}
		st.UpdatedAt = o.Clock.Now().UTC()
		if err := tg.saveState(ctx, st); err != nil {
			return err
		}
		pending, sinceCheckpoint = nil, 0
		return nil
	}
	var werr error
	for b := range batches {
		if werr != nil {
			continue // drain so the reader can finish
		}
		werr = func() error {
			if b.hasOddTS && o.OddTimestamps == OddTimesFail && tg != nil {
				sink.add(b.issues...)
				return fmt.Errorf("%s has timestamps that are not `YYYY-MM-DD HH:MM:SS` and --odd-timestamps=fail (run the dry run to list them all)", t.name)
			}
			if tg == nil {
				sink.add(b.issues...)
			} else {
				docs, keys := b.docs, b.keys
				var interrupt bool
				if o.interruptAfter > 0 && *written+int64(len(docs)) >= o.interruptAfter {
					n := o.interruptAfter - *written
					docs, keys, interrupt = docs[:n], keys[:n], true
				}
				if err := tg.writeDocs(ctx, t, docs, keys, o.WriteMode); err != nil {
					return err
				}
				*written += int64(len(docs))
				if interrupt {
					return errInterrupted
				}
				pending = append(pending, b.issues...)
			}
			st.LastRowid = b.lastRowid
			st.Read += b.read
			st.Written += int64(len(b.docs))
			st.Skipped += b.skipped
			sinceCheckpoint++
			if sinceCheckpoint >= every {
				if err := checkpoint(); err != nil {
					return err
				}
			}
			if bench != nil {
				if err := bench.after(ctx, tg, b.docs); err != nil {
					return err
				}
			}
			tr.ThisRun += b.read
			prog.add(b.read)
			return nil
		}()
		if werr != nil {
			cancel()
		}
	}
	if err := <-readErr; err != nil && werr == nil && !errors.Is(err, context.Canceled) {
		werr = err
	}
	if werr == nil {
		werr = checkpoint()
	}
	tr.Read, tr.Written, tr.Skipped = st.Read, st.Written, st.Skipped
	if werr != nil {
		return tr, werr
	}
	prog.finish()

	if tg == nil {
		if st.Read != total {
			return tr, fmt.Errorf("%s: read %d rows but the table has %d", t.name, st.Read, total)
		}
		return tr, nil
	}
	st.Done = true
	if err := tg.saveState(ctx, st); err != nil {
		return tr, err
	}
	n, err := tg.quickCount(ctx, t.name, total-st.Skipped)
	if err != nil {
		return tr, err
	}
	tr.TargetDocs = n
	if n+st.Skipped != total {
		return tr, fmt.Errorf("%s: counts differ: %d rows in the source, %d documents in the target + %d skipped = %d", t.name, total, n, st.Skipped, n+st.Skipped)
	}
	return tr, nil
}

// readTable pages through t after the checkpoint, converting and checking each page.
func readTable(ctx context.Context, src *source, rc *refChecker, t *table, after int64, o ForwardOptions, out chan<- batch) error {
	for {
		rows, err := src.page(ctx, t, after, o.BatchSize)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		b, err := convertBatch(ctx, rc, t, rows, o.Orphans)
		if err != nil {
			return err
		}
		select {
		case out <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
		after = rows[len(rows)-1].rowid
	}
}

// convertBatch converts rows and applies the orphan policy.
func convertBatch(ctx context.Context, rc *refChecker, t *table, rows []row, policy string) (batch, error) {
	b := batch{read: int64(len(rows)), lastRowid: rows[len(rows)-1].rowid}
	var broken [][]brokenRef
	if len(t.refs()) > 0 {
		var err error
		broken, err = rc.check(ctx, t, refValues(t, rows), 0)
		if err != nil {
			return b, err
		}
	}
	for i, r := range rows {
		rd := t.convertRow(r.vals)
		id := rd.key
		if id == nil {
			id = fmt.Sprintf("rowid %d", r.rowid)
		}
		for _, n := range rd.notes {
			if n.kind == IssueOddTimestamp {
				b.hasOddTS = true
			}
			b.issues = append(b.issues, Issue{Kind: n.kind, Table: t.name, ID: id, Column: n.column, Value: n.value, Action: n.action})
		}
		if rd.key == nil {
			b.skipped++
			b.issues = append(b.issues, Issue{Kind: IssueUnkeyedRow, Table: t.name, ID: id, Column: t.key, Action: "skipped: the row has no " + t.key})
			continue
		}
		skip := false
		if broken != nil {
			for _, br := range broken[i] {
				action := "migrated as is (--orphans=keep)"
				if policy == OrphansSkip {
					action, skip = "skipped (--orphans=skip)", true
				}
				b.issues = append(b.issues, Issue{Kind: IssueBrokenReference, Table: t.name, ID: id, Column: br.col, Value: render(br.value), Reference: br.describe(), Action: action})
			}
		}
		if skip {
			b.skipped++
			continue
		}
		b.docs = append(b.docs, rd.doc)
		b.keys = append(b.keys, rd.key)
	}
	return b, nil
}

// rawBench measures the server's plain bulk-insert rate during the migration of the largest table:
// every few batches, the batch just migrated is also inserted with a plain InsertMany into a scratch
// collection (only the _id index), so both rates are measured under the same conditions (load,
// collection sizes, cache). Only those inserts are timed for the raw rate, and their time is taken
// out of the table's time for the migration's rate.
type rawBench struct {
	table   string
	want    int64
	every   int
	batches int
	rep     RawInsertReport
	elapsed time.Duration
	// elapsedIndexed is the same inserts into a collection that has the unique index on the key,
	// which the migration must build as well.
	elapsedIndexed time.Duration
}

func (rb *rawBench) after(ctx context.Context, tg *target, docs []bson.D) error {
	rb.batches++
	if rb.rep.Docs >= rb.want || len(docs) == 0 || rb.batches%rb.every != 0 {
		return nil
	}
	batch := make([]any, len(docs))
	for i := range docs {
		batch[i] = docs[i]
	}
	// Alternate which scratch collection goes first, so neither profits from going second.
	targets := []struct {
		coll    string
		elapsed *time.Duration
	}{{benchCollection, &rb.elapsed}, {benchIndexedCollection, &rb.elapsedIndexed}}
	if rb.batches%(2*rb.every) == 0 {
		targets[0], targets[1] = targets[1], targets[0]
	}
	for _, tc := range targets {
		start := time.Now() // a measurement: the real clock, not the injected one
		if _, err := tg.coll(tc.coll).InsertMany(ctx, batch); err != nil {
			return fmt.Errorf("raw insert into %s: %w", tc.coll, err)
		}
		*tc.elapsed += time.Since(start)
	}
	rb.rep.Docs += int64(len(docs))
	return nil
}

func (rb *rawBench) finish(tr TableReport) *RawInsertReport {
	ri := rb.rep
	ri.Table = rb.table
	ri.Seconds = rb.elapsed.Seconds()
	if ri.Seconds > 0 {
		ri.DocsPerSecond = float64(ri.Docs) / ri.Seconds
	}
	if x := rb.elapsedIndexed.Seconds(); x > 0 {
		ri.IndexedDocsPerSecond = float64(ri.Docs) / x
	}
	if own := tr.Seconds - ri.Seconds - rb.elapsedIndexed.Seconds(); own > 0 {
		ri.ToolRowsPerSecond = float64(tr.ThisRun) / own
	}
	if ri.DocsPerSecond > 0 {
		ri.Ratio = ri.ToolRowsPerSecond / ri.DocsPerSecond
	}
	if ri.IndexedDocsPerSecond > 0 {
		ri.IndexedRatio = ri.ToolRowsPerSecond / ri.IndexedDocsPerSecond
	}
	return &ri
}
