// Package coalesce runs concurrent calls together, as a database's group commit does: while a bounded
// number of runs are in progress, calls that arrive wait, and when a run ends the next one takes all
// of them (up to a bound), led by the first waiting caller's goroutine. A call arriving with a run slot
// free runs at once, alone: coalescing adds no wait. Both services use it where most of a small
// statement's cost is the statement around it (a round trip, a commit), not its rows.
package coalesce

import (
	"context"
	"sync"
)

// Coalescer batches the calls of Do into runs of fn.
type Coalescer[T any] struct {
	fn       func(ctx context.Context, batch []T)
	max      int
	flushers int

	mu      sync.Mutex
	pending []*call[T]
	running int
}

type call[T any] struct {
	v T
	// done receives nil when v's run is over, or the batch this call's goroutine is to run.
	done chan []*call[T]
}

// New returns a Coalescer that runs at most flushers batches at once, each of at most maxBatch values,
// through fn. fn records each value's outcome in the value (a pointer to the call's request and
// result); it gets a context that the leading caller's cancellation does not end, since the batch is
// also the other callers'.
func New[T any](maxBatch, flushers int, fn func(ctx context.Context, batch []T)) *Coalescer[T] {
	return &Coalescer[T]{fn: fn, max: max(1, maxBatch), flushers: max(1, flushers)}
}

// Do runs v, alone or in a batch, and returns when that run is over. A waiting call is run whether or
// not its caller is still there (fn bounds the time a run may take).
func (c *Coalescer[T]) Do(ctx context.Context, v T) {
	me := &call[T]{v: v, done: make(chan []*call[T], 1)}
	c.mu.Lock()
	if c.running < c.flushers {
		c.running++
		c.mu.Unlock()
		c.lead(ctx, []*call[T]{me})
		return
	}
	c.pending = append(c.pending, me)
	c.mu.Unlock()
	if batch := <-me.done; batch != nil {
		c.lead(ctx, batch)
	}
}

// lead runs batch (batch[0] is the caller's own), releases the others, and hands the calls that
// arrived meanwhile to the first of them, or frees its slot when there are none.
func (c *Coalescer[T]) lead(ctx context.Context, batch []*call[T]) {
	vs := make([]T, len(batch))
	for i, b := range batch {
		vs[i] = b.v
	}
	c.fn(context.WithoutCancel(ctx), vs)
	for _, b := range batch[1:] {
		b.done <- nil
	}
	c.mu.Lock()
	next := c.pending
	if len(next) > c.max {
		c.pending = append([]*call[T](nil), next[c.max:]...)
		next = next[:c.max]
	} else {
		c.pending = nil
	}
	if len(next) == 0 {
		c.running--
	}
	c.mu.Unlock()
	if len(next) > 0 {
		next[0].done <- next
	}
}

// Running is how many runs are in progress.
func (c *Coalescer[T]) Running() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running
}

// Waiting is how many calls wait for a run.
func (c *Coalescer[T]) Waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pending)
}
