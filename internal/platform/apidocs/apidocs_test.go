package apidocs

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
)

type served struct {
	code    int
	ctype   string
	csp     string
	body    string
	refPath string // the page or asset that named it
}

func mountTest(t *testing.T) (*httptest.Server, []byte) {
	t.Helper()
	mux := http.NewServeMux()
	spec := []byte(`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}`)
	Mount(mux, Config{Spec: spec, Title: "Test API", SpecPaths: []string{"/openapi.json", "/api/openapi.json"}})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, spec
}

func get(t *testing.T, srv *httptest.Server, path string) served {
	t.Helper()
	// No redirects: every spelling of a page must answer itself.
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return served{code: resp.StatusCode, ctype: resp.Header.Get("Content-Type"), csp: resp.Header.Get("Content-Security-Policy"), body: string(b)}
}

func TestMountServesDocumentAndBothUIs(t *testing.T) {
	srv, spec := mountTest(t)
	for _, p := range []string{"/openapi.json", "/api/openapi.json"} {
		if r := get(t, srv, p); r.code != 200 || !strings.HasPrefix(r.ctype, "application/json") || r.body != string(spec) {
			t.Errorf("%s: %d %s %q", p, r.code, r.ctype, r.body)
		}
	}
	for _, p := range []string{"/api/docs", "/api/docs/"} {
		r := get(t, srv, p)
		if r.code != 200 || !strings.HasPrefix(r.ctype, "text/html") || !strings.Contains(r.body, `"swaggerJsonUrl":"/openapi.json"`) {
			t.Errorf("swagger ui at %s: %d %s", p, r.code, r.ctype)
		}
	}
	r := get(t, srv, "/api/redoc")
	if r.code != 200 || !strings.Contains(r.body, `spec-url="/openapi.json"`) {
		t.Fatalf("redoc page: %d %s", r.code, r.body)
	}
	if js := get(t, srv, "/api/redoc/redoc.standalone.js"); js.code != 200 || !strings.Contains(js.ctype, "javascript") || len(js.body) < 100000 {
		t.Fatalf("redoc bundle: %d %s %d bytes", js.code, js.ctype, len(js.body))
	}
}

// What the pages may contain as absolute URLs to other hosts: strings the browser never fetches.
// Each host is here for a reason found by reading the bundles; a host that is not listed fails the
// test, so a new bundle's outside URLs are looked at before it ships. Fetching contexts (fetchRef)
// fail for every host, listed or not.
var nonFetchedHosts = map[string]string{
	"www.w3.org":                "XML, SVG, XHTML, XLink and MathML namespace names",
	"json-schema.org":           "JSON Schema $schema and $id values",
	"spec.openapis.org":         "OpenAPI dialect and schema ids",
	"datatracker.ietf.org":      "RFC links in format descriptions (Swagger UI's JSON Schema support)",
	"www.rfc-editor.org":        "RFC links in format descriptions",
	"spdx.org":                  "licence ids",
	"github.com":                "links in licence headers and error messages",
	"git.io":                    "a link in an error message",
	"raw.githubusercontent.com": "Ajv's $id of its $data meta-schema (an identifier, never loaded)",
	"reactjs.org":               "React's production error decoder link (text of an error)",
	"fb.me":                     "React's warning links",
	"redux.js.org":              "a link in a Redux error message",
	"stackoverflow.com":         "a comment",
	"marked.js.org":             "a link in a marked warning",
	"redocly.com":               "the footer's link (an <a href>, followed only on click) and registry URL checks",
	"swagger.io":                "documentation links",
	"validator.swagger.io":      "Swagger UI's default validator badge; swgui sets validatorUrl null, and img-src blocks it",
	"example.com":               "examples in messages",
	"vladimirgorej.com":         "an author link in a licence header",
	"www.tiktok.com":            "Swagger UI's sanitizer allowlist examples",
	"twitter.com":               "same",
	"instagram.com":             "same",
	"www.facebook.com":          "same",
	"soundcloud.com":            "same",
}

var (
	// absURL finds absolute http(s) URLs; host is what a browser would connect to.
	absURL = regexp.MustCompile(`https?://([A-Za-z0-9.-]+)`)
	// fetchRef finds absolute URLs where a page, a stylesheet or a script would fetch them.
	fetchRef = regexp.MustCompile(`(?i)(?:\bsrc(?:set)?\s*[:=]\s*|\burl\(\s*|@import\s+|\bfetch\(\s*|\bimportScripts\(\s*|\bnew\s+(?:Shared)?Worker\(\s*|\bspec-url\s*=\s*|<link[^>]*\bhref\s*=\s*)["'\x60]?(https?:)?//([A-Za-z0-9.-]+)`)
	// htmlRef finds what an HTML page names: scripts, stylesheets, icons.
	htmlRef = regexp.MustCompile(`(?i)\b(?:src|href)\s*=\s*"([^"]+)"`)
	// cssRef finds what a stylesheet names.
	cssRef = regexp.MustCompile(`(?i)url\(\s*["']?([^"')]+)`)
)

func isHostName(h string) bool {
	return strings.Contains(strings.Trim(h, "."), ".") && !strings.HasSuffix(h, ".")
}

