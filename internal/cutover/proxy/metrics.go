package proxy

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// maxPathLabels bounds the distinct diff-path label values per route; later paths count as "other".
// Route labels are rule names, bounded by the configuration.
const maxPathLabels = 50

type metrics struct {
	requests      *prometheus.CounterVec
	shadow        *prometheus.CounterVec
	dropped       prometheus.Counter
	diffs         *prometheus.CounterVec
	suppressed    *prometheus.CounterVec
	added         prometheus.Histogram
	upstream      *prometheus.HistogramVec
	queueLen      prometheus.Gauge
	queueCap      prometheus.Gauge
	rules         prometheus.Gauge
	reloads       *prometheus.CounterVec
	backendErrors *prometheus.CounterVec

	mu    sync.Mutex
	paths map[string]map[string]bool
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cutover_requests_total", Help: "Requests by route (rule name) and the target that answered (legacy, new, hold).",
		}, []string{"route", "target"}),
		shadow: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cutover_shadow_total", Help: "Shadow copies by route and outcome: compared (then match or diff), dropped, unsafe, too_large, incomplete, primary_error, error, timeout, closing, upgrade.",
		}, []string{"route", "outcome"}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cutover_shadow_dropped_total", Help: "Shadow copies dropped because the queue was full.",
		}),
		diffs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cutover_diffs_total", Help: "Comparisons that differed, by route and JSON path (array indices as [*]; at most 50 paths per route, then \"other\").",
		}, []string{"route", "path"}),
		suppressed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cutover_noise_suppressed_total", Help: "Differing paths left out as noise (declared or learned), by route.",
		}, []string{"route"}),
		added: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "cutover_added_latency_seconds", Help: "Time the router adds before a backend's answer reaches the client (its own time up to the response headers, without the backend's).",
			Buckets: []float64{.00002, .00005, .0001, .0002, .0005, .001, .002, .005, .01, .05},
		}),
		upstream: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "cutover_upstream_seconds", Help: "Backend time to response headers, by side.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"side"}),
		queueLen: prometheus.NewGauge(prometheus.GaugeOpts{Name: "cutover_shadow_queue_length", Help: "Shadow jobs waiting for a worker."}),
		queueCap: prometheus.NewGauge(prometheus.GaugeOpts{Name: "cutover_shadow_queue_capacity", Help: "Size of the shadow queue."}),
		rules:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "cutover_rules", Help: "Rules in the route table in force."}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cutover_config_reloads_total", Help: "Configuration reloads by result (applied, refused).",
		}, []string{"result"}),
		backendErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cutover_backend_errors_total", Help: "Requests answered 502 because the backend could not be reached or failed, by route.",
		}, []string{"route"}),
		paths: map[string]map[string]bool{},
	}
	reg.MustRegister(m.requests, m.shadow, m.dropped, m.diffs, m.suppressed, m.added, m.upstream, m.queueLen,
		m.queueCap, m.rules, m.reloads, m.backendErrors,
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), collectors.NewGoCollector())
	return m
}

// pathLabel bounds the path label set of a route.
func (m *metrics) pathLabel(routeName, path string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	seen := m.paths[routeName]
	if seen == nil {
		seen = map[string]bool{}
		m.paths[routeName] = seen
	}
	if seen[path] {
		return path
	}
	if len(seen) >= maxPathLabels || len(path) > 200 {
		return "other"
	}
	seen[path] = true
	return path
}

// bufferPool lends ReverseProxy its copy buffers (32 KiB each) instead of allocating one per request.
type bufferPool struct{ p sync.Pool }

func newBufferPool() *bufferPool {
	return &bufferPool{p: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}
}

func (b *bufferPool) Get() []byte  { return *(b.p.Get().(*[]byte)) }
func (b *bufferPool) Put(x []byte) { b.p.Put(&x) }
