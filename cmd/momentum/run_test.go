package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// logWatcher collects the JSON log and reports the address of the "ready" line.
type logWatcher struct {
	pw    *io.PipeWriter
	ready chan string
	lines chan string
}

func newLogWatcher() (*logWatcher, io.Writer) {
	pr, pw := io.Pipe()
	w := &logWatcher{pw: pw, ready: make(chan string, 1), lines: make(chan string, 1000)}
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			select {
			case w.lines <- line:
			default:
			}
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "ready" {
				w.ready <- rec.Addr
			}
		}
	}()
	return w, pw
}

func (w *logWatcher) all() string {
	var b strings.Builder
	for {
		select {
		case l := <-w.lines:
			b.WriteString(l + "\n")
		default:
			return b.String()
		}
	}
}

// startServer runs `momentum` with env on port 0 and returns its base URL; the server is stopped (and
// must exit 0) when the test ends.
func startServer(t *testing.T, env map[string]string) (string, *logWatcher) {
	t.Helper()
	dir := t.TempDir()
	base := map[string]string{
		"PORT": "0", "HOST": "127.0.0.1", "APP_ENV": "development",
		"MOMENTUM_SQLITE_PATH": filepath.Join(dir, "momentum.db"), "UPLOAD_DIR": filepath.Join(dir, "uploads"),
		"MOMENTUM_ENV_FILE": filepath.Join(dir, "none.env"), "BCRYPT_COST": "4",
	}
	for k, v := range env {
		base[k] = v
	}
	watch, logw := newLogWatcher()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return base[k] }, logw, io.Discard)
	}()
	var addr string
	select {
	case addr = <-watch.ready:
	case code := <-done:
		t.Fatalf("run exited with %d before it was ready:\n%s", code, watch.all())
	case <-time.After(60 * time.Second):
		t.Fatalf("server not ready:\n%s", watch.all())
	}
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("run exited with %d:\n%s", code, watch.all())
			}
		case <-time.After(30 * time.Second):
			t.Error("run did not stop after its context was cancelled")
		}
	})
	return "http://" + addr, watch
}

func post(t *testing.T, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return do(t, req, token)
}

func get(t *testing.T, url, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	return do(t, req, token)
}

func do(t *testing.T, req *http.Request, token string) (int, map[string]any) {
	t.Helper()
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func login(t *testing.T, base, email, password string) string {
	t.Helper()
	code, body := post(t, base+"/api/auth/login", "", fmt.Sprintf(`{"email":%q,"password":%q}`, email, password))
	if code != 200 {
		t.Fatalf("login %s: %d %v", email, code, body)
	}
	return body["token"].(string)
}

func TestServeOnAFreshDatabaseCreatesCatalogueAndDemoAdmin(t *testing.T) {
	base, watch := startServer(t, nil)
	if code, _ := get(t, base+"/healthz", ""); code != 200 {
		t.Fatalf("healthz: %d", code)
	}
	if code, _ := get(t, base+"/readyz", ""); code != 200 {
		t.Fatalf("readyz: %d", code)
	}
	admin := login(t, base, "admin@momentum.com", "admin123")
	_, cats := get(t, base+"/api/checklist/categories", admin)
	if n := len(cats["categories"].([]any)); n != 12 {
		t.Fatalf("%d categories on a fresh database", n)
	}
	logs := watch.all()
	if !strings.Contains(logs, "demo admin") || !strings.Contains(logs, "legacy public default secret") {
		t.Errorf("the demo admin and the default secret must be warned about:\n%s", logs)
	}
}

func TestServeOnTheLegacyDatabaseInPlace(t *testing.T) {
	path := testenv.CopyFixture(t, "legacy-momentum.sqlite")
	base, _ := startServer(t, map[string]string{"MOMENTUM_SQLITE_PATH": path})
	login(t, base, "admin@momentum.com", "admin123")
	tok := login(t, base, "test@restaurant.com", "password123")
	_, cats := get(t, base+"/api/checklist/categories", tok)
	first := cats["categories"].([]any)[0].(map[string]any)
	if first["category_id"] != float64(73) {
		t.Fatalf("legacy ids must be kept: %v", first)
	}
	// The legacy oracle for restaurant 1 (contract §3.16).
	_, prog := get(t, base+"/api/checklist/progress/me", tok)
	p := prog["progress"].(map[string]any)
	f, o := p["foundational"].(map[string]any), p["ongoing"].(map[string]any)
	want := map[string][2]float64{
		"totalItems": {41, 20}, "completedItems": {29, 8}, "completionPercentage": {71, 40},
		"criticalItems": {26, 6}, "completedCriticalItems": {18, 2}, "criticalCompletionPercentage": {69, 33},
	}
	for k, v := range want {
		if f[k] != v[0] || o[k] != v[1] {
			t.Errorf("%s: foundational %v ongoing %v, want %v", k, f[k], o[k], v)
		}
	}
	_, dash := get(t, base+"/api/dashboard/restaurant", tok)
	tasks := dash["pendingTasks"].([]any)
	if len(tasks) != 2 || tasks[0].(map[string]any)["status_id"] != float64(3) {
		t.Fatalf("legacy pending tasks: %v", tasks)
	}
}

func TestProductionRefusesTheLegacyOrMissingSecret(t *testing.T) {
	for name, secret := range map[string]string{"missing": "", "legacy default": legacyDefaultSecret, "short": "tooshort"} {
		t.Run(name, func(t *testing.T) {
			var stderr strings.Builder
			env := map[string]string{"APP_ENV": "production", "JWT_SECRET": secret, "PORT": "0"}
			code := run(context.Background(), nil, func(k string) string { return env[k] }, io.Discard, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), "JWT_SECRET") {
				t.Fatalf("exit %d, stderr %q", code, stderr.String())
			}
		})
	}
}

