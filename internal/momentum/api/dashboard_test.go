package api_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

func TestRestaurantDashboard(t *testing.T) {
	e := newEnv(t)
	r := e.call("GET", "/api/dashboard/restaurant", e.a, nil)
	expect(t, r, 200, "")
	if r.num("restaurant", "restaurant_id") != float64(e.aID) || r.str("restaurant", "name") != "Pizzeria A" || r.str("restaurant", "address") != "" {
		t.Fatalf("restaurant: %s", r.raw)
	}
	n, m := r.num("performanceSnapshot", "newCustomersAcquired"), r.num("performanceSnapshot", "customersReengaged")
	if n < 10 || n > 59 || m < 5 || m > 34 || r.str("performanceSnapshot", "period") != "Last 7 Days" {
		t.Fatalf("snapshot out of the legacy ranges: %s", r.raw)
	}
	if len(r.list("activeCampaigns")) != 0 || r.num("campaignStats", "recentCampaigns") != 0 {
		t.Fatalf("campaigns: %s", r.raw)
	}
	expect(t, e.call("GET", "/api/dashboard/restaurant", e.admin, nil), 403, "Restaurant access required")
}

func TestRecentCampaignsCountsExactlyTheLastSevenDays(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	now := e.clk.Now()
	for i, age := range []time.Duration{7*24*time.Hour - time.Minute, 7*24*time.Hour + time.Minute, time.Hour} {
		at := now.Add(-age).Truncate(time.Second)
		if _, err := e.store.CreateCampaign(ctx, momentum.Campaign{RestaurantID: e.aID, Type: momentum.CampaignAd, Status: momentum.CampaignActive,
			Name: fmt.Sprint("c", i), Details: "{}", ExternalID: fmt.Sprint("camp_", i), CreatedAt: at, UpdatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	// The legacy string comparison lost the campaign made 7 days minus 1 minute ago (oracle: 1, not 2).
	r := e.call("GET", "/api/dashboard/restaurant", e.a, nil)
	if got := r.num("campaignStats", "recentCampaigns"); got != 2 {
		t.Fatalf("recentCampaigns = %v, want 2", got)
	}
	if got := len(r.list("activeCampaigns")); got != 3 {
		t.Fatalf("activeCampaigns = %d, want 3", got)
	}
	if first := r.list("activeCampaigns")[0].(map[string]any); first["name"] != "c2" {
		t.Fatalf("newest first: %v", first)
	}
	if got := e.call("GET", "/api/dashboard/admin", e.admin, nil).num("platformStats", "recentCampaigns"); got != 2 {
		t.Fatalf("admin recentCampaigns = %v", got)
	}
	if got := len(e.call("GET", "/api/dashboard/campaigns", e.a, nil).list("campaigns")); got != 3 {
		t.Fatalf("campaigns of A = %d", got)
	}
	if got := len(e.call("GET", "/api/dashboard/campaigns", e.b, nil).list("campaigns")); got != 0 {
		t.Fatalf("B sees %d of A's campaigns", got)
	}
}

func TestAdminDashboardAndSearch(t *testing.T) {
	e := newEnv(t)
	r := e.call("GET", "/api/dashboard/admin", e.admin, nil)
	expect(t, r, 200, "")
	if r.num("platformStats", "totalRestaurants") != 2 || r.num("needsAttention", "incompleteSetups") != 2 {
		t.Fatalf("admin: %s", r.raw)
	}
	e.register("percent@example.com", "100% Burgers")
	e.register("under@example.com", "Sushi_Bar")
	all := e.call("GET", "/api/dashboard/restaurants?search=", e.admin, nil)
	if got := len(all.list("restaurants")); got != 4 {
		t.Fatalf("all restaurants: %d", got)
	}
	row := all.list("restaurants")[0].(map[string]any)
	if row["name"] != "Sushi_Bar" || row["email"] != "under@example.com" || row["signup_date"] == "" {
		t.Fatalf("newest first with owner: %v", row)
	}
	for search, want := range map[string]int{"%": 1, "_": 1, "pizz": 1, "PIZZ": 1, "zzz": 0} {
		r := e.call("GET", "/api/dashboard/restaurants?search="+urlEscape(search), e.admin, nil)
		if got := len(r.list("restaurants")); got != want {
			t.Errorf("search %q: %d results, want %d (wildcards are literal)", search, got, want)
		}
	}
	expect(t, e.call("GET", "/api/dashboard/restaurants?search=a&search=b", e.admin, nil), 400, "search must be given once")
	expect(t, e.call("GET", "/api/dashboard/restaurants", e.a, nil), 403, "Admin access required")
}

func TestDashboardTasks(t *testing.T) {
	e := newEnv(t)
	tasks := e.call("GET", "/api/dashboard/restaurant", e.a, nil).list("pendingTasks")
	id := int64(tasks[0].(map[string]any)["status_id"].(float64))
	path := fmt.Sprintf("/api/dashboard/checklist/%d", id)
	for name, c := range map[string]struct {
		body   any
		status int
		msg    string
	}{
		"string":    {map[string]any{"is_complete": "true"}, 400, "is_complete must be true or false"},
		"missing":   {map[string]any{}, 400, "is_complete is required (true or false)"},
		"no body":   {nil, 400, "is_complete is required (true or false)"},
		"malformed": {`{"is_complete":`, 400, "Malformed JSON in request body"},
	} {
		t.Run(name, func(t *testing.T) { expect(t, e.call("PUT", path, e.a, c.body), c.status, c.msg) })
	}
	expect(t, e.call("PUT", path, e.b, map[string]any{"is_complete": true}), 404, "Checklist item not found")
	expect(t, e.call("PUT", path+"x", e.a, map[string]any{"is_complete": true}), 400, "Checklist item id must be a positive integer")
	r := e.call("PUT", path, e.a, map[string]any{"is_complete": true})
	expect(t, r, 200, "")
	if r.str("message") != "Checklist item updated successfully" {
		t.Fatalf("%s", r.raw)
	}
	after := e.call("GET", "/api/dashboard/restaurant", e.a, nil).list("pendingTasks")
	for _, tk := range after {
		if tk.(map[string]any)["status_id"].(float64) == float64(id) {
			t.Fatal("a completed task is still pending")
		}
	}
	if len(after) != 3 {
		t.Fatalf("the 4th task should move up: %d pending shown", len(after))
	}
	// Unticking brings it back.
	expect(t, e.call("PUT", path, e.a, map[string]any{"is_complete": false}), 200, "")
	if got := e.call("GET", "/api/dashboard/restaurant", e.a, nil).list("pendingTasks")[0].(map[string]any)["status_id"].(float64); got != float64(id) {
		t.Fatalf("oldest pending task is %v, want %d", got, id)
	}
}
