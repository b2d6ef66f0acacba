package proxy

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"

	"go.opentelemetry.io/otel/trace"

	"github.com/momentum-cohortly/backends/internal/cutover/config"
	"github.com/momentum-cohortly/backends/internal/cutover/route"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
)

// Shadow outcomes other than a comparison (metric label and stats key).
const (
	outDropped      = "dropped"       // the queue was full
	outUnsafe       = "unsafe"        // the method may change data and the route is not side-effect free
	outTooLarge     = "too_large"     // a body over shadow.max_body: nothing buffered, nothing compared
	outIncomplete   = "incomplete"    // the client went away, or the backend did not read the request body
	outPrimaryError = "primary_error" // the primary failed: there is nothing to compare
	outError        = "error"         // the copy failed
	outTimeout      = "timeout"       // the copy took longer than shadow.timeout
	outClosing      = "closing"       // the router is shutting down
	outUpgrade      = "upgrade"       // a protocol upgrade (WebSocket) is never copied
	// The primary answered 304 to the client's conditional request (Express's weak ETags): its answer
	// has no body, and the copy's status says only whether the other side keeps the same validators,
	// which no client of these services notices (it reads the body it has cached either way).
	outNotModified = "not_modified"
)

var outcomes = []string{outDropped, outUnsafe, outTooLarge, outIncomplete, outPrimaryError, outError, outTimeout, outClosing, outUpgrade, outNotModified}

// answer is one side's response as the comparison sees it.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// job is one shadow comparison waiting for a worker.
type job struct {
	t       *table
	rule    *config.Rule
	primary route.Side
	method  string
	uri     string // escaped path and query, as sent
	header  http.Header
	xff     string
	reqID   string
	trace   trace.SpanContext // the request's, when traced: the copy joins its trace
	reqBody []byte
	learn   bool
	first   *answer
}

// capture collects, while the primary exchange streams through the proxy, what the comparison
// needs: the request body as the transport reads it and the response body as the client gets it.
// Nothing waits for it; when either is over the size limit, it stops buffering.
type capture struct {
	rt    *Router
	limit int64
	j     *job

	mu       sync.Mutex
	reqBody  bytes.Buffer
	reqDone  bool
	over     bool
	resp     *answer
	respDone bool
	finished bool
}

// newCapture decides whether a request of a shadow route is copied, and if so starts capturing it.
func (rt *Router) newCapture(r *http.Request, t *table, rule *config.Rule) *capture {
	sh := t.cfg.Shadow
	safe := sh.SafeMethods[r.Method]
	switch {
	case !safe && !rule.SideEffectFree:
		rt.outcome(rule.Name, outUnsafe)
		return nil
	case r.Header.Get("Upgrade") != "":
		rt.outcome(rule.Name, outUpgrade)
		return nil
	case r.ContentLength > sh.MaxBody:
		rt.outcome(rule.Name, outTooLarge)
		return nil
	case rt.closed.Load():
		rt.outcome(rule.Name, outClosing)
		return nil
	}
	j := &job{
		t: t, rule: rule, primary: rule.Target.Side, method: r.Method, uri: r.URL.RequestURI(),
		header: r.Header.Clone(), xff: forwardedFor(r), reqID: httpx.RequestIDFrom(r.Context()),
		// A second call to the primary shows what differs between two answers of the same server:
		// only where calling again changes nothing.
		learn: sh.LearnNoise,
	}
	if rt.tracing != nil {
		j.trace = trace.SpanContextFromContext(r.Context())
	}
	c := &capture{rt: rt, limit: sh.MaxBody, j: j}
	rt.pendingAdd(1) // settled by finish or abandon
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		c.reqDone = true
	} else {
		r.Body = &reqTee{rc: r.Body, c: c}
	}
	return c
}

// forwardedFor is the X-Forwarded-For the primary got (SetXForwarded's), so both sides see the same
// client.
func forwardedFor(r *http.Request) string {
	peer, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		peer = r.RemoteAddr
	}
	if prior := r.Header.Values("X-Forwarded-For"); len(prior) > 0 {
		return strings.Join(prior, ", ") + ", " + peer
	}
	return peer
}

