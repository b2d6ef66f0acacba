// Package config reads typed settings from the environment, with an optional .env file underneath it.
// The process environment always wins over the file, so deployments can override a checked-in .env.
package config

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"
)

// Env is a typed view of the environment. Parse errors are collected, not fatal one by one, so a
// misconfigured deployment learns about every bad variable at once through Err.
type Env struct {
	getenv func(string) string
	file   map[string]string
	errs   []error
}

// New returns an Env reading getenv first and then the dotenv file at dotenvPath (if it exists; an empty
// path means no file).
func New(getenv func(string) string, dotenvPath string) (*Env, error) {
	e := &Env{getenv: getenv, file: map[string]string{}}
	if dotenvPath == "" {
		return e, nil
	}
	f, err := os.Open(dotenvPath)
	if errors.Is(err, os.ErrNotExist) {
		return e, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dotenvPath, err)
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, MaxDotEnvSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dotenvPath, err)
	}
	vals, err := ParseDotEnv(src)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", dotenvPath, err)
	}
	e.file = vals
	return e, nil
}

// Lookup returns the raw value of key and whether it is set to something non-empty: an empty value
// counts as unset (a blank `PORT=` line keeps the default), and an empty process variable does not
// hide the file's value.
func (e *Env) Lookup(key string) (string, bool) {
	if v := e.getenv(key); v != "" {
		return v, true
	}
	v, ok := e.file[key]
	return v, ok && v != ""
}

// String returns the value of key, or def when unset or empty.
func (e *Env) String(key, def string) string {
	if v, ok := e.Lookup(key); ok {
		return v
	}
	return def
}

// Int returns key as an integer, or def.
func (e *Env) Int(key string, def int) int {
	v, ok := e.Lookup(key)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s: %q is not an integer", key, v))
		return def
	}
	return n
}

// Bool returns key as a boolean (1/0, true/false, yes/no, on/off), or def.
func (e *Env) Bool(key string, def bool) bool {
	v, ok := e.Lookup(key)
	if !ok {
		return def
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	e.errs = append(e.errs, fmt.Errorf("%s: %q is not a boolean", key, v))
	return def
}

// Duration returns key as a duration, or def. Go syntax ("1h30m") is accepted, and so are the `ms`
// package forms the Node servers used ("15m", "7d", "2 days", "500ms"); a bare number means the unit
// given by bareUnit (e.g. time.Minute).
func (e *Env) Duration(key string, def time.Duration) time.Duration {
	return e.DurationUnit(key, def, time.Millisecond)
}

// DurationUnit is Duration with an explicit unit for bare numbers.
func (e *Env) DurationUnit(key string, def, bareUnit time.Duration) time.Duration {
	v, ok := e.Lookup(key)
	if !ok {
		return def
	}
	d, err := ParseDuration(v, bareUnit)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s: %w", key, err))
		return def
	}
	return d
}

// LogLevel returns key as a log level (debug, info, warn or error, in any case), or def. Anything else
// is an error: a misspelt level must not silently change what the logs show.
func (e *Env) LogLevel(key string, def slog.Level) slog.Level {
	v, ok := e.Lookup(key)
	if !ok {
		return def
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "debug":
		return slog.LevelDebug
	case "info":
		return slog.LevelInfo
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	e.errs = append(e.errs, fmt.Errorf("%s: %q is not one of debug, info, warn, error", key, v))
	return def
}

// List returns key split on commas with blanks dropped, or def.
func (e *Env) List(key string, def []string) []string {
	v, ok := e.Lookup(key)
	if !ok {
		return def
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Fail records a configuration error found by the caller (e.g. an invalid combination).
func (e *Env) Fail(err error) { e.errs = append(e.errs, err) }

// Err returns every problem met so far, joined, or nil.
func (e *Env) Err() error { return errors.Join(e.errs...) }

var durationUnits = map[string]time.Duration{
	"ms": time.Millisecond, "msec": time.Millisecond, "msecs": time.Millisecond, "millisecond": time.Millisecond, "milliseconds": time.Millisecond,
	"s": time.Second, "sec": time.Second, "secs": time.Second, "second": time.Second, "seconds": time.Second,
	"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
	"d": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
	"w": 7 * 24 * time.Hour, "week": 7 * 24 * time.Hour, "weeks": 7 * 24 * time.Hour,
	"y": 365*24*time.Hour + 6*time.Hour, "yr": 365*24*time.Hour + 6*time.Hour, "yrs": 365*24*time.Hour + 6*time.Hour, "year": 365*24*time.Hour + 6*time.Hour, "years": 365*24*time.Hour + 6*time.Hour,
}

// ParseDuration parses the forms of the `ms` npm package ("15m", "7d", "1.5 hours", "100") and Go's
// ("1h30m"). A bare number is in bareUnit. Negative and zero durations are rejected: every duration this
// project reads is a lifetime or a window.
func ParseDuration(s string, bareUnit time.Duration) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty duration")
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		d := time.Duration(f * float64(bareUnit))
		if d <= 0 {
			return 0, fmt.Errorf("duration %q must be positive", s)
		}
		return d, nil
	}
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	if i > 0 {
		if unit, ok := durationUnits[strings.ToLower(strings.TrimSpace(s[i:]))]; ok {
			f, err := strconv.ParseFloat(s[:i], 64)
			if err == nil && f > 0 {
				return time.Duration(f * float64(unit)), nil
			}
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration (e.g. 15m, 7d, 1h30m)", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("duration %q must be positive", s)
	}
	return d, nil
}

// Mask hides a secret for logs, keeping just enough to tell two secrets apart.
func Mask(secret string) string {
	if secret == "" {
		return ""
	}
	if len(secret) <= 8 {
		return "****"
	}
	return secret[:2] + "****" + secret[len(secret)-2:]
}

// MaskURL hides the password of a URL-shaped connection string (mongodb://u:p@h, postgres://u:p@h).
func MaskURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return Mask(raw)
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	userinfo := rest[:at]
	if u, _, ok := strings.Cut(userinfo, ":"); ok {
		userinfo = u + ":****"
	}
	return scheme + "://" + userinfo + rest[at:]
}
