package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/momentum-cohortly/backends/internal/momentum/mongotest"
	"github.com/momentum-cohortly/backends/internal/platform/faultnet"
	"github.com/momentum-cohortly/backends/internal/platform/proctest"
)

type tally = proctest.Tally

// TestMongoOutageIsA503AndRecovers puts a TCP proxy between the server and the embedded MongoDB-compatible
// server and cuts it mid-run: every request answers 503 with Retry-After in the legacy error shapes,
// /readyz says not ready; after the proxy comes back requests succeed again, and every account whose
// registration was acknowledged can log in.
func TestMongoOutageIsA503AndRecovers(t *testing.T) {
	uri, stop, err := mongotest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	px, err := faultnet.Start(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = px.Close() })
	u.Host = px.Addr()
	q := u.Query()
	// A down server is noticed within half a second instead of the driver's default 30 s.
	q.Set("serverSelectionTimeoutMS", "500")
	q.Set("connectTimeoutMS", "500")
	u.RawQuery = q.Encode()
	base, watch := startServer(t, map[string]string{"MONGODB_URL": u.String(), "DATABASE_NAME": mongotest.DBName(t)})
	admin := login(t, base, "admin@momentum.com", "admin123")

	sent, byStatus := 0, tally{}
	var acked []string
	n := 0
	step := func() (int, http.Header, map[string]any) {
		n++
		sent++
		var req *http.Request
		token := admin
		switch n % 3 {
		case 0:
			email := fmt.Sprintf("outage%d@example.com", n)
			req, _ = http.NewRequest("POST", base+"/api/auth/register",
				strings.NewReader(fmt.Sprintf(`{"email":%q,"password":"password123","restaurantName":"Outage %d"}`, email, n)))
			req.Header.Set("Content-Type", "application/json")
			token = ""
			code, hdr, body := doH(t, req, token)
			if code == 201 {
				acked = append(acked, email)
			}
			byStatus[code]++
			return code, hdr, body
		case 1:
			req, _ = http.NewRequest("GET", base+"/api/auth/me", nil)
		default:
			req, _ = http.NewRequest("GET", base+"/api/dashboard/admin", nil)
		}
		code, hdr, body := doH(t, req, token)
		byStatus[code]++
		return code, hdr, body
	}
	for range 9 {
		if code, _, body := step(); code/100 != 2 {
			t.Fatalf("before the outage: %d %v", code, body)
		}
	}

	px.Cut()
	for range 9 {
		code, hdr, body := step()
		if code != 503 || hdr.Get("Retry-After") == "" || body["error"] != "Service temporarily unavailable" {
			t.Fatalf("during the outage: %d Retry-After %q %v", code, hdr.Get("Retry-After"), body)
		}
	}
	if code, _ := get(t, base+"/readyz", ""); code != 503 {
		t.Fatalf("readyz during the outage: %d", code)
	}

	if err := px.Restore(); err != nil {
		t.Fatal(err)
	}
	failedAfter := 0
	for code, _, body := step(); code/100 != 2; code, _, body = step() {
		// The driver finds the server again on its next heartbeat or selection attempt.
		if failedAfter++; failedAfter > 20 {
			t.Fatalf("not recovered after %d requests: %d %v", failedAfter, code, body)
		}
	}
	for range 9 {
		if code, _, body := step(); code/100 != 2 {
			t.Fatalf("after the outage: %d %v", code, body)
		}
	}
	if code, _ := get(t, base+"/readyz", ""); code != 200 {
		t.Fatalf("readyz after the outage: %d", code)
	}
	present := 0
	for _, email := range acked {
		if code, _ := post(t, base+"/api/auth/login", "", fmt.Sprintf(`{"email":%q,"password":"password123"}`, email)); code == 200 {
			present++
		}
	}
	if present != len(acked) {
		t.Fatalf("%d registrations acknowledged, %d can log in afterwards", len(acked), present)
	}
	t.Logf("MongoDB outage: %d requests sent, answers %s; %d failed after recovery; %d writes acknowledged, %d present afterwards",
		sent, byStatus, failedAfter, len(acked), present)
	if strings.Contains(watch.all(), "panic") {
		t.Fatal("panic in the log")
	}
}

func doH(t *testing.T, req *http.Request, token string) (int, http.Header, map[string]any) {
	t.Helper()
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = jsonDecode(resp, &m)
	return resp.StatusCode, resp.Header, m
}

func jsonDecode(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }
