package api_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/api"
	"github.com/momentum-cohortly/backends/internal/cohortly/mail"
	"github.com/momentum-cohortly/backends/internal/cohortly/pgstore"
	"github.com/momentum-cohortly/backends/internal/cohortly/schema"
	"github.com/momentum-cohortly/backends/internal/cohortly/sqlitestore"
	"github.com/momentum-cohortly/backends/internal/platform/apidocs/apitest"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/ratelimit"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// t0 is the fake "now" of every test: before the demo batch starts (2026-02-01) and before the demo
// assignment's deadline (2026-02-15).
var t0 = time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)

const pw = schema.DemoPassword

var (
	validatorOnce sync.Once
	validator     *apitest.Validator
)

// docValidator is shared by every test of the package, so Uncovered (TestEveryDocumentedOperationIsExercised)
// sees what all of them exercised.
func docValidator(t testing.TB) *apitest.Validator {
	validatorOnce.Do(func() { validator = apitest.NewValidator(t, api.OpenAPI()) })
	return validator
}

type backend struct {
	name string
	open func(t testing.TB) cohortly.Store
}

func openSQLite(t testing.TB) cohortly.Store {
	s, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "cohortly.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var (
	pgTemplateOnce sync.Once
	pgTemplate     string
	pgTemplateErr  error
)

// TestMain drops the template database the PostgreSQL tests clone.
// It also fails the run when a full run (no -run filter) left a documented operation unexercised, so
// the HTTP tests keep covering the whole document.
func TestMain(m *testing.M) {
	code := m.Run()
	if f := flag.Lookup("test.run"); code == 0 && f != nil && f.Value.String() == "" && validator != nil {
		if missing := validator.Uncovered(); len(missing) > 0 {
			sort.Strings(missing)
			fmt.Fprintf(os.Stderr, "documented operations no test exercised:\n  %s\n", strings.Join(missing, "\n  "))
			code = 1
		}
	}
	if pgTemplate != "" {
		_ = testenv.DropPostgresDB(pgTemplate)
	}
	os.Exit(code)
}

// openPostgres gives the test a database of its own on the test server (a copy of a migrated template,
// which is much faster than migrating each time) and drops it afterwards. Without a reachable server the
// test fails under CI=true and is skipped otherwise.
func openPostgres(t testing.TB) cohortly.Store {
	testenv.RequirePostgres(t)
	return openPG(t, testenv.PostgresDB(t, "cohortly_apitest_", pgMigratedTemplate(t)))
}

// openPgBouncer is openPostgres through the test PgBouncer in transaction mode, with the setting the
// README gives for it.
func openPgBouncer(t testing.TB) cohortly.Store {
	testenv.RequirePgBouncer(t)
	pooled, _ := testenv.PgBouncerDB(t, "cohortly_apitest_", pgMigratedTemplate(t))
	return openPG(t, pooled+"&default_query_exec_mode=cache_describe")
}

func pgMigratedTemplate(t testing.TB) string {
	pgTemplateOnce.Do(func() {
		name := testenv.RandomName("cohortly_apitest_tmpl_")
		if pgTemplateErr = testenv.CreatePostgresDB(name, ""); pgTemplateErr != nil {
			return
		}
		pgTemplate = name
		var s *pgstore.Store
		if s, pgTemplateErr = pgstore.Open(t.Context(), testenv.PostgresURL(name)); pgTemplateErr == nil {
			s.Close()
		}
	})
	if pgTemplateErr != nil {
		t.Fatalf("template database: %v", pgTemplateErr)
	}
	return pgTemplate
}

func openPG(t testing.TB, url string) cohortly.Store {
	s, err := pgstore.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	// Registered after the database's own cleanup, so it runs first: the pool closes before the drop.
	t.Cleanup(func() { s.Close() })
	return s
}

var backends = []backend{{"sqlite", openSQLite}, {"postgres", openPostgres}, {"pgbouncer", openPgBouncer}}

// eachStore runs f against a fresh seeded environment on every store adapter.
func eachStore(t *testing.T, f func(t *testing.T, e *env), opts ...option) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f(t, newEnv(t, b.open(t), opts...))
		})
	}
}

// sqliteOnly is for tests of API behaviour that does not depend on the store (decoding, routing...).
func sqliteOnly(t testing.TB, opts ...option) *env {
	return newEnv(t, openSQLite(t), opts...)
}

type env struct {
	t      testing.TB
	srv    *httptest.Server
	clk    *clock.Fake
	svc    *cohortly.Service
	store  cohortly.Store
	v      *apitest.Validator
	tokens map[cohortly.Role]string
	demo   cohortly.Dataset
	logs   *syncBuffer
}

