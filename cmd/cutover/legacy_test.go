package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/momentum-cohortly/backends/internal/cutover/config"
	"github.com/momentum-cohortly/backends/internal/cutover/difflog"
	"github.com/momentum-cohortly/backends/internal/cutover/presets"
	"github.com/momentum-cohortly/backends/internal/cutover/proxy"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/proctest"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// The opt-in tests against the real legacy servers (CUTOVER_LEGACY_TEST=1; minutes, see the README):
// the router with a shipped preset, every route in shadow, legacy answering, ours receiving the
// copies; the report of the run must have no unexplained differing path.

var (
	momentumBin = proctest.NewBinary("github.com/momentum-cohortly/backends/cmd/momentum")
	cohortlyBin = proctest.NewBinary("github.com/momentum-cohortly/backends/cmd/cohortly")
)

func TestMain(m *testing.M) {
	code := m.Run()
	momentumBin.Remove()
	cohortlyBin.Remove()
	os.Exit(code)
}

func legacyGate(t *testing.T) (shared string) {
	t.Helper()
	if os.Getenv("CUTOVER_LEGACY_TEST") != "1" {
		t.Skip("the real legacy servers: set CUTOVER_LEGACY_TEST=1 (minutes; README, Cut-over router)")
	}
	root, err := testenv.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(filepath.Dir(root), "shared")
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// startLegacy runs an oracle start script (it builds once in workdir, or reuses a copy of a build named
// by buildEnv) and stops the server at cleanup.
func startLegacy(t *testing.T, script, gitDir, buildEnv string, env []string) string {
	t.Helper()
	work := filepath.Join(t.TempDir(), "legacy")
	if b := os.Getenv(buildEnv); b != "" {
		if out, err := exec.Command("cp", "-a", b, work).CombinedOutput(); err != nil {
			t.Fatalf("copy %s: %v %s", b, err, out)
		}
	}
	port := freePort(t)
	cmd := exec.Command(script, gitDir, port, work)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderr.String())
	}
	lines := strings.Fields(strings.TrimSpace(string(out)))
	pid, err := strconv.Atoi(lines[len(lines)-1])
	if err != nil {
		t.Fatalf("%s printed no pid: %q", script, out)
	}
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGTERM) })
	return "http://127.0.0.1:" + port
}

