package proxy_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/momentum-cohortly/backends/internal/cutover/config"
	"github.com/momentum-cohortly/backends/internal/cutover/difflog"
	"github.com/momentum-cohortly/backends/internal/cutover/proxy"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// backend is a fake service side: it answers with handler and records what it got.
type backend struct {
	*httptest.Server
	name string

	mu      sync.Mutex
	hits    map[string]int // "METHOD /path?query"
	bodies  map[string][]string
	headers []http.Header
	handler http.HandlerFunc
}

func newBackend(t *testing.T, name string, h http.HandlerFunc) *backend {
	t.Helper()
	b := &backend{name: name, hits: map[string]int{}, bodies: map[string][]string{}, handler: h}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		key := r.Method + " " + r.URL.RequestURI()
		b.mu.Lock()
		b.hits[key]++
		b.bodies[key] = append(b.bodies[key], string(body))
		b.headers = append(b.headers, r.Header.Clone())
		h := b.handler
		b.mu.Unlock()
		if h == nil {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			fmt.Fprintf(w, `{"side":%q,"path":%q}`, name, r.URL.Path)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h(w, r)
	}))
	t.Cleanup(b.Close)
	return b
}

func (b *backend) count(key string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.hits[key]
}

func (b *backend) total() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, v := range b.hits {
		n += v
	}
	return n
}

func (b *backend) lastHeader() http.Header {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.headers[len(b.headers)-1]
}

type env struct {
	router  *proxy.Router
	srv     *httptest.Server
	reg     *prometheus.Registry
	difflog string
	logs    *syncBuffer
}

type syncBuffer = testenv.SyncBuffer

// start runs a router with the YAML config body (backends are filled in) in front of legacy and new.
func start(t *testing.T, yaml string, legacy, newB *backend, opts ...func(*proxy.Deps)) *env {
	t.Helper()
	cfg := parse(t, yaml, legacy, newB)
	e := &env{reg: prometheus.NewRegistry(), logs: &syncBuffer{}}
	var dl *difflog.Writer
	if cfg.DiffLog.Path != "" {
		e.difflog = filepath.Join(t.TempDir(), "diffs.jsonl")
		var err error
		if dl, err = difflog.Open(e.difflog, cfg.DiffLog.MaxBytes, cfg.DiffLog.Keep); err != nil {
			t.Fatal(err)
		}
	}
	deps := proxy.Deps{Logger: slog.New(slog.NewJSONHandler(e.logs, nil)), Clock: clock.NewFake(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)),
		Registry: e.reg, DiffLog: dl, Run: "test"}
	for _, o := range opts {
		o(&deps)
	}
	r, err := proxy.New(cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	e.router = r
	e.srv = httptest.NewServer(r.Handler(true))
	t.Cleanup(func() {
		e.srv.Close()
		_ = r.Close(context.Background())
		if dl != nil {
			_ = dl.Close()
		}
	})
	return e
}

func parse(t *testing.T, yaml string, legacy, newB *backend) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(yaml), "test", func(f *config.File) {
		if f.Backends == nil {
			f.Backends = map[string]config.BackendFile{}
		}
		for name, b := range map[string]*backend{"legacy": legacy, "new": newB} {
			bf := f.Backends[name]
			bf.URLs, bf.Health = []string{b.URL}, "/health"
			f.Backends[name] = bf
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

type resp struct {
	status int
	header http.Header
	body   string
}

func (e *env) do(t *testing.T, method, path string, body string, hdr ...string) resp {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: string(b)}
}

// metric sums the samples of a metric whose labels include all of want.
func (e *env) metric(t *testing.T, name string, want map[string]string) float64 {
	t.Helper()
	mfs, err := e.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			for k, v := range want {
				if labels[k] != v {
					continue next
				}
			}
			switch {
			case m.Counter != nil:
				sum += m.Counter.GetValue()
			case m.Gauge != nil:
				sum += m.Gauge.GetValue()
			case m.Histogram != nil:
				sum += float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return sum
}

// records reads the diff log's diff records (after Drain and a stats write, which flushes it).
func (e *env) records(t *testing.T) []difflog.Record {
	t.Helper()
	e.router.Drain()
	e.router.WriteStats()
	b, err := os.ReadFile(e.difflog)
	if err != nil {
		t.Fatal(err)
	}
	var out []difflog.Record
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var r difflog.Record
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("diff log line %q: %v", line, err)
		}
		if r.Kind == difflog.KindDiff {
			out = append(out, r)
		}
	}
	return out
}

// token is an unsigned JWT with the given claims (the router reads, never verifies).
func token(claims map[string]any) string {
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	p, _ := json.Marshal(claims)
	return h + "." + base64.RawURLEncoding.EncodeToString(p) + ".c2ln"
}

func jsonHandler(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, body)
	}
}
