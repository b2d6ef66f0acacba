package api_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestBadBodies(t *testing.T) {
	e := sqliteOnly(t)
	tok := e.sales()
	big := `{"fullName":"` + strings.Repeat("a", 101<<10) + `"}`
	cases := []struct {
		name   string
		body   string
		ctype  string
		status int
		msg    string
	}{
		{"malformed", `{"fullName":`, "application/json", 400, "Malformed JSON in request body"},
		{"not json", `fullName=x`, "application/json", 400, "Malformed JSON in request body"},
		{"array", `[1,2]`, "application/json", 400, "Request body must be a JSON object"},
		{"string", `"hello"`, "application/json", 400, "Request body must be a JSON object"},
		{"two values", `{} {}`, "application/json", 400, "Malformed JSON in request body"},
		{"text/plain", `{"fullName":"x"}`, "text/plain", 400, "Content-Type must be application/json"},
		{"too large", big, "application/json", 413, "Request body too large"},
		{"wrong types", `{"fullName":1,"email":true,"source":[],"phone":{}}`, "application/json", 400, "Validation failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.call("POST", "/api/v1/leads", tok, c.body, "Content-Type", c.ctype)
			want(t, r, c.status, c.msg)
		})
	}
	t.Run("too large without Content-Length", func(t *testing.T) {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/leads", io.MultiReader(strings.NewReader(big)))
		req.ContentLength = -1 // chunked: the limit is enforced while reading
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, body := e.v.Do(t, e.srv.Client(), req)
		if resp.StatusCode != 413 || !bytes.Contains(body, []byte("Request body too large")) {
			t.Fatalf("got %d %s", resp.StatusCode, body)
		}
	})
	t.Run("wrong types name every field", func(t *testing.T) {
		r := e.call("POST", "/api/v1/leads", tok, `{"fullName":1,"email":true,"source":[]}`)
		for _, f := range []string{"fullName", "email", "source"} {
			if fe := fieldErr(r, f); fe == nil || !strings.Contains(str(fe["msg"]), "must be a string") {
				t.Errorf("%s: %s", f, r.raw)
			}
		}
	})
	t.Run("form-encoded bodies work as in the legacy", func(t *testing.T) {
		r := e.call("POST", "/api/v1/auth/login", "", "email=admin%40bootcamp.com&password=Password123%21", "Content-Type", "application/x-www-form-urlencoded")
		want(t, r, 200, "Login successful")
	})
	t.Run("no internal details leak", func(t *testing.T) {
		r := e.call("PUT", "/api/v1/leads/'; DROP TABLE leads;--", tok, map[string]any{"status": "LOST"})
		want(t, r, 404, "Lead not found")
		for _, bad := range []string{"sql", "SQL", "prisma", "pq:", "sqlite", "goroutine"} {
			if bytes.Contains(r.raw, []byte(bad)) {
				t.Errorf("leaked %q: %s", bad, r.raw)
			}
		}
	})
}

// FuzzRequestDecoding throws arbitrary bodies at the endpoints that decode the most fields: whatever the
// input, the answer is a JSON envelope with a 2xx/4xx status, never a 500 or a crash.
func FuzzRequestDecoding(f *testing.F) {
	for _, s := range []string{`{}`, `{"fullName":"a","email":"a@b.co","source":"WEBSITE"}`, `{"price":1e400}`, `{"capacity":1e30}`,
		`{"startDate":"2026-02-30"}`, `null`, `[]`, `{"a":`, "\x00", `{"email":"\ud800@x.co"}`, `{"score":-0}`, `{"price":"-0.001"}`} {
		f.Add(s)
	}
	e := sqliteOnly(f)
	f.Fuzz(func(t *testing.T, body string) {
		for _, target := range []struct{ method, path, tok string }{
			{"POST", "/api/v1/leads", e.sales()},
			{"POST", "/api/v1/bootcamps", e.admin()},
			{"POST", "/api/v1/auth/register", ""},
			{"POST", "/api/v1/assignments", e.admin()},
			{"PUT", "/api/v1/enrollments/x", e.admin()},
		} {
			req := httptest.NewRequest(target.method, target.path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if target.tok != "" {
				req.Header.Set("Authorization", "Bearer "+target.tok)
			}
			w := httptest.NewRecorder()
			e.srv.Config.Handler.ServeHTTP(w, req)
			if w.Code >= 500 || w.Code < 200 {
				t.Fatalf("%s %s with %q: %d %s", target.method, target.path, body, w.Code, w.Body.Bytes())
			}
			if !bytes.HasPrefix(w.Body.Bytes(), []byte(`{"success":`)) {
				t.Fatalf("%s %s with %q: not an envelope: %s", target.method, target.path, body, w.Body.Bytes())
			}
		}
	})
}

// TestHostileTextNeverReachesTheDatabase: NUL bytes and invalid UTF-8 are refused before a store sees
// them (PostgreSQL would fail on them), as 400 or 404, on both stores.
func TestHostileTextNeverReachesTheDatabase(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		tok := e.admin()
		cases := []struct {
			method, path string
			body         any
			status       int
		}{
			{"POST", "/api/v1/leads", map[string]any{"fullName": "a\x00b", "email": "x@example.com", "source": "WEBSITE"}, 400},
			{"POST", "/api/v1/leads", map[string]any{"fullName": "ok", "email": "x@example.com", "source": "WEBSITE", "notes": "n\x00"}, 400},
			{"PUT", "/api/v1/auth/me", map[string]any{"fullName": "\x00"}, 400},
			{"GET", "/api/v1/leads/%00", nil, 404},
			{"GET", "/api/v1/leads/%ff%fe", nil, 404},
			{"DELETE", "/api/v1/bootcamps/%00", nil, 404},
			{"GET", "/api/v1/enrollments/student/%c3%28", nil, 404},
			{"GET", "/api/v1/leads?search=%00", nil, 400},
			{"GET", "/api/v1/leads?search=%ff", nil, 400},
			{"GET", "/api/v1/leads?assignedTo=%ff", nil, 400},
			{"GET", "/api/v1/bootcamps/batches?bootcampId=%00", nil, 400},
			{"POST", "/api/v1/bootcamps", map[string]any{"title": "t", "description": "d\x00", "price": 1}, 400},
		}
		for _, c := range cases {
			r := e.call(c.method, c.path, tok, c.body)
			if r.status != c.status || r.body["success"] != false {
				t.Errorf("%s %s: %d %s, want %d", c.method, c.path, r.status, r.raw, c.status)
			}
		}
		// The same through a form body.
		r := e.call("POST", "/api/v1/auth/login", "", "email=admin%40bootcamp.com&password=%00", "Content-Type", "application/x-www-form-urlencoded")
		want(t, r, 400, "Validation failed")
	})
}