// shadowRouter runs the router in-process with a preset, legacy answering and ours shadowed.
func shadowRouter(t *testing.T, preset, legacyURL, newURL string) (*proxy.Router, *httptest.Server, *config.Config, string) {
	t.Helper()
	b, err := presets.Get(preset)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(b, preset, func(f *config.File) {
		f.Backends["legacy"] = config.BackendFile{URLs: []string{legacyURL}, Health: f.Backends["legacy"].Health}
		f.Backends["new"] = config.BackendFile{URLs: []string{newURL}, Health: "/readyz"}
	})
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(t.TempDir(), "diffs.jsonl")
	dl, err := difflog.Open(logPath, cfg.DiffLog.MaxBytes, cfg.DiffLog.Keep)
	if err != nil {
		t.Fatal(err)
	}
	r, err := proxy.New(cfg, proxy.Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: clock.System(),
		Registry: prometheus.NewRegistry(), DiffLog: dl, Run: "legacy-test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r.Handler(true))
	t.Cleanup(func() {
		srv.Close()
		_ = r.Close(context.Background())
		_ = dl.Close()
	})
	return r, srv, cfg, logPath
}

type caller struct {
	t    *testing.T
	base string
}

func (c caller) do(method, path, token, body string) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// report drains the router and reads its diff log with the preset's explanations.
func report(t *testing.T, r *proxy.Router, cfg *config.Config, logPath string) difflog.Summary {
	t.Helper()
	r.Drain()
	r.WriteStats()
	f, err := os.Open(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bytes.Buffer
	sum, err := difflog.Report(&out, []io.Reader{f}, difflog.ReportOptions{Explain: func(route, path string, status int) string {
		return cfg.Explanation(route, path, status)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("report:\n%s", out.String())
	return sum
}

func TestAgainstLegacyMomentum(t *testing.T) {
	shared := legacyGate(t)
	fixture := testenv.Fixture(t, "legacy-momentum.sqlite")
	legacy := startLegacy(t, filepath.Join(shared, "legacy/oracles/start-momentum.sh"),
		envOr("CUTOVER_LEGACY_MOMENTUM_GIT", filepath.Join(shared, "legacy/Final-MVP.git")), "CUTOVER_LEGACY_MOMENTUM_BUILD",
		[]string{"MOMENTUM_DB=" + fixture})
	ours := proctest.Start(t, momentumBin.Path(t), proctest.Config{Name: "momentum", ReadyMsg: "ready", Env: map[string]string{
		"PORT": "0", "HOST": "127.0.0.1", "MOMENTUM_SQLITE_PATH": testenv.CopyFixture(t, "legacy-momentum.sqlite"),
		"UPLOAD_DIR": t.TempDir(), "LOG_LEVEL": "info", "MOMENTUM_ENV_FILE": "/nonexistent",
	}})
	r, srv, cfg, logPath := shadowRouter(t, "momentum", legacy, ours.URL)
	c := caller{t: t, base: srv.URL}

	login := func(email, password string) string {
		st, b := c.do("POST", "/api/auth/login", "", fmt.Sprintf(`{"email":%q,"password":%q}`, email, password))
		var v struct{ Token string }
		if err := json.Unmarshal(b, &v); st != 200 || err != nil || v.Token == "" {
			t.Fatalf("login %s through the router: %d %s", email, st, b)
		}
		return v.Token
	}
	owner, admin := login("test@restaurant.com", "password123"), login("admin@momentum.com", "admin123")
	for _, p := range []string{"/api/health", "/api/auth/me", "/api/dashboard/restaurant", "/api/dashboard/campaigns",
		"/api/checklist/categories", "/api/checklist/categories?type=foundational", "/api/checklist/items/1", "/api/checklist/items/73",
		"/api/checklist/status/1", "/api/checklist/progress/1", "/api/checklist/categories-with-items?restaurantId=1",
		"/api/sms-campaigns/sample-csv", "/api/facebook-ads/campaign-status/abc", "/api/sms-campaigns/campaign-status/abc",
		"/api/nope", "/API/AUTH/ME/"} {
		c.do("GET", p, owner, "")
	}
	for _, p := range []string{"/api/auth/me", "/api/dashboard/admin", "/api/dashboard/restaurants?search="} {
		c.do("GET", p, admin, "")
	}
	c.do("POST", "/api/facebook-ads/generate-preview", owner, `{"restaurantName":"Test Pizzeria","itemToPromote":"Margherita","offer":"20% off"}`)
	c.do("POST", "/api/sms-campaigns/preview", owner, `{"restaurantName":"Test Pizzeria","offer":"20% off","offerCode":"W20"}`)
	c.do("GET", "/api/auth/me", "", "")
	c.do("GET", "/api/checklist/categories", "", "")

	sum := report(t, r, cfg, logPath)
	if sum.Compared < 20 || sum.Unexplained != 0 {
		t.Errorf("%d comparisons, %d unexplained differing paths; want at least 20 and none", sum.Compared, sum.Unexplained)
	}
}

func TestAgainstLegacyCohortly(t *testing.T) {
	shared := legacyGate(t)
	testenv.RequirePostgres(t)
	db := testenv.RandomName("cut_legacy_")
	t.Cleanup(func() { _ = testenv.DropPostgresDB(db) })
	dbURL := testenv.PostgresURL(db)
	secrets := []string{"JWT_ACCESS_SECRET=cutover-test-access-secret-0123456789abcdef", "JWT_REFRESH_SECRET=cutover-test-refresh-secret-0123456789abcdef"}
	legacy := startLegacy(t, filepath.Join(shared, "legacy/oracles/start-cohortly.sh"),
		envOr("CUTOVER_LEGACY_COHORTLY_GIT", filepath.Join(shared, "legacy/Cohortly.git")), "CUTOVER_LEGACY_COHORTLY_BUILD",
		append([]string{"INIT_DB=1", "SEED_SQL=" + filepath.Join(shared, "fixtures/cohortly-legacy-seed.sql"), "DATABASE_URL=" + dbURL}, secrets...))
	env := map[string]string{"PORT": "0", "HOST": "127.0.0.1", "DATABASE_URL": dbURL, "LOG_LEVEL": "info", "COHORTLY_ENV_FILE": "/nonexistent"}
	for _, s := range secrets {
		k, v, _ := strings.Cut(s, "=")
		env[k] = v
	}
	ours := proctest.Start(t, cohortlyBin.Path(t), proctest.Config{Name: "cohortly", ReadyMsg: "cohortly listening", Env: env})
	r, srv, cfg, logPath := shadowRouter(t, "cohortly", legacy, ours.URL)
	c := caller{t: t, base: srv.URL}

	st, b := c.do("POST", "/api/v1/auth/login", "", `{"email":"admin@bootcamp.com","password":"Password123!"}`)
	var v struct {
		Data struct{ AccessToken string }
	}
	if err := json.Unmarshal(b, &v); st != 200 || err != nil || v.Data.AccessToken == "" {
		t.Fatalf("login through the router: %d %s", st, b)
	}
	tok := v.Data.AccessToken
	for _, p := range []string{"/api/v1/health", "/api/v1/auth/me", "/api/v1/leads", "/api/v1/leads?page=1&limit=5",
		"/api/v1/leads?status=NEW", "/api/v1/bootcamps", "/api/v1/enrollments", "/api/v1/assignments", "/api/v1/lms/courses",
		"/api/v1/nope", "/api/v1/leads/", "/"} {
		c.do("GET", p, tok, "")
	}
	c.do("GET", "/api/v1/leads", "", "")
	// Not driven: GET /api/v1/LEADS/, a real difference (Express matched paths case-insensitively,
	// ours does not); the README records it.

	sum := report(t, r, cfg, logPath)
	if sum.Compared < 12 || sum.Unexplained != 0 {
		t.Errorf("%d comparisons, %d unexplained differing paths; want at least 12 and none", sum.Compared, sum.Unexplained)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
