// Package proxy is the cut-over router: a reverse proxy (net/http/httputil.ReverseProxy) in front of a
// service's legacy and new backends that sends each request where the route table in force says
// (config.Config), copies safe requests of shadow routes to the other side off the request path and
// compares the answers, holds writes during a database move, and can be given a new table at any
// moment (Apply) without touching a connection.
package proxy

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/momentum-cohortly/backends/internal/cutover/config"
	"github.com/momentum-cohortly/backends/internal/cutover/difflog"
	"github.com/momentum-cohortly/backends/internal/cutover/route"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
	"github.com/momentum-cohortly/backends/internal/platform/tracing"
)

// Deps are the router's collaborators.
type Deps struct {
	Logger   *slog.Logger
	Clock    clock.Clock          // ejection windows and record times
	Registry *prometheus.Registry // the router's own metrics
	// Transport carries every leg to the backends (default: a pooled http.Transport).
	Transport http.RoundTripper
	// DiffLog receives diff and stats records (nil: none).
	DiffLog *difflog.Writer
	// Run identifies this process in the diff log.
	Run string
	// Tracing gives requests a server span and each leg (primary, shadow copy) a client span that
	// the backends continue (they get the traceparent); nil: none.
	Tracing *tracing.Tracing
	// AccessLog, when set, gets one line per proxied request: route, target, status, duration.
	AccessLog *slog.Logger
}

// Router is the cut-over router. Create it with New, serve Handler, stop it with Close.
type Router struct {
	log     *slog.Logger
	clock   clock.Clock
	tracing *tracing.Tracing
	access  *slog.Logger
	base    http.RoundTripper
	difflog *difflog.Writer
	run     string
	metrics *metrics
	stats   *stats
	noise   *learned
	bufs    *bufferPool

	metricsHandler http.Handler

	table atomic.Pointer[table]

	queue       chan *job
	queuedBytes atomic.Int64 // bodies held by queued jobs
	workers     int
	closing     chan struct{}
	closed      atomic.Bool
	wg          sync.WaitGroup
	sendMu      sync.RWMutex // held for reading while enqueueing, for writing while closing the queue

	shadowCtx    context.Context // parent of every shadow copy; cancelled when Close gives up waiting
	cancelShadow context.CancelFunc

	idleMu   sync.Mutex
	idleCond *sync.Cond
	pending  int

	statsMu   sync.Mutex
	lastStats []byte // the counters of the last stats line

	statsStop chan struct{}
	statsDone chan struct{}
}

// table is one configuration in force with the proxies built for it.
type table struct {
	cfg    *config.Config
	sides  map[route.Side]*side
	loaded time.Time
}

// New builds a router for cfg. The shadow queue, its workers and the diff log are fixed for the
// router's life; everything else can change with Apply.
func New(cfg *config.Config, d Deps) (*Router, error) {
	if d.Logger == nil || d.Registry == nil {
		return nil, errors.New("proxy: Logger and Registry are required")
	}
	if d.Clock == nil {
		d.Clock = clock.System()
	}
	if d.Transport == nil {
		d.Transport = NewTransport()
	}
	rt := &Router{
		log: d.Logger, clock: d.Clock, tracing: d.Tracing, access: d.AccessLog, base: d.Tracing.PropagatingTransport(d.Transport, legSpanName), difflog: d.DiffLog, run: d.Run,
		metrics: newMetrics(d.Registry), stats: newStats(), noise: newLearned(), bufs: newBufferPool(),
		queue: make(chan *job, cfg.Shadow.Queue), workers: cfg.Shadow.Workers, closing: make(chan struct{}),
		statsStop: make(chan struct{}), statsDone: make(chan struct{}),
	}
	rt.metricsHandler = httpx.MetricsHandler(d.Registry)
	rt.idleCond = sync.NewCond(&rt.idleMu)
	rt.shadowCtx, rt.cancelShadow = context.WithCancel(context.Background())
	rt.metrics.queueCap.Set(float64(cfg.Shadow.Queue))
	if err := rt.Apply(cfg); err != nil {
		return nil, err
	}
	for i := 0; i < rt.workers; i++ {
		rt.wg.Add(1)
		go rt.worker()
	}
	go rt.statsLoop(cfg.DiffLog.StatsEvery)
	return rt, nil
}

// NewTransport is the transport the router uses by default: keep-alive pools sized for a proxy (the
// default of two idle connections per host would make every burst dial anew).
func NewTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 nil, // the backends are reached directly, whatever HTTP_PROXY says
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     false,
	}
}

