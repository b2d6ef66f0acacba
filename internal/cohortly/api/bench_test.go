package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Benchmarks of the load-test hot paths, in process (no network), on SQLite. They only report.
func benchGET(b *testing.B, path string, token func(e *env) string) {
	e := sqliteOnly(b)
	h := e.srv.Config.Handler
	auth := "Bearer " + token(e)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Authorization", auth)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%d %s", w.Code, w.Body.Bytes())
			}
		}
	})
}

func BenchmarkMe(b *testing.B)        { benchGET(b, "/api/v1/auth/me", (*env).admin) }
func BenchmarkLeads(b *testing.B)     { benchGET(b, "/api/v1/leads", (*env).admin) }
func BenchmarkBootcamps(b *testing.B) { benchGET(b, "/api/v1/bootcamps", (*env).admin) }
