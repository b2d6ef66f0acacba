package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestRegisterCreatesAccountRestaurantAndTasks(t *testing.T) {
	e := newEnv(t)
	r := e.call("POST", "/api/auth/register", "", map[string]any{"email": "New@Example.com", "password": "password123", "restaurantName": "Oracle Diner", "phone": nil})
	expect(t, r, 201, "")
	if r.str("message") != "User and restaurant created successfully" || r.str("user", "role") != "restaurant" || r.str("user", "email") != "new@example.com" {
		t.Fatalf("body: %s", r.raw)
	}
	rest := r.get("user", "restaurant").(map[string]any)
	if _, ok := rest["address"]; ok {
		t.Error("address was not sent, so it must be absent from the echo (legacy)")
	}
	if v, ok := rest["phone"]; !ok || v != nil {
		t.Error("phone was sent as null, so it must come back as null")
	}
	// The token works at once, and the dashboard shows the 3 oldest of the 4 default tasks.
	d := e.call("GET", "/api/dashboard/restaurant", r.str("token"), nil)
	expect(t, d, 200, "")
	if got := len(d.list("pendingTasks")); got != 3 {
		t.Fatalf("pending tasks = %d, want 3", got)
	}
	first := d.list("pendingTasks")[0].(map[string]any)
	if first["checklist_item_name"] != "Complete your Google Business Profile setup" || first["is_complete"] != float64(0) {
		t.Fatalf("first task: %v", first)
	}
}

func TestRegisterRejectsBadInputWithoutWritingAnything(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name   string
		body   any
		status int
		msg    string
	}{
		{"missing fields", map[string]any{"email": "x@example.com"}, 400, "Email, password, and restaurant name are required"},
		{"no body", nil, 400, "Email, password, and restaurant name are required"},
		{"numeric password (legacy crash)", map[string]any{"email": "x@example.com", "password": 12345678, "restaurantName": "R"}, 400, "password must be a string"},
		{"object email", map[string]any{"email": map[string]any{"a": 1}, "password": "password123", "restaurantName": "R"}, 400, "email must be a string"},
		{"short password", map[string]any{"email": "x@example.com", "password": "short", "restaurantName": "R"}, 400, "Password must be at least 8 characters"},
		{"password over 72 bytes", map[string]any{"email": "x@example.com", "password": strings.Repeat("p", 73), "restaurantName": "R"}, 400, "Password must be at most 72 bytes"},
		{"not an email", map[string]any{"email": "nobody", "password": "password123", "restaurantName": "R"}, 400, "Email address is not valid"},
		{"case-variant duplicate", map[string]any{"email": "OWNER-A@example.com", "password": "password123", "restaurantName": "R"}, 400, "User already exists with this email"},
		{"malformed JSON", `{"email":`, 400, "Malformed JSON in request body"},
		{"JSON string body", `"x"`, 400, "Request body must be a JSON object"},
		{"oversized body", `{"email":"` + strings.Repeat("a", 101<<10) + `"}`, 413, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.call("POST", "/api/auth/register", "", c.body)
			if r.status != c.status || (c.msg != "" && !strings.EqualFold(r.str("error"), c.msg)) {
				t.Fatalf("got %d %s, want %d %q", r.status, r.raw, c.status, c.msg)
			}
		})
	}
	// Nothing was created by any of them: the admin still sees exactly the two setup restaurants.
	r := e.call("GET", "/api/dashboard/admin", e.admin, nil)
	if r.num("platformStats", "totalRestaurants") != 2 {
		t.Fatalf("restaurants after bad registrations: %s", r.raw)
	}
}

func TestConcurrentRegistrationsOfOneEmailMakeOneAccount(t *testing.T) {
	e := newEnv(t)
	codes := make(chan int, 8)
	for i := 0; i < 8; i++ {
		go func(i int) {
			email := "race@example.com"
			if i%2 == 1 {
				email = "RACE@example.com"
			}
			r := e.call("POST", "/api/auth/register", "", map[string]string{"email": email, "password": "password123", "restaurantName": "Race"})
			codes <- r.status
		}(i)
	}
	created := 0
	for i := 0; i < 8; i++ {
		switch c := <-codes; c {
		case 201:
			created++
		case 400:
		default:
			t.Errorf("unexpected status %d", c)
		}
	}
	if created != 1 {
		t.Fatalf("%d accounts created for one email, want 1", created)
	}
}

