package api_test

import (
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/momentum-cohortly/backends/internal/platform/apidocs/apitest"
)

// The attacks of issue 8: an encoded "/" in a path parameter, plus a capital letter or a trailing slash
// (which send the request through canonicalPath), made ServeMux redirect a PUT or DELETE with its token
// to another route. Each must get the answer of the same path without the capital or the slash.
func TestEncodedSlashInAParameterNeverRedirects(t *testing.T) {
	e := newEnv(t)
	cases := []struct{ method, attack, plain string }{
		{"GET", "/api/facebook-ads/campaign-status/A%2F..%2F..%2F..%2Fdashboard%2Fadmin",
			"/api/facebook-ads/campaign-status/a%2F..%2F..%2F..%2Fdashboard%2Fadmin"},
		{"PUT", "/api/checklist/status/NaN/..%2F..%2Fa%2Fb", "/api/checklist/status/nan/..%2F..%2Fa%2Fb"},
		{"GET", "/api/sms-campaigns/campaign-status/x%2F..%2F..%2F..%2Fdashboard%2Fadmin/",
			"/api/sms-campaigns/campaign-status/x%2F..%2F..%2F..%2Fdashboard%2Fadmin"},
		{"GET", "/API/Facebook-Ads/Campaign-Status/x%2F..%2F..%2F..%2Fdashboard%2Fadmin",
			"/api/facebook-ads/campaign-status/x%2F..%2F..%2F..%2Fdashboard%2Fadmin"},
		{"PUT", "/api/checklist/status/1/..%2F..%2F..%2Fdashboard%2Fchecklist%2F1/", "/api/checklist/status/1/..%2F..%2F..%2Fdashboard%2Fchecklist%2F1"},
	}
	for _, tc := range cases {
		for _, who := range []struct{ name, token string }{{"anonymous", ""}, {"owner", e.a}, {"admin", e.admin}} {
			got := apitest.RoundTrip(t, tc.method, e.srv.URL+tc.attack, who.token)
			want := apitest.RoundTrip(t, tc.method, e.srv.URL+tc.plain, who.token)
			if loc := got.Header.Get("Location"); loc != "" || got.StatusCode/100 == 3 {
				t.Errorf("%s %s as %s: %d redirect to %q", tc.method, tc.attack, who.name, got.StatusCode, loc)
				continue
			}
			if got.StatusCode != want.StatusCode {
				t.Errorf("%s %s as %s: %d, but %d without the capital or slash", tc.method, tc.attack, who.name, got.StatusCode, want.StatusCode)
			}
		}
	}
}

// No request is ever redirected to a route other than its own: a redirect may only clean literal dot
// segments and doubled slashes of the path as sent, never anything an escape hid.
func FuzzNoRedirectToAnotherRoute(f *testing.F) {
	for _, s := range []string{
		"facebook-ads/campaign-status/A%2F..%2F..%2F..%2Fdashboard%2Fadmin",
		"checklist/status/NaN/..%2F..%2Fa%2Fb",
		"Auth/Me/", "dashboard/checklist/%2E%2E%2F1/", "x/%2e%2e/%2e%2e/dashboard/admin", "a/../b", "A//b/",
		"checklist/status/1/%252F..", "uploads/%2F%2F/",
	} {
		f.Add("GET", s, false)
		f.Add("PUT", s, true)
	}
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, method, rest string, withToken bool) {
		if method != "GET" && method != "PUT" && method != "DELETE" && method != "POST" {
			method = "GET"
		}
		raw := "/api/" + rest
		u, err := url.ParseRequestURI(raw)
		if err != nil || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(raw, "?# \t\r\n") {
			return
		}
		req := httptest.NewRequest(method, "http://h"+raw, nil)
		if withToken {
			req.Header.Set("Authorization", "Bearer "+e.a)
		}
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
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
		norm := func(p string) string { return strings.ToLower(strings.TrimSuffix(path.Clean(p), "/")) }
		// ServeMux writes the cleaned escaped path as the Location's (decoded) path.
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