type reqTee struct {
	rc io.ReadCloser
	c  *capture
}

func (t *reqTee) Read(p []byte) (int, error) {
	n, err := t.rc.Read(p)
	c := t.c
	c.mu.Lock()
	if !c.over {
		if int64(c.reqBody.Len()+n) > c.limit {
			c.over = true
			c.reqBody = bytes.Buffer{}
		} else {
			c.reqBody.Write(p[:n])
		}
	}
	if err == io.EOF {
		c.reqDone = true
	}
	c.mu.Unlock()
	return n, err
}

func (t *reqTee) Close() error { return t.rc.Close() }

// response starts capturing the primary's body.
func (c *capture) response(resp *http.Response) {
	if resp.ContentLength > c.limit {
		c.abandon(outTooLarge)
		return
	}
	if resp.StatusCode == http.StatusNotModified {
		c.abandon(outNotModified)
		return
	}
	c.mu.Lock()
	c.resp = &answer{status: resp.StatusCode, header: resp.Header.Clone()}
	c.mu.Unlock()
	resp.Body = &respTee{rc: resp.Body, c: c}
}

type respTee struct {
	rc io.ReadCloser
	c  *capture
}

func (t *respTee) Read(p []byte) (int, error) {
	n, err := t.rc.Read(p)
	c := t.c
	c.mu.Lock()
	if !c.over {
		if int64(len(c.resp.body)+n) > c.limit {
			c.over, c.resp.body = true, nil
		} else {
			c.resp.body = append(c.resp.body, p[:n]...)
		}
	}
	if err == io.EOF {
		c.respDone = true
	}
	c.mu.Unlock()
	return n, err
}

// Close is the end of the primary exchange (the proxy closes the body when it has copied it, or
// given up): the comparison is queued now, after the client has its answer.
func (t *respTee) Close() error {
	err := t.rc.Close()
	t.c.finish()
	return err
}

func (c *capture) finish() {
	c.mu.Lock()
	if c.finished {
		c.mu.Unlock()
		return
	}
	c.finished = true
	reason := ""
	switch {
	case c.over:
		reason = outTooLarge
	case !c.respDone || !c.reqDone:
		reason = outIncomplete
	default:
		c.j.first = c.resp
		c.j.reqBody = c.reqBody.Bytes()
	}
	c.mu.Unlock()
	if reason != "" {
		c.rt.outcome(c.j.rule.Name, reason)
		c.rt.pendingAdd(-1)
		return
	}
	c.rt.enqueue(c.j) // the job carries the pending count on
}

func (c *capture) abandon(reason string) {
	c.mu.Lock()
	done := c.finished
	c.finished = true
	c.mu.Unlock()
	if !done {
		c.rt.outcome(c.j.rule.Name, reason)
		c.rt.pendingAdd(-1)
	}
}

// enqueue hands a job to the workers without waiting: a full queue drops it (counted).
func (rt *Router) enqueue(j *job) {
	rt.sendMu.RLock()
	defer rt.sendMu.RUnlock()
	if rt.closed.Load() {
		rt.outcome(j.rule.Name, outClosing)
		rt.pendingAdd(-1)
		return
	}
	// The queue is bounded twice: in jobs, and in the bodies they hold (1024 jobs of 2 x max_body
	// would otherwise be gigabytes).
	size := j.bytes()
	if rt.queuedBytes.Add(size) > j.t.cfg.Shadow.MaxQueued {
		rt.queuedBytes.Add(-size)
		rt.drop(j)
		return
	}
	select {
	case rt.queue <- j:
		rt.metrics.queueLen.Set(float64(len(rt.queue)))
	default:
		rt.queuedBytes.Add(-size)
		rt.drop(j)
	}
}

func (rt *Router) drop(j *job) {
	rt.outcome(j.rule.Name, outDropped)
	rt.metrics.dropped.Inc()
	rt.pendingAdd(-1)
}

