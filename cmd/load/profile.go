package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// profile is what the load command knows about one service: where it listens by default, how to
// log in, where the token is in the login answer, which endpoints to drive, and how to find or make
// the data those endpoints address on a given server.
type profile struct {
	URL       string
	LoginPath string
	TokenPath []string // keys leading to the token in the login answer
	Email     string
	Password  string
	// RegisterBody, if set, builds the body that creates the load-test account when -prepare (or
	// -register) is given and the login is refused.
	RegisterPath string
	RegisterBody func(email, password string) map[string]string
	Reads        []endpoint
	Writes       []endpoint // added by -writes
	// Prepare, run with -prepare after login, makes the data the endpoints are meant to read (e.g. a
	// full page of leads), on each side through its own API.
	Prepare func(ctx context.Context, s *side) error
	// Vars find, on each side, the values of the placeholders the endpoints use ({restaurantId},
	// {statusId}, ...): ids differ between two servers, so each side resolves its own.
	Vars map[string]func(ctx context.Context, s *side) ([]string, error)
}

// profileFor returns the built-in profile of a service.
func profileFor(service string) (profile, bool) {
	switch service {
	case "momentum":
		return profile{
			URL:          "http://127.0.0.1:5001",
			LoginPath:    "/api/auth/login",
			TokenPath:    []string{"token"},
			Email:        "test@restaurant.com",
			Password:     "password123",
			RegisterPath: "/api/auth/register",
			RegisterBody: func(email, password string) map[string]string {
				return map[string]string{"email": email, "password": password, "restaurantName": "Load Test Diner"}
			},
			Reads: []endpoint{
				{Method: "GET", Path: "/api/auth/me"},
				{Method: "GET", Path: "/api/dashboard/restaurant"},
				{Method: "GET", Path: "/api/checklist/categories-with-items?restaurantId={restaurantId}"},
			},
			Writes: []endpoint{
				// false is what the pending rows already hold, so the dashboard reads the same data
				// before and after (is_complete is stored as given: false -> 0).
				{Method: "PUT", Path: "/api/dashboard/checklist/{statusId}", Body: `{"is_complete":false}`},
				{Method: "POST", Path: "/api/auth/register", Body: `{"email":"load-{seq}@example.com","password":"load-password-1","restaurantName":"Load Diner {seq}","address":"","phone":""}`, MaxWorkers: 4},
			},
			Vars: map[string]func(context.Context, *side) ([]string, error){
				"restaurantId": momentumRestaurantID,
				"statusId":     momentumPendingStatusIDs,
			},
		}, true
	case "cohortly":
		return profile{
			URL:       "http://127.0.0.1:5000",
			LoginPath: "/api/v1/auth/login",
			TokenPath: []string{"data", "accessToken"},
			// The seeded administrator (contract: every seed user has the password Password123!).
			Email:    "admin@bootcamp.com",
			Password: "Password123!",
			Reads: []endpoint{
				{Method: "GET", Path: "/api/v1/auth/me"},
				{Method: "GET", Path: "/api/v1/leads?page=1&limit=20"},
				{Method: "GET", Path: "/api/v1/bootcamps"},
			},
			Writes: []endpoint{
				// Lead emails need not be unique; they are anyway, so each row can be traced to its
				// request. The legacy phone validator refuses +1555010xxxx numbers.
				{Method: "POST", Path: "/api/v1/leads", Body: `{"fullName":"Load Lead {seq}","email":"load-{seq}@example.com","phone":"+14155550123","source":"WEBSITE"}`},
				{Method: "PUT", Path: "/api/v1/leads/{leadId}", Body: `{"fullName":"Load Lead {seq}","status":"CONTACTED"}`},
			},
			Prepare: ensureLeads(20),
			Vars: map[string]func(context.Context, *side) ([]string, error){
				"leadId": cohortlyLeadIDs,
			},
		}, true
	}
	return profile{}, false
}

// extractToken follows path through a JSON object.
func extractToken(body []byte, path []string) (string, error) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return "", fmt.Errorf("login answer is not JSON: %w", err)
	}
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return "", fmt.Errorf("login answer has no %s", strings.Join(path, "."))
		}
		v = m[k]
	}
	tok, ok := v.(string)
	if !ok || tok == "" {
		return "", fmt.Errorf("login answer has no %s", strings.Join(path, "."))
	}
	return tok, nil
}

// endpoint is one target: a method, a path with its query and, for writes, a JSON body. Path and
// Body may hold placeholders: {seq} is unique per request (per run and side), any other {name} takes
// the side's values of that variable in turn.
type endpoint struct {
	Method string
	Path   string
	Body   string
	// MaxWorkers, when set, caps the workers on this endpoint below -c: registration hashes a
	// password (bcrypt, tens of ms of CPU) on every request, and 64 at once only measure a queue.
	MaxWorkers int
}

func (e endpoint) String() string { return e.Method + " " + e.Path }

// templated says whether each request needs its own text (placeholders or a body to send).
func (e endpoint) templated() bool { return e.Body != "" || len(placeholders(e.Path)) > 0 }

// vars lists the side variables the endpoint needs ({seq} is not one).
func (e endpoint) vars() []string {
	var out []string
	for _, n := range append(placeholders(e.Path), placeholders(e.Body)...) {
		if n != "seq" {
			out = append(out, n)
		}
	}
	return out
}

// placeholders returns the names of the {name} placeholders of s: a letter-only name in braces, so
// the braces of a JSON body are left alone.
func placeholders(s string) []string {
	var out []string
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return out
		}
		s = s[i+1:]
		j := strings.IndexByte(s, '}')
		if j > 0 && isName(s[:j]) {
			out = append(out, s[:j])
			s = s[j+1:]
		}
	}
}

