package coalesce

import (
	"context"
	"runtime"
	"sync"
	"testing"
)

type req struct {
	n     int
	batch int // the size of the run it went in
	ctxOK bool
}

// A call with a slot free runs alone and at once; calls arriving while the slots are taken go
// together in the next runs, at most maxBatch a run, and each returns after its own run. The leading
// caller's cancellation does not reach the run, which is the others' too.
func TestCallsThatWaitRunTogether(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	runs := [][]int{}
	c := New(4, 1, func(ctx context.Context, batch []*req) {
		if batch[0].n == 0 {
			<-release
		}
		mu.Lock()
		defer mu.Unlock()
		ids := []int{}
		for _, r := range batch {
			r.batch, r.ctxOK = len(batch), ctx.Err() == nil
			ids = append(ids, r.n)
		}
		runs = append(runs, ids)
	})
	ctx, cancel := context.WithCancel(context.Background())
	first := &req{n: 0}
	done := make(chan struct{})
	go func() { c.Do(ctx, first); close(done) }()
	for c.Running() == 0 {
		runtime.Gosched()
	}
	cancel() // the leader's request ends; the run must not see it
	var wg sync.WaitGroup
	reqs := make([]*req, 10)
	for i := range reqs {
		reqs[i] = &req{n: i + 1}
		wg.Add(1)
		go func() { defer wg.Done(); c.Do(context.Background(), reqs[i]) }()
	}
	for c.Waiting() < len(reqs) {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	<-done
	if first.batch != 1 || !first.ctxOK {
		t.Errorf("the first call: %+v", first)
	}
	for _, r := range reqs {
		if r.batch < 2 || r.batch > 4 || !r.ctxOK {
			t.Errorf("call %d ran in a batch of %d (ctx ok %v); want 2 to 4", r.n, r.batch, r.ctxOK)
		}
	}
	if len(runs) != 1+3 || c.Running() != 0 || c.Waiting() != 0 {
		t.Errorf("runs %v, running %d, waiting %d", runs, c.Running(), c.Waiting())
	}
}
