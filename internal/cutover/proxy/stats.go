package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/momentum-cohortly/backends/internal/cutover/difflog"
)

// stats are the per-route counters written to the diff log (the report's source for requests and
// diff rates). Counting a request is one lock-free map read and one atomic add.
type stats struct {
	routes sync.Map // name -> *routeStats
}

type routeStats struct {
	legacy, new, hold atomic.Int64
	comparedN, diffed atomic.Int64
	outcomes          map[string]*atomic.Int64 // fixed keys: read without a lock

	mu         sync.Mutex
	paths      map[string]int64
	suppressed map[string]int64
}

// maxStatsPaths bounds the per-route path counters in stats lines.
const maxStatsPaths = 200

func newStats() *stats { return &stats{} }

func (s *stats) route(name string) *routeStats {
	if v, ok := s.routes.Load(name); ok {
		return v.(*routeStats)
	}
	rs := &routeStats{outcomes: map[string]*atomic.Int64{}, paths: map[string]int64{}, suppressed: map[string]int64{}}
	for _, o := range outcomes {
		rs.outcomes[o] = new(atomic.Int64)
	}
	v, _ := s.routes.LoadOrStore(name, rs)
	return v.(*routeStats)
}

func (rs *routeStats) request(target string) {
	switch target {
	case "legacy":
		rs.legacy.Add(1)
	case "new":
		rs.new.Add(1)
	case "hold":
		rs.hold.Add(1)
	}
}

func (rs *routeStats) outcome(o string) {
	if c := rs.outcomes[o]; c != nil {
		c.Add(1)
	}
}

func (rs *routeStats) compared(paths, suppressed []string) {
	rs.comparedN.Add(1)
	if len(paths) > 0 {
		rs.diffed.Add(1)
	}
	if len(paths) == 0 && len(suppressed) == 0 {
		return
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	count := func(m map[string]int64, ps []string) {
		seen := map[string]bool{}
		for _, p := range ps {
			if seen[p] {
				continue
			}
			seen[p] = true
			if _, ok := m[p]; ok || len(m) < maxStatsPaths {
				m[p]++
			} else {
				m["other"]++
			}
		}
	}
	count(rs.paths, paths)
	count(rs.suppressed, suppressed)
}

// Snapshot returns every route's counters, with the target each route has in the table in force.
func (rt *Router) Snapshot() map[string]*difflog.RouteStats {
	cfg := rt.table.Load().cfg
	targets := map[string]string{cfg.Default.Name: cfg.Default.Target.String()}
	for _, r := range cfg.Rules {
		targets[r.Name] = r.Target.String()
	}
	out := map[string]*difflog.RouteStats{}
	rt.stats.routes.Range(func(k, v any) bool {
		rs := v.(*routeStats)
		st := &difflog.RouteStats{Target: targets[k.(string)], Requests: map[string]int64{},
			Compared: rs.comparedN.Load(), Diffed: rs.diffed.Load()}
		for name, c := range map[string]*atomic.Int64{"legacy": &rs.legacy, "new": &rs.new, "hold": &rs.hold} {
			if n := c.Load(); n > 0 {
				st.Requests[name] = n
			}
		}
		for o, c := range rs.outcomes {
			if n := c.Load(); n > 0 {
				if st.Shadow == nil {
					st.Shadow = map[string]int64{}
				}
				st.Shadow[o] = n
			}
		}
		rs.mu.Lock()
		if len(rs.paths) > 0 {
			st.Paths = make(map[string]int64, len(rs.paths))
			for p, n := range rs.paths {
				st.Paths[p] = n
			}
		}
		if len(rs.suppressed) > 0 {
			st.Suppressed = make(map[string]int64, len(rs.suppressed))
			for p, n := range rs.suppressed {
				st.Suppressed[p] = n
			}
		}
		rs.mu.Unlock()
		out[k.(string)] = st
		return true
	})
	return out
}

// WriteStats appends a stats line to the diff log (and flushes it), unless the counters have not
// changed since the last one: an idle router does not fill its log with copies.
func (rt *Router) WriteStats() {
	if rt.difflog == nil {
		return
	}
	routes := rt.Snapshot()
	key, _ := json.Marshal(routes)
	rt.statsMu.Lock()
	same := bytes.Equal(key, rt.lastStats)
	rt.lastStats = key
	rt.statsMu.Unlock()
	if same {
		return
	}
	rec := &difflog.Record{Kind: difflog.KindStats, Time: rt.clock.Now().UTC(), Run: rt.run, Routes: routes}
	if err := rt.difflog.Write(rec); err != nil {
		rt.log.Warn("diff log write failed", slog.String("error", err.Error()))
	}
	if err := rt.difflog.Flush(); err != nil {
		rt.log.Warn("diff log flush failed", slog.String("error", err.Error()))
	}
}

func (rt *Router) statsLoop(every time.Duration) {
	defer close(rt.statsDone)
	if rt.difflog == nil || every <= 0 {
		<-rt.statsStop
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			rt.WriteStats()
		case <-rt.statsStop:
			return
		}
	}
}

// pendingAdd counts shadow copies begun and not yet settled (captured, queued or being compared).
func (rt *Router) pendingAdd(n int) {
	rt.idleMu.Lock()
	rt.pending += n
	if rt.pending == 0 {
		rt.idleCond.Broadcast()
	}
	rt.idleMu.Unlock()
}

// Drain waits until every shadow copy begun so far is settled: compared, dropped or given up. Tests
// use it to look at the results of the requests they made, without waiting on the clock.
func (rt *Router) Drain() {
	rt.idleMu.Lock()
	for rt.pending > 0 {
		rt.idleCond.Wait()
	}
	rt.idleMu.Unlock()
}

// Close stops taking shadow copies, lets the workers finish what is queued until ctx ends (then the
// copies in flight are cancelled), writes the last stats line and flushes the diff log. The caller
// stops the HTTP server first.
func (rt *Router) Close(ctx context.Context) error {
	if rt.closed.Swap(true) {
		return nil
	}
	rt.sendMu.Lock()
	close(rt.queue)
	rt.sendMu.Unlock()
	done := make(chan struct{})
	go func() { rt.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		rt.log.Warn("shutdown: shadow copies still running are cancelled", slog.Int("queued", len(rt.queue)))
		rt.cancelShadow()
		<-done
	}
	rt.cancelShadow()
	close(rt.statsStop)
	<-rt.statsDone
	rt.WriteStats()
	return nil
}
