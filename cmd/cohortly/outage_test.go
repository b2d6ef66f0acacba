package main

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/momentum-cohortly/backends/internal/platform/faultnet"
	"github.com/momentum-cohortly/backends/internal/platform/proctest"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func call(t *testing.T, method, u, token, body string) answer {
	t.Helper()
	var b any
	if body != "" {
		b = body
	}
	a, err := proctest.Send(method, u, token, "", b)
	if err != nil {
		t.Fatal(err)
	}
	return answer{a.Status, a.Header, a.Body}
}

type tally = proctest.Tally

// TestPostgresOutageIsA503AndRecovers puts a TCP proxy between the server and PostgreSQL and cuts it
// (the port refuses, open connections are reset) mid-run: every request answers 503 with Retry-After
// and the envelope, /readyz says not ready; after the proxy comes back the very next requests succeed,
// and every write acknowledged before, during or after the outage is in the database.
func TestPostgresOutageIsA503AndRecovers(t *testing.T) {
	dbURL := testenv.PostgresDB(t, "cohortly_outage_", "")
	u, err := url.Parse(dbURL)
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
	q.Set("connect_timeout", "2")
	q.Set("sslmode", "disable")
	u.RawQuery = q.Encode()
	getenv := envMap("DATABASE_URL", u.String(), "BCRYPT_COST", "4", "HOST", "127.0.0.1", "PORT", "0",
		"COHORTLY_ENV_FILE", filepath.Join(t.TempDir(), "none.env"))
	var out lockedBuffer
	if code := run(t.Context(), []string{"seed"}, getenv, &out, &out); code != 0 {
		t.Fatalf("seed exited %d:\n%s", code, out.String())
	}
	base, logs, stop := proctest.Serve(t, run, []string{"serve"}, getenv, "cohortly listening")
	defer func() {
		if code := stop(); code != 0 {
			t.Errorf("exit status %d after the shutdown:\n%s", code, logs)
		}
	}()
	login := call(t, "POST", base+"/api/v1/auth/login", "", `{"email":"admin@bootcamp.com","password":"Password123!"}`)
	if login.status != 200 {
		t.Fatalf("login: %d %v", login.status, login.body)
	}
	tok := login.body["data"].(map[string]any)["accessToken"].(string)

	sent, byStatus := 0, tally{}
	var acked []string
	n := 0
	// step sends one request of the mix (a write, a list read, the caller's profile) and returns its answer.
	step := func() answer {
		n++
		sent++
		var a answer
		switch n % 3 {
		case 0:
			a = call(t, "POST", base+"/api/v1/leads", tok, fmt.Sprintf(`{"fullName":"Outage %d","email":"outage%d@example.com","source":"WEBSITE"}`, n, n))
			if a.status == 201 {
				acked = append(acked, a.body["data"].(map[string]any)["id"].(string))
			}
		case 1:
			a = call(t, "GET", base+"/api/v1/leads?limit=5", tok, "")
		default:
			a = call(t, "GET", base+"/api/v1/auth/me", tok, "")
		}
		byStatus[a.status]++
		return a
	}
	for range 15 {
		if a := step(); a.status/100 != 2 {
			t.Fatalf("before the outage: %d %v", a.status, a.body)
		}
	}

	px.Cut()
	for range 15 {
		a := step()
		if a.status != 503 || a.header.Get("Retry-After") == "" || a.body["success"] != false || a.body["message"] != "Service temporarily unavailable" {
			t.Fatalf("during the outage: %d Retry-After %q %v", a.status, a.header.Get("Retry-After"), a.body)
		}
	}
	if r := call(t, "GET", base+"/readyz", "", ""); r.status != 503 {
		t.Fatalf("readyz during the outage: %d", r.status)
	}
	if a := call(t, "POST", base+"/api/v1/auth/login", "", `{"email":"admin@bootcamp.com","password":"Password123!"}`); a.status != 503 {
		t.Fatalf("login during the outage: %d %v", a.status, a.body)
	}

	if err := px.Restore(); err != nil {
		t.Fatal(err)
	}
	// Recovery is automatic: the pool dials again on the next request (a connection reset during the
	// outage may cost one more failed request).
	failedAfter := 0
	for a := step(); a.status/100 != 2; a = step() {
		if failedAfter++; failedAfter > 3 {
			t.Fatalf("not recovered after %d requests: %d %v", failedAfter, a.status, a.body)
		}
	}
	for range 15 {
		if a := step(); a.status/100 != 2 {
			t.Fatalf("after the outage: %d %v", a.status, a.body)
		}
	}
	if r := call(t, "GET", base+"/readyz", "", ""); r.status != 200 {
		t.Fatalf("readyz after the outage: %d", r.status)
	}
	present := 0
	for _, id := range acked {
		if a := call(t, "GET", base+"/api/v1/leads/"+id, tok, ""); a.status == 200 {
			present++
		}
	}
	if present != len(acked) {
		t.Fatalf("%d writes acknowledged, %d present afterwards", len(acked), present)
	}
	t.Logf("PostgreSQL outage: %d requests sent, answers %s; %d failed after recovery; %d writes acknowledged, %d present afterwards",
		sent, byStatus, failedAfter, len(acked), present)
	if strings.Contains(logs.String(), "panic") {
		t.Fatalf("panic in the log:\n%s", logs.String())
	}
}
