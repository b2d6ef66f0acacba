package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/api"
	"github.com/momentum-cohortly/backends/internal/cohortly/mail"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/ratelimit"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

func TestRootAndHealth(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		r := e.call("GET", "/", "", nil)
		if r.status != 200 || r.body["message"] != "Bootcamp Management System API" || r.body["version"] != "1.0.0" {
			t.Errorf("root = %s", r.raw)
		}
		for _, p := range []string{"/api/v1/health", "/health"} {
			r = e.call("GET", p, "", nil)
			if r.status != 200 || r.body["message"] != "API is healthy" || r.body["database"] != "ok" || r.body["timestamp"] != "2026-01-15T10:00:00.000Z" {
				t.Errorf("%s = %s", p, r.raw)
			}
		}
		// Database down: 503 and the envelope.
		_ = e.store.Close()
		r = e.call("GET", "/api/v1/health", "", nil)
		if r.status != 503 || r.body["success"] != false || r.body["database"] != "unreachable" {
			t.Errorf("health with closed store = %d %s", r.status, r.raw)
		}
		// The list routes (one round trip with the caller's read) and the others fail alike: 500, the
		// envelope, no database text.
		for _, p := range []string{"/api/v1/leads", "/api/v1/bootcamps", "/api/v1/auth/me"} {
			r = e.call("GET", p, e.admin(), nil)
			if r.status != 500 || r.body["success"] != false || r.body["message"] != "Internal server error" ||
				strings.Contains(strings.ToLower(string(r.raw)), "sql") || strings.Contains(string(r.raw), "closed") {
				t.Errorf("%s with closed store = %d %s", p, r.status, r.raw)
			}
		}
	})
}

func TestDocsAndMetrics(t *testing.T) {
	e := sqliteOnly(t)
	for _, p := range []string{"/api/openapi.json", "/openapi.json"} {
		r := e.call("GET", p, "", nil)
		if r.status != 200 || r.body["openapi"] != "3.0.3" {
			t.Errorf("%s: %d", p, r.status)
		}
	}
	// Both spellings of the Swagger UI path answer the page itself (the migration plan names
	// /api/docs), not a redirect.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for p, marker := range map[string]string{"/api/docs": "swagger", "/api/docs/": "swagger", "/api/redoc": "redoc"} {
		hr, err := noRedirect.Get(e.srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(hr.Body)
		hr.Body.Close()
		if hr.StatusCode != 200 || !strings.Contains(strings.ToLower(string(b)), marker) || strings.Contains(string(b), "cdn.") ||
			!strings.Contains(hr.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("%s: %d (must work offline, with its policy)", p, hr.StatusCode)
		}
	}
	e.call("GET", "/api/v1/auth/me", e.admin(), nil)
	m := e.call("GET", "/metrics", "", nil)
	if m.status != 200 || !strings.Contains(string(m.raw), `http_requests_total{method="GET",route="GET /api/v1/auth/me",service="cohortly",status="200"}`) {
		t.Errorf("metrics:\n%s", m.raw)
	}
	if r := e.call("GET", "/readyz", "", nil); r.status != 200 || r.body["database"] != "ok" {
		t.Errorf("readyz: %d", r.status)
	}
	if r := e.call("GET", "/healthz", "", nil); r.status != 200 {
		t.Errorf("healthz: %d", r.status)
	}
}

func TestCORSAndHeaders(t *testing.T) {
	e := sqliteOnly(t)
	req, _ := http.NewRequest("OPTIONS", e.srv.URL+"/api/v1/leads", nil)
	req.Header.Set("Origin", "http://localhost:3000")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h := resp.Header
	if resp.StatusCode != 204 || h.Get("Access-Control-Allow-Origin") != "http://localhost:3000" || h.Get("Access-Control-Allow-Credentials") != "true" ||
		!strings.Contains(h.Get("Access-Control-Allow-Methods"), "DELETE") || h.Get("Access-Control-Allow-Headers") != "authorization,content-type" {
		t.Errorf("preflight: %d %v", resp.StatusCode, h)
	}
	r := e.call("GET", "/api/v1/health", "", nil, "Origin", "https://evil.example")
	if r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("foreign origin allowed: %v", r.header)
	}
	r = e.call("GET", "/api/v1/health", "", nil, "Origin", "http://localhost:3000")
	if r.header.Get("Access-Control-Allow-Origin") != "http://localhost:3000" || r.header.Get("X-Request-Id") == "" ||
		r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("headers: %v", r.header)
	}
}

