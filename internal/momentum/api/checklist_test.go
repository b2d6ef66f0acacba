package api_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"testing"
)

func urlEscape(s string) string { return url.QueryEscape(s) }

func TestChecklistCatalogue(t *testing.T) {
	e := newEnv(t)
	r := e.call("GET", "/api/checklist/categories", e.a, nil)
	expect(t, r, 200, "")
	cats := r.list("categories")
	if len(cats) != 12 {
		t.Fatalf("%d categories", len(cats))
	}
	first := cats[0].(map[string]any)
	if first["name"] != "A1. Google Business Profile (GBP)" || first["icon"] != "🏢" || first["order_in_list"] != float64(1) {
		t.Fatalf("first category: %v", first)
	}
	if n := len(e.call("GET", "/api/checklist/categories?type=ongoing", e.a, nil).list("categories")); n != 5 {
		t.Fatalf("ongoing: %d", n)
	}
	expect(t, e.call("GET", "/api/checklist/categories?type=weekly", e.a, nil), 400, "type must be foundational or ongoing")

	catID := int64(first["category_id"].(float64))
	items := e.call("GET", fmt.Sprintf("/api/checklist/items/%d", catID), e.a, nil).list("items")
	if len(items) != 11 {
		t.Fatalf("A1 has %d items, want 11", len(items))
	}
	it := items[0].(map[string]any)
	if it["is_critical"] != float64(1) || it["parent_item_id"] != nil || it["order_in_category"] != float64(1) {
		t.Fatalf("item flags must be 0/1 numbers: %v", it)
	}
	expect(t, e.call("GET", "/api/checklist/items/99999", e.a, nil), 404, "Category not found")
	expect(t, e.call("GET", "/api/checklist/items/abc", e.a, nil), 400, "Category id must be a positive integer")
	expect(t, e.call("GET", "/api/checklist/categories", "", nil), 401, "Access token required")
}

func firstItemIDs(t *testing.T, e *env, n int) []int64 {
	t.Helper()
	var ids []int64
	for _, c := range e.call("GET", "/api/checklist/categories-with-items", e.a, nil).list("categories") {
		for _, it := range c.(map[string]any)["items"].([]any) {
			if len(ids) < n {
				ids = append(ids, int64(it.(map[string]any)["item_id"].(float64)))
			}
		}
	}
	return ids
}

