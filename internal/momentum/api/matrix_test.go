package api_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestAuthorizationMatrix sends a valid request to every endpoint as each kind of caller and checks the
// status: anonymous, the owner of restaurant A, the owner of restaurant B, an admin, and an admin
// impersonating A. Resource ids in the requests belong to restaurant A. Owner B's 200 on the four
// checklist routes that name restaurant A is B's own checklist (a restaurant owner is scoped to their
// restaurant whatever id they name, issue 11); TestChecklistScopesRestaurantOwners proves A is untouched.
func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t)
	task := int64(e.call("GET", "/api/dashboard/restaurant", e.a, nil).list("pendingTasks")[0].(map[string]any)["status_id"].(float64))
	item := firstItemIDs(t, e, 1)[0]
	cat := int64(e.call("GET", "/api/checklist/categories", e.a, nil).list("categories")[0].(map[string]any)["category_id"].(float64))
	ad := e.call("POST", "/api/facebook-ads/create-campaign", e.a, map[string]any{"restaurantName": "A", "itemToPromote": "Pizza", "offer": "1+1", "budget": 20})
	adID := ad.str("data", "campaignId")
	sample := sampleCSV(t, e)
	sms := e.multipart("POST", "/api/sms-campaigns/create-campaign", e.a, append(smsFields(), csvPart(sample))...)
	smsID := sms.str("data", "campaignId")
	if adID == "" || smsID == "" {
		t.Fatalf("setup campaigns: %s / %s", ad.raw, sms.raw)
	}

	const (
		anon = iota
		ownerA
		ownerB
		admin
		impA
	)
	roles := []string{"anonymous", "owner A", "owner B", "admin", "admin as A"}
	token := func(role int) string {
		switch role {
		case ownerA:
			return e.a
		case ownerB:
			return e.b
		case admin:
			return e.admin
		case impA:
			return e.impersonate(e.aID) // a fresh session: some rows end it
		}
		return ""
	}
	n := 0
	unique := func() string { n++; return fmt.Sprintf("matrix%d@example.com", n) }
	json := func(method, path string, body func() any) func(tok string) res {
		return func(tok string) res {
			var b any
			if body != nil {
				b = body()
			}
			return e.call(method, path, tok, b)
		}
	}
	a := fmt.Sprint(e.aID)
	rows := []struct {
		name string
		do   func(tok string) res
		want [5]int
	}{
		{"GET /api/health", json("GET", "/api/health", nil), [5]int{200, 200, 200, 200, 200}},
		{"POST /api/auth/register", json("POST", "/api/auth/register", func() any {
			return map[string]string{"email": unique(), "password": "password123", "restaurantName": "M"}
		}), [5]int{201, 201, 201, 201, 201}},
		{"POST /api/auth/login", json("POST", "/api/auth/login", func() any {
			return map[string]string{"email": "owner-b@example.com", "password": "password123"}
		}), [5]int{200, 200, 200, 200, 200}},
		{"GET /api/auth/me", json("GET", "/api/auth/me", nil), [5]int{401, 200, 200, 200, 200}},
		{"POST /api/auth/impersonate/{A}", json("POST", "/api/auth/impersonate/"+a, nil), [5]int{401, 403, 403, 200, 200}},
		{"POST /api/auth/end-impersonation", json("POST", "/api/auth/end-impersonation", nil), [5]int{401, 403, 403, 200, 200}},
		{"GET /api/dashboard/restaurant", json("GET", "/api/dashboard/restaurant", nil), [5]int{401, 200, 200, 403, 200}},
		{"GET /api/dashboard/admin", json("GET", "/api/dashboard/admin", nil), [5]int{401, 403, 403, 200, 200}},
		{"GET /api/dashboard/restaurants", json("GET", "/api/dashboard/restaurants?search=", nil), [5]int{401, 403, 403, 200, 200}},
		{"GET /api/dashboard/campaigns", json("GET", "/api/dashboard/campaigns", nil), [5]int{401, 200, 200, 403, 200}},
		{"PUT /api/dashboard/checklist/{A's task}", json("PUT", fmt.Sprintf("/api/dashboard/checklist/%d", task), func() any { return map[string]bool{"is_complete": true} }), [5]int{401, 200, 404, 403, 200}},
		{"GET /api/checklist/categories", json("GET", "/api/checklist/categories", nil), [5]int{401, 200, 200, 200, 200}},
		{"GET /api/checklist/items/{category}", json("GET", fmt.Sprintf("/api/checklist/items/%d", cat), nil), [5]int{401, 200, 200, 200, 200}},
		{"GET /api/checklist/status/{A}", json("GET", "/api/checklist/status/"+a, nil), [5]int{401, 200, 200, 200, 200}},
		{"PUT /api/checklist/status/{A}/{item}", json("PUT", fmt.Sprintf("/api/checklist/status/%s/%d", a, item), func() any { return map[string]string{"status": "completed"} }), [5]int{401, 200, 200, 200, 200}},
		{"GET /api/checklist/progress/{A}", json("GET", "/api/checklist/progress/"+a, nil), [5]int{401, 200, 200, 200, 200}},
		{"GET /api/checklist/categories-with-items?restaurantId={A}", json("GET", "/api/checklist/categories-with-items?restaurantId="+a, nil), [5]int{401, 200, 200, 200, 200}},
		{"POST /api/facebook-ads/create-campaign", json("POST", "/api/facebook-ads/create-campaign", func() any {
			return map[string]any{"restaurantName": "R", "itemToPromote": "Tacos", "offer": "x", "budget": "12.50"}
		}), [5]int{401, 200, 200, 403, 200}},
		{"GET /api/facebook-ads/campaign-status/{A's}", json("GET", "/api/facebook-ads/campaign-status/"+adID, nil), [5]int{401, 200, 404, 403, 200}},
		{"POST /api/facebook-ads/generate-preview", json("POST", "/api/facebook-ads/generate-preview", func() any {
			return map[string]string{"restaurantName": "R", "itemToPromote": "Tacos", "offer": "x"}
		}), [5]int{401, 200, 200, 200, 200}},
		{"POST /api/sms-campaigns/create-campaign", func(tok string) res {
			return e.multipart("POST", "/api/sms-campaigns/create-campaign", tok, append(smsFields(), csvPart(sample))...)
		}, [5]int{401, 200, 200, 403, 200}},
		{"POST /api/sms-campaigns/preview", func(tok string) res {
			return e.multipart("POST", "/api/sms-campaigns/preview", tok, append(smsFields(), csvPart(sample))...)
		}, [5]int{401, 200, 200, 200, 200}},
		{"GET /api/sms-campaigns/sample-csv", json("GET", "/api/sms-campaigns/sample-csv", nil), [5]int{200, 200, 200, 200, 200}},
		{"GET /api/sms-campaigns/campaign-status/{A's}", json("GET", "/api/sms-campaigns/campaign-status/"+smsID, nil), [5]int{401, 200, 404, 403, 200}},
	}
	for _, row := range rows {
		for role, want := range row.want {
			t.Run(row.name+" as "+roles[role], func(t *testing.T) {
				r := row.do(token(role))
				if r.status != want {
					t.Fatalf("status %d, want %d: %s", r.status, want, r.raw)
				}
				if want >= 400 && !strings.Contains(string(r.raw), `"error"`) {
					t.Fatalf("an error without the error key: %s", r.raw)
				}
			})
		}
	}
	// Every operation of the document is in the matrix (operations endpoints aside).
	if len(rows) != 24 {
		t.Fatalf("%d endpoints in the matrix, the legacy API has 24", len(rows))
	}
}
