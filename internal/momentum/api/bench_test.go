package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
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

// The write profile's dashboard checklist update (prepared UPDATE on the writer, user loaded first).
func BenchmarkSetTask(b *testing.B) {
	e := newEnv(b)
	r := e.call("GET", "/api/dashboard/restaurant", e.a, nil)
	tasks, _ := r.body["pendingTasks"].([]any)
	if len(tasks) == 0 {
		b.Fatalf("no pending tasks: %s", r.raw)
	}
	path := fmt.Sprintf("/api/dashboard/checklist/%v", tasks[0].(map[string]any)["status_id"])
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("PUT", path, strings.NewReader(`{"is_complete":false}`))
			req.Header.Set("Authorization", "Bearer "+e.a)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Errorf("%d %s", rec.Code, rec.Body)
				return
			}
		}
	})
}
