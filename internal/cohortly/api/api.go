// Package api is Cohortly's HTTP surface: the legacy /api/v1 routes with the legacy envelope, the
// frontend's alias fields, documentation and operational endpoints. routes.go lists all of it; errors
// become responses in respond.go only.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/platform/apperr"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
	"github.com/momentum-cohortly/backends/internal/platform/tracing"
)

// MaxBodyBytes is the JSON body limit (express.json's default, 100 kB).
const MaxBodyBytes = 100 << 10

// Config holds the API's dependencies.
type Config struct {
	Service *cohortly.Service
	Logger  *slog.Logger
	Clock   clock.Clock
	// CORSOrigins allowed to call the API from a browser, with credentials.
	CORSOrigins []string
	// TrustProxy says which X-Forwarded-For entries to believe (behind load balancers).
	TrustProxy httpx.TrustedProxies
	// Registry receives the HTTP metrics served at /metrics; nil creates one.
	Registry *prometheus.Registry
	// Version is reported by / and /health.
	Version string
	// Tracing gives requests their spans; nil: none.
	Tracing *tracing.Tracing
}

// API serves Cohortly over HTTP.
type API struct {
	svc        *cohortly.Service
	log        *slog.Logger
	clk        clock.Clock
	trustProxy httpx.TrustedProxies
	version    string
	handler    http.Handler
	surface    []Route // routes.go's table, built once
	literals   httpx.Literals
	storage    *httpx.StorageHealth
}

// New builds the API and its middleware chain.
func New(cfg Config) *API {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System()
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	if cfg.Version == "" {
		cfg.Version = "1.0.0"
	}
	a := &API{svc: cfg.Service, log: cfg.Logger, clk: cfg.Clock, trustProxy: cfg.TrustProxy, version: cfg.Version,
		storage: httpx.NewStorageHealth(cfg.Clock, 0)}
	mux := http.NewServeMux()
	a.routes(mux, cfg.Registry)
	metrics := httpx.NewMetrics(cfg.Registry, "cohortly")
	a.handler = httpx.Chain(metrics.Middleware()(cfg.Tracing.Routes(mux)),
		httpx.DrainBody(httpx.DrainConfig{}),
		cfg.Tracing.Server(),
		httpx.RequestID(),
		httpx.AccessLog(cfg.Logger, cfg.TrustProxy),
		httpx.Recover(cfg.Logger, func(w http.ResponseWriter, r *http.Request) {
			a.fail(w, r, &apperr.Error{Kind: apperr.KindInternal, Message: cohortly.MsgInternal})
		}),
		httpx.SecurityHeaders(),
		httpx.CORS(httpx.CORSConfig{Origins: cfg.CORSOrigins, Credentials: true}),
		httpx.MaxBody(MaxBodyBytes, func(w http.ResponseWriter, r *http.Request) {
			a.fail(w, r, &apperr.Error{Kind: apperr.KindTooLarge, Message: "Request body too large"})
		}),
		a.canonicalPath,
		a.storage.Middleware(),
	)
	return a
}

// ServeHTTP serves a request.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

