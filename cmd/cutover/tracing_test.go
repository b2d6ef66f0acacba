package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/proctest"
	"github.com/momentum-cohortly/backends/internal/platform/tracing/otlptest"
)

// traceBackend answers with its name and records the traceparent of every request.
type traceBackend struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func newTraceBackend(t *testing.T, name string) *traceBackend {
	b := &traceBackend{}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/drop" {
			panic(http.ErrAbortHandler) // the connection closes without an answer
		}
		b.mu.Lock()
		b.seen = append(b.seen, r.Header.Get("traceparent"))
		b.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"side":%q}`, name)
	}))
	t.Cleanup(b.Close)
	return b
}

func (b *traceBackend) traceparents() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.seen...)
}

// TestTracingLegs runs the router on a shadow route with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a
// receiver in the test: the request's span (the caller's traceparent as parent) has a client child
// per leg (primary, shadow copy, shadow noise), and each backend got a traceparent naming its leg,
// so the backends' own spans join the trace.
func TestTracingLegs(t *testing.T) {
	t.Parallel()
	rcv := otlptest.Start(t)
	legacy, newB := newTraceBackend(t, "legacy"), newTraceBackend(t, "new")
	path := filepath.Join(t.TempDir(), "cutover.yaml")
	body := fmt.Sprintf("listen: 127.0.0.1:0\nbackends:\n  legacy: {urls: [%s]}\n  new: {urls: [%s]}\ndefault: shadow legacy\nroutes:\n  - /api/ -> shadow legacy\n", legacy.URL, newB.URL)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": rcv.URL}
	logs := proctest.NewReadyLog("cutover listening")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-config", path, "-difflog", "-"}, func(k string) string { return env[k] }, logs, logs, nil)
	}()
	var addr string
	select {
	case addr = <-logs.Ready:
	case code := <-done:
		t.Fatalf("exit %d:\n%s", code, logs)
	case <-time.After(30 * time.Second):
		t.Fatalf("not listening:\n%s", logs)
	}

	const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/things", nil)
	req.Header.Set("traceparent", "00-"+traceID+"-"+parentID+"-01")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(got), "legacy") {
		t.Fatalf("answer %q: want the legacy side's", got)
	}
	// A failing backend: the router's warning carries the request's trace id.
	const failingTrace = "0af7651916cd43dd8448eb211c80319c"
	req, _ = http.NewRequest("GET", "http://"+addr+"/api/drop", nil)
	req.Header.Set("traceparent", "00-"+failingTrace+"-"+parentID+"-01")
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("dropped request: %d, want 502", resp.StatusCode)
	}
	// Stopping drains the request and the queued comparison, then exports every span.
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d:\n%s", code, logs)
	}

	tree := rcv.Trace(traceID)
	var root otlptest.Span
	for _, s := range tree {
		if s.Kind == "server" {
			root = s
		}
	}
	if root.ParentSpanID != parentID || root.Service != "cutover" || root.Name != "GET /api/" ||
		root.Attrs["cutover.target"] != "shadow legacy" || root.Attrs["http.response.status_code"] != "200" {
		t.Fatalf("request span %+v\n%s", root, tree)
	}
	legs := map[string]otlptest.Span{}
	for _, s := range tree.Children(root) {
		if s.Kind == "client" {
			legs[s.Name] = s
		}
	}
	// The noise call is the primary asked again (shadow.learn_noise, on by default).
	primary, copied, noise := legs["primary"], legs["shadow copy"], legs["shadow noise"]
	if primary.SpanID == "" || copied.SpanID == "" || noise.SpanID == "" || len(legs) != 3 {
		t.Fatalf("legs under the request: %v\n%s", legs, tree)
	}
	if primary.Attrs["server.port"] != port(legacy.URL) || copied.Attrs["server.port"] != port(newB.URL) {
		t.Errorf("primary went to port %s, copy to %s; want legacy %s, new %s",
			primary.Attrs["server.port"], copied.Attrs["server.port"], port(legacy.URL), port(newB.URL))
	}
	for name, c := range map[string]struct {
		b     *traceBackend
		spans []otlptest.Span
	}{"legacy": {legacy, []otlptest.Span{primary, noise}}, "new": {newB, []otlptest.Span{copied}}} {
		var want []string
		for _, s := range c.spans {
			want = append(want, "00-"+traceID+"-"+s.SpanID+"-01")
		}
		if got := c.b.traceparents(); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s backend got traceparents %q, want %q", name, got, want)
		}
	}
	warned := false
	for _, l := range strings.Split(logs.String(), "\n") {
		warned = warned || strings.Contains(l, "backend request failed") && strings.Contains(l, `"trace_id":"`+failingTrace+`"`)
	}
	if !warned {
		t.Errorf("the failed request's warning lacks its trace id:\n%s", logs)
	}
	failed := rcv.Trace(failingTrace)
	var froot, fleg otlptest.Span
	for _, s := range failed {
		switch s.Kind {
		case "server":
			froot = s
		case "client":
			fleg = s
		}
	}
	if froot.StatusCode != "error" || froot.Attrs["http.response.status_code"] != "502" || fleg.Name != "primary" ||
		fleg.ParentSpanID != froot.SpanID || fleg.StatusCode != "error" {
		t.Errorf("failed request's spans:\n%s", failed)
	}
}

func port(u string) string { return u[strings.LastIndex(u, ":")+1:] }
