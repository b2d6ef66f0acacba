package api_test

import (
	"bytes"
	"fmt"
	"testing"
)

// TestChecklistScopesRestaurantOwners calls every route that takes a restaurant id as the owner of
// restaurant B, naming restaurant A (the shipped client names restaurant 1 for everyone), a restaurant
// that does not exist, and ids that are not integers. B always reads and writes its own checklist, the
// answers carry nothing of A, A's data is byte for byte what it was, and a non-integer id is a 400.
func TestChecklistScopesRestaurantOwners(t *testing.T) {
	e := newEnv(t)
	ids := firstItemIDs(t, e, 4)
	const secretNote = "A's private note"
	expect(t, e.call("PUT", fmt.Sprintf("/api/checklist/status/me/%d", ids[0]), e.a, map[string]any{"status": "completed", "notes": secretNote}), 200, "")
	expect(t, e.call("PUT", fmt.Sprintf("/api/checklist/status/me/%d", ids[1]), e.a, map[string]any{"status": "in_progress"}), 200, "")

	// A's checklist as the admin sees it, on every read route.
	a := fmt.Sprint(e.aID)
	reads := map[string]func(rid string) string{
		"status":    func(rid string) string { return "/api/checklist/status/" + rid },
		"progress":  func(rid string) string { return "/api/checklist/progress/" + rid },
		"catalogue": func(rid string) string { return "/api/checklist/categories-with-items?restaurantId=" + rid },
		"foundation": func(rid string) string {
			return "/api/checklist/categories-with-items?type=foundational&restaurantId=" + rid
		},
	}
	snapshot := func(tok, rid string) map[string]string {
		t.Helper()
		out := map[string]string{}
		for name, path := range reads {
			r := e.call("GET", path(rid), tok, nil)
			expect(t, r, 200, "")
			out[name] = string(r.raw)
		}
		return out
	}
	aBefore := snapshot(e.admin, a)
	if !bytes.Contains([]byte(aBefore["status"]), []byte(secretNote)) {
		t.Fatalf("setup: A's note missing: %s", aBefore["status"])
	}

	named := []string{a, "1", "999999", "me", "ME"}
	for i, rid := range named {
		// Each write ticks a new item of B's, so B's own view must show exactly the writes made so far.
		item := ids[i%len(ids)]
		w := e.call("PUT", fmt.Sprintf("/api/checklist/status/%s/%d", rid, item), e.b, map[string]any{"status": "completed", "notes": "B " + rid})
		expect(t, w, 200, "")
		own := snapshot(e.b, "me")
		got := snapshot(e.b, rid)
		for name := range reads {
			if got[name] != own[name] {
				t.Errorf("B naming %q, %s: not B's own answer\n got %s\nwant %s", rid, name, got[name], own[name])
			}
			if bytes.Contains([]byte(got[name]), []byte(secretNote)) {
				t.Errorf("B naming %q, %s: carries A's note", rid, name)
			}
		}
		st := e.call("GET", "/api/checklist/status/"+rid, e.b, nil)
		found := false
		for _, row := range st.list("statuses") {
			m := row.(map[string]any)
			if m["restaurant_id"] != float64(e.bID) {
				t.Errorf("B naming %q: a row of restaurant %v", rid, m["restaurant_id"])
			}
			if m["item_id"] == float64(item) && m["notes"] == "B "+rid && m["status"] == "completed" {
				found = true
			}
		}
		if !found {
			t.Errorf("B naming %q: the write is not in B's checklist: %s", rid, st.raw)
		}
	}

	const badID = "Restaurant id must be a positive integer"
	bBefore := snapshot(e.b, "me")
	for _, rid := range []string{"abc", "1abc", "0", "-1", "1.5", "0x1", "%20", "99999999999999999999"} {
		expect(t, e.call("PUT", fmt.Sprintf("/api/checklist/status/%s/%d", rid, ids[3]), e.b, map[string]any{"status": "not_applicable"}), 400, badID)
		for name, path := range reads {
			if r := e.call("GET", path(rid), e.b, nil); r.status != 400 || r.str("error") != badID {
				t.Errorf("B naming %q, %s: %d %s", rid, name, r.status, r.raw)
			}
		}
	}
	if got := snapshot(e.b, "me"); fmt.Sprint(got) != fmt.Sprint(bBefore) {
		t.Errorf("a refused request changed B's checklist")
	}

	// Nothing of A changed, whatever B named.
	aAfter := snapshot(e.admin, a)
	for name := range reads {
		if aAfter[name] != aBefore[name] {
			t.Errorf("A's %s changed:\nbefore %s\n after %s", name, aBefore[name], aAfter[name])
		}
	}
	if got := snapshot(e.a, a); fmt.Sprint(got) != fmt.Sprint(aBefore) {
		t.Errorf("A's own view differs from the admin's view of A")
	}

	// Admins keep the id they name; "me" is the impersonated restaurant, an unknown id is 404.
	imp := e.impersonate(e.bID)
	if got := snapshot(imp, a); fmt.Sprint(got) != fmt.Sprint(aBefore) {
		t.Errorf("an admin impersonating B, naming A, does not get A")
	}
	if got := snapshot(imp, "me"); fmt.Sprint(got) != fmt.Sprint(snapshot(e.b, "me")) {
		t.Errorf("an admin impersonating B, naming me, does not get B")
	}
	expect(t, e.call("GET", "/api/checklist/progress/999999", e.admin, nil), 404, "Restaurant not found")
	expect(t, e.call("GET", "/api/checklist/progress/me", e.admin, nil), 403, "Restaurant access required")
	expect(t, e.call("GET", "/api/checklist/progress/abc", e.admin, nil), 400, badID)

	// The one other route that takes a restaurant id is the admin's: owners are refused before the id
	// is read, whatever it is.
	for _, rid := range []string{a, fmt.Sprint(e.bID), "me", "abc"} {
		expect(t, e.call("POST", "/api/auth/impersonate/"+rid, e.b, nil), 403, "Admin access required")
	}
}