func isName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

// expand fills the placeholders of s for request number seq: {seq} becomes tag+seq, {name} the
// (seq mod n)-th value of the variable.
func expand(s string, vars map[string][]string, tag string, seq uint64) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		rest := s[i+1:]
		j := strings.IndexByte(rest, '}')
		if j <= 0 || !isName(rest[:j]) {
			b.WriteByte('{')
			s = rest
			continue
		}
		name := rest[:j]
		if name == "seq" {
			b.WriteString(tag)
			b.WriteString(strconv.FormatUint(seq, 10))
		} else if vs := vars[name]; len(vs) > 0 {
			b.WriteString(vs[seq%uint64(len(vs))])
		}
		s = rest[j+1:]
	}
}

// parseEndpoints reads "GET /a, /b?x=1, HEAD /c": a method is optional (GET). An item that names one
// of the profile's endpoints (reads or writes, placeholders and all) is that endpoint, with its body.
func parseEndpoints(list []string, known []endpoint) ([]endpoint, error) {
	var out []endpoint
	for _, item := range list {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		method, path := "GET", item
		if m, p, ok := strings.Cut(item, " "); ok {
			method, path = strings.ToUpper(strings.TrimSpace(m)), strings.TrimSpace(p)
		}
		if k, ok := findEndpoint(known, method, path); ok {
			out = append(out, k)
			continue
		}
		switch method {
		case "GET", "HEAD", "DELETE", "OPTIONS":
		default:
			return nil, fmt.Errorf("endpoint %q: only methods without a body are supported (GET, HEAD, DELETE, OPTIONS), or a write endpoint of the profile", item)
		}
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \t\r\n") {
			return nil, fmt.Errorf("endpoint %q: want [METHOD] /path[?query]", item)
		}
		out = append(out, endpoint{Method: method, Path: path})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no endpoints")
	}
	return out, nil
}

func findEndpoint(known []endpoint, method, path string) (endpoint, bool) {
	for _, k := range known {
		if k.Method == method && k.Path == path {
			return k, true
		}
	}
	return endpoint{}, false
}

// do sends one JSON request with the side's token and returns the status and the answer.
func (s *side) do(ctx context.Context, method, path string, body any) (int, []byte, error) {
	var rd io.Reader = http.NoBody
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.baseURL+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	return resp.StatusCode, b, err
}

// getJSON reads path into v, refusing anything but a 200.
func (s *side) getJSON(ctx context.Context, path string, v any) error {
	status, body, err := s.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	if status != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d: %s", path, status, snippet(body))
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}

// momentumRestaurantID is the caller's restaurant, from the login answer (user.restaurant).
func momentumRestaurantID(_ context.Context, s *side) ([]string, error) {
	var a struct {
		User struct {
			Restaurant *struct {
				ID json.Number `json:"restaurant_id"`
			} `json:"restaurant"`
		} `json:"user"`
	}
	if err := json.Unmarshal(s.login, &a); err != nil || a.User.Restaurant == nil || a.User.Restaurant.ID == "" {
		return nil, fmt.Errorf("the login answer names no restaurant (user.restaurant.restaurant_id): log in as a restaurant account")
	}
	return []string{a.User.Restaurant.ID.String()}, nil
}

// momentumPendingStatusIDs are the caller's pending legacy checklist rows (the dashboard's
// pendingTasks), the rows PUT /api/dashboard/checklist/:itemId updates.
func momentumPendingStatusIDs(ctx context.Context, s *side) ([]string, error) {
	var d struct {
		PendingTasks []struct {
			ID json.Number `json:"status_id"`
		} `json:"pendingTasks"`
	}
	if err := s.getJSON(ctx, "/api/dashboard/restaurant", &d); err != nil {
		return nil, err
	}
	var ids []string
	for _, t := range d.PendingTasks {
		ids = append(ids, t.ID.String())
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("the dashboard lists no pending checklist rows to update")
	}
	return ids, nil
}

// cohortlyLeadIDs are the ids of the first page of leads, the rows the update endpoint rewrites.
func cohortlyLeadIDs(ctx context.Context, s *side) ([]string, error) {
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := s.getJSON(ctx, "/api/v1/leads?page=1&limit=20", &list); err != nil {
		return nil, err
	}
	var ids []string
	for _, l := range list.Data {
		ids = append(ids, l.ID)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no leads to update (use -prepare)")
	}
	return ids, nil
}

// ensureLeads creates leads until the Cohortly server lists at least n, so GET /leads answers a full
// page of n rows.
func ensureLeads(n int) func(ctx context.Context, s *side) error {
	return func(ctx context.Context, s *side) error {
		var list struct {
			Pagination struct{ Total int } `json:"pagination"`
		}
		if err := s.getJSON(ctx, "/api/v1/leads?page=1&limit=1", &list); err != nil {
			return fmt.Errorf("count leads: %w", err)
		}
		for i := list.Pagination.Total; i < n; i++ {
			// +1415555xxxx: numbers both the legacy validator and ours accept.
			lead := map[string]string{"fullName": fmt.Sprintf("Load Lead %d", i), "email": fmt.Sprintf("load-lead-%d@example.com", i),
				"phone": fmt.Sprintf("+1415555%04d", i), "source": "WEBSITE"}
			if status, body, err := s.do(ctx, "POST", "/api/v1/leads", lead); err != nil || status != http.StatusCreated {
				return fmt.Errorf("create lead: HTTP %d %v: %s", status, err, snippet(body))
			}
		}
		return nil
	}
}
