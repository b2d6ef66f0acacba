package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// profile is what the load command knows about one service: where it listens by default, how to
// log in, where the token is in the login answer, and which endpoints to drive.
type profile struct {
	URL       string
	LoginPath string
	TokenPath []string // keys leading to the token in the login answer
	Email     string
	Password  string
	// RegisterBody, if set, builds the body that creates the load-test account when -register is given.
	RegisterPath string
	RegisterBody func(email, password string) map[string]string
	Endpoints    []string
	// Prepare, run with -prepare after login, makes the data the endpoints are meant to read (e.g. a
	// full page of leads).
	Prepare func(ctx context.Context, c *http.Client, baseURL, token string) error
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
			Endpoints: []string{
				"GET /api/auth/me",
				"GET /api/dashboard/restaurant",
				"GET /api/checklist/categories-with-items?restaurantId=me",
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
			Endpoints: []string{
				"GET /api/v1/auth/me",
				"GET /api/v1/leads?page=1&limit=20",
				"GET /api/v1/bootcamps",
			},
			Prepare: ensureLeads(20),
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

// endpoint is one target: a method and a path with its query.
type endpoint struct {
	Method string
	Path   string
}

func (e endpoint) String() string { return e.Method + " " + e.Path }

// parseEndpoints reads "GET /a, /b?x=1, HEAD /c": a method is optional (GET).
func parseEndpoints(list []string) ([]endpoint, error) {
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
		switch method {
		case "GET", "HEAD", "DELETE", "OPTIONS":
		default:
			return nil, fmt.Errorf("endpoint %q: only methods without a body are supported (GET, HEAD, DELETE, OPTIONS)", item)
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

// ensureLeads creates leads until the Cohortly server lists at least n, so GET /leads answers a full
// page of n rows.
func ensureLeads(n int) func(ctx context.Context, c *http.Client, baseURL, token string) error {
	return func(ctx context.Context, c *http.Client, baseURL, token string) error {
		do := func(method, path string, body any) (int, []byte, error) {
			var rd *bytes.Reader
			if body != nil {
				b, _ := json.Marshal(body)
				rd = bytes.NewReader(b)
			} else {
				rd = bytes.NewReader(nil)
			}
			req, err := http.NewRequestWithContext(ctx, method, baseURL+path, rd)
			if err != nil {
				return 0, nil, err
			}
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			resp, err := c.Do(req)
			if err != nil {
				return 0, nil, err
			}
			defer resp.Body.Close()
			var buf bytes.Buffer
			_, err = buf.ReadFrom(resp.Body)
			return resp.StatusCode, buf.Bytes(), err
		}
		status, body, err := do("GET", "/api/v1/leads?page=1&limit=1", nil)
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("count leads: HTTP %d %v: %s", status, err, snippet(body))
		}
		var list struct {
			Pagination struct{ Total int } `json:"pagination"`
		}
		if err := json.Unmarshal(body, &list); err != nil {
			return fmt.Errorf("count leads: %w", err)
		}
		for i := list.Pagination.Total; i < n; i++ {
			lead := map[string]string{"fullName": fmt.Sprintf("Load Lead %d", i), "email": fmt.Sprintf("load-lead-%d@example.com", i),
				"phone": "+15550100" + fmt.Sprintf("%03d", i), "source": "WEBSITE"}
			if status, body, err := do("POST", "/api/v1/leads", lead); err != nil || status != http.StatusCreated {
				return fmt.Errorf("create lead: HTTP %d %v: %s", status, err, snippet(body))
			}
		}
		return nil
	}
}
