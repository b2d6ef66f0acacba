package main

import (
	"testing"

	"github.com/momentum-cohortly/backends/internal/momentum/mongotest"
)

// TestServeOnMongoDB runs the server with MONGODB_URL pointing at an embedded MongoDB-compatible server
// (FerretDB): a fresh database gets the catalogue and demo admin, and an account works end to end.
func TestServeOnMongoDB(t *testing.T) {
	uri, stop, err := mongotest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	base, _ := startServer(t, map[string]string{"MONGODB_URL": uri, "DATABASE_NAME": mongotest.DBName(t)})
	if code, _ := get(t, base+"/readyz", ""); code != 200 {
		t.Fatalf("readyz: %d", code)
	}
	admin := login(t, base, "admin@momentum.com", "admin123")
	code, body := post(t, base+"/api/auth/register", "", `{"email":"mongo@example.com","password":"password123","restaurantName":"Mongo Grill"}`)
	if code != 201 {
		t.Fatalf("register: %d %v", code, body)
	}
	tok := body["token"].(string)
	_, dash := get(t, base+"/api/dashboard/restaurant", tok)
	if len(dash["pendingTasks"].([]any)) != 3 {
		t.Fatalf("dashboard on MongoDB: %v", dash)
	}
	_, cw := get(t, base+"/api/checklist/categories-with-items?restaurantId=me", tok)
	if len(cw["categories"].([]any)) != 12 {
		t.Fatalf("catalogue on MongoDB: %v", cw)
	}
	_, adm := get(t, base+"/api/dashboard/admin", admin)
	if adm["platformStats"].(map[string]any)["totalRestaurants"] != float64(1) {
		t.Fatalf("admin on MongoDB: %v", adm)
	}
}