// bytes is what a queued job holds in memory, roughly.
func (j *job) bytes() int64 { return int64(len(j.reqBody) + len(j.first.body) + len(j.uri)) }

func (rt *Router) outcome(routeName, o string) {
	rt.metrics.shadow.WithLabelValues(routeName, o).Inc()
	rt.stats.route(routeName).outcome(o)
}

func (rt *Router) worker() {
	defer rt.wg.Done()
	for j := range rt.queue {
		rt.queuedBytes.Add(-j.bytes())
		rt.metrics.queueLen.Set(float64(len(rt.queue)))
		rt.process(j)
		rt.pendingAdd(-1)
	}
}

// process runs one comparison: the copy to the other side, a second call to the primary when noise
// is learned, then the comparison and its records. It has its own deadline (shadow.timeout).
func (rt *Router) process(j *job) {
	sh := j.t.cfg.Shadow
	ctx, cancel := context.WithTimeout(rt.shadowCtx, sh.Timeout)
	defer cancel()
	if j.trace.IsValid() {
		// The request's span has usually ended by now; its id still parents the copy's.
		ctx = trace.ContextWithSpanContext(ctx, j.trace)
	}
	other := j.primary.Other()
	copyAns, err := rt.send(ctx, j.t.sides[other], j, "copy", sh.MaxBody)
	if err != nil {
		o := outError
		if errors.Is(err, context.DeadlineExceeded) {
			o = outTimeout
		}
		if errors.Is(err, errTooLarge) {
			o = outTooLarge
		}
		rt.log.Debug("shadow copy failed", slog.String("route", j.rule.Name), slog.String("side", string(other)),
			slog.String("request_id", j.reqID), slog.String("error", err.Error()))
		rt.outcome(j.rule.Name, o)
		return
	}
	var again *answer
	if j.learn {
		if a, err := rt.send(ctx, j.t.sides[j.primary], j, "noise", sh.MaxBody); err == nil {
			again = a
		}
	}
	rt.compare(j, copyAns, again)
}

var errTooLarge = errors.New("answer over shadow.max_body")

// hopHeaders are not forwarded (RFC 9110 7.6.1), as ReverseProxy does for the primary.
var hopHeaders = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

func (rt *Router) send(ctx context.Context, s *side, j *job, kind string, limit int64) (*answer, error) {
	inst := s.pick(rt.clock.Now())
	u := *inst.url
	target := strings.TrimSuffix(u.Path, "/") + j.uri
	req, err := http.NewRequestWithContext(ctx, j.method, u.Scheme+"://"+u.Host+target, bytes.NewReader(j.reqBody))
	if err != nil {
		return nil, err
	}
	if len(j.reqBody) == 0 {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	req.Header = j.header.Clone()
	for _, h := range hopHeaders {
		req.Header.Del(h)
	}
	req.Header.Set("X-Forwarded-For", j.xff)
	if j.reqID != "" {
		req.Header.Set("X-Request-ID", j.reqID)
	}
	req.Header.Set("X-Cutover-Shadow", kind)
	resp, err := rt.base.RoundTrip(req)
	if err != nil {
		if isDialError(err) {
			inst.ejectEnd.Store(rt.clock.Now().Add(s.eject).UnixNano())
		}
		return nil, err
	}
	defer resp.Body.Close()
	if resp.ContentLength > limit {
		return nil, errTooLarge
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, errTooLarge
	}
	return &answer{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// decoded is the body without its Content-Encoding (gzip), bounded by limit.
func (a *answer) decoded(limit int64) ([]byte, bool) {
	switch strings.ToLower(a.header.Get("Content-Encoding")) {
	case "", "identity":
		return a.body, true
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(a.body))
		if err != nil {
			return nil, false
		}
		b, err := io.ReadAll(io.LimitReader(zr, limit+1))
		if err != nil || int64(len(b)) > limit {
			return nil, false
		}
		return b, true
	}
	return nil, false
}