func TestUsageAndUnknownCommand(t *testing.T) {
	var out, errOut strings.Builder
	if code := run(context.Background(), []string{"help"}, func(string) string { return "" }, &out, &errOut); code != 0 || !strings.Contains(out.String(), "seed-checklist") {
		t.Fatalf("help: %d %q", code, out.String())
	}
	if code := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, &out, &errOut); code != 2 {
		t.Fatalf("unknown command: %d", code)
	}
}

func TestSeedChecklistKeepsIDsAndProgress(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"MOMENTUM_SQLITE_PATH": filepath.Join(dir, "m.db"), "MOMENTUM_ENV_FILE": filepath.Join(dir, "none")}
	getenv := func(k string) string { return env[k] }
	for i := 0; i < 2; i++ {
		var out strings.Builder
		if code := run(context.Background(), []string{"seed-checklist"}, getenv, &out, io.Discard); code != 0 {
			t.Fatalf("seed run %d: %d %s", i, code, out.String())
		}
		if i == 1 && !strings.Contains(out.String(), `"categories_created":0`) {
			t.Fatalf("the second seed must create nothing: %s", out.String())
		}
	}
}

// Both services read LOG_LEVEL and REDIS_URL the same way: a level that is not one of the four is a
// configuration error (it was silently "info"), and an unreachable Redis stops the start-up (it was
// only found out at the first login).
func TestRefusesAnUnknownLogLevelAndAnUnreachableRedis(t *testing.T) {
	dir := t.TempDir()
	base := map[string]string{"PORT": "0", "MOMENTUM_SQLITE_PATH": filepath.Join(dir, "m.db"),
		"UPLOAD_DIR": filepath.Join(dir, "uploads"), "MOMENTUM_ENV_FILE": filepath.Join(dir, "none")}
	runWith := func(k, v string) (int, string) {
		env := map[string]string{k: v}
		for bk, bv := range base {
			env[bk] = bv
		}
		// A guard only: both cases end at start-up; a server that started anyway stops here and fails.
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		var out, errOut strings.Builder
		code := run(ctx, nil, func(k string) string { return env[k] }, &out, &errOut)
		return code, out.String() + errOut.String()
	}
	if code, out := runWith("LOG_LEVEL", "loud"); code != 2 || !strings.Contains(out, "LOG_LEVEL") {
		t.Errorf("LOG_LEVEL=loud: exit %d, output %q", code, out)
	}
	// Nothing listens on this port (the dev machine's range of this test).
	if code, out := runWith("REDIS_URL", "redis://127.0.0.1:23201/0"); code != 1 || !strings.Contains(out, "127.0.0.1:23201") {
		t.Errorf("unreachable Redis: exit %d, output %q", code, out)
	}
}
