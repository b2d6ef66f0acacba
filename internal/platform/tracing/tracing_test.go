package tracing_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/momentum-cohortly/backends/internal/platform/tracing"
	"github.com/momentum-cohortly/backends/internal/platform/tracing/otlptest"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// noProcessEnv stands for a process environment without OTEL_* variables, whatever the test
// runner's has.
func noProcessEnv(string) string { return "" }

func newTracing(t *testing.T, kv ...string) *tracing.Tracing {
	t.Helper()
	tr, err := tracing.New(t.Context(), tracing.Config{Service: "svc", Getenv: env(kv...), ProcessEnv: noProcessEnv})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Shutdown(t.Context()) })
	return tr
}

func TestNewIsOffUnlessAskedFor(t *testing.T) {
	cases := map[string][]string{
		"nothing set":           nil,
		"unrelated OTEL_ set":   {"OTEL_SERVICE_NAME", "x", "OTEL_TRACES_SAMPLER", "always_on"},
		"SDK disabled":          {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1", "OTEL_SDK_DISABLED", "true"},
		"exporter none":         {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1", "OTEL_TRACES_EXPORTER", "none"},
		"exporter none (upper)": {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:1", "OTEL_TRACES_EXPORTER", "NONE"},
	}
	for name, kv := range cases {
		tr, err := tracing.New(t.Context(), tracing.Config{Service: "svc", Getenv: env(kv...), ProcessEnv: noProcessEnv})
		if err != nil || tr != nil {
			t.Errorf("%s: New = %v, %v; want nil, nil (tracing off)", name, tr, err)
		}
	}
	for name, kv := range map[string][]string{
		"endpoint":         {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"},
		"traces endpoint":  {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:1/custom"},
		"exporter otlp":    {"OTEL_TRACES_EXPORTER", "otlp"},
		"SDK not disabled": {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1", "OTEL_SDK_DISABLED", "false"},
	} {
		if tr := newTracing(t, kv...); !tr.Enabled() {
			t.Errorf("%s: tracing off", name)
		}
	}
}

func TestNewRefusesWhatItCannotHonour(t *testing.T) {
	cases := map[string][]string{
		"zipkin exporter":   {"OTEL_TRACES_EXPORTER", "zipkin", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"},
		"gRPC protocol":     {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"},
		"JSON protocol":     {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json"},
		"endpoint, no URL":  {"OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"},
		"endpoint, no host": {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http:///v1/traces"},
	}
	for name, kv := range cases {
		if tr, err := tracing.New(t.Context(), tracing.Config{Service: "svc", Getenv: env(kv...), ProcessEnv: noProcessEnv}); err == nil {
			_ = tr.Shutdown(t.Context())
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestEndpointFollowsTheSDKRule(t *testing.T) {
	cases := []struct {
		kv   []string
		want string
	}{
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"}, "http://c:4318/v1/traces"},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "https://c/otlp/"}, "https://c/otlp/v1/traces"},
		{[]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/custom"}, "http://c:4318/custom"},
		{[]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318"}, "http://c:4318/"},
		// The signal-specific variable wins.
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:1", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://b:2/t"}, "http://b:2/t"},
		// Credentials never reach the log.
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "https://u:secret@c"}, "https://c/v1/traces"},
	}
	for _, c := range cases {
		if got := newTracing(t, c.kv...).Endpoint(); got != c.want {
			t.Errorf("%v: endpoint %q, want %q", c.kv, got, c.want)
		}
	}
}

// A variable only the SDK reads, set where the SDK does not look (a .env file), is reported.
func TestWarnsAboutSDKVariablesOutsideTheProcessEnvironment(t *testing.T) {
	tr := newTracing(t, "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1", "OTEL_EXPORTER_OTLP_HEADERS", "api-key=x")
	if w := strings.Join(tr.Warnings(), "\n"); !strings.Contains(w, "OTEL_EXPORTER_OTLP_HEADERS") {
		t.Errorf("warnings %q", w)
	}
	same := func(k string) string { return map[string]string{"OTEL_EXPORTER_OTLP_HEADERS": "api-key=x"}[k] }
	tr, err := tracing.New(t.Context(), tracing.Config{Service: "svc", ProcessEnv: same,
		Getenv: env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1", "OTEL_EXPORTER_OTLP_HEADERS", "api-key=x")})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Shutdown(t.Context())
	if len(tr.Warnings()) != 0 {
		t.Errorf("warned about a variable the SDK reads itself: %q", tr.Warnings())
	}
}

type plainHandler struct{ calls int }

func (h *plainHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.calls++ }

type plainTransport struct{}

func (plainTransport) RoundTrip(*http.Request) (*http.Response, error) { return nil, io.EOF }

// Off, tracing is not in the way at all: every wrapper hands back what it was given, so requests,
// log lines and outbound calls run exactly the code they run without this package.
func TestOffWrapsNothing(t *testing.T) {
	var tr *tracing.Tracing
	h := &plainHandler{}
	if got, ok := tr.Server()(h).(*plainHandler); !ok || got != h {
		t.Error("Server wrapped the handler")
	}
	if got, ok := tr.Routes(h).(*plainHandler); !ok || got != h {
		t.Error("Routes wrapped the handler")
	}
	jh := slog.NewJSONHandler(io.Discard, nil)
	if tr.LogHandler(jh) != slog.Handler(jh) {
		t.Error("LogHandler wrapped the handler")
	}
	var rt http.RoundTripper = plainTransport{}
	if tr.Transport(rt) != rt || tr.PropagatingTransport(rt, nil) != rt {
		t.Error("Transport wrapped the round tripper")
	}
	hc := &http.Client{}
	if tr.Client(hc) != hc {
		t.Error("Client copied the client")
	}
	if tr.Provider() != nil || tr.Enabled() {
		t.Error("a provider when off")
	}
	if err := tr.ForceFlush(t.Context()); err != nil {
		t.Error(err)
	}
	if err := tr.Shutdown(t.Context()); err != nil {
		t.Error(err)
	}
}

// TestRequestSpans drives the middlewares as the services chain them and reads what an OTLP
// collector receives.
func TestRequestSpans(t *testing.T) {
	rcv := otlptest.Start(t)
	tr := newTracing(t, "OTEL_EXPORTER_OTLP_ENDPOINT", rcv.URL, "OTEL_SERVICE_NAME", "renamed")
	var logs bytes.Buffer
	logger := slog.New(tr.LogHandler(slog.NewJSONHandler(&logs, nil)))

	mux := http.NewServeMux()
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		logger.InfoContext(r.Context(), "in handler")
		_, _ = io.WriteString(w, "ok")
	})
	mux.HandleFunc("POST /fail", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	// A middleware between Server and the mux that replaces the request, as the services' do.
	replace := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(w, r.WithContext(r.Context())) })
	}
	h := tr.Server()(replace(tr.Routes(mux)))
	srv := httptest.NewServer(h)
	defer srv.Close()

	const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	req, _ := http.NewRequest("GET", srv.URL+"/things/42", nil)
	req.Header.Set("traceparent", "00-"+traceID+"-"+parentID+"-01")
	do(t, req)
	req, _ = http.NewRequest("POST", srv.URL+"/fail", nil)
	do(t, req)
	req, _ = http.NewRequest("GET", srv.URL+"/healthz", nil)
	do(t, req)
	req, _ = http.NewRequest("GET", srv.URL+"/nowhere", nil)
	do(t, req)
	if err := tr.ForceFlush(t.Context()); err != nil {
		t.Fatal(err)
	}

	spans := rcv.Spans()
	if len(spans) != 3 {
		t.Fatalf("%d spans, want 3 (no span for /healthz): %+v", len(spans), spans)
	}
	byName := map[string]otlptest.Span{}
	for _, s := range spans {
		byName[s.Name] = s
		if s.Kind != "server" || s.Service != "renamed" {
			t.Errorf("span %q: kind %s, service %q", s.Name, s.Kind, s.Service)
		}
	}
	get, ok := byName["GET /things/{id}"]
	if !ok {
		t.Fatalf("no span named after the route: %+v", spans)
	}
	if get.TraceID != traceID || get.ParentSpanID != parentID {
		t.Errorf("traceparent not honoured: trace %s parent %s", get.TraceID, get.ParentSpanID)
	}
	if get.Attrs["http.route"] != "/things/{id}" || get.Attrs["http.response.status_code"] != "200" ||
		get.Attrs["http.request.method"] != "GET" || get.Attrs["url.path"] != "/things/42" || get.StatusCode != "unset" {
		t.Errorf("GET span: %+v", get)
	}
	if fail := byName["POST /fail"]; fail.StatusCode != "error" || fail.Attrs["http.response.status_code"] != "500" || fail.ParentSpanID != "" {
		t.Errorf("POST span: %+v", fail)
	}
	// The catch-all "/" is not a route: the unknown path's span keeps the method as its name.
	if nf, ok := byName["GET"]; !ok || nf.Attrs["http.route"] != "" || nf.Attrs["http.response.status_code"] != "404" {
		t.Errorf("unknown path's span: %+v", byName)
	}

	var rec map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(logs.Bytes()), &rec); err != nil {
		t.Fatalf("log %q: %v", logs.String(), err)
	}
	if rec["trace_id"] != traceID || rec["span_id"] != get.SpanID {
		t.Errorf("log line %v: want trace_id %s span_id %s", rec, traceID, get.SpanID)
	}
}

func do(t *testing.T, req *http.Request) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// Outbound calls get client spans as children of the request; third parties are not sent our trace
// context, our own services are.
func TestOutboundSpans(t *testing.T) {
	rcv := otlptest.Start(t)
	tr := newTracing(t, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", rcv.URL+"/v1/traces")
	var mu sync.Mutex
	var sawTraceparent []string
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		sawTraceparent = append(sawTraceparent, r.Header.Get("traceparent"))
	}))
	defer upstream.Close()
	third := tr.Client(&http.Client{})
	ours := &http.Client{Transport: tr.PropagatingTransport(nil, nil)}

	call := func(c *http.Client, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), "POST", upstream.URL+"/send", strings.NewReader("x"))
		resp, err := c.Do(req)
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
	}
	var later *http.Request // the request, kept for work it leaves running after its answer
	srv := httptest.NewServer(tr.Server()(tr.Routes(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		call(third, r)
		call(ours, r)
		later = r.WithContext(context.WithoutCancel(r.Context()))
	}))))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/", nil)
	do(t, req)
	// The server span ended before the answer went out; a call made afterwards in the request's
	// context (a welcome email) still belongs to its trace.
	call(third, later)
	// Outside any request: no span at all.
	req, _ = http.NewRequest("POST", upstream.URL+"/bg", nil)
	if resp, err := third.Do(req); err == nil {
		resp.Body.Close()
	}
	if err := tr.ForceFlush(t.Context()); err != nil {
		t.Fatal(err)
	}
	spans := rcv.Spans()
	if len(spans) != 4 {
		t.Fatalf("%d spans, want the request and its three calls: %+v", len(spans), spans)
	}
	tree := rcv.Trace(spans[0].TraceID)
	var root otlptest.Span
	for _, s := range tree {
		if s.Kind == "server" {
			root = s
		}
	}
	kids := tree.Children(root)
	host := strings.TrimPrefix(upstream.URL, "http://")
	if len(kids) != 3 || kids[0].Name != "POST "+host || kids[0].Kind != "client" || kids[0].Attrs["http.response.status_code"] != "200" {
		t.Fatalf("children of the request: %+v\n%s", kids, tree)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sawTraceparent) != 4 || sawTraceparent[0] != "" || !strings.Contains(sawTraceparent[1], root.TraceID) || sawTraceparent[2] != "" || sawTraceparent[3] != "" {
		t.Errorf("traceparent sent: %q (want none to third parties, ours with trace %s)", sawTraceparent, root.TraceID)
	}
}

func TestRouteOf(t *testing.T) {
	for pattern, want := range map[string]string{
		"GET /api/v1/leads":           "/api/v1/leads",
		"PUT /a/{id}":                 "/a/{id}",
		"/":                           "/",
		"GET example.com/x/{rest...}": "/x/{rest...}",
		"example.com/x":               "/x",
		"":                            "",
		"GET  /two-spaces":            "/two-spaces",
	} {
		if got := tracing.RouteOf(pattern); got != want {
			t.Errorf("RouteOf(%q) = %q, want %q", pattern, got, want)
		}
	}
}
