package config

import (
	"strings"
	"testing"

	"github.com/momentum-cohortly/backends/internal/cutover/presets"
	"github.com/momentum-cohortly/backends/internal/cutover/route"
)

const backends = "backends:\n  legacy: {urls: [http://127.0.0.1:1]}\n  new: {urls: [http://127.0.0.1:2, http://127.0.0.1:3]}\n"

func TestPresetsParse(t *testing.T) {
	for _, name := range presets.Names() {
		b, err := presets.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := Parse(b, name)
		if err != nil {
			t.Fatalf("preset %s: %v", name, err)
		}
		if c.Service != name || len(c.Envelopes) == 0 || len(c.Rules) == 0 {
			t.Errorf("preset %s: %+v", name, c)
		}
	}
}

func TestOrderedMatch(t *testing.T) {
	c, err := Parse([]byte(backends+`
paths: {case_insensitive: true, trailing_slash: true}
default: shadow legacy
envelopes: [{body: '{"error":"Service temporarily unavailable"}'}]
routes:
  - GET /api/auth/me -> new
  - match: POST /api/sms-campaigns/preview
    to: shadow new
    side_effect_free: true
  - POST,PUT,PATCH,DELETE /api/ -> hold
  - /api/ -> split 25%
`), "t")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ method, path, rule string }{
		{"GET", "/api/auth/me", "GET /api/auth/me"},
		{"POST", "/api/sms-campaigns/preview", "POST /api/sms-campaigns/preview"},
		{"POST", "/API/SMS-Campaigns/Preview/", "POST /api/sms-campaigns/preview"},
		{"POST", "/api/auth/login", "POST,PUT,PATCH,DELETE /api/"},
		{"GET", "/api/dashboard", "/api/"},
		{"GET", "/other", "default"},
	} {
		if got := c.Match(tc.method, tc.path).Name; got != tc.rule {
			t.Errorf("%s %s: rule %q, want %q", tc.method, tc.path, got, tc.rule)
		}
	}
	if s := c.Sides(); !s[route.Legacy] || !s[route.New] {
		t.Errorf("sides %v", s)
	}
}