func TestChecklistProgressIsPerRestaurantAndAuthorized(t *testing.T) {
	e := newEnv(t)
	ids := firstItemIDs(t, e, 3)
	put := func(token, rid string, item int64, body any) res {
		return e.call("PUT", fmt.Sprintf("/api/checklist/status/%s/%d", rid, item), token, body)
	}
	r := put(e.a, "me", ids[0], map[string]any{"status": "completed", "notes": "done"})
	expect(t, r, 200, "")
	statusID := r.num("statusId")
	// An update keeps the row's id (legacy INSERT OR REPLACE gave a new id each time).
	r = put(e.a, fmt.Sprint(e.aID), ids[0], map[string]any{"status": "in_progress", "notes": "done"})
	if r.num("statusId") != statusID {
		t.Fatalf("status id changed: %v -> %v", statusID, r.num("statusId"))
	}
	expect(t, put(e.a, "me", ids[1], map[string]any{"status": "completed"}), 200, "")
	expect(t, put(e.a, "me", ids[2], map[string]any{"status": "done"}), 400, "Invalid status value")
	expect(t, put(e.a, "me", ids[2], map[string]any{"status": 3}), 400, "Invalid status value")
	expect(t, put(e.a, "me", ids[2], nil), 400, "Invalid status value")
	expect(t, put(e.a, "me", 999999, map[string]any{"status": "completed"}), 404, "Checklist item not found")
	// Restaurant B naming A's id works on B's own checklist (TestChecklistScopesRestaurantOwners).
	expect(t, e.call("GET", "/api/checklist/status/1abc", e.a, nil), 400, "Restaurant id must be a positive integer")
	expect(t, e.call("GET", "/api/checklist/status/99999", e.admin, nil), 404, "Restaurant not found")

	st := e.call("GET", "/api/checklist/status/me", e.a, nil)
	if got := len(st.list("statuses")); got != 2 {
		t.Fatalf("A has %d statuses, want 2", got)
	}
	row := st.list("statuses")[0].(map[string]any)
	if row["status"] != "in_progress" || row["category_name"] != "A1. Google Business Profile (GBP)" || row["category_type"] != "foundational" || row["notes"] != "done" {
		t.Fatalf("status row: %v", row)
	}
	// The admin reads any restaurant; B's own view is empty.
	if got := len(e.call("GET", fmt.Sprintf("/api/checklist/status/%d", e.aID), e.admin, nil).list("statuses")); got != 2 {
		t.Fatalf("admin view: %d", got)
	}
	if got := len(e.call("GET", "/api/checklist/status/me", e.b, nil).list("statuses")); got != 0 {
		t.Fatalf("B's own view: %d", got)
	}

	p := e.call("GET", "/api/checklist/progress/me", e.a, nil)
	f := p.get("progress", "foundational").(map[string]any)
	o := p.get("progress", "ongoing").(map[string]any)
	if f["totalItems"] != float64(41) || f["completedItems"] != float64(1) || f["completionPercentage"] != float64(2) ||
		f["criticalItems"] != float64(26) || f["completedCriticalItems"] != float64(1) || f["criticalCompletionPercentage"] != float64(4) {
		t.Fatalf("foundational: %v", f)
	}
	if o["totalItems"] != float64(20) || o["criticalItems"] != float64(6) || o["completedItems"] != float64(0) {
		t.Fatalf("ongoing: %v", o)
	}
	only := e.call("GET", "/api/checklist/progress/me?type=ongoing", e.a, nil).get("progress").(map[string]any)
	if _, has := only["foundational"]; has || len(only) != 1 {
		t.Fatalf("type filter: %v", only)
	}

	cw := e.call("GET", "/api/checklist/categories-with-items?restaurantId=me&type=foundational", e.a, nil)
	cats := cw.list("categories")
	if len(cats) != 7 {
		t.Fatalf("foundational categories: %d", len(cats))
	}
	items := cats[0].(map[string]any)["items"].([]any)
	i0, i2 := items[0].(map[string]any), items[2].(map[string]any)
	if i0["status"] != "in_progress" || i0["notes"] != "done" || i0["status_updated_at"] == nil || i2["status"] != nil {
		t.Fatalf("merged statuses: %v / %v", i0, i2)
	}
	// Without restaurantId the catalogue comes without statuses.
	plain := e.call("GET", "/api/checklist/categories-with-items", e.a, nil).list("categories")[0].(map[string]any)["items"].([]any)[0].(map[string]any)
	if plain["status"] != nil {
		t.Fatalf("no restaurant asked, yet a status: %v", plain)
	}
}

// TestCatalogueResponseSplicesStatuses checks, over HTTP, that the checklist page is valid JSON with the
// caller's status and notes spliced into the right item, with and without a type filter. Byte identity
// with encoding/json of the views is TestCatalogueRenderingMatchesViews (catalogue_render_test.go).
func TestCatalogueResponseSplicesStatuses(t *testing.T) {
	e := newEnv(t)
	ids := firstItemIDs(t, e, 2)
	e.call("PUT", fmt.Sprintf("/api/checklist/status/me/%d", ids[1]), e.a, map[string]any{"status": "completed", "notes": "quote \" and <tag> and \u2028 and é"})
	for _, q := range []string{"?restaurantId=me", "?type=ongoing&restaurantId=me", "", "?type=foundational"} {
		r := e.call("GET", "/api/checklist/categories-with-items"+q, e.a, nil)
		var generic any
		if err := json.Unmarshal(r.raw, &generic); err != nil {
			t.Fatalf("%s: invalid JSON: %v", q, err)
		}
		again, _ := json.Marshal(generic)
		var want any
		_ = json.Unmarshal(again, &want)
		if !reflect.DeepEqual(generic, want) {
			t.Fatalf("%s: response does not round-trip", q)
		}
		if q == "?restaurantId=me" {
			item := r.list("categories")[0].(map[string]any)["items"].([]any)[1].(map[string]any)
			if item["notes"] != "quote \" and <tag> and \u2028 and é" || item["status"] != "completed" || item["is_critical"] != float64(1) {
				t.Fatalf("spliced status: %v", item)
			}
		}
	}
}