// TestDocsPagesFetchNothingFromOtherHosts loads each docs page and every asset it names (and every
// asset those stylesheets name), and fails on any absolute URL to another host in what is served: in a
// fetching context always, anywhere else unless its host is a documented non-fetched string. Each page
// carries the policy that blocks what this test might miss.
func TestDocsPagesFetchNothingFromOtherHosts(t *testing.T) {
	srv, _ := mountTest(t)
	base, _ := url.Parse(srv.URL)
	seen := map[string]served{}
	used := map[string]bool{}
	var queue []string
	for _, p := range []string{"/api/docs", "/api/docs/", "/api/redoc"} {
		seen[p] = served{refPath: "(page)"}
		queue = append(queue, p)
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		r := get(t, srv, p)
		r.refPath = seen[p].refPath
		seen[p] = r
		if r.code != 200 {
			t.Errorf("%s (named by %s): %d", p, r.refPath, r.code)
			continue
		}
		if strings.HasPrefix(r.ctype, "text/html") && !strings.Contains(r.csp, "default-src 'none'") {
			t.Errorf("%s: no restrictive Content-Security-Policy: %q", p, r.csp)
		}
		var refs []string
		switch {
		case strings.HasPrefix(r.ctype, "text/html"):
			for _, m := range htmlRef.FindAllStringSubmatch(r.body, -1) {
				refs = append(refs, m[1])
			}
		case strings.HasPrefix(r.ctype, "text/css"):
			for _, m := range cssRef.FindAllStringSubmatch(r.body, -1) {
				refs = append(refs, m[1])
			}
		}
		for _, ref := range refs {
			if strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") {
				continue
			}
			u, err := url.Parse(strings.TrimSpace(ref))
			if err != nil {
				t.Errorf("%s names %q: %v", p, ref, err)
				continue
			}
			abs := base.ResolveReference(&url.URL{Path: p}).ResolveReference(u)
			if abs.Host != base.Host {
				t.Errorf("%s names %s on another host", p, abs)
				continue
			}
			if _, ok := seen[abs.Path]; !ok {
				seen[abs.Path] = served{refPath: p}
				queue = append(queue, abs.Path)
			}
		}
		for _, m := range fetchRef.FindAllStringSubmatch(r.body, -1) {
			if host := m[2]; isHostName(host) && host != base.Hostname() {
				t.Errorf("%s fetches from %s: %q", p, host, m[0])
			}
		}
		for _, m := range absURL.FindAllStringSubmatch(r.body, -1) {
			host := strings.ToLower(m[1])
			if !isHostName(host) || host == base.Hostname() {
				continue // "https://" + a template, "https://base" (URL parsing tricks)
			}
			used[host] = true
			if _, ok := nonFetchedHosts[host]; !ok {
				t.Errorf("%s: absolute URL to %s (%s): fetched? if not, document the host in nonFetchedHosts", p, host, m[0])
			}
		}
	}
	for host := range nonFetchedHosts {
		if !used[host] {
			t.Errorf("nonFetchedHosts lists %s, which no page or asset contains any more: remove it", host)
		}
	}
	var loaded []string
	for p := range seen {
		loaded = append(loaded, p)
	}
	sort.Strings(loaded)
	for _, want := range []string{"/api/docs/swagger-ui-bundle.js", "/api/docs/swagger-ui.css", "/api/redoc/redoc.standalone.js", "/api/docs/favicon-32x32.png"} {
		if _, ok := seen[want]; !ok {
			t.Errorf("%s was not loaded; loaded: %v", want, loaded)
		}
	}
}

// TestReDocLogoIsInline: the bundle as embedded asks the CDN for its footer logo; as served it must
// not (a new bundle that moves the string breaks this test, not the offline page).
func TestReDocLogoIsInline(t *testing.T) {
	raw, _ := assets.ReadFile("assets/redoc.standalone.js")
	if strings.Count(string(raw), redocLogoCDN) != 1 {
		t.Fatalf("the embedded bundle has %d copies of %s: update the patch in redocBundle", strings.Count(string(raw), redocLogoCDN), redocLogoCDN)
	}
	js := string(redocBundle())
	if strings.Contains(js, "cdn.redoc.ly") || !strings.Contains(js, redocLogoData) {
		t.Fatal("the served bundle still loads its logo from cdn.redoc.ly")
	}
}

func TestContentSecurityPolicyAllowsOnlyOwnOrigin(t *testing.T) {
	srv, _ := mountTest(t)
	for _, p := range []string{"/api/docs", "/api/docs/", "/api/redoc", "/api/redoc/redoc.standalone.js", "/api/docs/swagger-ui-bundle.js"} {
		csp := get(t, srv, p).csp
		for _, d := range strings.Split(csp, ";") {
			f := strings.Fields(d)
			if len(f) == 0 {
				continue
			}
			for _, src := range f[1:] {
				switch {
				case src == "'self'", src == "'none'", src == "'unsafe-inline'" && f[0] == "style-src",
					src == "data:" && (f[0] == "img-src" || f[0] == "font-src"),
					src == "blob:" && (f[0] == "worker-src" || f[0] == "child-src"),
					strings.HasPrefix(src, "'sha256-") && f[0] == "script-src":
				default:
					t.Errorf("%s: %s allows %s", p, f[0], src)
				}
			}
		}
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: policy %q", p, csp)
		}
	}
	// Swagger UI's inline scripts run by hash: one hash per inline script of the page served.
	page := get(t, srv, "/api/docs")
	hashes := inlineScriptHashes([]byte(page.body))
	if len(hashes) == 0 {
		t.Fatal("no inline script found on the Swagger UI page")
	}
	for _, h := range hashes {
		if !strings.Contains(page.csp, "'"+h+"'") {
			t.Errorf("inline script %s not allowed by %q", h, page.csp)
		}
	}
}
