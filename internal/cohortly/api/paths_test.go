package api_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/momentum-cohortly/backends/internal/cohortly/schema"
	"github.com/momentum-cohortly/backends/internal/platform/apidocs/apitest"
)

// The attack of issue 8: a trailing slash sent the path through trimTrailingSlash, which rebuilt it
// from its decoded form, and ServeMux redirected the DELETE (with its token) to a bootcamp.
func TestEncodedSlashInAParameterNeverRedirects(t *testing.T) {
	e := sqliteOnly(t)
	bootcamp := e.demo.Bootcamps[0].ID
	cases := []struct{ method, attack, plain string }{
		{"DELETE", "/api/v1/leads/x%2F..%2F..%2Fbootcamps%2F" + bootcamp + "/", "/api/v1/leads/x%2F..%2F..%2Fbootcamps%2F" + bootcamp},
		{"PUT", "/api/v1/leads/x%2F..%2F..%2Fbootcamps%2F" + bootcamp + "//", "/api/v1/leads/x%2F..%2F..%2Fbootcamps%2F" + bootcamp},
		{"GET", "/api/v1/bootcamps/batches/%2E%2E%2F%2E%2E%2Fauth%2Fme/", "/api/v1/bootcamps/batches/%2E%2E%2F%2E%2E%2Fauth%2Fme"},
	}
	for _, tc := range cases {
		for _, who := range []struct{ name, token string }{{"anonymous", ""}, {"admin", e.admin()}, {"sales", e.sales()}} {
			got := apitest.RoundTrip(t, tc.method, e.srv.URL+tc.attack, who.token)
			want := apitest.RoundTrip(t, tc.method, e.srv.URL+tc.plain, who.token)
			if loc := got.Header.Get("Location"); loc != "" || got.StatusCode/100 == 3 {
				t.Errorf("%s %s as %s: %d redirect to %q", tc.method, tc.attack, who.name, got.StatusCode, loc)
				continue
			}
			if got.StatusCode != want.StatusCode {
				t.Errorf("%s %s as %s: %d, but %d without the trailing slash", tc.method, tc.attack, who.name, got.StatusCode, want.StatusCode)
			}
		}
	}
	// The bootcamp the redirect pointed at is still there.
	if r := e.call("GET", "/api/v1/bootcamps/"+bootcamp, e.admin(), nil); r.status != http.StatusOK {
		t.Fatalf("bootcamp %s: %d", bootcamp, r.status)
	}
}

// Express matched routes case-insensitively (the real legacy server answers GET /api/v1/LEADS/ with the
// list), so a client or a bookmark with another case keeps working; path parameters keep their case.
func TestRoutesMatchCaseInsensitivelyAndParametersKeepTheirCase(t *testing.T) {
	e := sqliteOnly(t)
	bootcamp := e.demo.Bootcamps[0].ID
	for _, p := range []string{"/api/v1/LEADS/", "/API/V1/Leads", "/api/v1/Bootcamps/" + bootcamp, "/api/v1/AUTH/me", "/api/v1/leads/Follow-Ups"} {
		// Not through the document check: the document lists the paths in their one case.
		if r := apitest.RoundTrip(t, "GET", e.srv.URL+p, e.admin()); r.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", p, r.StatusCode)
		}
	}
	// The id is a parameter: an upper-cased id is another id, as on the legacy server.
	if r := apitest.RoundTrip(t, "GET", e.srv.URL+"/api/v1/BOOTCAMPS/"+strings.ToUpper(bootcamp), e.admin()); r.StatusCode != http.StatusNotFound {
		t.Errorf("upper-cased bootcamp id: %d, want 404", r.StatusCode)
	}
	resp, err := http.Post(e.srv.URL+"/API/V1/AUTH/LOGIN", "application/json",
		strings.NewReader(`{"email":"admin@bootcamp.com","password":"`+schema.DemoPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("POST /API/V1/AUTH/LOGIN: %d", resp.StatusCode)
	}
}

// No request is ever redirected to a route other than its own: a redirect may only clean literal dot
// segments and doubled slashes of the path as sent, never anything an escape hid.
func FuzzNoRedirectToAnotherRoute(f *testing.F) {
	for _, s := range []string{
		"leads/x%2F..%2F..%2Fbootcamps%2F1/", "bootcamps/batches/%2E%2E%2Fx/", "auth/me/", "leads/a/../b",
		"leads//x/", "leads/%252F../", "enrollments/%2F%2F/",
	} {
		f.Add("GET", s, false)
		f.Add("DELETE", s, true)
	}
	e := sqliteOnly(f)
	h := e.srv.Config.Handler
	f.Fuzz(func(t *testing.T, method, rest string, withToken bool) {
		if method != "GET" && method != "PUT" && method != "DELETE" && method != "POST" {
			method = "GET"
		}
		raw := "/api/v1/" + rest
		u, err := url.ParseRequestURI(raw)
		if err != nil || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(raw, "?# \t\r\n") {
			return
		}
		req := httptest.NewRequest(method, "http://h"+raw, nil)
		if withToken {
			req.Header.Set("Authorization", "Bearer "+e.sales())
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code/100 != 3 {
			return
		}
		esc := u.EscapedPath()
		loc := rec.Header().Get("Location")
		if !hasDotOrEmptySegment(esc) {
			t.Fatalf("%s %s: %d redirect to %q, but the path as sent has nothing to clean", method, raw, rec.Code, loc)
		}
		lu, err := url.Parse(loc)
		if err != nil {
			t.Fatalf("%s %s: bad Location %q", method, raw, loc)
		}
		// ServeMux writes the cleaned escaped path as the Location's (decoded) path.
		norm := func(p string) string { return strings.TrimRight(path.Clean(p), "/") }
		if norm(lu.Path) != norm(esc) {
			t.Fatalf("%s %s: redirect to %q, another route than the cleaned path %q", method, raw, loc, path.Clean(esc))
		}
	})
}

func hasDotOrEmptySegment(esc string) bool {
	segs := strings.Split(esc, "/")
	for i, s := range segs[1:] {
		if s == "." || s == ".." || (s == "" && i < len(segs)-2) {
			return true
		}
	}
	return false
}
