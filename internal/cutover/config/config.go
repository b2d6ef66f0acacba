// Package config reads the cut-over router's YAML configuration (see the README section "Cut-over
// router") into a checked, compiled Config: the ordered route table, both backends, what a hold
// answers, what is noise, what is explained, and what is redacted. Everything is validated before a
// Config exists, so a reload either swaps in a whole good table or keeps the old one.
package config

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/momentum-cohortly/backends/internal/cutover/jsondiff"
	"github.com/momentum-cohortly/backends/internal/cutover/redact"
	"github.com/momentum-cohortly/backends/internal/cutover/route"
	pconfig "github.com/momentum-cohortly/backends/internal/platform/config"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
)

// MaxFileSize bounds a configuration file: anything larger is not a route table.
const MaxFileSize = 1 << 20

// Config is a checked configuration.
type Config struct {
	Service     string
	Listen      string
	AdminListen string
	TrustProxy  httpx.TrustedProxies
	Backends    map[route.Side]Backend
	Paths       route.Options
	Rules       []*Rule
	Default     *Rule
	SplitClaims []string
	Shadow      Shadow
	Hold        Hold
	Envelopes   []Envelope
	Ignore      []Note
	Explain     []Note
	Redactor    *redact.Redactor
	DiffLog     DiffLog

	Source string // file name or preset name
	SHA256 string // of the bytes parsed
}

// Backend is one side: its instances (round-robin) and its health path.
type Backend struct {
	URLs   []*url.URL
	Health string
	Eject  time.Duration
}

// Rule is one line of the route table.
type Rule struct {
	Index          int // 1-based position; 0 for the default rule
	Name           string
	Pattern        *route.Pattern // nil for the default rule
	Target         route.Target
	SideEffectFree bool
	RetryAfter     time.Duration // hold only
	Note           string
	// Claim, when set, limits the rule to requests whose bearer token payload (read without verifying
	// it, as for the split key) carries this claim with a non-empty string or a number: the way to keep
	// a kind of session on the side that issued it (Momentum's impersonation tokens: ours carry sid,
	// the legacy server's impersonating_restaurant_id without sid). A forged claim only chooses which
	// side verifies, and refuses, the token.
	Claim string
}

// Shadow configures copies to the other side.
type Shadow struct {
	Queue       int
	Workers     int
	Timeout     time.Duration
	MaxBody     int64
	MaxQueued   int64 // bodies held by queued comparisons, in bytes
	SafeMethods map[string]bool
	LearnNoise  bool
}

// Hold configures hold answers.
type Hold struct {
	RetryAfter time.Duration
}

// Envelope is the service's own 503 body for the paths its pattern covers.
type Envelope struct {
	Pattern     *route.Pattern
	ContentType string
	Body        []byte
}

// Note is an ignore or explain entry: a path pattern, on one route ("" for all), with its reason.
type Note struct {
	Route     string
	Path      jsondiff.Pattern
	Reason    string
	NewStatus map[int]bool // empty: any
}

// DiffLog configures the diff log ("" Path: none).
type DiffLog struct {
	Path       string
	MaxBytes   int64
	Keep       int
	StatsEvery time.Duration
}

// DefaultRuleName is the route name of requests no rule matches.
const DefaultRuleName = "default"

// Override changes a parsed file before it is checked (command-line flags over the file).
type Override func(*File)

// Load reads and parses a file.
func Load(path string, overrides ...Override) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1)); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if buf.Len() > MaxFileSize {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, MaxFileSize)
	}
	return Parse(buf.Bytes(), path, overrides...)
}

// Parse reads a YAML document. Unknown keys are errors (a misspelt setting must not pass silently).
func Parse(data []byte, source string, overrides ...Override) (*Config, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", source, MaxFileSize)
	}
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty configuration", source)
		}
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	for _, o := range overrides {
		o(&f)
	}
	c, err := compile(&f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	sum := sha256.Sum256(data)
	c.Source, c.SHA256 = source, hex.EncodeToString(sum[:])
	return c, nil
}