func TestErrorsAreCollected(t *testing.T) {
	_, err := Parse([]byte(`
backends:
  legacy: {urls: ["ftp://x"]}
  old: {urls: [http://x]}
default: sideways
shadow: {safe_methods: [GET, POST], max_body: lots}
routes:
  - GET /api -> mirror
  - get /api -> new
  - /api/ -> new
  - /api/ -> legacy
  - match: /x
    to: new
    side_effect_free: true
  - /y -> hold
ignore:
  - {path: "$.a", reason: ""}
  - {path: "a.b", reason: r}
explain:
  - {route: nope, path: $.a, reason: r}
`), "t")
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{
		`unknown side "old"`, "backends.new.urls: at least one URL", `"ftp://x" must be http(s)`, `unknown target "sideways"`,
		`"POST" is not a safe method`, "shadow.max_body", `unknown target "mirror"`, `method "get" must be an upper-case word`,
		"the same pattern as routes[3]", "side_effect_free only matters to a shadow target", "a hold target needs the service's error envelope",
		"a reason is required", `path "a.b" must start with $`, `no route is named "nope"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := Parse([]byte(backends+"routes:\n  - match: /x\n    to: new\n    side_efect_free: true\n"), "t"); err == nil || !strings.Contains(err.Error(), `unknown route setting "side_efect_free"`) {
		t.Errorf("misspelt route key: %v", err)
	}
	if _, err := Parse([]byte(backends+"shadow: {queue_size: 3}\n"), "t"); err == nil || !strings.Contains(err.Error(), "queue_size") {
		t.Errorf("misspelt key: %v", err)
	}
	if _, err := Parse(nil, "t"); err == nil {
		t.Error("empty file accepted")
	}
}

func TestSizes(t *testing.T) {
	for in, want := range map[string]int64{"1048576": 1 << 20, "64KiB": 64 << 10, "1MiB": 1 << 20, "10MB": 10e6, "2 GiB": 2 << 30, "0": 0} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("%q: %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "-1", "1.5MiB", "lots", "1TiB", "99999999999999999999"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range presets.Names() {
		b, _ := presets.Get(name)
		f.Add(b)
	}
	f.Add([]byte(backends + "routes: ['GET /a/{x} -> split 1.5% legacy', '/b/ -> hold']\nenvelopes: [{body: '{}'}]\n"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b, "fuzz")
		if err != nil {
			return
		}
		// A parsed config routes any request to some rule, and renders its table.
		r := c.Match("GET", "/api/x")
		if r == nil || r.Target.String() == "invalid" {
			t.Fatalf("no rule for a request: %+v", r)
		}
		for _, ru := range c.Rules {
			if _, err := route.CompilePattern(ru.Pattern.String(), c.Paths); err != nil {
				t.Fatalf("rule %q does not compile back: %v", ru.Pattern, err)
			}
		}
	})
}

func TestClaimRules(t *testing.T) {
	c, err := Parse([]byte(backends+`
routes:
  - match: /api/
    claim: sid
    to: new
  - /api/ -> legacy
`), "t")
	if err != nil {
		t.Fatal(err)
	}
	if r := c.MatchClaims("GET", "/api/x", func(n string) bool { return n == "sid" }); r.Name != "/api/ with sid" || r.Target.Side != route.New {
		t.Errorf("token with sid: rule %q", r.Name)
	}
	if r := c.MatchClaims("GET", "/api/x", func(string) bool { return false }); r.Name != "/api/" {
		t.Errorf("token without sid: rule %q", r.Name)
	}
	if r := c.Match("GET", "/api/x"); r.Name != "/api/" {
		t.Errorf("no token: rule %q", r.Name)
	}
	for name, routes := range map[string]string{
		"bad claim name":         "  - {match: /api/, claim: 'a b', to: new}\n",
		"same pattern and claim": "  - {match: /api/, claim: sid, to: new}\n  - {match: /api/, claim: sid, to: legacy}\n",
		"unknown route setting":  "  - {match: /api/, claims: sid, to: new}\n",
	} {
		if _, err := Parse([]byte(backends+"routes:\n"+routes), "t"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The presets' groups (README "Moving traffic from the Node server"): every request that must be on
// the same side as others matches the same rule, so one target change moves the whole group.
func TestPresetGroups(t *testing.T) {
	claims := func(names ...string) func(string) bool {
		return func(c string) bool {
			for _, n := range names {
				if n == c {
					return true
				}
			}
			return false
		}
	}
	ours, legacy := claims("user_id", "impersonating_restaurant_id", "sid"), claims("user_id", "impersonating_restaurant_id")
	plain := claims("user_id")
	cases := []struct {
		preset, method, path string
		has                  func(string) bool
		rule                 string
	}{
		// Momentum: every write of either server in one rule, the previews compared apart from it.
		{"momentum", "POST", "/api/auth/register", nil, "writes"},
		{"momentum", "POST", "/api/auth/login", nil, "writes"},
		{"momentum", "PUT", "/api/checklist/status/1/5", plain, "writes"},
		{"momentum", "PUT", "/API/Dashboard/Checklist/3/", plain, "writes"},
		{"momentum", "POST", "/api/auth/impersonate/1", plain, "writes"},
		{"momentum", "POST", "/api/auth/end-impersonation", plain, "writes"},
		{"momentum", "POST", "/api/facebook-ads/create-campaign", plain, "writes"},
		{"momentum", "POST", "/api/sms-campaigns/create-campaign", plain, "writes"},
		{"momentum", "POST", "/api/sms-campaigns/preview", plain, "POST /api/sms-campaigns/preview"},
		{"momentum", "GET", "/api/dashboard/restaurant", plain, "reads"},
		{"momentum", "GET", "/api/checklist/categories-with-items", nil, "/api/checklist/"},
		// An impersonating admin: on the side that issued the token, reads and writes alike.
		{"momentum", "GET", "/api/auth/me", ours, "impersonation (ours)"},
		{"momentum", "PUT", "/api/checklist/status/me/5", ours, "impersonation (ours)"},
		{"momentum", "POST", "/api/auth/end-impersonation", ours, "impersonation (ours)"},
		{"momentum", "GET", "/api/dashboard/restaurant", legacy, "impersonation (legacy)"},
		{"momentum", "POST", "/api/auth/end-impersonation", legacy, "impersonation (legacy)"},
		// Cohortly: all of /auth in one rule.
		{"cohortly", "POST", "/api/v1/auth/login", nil, "/api/v1/auth/"},
		{"cohortly", "POST", "/api/v1/auth/register", nil, "/api/v1/auth/"},
		{"cohortly", "POST", "/api/v1/auth/refresh", nil, "/api/v1/auth/"},
		{"cohortly", "POST", "/api/v1/auth/logout", claims("id"), "/api/v1/auth/"},
		{"cohortly", "POST", "/api/v1/auth/logout-all/", claims("id"), "/api/v1/auth/"},
		{"cohortly", "GET", "/api/v1/auth/me", claims("id"), "/api/v1/auth/"},
		{"cohortly", "GET", "/api/v1/leads", claims("id"), "/api/v1/leads/"},
	}
	for _, c := range cases {
		b, err := presets.Get(c.preset)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := Parse(b, c.preset)
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.MatchClaims(c.method, c.path, c.has).Name; got != c.rule {
			t.Errorf("%s %s %s: rule %q, want %q", c.preset, c.method, c.path, got, c.rule)
		}
	}
}
