package proxy_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/momentum-cohortly/backends/internal/cutover/config"
	"github.com/momentum-cohortly/backends/internal/cutover/presets"
	"github.com/momentum-cohortly/backends/internal/cutover/proxy"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
)

func TestRulesInOrderAndDefault(t *testing.T) {
	legacy, newB := newBackend(t, "legacy", nil), newBackend(t, "new", nil)
	e := start(t, `
default: legacy
paths: {case_insensitive: true, trailing_slash: true}
routes:
  - GET /api/auth/me -> new
  - /api/auth/ -> legacy
  - match: /api/
    to: new
`, legacy, newB)
	cases := []struct {
		method, path, want string
	}{
		{"GET", "/api/auth/me", "new"},
		{"HEAD", "/api/auth/me", "new"},
		{"GET", "/API/Auth/Me/", "new"},
		{"POST", "/api/auth/me", "legacy"}, // rule 1 is GET only; rule 2 matches first
		{"POST", "/api/auth/login", "legacy"},
		{"GET", "/api/dashboard/restaurant", "new"},
		{"GET", "/elsewhere", "legacy"},
		{"GET", "/api", "new"}, // the /api/ subtree: with trailing_slash, /api and /api/ are one path
	}
	for _, c := range cases {
		before := map[string]int{"legacy": legacy.total(), "new": newB.total()}
		r := e.do(t, c.method, c.path, "")
		if r.status != 200 {
			t.Fatalf("%s %s: %d %s", c.method, c.path, r.status, r.body)
		}
		for _, side := range []*backend{legacy, newB} {
			got := side.total() - before[side.name]
			if want := map[bool]int{true: 1, false: 0}[side.name == c.want]; got != want {
				t.Errorf("%s %s: %s got %d requests, want %d", c.method, c.path, side.name, got, want)
			}
		}
	}
	if got := e.metric(t, "cutover_requests_total", map[string]string{"route": "GET /api/auth/me", "target": "new"}); got != 3 {
		t.Errorf("requests metric for GET /api/auth/me -> new: %v, want 3", got)
	}
	if got := e.metric(t, "cutover_requests_total", map[string]string{"route": "default", "target": "legacy"}); got != 1 {
		t.Errorf("requests metric for the default route: %v, want 1", got)
	}
}

func TestProxyPassesRequestAndAnswerThrough(t *testing.T) {
	legacy := newBackend(t, "legacy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-ID", r.Header.Get("X-Request-ID"))
		w.Header().Set("Set-Cookie", "a=b")
		w.WriteHeader(http.StatusTeapot)
		fmt.Fprint(w, "short and stout")
	})
	newB := newBackend(t, "new", nil)
	e := start(t, "default: legacy\n", legacy, newB)
	r := e.do(t, "POST", "/api/x%2Fy/z?q=1&q=2", "payload", "X-Forwarded-For", "203.0.113.9", "X-Request-ID", "abc-123")
	if r.status != http.StatusTeapot || r.body != "short and stout" || r.header.Get("Set-Cookie") != "a=b" {
		t.Errorf("answer changed on the way: %d %q %v", r.status, r.body, r.header)
	}
	if ids := r.header.Values("X-Request-ID"); len(ids) != 1 || ids[0] != "abc-123" {
		t.Errorf("X-Request-ID %v, want the caller's id once", ids)
	}
	if legacy.count("POST /api/x%2Fy/z?q=1&q=2") != 1 {
		t.Errorf("the escaped path and query did not reach the backend as sent: %v", legacy.hits)
	}
	if body := legacy.bodies["POST /api/x%2Fy/z?q=1&q=2"]; len(body) != 1 || body[0] != "payload" {
		t.Errorf("body %q", body)
	}
	if xff := legacy.lastHeader().Get("X-Forwarded-For"); xff != "203.0.113.9, 127.0.0.1" {
		t.Errorf("X-Forwarded-For %q: the router must append the peer to the client's chain", xff)
	}
}