func TestLoginShapesAndFailures(t *testing.T) {
	e := newEnv(t)
	r := e.call("POST", "/api/auth/login", "", map[string]string{"email": "admin@momentum.com", "password": "admin123"})
	expect(t, r, 200, "")
	if r.str("message") != "Login successful" || r.num("user", "user_id") < 1 || r.get("user", "restaurant") != nil {
		t.Fatalf("admin login: %s", r.raw)
	}
	if _, has := r.get("user").(map[string]any)["restaurant"]; has {
		t.Error("admin login must not carry a restaurant key")
	}
	r = e.call("POST", "/api/auth/login", "", map[string]string{"email": "  Owner-A@Example.com ", "password": "password123"})
	expect(t, r, 200, "")
	if r.str("user", "restaurant", "name") != "Pizzeria A" {
		t.Fatalf("restaurant login: %s", r.raw)
	}
	// Form-encoded logins work, as in legacy.
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/auth/login", strings.NewReader(url.Values{"email": {"owner-b@example.com"}, "password": {"password123"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	expect(t, e.send(req, ""), 200, "")

	expect(t, e.call("POST", "/api/auth/login", "", map[string]string{"email": "admin@momentum.com", "password": "nope"}), 401, "Invalid credentials")
	expect(t, e.call("POST", "/api/auth/login", "", map[string]string{"email": "ghost@momentum.com", "password": "nope"}), 401, "Invalid credentials")
	expect(t, e.call("POST", "/api/auth/login", "", map[string]any{"email": "admin@momentum.com", "password": 12345}), 400, "Email and password must be strings")
	expect(t, e.call("POST", "/api/auth/login", "", map[string]any{"email": "admin@momentum.com"}), 400, "Email and password are required")
	expect(t, e.call("POST", "/api/auth/login", "", `[1,2]`), 400, "Request body must be a JSON object")
}

func TestLoginLocksAnAccountAfterTenFailures(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 10; i++ {
		expect(t, e.call("POST", "/api/auth/login", "", map[string]string{"email": "owner-a@example.com", "password": "wrong-password"}), 401, "Invalid credentials")
	}
	r := e.call("POST", "/api/auth/login", "", map[string]string{"email": "Owner-A@example.com", "password": "password123"})
	expect(t, r, 429, "")
	if ra := r.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("Retry-After = %q", ra)
	}
	if !strings.Contains(r.str("error"), "Too many login attempts") {
		t.Fatalf("error: %s", r.raw)
	}
	// Other accounts are not affected.
	e.login("owner-b@example.com", "password123")
	// After the 15-minute window the right password works again.
	e.clk.Advance(15*time.Minute + time.Second)
	e.login("owner-a@example.com", "password123")
}

func TestLoginLimitsOneAddressTo300AttemptsAMinute(t *testing.T) {
	e := newEnv(t)
	// newEnv's admin login was the first attempt from this address.
	for i := 1; i < 300; i++ {
		r := e.call("POST", "/api/auth/login", "", map[string]string{"email": fmt.Sprintf("ghost%d@example.com", i), "password": "x"})
		if r.status != 401 {
			t.Fatalf("attempt %d: %d", i+1, r.status)
		}
	}
	expect(t, e.call("POST", "/api/auth/login", "", map[string]string{"email": "admin@momentum.com", "password": "admin123"}), 429, "")
	e.clk.Advance(time.Minute)
	e.login("admin@momentum.com", "admin123")
}

func TestMeReadsTheDatabase(t *testing.T) {
	e := newEnv(t)
	r := e.call("GET", "/api/auth/me", e.a, nil)
	expect(t, r, 200, "")
	if r.str("user", "email") != "owner-a@example.com" || r.str("user", "restaurant", "name") != "Pizzeria A" || r.get("user", "impersonating_restaurant_id") != nil {
		t.Fatalf("me: %s", r.raw)
	}
	r = e.call("GET", "/api/auth/me", e.admin, nil)
	if _, has := r.get("user").(map[string]any)["restaurant"]; has {
		t.Fatalf("admin me must not have restaurant: %s", r.raw)
	}
}

