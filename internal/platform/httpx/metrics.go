package httpx

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the HTTP metrics of one service, registered on a registry the service owns.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inflight prometheus.Gauge
}

// NewMetrics registers the HTTP, process and Go runtime metrics on reg.
func NewMetrics(reg *prometheus.Registry, service string) *Metrics {
	labels := prometheus.Labels{"service": service}
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total", Help: "HTTP requests by route pattern, method and status.", ConstLabels: labels,
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "http_request_duration_seconds", Help: "HTTP request latency by route pattern.", ConstLabels: labels,
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "http_requests_in_flight", Help: "HTTP requests being served.", ConstLabels: labels,
		}),
	}
	reg.MustRegister(m.requests, m.duration, m.inflight,
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewGoCollector())
	return m
}

// Middleware records every request. It must wrap the ServeMux directly (no middleware in between that
// replaces the *http.Request), because the mux writes the matched pattern into the request it is given;
// the pattern, not the raw path, is the route label, so ids in paths cannot explode the label set.
func (m *Metrics) Middleware() Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			m.inflight.Inc()
			sw := Observe(w)
			defer func() {
				m.inflight.Dec()
				route := r.Pattern
				if route == "" {
					route = "unmatched"
				}
				m.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.Status())).Inc()
				m.duration.WithLabelValues(route, r.Method).Observe(time.Since(start).Seconds())
			}()
			next.ServeHTTP(sw, r)
		})
	}
}

// MetricsHandler serves reg in the Prometheus text format.
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
}