// canonicalPath gives the legacy Express routing below /api/v1: "/api/v1/leads/" routes like
// "/api/v1/leads", and routes match case-insensitively ("/API/V1/Leads"), path parameters keeping
// their case (only segments that are route literals are folded). The documentation UIs, which live
// under directory paths, are left alone. It works on the escaped path, so an encoded "/" in a
// parameter stays part of it, and edits the request in place: the metrics middleware needs the very
// *http.Request the mux sees.
func (a *API) canonicalPath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.EscapedPath()
		if len(p) > len("/api/v1/") && strings.HasPrefix(strings.ToLower(p), "/api/v1/") {
			q := strings.TrimRight(a.literals.FoldLiterals(p), "/")
			if q != p {
				httpx.SetEscapedPath(r.URL, q)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// handlerFunc is an authenticated handler: it writes its success response and returns any failure.
type handlerFunc func(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error

// publicFunc is a handler without authentication.
type publicFunc func(w http.ResponseWriter, r *http.Request) error

// authed authenticates the caller, checks the route's action (403 before any validation, as the legacy
// middleware order did), then runs h.
func (a *API) authed(act cohortly.Action, h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := a.svc.Authenticate(r.Context(), r.Header.Get("Authorization"))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if err := cohortly.Can(&p.User, act); err != nil {
			a.fail(w, r, err)
			return
		}
		if err := checkRequestText(r); err != nil {
			a.fail(w, r, err)
			return
		}
		if err := h(w, r, p); err != nil {
			a.fail(w, r, err)
		}
	}
}

// viewFunc is a handler whose service call reads the caller's user itself, in the same database
// round trip as its data (the list reads): it gets the verified token, not the principal. It refuses
// what it finds wrong with the request before that read through Service.AuthorizeThen, so a 401 or
// 403 still comes before its 400.
type viewFunc func(w http.ResponseWriter, r *http.Request, t cohortly.AccessToken) error

// viewing serves a viewFunc route: the token is verified and the handler runs with no user read of
// its own. The service admits the caller from the row the list read returned, with the same checks
// as authed (admit, then Can), so every request, answered or refused, reads the database once.
func (a *API) viewing(act cohortly.Action, h viewFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, err := a.svc.VerifyAccess(r.Header.Get("Authorization"))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if err := checkRequestText(r); err != nil {
			a.fail(w, r, a.svc.AuthorizeThen(r.Context(), t, act, err))
			return
		}
		if err := h(w, r, t); err != nil {
			a.fail(w, r, err)
		}
	}
}

func (a *API) public(h publicFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := checkRequestText(r); err != nil {
			a.fail(w, r, err)
			return
		}
		if err := h(w, r); err != nil {
			a.fail(w, r, err)
		}
	}
}

// guardedPrefixes are the legacy routers that authenticate every path, unknown ones included: an
// unknown path below them answers 401 without a token and 404 with one (403 first under /student).
var guardedPrefixes = []string{"/api/v1/leads", "/api/v1/bootcamps", "/api/v1/enrollments", "/api/v1/assignments", "/api/v1/lms", "/api/v1/student"}

// notFound answers every path no route matched (and every method a path does not serve: the legacy
// had no 405), in the legacy form `Route <url> not found`.
func (a *API) notFound(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	for _, prefix := range guardedPrefixes {
		if path != prefix && !strings.HasPrefix(path, prefix+"/") {
			continue
		}
		p, err := a.svc.Authenticate(r.Context(), r.Header.Get("Authorization"))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if prefix == "/api/v1/student" {
			if err := cohortly.Can(&p.User, cohortly.ActStudentDB); err != nil {
				a.fail(w, r, err)
				return
			}
		}
		break
	}
	a.fail(w, r, &apperr.Error{Kind: apperr.KindNotFound, Message: "Route " + r.URL.RequestURI() + " not found"})
}

// pathParams are the wildcards routes.go uses.
var pathParams = [...]string{"id", "batchId", "studentId", "bootcampId"}

// checkRequestText refuses path and query text no database can hold (NUL bytes, invalid UTF-8: what
// PostgreSQL rejects with an error), so such input ends as a 404 or 400 instead of a database error.
func checkRequestText(r *http.Request) error {
	for _, name := range pathParams {
		if v := r.PathValue(name); v != "" && !cleanText(v) {
			return &apperr.Error{Kind: apperr.KindNotFound, Message: "Route " + r.URL.Path + " not found"}
		}
	}
	if r.URL.RawQuery == "" {
		return nil
	}
	for name, vals := range r.URL.Query() {
		for _, v := range vals {
			if !cleanText(v) || !cleanText(name) || len(v) > 512 {
				return &apperr.Error{Kind: apperr.KindInvalid, Message: cohortly.MsgValidation, Fields: []apperr.FieldError{
					{Path: strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", ""), "?"), Msg: "Invalid value", Location: "query"}}}
			}
		}
	}
	return nil
}

// cleanText reports whether s is valid UTF-8 without NUL characters.
func cleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func (a *API) clientAddr(r *http.Request) string { return a.trustProxy.ClientIP(r) }

// ping is the readiness check: the database answers, and the last write did not fail for lack of space.
func (a *API) ping(ctx context.Context) error {
	if err := a.storage.Check(ctx); err != nil {
		return err
	}
	return a.svc.Ping(ctx)
}
