// Package apidocs serves a service's OpenAPI document with Swagger UI and ReDoc, entirely from assets
// compiled into the binary, so the documentation works on machines without internet access.
package apidocs

import (
	"embed"
	"html/template"
	"net/http"
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
<style>body{margin:0;padding:0}</style>
</head>
<body>
<redoc spec-url="{{.Spec}}"></redoc>
<script src="/api/redoc/redoc.standalone.js"></script>
</body>
</html>
`))

// Mount registers the document, Swagger UI at /api/docs and ReDoc at /api/redoc on mux.
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

	swagger := v5emb.NewHandlerWithConfig(swgui.Config{
		Title:       cfg.Title,
		SwaggerJSON: specURL,
		BasePath:    "/api/docs/",
		ShowTopBar:  false,
	})
	mux.Handle("GET /api/docs", http.RedirectHandler("/api/docs/", http.StatusMovedPermanently))
	mux.Handle("GET /api/docs/", swagger)

	page := new(strings.Builder)
	_ = redocPage.Execute(page, struct{ Title, Spec string }{cfg.Title, specURL})
	html := page.String()
	mux.HandleFunc("GET /api/redoc", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(html))
	})
	js, _ := assets.ReadFile("assets/redoc.standalone.js")
	mux.HandleFunc("GET /api/redoc/redoc.standalone.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		_, _ = w.Write(js)
	})
}
