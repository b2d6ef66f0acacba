package tracing

import (
	"net/http"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	noopmetric "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
)

// probes are the paths of load balancers and scrapers: answered every few seconds by every instance,
// they would drown the traces people look for, so they get no span.
var probes = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// Server returns the middleware that gives every request its server span (semantic-convention
// attributes, status from the response code, the caller's traceparent as parent). Put it outside the
// request id and access log middlewares, so their log lines carry the trace id, and inside DrainBody,
// which must see the server's own request body. Off, it returns its handler unchanged.
func (t *Tracing) Server() func(http.Handler) http.Handler {
	if t == nil {
		return func(next http.Handler) http.Handler { return next }
	}
	return otelhttp.NewMiddleware("",
		otelhttp.WithTracerProvider(t.provider),
		otelhttp.WithPropagators(t.prop),
		// Request metrics are Prometheus's (httpx.Metrics): none are made twice.
		otelhttp.WithMeterProvider(noopmetric.NewMeterProvider()),
		otelhttp.WithFilter(func(r *http.Request) bool { return !probes[r.URL.Path] }),
	)
}

// Routes wraps the ServeMux so the request span is named after the route pattern the mux matched
// ("GET /api/v1/leads/{id}") and carries it as http.route. It must wrap the mux directly, or sit
// behind middlewares that pass the mux's *http.Request through unchanged: the mux records the
// pattern in the request it is given. The catch-all "/" of an unknown path is no route: such spans
// keep the bare method as their name. Off, it returns mux unchanged.
func (t *Tracing) Routes(mux http.Handler) http.Handler {
	if t == nil {
		return mux
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		route := RouteOf(r.Pattern)
		if route == "" || route == "/" && r.URL.Path != "/" {
			return
		}
		span := trace.SpanFromContext(r.Context())
		if !span.IsRecording() {
			return
		}
		span.SetName(r.Method + " " + route)
		span.SetAttributes(semconv.HTTPRoute(route))
	})
}

// RouteOf is the path template of a ServeMux pattern ("GET example.com/a/{id}" -> "/a/{id}").
func RouteOf(pattern string) string {
	if i := strings.IndexAny(pattern, " \t"); i >= 0 {
		pattern = strings.TrimLeft(pattern[i:], " \t")
	}
	if i := strings.IndexByte(pattern, '/'); i > 0 {
		pattern = pattern[i:]
	}
	return pattern
}

// PropagatingTransport is Transport for calls to services of ours (the cut-over router's legs): they
// get the traceparent, so their spans join the caller's trace. name names each span (nil: "METHOD
// host").
func (t *Tracing) PropagatingTransport(base http.RoundTripper, name func(*http.Request) string) http.RoundTripper {
	if t == nil {
		return base
	}
	return t.transport(base, t.prop, name)
}

// Transport returns base (nil: http.DefaultTransport) with a client span around every request made
// within a trace (InTrace), named "METHOD host". Third parties (Twilio, OpenAI, Facebook, SendGrid)
// are not sent our trace context: they take no part in our traces, and the ids are ours. Off, it
// returns base unchanged.
func (t *Tracing) Transport(base http.RoundTripper) http.RoundTripper {
	return t.transport(base, propagation.NewCompositeTextMapPropagator(), nil)
}

func hostSpanName(r *http.Request) string { return r.Method + " " + r.URL.Host }

func (t *Tracing) transport(base http.RoundTripper, prop propagation.TextMapPropagator, name func(*http.Request) string) http.RoundTripper {
	if t == nil {
		return base
	}
	if base == nil {
		base = http.DefaultTransport
	}
	if name == nil {
		name = hostSpanName
	}
	return otelhttp.NewTransport(base,
		otelhttp.WithTracerProvider(t.provider),
		otelhttp.WithPropagators(prop),
		otelhttp.WithMeterProvider(noopmetric.NewMeterProvider()),
		otelhttp.WithFilter(func(r *http.Request) bool { return InTrace(r.Context()) }),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return name(r) }),
	)
}

// Client returns a copy of hc whose transport is wrapped by Transport; off, hc itself.
func (t *Tracing) Client(hc *http.Client) *http.Client {
	if t == nil {
		return hc
	}
	c := *hc
	c.Transport = t.Transport(c.Transport)
	return &c
}
