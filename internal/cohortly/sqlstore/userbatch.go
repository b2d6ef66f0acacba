package sqlstore

import (
	"context"
	"sync"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// Every authenticated request reads its caller's row (an account disabled or deleted is refused at
// once), and on PostgreSQL that read is mostly a round trip: a socket write, a wake-up, a read, on
// both sides. So the reads of concurrent requests are coalesced, as the lead creations are: while
// userBatchFlushers statements are running, arriving reads wait, and when one ends the next is sent
// with all of them (up to userBatchMax ids), led by the first. A read arriving with none running is
// sent at once, alone: coalescing adds no wait. Every answer comes from a statement that began after
// its request asked, so it is as fresh as a read of its own.
const (
	userBatchMax      = 64
	userBatchFlushers = 2
	// userBatchTimeout bounds a statement sent for several requests, which no single request's
	// cancellation may abort.
	userBatchTimeout = 10 * time.Second
)

type userReq struct {
	id   string
	u    cohortly.User
	err  error
	done chan []*userReq // nil: the answer is in; else the batch to send (this request first)
}

type userLoader struct {
	s        *Store
	max      int
	flushers int

	mu      sync.Mutex
	pending []*userReq
	running int
}

func (b *userLoader) load(ctx context.Context, id string) (cohortly.User, error) {
	r := &userReq{id: id, done: make(chan []*userReq, 1)}
	b.mu.Lock()
	if b.running < b.flushers {
		b.running++
		b.mu.Unlock()
		b.send(ctx, []*userReq{r})
		return r.u, r.err
	}
	b.pending = append(b.pending, r)
	b.mu.Unlock()
	// No select on ctx: a request chosen to lead must send its batch; the wait is bounded by
	// userBatchTimeout.
	if batch := <-r.done; batch != nil {
		b.send(ctx, batch)
	}
	return r.u, r.err
}

func (b *userLoader) send(ctx context.Context, batch []*userReq) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), userBatchTimeout)
	b.s.readUsers(sctx, batch)
	cancel()
	for _, r := range batch[1:] {
		r.done <- nil
	}
	b.mu.Lock()
	next := b.pending
	if len(next) > b.max {
		b.pending = append([]*userReq(nil), next[b.max:]...)
		next = next[:b.max]
	} else {
		b.pending = nil
	}
	if len(next) == 0 {
		b.running--
	}
	b.mu.Unlock()
	if len(next) > 0 {
		next[0].done <- next
	}
}

// readUsers answers every request of batch: its user, or ErrNotFound, or the statement's error.
// A single read takes the same statement (one element): one prepared statement whatever the batch.
func (s *Store) readUsers(ctx context.Context, batch []*userReq) {
	ids := make([]string, 0, len(batch))
	for _, r := range batch {
		ids = append(ids, r.id)
	}
	cond, args := s.d.AnyOf("u.id", 1, ids)
	rows, err := s.db.Read.Query(ctx, `SELECT `+userCols+` FROM users u WHERE `+cond, args...)
	found := map[string]cohortly.User{}
	if err == nil {
		for rows.Next() {
			var u cohortly.User
			if err = scanUser(rows, &u); err != nil {
				break
			}
			found[u.ID] = u
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	for _, r := range batch {
		if err != nil {
			r.err = s.mapErr(err, "users by id", nil)
			continue
		}
		u, ok := found[r.id]
		if !ok {
			r.err = s.fail("user by id", cohortly.ErrNotFound)
			continue
		}
		r.u = u
	}
}