func TestSplitRatioAndStability(t *testing.T) {
	for _, share := range []int{500, 2500, 5000, 9000} {
		n, in := 20000, 0
		for i := 0; i < n; i++ {
			if proxy.Bucket(fmt.Sprintf("jwt:%d", i)) < share {
				in++
			}
		}
		got := float64(in) / float64(n) * 10000
		if d := got - float64(share); d > 150 || d < -150 {
			t.Errorf("share %d bp: %d of %d keys (%.0f bp)", share, in, n, got)
		}
	}

	legacy, newB := newBackend(t, "legacy", nil), newBackend(t, "new", nil)
	e := start(t, `
split_claims: [user_id, sub]
routes:
  - /api/ -> split 50%
`, legacy, newB)
	sides := map[string]int{}
	for u := 1; u <= 40; u++ {
		tok := token(map[string]any{"user_id": u, "role": "restaurant"})
		first := ""
		for i := 0; i < 4; i++ {
			var got map[string]string
			r := e.do(t, "GET", fmt.Sprintf("/api/dashboard/%d", i), "", "Authorization", "Bearer "+tok)
			if err := json.Unmarshal([]byte(r.body), &got); err != nil {
				t.Fatal(err)
			}
			if first == "" {
				first = got["side"]
				sides[first]++
			} else if got["side"] != first {
				t.Fatalf("user %d moved from %s to %s", u, first, got["side"])
			}
		}
	}
	if sides["legacy"] < 8 || sides["new"] < 8 {
		t.Errorf("40 users split %v at 50%%", sides)
	}
	// An admin impersonating a restaurant keeps its user_id: same side as without impersonation.
	plain := proxy.SplitKey(req("Bearer "+token(map[string]any{"user_id": 1, "role": "admin"})), []string{"user_id"}, httpx.TrustedProxies{})
	imp := proxy.SplitKey(req("Bearer "+token(map[string]any{"user_id": 1, "role": "admin", "impersonating_restaurant_id": 7})), []string{"user_id"}, httpx.TrustedProxies{})
	if plain != imp || plain != "jwt:1" {
		t.Errorf("split keys %q and %q", plain, imp)
	}
	// Claims are tried in order; no token (or an unreadable one) falls back to the client address.
	if k := proxy.SplitKey(req("Bearer "+token(map[string]any{"sub": "u-9"})), []string{"user_id", "sub"}, httpx.TrustedProxies{}); k != "jwt:u-9" {
		t.Errorf("sub fallback: %q", k)
	}
	for _, h := range []string{"", "Bearer not-a-jwt", "Bearer a.%%%.c", "Bearer " + token(map[string]any{"other": 1})} {
		if k := proxy.SplitKey(req(h), []string{"user_id"}, httpx.TrustedProxies{}); k != "ip:192.0.2.7" {
			t.Errorf("%q: key %q, want the client address", h, k)
		}
	}
}

func req(authz string) *http.Request {
	r, _ := http.NewRequest("GET", "http://x/api", nil)
	r.RemoteAddr = "192.0.2.7:5555"
	if authz != "" {
		r.Header.Set("Authorization", authz)
	}
	return r
}

func TestHoldAnswersInEachServicesEnvelope(t *testing.T) {
	cases := []struct {
		preset, hold string
		method, path string
		body         string // "" : forwarded, not held
	}{
		{"momentum", "POST,PUT,PATCH,DELETE /", "PUT", "/api/checklist/status/1/2", `{"success":false,"error":"Service temporarily unavailable"}`},
		{"momentum", "POST,PUT,PATCH,DELETE /", "POST", "/api/facebook-ads/create-campaign", `{"success":false,"error":"Service temporarily unavailable"}`},
		{"momentum", "POST,PUT,PATCH,DELETE /", "POST", "/api/sms-campaigns/create-campaign", `{"success":false,"error":"Service temporarily unavailable"}`},
		{"momentum", "POST,PUT,PATCH,DELETE /", "POST", "/api/auth/login", `{"error":"Service temporarily unavailable"}`},
		{"momentum", "POST,PUT,PATCH,DELETE /", "PUT", "/API/Dashboard/checklist/3/", `{"error":"Service temporarily unavailable"}`},
		{"momentum", "POST,PUT,PATCH,DELETE /", "GET", "/api/auth/me", ""},
		{"cohortly", "POST,PUT,PATCH,DELETE /api/v1/", "POST", "/api/v1/leads", `{"success":false,"message":"Service temporarily unavailable"}`},
		{"cohortly", "POST,PUT,PATCH,DELETE /api/v1/", "DELETE", "/api/v1/leads/abc/", `{"success":false,"message":"Service temporarily unavailable"}`},
		{"cohortly", "POST,PUT,PATCH,DELETE /api/v1/", "GET", "/api/v1/leads", ""},
	}
	for _, c := range cases {
		legacy, newB := newBackend(t, "legacy", nil), newBackend(t, "new", nil)
		b, err := presets.Get(c.preset)
		if err != nil {
			t.Fatal(err)
		}
		yaml := strings.Replace(string(b), "\nroutes:\n", "\nroutes:\n  - "+c.hold+" -> hold\n", 1)
		e := start(t, yaml, legacy, newB)
		r := e.do(t, c.method, c.path, `{"x":1}`, "Content-Type", "application/json")
		e.router.Drain() // the preset shadows: a read also reaches legacy a second time (noise) and new
		if c.body == "" {
			if r.status != 200 || legacy.total() < 1 {
				t.Errorf("%s %s %s: %d, legacy got %d; want it forwarded", c.preset, c.method, c.path, r.status, legacy.total())
			}
			continue
		}
		if r.status != 503 || r.body != c.body || r.header.Get("Retry-After") != "30" ||
			r.header.Get("Content-Type") != "application/json; charset=utf-8" {
			t.Errorf("%s %s %s: %d %q Retry-After %q CT %q", c.preset, c.method, c.path, r.status, r.body,
				r.header.Get("Retry-After"), r.header.Get("Content-Type"))
		}
		if legacy.total()+newB.total() != 0 {
			t.Errorf("%s %s %s: a held request reached a backend", c.preset, c.method, c.path)
		}
	}
}