func compile(f *File) (*Config, error) {
	var errs []error
	fail := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	c := &Config{
		Service:     f.Service,
		Listen:      or(f.Listen, ":8080"),
		AdminListen: f.AdminListen,
		Paths:       route.Options{CaseInsensitive: f.Paths.CaseInsensitive, TrailingSlash: f.Paths.TrailingSlash},
		Backends:    map[route.Side]Backend{},
		SplitClaims: f.SplitClaims,
	}
	if len(c.SplitClaims) == 0 {
		c.SplitClaims = []string{"sub"}
	}
	if tp, err := httpx.ParseTrustedProxies(f.TrustProxy); err != nil {
		fail("trust_proxy: %v", err)
	} else {
		c.TrustProxy = tp
	}

	for name := range f.Backends {
		if _, err := route.ParseSide(name); err != nil {
			fail("backends: %v", err)
		}
	}
	for _, side := range []route.Side{route.Legacy, route.New} {
		bf, ok := f.Backends[string(side)]
		if !ok || len(bf.URLs) == 0 {
			fail("backends.%s.urls: at least one URL is required", side)
			continue
		}
		b := Backend{Health: or(bf.Health, "/readyz"), Eject: 2 * time.Second}
		if !strings.HasPrefix(b.Health, "/") {
			fail("backends.%s.health: %q must be a path starting with /", side, b.Health)
		}
		if bf.Eject != "" {
			d, err := duration(bf.Eject)
			if err != nil {
				fail("backends.%s.eject: %v", side, err)
			}
			b.Eject = d
		}
		for _, raw := range bf.URLs {
			u, err := url.Parse(raw)
			switch {
			case err != nil:
				fail("backends.%s.urls: %v", side, err)
				continue
			case u.Scheme != "http" && u.Scheme != "https", u.Host == "", u.RawQuery != "", u.Fragment != "", u.User != nil:
				fail("backends.%s.urls: %q must be http(s)://host[:port][/prefix], without credentials, query or fragment", side, raw)
				continue
			}
			if len(b.URLs) > 0 && strings.TrimSuffix(u.Path, "/") != strings.TrimSuffix(b.URLs[0].Path, "/") {
				fail("backends.%s.urls: every instance of a side must have the same path prefix (%q, %q)", side, b.URLs[0].Path, u.Path)
				continue
			}
			b.URLs = append(b.URLs, u)
		}
		c.Backends[side] = b
	}

	def := or(f.Default, "legacy")
	if t, err := route.ParseTarget(def); err != nil {
		fail("default: %v", err)
	} else {
		c.Default = &Rule{Name: DefaultRuleName, Target: t}
	}

	// Shadow.
	c.Shadow = Shadow{Queue: 1024, Workers: 4, Timeout: 10 * time.Second, MaxBody: 1 << 20, MaxQueued: 64 << 20, LearnNoise: true,
		SafeMethods: map[string]bool{http.MethodGet: true, http.MethodHead: true}}
	if f.Shadow.Queue != 0 {
		c.Shadow.Queue = f.Shadow.Queue
	}
	if f.Shadow.Workers != 0 {
		c.Shadow.Workers = f.Shadow.Workers
	}
	if c.Shadow.Queue < 1 || c.Shadow.Queue > 1<<20 || c.Shadow.Workers < 1 || c.Shadow.Workers > 1024 {
		fail("shadow: queue must be 1..1048576 and workers 1..1024")
	}
	if f.Shadow.Timeout != "" {
		d, err := duration(f.Shadow.Timeout)
		if err != nil {
			fail("shadow.timeout: %v", err)
		}
		c.Shadow.Timeout = d
	}
	if f.Shadow.MaxQueued != "" {
		n, err := ParseSize(f.Shadow.MaxQueued)
		if err != nil {
			fail("shadow.max_queued_bytes: %v", err)
		}
		c.Shadow.MaxQueued = n
	}
	if f.Shadow.MaxBody != "" {
		n, err := ParseSize(f.Shadow.MaxBody)
		if err != nil {
			fail("shadow.max_body: %v", err)
		}
		c.Shadow.MaxBody = n
	}
	if f.Shadow.SafeMethods != nil {
		c.Shadow.SafeMethods = map[string]bool{}
		for _, m := range f.Shadow.SafeMethods {
			switch m {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
				c.Shadow.SafeMethods[m] = true
			default:
				// A write marked safe for every route would be sent twice; routes that are side-effect
				// free say so one by one.
				fail("shadow.safe_methods: %q is not a safe method (GET, HEAD, OPTIONS); mark side-effect-free routes with side_effect_free", m)
			}
		}
	}
	if f.Shadow.LearnNoise != nil {
		c.Shadow.LearnNoise = *f.Shadow.LearnNoise
	}

	c.Hold = Hold{RetryAfter: 30 * time.Second}
	if f.Hold.RetryAfter != "" {
		d, err := duration(f.Hold.RetryAfter)
		if err != nil {
			fail("hold.retry_after: %v", err)
		}
		c.Hold.RetryAfter = d
	}

	// Routes.
	names := map[string]int{DefaultRuleName: 0}
	specs := map[string]int{}
	hasHold := c.Default != nil && c.Default.Target.Kind == route.KindHold
	for i, rf := range f.Routes {
		n := i + 1
		p, err := route.CompilePattern(rf.Match, c.Paths)
		if err != nil {
			fail("routes[%d]: %v", n, err)
			continue
		}
		t, err := route.ParseTarget(rf.To)
		if err != nil {
			fail("routes[%d] %s: %v", n, p, err)
			continue
		}
		spec := p.String()
		if rf.Claim != "" {
			if strings.Trim(rf.Claim, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "" {
				fail("routes[%d] %s: claim %q must be a claim name (letters, digits, _ and -)", n, p, rf.Claim)
			}
			spec += " with " + rf.Claim
		}
		r := &Rule{Index: n, Name: or(rf.Name, spec), Pattern: p, Target: t, SideEffectFree: rf.SideEffectFree, Note: rf.Note, Claim: rf.Claim}
		if prev, dup := specs[spec]; dup {
			fail("routes[%d] %s: the same pattern as routes[%d], so it can never match", n, spec, prev)
		}
		specs[spec] = n
		if prev, dup := names[r.Name]; dup {
			fail("routes[%d]: name %q is taken (by routes[%d])", n, r.Name, prev)
		}
		names[r.Name] = n
		if rf.SideEffectFree && t.Kind != route.KindShadow {
			fail("routes[%d] %s: side_effect_free only matters to a shadow target", n, p)
		}
		if rf.RetryAfter != "" {
			if t.Kind != route.KindHold {
				fail("routes[%d] %s: retry_after only applies to hold", n, p)
			}
			d, err := duration(rf.RetryAfter)
			if err != nil {
				fail("routes[%d] %s: retry_after: %v", n, p, err)
			}
			r.RetryAfter = d
		}
		if t.Kind == route.KindHold {
			hasHold = true
			if r.RetryAfter == 0 {
				r.RetryAfter = c.Hold.RetryAfter
			}
		}
		c.Rules = append(c.Rules, r)
	}
	if c.Default != nil && c.Default.Target.Kind == route.KindHold {
		c.Default.RetryAfter = c.Hold.RetryAfter
	}

	for i, ef := range f.Envelopes {
		p, err := route.CompilePattern(or(ef.Match, "/"), c.Paths)
		if err != nil {
			fail("envelopes[%d]: %v", i+1, err)
			continue
		}
		e := Envelope{Pattern: p, ContentType: or(ef.ContentType, "application/json; charset=utf-8"), Body: []byte(ef.Body)}
		mt, _, err := mime.ParseMediaType(e.ContentType)
		if err != nil {
			fail("envelopes[%d]: content_type %q: %v", i+1, e.ContentType, err)
		} else if (mt == "application/json" || strings.HasSuffix(mt, "+json")) && !json.Valid(e.Body) {
			fail("envelopes[%d] %s: body is not valid JSON", i+1, p)
		}
		c.Envelopes = append(c.Envelopes, e)
	}
	if hasHold && len(f.Envelopes) == 0 {
		fail("a hold target needs the service's error envelope: declare envelopes (see the presets)")
	}

	for _, list := range []struct {
		name string
		in   []NoteFile
		out  *[]Note
	}{{"ignore", f.Ignore, &c.Ignore}, {"explain", f.Explain, &c.Explain}} {
		for i, nf := range list.in {
			p, err := jsondiff.ParsePattern(nf.Path)
			if err != nil {
				fail("%s[%d]: %v", list.name, i+1, err)
				continue
			}
			if strings.TrimSpace(nf.Reason) == "" {
				fail("%s[%d] %s: a reason is required (it is what the report shows)", list.name, i+1, nf.Path)
			}
			rt := strings.TrimSpace(nf.Route)
			if rt == "*" {
				rt = ""
			}
			if rt != "" {
				if _, ok := names[rt]; !ok {
					fail("%s[%d] %s: no route is named %q", list.name, i+1, nf.Path, rt)
				}
			}
			n := Note{Route: rt, Path: p, Reason: strings.TrimSpace(nf.Reason)}
			for _, st := range nf.NewStatus {
				if st < 100 || st > 599 {
					fail("%s[%d] %s: new_status %d is not an HTTP status", list.name, i+1, nf.Path, st)
				}
				if n.NewStatus == nil {
					n.NewStatus = map[int]bool{}
				}
				n.NewStatus[st] = true
			}
			*list.out = append(*list.out, n)
		}
	}

	var extra []string
	extra = append(extra, f.Redact.Headers...)
	extra = append(extra, f.Redact.Keys...)
	c.Redactor = redact.New(extra...)

	c.DiffLog = DiffLog{Path: f.DiffLog.Path, MaxBytes: 64 << 20, Keep: 3, StatsEvery: 10 * time.Second}
	if f.DiffLog.MaxBytes != "" {
		n, err := ParseSize(f.DiffLog.MaxBytes)
		if err != nil || n < 4096 {
			fail("difflog.max_bytes: want a size of at least 4KiB (%q)", f.DiffLog.MaxBytes)
		}
		c.DiffLog.MaxBytes = n
	}
	if f.DiffLog.Keep != nil {
		if *f.DiffLog.Keep < 0 || *f.DiffLog.Keep > 100 {
			fail("difflog.keep: want 0..100")
		}
		c.DiffLog.Keep = *f.DiffLog.Keep
	}
	if f.DiffLog.StatsEvery != "" {
		d, err := duration(f.DiffLog.StatsEvery)
		if err != nil {
			fail("difflog.stats_every: %v", err)
		}
		c.DiffLog.StatsEvery = d
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// Match returns the first rule matching a request without a bearer token, or the default rule.
func (c *Config) Match(method, escapedPath string) *Rule {
	return c.MatchClaims(method, escapedPath, nil)
}

// MatchClaims returns the first rule matching the request, or the default rule; has reports whether
// the request's bearer token carries a claim (nil: no token), for the rules that name one.
func (c *Config) MatchClaims(method, escapedPath string, has func(claim string) bool) *Rule {
	q := route.NewRequest(method, escapedPath, c.Paths)
	for _, r := range c.Rules {
		if r.Claim != "" && (has == nil || !has(r.Claim)) {
			continue
		}
		if r.Pattern.Match(q) {
			return r
		}
	}
	return c.Default
}

// Envelope returns the 503 envelope for a request.
func (c *Config) Envelope(method, escapedPath string) Envelope {
	q := route.NewRequest(method, escapedPath, c.Paths)
	for _, e := range c.Envelopes {
		if e.Pattern.Match(q) {
			return e
		}
	}
	return Envelope{ContentType: "application/json; charset=utf-8", Body: []byte(`{"error":"Service temporarily unavailable"}`)}
}

// Ignored returns the reason a diff path of a route is declared noise, given the status the new side
// answered (0: unknown; then only notes without new_status apply).
func (c *Config) Ignored(routeName, path string, newStatus int) (string, bool) {
	return lookup(c.Ignore, routeName, path, newStatus)
}

// Explanation returns the declared explanation of a diff path of a route ("" when none), given the
// status the new side answered.
func (c *Config) Explanation(routeName, path string, newStatus int) string {
	s, _ := lookup(c.Explain, routeName, path, newStatus)
	return s
}

func lookup(notes []Note, routeName, path string, newStatus int) (string, bool) {
	for _, n := range notes {
		if len(n.NewStatus) > 0 && !n.NewStatus[newStatus] {
			continue
		}
		if (n.Route == "" || n.Route == routeName) && n.Path.Match(path) {
			return n.Reason, true
		}
	}
	return "", false
}

// Sides returns the sides that can answer a client under this table (the primary of every rule and
// of the default): readiness depends on those, not on a side that only receives shadow copies.
func (c *Config) Sides() map[route.Side]bool {
	out := map[route.Side]bool{}
	add := func(t route.Target) {
		switch t.Kind {
		case route.KindServe, route.KindShadow:
			out[t.Side] = true
		case route.KindSplit:
			if t.Share > 0 {
				out[t.Side] = true
			}
			if t.Share < 10000 {
				out[t.Side.Other()] = true
			}
		}
	}
	add(c.Default.Target)
	for _, r := range c.Rules {
		add(r.Target)
	}
	return out
}

func or(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return strings.TrimSpace(s)
}

func duration(s string) (time.Duration, error) { return pconfig.ParseDuration(s, time.Second) }

// ParseSize reads a byte size: `1048576`, `64KiB`, `1MiB`, `10MB` (decimal), `1GiB`.
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(num), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("%q is not a size (e.g. 1048576, 64KiB, 1MiB)", s)
	}
	return n * mult, nil
}