func TestTokensThatMustBeRefused(t *testing.T) {
	e := newEnv(t)
	exp := e.clk.Now().Add(time.Hour).Unix()
	cases := map[string]string{
		"forged admin for a user that does not exist": e.forge(jwt.SigningMethodHS256, jwt.MapClaims{"user_id": 999, "email": "x", "role": "admin", "exp": exp}),
		"HS512 (legacy accepted it)":                  e.forge(jwt.SigningMethodHS512, jwt.MapClaims{"user_id": 1, "email": "admin@momentum.com", "role": "admin", "exp": exp}),
		"no exp (legacy accepted it)":                 e.forge(jwt.SigningMethodHS256, jwt.MapClaims{"user_id": 1, "email": "admin@momentum.com", "role": "admin"}),
		"expired":                                     e.forge(jwt.SigningMethodHS256, jwt.MapClaims{"user_id": 1, "role": "admin", "exp": e.clk.Now().Add(-time.Second).Unix()}),
		"impersonation claim without a session":       e.forge(jwt.SigningMethodHS256, jwt.MapClaims{"user_id": 1, "role": "admin", "impersonating_restaurant_id": e.aID, "exp": exp}),
		"garbage":                                     "not.a.token",
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			expect(t, e.call("GET", "/api/dashboard/admin", tok, nil), 403, "Invalid or expired token")
			// The dashboard's tick authenticates inside its write; refusals are the same, and come
			// before any complaint about the request itself.
			expect(t, e.call("PUT", "/api/dashboard/checklist/1", tok, map[string]any{"is_complete": true}), 403, "Invalid or expired token")
			expect(t, e.call("PUT", "/api/dashboard/checklist/x", tok, `{"is_complete":`), 403, "Invalid or expired token")
		})
	}
	expect(t, e.call("GET", "/api/auth/me", "", nil), 401, "Access token required")
	expect(t, e.call("PUT", "/api/dashboard/checklist/1", "", map[string]any{"is_complete": true}), 401, "Access token required")
	expect(t, e.call("PUT", "/api/dashboard/checklist/1", "", nil), 401, "Access token required")
	// A restaurant token claiming the admin role is judged by the database role.
	me := e.call("GET", "/api/auth/me", e.a, nil)
	forged := e.forge(jwt.SigningMethodHS256, jwt.MapClaims{"user_id": me.num("user", "user_id"), "role": "admin", "exp": exp})
	expect(t, e.call("GET", "/api/dashboard/admin", forged, nil), 403, "Admin access required")
	// Tokens expire after 24 hours.
	e.clk.Advance(24*time.Hour + time.Second)
	expect(t, e.call("GET", "/api/auth/me", e.a, nil), 403, "Invalid or expired token")
	expect(t, e.call("PUT", "/api/dashboard/checklist/1", e.a, map[string]any{"is_complete": true}), 403, "Invalid or expired token")
}

