package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// The dashboard's tick is the write clients repeat most, and on SQLite nearly all of a one-row write
// costs the same whatever its rows: the statements' programs, the transaction, the commit (WAL frames,
// the wal-index, its locks). So concurrent ticks run together, as a database's group commit does
// (platform/coalesce, one run at a time since the writer has one connection): while a run is in
// progress, arriving ticks wait, and the next run takes all of them in one transaction, with one
// statement reading every caller's account and one UPDATE of every task allowed. A tick arriving with
// nothing running goes at once, alone: batching adds no wait. Each tick keeps its own answer (its
// account's refusal, or whether its task was the restaurant's), and ticks of one task apply in the
// order they arrived, as one after the other would.
const ticksPerTx = 64

type tick struct {
	// userID is the account the tick is for, or 0 with restaurantID given (SetTaskComplete).
	userID       int64
	allow        func(momentum.AccountRole, bool) (int64, error)
	restaurantID int64
	taskID       int64
	complete     bool
	at           string

	denied error // allow's refusal
	found  bool  // the task was the restaurant's and is set
	err    error // the database's
}

type taskKey struct{ task, restaurant int64 }

func (s *Store) doTick(ctx context.Context, t *tick) error {
	s.ticks.Do(ctx, t)
	switch {
	case t.denied != nil:
		return t.denied
	case t.err != nil:
		return fmt.Errorf("update task %d of restaurant %d: %w", t.taskID, t.restaurantID, t.err)
	case !t.found:
		return fmt.Errorf("update task %d of restaurant %d: %w", t.taskID, t.restaurantID, momentum.ErrNotFound)
	}
	return nil
}

// runTicks answers every tick of batch; a failure of the transaction is every tick's.
func (s *Store) runTicks(ctx context.Context, batch []*tick) {
	if err := s.ticksTx(ctx, batch); err != nil {
		for _, t := range batch {
			t.err, t.found = err, false
		}
	}
}

func (s *Store) ticksTx(ctx context.Context, batch []*tick) (err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	roles, err := s.accountRoles(ctx, tx, batch)
	if err != nil {
		return err
	}
	// The last tick of each task wins, as it would run last; all of them learn whether it matched.
	last := map[taskKey]*tick{}
	var order []taskKey
	for _, t := range batch {
		if t.userID != 0 {
			a, ok := roles[t.userID]
			if t.restaurantID, t.denied = t.allow(a, ok); t.denied != nil || t.restaurantID == 0 {
				continue
			}
		}
		k := taskKey{t.taskID, t.restaurantID}
		if _, seen := last[k]; !seen {
			order = append(order, k)
		}
		last[k] = t
	}
	matched := map[taskKey]bool{}
	if len(order) > 0 {
		b := make([]byte, 0, 64*len(order))
		b = append(b, '[')
		for i, k := range order {
			t := last[k]
			if i > 0 {
				b = append(b, ',')
			}
			v := 0
			if t.complete {
				v = 1
			}
			b = append(b, '[')
			b = strconv.AppendInt(b, k.task, 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, k.restaurant, 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(v), 10)
			b = append(b, ',')
			b = strconv.AppendQuote(b, t.at) // formatTime's digits, '-', ':', 'T', '.', 'Z'
			b = append(b, ']')
		}
		b = append(b, ']')
		rows, err := tx.StmtContext(ctx, s.setTasks).QueryContext(ctx, string(b))
		if err != nil {
			return fmt.Errorf("update tasks: %w", err)
		}
		for rows.Next() {
			var k taskKey
			if err := rows.Scan(&k.task, &k.restaurant); err != nil {
				rows.Close()
				return fmt.Errorf("update tasks: %w", err)
			}
			matched[k] = true
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("update tasks: %w", err)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("update tasks: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, t := range batch {
		if t.denied == nil && t.restaurantID != 0 {
			t.found = matched[taskKey{t.taskID, t.restaurantID}]
		}
	}
	return nil
}

// accountRoles reads the accounts of the batch's ticks (those for an account) in one statement.
func (s *Store) accountRoles(ctx context.Context, tx *sql.Tx, batch []*tick) (map[int64]momentum.AccountRole, error) {
	roles := map[int64]momentum.AccountRole{}
	seen := map[int64]bool{}
	b := []byte{'['}
	for _, t := range batch {
		if t.userID == 0 || seen[t.userID] {
			continue
		}
		if len(seen) > 0 {
			b = append(b, ',')
		}
		seen[t.userID] = true
		b = strconv.AppendInt(b, t.userID, 10)
	}
	if len(seen) == 0 {
		return roles, nil
	}
	b = append(b, ']')
	rows, err := tx.StmtContext(ctx, s.accountRolesStmt).QueryContext(ctx, string(b))
	if err != nil {
		return nil, fmt.Errorf("load accounts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a momentum.AccountRole
		var own sql.NullInt64
		if err := rows.Scan(&id, &a.Role, &own); err != nil {
			return nil, fmt.Errorf("load accounts: %w", err)
		}
		a.RestaurantID = own.Int64
		roles[id] = a
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load accounts: %w", err)
	}
	return roles, nil
}

func newTick(taskID int64, complete bool, now time.Time) *tick {
	return &tick{taskID: taskID, complete: complete, at: formatTime(now)}
}
