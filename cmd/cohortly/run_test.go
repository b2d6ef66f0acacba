package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/proctest"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

func envMap(kv ...string) func(string) string {
	m := map[string]string{"COHORTLY_ENV_FILE": "/nonexistent/.env"}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestConfigDefaults(t *testing.T) {
	c, err := loadConfig(envMap())
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":5000" || c.SQLitePath != "./data/cohortly.db" || c.AccessTTL != 15*time.Minute || c.RefreshTTL != 7*24*time.Hour ||
		c.BcryptCost != 10 || len(c.CORSOrigins) != 1 || c.CORSOrigins[0] != "http://localhost:3000" || c.AccessSecret == "" || c.EmailEnabled ||
		c.KeepRefreshToken {
		t.Errorf("defaults = %+v", c)
	}
}

func TestConfigDurationsAndLists(t *testing.T) {
	c, err := loadConfig(envMap("JWT_ACCESS_EXPIRY", "30", "JWT_REFRESH_EXPIRY", "2d", "CORS_ORIGIN", "https://a.example, https://b.example", "PORT", "8080"))
	if err != nil {
		t.Fatal(err)
	}
	// A bare number is minutes (the FastAPI semantics the contract recommends), units as the ms package.
	if c.AccessTTL != 30*time.Minute || c.RefreshTTL != 48*time.Hour || len(c.CORSOrigins) != 2 || c.Addr != ":8080" {
		t.Errorf("config = %+v", c)
	}
}

func TestConfigRefreshTokenRotation(t *testing.T) {
	for v, keep := range map[string]bool{"": false, "rotate": false, "off": true, " OFF ": true} {
		c, err := loadConfig(envMap("REFRESH_TOKEN_ROTATION", v))
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		if c.KeepRefreshToken != keep {
			t.Errorf("REFRESH_TOKEN_ROTATION=%q: KeepRefreshToken = %v, want %v", v, c.KeepRefreshToken, keep)
		}
	}
	_, err := loadConfig(envMap("REFRESH_TOKEN_ROTATION", "false"))
	if err == nil || !strings.Contains(err.Error(), "REFRESH_TOKEN_ROTATION") {
		t.Errorf("unknown value: err = %v, want one naming REFRESH_TOKEN_ROTATION", err)
	}
}

func TestConfigRefusesUnsafeProduction(t *testing.T) {
	strong := strings.Repeat("a", 40)
	cases := map[string][]string{
		"no secrets":     {"NODE_ENV", "production"},
		"short secret":   {"NODE_ENV", "production", "JWT_ACCESS_SECRET", "short", "JWT_REFRESH_SECRET", strong},
		"same secrets":   {"NODE_ENV", "production", "JWT_ACCESS_SECRET", strong, "JWT_REFRESH_SECRET", strong},
		"dev secret":     {"NODE_ENV", "production", "JWT_ACCESS_SECRET", devAccessSecret, "JWT_REFRESH_SECRET", strong},
		"wildcard CORS":  {"CORS_ORIGIN", "*"},
		"bad duration":   {"JWT_ACCESS_EXPIRY", "soon"},
		"low bcrypt":     {"NODE_ENV", "production", "JWT_ACCESS_SECRET", strong, "JWT_REFRESH_SECRET", strong + "b", "BCRYPT_COST", "4"},
		"bad log level":  {"LOG_LEVEL", "loud"},
		"bad rate limit": {"RATE_LIMIT_AUTH_PER_MINUTE", "0"},
		"bad rotation":   {"REFRESH_TOKEN_ROTATION", "never"},
	}
	for name, kv := range cases {
		if _, err := loadConfig(envMap(kv...)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := loadConfig(envMap("NODE_ENV", "production", "JWT_ACCESS_SECRET", strong, "JWT_REFRESH_SECRET", strong+"b")); err != nil {
		t.Errorf("good production config refused: %v", err)
	}
}

func TestUnknownCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"frobnicate"}, envMap(), &out, &errb); code != 2 || !strings.Contains(errb.String(), "unknown command") {
		t.Errorf("code %d, stderr %q", code, errb.String())
	}
	if code := run(context.Background(), []string{"help"}, envMap(), &out, &errb); code != 0 || !strings.Contains(out.String(), "seed") {
		t.Errorf("help: %d %q", code, out.String())
	}
	errb.Reset()
	if code := run(context.Background(), nil, envMap("NODE_ENV", "production"), &out, &errb); code != 2 || !strings.Contains(errb.String(), "JWT_ACCESS_SECRET") {
		t.Errorf("bad config: %d %q", code, errb.String())
	}
}

type lockedBuffer = testenv.SyncBuffer

// TestSeedThenServe runs the real program: `cohortly seed` on a fresh SQLite file, then `cohortly serve`
// on a free port, a login with the demo password, and a graceful shutdown when the context ends.
func TestSeedThenServe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sub", "cohortly.db")
	getenv := envMap("COHORTLY_SQLITE_PATH", db, "BCRYPT_COST", "4", "HOST", "127.0.0.1", "PORT", "0")
	var out lockedBuffer
	if code := run(t.Context(), []string{"seed"}, getenv, &out, &out); code != 0 {
		t.Fatalf("seed exited %d:\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), `"msg":"demo data loaded"`) {
		t.Fatalf("seed log not flushed at exit:\n%s", out.String())
	}
	if code := run(t.Context(), []string{"migrate"}, getenv, &out, &out); code != 0 {
		t.Fatalf("migrate exited %d:\n%s", code, out.String())
	}

	base, logs, stop := proctest.Serve(t, run, []string{"serve"}, getenv, "cohortly listening")

	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"email":"admin@bootcamp.com","password":"Password123!"}`))
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Success bool `json:"success"`
		Data    struct {
			AccessToken string `json:"accessToken"`
		} `json:"data"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !body.Success {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/leads", nil)
	req.Header.Set("Authorization", "Bearer "+body.Data.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Charlie Prospect") {
		t.Fatalf("leads: %d %s", resp.StatusCode, b)
	}

	if code := stop(); code != 0 {
		t.Fatalf("exit status %d after the shutdown:\n%s", code, logs)
	}
	if !strings.Contains(logs.String(), `"msg":"shutting down"`) {
		t.Errorf("log:\n%s", logs)
	}
}