// Apply puts cfg in force for every request that starts from now on; requests in flight finish
// with the table they started with. Settings fixed at start (listeners, shadow queue and workers,
// diff log) are logged when they differ, and kept.
func (rt *Router) Apply(cfg *config.Config) error {
	t := &table{cfg: cfg, sides: map[route.Side]*side{}, loaded: rt.clock.Now()}
	for _, s := range []route.Side{route.Legacy, route.New} {
		b, ok := cfg.Backends[s]
		if !ok {
			return fmt.Errorf("proxy: no %s backend", s)
		}
		t.sides[s] = rt.newSide(s, b)
	}
	old := rt.table.Swap(t)
	rt.metrics.rules.Set(float64(len(cfg.Rules)))
	if old != nil {
		for _, k := range fixedChanges(old.cfg, cfg) {
			rt.log.Warn("config reload: setting needs a restart, the running value is kept", slog.String("setting", k))
		}
	}
	return nil
}

func fixedChanges(a, b *config.Config) []string {
	var out []string
	if a.Listen != b.Listen {
		out = append(out, "listen")
	}
	if a.AdminListen != b.AdminListen {
		out = append(out, "admin_listen")
	}
	if a.Shadow.Queue != b.Shadow.Queue {
		out = append(out, "shadow.queue")
	}
	if a.Shadow.Workers != b.Shadow.Workers {
		out = append(out, "shadow.workers")
	}
	if a.DiffLog != b.DiffLog {
		out = append(out, "difflog")
	}
	return out
}

// Config returns the configuration in force.
func (rt *Router) Config() *config.Config { return rt.table.Load().cfg }

// ---- backends ----

type side struct {
	name      route.Side
	instances []*instance
	next      atomic.Uint64
	proxy     *httputil.ReverseProxy
	health    string
	eject     time.Duration
}

type instance struct {
	url      *url.URL
	ejectEnd atomic.Int64 // unix nanoseconds (router clock) until which the instance is left out
}

func (rt *Router) newSide(name route.Side, b config.Backend) *side {
	s := &side{name: name, health: b.Health, eject: b.Eject}
	for _, u := range b.URLs {
		s.instances = append(s.instances, &instance{url: u})
	}
	s.proxy = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			l := legFrom(pr.In.Context())
			inst := s.pick(rt.clock.Now())
			l.inst = inst
			pr.SetURL(inst.url)
			// Append to the client's chain rather than replace it: the backends decide how much of it
			// to trust (TRUST_PROXY), as they did behind their own load balancer.
			pr.Out.Header["X-Forwarded-For"] = pr.In.Header["X-Forwarded-For"]
			pr.SetXForwarded()
			if id := httpx.RequestIDFrom(pr.In.Context()); id != "" {
				pr.Out.Header.Set("X-Request-ID", id)
			}
		},
		Transport:      &legTransport{rt: rt, side: s},
		ModifyResponse: rt.modifyResponse,
		ErrorHandler:   rt.proxyError,
		BufferPool:     rt.bufs,
		ErrorLog:       slog.NewLogLogger(rt.log.Handler(), slog.LevelWarn),
	}
	return s
}

// legSpanName names a leg's client span: "primary" for the request's own, "shadow copy" (the other
// side) and "shadow noise" (the primary again) for the comparison's, which the shadow code marks.
func legSpanName(r *http.Request) string {
	if kind := r.Header.Get("X-Cutover-Shadow"); kind != "" {
		return "shadow " + kind
	}
	return "primary"
}

// pick returns the next instance in turn that is not ejected (any, when all are).
func (s *side) pick(now time.Time) *instance {
	n := uint64(len(s.instances))
	start := s.next.Add(1) - 1
	for i := uint64(0); i < n; i++ {
		inst := s.instances[(start+i)%n]
		if inst.ejectEnd.Load() <= now.UnixNano() {
			return inst
		}
	}
	return s.instances[start%n]
}

// legTransport times the upstream leg and, when an instance refuses the connection, leaves it out of
// the rotation for a while and retries a request without a body on another instance (a refused dial
// sent nothing, so nothing can happen twice).
type legTransport struct {
	rt   *Router
	side *side
}

func (lt *legTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	l := legFrom(req.Context())
	start := time.Now()
	resp, err := lt.rt.base.RoundTrip(req)
	for tries := 1; err != nil && isDialError(err) && tries < len(lt.side.instances); tries++ {
		now := lt.rt.clock.Now()
		if l.inst != nil {
			l.inst.ejectEnd.Store(now.Add(lt.side.eject).UnixNano())
			lt.rt.log.Warn("backend instance refused a connection: left out of the rotation",
				slog.String("side", string(lt.side.name)), slog.String("url", l.inst.url.String()),
				slog.Duration("for", lt.side.eject), slog.String("error", err.Error()))
		}
		if req.Body != nil && req.Body != http.NoBody {
			break
		}
		next := lt.side.pick(now)
		if next == l.inst {
			break
		}
		l.inst = next
		req = req.Clone(req.Context())
		req.URL.Scheme, req.URL.Host = next.url.Scheme, next.url.Host
		resp, err = lt.rt.base.RoundTrip(req)
	}
	if err != nil && isDialError(err) && l.inst != nil {
		l.inst.ejectEnd.Store(lt.rt.clock.Now().Add(lt.side.eject).UnixNano())
	}
	l.upstream = time.Since(start)
	lt.rt.metrics.upstream.WithLabelValues(string(lt.side.name)).Observe(l.upstream.Seconds())
	return resp, err
}

