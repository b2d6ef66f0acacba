package legacymigrate

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/momentum/api"
	"github.com/momentum-cohortly/backends/internal/momentum/providers"
	"github.com/momentum-cohortly/backends/internal/platform/auth"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/ratelimit"
)

// goServer is the Go server's HTTP handler on a store, with a fixed clock, secret and random seeds, so
// two of them on the same data answer byte for byte the same.
func goServer(t *testing.T, store momentum.Store) http.Handler {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC))
	prov, err := providers.New(providers.Config{}, nil, clk, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	uploads, err := momentum.NewUploads(filepath.Join(t.TempDir(), "uploads"))
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := momentum.New(momentum.Deps{
		Store: store, JWT: auth.NewJWT([]byte("migration-test-secret-0123456789abcdef"), clk), Clock: clk, Logger: logger,
		Login: ratelimit.DefaultLoginPolicy(ratelimit.NewMemory(clk)), Providers: prov, Uploads: uploads,
		Rand: rand.New(rand.NewPCG(3, 4)),
	}, momentum.Config{BcryptCost: 4})
	if err != nil {
		t.Fatal(err)
	}
	a, err := api.New(svc, logger, prometheus.NewRegistry(), store.Ping, api.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return a.Handler()
}

type exchange struct {
	method, path, body string
	token              string // "admin", "owner" or ""
}

// The acceptance criterion of the migration: the Go server on MongoDB answers exactly what it
// answered on the legacy SQLite file (same status, same bytes), logins included.
func TestGoServerAnswersTheSameOnBothDatabases(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		src   func(t *testing.T) string
		owner string
		rid   string
	}{
		{"committed database", fixture, "test@restaurant.com", "1"},
		{"generated database", func(t *testing.T) string {
			src, _ := generated(t, GenerateOptions{Restaurants: 12, Statuses: 300, Campaigns: 20, Sessions: 2, Defects: 0, Seed: 17})
			return src
		}, "owner3@example.com", "3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sq, mg := migratedPair(t, tc.src(t))
			servers := []http.Handler{goServer(t, sq), goServer(t, mg)}
			tokens := []map[string]string{{}, {}}

			exchanges := []exchange{
				{method: "POST", path: "/api/auth/login", body: `{"email":"admin@momentum.com","password":"admin123"}`},
				{method: "POST", path: "/api/auth/login", body: `{"email":"` + tc.owner + `","password":"password123"}`},
				{method: "POST", path: "/api/auth/login", body: `{"email":"` + tc.owner + `","password":"wrong"}`},
				{method: "GET", path: "/api/auth/me", token: "admin"},
				{method: "GET", path: "/api/auth/me", token: "owner"},
				{method: "GET", path: "/api/dashboard/restaurant", token: "owner"},
				{method: "GET", path: "/api/dashboard/admin", token: "admin"},
				{method: "GET", path: "/api/dashboard/restaurants?search=", token: "admin"},
				{method: "GET", path: "/api/dashboard/restaurants?search=Rest", token: "admin"},
				{method: "GET", path: "/api/dashboard/campaigns", token: "owner"},
				{method: "GET", path: "/api/checklist/categories", token: "owner"},
				{method: "GET", path: "/api/checklist/categories?type=ongoing", token: "owner"},
				{method: "GET", path: "/api/checklist/items/73", token: "owner"},
				{method: "GET", path: "/api/checklist/status/" + tc.rid, token: "owner"},
				{method: "GET", path: "/api/checklist/progress/" + tc.rid, token: "owner"},
				{method: "GET", path: "/api/checklist/categories-with-items?restaurantId=" + tc.rid, token: "owner"},
				{method: "PUT", path: "/api/checklist/status/" + tc.rid + "/470", body: `{"status":"in_progress","notes":"after the move"}`, token: "owner"},
				{method: "GET", path: "/api/checklist/progress/" + tc.rid, token: "owner"},
				{method: "GET", path: "/api/dashboard/restaurant", token: "owner"},
			}
			for _, ex := range exchanges {
				var bodies [2][]byte
				var codes [2]int
				for i, h := range servers {
					req := httptest.NewRequest(ex.method, ex.path, bytes.NewBufferString(ex.body))
					if ex.body != "" {
						req.Header.Set("Content-Type", "application/json")
					}
					if ex.token != "" {
						req.Header.Set("Authorization", "Bearer "+tokens[i][ex.token])
					}
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					codes[i], bodies[i] = rec.Code, rec.Body.Bytes()
					if ex.path == "/api/auth/login" && rec.Code == http.StatusOK {
						who := "owner"
						if bytes.Contains([]byte(ex.body), []byte("admin@")) {
							who = "admin"
						}
						tokens[i][who] = jsonString(t, rec.Body.Bytes(), "token")
					}
				}
				if codes[0] != codes[1] || !bytes.Equal(bodies[0], bodies[1]) {
					t.Errorf("%s %s:\n SQLite  %d %s\n MongoDB %d %s", ex.method, ex.path, codes[0], bodies[0], codes[1], bodies[1])
				}
				want := http.StatusOK
				if bytes.Contains([]byte(ex.body), []byte(`"wrong"`)) {
					want = http.StatusUnauthorized
				}
				if codes[1] != want {
					t.Errorf("%s %s on MongoDB: %d, want %d: %s", ex.method, ex.path, codes[1], want, bodies[1])
				}
			}
		})
	}
}

func jsonString(t *testing.T, body []byte, key string) string {
	t.Helper()
	var m map[string]any
	if err := jsonUnmarshal(body, &m); err != nil {
		t.Fatalf("response %s: %v", body, err)
	}
	s, _ := m[key].(string)
	return s
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
