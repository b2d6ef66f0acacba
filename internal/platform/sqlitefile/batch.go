package sqlitefile

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/momentum-cohortly/backends/internal/platform/coalesce"
)

// Batcher runs the small writes of concurrent requests in shared transactions on the writer, as a
// database's group commit does. On SQLite most of the cost of a one-statement write is the commit
// around it (the WAL frames, the wal-index, the locks), and the writer has one connection, so writes
// queue behind each other anyway: while a transaction runs, the writes that arrive wait, and the next
// transaction takes all of them (up to a bound), led by the first. A write arriving with nothing
// running goes at once, alone: batching adds no wait.
//
// A job is a function of the transaction; it returns an error only when the database failed it (an
// outcome such as "no row matched" is the job's own result, kept by the closure). When a job fails,
// the transaction is rolled back and every job of it runs again alone, so each gets its own answer
// and nothing of a failed job is written. Every job is committed before its Do returns nil.
type Batcher struct {
	db *sql.DB
	c  *coalesce.Coalescer[*job]
}

type job struct {
	fn  func(tx *sql.Tx) error
	err error
}

// NewBatcher returns a batcher of the writer pool w, at most maxPerTx jobs a transaction.
func NewBatcher(w *sql.DB, maxPerTx int) *Batcher {
	b := &Batcher{db: w}
	// One run at a time: the writer has one connection.
	b.c = coalesce.New(maxPerTx, 1, b.run)
	return b
}

// Do runs fn in a write transaction, perhaps shared with other jobs, and returns once it is committed
// (nil) or failed. fn may run more than once (a shared transaction rolled back, then alone), each
// time from a clean state, so it must set its results anew every run. A job that is waiting is run
// whether or not its caller is still there; the transaction is bounded by the busy timeout.
func (b *Batcher) Do(ctx context.Context, fn func(tx *sql.Tx) error) error {
	j := &job{fn: fn}
	b.c.Do(ctx, j)
	return j.err
}

func (b *Batcher) run(ctx context.Context, batch []*job) {
	failed, err := b.tx(ctx, batch)
	if err == nil {
		return
	}
	if failed != nil && len(batch) > 1 {
		// One job failed: the others may well succeed alone.
		for _, j := range batch {
			_, j.err = b.tx(ctx, []*job{j})
		}
		return
	}
	// The transaction itself failed (no lock within the busy timeout, a full disk at commit): it
	// would fail them one by one too.
	for _, j := range batch {
		j.err = err
	}
}

// tx runs the jobs in one transaction: all committed, or none. failed is the job that failed, if one
// did.
func (b *Batcher) tx(ctx context.Context, jobs []*job) (failed *job, err error) {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	for _, j := range jobs {
		if err := j.fn(tx); err != nil {
			return j, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return nil, nil
}
