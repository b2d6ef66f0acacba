package sqlitefile

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

func openWriter(t *testing.T) (w, r *sql.DB) {
	t.Helper()
	w, r, err := Open(context.Background(), filepath.Join(t.TempDir(), "b.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	if _, err := w.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return w, r
}

var errRefused = errors.New("refused by the job")

// Concurrent writes share transactions, and each keeps its own outcome: a job that fails leaves
// nothing of itself behind and takes no other job down with it.
func TestBatcherSharesCommitsAndKeepsOutcomes(t *testing.T) {
	ctx := context.Background()
	w, r := openWriter(t)
	b := NewBatcher(w, 16)

	// Hold the writer with a first job until the others are queued, so they must share.
	release := make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- b.Do(ctx, func(tx *sql.Tx) error {
			<-release
			_, err := tx.Exec(`INSERT INTO t VALUES (1000, 'first')`)
			return err
		})
	}()
	for b.isIdle() {
		runtime.Gosched()
	}
	const n = 40
	var mu sync.Mutex
	txs := map[*sql.Tx]int{}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = b.Do(ctx, func(tx *sql.Tx) error {
				mu.Lock()
				txs[tx]++
				mu.Unlock()
				if _, err := tx.Exec(`INSERT INTO t VALUES (?, ?)`, i, fmt.Sprint("v", i)); err != nil {
					return err
				}
				if i%7 == 3 {
					return errRefused // after its insert: the insert must not stay
				}
				return nil
			})
		}()
	}
	for b.queued() < n {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	shared := 0
	for _, c := range txs {
		shared = max(shared, c)
	}
	if shared < 2 {
		t.Errorf("no transaction was shared: %v", txs)
	}
	for i, err := range errs {
		var got string
		qerr := r.QueryRow(`SELECT v FROM t WHERE id = ?`, i).Scan(&got)
		switch {
		case i%7 == 3:
			if !errors.Is(err, errRefused) || !errors.Is(qerr, sql.ErrNoRows) {
				t.Errorf("job %d: %v, row %q %v; want its own refusal and no row", i, err, got, qerr)
			}
		default:
			if err != nil || qerr != nil || got != fmt.Sprint("v", i) {
				t.Errorf("job %d: %v, row %q %v", i, err, got, qerr)
			}
		}
	}
}

// A transaction that cannot start (another process holds the write lock past the busy timeout)
// fails its jobs without running them, and the batcher takes writes again once the lock is free.
func TestBatcherTransactionFailure(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "b.db")
	w, r, err := Open(ctx, path, Options{BusyTimeout: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if _, err := w.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	other, otherR, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer otherR.Close()
	defer other.Close()
	hold, err := other.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the write lock
	if err != nil {
		t.Fatal(err)
	}
	b := NewBatcher(w, 8)
	runs := 0
	insert := func(tx *sql.Tx) error {
		runs++
		_, err := tx.Exec(`INSERT INTO t VALUES (1, 'x')`)
		return err
	}
	if err := b.Do(ctx, insert); err == nil || runs != 0 {
		t.Fatalf("with the lock held elsewhere: %v after %d runs", err, runs)
	}
	if !b.isIdle() {
		t.Error("the batcher is still running")
	}
	if err := hold.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := b.Do(ctx, insert); err != nil || runs != 1 {
		t.Fatalf("after the lock was freed: %v after %d runs", err, runs)
	}
}

func (b *Batcher) isIdle() bool { return b.c.Running() == 0 }

func (b *Batcher) queued() int { return b.c.Waiting() }