func TestProxyErrorIsABadGatewayInTheEnvelope(t *testing.T) {
	legacy, newB := newBackend(t, "legacy", nil), newBackend(t, "new", nil)
	cfg := `
default: legacy
envelopes:
  - match: /api/v1/
    body: '{"success":false,"message":"Service temporarily unavailable"}'
`
	e := start(t, cfg, legacy, newB)
	legacy.Close()
	r := e.do(t, "GET", "/api/v1/leads", "")
	if r.status != http.StatusBadGateway || r.body != `{"success":false,"message":"Service temporarily unavailable"}` {
		t.Errorf("%d %q", r.status, r.body)
	}
}

func TestRoundRobinAndEjection(t *testing.T) {
	legacy := newBackend(t, "legacy", nil)
	a, b := newBackend(t, "a", nil), newBackend(t, "b", nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	cfg, err := config.Parse([]byte("default: new\n"), "test", func(f *config.File) {
		f.Backends = map[string]config.BackendFile{
			"legacy": {URLs: []string{legacy.URL}},
			"new":    {URLs: []string{a.URL, dead, b.URL}, Eject: "1h"},
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = cfg
	e := start(t, "default: new\n", legacy, a)
	if err := e.router.Apply(cfg); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 30; i++ {
		if r := e.do(t, "GET", "/api/x", ""); r.status != 200 {
			t.Fatalf("request %d: %d %s (a dead instance must not fail a GET)", i, r.status, r.body)
		}
	}
	if a.total() < 10 || b.total() < 10 || a.total()+b.total() != 30 {
		t.Errorf("round robin over the live instances: a %d, b %d", a.total(), b.total())
	}
	if strings.Count(e.logs.String(), "left out of the rotation") != 1 {
		t.Errorf("the dead instance must be ejected once (for 1h), logs:\n%s", e.logs.String())
	}
}

func TestReadyz(t *testing.T) {
	legacy := newBackend(t, "legacy", nil)
	newB := newBackend(t, "new", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) })
	e := start(t, "default: shadow legacy\n", legacy, newB)
	if r := e.do(t, "GET", "/readyz", ""); r.status != 200 || !strings.Contains(r.body, `"status 503"`) {
		t.Errorf("new only gets shadow copies, so it is reported but not required: %d %s", r.status, r.body)
	}
	cfg := parse(t, "routes:\n  - /api/ -> split 10%\n", legacy, newB)
	if err := e.router.Apply(cfg); err != nil {
		t.Fatal(err)
	}
	if r := e.do(t, "GET", "/readyz", ""); r.status != 503 {
		t.Errorf("new answers 10%% of /api/ and is down: %d %s", r.status, r.body)
	}
	if r := e.do(t, "GET", "/healthz", ""); r.status != 200 {
		t.Errorf("healthz %d", r.status)
	}
	r := e.do(t, "GET", "/cutover/routes", "")
	var table struct {
		Rules []struct {
			Index  int    `json:"index"`
			Name   string `json:"name"`
			Target string `json:"target"`
		} `json:"rules"`
	}
	if err := json.Unmarshal([]byte(r.body), &table); err != nil || len(table.Rules) != 2 ||
		table.Rules[0].Target != "split 10%" || table.Rules[1].Name != "default" || table.Rules[1].Target != "legacy" {
		t.Errorf("/cutover/routes: %s (%v)", r.body, err)
	}
}

func TestAccessLog(t *testing.T) {
	legacy, newB := newBackend(t, "legacy", nil), newBackend(t, "new", nil)
	access := &syncBuffer{}
	e := start(t, `
envelopes: [{body: '{"error":"Service temporarily unavailable"}'}]
routes:
  - POST /api/ -> hold
  - GET /api/me -> new
`, legacy, newB, func(d *proxy.Deps) { d.AccessLog = slog.New(slog.NewJSONHandler(access, nil)) })
	e.do(t, "GET", "/api/me", "", "X-Request-ID", "r-1")
	e.do(t, "POST", "/api/x", "{}", "X-Request-ID", "r-2")
	e.do(t, "GET", "/other", "", "X-Request-ID", "r-3")
	lines := strings.Split(strings.TrimSpace(access.String()), "\n")
	want := []string{
		`"method":"GET","path":"/api/me","route":"GET /api/me","target":"new","status":200`,
		`"method":"POST","path":"/api/x","route":"POST /api/","target":"hold","status":503`,
		`"method":"GET","path":"/other","route":"default","target":"legacy","status":200`,
	}
	if len(lines) != 3 {
		t.Fatalf("access log:\n%s", access.String())
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) || !strings.Contains(lines[i], fmt.Sprintf(`"request_id":"r-%d"`, i+1)) {
			t.Errorf("line %d: %s\nwant %s", i, lines[i], w)
		}
	}
}

// A rule with a claim applies only to tokens carrying it: Momentum's preset keeps an admin's
// impersonation on the side that started it, whatever the route (ours' tokens carry sid, the legacy
// server's impersonating_restaurant_id alone), while every other caller follows the route table.
func TestClaimRulesKeepASessionOnItsSide(t *testing.T) {
	legacy, newB := newBackend(t, "legacy", nil), newBackend(t, "new", nil)
	e := start(t, `
default: legacy
routes:
  - match: /api/
    claim: sid
    to: new
  - match: /api/
    claim: impersonating_restaurant_id
    to: legacy
  - GET /api/ -> new
  - /api/ -> legacy
`, legacy, newB)
	ours := "Bearer " + token(map[string]any{"user_id": 1, "role": "admin", "impersonating_restaurant_id": 7, "sid": "s-1"})
	theirs := "Bearer " + token(map[string]any{"user_id": 1, "role": "admin", "impersonating_restaurant_id": 7})
	plain := "Bearer " + token(map[string]any{"user_id": 1, "role": "admin"})
	cases := []struct{ method, path, authz, want string }{
		{"GET", "/api/dashboard/restaurant", ours, "new"},
		{"PUT", "/api/checklist/status/me/5", ours, "new"},
		{"POST", "/api/auth/end-impersonation", ours, "new"},
		{"GET", "/api/dashboard/restaurant", theirs, "legacy"},
		{"GET", "/api/auth/me", theirs, "legacy"},
		{"GET", "/api/dashboard/restaurant", plain, "new"},
		{"POST", "/api/auth/impersonate/7", plain, "legacy"},
		{"GET", "/api/dashboard/restaurant", "", "new"},
		{"GET", "/api/dashboard/restaurant", "Bearer not-a-jwt", "new"},
		{"GET", "/other", ours, "legacy"}, // outside the claim rules' pattern
	}
	for _, c := range cases {
		var got map[string]string
		r := e.do(t, c.method, c.path, "", "Authorization", c.authz)
		if err := json.Unmarshal([]byte(r.body), &got); err != nil {
			t.Fatalf("%s %s: %d %s", c.method, c.path, r.status, r.body)
		}
		if got["side"] != c.want {
			t.Errorf("%s %s with %.20q: %s, want %s", c.method, c.path, c.authz, got["side"], c.want)
		}
	}
	if got := e.metric(t, "cutover_requests_total", map[string]string{"route": "/api/ with sid", "target": "new"}); got != 3 {
		t.Errorf("requests metric of the claim rule: %v, want 3", got)
	}
}
