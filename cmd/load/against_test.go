package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// -against drives a second server with the same profile, each side on its own ids, and prints both
// sides per round and a side-by-side table with the ratios.
func TestLoadAgainstComparesTwoServers(t *testing.T) {
	ours := &fakeService{restaurantID: "1", statusIDs: []string{"3", "4"}}
	legacy := &fakeService{restaurantID: "9", statusIDs: []string{"30"}}
	a, b := httptest.NewServer(ours), httptest.NewServer(legacy)
	t.Cleanup(a.Close)
	t.Cleanup(b.Close)
	pid := strconv.Itoa(os.Getpid())
	code, out, stderr := runLoad(t, "-service", "momentum", "-url", a.URL, "-against", b.URL, "-names", "ours,legacy",
		"-pid", pid, "-against-pid", pid, "-c", "2", "-d", "1m", "-n", "20", "-warmup", "0", "-password", "pw", "-rounds", "2",
		"-endpoints", "GET /api/checklist/categories-with-items?restaurantId={restaurantId},PUT /api/dashboard/checklist/{statusId}")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	for _, name := range []string{"GET /api/checklist/categories-with-items?restaurantId={restaurantId}", "PUT /api/dashboard/checklist/{statusId}"} {
		for _, s := range []string{"ours", "legacy"} {
			for round := 1; round <= 2; round++ {
				if cols := row(t, out, name+" ["+s+"] (round "+strconv.Itoa(round)+")"); cols[0] != "20" || cols[6] != "0" {
					t.Errorf("%s %s round %d: %q", name, s, round, cols)
				}
			}
		}
	}
	table := out[strings.Index(out, "side by side over 2 round(s)"):]
	for _, want := range []string{"ours = " + a.URL, "legacy = " + b.URL, "ours req/s", "legacy req/s", "throughput x", "server ours cpu/req", "server legacy cpu/req", "server cpu x"} {
		if !strings.Contains(table, want) {
			t.Errorf("side-by-side table lacks %q:\n%s", want, table)
		}
	}
	x := regexp.MustCompile(`^\d+\.\dx$`)
	us := regexp.MustCompile(`^\d+us$`)
	cols := row(t, table, "PUT /api/dashboard/checklist/{statusId}")
	// ours req/s, legacy req/s, throughput x, 4 latencies, 3 CPU cells, non-2xx, errors
	if len(cols) != 12 || !x.MatchString(cols[2]) || !us.MatchString(cols[7]) || !us.MatchString(cols[8]) || cols[10] != "0" || cols[11] != "0" {
		t.Errorf("side-by-side row %q", cols)
	}
	// Each side was addressed with its own ids.
	for _, w := range ours.seen() {
		if !strings.HasPrefix(w, "PUT /api/dashboard/checklist/3 ") && !strings.HasPrefix(w, "PUT /api/dashboard/checklist/4 ") {
			t.Fatalf("ours got %q", w)
		}
	}
	if got := len(ours.seen()); got != 40 {
		t.Errorf("ours got %d writes, want 40", got)
	}
	for _, w := range legacy.seen() {
		if w != `PUT /api/dashboard/checklist/30 {"is_complete":false}` {
			t.Fatalf("legacy got %q", w)
		}
	}
	if !strings.Contains(out, "ours server memory (/metrics") || !strings.Contains(out, "legacy server memory (/proc/"+pid) {
		t.Errorf("no memory line per side:\n%s", out)
	}
}

// -writes adds the profile's write endpoints; every request of an endpoint that must be unique gets
// its own email, on both sides, and -prepare makes the account and the leads on each side.
func TestLoadWritesSendUniqueData(t *testing.T) {
	for _, tt := range []struct {
		service string
		writes  []string
		unique  string // the path whose bodies must each carry a different email
	}{
		{"momentum", []string{"PUT /api/dashboard/checklist/{statusId}", "POST /api/auth/register"}, "/api/auth/register"},
		{"cohortly", []string{"POST /api/v1/leads", "PUT /api/v1/leads/{leadId}"}, "/api/v1/leads"},
	} {
		t.Run(tt.service, func(t *testing.T) {
			signup := tt.service == "momentum" // -prepare registers the account
			a := &fakeService{statusIDs: []string{"3"}, leadIDs: []string{"l1", "l2"}, needSignup: signup}
			b := &fakeService{statusIDs: []string{"7"}, leadIDs: []string{"m1"}, needSignup: signup}
			sa, sb := httptest.NewServer(a), httptest.NewServer(b)
			t.Cleanup(sa.Close)
			t.Cleanup(sb.Close)
			code, out, stderr := runLoad(t, "-service", tt.service, "-url", sa.URL, "-against", sb.URL, "-writes", "-prepare",
				"-c", "3", "-d", "1m", "-n", "30", "-warmup", "0", "-password", "pw")
			if code != 0 {
				t.Fatalf("exit %d: %s\n%s", code, stderr, out)
			}
			for _, ep := range tt.writes {
				if cols := row(t, out, ep+" [ours]"); cols[0] != "30" || cols[6] != "0" {
					t.Errorf("%s: %q", ep, cols)
				}
			}
			for _, f := range []*fakeService{a, b} {
				n := 0
				emails := map[string]bool{}
				for _, w := range f.seen() {
					method, rest, _ := strings.Cut(w, " ")
					path, body, _ := strings.Cut(rest, " ")
					var v map[string]any
					if err := json.Unmarshal([]byte(body), &v); err != nil {
						t.Fatalf("%s %s: body %q is not JSON: %v", method, path, body, err)
					}
					if method != "POST" || path != tt.unique {
						continue
					}
					n++
					email, _ := v["email"].(string)
					if emails[email] || !strings.Contains(email, "@example.com") {
						t.Fatalf("email %q repeated or malformed", email)
					}
					emails[email] = true
				}
				if n < 30 {
					t.Errorf("%d creations, want at least 30", n)
				}
			}
		})
	}
}

func TestPlaceholders(t *testing.T) {
	vars := map[string][]string{"id": {"a", "b"}}
	for _, tt := range []struct {
		in   string
		seq  uint64
		want string
	}{
		{`/x/{id}`, 1, `/x/b`},
		{`/x/{id}`, 2, `/x/a`},
		{`{"email":"u-{seq}@e.com","n":{"k":1}}`, 42, `{"email":"u-t42@e.com","n":{"k":1}}`},
		{`{"a":"{"}`, 1, `{"a":"{"}`},
		{`/plain`, 1, `/plain`},
	} {
		if got := expand(tt.in, vars, "t", tt.seq); got != tt.want {
			t.Errorf("expand(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := (endpoint{Method: "PUT", Path: "/x/{id}", Body: `{"e":"{seq}"}`}).vars(); len(got) != 1 || got[0] != "id" {
		t.Errorf("vars %q", got)
	}
}
