package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// phase is one measured run against one URL.
type phase struct {
	Method      string
	URL         string
	Token       string // sent as "Authorization: Bearer <token>" when not empty
	Concurrency int
	Duration    time.Duration
	MaxRequests int64 // 0: only Duration bounds the run
	// Body, when not empty, is sent as JSON. With Templated set, URL and Body are expanded per request
	// (see expand): Vars are the side's values, Tag and Seq make {seq} unique.
	Body      string
	Templated bool
	Vars      map[string][]string
	Tag       string
	Seq       *atomic.Uint64
	// Conns keeps the connections of http:// phases for the next phase of the same side; nil: the
	// phase's own, closed at its end.
	Conns *wirePool
}

// request builds the next request of a templated phase.
func (p phase) request(ctx context.Context) (*http.Request, error) {
	n := p.Seq.Add(1)
	var body io.Reader = http.NoBody
	if p.Body != "" {
		body = strings.NewReader(expand(p.Body, p.Vars, p.Tag, n))
	}
	req, err := http.NewRequestWithContext(ctx, p.Method, expand(p.URL, p.Vars, p.Tag, n), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if p.Body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if p.Token != "" {
		req.Header.Set("Authorization", "Bearer "+p.Token)
	}
	return req, nil
}

// result is what a phase measured. Requests counts answers of any status; Errors counts requests that
// got no complete answer (refused, reset, timed out).
type result struct {
	Requests uint64
	Non2xx   uint64
	Errors   uint64
	Statuses map[int]uint64 // non-2xx answers by status code
	FirstErr string
	Elapsed  time.Duration
	Hist     histogram
	CPU      []time.Duration // per request, one per cpuGroup of the run
}

func (r *result) rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// statusList renders the non-2xx codes as "401×3 500×1".
func (r *result) statusList() []int {
	codes := make([]int, 0, len(r.Statuses))
	for c := range r.Statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	return codes
}

// worker is one connection's loop state; each owns its histogram so recording needs no locking.
type worker struct {
	hist     histogram
	requests uint64
	non2xx   uint64
	errors   uint64
	statuses map[int]uint64
	firstErr string
}

// newTransport is tuned for a closed-loop benchmark: one kept-alive connection per worker, no
// compression, no proxy.
func newTransport(concurrency int, timeout time.Duration) *http.Transport {
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          2 * concurrency,
		MaxIdleConnsPerHost:   concurrency,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: timeout,
		DisableCompression:    true,
		ForceAttemptHTTP2:     false,
	}
}

// drive runs p: Concurrency workers each send one request at a time until Duration has passed,
// MaxRequests have been sent, or ctx is done. A request in flight when time is up is allowed to finish,
// so the run never reports errors it caused itself. Each worker keeps one connection of its own,
// through the client of wire.go for http:// and through client for https://.
func drive(ctx context.Context, client *http.Client, p phase) *result {
	var issued atomic.Int64
	if p.Templated && p.Seq == nil {
		p.Seq = new(atomic.Uint64)
	}
	if p.Conns == nil {
		p.Conns = &wirePool{}
		defer p.Conns.close()
	}
	workers := make([]*worker, p.Concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(p.Duration)
	for i := range workers {
		w := &worker{}
		workers[i] = w
		wg.Go(func() { w.loop(ctx, client, p, deadline, &issued) })
	}
	wg.Wait()
	res := &result{Elapsed: time.Since(start), Statuses: map[int]uint64{}}
	for _, w := range workers {
		res.Hist.merge(&w.hist)
		res.Requests += w.requests
		res.Non2xx += w.non2xx
		res.Errors += w.errors
		for c, n := range w.statuses {
			res.Statuses[c] += n
		}
		if res.FirstErr == "" {
			res.FirstErr = w.firstErr
		}
	}
	return res
}

func (w *worker) loop(ctx context.Context, client *http.Client, p phase, deadline time.Time, issued *atomic.Int64) {
	if len(p.URL) >= len("https://") && strings.EqualFold(p.URL[:len("https://")], "https://") {
		w.loopHTTP(ctx, client, p, deadline, issued)
		return
	}
	// The client's Timeout is -timeout: it bounds each request on either path.
	wc := p.Conns.get(ctx, client.Timeout)
	defer p.Conns.put(wc)
	var req wireRequest
	if !p.Templated {
		if err := req.build(p.Method, p.URL, p.Token, "", false); err != nil {
			w.errors++
			w.firstErr = err.Error()
			return
		}
	}
	for ctx.Err() == nil && time.Now().Before(deadline) {
		if p.MaxRequests > 0 && issued.Add(1) > p.MaxRequests {
			return
		}
		if p.Templated {
			if err := p.wireRequest(&req); err != nil {
				w.fail(err)
				return
			}
		}
		t0 := time.Now()
		status, err := wc.do(ctx, &req)
		lat := time.Since(t0)
		if err != nil {
			w.fail(err)
			continue
		}
		w.record(status, lat)
	}
}

// loopHTTP is loop on net/http's client, for https:// URLs.
func (w *worker) loopHTTP(ctx context.Context, client *http.Client, p phase, deadline time.Time, issued *atomic.Int64) {
	var req *http.Request
	if !p.Templated {
		var err error
		if req, err = http.NewRequestWithContext(ctx, p.Method, p.URL, nil); err != nil {
			w.errors++
			w.firstErr = err.Error()
			return
		}
		req.Header.Set("Accept", "application/json")
		if p.Token != "" {
			req.Header.Set("Authorization", "Bearer "+p.Token)
		}
	}
	for ctx.Err() == nil && time.Now().Before(deadline) {
		if p.MaxRequests > 0 && issued.Add(1) > p.MaxRequests {
			return
		}
		if p.Templated {
			var err error
			if req, err = p.request(ctx); err != nil {
				w.fail(err)
				return
			}
		}
		t0 := time.Now()
		resp, err := client.Do(req) // a body-less request may be sent again once its answer is closed
		if err != nil {
			w.fail(err)
			continue
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		lat := time.Since(t0)
		if err != nil {
			w.fail(err)
			continue
		}
		w.record(resp.StatusCode, lat)
	}
}

func (w *worker) record(status int, lat time.Duration) {
	w.hist.record(lat)
	w.requests++
	if status < 200 || status > 299 {
		w.non2xx++
		if w.statuses == nil {
			w.statuses = map[int]uint64{}
		}
		w.statuses[status]++
	}
}

func (w *worker) fail(err error) {
	w.errors++
	if w.firstErr == "" {
		w.firstErr = err.Error()
	}
}

// baselineServer serves the smallest useful JSON answer on a loopback port: the ceiling any real
// endpoint on this machine can be compared with.
func baselineServer() (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	body := []byte(`{"status":"ok"}`)
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(body)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String() + "/", func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}
