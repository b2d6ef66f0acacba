// Package apidocs serves a service's OpenAPI document with Swagger UI and ReDoc, entirely from assets
// compiled into the binary, so the documentation works on machines without internet access. The pages
// carry a Content-Security-Policy that lets them load nothing from another origin, so a future bundle
// that tries to is blocked (and shows up in the browser console) instead of leaking requests.
package apidocs

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"strings"

	"github.com/swaggest/swgui"
	"github.com/swaggest/swgui/v5emb"
)

// ReDoc 2.5.4's standalone bundle from the npm package "redoc" (MIT, see assets/REDOC-LICENSE).
//
//go:embed assets/redoc.standalone.js
var assets embed.FS

// Config says what to serve.
type Config struct {
	Spec  []byte // the OpenAPI 3 document, JSON
	Title string
	// SpecPaths are the paths the document is served at (e.g. "/openapi.json"); the first one is the
	// one the UIs load.
	SpecPaths []string
}

var redocPage = template.Must(template.New("redoc").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png" sizes="32x32">
<style>body{margin:0;padding:0}</style>
</head>
<body>
<redoc spec-url="{{.Spec}}"></redoc>
<script src="/api/redoc/redoc.standalone.js"></script>
</body>
</html>
`))

// The ReDoc bundle's side menu footer always renders <img src="https://cdn.redoc.ly/redoc/logo-mini.svg">
// (no option hides it). The served bundle shows this small mark instead, inline, so the page fetches
// nothing from another host. A new bundle without the exact string is caught by the tests.
const (
	redocLogoCDN  = `src:"https://cdn.redoc.ly/redoc/logo-mini.svg"`
	redocLogoData = `src:"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='6' fill='none' stroke='%2332329f' stroke-width='2'/%3E%3C/svg%3E"`
)

// ContentSecurityPolicy is the policy of the docs pages: scripts, styles, the document and fonts from
// the service's own origin only. The exceptions are what the two bundles need: inline styles (both
// style elements at run time), data: images (Swagger UI's icons, the ReDoc logo above), and blob:
// workers (ReDoc's search index runs in a worker made from a blob). Swagger UI's two inline scripts
// (swgui's page template) are allowed by hash, computed from the page served, so nothing else inline
// runs. Nothing may frame the pages.
func ContentSecurityPolicy(scriptHashes ...string) string {
	script := "'self'"
	for _, h := range scriptHashes {
		script += " '" + h + "'"
	}
	return "default-src 'none'; script-src " + script + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
		"font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; child-src 'self' blob:; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

var inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

// inlineScriptHashes returns the CSP source expression of every inline script of an HTML page.
func inlineScriptHashes(page []byte) []string {
	var out []string
	for _, m := range inlineScript.FindAllSubmatch(page, -1) {
		sum := sha256.Sum256(m[1])
		out = append(out, "sha256-"+base64.StdEncoding.EncodeToString(sum[:]))
	}
	return out
}

// withCSP sends policy with every response of h.
func withCSP(policy string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", policy)
		h.ServeHTTP(w, r)
	})
}

// recorder keeps what a handler writes (the Swagger UI page is rendered once, at Mount).
type recorder struct {
	h    http.Header
	code int
	body bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.h }
func (r *recorder) WriteHeader(code int)        { r.code = code }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }

// Mount registers the document, Swagger UI at /api/docs (with or without the trailing slash) and ReDoc
// at /api/redoc on mux.
func Mount(mux *http.ServeMux, cfg Config) {
	serveSpec := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(cfg.Spec)
	})
	for _, p := range cfg.SpecPaths {
		mux.Handle("GET "+p, serveSpec)
	}
	specURL := "/openapi.json"
	if len(cfg.SpecPaths) > 0 {
		specURL = cfg.SpecPaths[0]
	}

	// Swagger UI: the page is the same for every request, so it is rendered once and its inline
	// scripts hashed into the policy; swgui serves the static assets below /api/docs/. The assets are
	// referenced by absolute path, so the page works at /api/docs and /api/docs/ alike.
	swagger := v5emb.NewHandlerWithConfig(swgui.Config{
		Title:       cfg.Title,
		SwaggerJSON: specURL,
		BasePath:    "/api/docs/",
		ShowTopBar:  false,
	})
	rec := &recorder{h: http.Header{}, code: http.StatusOK}
	req, _ := http.NewRequest(http.MethodGet, "/api/docs/", nil)
	swagger.ServeHTTP(rec, req)
	if rec.code != http.StatusOK {
		panic(fmt.Sprintf("apidocs: rendering the Swagger UI page: status %d", rec.code))
	}
	swaggerHTML := rec.body.Bytes()
	swaggerCSP := ContentSecurityPolicy(inlineScriptHashes(swaggerHTML)...)
	swaggerPage := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", swaggerCSP)
		_, _ = w.Write(swaggerHTML)
	})
	mux.Handle("GET /api/docs", swaggerPage)
	mux.Handle("GET /api/docs/{$}", swaggerPage)
	mux.Handle("GET /api/docs/", withCSP(swaggerCSP, swagger))

	policy := ContentSecurityPolicy()
	page := new(strings.Builder)
	_ = redocPage.Execute(page, struct{ Title, Spec string }{cfg.Title, specURL})
	html := page.String()
	mux.HandleFunc("GET /api/redoc", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", policy)
		_, _ = w.Write([]byte(html))
	})
	js := redocBundle()
	mux.HandleFunc("GET /api/redoc/redoc.standalone.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("Content-Security-Policy", policy)
		_, _ = w.Write(js)
	})
}

// redocBundle is the embedded ReDoc bundle with its CDN logo replaced by the inline one.
func redocBundle() []byte {
	js, _ := assets.ReadFile("assets/redoc.standalone.js")
	return bytes.ReplaceAll(js, []byte(redocLogoCDN), []byte(redocLogoData))
}
