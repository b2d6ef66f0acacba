// Package otlptest is an OTLP/HTTP trace receiver for tests: an httptest server that decodes the
// protobuf ExportTraceServiceRequests an exporter sends to /v1/traces and keeps their spans. Point a
// service at it with OTEL_EXPORTER_OTLP_ENDPOINT=Receiver.URL (through the service's configuration),
// flush or shut down the service's tracer provider, then read Spans. Only tests import it.
package otlptest

import (
	"compress/gzip"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/protobuf/proto"
)

// Span is a received span, flattened for assertions.
type Span struct {
	Service      string // the resource's service.name
	TraceID      string // hex
	SpanID       string // hex
	ParentSpanID string // hex, "" for a root
	Name         string
	Kind         string // "server", "client", "internal", ...
	Attrs        map[string]string
	StatusCode   string // "unset", "ok", "error"
	StatusMsg    string
}

// Receiver collects spans.
type Receiver struct {
	// URL is the base URL to give as OTEL_EXPORTER_OTLP_ENDPOINT.
	URL string

	mu       sync.Mutex
	spans    []Span
	requests int
	errs     []error
}

// Start runs a receiver until the test ends. A request it cannot decode fails the test at cleanup.
func Start(t testing.TB) *Receiver {
	r := &Receiver{}
	srv := httptest.NewServer(http.HandlerFunc(r.serve))
	r.URL = srv.URL
	t.Cleanup(func() {
		srv.Close()
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, err := range r.errs {
			t.Errorf("otlptest receiver: %v", err)
		}
	})
	return r
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	err := r.receive(req)
	r.mu.Lock()
	r.requests++
	if err != nil {
		r.errs = append(r.errs, err)
	}
	r.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	out, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(out)
}

func (r *Receiver) receive(req *http.Request) error {
	if req.Method != http.MethodPost || req.URL.Path != "/v1/traces" {
		return fmt.Errorf("%s %s: want POST /v1/traces", req.Method, req.URL.Path)
	}
	if ct := req.Header.Get("Content-Type"); ct != "application/x-protobuf" {
		return fmt.Errorf("content type %q: want application/x-protobuf", ct)
	}
	var body io.Reader = req.Body
	if req.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(req.Body)
		if err != nil {
			return err
		}
		body = zr
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	var msg collectortrace.ExportTraceServiceRequest
	if err := proto.Unmarshal(raw, &msg); err != nil {
		return fmt.Errorf("decode ExportTraceServiceRequest: %w", err)
	}
	var got []Span
	for _, rs := range msg.GetResourceSpans() {
		service := attrs(rs.GetResource().GetAttributes())["service.name"]
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				got = append(got, Span{
					Service:      service,
					TraceID:      hex.EncodeToString(s.GetTraceId()),
					SpanID:       hex.EncodeToString(s.GetSpanId()),
					ParentSpanID: hex.EncodeToString(s.GetParentSpanId()),
					Name:         s.GetName(),
					Kind:         strings.ToLower(strings.TrimPrefix(s.GetKind().String(), "SPAN_KIND_")),
					Attrs:        attrs(s.GetAttributes()),
					StatusCode:   strings.ToLower(strings.TrimPrefix(s.GetStatus().GetCode().String(), "STATUS_CODE_")),
					StatusMsg:    s.GetStatus().GetMessage(),
				})
			}
		}
	}
	r.mu.Lock()
	r.spans = append(r.spans, got...)
	r.mu.Unlock()
	return nil
}

func attrs(kvs []*commonpb.KeyValue) map[string]string {
	m := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		m[kv.GetKey()] = value(kv.GetValue())
	}
	return m
}

func value(v *commonpb.AnyValue) string {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_IntValue:
		return strconv.FormatInt(x.IntValue, 10)
	case *commonpb.AnyValue_BoolValue:
		return strconv.FormatBool(x.BoolValue)
	case *commonpb.AnyValue_DoubleValue:
		return strconv.FormatFloat(x.DoubleValue, 'g', -1, 64)
	default:
		return fmt.Sprint(v.GetValue())
	}
}

// Spans returns every span received so far.
func (r *Receiver) Spans() []Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Span(nil), r.spans...)
}

// Requests is the number of export requests received.
func (r *Receiver) Requests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests
}

// Trace is the spans of one trace.
type Trace []Span

// Trace returns the spans of the trace with the given id.
func (r *Receiver) Trace(traceID string) Trace {
	var out Trace
	for _, s := range r.Spans() {
		if s.TraceID == traceID {
			out = append(out, s)
		}
	}
	return out
}

// Find returns the spans named name (or whose name starts with name when it ends in "*").
func (tr Trace) Find(name string) []Span {
	var out []Span
	for _, s := range tr {
		if s.Name == name || strings.HasSuffix(name, "*") && strings.HasPrefix(s.Name, strings.TrimSuffix(name, "*")) {
			out = append(out, s)
		}
	}
	return out
}

// Children returns the spans whose parent is parent, in name order.
func (tr Trace) Children(parent Span) []Span {
	var out []Span
	for _, s := range tr {
		if s.ParentSpanID == parent.SpanID {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Descendants returns every span below parent.
func (tr Trace) Descendants(parent Span) []Span {
	var out []Span
	for _, c := range tr.Children(parent) {
		out = append(out, c)
		out = append(out, tr.Descendants(c)...)
	}
	return out
}

// String draws the tree, for failure messages.
func (tr Trace) String() string {
	var b strings.Builder
	ids := map[string]bool{}
	for _, s := range tr {
		ids[s.SpanID] = true
	}
	var draw func(s Span, depth int)
	draw = func(s Span, depth int) {
		fmt.Fprintf(&b, "%s%s [%s, status %s] %v\n", strings.Repeat("  ", depth), s.Name, s.Kind, s.StatusCode, s.Attrs)
		for _, c := range tr.Children(s) {
			draw(c, depth+1)
		}
	}
	for _, s := range tr {
		if !ids[s.ParentSpanID] {
			draw(s, 0)
		}
	}
	return b.String()
}

// ServerSpan is the one server span named name, failing the test when there is not exactly one.
func (r *Receiver) ServerSpan(t testing.TB, name string) Span {
	t.Helper()
	var found []Span
	for _, s := range r.Spans() {
		if s.Name == name && s.Kind == "server" {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d server spans named %q; all spans: %+v", len(found), name, r.Spans())
	}
	return found[0]
}

// DBSpans are the database spans of system (db.system.name) below the request span req, at any
// depth (a pgx batch has its queries as grandchildren); each must be a client span without error.
func (r *Receiver) DBSpans(t testing.TB, req Span, system string) []Span {
	t.Helper()
	var out []Span
	for _, s := range r.Trace(req.TraceID).Descendants(req) {
		if s.Attrs["db.system.name"] != system {
			continue
		}
		if s.Kind != "client" || s.StatusCode == "error" {
			t.Errorf("database span %q: kind %s status %s %s", s.Name, s.Kind, s.StatusCode, s.StatusMsg)
		}
		out = append(out, s)
	}
	return out
}
