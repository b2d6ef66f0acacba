package config

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	cases := []struct {
		in   string
		unit time.Duration
		want time.Duration
		bad  bool
	}{
		{"15m", time.Minute, 15 * time.Minute, false},
		{"7d", time.Minute, 7 * 24 * time.Hour, false},
		{"2 days", time.Minute, 48 * time.Hour, false},
		{"1h30m", time.Minute, 90 * time.Minute, false},
		{"500ms", time.Minute, 500 * time.Millisecond, false},
		{"15", time.Minute, 15 * time.Minute, false},
		{"24h", time.Minute, 24 * time.Hour, false},
		{"0", time.Minute, 0, true},
		{"-5m", time.Minute, 0, true},
		{"soon", time.Minute, 0, true},
		{"", time.Minute, 0, true},
	}
	for _, c := range cases {
		got, err := ParseDuration(c.in, c.unit)
		if c.bad {
			if err == nil {
				t.Errorf("ParseDuration(%q) = %v, want an error", c.in, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestEnvPrefersProcessOverDotEnvAndCollectsErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".env")
	content := "# comment\nPORT=6000\nexport NAME='quoted value'\nSECRET=\"s3cr3t\"\nBAD_INT=abc\nTRAIL=x # note\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	proc := map[string]string{"PORT": "7000"}
	env, err := New(func(k string) string { return proc[k] }, path)
	if err != nil {
		t.Fatal(err)
	}
	if got := env.Int("PORT", 1); got != 7000 {
		t.Errorf("PORT = %d, want the process value 7000", got)
	}
	if got := env.String("NAME", ""); got != "quoted value" {
		t.Errorf("NAME = %q", got)
	}
	if got := env.String("TRAIL", ""); got != "x" {
		t.Errorf("TRAIL = %q, want the comment stripped", got)
	}
	if got := env.String("MISSING", "def"); got != "def" {
		t.Errorf("MISSING = %q", got)
	}
	_ = env.Int("BAD_INT", 3)
	_ = env.Bool("SECRET", false)
	if err := env.Err(); err == nil || !strings.Contains(err.Error(), "BAD_INT") || !strings.Contains(err.Error(), "SECRET") {
		t.Errorf("Err() = %v, want both bad variables named", err)
	}
}

func TestMissingDotEnvIsFine(t *testing.T) {
	if _, err := New(func(string) string { return "" }, filepath.Join(t.TempDir(), "nope")); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseDotEnv([]byte("A=1\n# ok\nNOEQUALS\n")); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("a line without = must be an error naming line 3, got %v", err)
	}
}

func TestMask(t *testing.T) {
	if got := Mask("your-secret-key-change-in-production"); strings.Contains(got, "secret") {
		t.Errorf("Mask leaked: %q", got)
	}
	if got := MaskURL("mongodb+srv://user:pa55@cluster0.example.net/db"); got != "mongodb+srv://user:****@cluster0.example.net/db" {
		t.Errorf("MaskURL = %q", got)
	}
}

func TestLogLevelAcceptsTheFourLevelsAndRefusesTheRest(t *testing.T) {
	for in, want := range map[string]slog.Level{"debug": slog.LevelDebug, "INFO": slog.LevelInfo, " Warn ": slog.LevelWarn, "error": slog.LevelError, "": slog.LevelInfo} {
		env, _ := New(func(string) string { return in }, "")
		if got := env.LogLevel("LOG_LEVEL", slog.LevelInfo); got != want || env.Err() != nil {
			t.Errorf("LOG_LEVEL=%q: %v, %v; want %v", in, got, env.Err(), want)
		}
	}
	for _, in := range []string{"verbose", "warning", "INFO+2", "0"} {
		env, _ := New(func(string) string { return in }, "")
		env.LogLevel("LOG_LEVEL", slog.LevelInfo)
		if err := env.Err(); err == nil || !strings.Contains(err.Error(), "LOG_LEVEL") {
			t.Errorf("LOG_LEVEL=%q: Err() = %v, want a refusal naming the variable", in, err)
		}
	}
}
