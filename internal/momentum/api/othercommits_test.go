package api_test

import (
	"context"
	"testing"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
)

// The account, the dashboard's lists and the checklist statuses are answered from what each reader
// connection last read while nothing has been committed since (sqlitefile.Snapshots). A commit by
// another process on the same file (the legacy Node server during the cut-over, an operator's
// sqlite3 shell) must show on the very next request: a deleted owner is refused at once, a status or
// task the other side changed is the one served. The pages are read several times first, so every
// reader connection has kept them.
func TestAnotherProcessCommitShowsOnTheNextRequest(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	other, otherReaders, err := sqlitefile.Open(ctx, e.dbPath, sqlitefile.Options{Readers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	defer otherReaders.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := other.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	warm := func(path, token string) res {
		t.Helper()
		var r res
		for i := 0; i < 12; i++ {
			r = e.call("GET", path, token, nil)
		}
		return r
	}
	const page = "/api/checklist/categories-with-items?restaurantId=me"
	item := firstItemIDs(t, e, 1)[0]
	itemOf := func(r res) map[string]any {
		t.Helper()
		for _, c := range r.list("categories") {
			for _, it := range c.(map[string]any)["items"].([]any) {
				if m := it.(map[string]any); m["item_id"] == float64(item) {
					return m
				}
			}
		}
		t.Fatalf("item %d not on the page", item)
		return nil
	}

	if got := itemOf(warm(page, e.a))["status"]; got != nil {
		t.Fatalf("status before: %v", got)
	}
	exec(`INSERT OR REPLACE INTO restaurant_checklist_status (restaurant_id, item_id, status, notes, last_updated_at)
		VALUES (?, ?, 'completed', 'from the other side', '2026-11-21 12:00:00')`, e.aID, item)
	if got := itemOf(e.call("GET", page, e.a, nil)); got["status"] != "completed" || got["notes"] != "from the other side" {
		t.Fatalf("status after the other side's commit: %v", got)
	}

	tasks := warm("/api/dashboard/restaurant", e.a).list("pendingTasks")
	if len(tasks) == 0 {
		t.Fatal("no pending tasks")
	}
	first := tasks[0].(map[string]any)["status_id"]
	exec(`UPDATE checklist_status SET is_complete = 1 WHERE status_id = ?`, first)
	for _, tk := range e.call("GET", "/api/dashboard/restaurant", e.a, nil).list("pendingTasks") {
		if tk.(map[string]any)["status_id"] == first {
			t.Fatalf("task %v ticked by the other side is still pending", first)
		}
	}

	warm("/api/auth/me", e.a)
	exec(`UPDATE users SET email = 'renamed-a@example.com' WHERE user_id = (SELECT user_id FROM restaurants WHERE restaurant_id = ?)`, e.aID)
	if got := e.call("GET", "/api/auth/me", e.a, nil).str("user", "email"); got != "renamed-a@example.com" {
		t.Fatalf("me after the other side renamed the owner: %q", got)
	}
	exec(`DELETE FROM users WHERE user_id = (SELECT user_id FROM restaurants WHERE restaurant_id = ?)`, e.aID)
	for _, path := range []string{"/api/auth/me", "/api/dashboard/restaurant", page} {
		r := e.call("GET", path, e.a, nil)
		if r.status != 403 || r.str("error") != momentum.MsgInvalidToken {
			t.Errorf("%s after the other side deleted the owner: %d %s", path, r.status, r.raw)
		}
	}
	// The other owner, untouched, is still served.
	if r := e.call("GET", "/api/auth/me", e.b, nil); r.status != 200 {
		t.Errorf("owner B: %d %s", r.status, r.raw)
	}
}
