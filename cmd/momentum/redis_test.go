package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/momentum-cohortly/backends/internal/platform/proctest"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// TestProductionWithoutRedisWarns: behind a load balancer, limits counted per instance multiply with
// the instances, so production says so at start-up (and development does not).
func TestProductionWithoutRedisWarns(t *testing.T) {
	const warning = "REDIS_URL is not set: login rate limits are counted per instance"
	_, prod := startServer(t, map[string]string{"APP_ENV": "production", "JWT_SECRET": strings.Repeat("s", 40)})
	if logs := prod.all(); strings.Count(logs, warning) != 1 {
		t.Errorf("production without REDIS_URL: want one warning, log:\n%s", logs)
	}
	_, dev := startServer(t, nil)
	if logs := dev.all(); strings.Contains(logs, warning) {
		t.Errorf("development warned about REDIS_URL:\n%s", logs)
	}
}

// TestLoginsGoOnWhileRedisIsDown: with the shared counters out of reach, logins succeed and failures
// are limited by the instance's own count (they answered 503 before).
func TestLoginsGoOnWhileRedisIsDown(t *testing.T) {
	redisURL, px := testenv.RedisBehindProxy(t)
	dir := t.TempDir()
	p := proctest.Start(t, momentumBin.Path(t), proctest.Config{ReadyMsg: "ready", Env: map[string]string{
		"REDIS_URL": redisURL, "PORT": "0", "HOST": "127.0.0.1", "APP_ENV": "development", "BCRYPT_COST": "4",
		"MOMENTUM_SQLITE_PATH": filepath.Join(dir, "m.db"), "UPLOAD_DIR": filepath.Join(dir, "uploads"),
		"MOMENTUM_ENV_FILE": filepath.Join(dir, "none.env"),
	}})
	base := p.URL
	email := testenv.RandomName("down") + "@example.com"
	if code, body := post(t, base+"/api/auth/register", "", fmt.Sprintf(`{"email":%q,"password":"password123","restaurantName":"Down"}`, email)); code != 201 {
		t.Fatalf("register: %d %v", code, body)
	}
	px.Cut()
	login(t, base, email, "password123")
	for i := range 10 { // the default policy: 10 failures
		if code, body := post(t, base+"/api/auth/login", "", fmt.Sprintf(`{"email":%q,"password":"wrong-password"}`, email)); code != 401 {
			t.Fatalf("failure %d with Redis down: %d %v", i+1, code, body)
		}
	}
	if code, body := post(t, base+"/api/auth/login", "", fmt.Sprintf(`{"email":%q,"password":"password123"}`, email)); code != 429 {
		t.Fatalf("after 10 failures with Redis down: %d %v, want 429", code, body)
	}
	if err := p.Stop(); err != nil { // the log is buffered: all of it is out once the process is
		t.Fatal(err)
	}
	if n := len(p.LogLines("rate-limit store unreachable: counting per instance until it is back (N instances allow N times the attempts)")); n != 1 {
		t.Errorf("%d warnings about Redis in the log, want 1:\n%s", n, p.Logs())
	}
}