func TestImpersonationIsAServerSideSessionThatEnds(t *testing.T) {
	e := newEnv(t)
	r := e.call("POST", fmt.Sprintf("/api/auth/impersonate/%d", e.aID), e.admin, nil)
	expect(t, r, 200, "")
	if r.str("message") != "Impersonation started" || r.num("impersonating_restaurant", "restaurant_id") != float64(e.aID) {
		t.Fatalf("impersonate: %s", r.raw)
	}
	imp := r.str("token")
	if d := e.call("GET", "/api/dashboard/restaurant", imp, nil); d.str("restaurant", "name") != "Pizzeria A" {
		t.Fatalf("dashboard while impersonating: %s", d.raw)
	}
	if me := e.call("GET", "/api/auth/me", imp, nil); me.num("user", "impersonating_restaurant_id") != float64(e.aID) {
		t.Fatalf("me while impersonating: %s", me.raw)
	}
	// Admin powers stay while impersonating.
	expect(t, e.call("GET", "/api/dashboard/admin", imp, nil), 200, "")

	end := e.call("POST", "/api/auth/end-impersonation", imp, nil)
	expect(t, end, 200, "")
	if end.str("message") != "Impersonation ended" {
		t.Fatalf("end: %s", end.raw)
	}
	// The impersonation token stops working at once; the new one is a plain admin token.
	expect(t, e.call("GET", "/api/dashboard/restaurant", imp, nil), 403, "Invalid or expired token")
	expect(t, e.call("GET", "/api/dashboard/restaurant", end.str("token"), nil), 403, "Restaurant access required")

	events, err := e.store.ImpersonationLog(t.Context(), 10)
	if err != nil || len(events) != 2 {
		t.Fatalf("impersonation log: %v %+v", err, events)
	}
	actions := map[string]bool{}
	for _, ev := range events {
		actions[ev.Action] = true
		if ev.AdminEmail != "admin@momentum.com" || ev.RestaurantID != e.aID {
			t.Errorf("audit event: %+v", ev)
		}
	}
	if !actions["start"] || !actions["end"] {
		t.Fatalf("audit actions: %v", actions)
	}
	if !strings.Contains(e.logs.String(), `"msg":"impersonation"`) {
		t.Error("impersonation is not in the structured log")
	}

	// Impersonating another restaurant ends the first session.
	first := e.impersonate(e.aID)
	second := e.call("POST", fmt.Sprintf("/api/auth/impersonate/%d", e.bID), first, nil)
	expect(t, second, 200, "")
	expect(t, e.call("GET", "/api/dashboard/restaurant", first, nil), 403, "Invalid or expired token")

	expect(t, e.call("POST", "/api/auth/impersonate/1abc", e.admin, nil), 400, "Restaurant id must be a positive integer")
	expect(t, e.call("POST", "/api/auth/impersonate/99999", e.admin, nil), 404, "Restaurant not found")
	expect(t, e.call("POST", fmt.Sprintf("/api/auth/impersonate/%d", e.bID), e.a, nil), 403, "Admin access required")
}

func TestLegacyHTTPSemantics(t *testing.T) {
	e := newEnv(t)
	// Case-insensitive paths with a trailing slash, as Express routed them.
	if h := e.call("GET", "/api/health", "", nil); h.str("status") != "Server is running" || h.str("timestamp") == "" {
		t.Fatalf("health: %s", h.raw)
	}
	for _, p := range []string{"/API/HEALTH/", "/api/Auth/ME"} {
		req, _ := http.NewRequest("GET", e.srv.URL+p, nil)
		req.Header.Set("Authorization", "Bearer "+e.a)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", p, err, resp)
		}
		resp.Body.Close()
	}
	// Preflight from any origin.
	req, _ := http.NewRequest("OPTIONS", e.srv.URL+"/api/auth/login", nil)
	req.Header.Set("Origin", "http://localhost:3000")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("Access-Control-Allow-Headers") != "authorization,content-type" {
		t.Fatalf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	// HEAD on a GET route; security headers; no X-Powered-By.
	req, _ = http.NewRequest("HEAD", e.srv.URL+"/api/health", nil)
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Powered-By") != "" || resp.Header.Get("X-Request-ID") == "" {
		t.Fatalf("HEAD: %d %v", resp.StatusCode, resp.Header)
	}
	// Unknown routes answer JSON 404; the legacy "Token" scheme word still works.
	expect(t, e.call("GET", "/api/nope", "", nil), 404, "Cannot GET /api/nope")
	req, _ = http.NewRequest("GET", e.srv.URL+"/api/auth/me", nil)
	req.Header.Set("Authorization", "Token "+e.a)
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("Token scheme: %d", resp.StatusCode)
	}
	// Operations endpoints.
	expect(t, e.call("GET", "/healthz", "", nil), 200, "")
	expect(t, e.call("GET", "/readyz", "", nil), 200, "")
	m := e.call("GET", "/metrics", "", nil)
	if m.status != 200 || !strings.Contains(string(m.raw), "http_requests_total") {
		t.Fatalf("metrics: %d", m.status)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []string{"/openapi.json", "/api/docs", "/api/docs/", "/api/redoc"} {
		resp, err := noRedirect.Get(e.srv.URL + p)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v %v", p, err, resp)
		}
		resp.Body.Close()
	}
}