func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// ---- the request path ----

// leg is what one request's trip through a ReverseProxy needs to remember.
type leg struct {
	start    time.Time
	upstream time.Duration
	inst     *instance
	rule     *config.Rule
	table    *table
	capture  *capture // shadow routes only
}

type legKey struct{}

func legFrom(ctx context.Context) *leg {
	l, _ := ctx.Value(legKey{}).(*leg)
	if l == nil {
		return &leg{}
	}
	return l
}

// Handler returns the router's HTTP handler: its own endpoints (unless served on an admin listener)
// and the proxy. The router's endpoints are matched exactly, so every other path goes to the
// backends as sent (no ServeMux in front that would clean or redirect it).
func (rt *Router) Handler(withAdmin bool) http.Handler {
	admin := rt.AdminHandler()
	proxy := httpx.Chain(rt, rt.tracing.Server(), httpx.RequestID(),
		httpx.Recover(rt.log, func(w http.ResponseWriter, r *http.Request) {
			httpx.WriteJSON(w, http.StatusInternalServerError, map[string]string{"error": "Internal server error"})
		}))
	if !withAdmin {
		return proxy
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAdminPath(r.URL.Path) {
			admin.ServeHTTP(w, r)
			return
		}
		proxy.ServeHTTP(w, r)
	})
}

// ServeHTTP routes one request (the request id middleware runs first, see Handler).
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	t := rt.table.Load()
	authz := r.Header.Get("Authorization")
	rule := t.cfg.MatchClaims(r.Method, r.URL.EscapedPath(), func(claim string) bool {
		_, ok := tokenClaim(authz, []string{claim})
		return ok
	})
	if rt.access != nil {
		sw := &statusWriter{StatusWriter: &httpx.StatusWriter{ResponseWriter: w}}
		w = sw
		defer func() { rt.logAccess(r, rule, sw, start) }()
	}
	if rt.tracing != nil {
		nameSpan(r, rule)
	}
	rs := rt.stats.route(rule.Name)
	switch rule.Target.Kind {
	case route.KindHold:
		rt.hold(w, r, t, rule)
		rs.request("hold")
		rt.metrics.requests.WithLabelValues(rule.Name, "hold").Inc()
		return
	case route.KindServe:
		rt.forward(w, r, t, rule, rule.Target.Side, nil, start)
	case route.KindSplit:
		rt.forward(w, r, t, rule, rt.splitSide(r, t, rule), nil, start)
	case route.KindShadow:
		rt.forward(w, r, t, rule, rule.Target.Side, rt.newCapture(r, t, rule), start)
	}
}

func (rt *Router) forward(w http.ResponseWriter, r *http.Request, t *table, rule *config.Rule, s route.Side, c *capture, start time.Time) {
	if sw, ok := w.(*statusWriter); ok {
		sw.target = string(s)
	}
	l := &leg{start: start, rule: rule, table: t, capture: c}
	rt.stats.route(rule.Name).request(string(s))
	rt.metrics.requests.WithLabelValues(rule.Name, string(s)).Inc()
	t.sides[s].proxy.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), legKey{}, l)))
}

// modifyResponse runs when the backend's headers are in: the router's own time so far is the added
// latency; shadow routes start capturing the body here.
func (rt *Router) modifyResponse(resp *http.Response) error {
	l := legFrom(resp.Request.Context())
	if !l.start.IsZero() {
		rt.metrics.added.Observe(max(time.Since(l.start)-l.upstream, 0).Seconds())
	}
	// The router already set the request id header for the client.
	resp.Header.Del("X-Request-ID")
	if l.capture != nil {
		l.capture.response(resp)
	}
	return nil
}

