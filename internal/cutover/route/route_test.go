package route

import (
	"strings"
	"testing"
)

func TestPatternMatrix(t *testing.T) {
	express := Options{CaseInsensitive: true, TrailingSlash: true}
	strict := Options{}
	cases := []struct {
		pattern string
		opts    Options
		method  string
		path    string
		want    bool
	}{
		// Method handling: none or ANY matches every method; GET also matches HEAD (as in ServeMux).
		{"/api/auth/me", strict, "DELETE", "/api/auth/me", true},
		{"ANY /api/auth/me", strict, "PATCH", "/api/auth/me", true},
		{"* /api/auth/me", strict, "PATCH", "/api/auth/me", true},
		{"GET /api/auth/me", strict, "GET", "/api/auth/me", true},
		{"GET /api/auth/me", strict, "HEAD", "/api/auth/me", true},
		{"GET /api/auth/me", strict, "POST", "/api/auth/me", false},
		{"POST,PUT /api/leads/{id}", strict, "PUT", "/api/leads/7", true},
		{"POST,PUT /api/leads/{id}", strict, "POST", "/api/leads/7", true},
		{"POST,PUT /api/leads/{id}", strict, "GET", "/api/leads/7", false},
		// Wildcards and subtrees, with ServeMux's meaning.
		{"/api/leads/{id}", strict, "GET", "/api/leads/7", true},
		{"/api/leads/{id}", strict, "GET", "/api/leads/7/notes", false},
		{"/api/leads/{id}", strict, "GET", "/api/leads/", false},
		{"/api/leads/{rest...}", strict, "GET", "/api/leads/7/notes", true},
		{"/api/", strict, "GET", "/api/anything/at/all", true},
		{"/api/", strict, "GET", "/api", false}, // ServeMux would redirect; the router does not call that a match
		{"/api/{$}", strict, "GET", "/api/", true},
		{"/api/{$}", strict, "GET", "/api/x", false},
		{"/", strict, "GET", "/whatever", true},
		// Cleaned paths: what a ServeMux behind the router would route.
		{"/api/auth/me", strict, "GET", "/api//auth/./me", true},
		{"/api/auth/me", strict, "GET", "/api/x/../auth/me", true},
		// Escapes: decoded per segment; an encoded slash stays inside its segment.
		{"/api/auth/me", strict, "GET", "/api/%61uth/me", true},
		{"/api/leads/{id}", strict, "GET", "/api/leads/a%2Fb", true},
		{"/api/leads/{id}/notes", strict, "GET", "/api/leads%2F7/notes", false},
		{"/api/leads/{id}", strict, "GET", "/api/leads/%zz", false},
		// Case and trailing slash, as Express matched them (Momentum; Cohortly's trailing slash).
		{"/api/auth/me", strict, "GET", "/API/auth/me", false},
		{"/api/auth/me", express, "GET", "/API/Auth/ME", true},
		{"/API/Auth/me", express, "GET", "/api/auth/me", true},
		{"/api/auth/me", express, "GET", "/api/%41uth/me", true},
		{"/api/auth/me", strict, "GET", "/api/auth/me/", false},
		{"/api/auth/me", express, "GET", "/api/auth/me/", true},
		{"/api/", express, "GET", "/api/", true},
		{"/api/leads/", express, "GET", "/api/leads", true}, // Express: a router mounted at /api/leads serves /api/leads
		{"/api/leads/{id}", express, "GET", "/api/leads", false},
		{"/api/leads/{id}", express, "GET", "/API/LEADS/ABC/", true},
	}
	for _, c := range cases {
		p, err := CompilePattern(c.pattern, c.opts)
		if err != nil {
			t.Fatalf("%q: %v", c.pattern, err)
		}
		if got := p.Match(NewRequest(c.method, c.path, c.opts)); got != c.want {
			t.Errorf("%q (%+v) %s %s: match %v, want %v", c.pattern, c.opts, c.method, c.path, got, c.want)
		}
	}
}

func TestPatternErrors(t *testing.T) {
	for _, spec := range []string{
		"", "api/auth", "get /api", "GET,GET /api", "GET, POST /api", "GET /api/{id", "GET /api/{a}/{a}",
		"GET example.com/api", "GET /a b", "GET /api/{x...}/more",
	} {
		if _, err := CompilePattern(spec, Options{}); err == nil {
			t.Errorf("%q: accepted", spec)
		}
	}
}

func TestTargets(t *testing.T) {
	good := map[string]Target{
		"legacy":             {Kind: KindServe, Side: Legacy},
		"new":                {Kind: KindServe, Side: New},
		"shadow legacy":      {Kind: KindShadow, Side: Legacy},
		"shadow new":         {Kind: KindShadow, Side: New},
		"split 10%":          {Kind: KindSplit, Side: New, Share: 1000},
		"split 12.5% legacy": {Kind: KindSplit, Side: Legacy, Share: 1250},
		"split 0.05%":        {Kind: KindSplit, Side: New, Share: 5},
		"split 100%":         {Kind: KindSplit, Side: New, Share: 10000},
		"hold":               {Kind: KindHold},
	}
	for in, want := range good {
		got, err := ParseTarget(in)
		if err != nil || got != want {
			t.Errorf("%q: %+v, %v; want %+v", in, got, err, want)
			continue
		}
		if back, err := ParseTarget(got.String()); err != nil || back != got {
			t.Errorf("%q: String %q reads back as %+v, %v", in, got.String(), back, err)
		}
	}
	for _, in := range []string{"", "shadow", "shadow both", "split", "split 10", "split 101%", "split -1%",
		"split 1.234%", "split 10% sideways", "hold 5s", "legacy now", "Legacy", "mirror"} {
		if _, err := ParseTarget(in); err == nil {
			t.Errorf("%q: accepted", in)
		}
	}
}

func FuzzCompilePattern(f *testing.F) {
	for _, s := range []string{"GET /api/auth/me", "/api/", "POST,PUT /api/{id}/{rest...}", "/x/{$}", "GET /%41", "ANY /"} {
		f.Add(s, "/api/auth/me", true)
	}
	f.Fuzz(func(t *testing.T, spec, path string, fold bool) {
		opts := Options{CaseInsensitive: fold, TrailingSlash: fold}
		p, err := CompilePattern(spec, opts)
		if err != nil {
			return
		}
		// A compiled pattern's canonical spec compiles to the same spec.
		q, err := CompilePattern(p.String(), opts)
		if err != nil || q.String() != p.String() {
			t.Fatalf("%q: canonical %q does not compile back: %v", spec, p.String(), err)
		}
		m := "GET"
		if len(p.Methods()) > 0 {
			m = p.Methods()[0]
		}
		_ = p.Match(NewRequest(m, path, opts)) // must not panic
		if fold && p.Match(NewRequest(m, path, opts)) != p.Match(NewRequest(m, strings.ToUpper(path), opts)) && !strings.Contains(path, "%") && isASCII(path) {
			t.Fatalf("%q: case-insensitive match differs for %q and its upper case", spec, path)
		}
	})
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"legacy", "shadow new", "split 12.5% legacy", "hold", "split 100%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseTarget(s)
		if err != nil {
			return
		}
		back, err := ParseTarget(tg.String())
		if err != nil || back != tg {
			t.Fatalf("%q -> %q -> %+v, %v", s, tg.String(), back, err)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
