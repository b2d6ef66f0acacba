package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/momentum/api"
	"github.com/momentum-cohortly/backends/internal/momentum/providers"
	"github.com/momentum-cohortly/backends/internal/momentum/sqlitestore"
	"github.com/momentum-cohortly/backends/internal/platform/apidocs/apitest"
	"github.com/momentum-cohortly/backends/internal/platform/auth"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/ratelimit"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

const secret = "test-secret-0123456789abcdef0123456789"

// start is Saturday 2026-11-21 12:00 UTC, the day the legacy oracle was recorded.
var start = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// validator is shared by every test so TestMain can report documented operations no test exercised.
var (
	validatorOnce sync.Once
	validator     *apitest.Validator
)

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && validator != nil && !isFiltered() {
		if missing := validator.Uncovered(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "documented operations no test exercised: %v\n", missing)
			code = 1
		}
	}
	os.Exit(code)
}

func isFiltered() bool {
	for _, a := range os.Args {
		if strings.HasPrefix(a, "-test.run") || strings.HasPrefix(a, "-test.skip") {
			return true
		}
	}
	return false
}

// env is one running Momentum API on a fresh SQLite database, with a fake clock and seeded mocks.
type env struct {
	t       testing.TB
	srv     *httptest.Server
	handler http.Handler
	clk     *clock.Fake
	store   momentum.Store
	svc     *momentum.Service
	uploads string
	jwt     *auth.JWT
	logs    *testenv.SyncBuffer
	dbPath  string

	admin, a, b string // tokens: admin, restaurant A owner, restaurant B owner
	aID, bID    int64  // restaurant ids
}

func newEnv(t testing.TB, opts ...sqlitestore.Option) *env {
	t.Helper()
	validatorOnce.Do(func() {
		spec, err := api.OpenAPIJSON()
		if err != nil {
			t.Fatal(err)
		}
		validator = apitest.NewValidator(t, spec)
	})
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "momentum.db")
	store, err := sqlitestore.Open(ctx, dbPath, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	clk := clock.NewFake(start)
	uploads, err := momentum.NewUploads(filepath.Join(dir, "uploads"))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	prov, err := providers.New(providers.Config{}, nil, clk, rng)
	if err != nil {
		t.Fatal(err)
	}
	logs := &testenv.SyncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	j := auth.NewJWT([]byte(secret), clk)
	svc, err := momentum.New(momentum.Deps{
		Store: store, JWT: j, Clock: clk, Logger: logger,
		Login: ratelimit.DefaultLoginPolicy(ratelimit.NewMemory(clk)), Providers: prov, Uploads: uploads,
		Rand: rand.New(rand.NewPCG(3, 4)),
	}, momentum.Config{BcryptCost: 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.EnsureCatalogue(ctx); err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword("admin123", 4)
	if _, err := store.EnsureAdmin(ctx, "admin@momentum.com", hash, start); err != nil {
		t.Fatal(err)
	}
	a, err := api.New(svc, logger, prometheus.NewRegistry(), store.Ping, api.Config{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	h := a.Handler()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, handler: h, clk: clk, store: store, svc: svc, uploads: uploads.Dir(), jwt: j, logs: logs, dbPath: dbPath}
	e.admin = e.login("admin@momentum.com", "admin123")
	e.a, e.aID = e.register("owner-a@example.com", "Pizzeria A")
	e.b, e.bID = e.register("owner-b@example.com", "Bistro B")
	return e
}

// res is a decoded response.
type res struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (r res) str(path ...string) string {
	v := r.get(path...)
	s, _ := v.(string)
	return s
}

func (r res) num(path ...string) float64 {
	f, _ := r.get(path...).(float64)
	return f
}

func (r res) get(path ...string) any {
	var cur any = r.body
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

func (r res) list(path ...string) []any {
	l, _ := r.get(path...).([]any)
	return l
}

// call sends a request (body: nil, a string of raw JSON, or any value to encode) and validates the
// response against the OpenAPI document.
func (e *env) call(method, path, token string, body any) res {
	e.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	case []byte:
		rd, ct = bytes.NewReader(b), "application/json"
	default:
		j, _ := json.Marshal(b)
		rd, ct = bytes.NewReader(j), "application/json"
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	return e.send(req, token)
}

func (e *env) send(req *http.Request, token string) res {
	e.t.Helper()
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, raw := validator.Do(e.t, http.DefaultClient, req)
	out := res{status: resp.StatusCode, header: resp.Header, raw: raw}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

func (e *env) login(email, password string) string {
	e.t.Helper()
	r := e.call("POST", "/api/auth/login", "", map[string]string{"email": email, "password": password})
	if r.status != 200 {
		e.t.Fatalf("login %s: %d %s", email, r.status, r.raw)
	}
	return r.str("token")
}

func (e *env) register(email, name string) (string, int64) {
	e.t.Helper()
	r := e.call("POST", "/api/auth/register", "", map[string]string{"email": email, "password": "password123", "restaurantName": name, "address": "", "phone": ""})
	if r.status != 201 {
		e.t.Fatalf("register %s: %d %s", email, r.status, r.raw)
	}
	return r.str("token"), int64(r.num("user", "restaurant", "restaurant_id"))
}

// impersonate returns an admin token impersonating restaurant id.
func (e *env) impersonate(id int64) string {
	e.t.Helper()
	r := e.call("POST", fmt.Sprintf("/api/auth/impersonate/%d", id), e.admin, nil)
	if r.status != 200 {
		e.t.Fatalf("impersonate %d: %d %s", id, r.status, r.raw)
	}
	return r.str("token")
}

// forge signs arbitrary claims with the server's secret (or another method), as an attacker who knows
// the secret, or an old server, could.
func (e *env) forge(method jwt.SigningMethod, claims jwt.MapClaims) string {
	tok, err := jwt.NewWithClaims(method, claims).SignedString([]byte(secret))
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// part is one multipart form part.
type part struct {
	name, filename, contentType string
	data                        []byte
}

func (e *env) multipart(method, path, token string, parts ...part) res {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		if p.filename == "" {
			_ = mw.WriteField(p.name, string(p.data))
			continue
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.name, p.filename))
		h.Set("Content-Type", p.contentType)
		w, _ := mw.CreatePart(h)
		_, _ = w.Write(p.data)
	}
	_ = mw.Close()
	req, _ := http.NewRequest(method, e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.send(req, token)
}

func field(name, value string) part { return part{name: name, data: []byte(value)} }

func (e *env) uploadedFiles() []string {
	entries, _ := os.ReadDir(e.uploads)
	var out []string
	for _, en := range entries {
		out = append(out, en.Name())
	}
	return out
}

func expect(t *testing.T, r res, status int, errMsg string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	if errMsg != "" && r.str("error") != errMsg {
		t.Fatalf("error %q, want %q", r.str("error"), errMsg)
	}
}
