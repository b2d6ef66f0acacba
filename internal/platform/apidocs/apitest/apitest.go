// Package apitest checks, in tests, that what a service answers is what its OpenAPI document promises.
// Every HTTP test of a service passes its responses through a Validator, so the document cannot drift
// from the code; Uncovered then tells which documented operations no test exercised.
package apitest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Validator validates responses against one OpenAPI document.
type Validator struct {
	doc    *openapi3.T
	router routers.Router

	mu   sync.Mutex
	seen map[string]bool
}

// NewValidator loads and validates spec (JSON or YAML) and fails the test if the document is invalid.
func NewValidator(t testing.TB, spec []byte) *Validator {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(spec)
	if err != nil {
		t.Fatalf("load OpenAPI document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("OpenAPI document is invalid: %v", err)
	}
	// Route on paths only: the servers list names public hosts, tests run on loopback.
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("build router from OpenAPI document: %v", err)
	}
	return &Validator{doc: doc, router: router, seen: map[string]bool{}}
}

// Check fails the test when resp (whose body the caller already read into body) does not match the
// document: an undocumented path, method or status, a wrong content type, or a body that breaks the
// schema. Requests to paths the document does not have are accepted only when the answer is 404 or
// 405 (that is how a service answers unknown routes).
func (v *Validator) Check(t testing.TB, req *http.Request, resp *http.Response, body []byte) {
	t.Helper()
	// The router matches on URL host too; look the route up on a path-only copy.
	u := *req.URL
	u.Scheme, u.Host = "", ""
	rr := req.Clone(context.Background())
	rr.URL = &u
	rr.Host = ""
	route, params, err := v.router.FindRoute(rr)
	if err != nil {
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed {
			return
		}
		t.Errorf("%s %s answered %d but is not in the OpenAPI document: %v", req.Method, req.URL.Path, resp.StatusCode, err)
		return
	}
	v.mu.Lock()
	v.seen[strings.ToUpper(req.Method)+" "+route.Path] = true
	v.mu.Unlock()
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    rr,
			PathParams: params,
			Route:      route,
			Options:    &openapi3filter.Options{ExcludeRequestBody: true, ExcludeRequestQueryParams: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: resp.StatusCode,
		Header: resp.Header,
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s -> %d does not match the OpenAPI document: %v\nbody: %s", req.Method, req.URL.Path, resp.StatusCode, err, truncate(body))
	}
}

// Do sends req with client, reads the whole body, validates the response and returns it with its body.
func (v *Validator) Do(t testing.TB, client *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body of %s %s: %v", req.Method, req.URL, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	v.Check(t, req, resp, body)
	return resp, body
}

// Uncovered lists documented operations ("GET /api/x/{id}") that no checked response exercised.
func (v *Validator) Uncovered() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []string
	for path, item := range v.doc.Paths.Map() {
		for method := range item.Operations() {
			if key := strings.ToUpper(method) + " " + path; !v.seen[key] {
				out = append(out, key)
			}
		}
	}
	sort.Strings(out)
	return out
}

func truncate(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}
