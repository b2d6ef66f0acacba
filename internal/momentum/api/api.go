// Package api is Momentum's HTTP surface: the legacy Node server's 24 endpoints with their JSON shapes,
// status codes and error strings, on top of momentum.Service. routes.go lists the whole surface;
// errors.go is the one place where errors become responses.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/apidocs"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
	"github.com/momentum-cohortly/backends/internal/platform/tracing"
)

// Limits of request bodies (legacy: 100 kb for JSON and forms; 5 MB images, 2 MB CSV).
const (
	MaxBodyBytes  = 100 << 10
	MaxPhotoBytes = 5 << 20
	MaxCSVBytes   = 2 << 20
	// multipartSlack is room for the form's boundaries and text fields next to the file.
	multipartSlack = 256 << 10
)

// Config configures the HTTP layer.
type Config struct {
	CORSOrigins []string             // default ["*"], as legacy
	TrustProxy  httpx.TrustedProxies // which X-Forwarded-For entries to believe
	Clock       clock.Clock          // for how long a full disk keeps /readyz not ready; nil: system
	Tracing     *tracing.Tracing     // request spans; nil: none
}

// API serves Momentum over HTTP.
type API struct {
	svc     *momentum.Service
	log     *slog.Logger
	cfg     Config
	ready   func(ctx context.Context) error
	metrics *httpx.Metrics
	storage *httpx.StorageHealth
	reg     *prometheus.Registry
	spec    []byte

	catalogue catalogueRenderer
}

// New returns the API. ready is the readiness check (database reachable).
func New(svc *momentum.Service, logger *slog.Logger, reg *prometheus.Registry, ready func(ctx context.Context) error, cfg Config) (*API, error) {
	if len(cfg.CORSOrigins) == 0 {
		cfg.CORSOrigins = []string{"*"}
	}
	spec, err := OpenAPIJSON()
	if err != nil {
		return nil, err
	}
	return &API{svc: svc, log: logger, cfg: cfg, ready: ready, reg: reg, spec: spec, metrics: httpx.NewMetrics(reg, "momentum"),
		storage: httpx.NewStorageHealth(cfg.Clock, 0)}, nil
}

// Handler returns the complete HTTP handler with middleware.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	a.routes(mux)
	mux.Handle("GET /healthz", httpx.Healthz())
	mux.Handle("GET /readyz", httpx.Readyz(a.log, func(ctx context.Context) error {
		if err := a.storage.Check(ctx); err != nil {
			return err
		}
		return a.ready(ctx)
	}))
	mux.Handle("GET /metrics", httpx.MetricsHandler(a.reg))
	apidocs.Mount(mux, apidocs.Config{Spec: a.spec, Title: "Momentum API", SpecPaths: []string{"/openapi.json"}})
	mux.HandleFunc("/", a.notFound)
	return httpx.Chain(mux,
		httpx.DrainBody(httpx.DrainConfig{}),
		a.cfg.Tracing.Server(),
		httpx.RequestID(),
		httpx.AccessLog(a.log, a.cfg.TrustProxy),
		httpx.Recover(a.log, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusInternalServerError, errBody{Error: "Internal server error"})
		}),
		httpx.SecurityHeaders(),
		httpx.CORS(httpx.CORSConfig{Origins: a.cfg.CORSOrigins}),
		canonicalPath,
		a.storage.Middleware(),
		a.metrics.Middleware(),
		a.cfg.Tracing.Routes,
	)
}

// canonicalPath gives the legacy Express routing semantics: paths match case-insensitively and with a
// trailing slash. Only the static part of a route (the first three segments under /api) is folded, so
// path parameters such as campaign ids keep their case. It works on the escaped path, so an encoded "/"
// in a parameter stays part of the parameter.
func canonicalPath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.EscapedPath()
		if len(p) > 1 && (strings.HasSuffix(p, "/") || hasUpper(p)) && strings.HasPrefix(strings.ToLower(p), "/api/") &&
			!strings.HasPrefix(p, "/api/docs") && !strings.HasPrefix(p, "/api/redoc") {
			p = strings.TrimSuffix(p, "/")
			segs := strings.SplitN(p, "/", 5) // "", api, group, name, rest
			for i := 1; i < len(segs) && i < 4; i++ {
				segs[i] = strings.ToLower(segs[i])
			}
			httpx.SetEscapedPath(r.URL, strings.Join(segs, "/"))
		}
		next.ServeHTTP(w, r)
	})
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return true
		}
	}
	return false
}