// testHash is the demo password hashed at bcrypt's minimum cost, to keep tests fast.
var testHash = func() string {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	if err != nil {
		panic(err)
	}
	return string(h)
}()

type syncBuffer = testenv.SyncBuffer

// option changes the service an env is built on.
type option func(*cohortly.Deps, *cohortly.Config)

func newEnv(t testing.TB, store cohortly.Store, opts ...option) *env {
	t.Helper()
	clk := clock.NewFake(t0)
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	deps := cohortly.Deps{
		Store: store, Clock: clk, Logger: logger,
		Limits: ratelimit.DefaultLoginPolicy(ratelimit.NewMemory(clk)),
		Mailer: mail.Log{Logger: logger},
	}
	cfg := cohortly.Config{
		AccessSecret: []byte("test-access-secret"), RefreshSecret: []byte("test-refresh-secret"),
		BcryptCost: bcrypt.MinCost,
	}
	for _, o := range opts {
		o(&deps, &cfg)
	}
	svc, err := cohortly.New(deps, cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := schema.DemoDataset(t0.Add(-24*time.Hour), testHash)
	if err := store.ReplaceAll(t.Context(), d); err != nil {
		t.Fatalf("seed: %v", err)
	}
	h := api.New(api.Config{Service: svc, Logger: logger, Clock: clk, CORSOrigins: []string{"http://localhost:3000"}})
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		svc.Close()
	})
	e := &env{t: t, srv: srv, clk: clk, svc: svc, store: store, v: docValidator(t), tokens: map[cohortly.Role]string{}, demo: d, logs: logs}
	e.relogin()
	return e
}

// relogin gets fresh access tokens for one demo user of each role (after the clock moved on).
func (e *env) relogin() {
	for role, email := range map[cohortly.Role]string{
		cohortly.RoleAdmin: "admin@bootcamp.com", cohortly.RoleSales: "sales1@bootcamp.com", cohortly.RoleInstructor: "instructor1@bootcamp.com",
		cohortly.RoleMentor: "mentor1@bootcamp.com", cohortly.RoleStudent: "student1@bootcamp.com",
	} {
		e.tokens[role] = e.login(email, pw)
	}
}

// resp is a decoded answer.
type resp struct {
	status int
	body   map[string]any
	raw    []byte
	header http.Header
}

func (r resp) data() map[string]any {
	d, _ := r.body["data"].(map[string]any)
	return d
}

func (r resp) list() []any {
	d, _ := r.body["data"].([]any)
	return d
}

func (r resp) msg() string { s, _ := r.body["message"].(string); return s }

// call sends a request (body: nil, a string sent verbatim as JSON, or a value marshalled to JSON),
// checks the answer against the OpenAPI document and decodes it.
func (e *env) call(method, path, token string, body any, hdr ...string) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	hr, raw := e.v.Do(e.t, e.srv.Client(), req)
	r := resp{status: hr.StatusCode, raw: raw, header: hr.Header}
	if strings.HasPrefix(hr.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			e.t.Fatalf("%s %s: body is not a JSON object: %v\n%s", method, path, err, raw)
		}
	}
	return r
}

// raw sends a request WITHOUT the document check: only for the legacy catch-all answers (401/403 on
// unknown paths below guarded routers), which no OpenAPI path can describe.
func (e *env) raw(method, path, token string) resp {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	hr, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer hr.Body.Close()
	b, _ := io.ReadAll(hr.Body)
	r := resp{status: hr.StatusCode, raw: b, header: hr.Header}
	_ = json.Unmarshal(b, &r.body)
	return r
}

func (e *env) login(email, password string) string {
	e.t.Helper()
	r := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": email, "password": password})
	if r.status != 200 {
		e.t.Fatalf("login %s: %d %s", email, r.status, r.raw)
	}
	return r.data()["accessToken"].(string)
}

func (e *env) admin() string   { return e.tokens[cohortly.RoleAdmin] }
func (e *env) sales() string   { return e.tokens[cohortly.RoleSales] }
func (e *env) student() string { return e.tokens[cohortly.RoleStudent] }

// want fails unless r has the status (and, when msg is not empty, the message).
func want(t *testing.T, r resp, status int, msg string) {
	t.Helper()
	if r.status != status || (msg != "" && r.msg() != msg) {
		t.Fatalf("got %d %s; want %d %q", r.status, r.raw, status, msg)
	}
	if status >= 400 && r.body["success"] != false {
		t.Fatalf("error without success:false: %s", r.raw)
	}
}

// fieldErr returns the validation entry for path, or nil.
func fieldErr(r resp, path string) map[string]any {
	errs, _ := r.body["errors"].([]any)
	for _, e := range errs {
		m := e.(map[string]any)
		if m["path"] == path {
			return m
		}
	}
	return nil
}

func str(v any) string { s, _ := v.(string); return s }