func TestRequestLogIsStructured(t *testing.T) {
	e := sqliteOnly(t)
	e.call("GET", "/api/v1/leads?page=1", e.admin(), nil, "X-Request-ID", "req-123")
	for _, line := range strings.Split(e.logs.String(), "\n") {
		if !strings.Contains(line, "req-123") {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		if m["method"] != "GET" || m["path"] != "/api/v1/leads" || m["status"] != 200.0 || m["duration_ms"] == nil || m["ip"] != "127.0.0.1" {
			t.Errorf("log line = %v", m)
		}
		return
	}
	t.Fatalf("no access log line with the request id:\n%s", e.logs.String())
}

func TestStudentDatabaseAccess(t *testing.T) {
	t.Run("not configured", func(t *testing.T) {
		e := sqliteOnly(t)
		for _, p := range []string{"/api/v1/student/db-credentials", "/api/v1/student/db-setup", "/api/v1/student/db-test"} {
			want(t, e.call("GET", p, e.student(), nil), 503, "Student database access is not configured")
		}
	})
	t.Run("read-only role", func(t *testing.T) {
		var fail error
		e := sqliteOnly(t, func(d *cohortly.Deps, c *cohortly.Config) {
			c.StudentDBURL = "postgres://student_ro:s3cret@db.example.com:6543/course?sslmode=verify-full"
			d.StudentDBCheck = func(context.Context) error { return fail }
		})
		r := e.call("GET", "/api/v1/student/db-credentials", e.student(), nil)
		want(t, r, 200, "Database credentials retrieved successfully")
		c := r.data()["credentials"].(map[string]any)
		if c["host"] != "db.example.com" || c["port"] != 6543.0 || c["username"] != "student_ro" || c["database"] != "course" || c["sslmode"] != "verify-full" ||
			!strings.Contains(str(c["connectionString"]), "application_name=student_cb2bf272") || r.data()["pgpassContent"] != "db.example.com:6543:course:student_ro:s3cret" {
			t.Errorf("credentials = %s", r.raw)
		}
		want(t, e.call("GET", "/api/v1/student/db-setup", e.student(), nil), 200, "Setup instructions retrieved successfully")
		r = e.call("GET", "/api/v1/student/db-test", e.student(), nil)
		want(t, r, 200, "Database connection successful")
		if r.data()["connected"] != true || r.data()["user"].(map[string]any)["email"] != "student1@bootcamp.com" {
			t.Errorf("db-test = %s", r.raw)
		}
		fail = errors.New("connection refused")
		want(t, e.call("GET", "/api/v1/student/db-test", e.student(), nil), 503, "Database connection test failed")
	})
}

func TestWelcomeEmailThroughSendGrid(t *testing.T) {
	var mu sync.Mutex
	var got []map[string]any
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		_ = json.NewDecoder(r.Body).Decode(&m)
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
		w.WriteHeader(202)
	}))
	defer fake.Close()
	e := sqliteOnly(t, func(d *cohortly.Deps, c *cohortly.Config) {
		c.EmailEnabled = true
		d.Mailer = mail.NewSendGrid("SG.test", fake.URL, "noreply@bootcamp.com", "Cohortly", fake.Client())
	})
	want(t, e.call("POST", "/api/v1/auth/register", "", map[string]any{"email": "new@example.com", "password": "longenough", "fullName": "New Person"}), 201, "")
	e.svc.Close() // waits for the background send
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0]["subject"] != "Welcome to Cohortly" ||
		got[0]["personalizations"].([]any)[0].(map[string]any)["to"].([]any)[0].(map[string]any)["email"] != "new@example.com" {
		t.Fatalf("sendgrid got %v", got)
	}
}

// TestRateLimitsSharedThroughRedis runs two API instances on one Redis: failures counted by one lock the
// account on the other. Needs the test Redis server (testenv.Redis).
func TestRateLimitsSharedThroughRedis(t *testing.T) {
	client, prefix := testenv.Redis(t)
	shared := func(d *cohortly.Deps, _ *cohortly.Config) {
		d.Limits = ratelimit.DefaultLoginPolicy(ratelimit.NewRedis(client, prefix))
	}
	store := openSQLite(t)
	a := newEnv(t, store, shared)
	bSvc, err := cohortly.New(cohortly.Deps{Store: store, Clock: clock.NewFake(t0), Limits: ratelimit.DefaultLoginPolicy(ratelimit.NewRedis(client, prefix))},
		cohortly.Config{AccessSecret: []byte("x"), RefreshSecret: []byte("y"), BcryptCost: 4})
	if err != nil {
		t.Fatal(err)
	}
	b := httptest.NewServer(api.New(api.Config{Service: bSvc, Clock: clock.NewFake(t0)}))
	defer b.Close()

	for i := 0; i < 10; i++ {
		want(t, a.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "mentor1@bootcamp.com", "password": "bad"}), 401, "")
	}
	resp, err := b.Client().Post(b.URL+"/api/v1/auth/login", "application/json", strings.NewReader(`{"email":"mentor1@bootcamp.com","password":"Password123!"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("instance B: %d %s (want 429: the failures were counted in Redis by instance A)", resp.StatusCode, body)
	}
	ttl := client.PTTL(t.Context(), prefix+"fail:mentor1@bootcamp.com").Val()
	if ttl <= 0 || ttl > 15*time.Minute {
		t.Errorf("failure window TTL = %v", ttl)
	}
}