// proxyError answers when the backend could not be reached or failed mid-way: a 502 in the
// service's envelope (the router is a gateway; the client's error handling reads the same keys).
func (rt *Router) proxyError(w http.ResponseWriter, r *http.Request, err error) {
	l := legFrom(r.Context())
	if l.capture != nil {
		l.capture.abandon("primary_error")
	}
	if r.Context().Err() != nil {
		return // the client went away: nobody reads an answer
	}
	side := ""
	if l.inst != nil {
		side = l.inst.url.String()
	}
	rt.log.WarnContext(r.Context(), "backend request failed", slog.String("error", err.Error()), slog.String("backend", side),
		slog.String("route", l.ruleName()), slog.String("request_id", httpx.RequestIDFrom(r.Context())))
	rt.metrics.backendErrors.WithLabelValues(l.ruleName()).Inc()
	var env config.Envelope
	if l.table != nil {
		env = l.table.cfg.Envelope(r.Method, r.URL.EscapedPath())
	}
	writeEnvelope(w, r, http.StatusBadGateway, env, 0)
}

func (rt *Router) hold(w http.ResponseWriter, r *http.Request, t *table, rule *config.Rule) {
	writeEnvelope(w, r, http.StatusServiceUnavailable, t.cfg.Envelope(r.Method, r.URL.EscapedPath()), rule.RetryAfter)
}

func writeEnvelope(w http.ResponseWriter, r *http.Request, status int, env config.Envelope, retryAfter time.Duration) {
	h := w.Header()
	if env.ContentType == "" {
		env.ContentType, env.Body = "application/json; charset=utf-8", []byte(`{"error":"Service temporarily unavailable"}`)
	}
	h.Set("Content-Type", env.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(env.Body)))
	h.Set("Cache-Control", "no-store")
	if retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int((retryAfter+time.Second-1)/time.Second)))
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(env.Body)
	}
}

func (l *leg) ruleName() string {
	if l.rule == nil {
		return ""
	}
	return l.rule.Name
}

// ---- split ----

// splitSide sends a stable share of callers to the rule's side: the same caller (JWT subject, else
// client address) always lands in the same bucket, and a larger share only moves callers from the
// other side to this one, never back.
func (rt *Router) splitSide(r *http.Request, t *table, rule *config.Rule) route.Side {
	if Bucket(SplitKey(r, t.cfg.SplitClaims, t.cfg.TrustProxy)) < rule.Target.Share {
		return rule.Target.Side
	}
	return rule.Target.Side.Other()
}

// Bucket maps a key to 0..9999.
func Bucket(key string) int {
	h := fnv.New64a()
	_, _ = h.Write([]byte(key))
	return int(h.Sum64() % 10000)
}

// SplitKey is the caller's stable key: the first of claims present in the bearer token's payload
// (read without verifying it: the backends verify, and a forged token only chooses which backend
// refuses it), else the client address.
func SplitKey(r *http.Request, claims []string, tp httpx.TrustedProxies) string {
	if v, ok := tokenClaim(r.Header.Get("Authorization"), claims); ok {
		return "jwt:" + v
	}
	return "ip:" + tp.ClientIP(r)
}

func isAdminPath(p string) bool {
	switch p {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	return strings.HasPrefix(p, "/cutover/")
}

// Reload reads a configuration with load and puts it in force. A configuration that does not load
// is refused with a log line saying why, and the table in force stays.
func (rt *Router) Reload(load func() (*config.Config, error)) error {
	cfg, err := load()
	if err == nil {
		err = rt.Apply(cfg)
	}
	if err != nil {
		rt.metrics.reloads.WithLabelValues("refused").Inc()
		old := rt.table.Load().cfg
		rt.log.Error("config reload refused: the table in force is kept", slog.String("error", err.Error()),
			slog.String("in_force_sha256", old.SHA256))
		return err
	}
	rt.metrics.reloads.WithLabelValues("applied").Inc()
	rt.log.Info("config reloaded", slog.String("source", cfg.Source), slog.String("sha256", cfg.SHA256),
		slog.Int("rules", len(cfg.Rules)), slog.String("default", cfg.Default.Target.String()))
	return nil
}

// nameSpan names the request's span after the rule that routes it ("GET /api/v1/leads/") and
// records the rule and its target.
func nameSpan(r *http.Request, rule *config.Rule) {
	span := trace.SpanFromContext(r.Context())
	if !span.IsRecording() {
		return
	}
	span.SetName(r.Method + " " + tracing.RouteOf(rule.Name))
	span.SetAttributes(attribute.String("cutover.rule", rule.Name), attribute.String("cutover.target", rule.Target.String()))
}

// statusWriter is the platform's status recorder plus the side the request went to, for the access log.
type statusWriter struct {
	*httpx.StatusWriter
	target string
}

func (rt *Router) logAccess(r *http.Request, rule *config.Rule, sw *statusWriter, start time.Time) {
	target := sw.target
	if rule.Target.Kind == route.KindHold {
		target = "hold"
	}
	rt.access.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("route", rule.Name),
		slog.String("target", target), slog.Int("status", sw.Status()),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		slog.String("request_id", httpx.RequestIDFrom(r.Context())))
}
