package apidocs

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMountServesDocumentAndBothUIsOffline(t *testing.T) {
	mux := http.NewServeMux()
	spec := []byte(`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}`)
	Mount(mux, Config{Spec: spec, Title: "Test API", SpecPaths: []string{"/openapi.json", "/api/openapi.json"}})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	get := func(path string) (int, string, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	for _, p := range []string{"/openapi.json", "/api/openapi.json"} {
		if code, ct, body := get(p); code != 200 || !strings.HasPrefix(ct, "application/json") || body != string(spec) {
			t.Errorf("%s: %d %s %q", p, code, ct, body)
		}
	}
	code, _, page := get("/api/docs/")
	if code != 200 || !strings.Contains(page, "/openapi.json") {
		t.Fatalf("swagger ui: %d", code)
	}
	// Every script and stylesheet of the page is served by us, none from a CDN.
	for _, marker := range []string{`src="`, `href="`} {
		for _, part := range strings.Split(page, marker)[1:] {
			ref := part[:strings.Index(part, `"`)]
			if strings.HasPrefix(ref, "http") {
				t.Errorf("swagger ui loads %s from the internet", ref)
				continue
			}
			if !strings.HasPrefix(ref, "/") {
				ref = "/api/docs/" + ref
			}
			if code, _, _ := get(ref); code != 200 {
				t.Errorf("swagger ui asset %s: %d", ref, code)
			}
		}
	}
	code, _, redoc := get("/api/redoc")
	if code != 200 || !strings.Contains(redoc, `spec-url="/openapi.json"`) || strings.Contains(redoc, "cdn.") {
		t.Fatalf("redoc page: %d %s", code, redoc)
	}
	if code, ct, js := get("/api/redoc/redoc.standalone.js"); code != 200 || !strings.Contains(ct, "javascript") || len(js) < 100000 {
		t.Fatalf("redoc bundle: %d %s %d bytes", code, ct, len(js))
	}
}
