package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// The hot read paths, in process (no network): what one request costs the server. The load command
// (cmd/load) measures the same endpoints over real connections.
func benchGET(b *testing.B, path string) {
	e := newEnv(b)
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+e.a)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Errorf("%d %s", rec.Code, rec.Body)
				return
			}
		}
	})
}

func BenchmarkMe(b *testing.B)        { benchGET(b, "/api/auth/me") }
func BenchmarkDashboard(b *testing.B) { benchGET(b, "/api/dashboard/restaurant") }
func BenchmarkChecklist(b *testing.B) {
	benchGET(b, "/api/checklist/categories-with-items?restaurantId=me")
}
