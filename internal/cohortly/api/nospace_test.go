package api_test

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly/sqlitestore"
	"github.com/momentum-cohortly/backends/internal/platform/apperr"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
)

func sqliteStoreAt(t *testing.T, path string, opts ...sqlitestore.Option) *sqlitestore.Store {
	t.Helper()
	s, err := sqlitestore.Open(t.Context(), path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestFullDiskIsA507AndReadinessFollowsTheWrites fills the SQLite file for real (max_page_count makes
// SQLite answer SQLITE_FULL as on a full disk): writes answer 507 in the envelope, nothing is half
// written, /readyz is not ready until a write succeeds again.
func TestFullDiskIsA507AndReadinessFollowsTheWrites(t *testing.T) {
	probePath := filepath.Join(t.TempDir(), "probe.db")
	newEnv(t, sqliteStoreAt(t, probePath))
	seeded := pageCount(t, probePath)
	e := newEnv(t, sqliteStoreAt(t, filepath.Join(t.TempDir(), "cohortly.db"), sqlitestore.WithMaxPageCount(seeded+4)))
	_, first := e.call("GET", "/api/v1/leads?limit=1", e.admin(), "").sb()
	leadsBefore := first["pagination"].(map[string]any)["total"].(float64)

	sent := 0
	var acked []string
	for i := 0; ; i++ {
		if i > 300 {
			t.Fatal("300 leads and the file never filled")
		}
		code, body := e.call("POST", "/api/v1/leads", e.admin(),
			fmt.Sprintf(`{"fullName":"Filler %d","email":"fill%d@example.com","source":"WEBSITE","notes":%q}`, i, i, strings.Repeat("note ", 150))).sb()
		sent++
		if code == 201 {
			acked = append(acked, body["data"].(map[string]any)["id"].(string))
			continue
		}
		if code != http.StatusInsufficientStorage || body["success"] != false || body["message"] != apperr.MsgNoSpace {
			t.Fatalf("lead on a full disk: %d %v", code, body)
		}
		break
	}
	code, ready := e.call("GET", "/readyz", "", "").sb()
	if code != 503 || ready["database"] != "storage full" {
		t.Fatalf("readyz while full: %d %v", code, ready)
	}
	// Nothing half written: exactly the acknowledged leads were added, each readable.
	_, page := e.call("GET", "/api/v1/leads?limit=1", e.admin(), "").sb()
	if got := page["pagination"].(map[string]any)["total"].(float64); got != leadsBefore+float64(len(acked)) {
		t.Fatalf("%v leads, want %v + %d acknowledged", got, leadsBefore, len(acked))
	}
	for _, id := range acked {
		if code, _ := e.call("GET", "/api/v1/leads/"+id, e.admin(), "").sb(); code != 200 {
			t.Fatalf("acknowledged lead %s: %d", id, code)
		}
	}
	// An account refused for lack of space does not exist afterwards.
	code, body := e.call("POST", "/api/v1/auth/register", "",
		fmt.Sprintf(`{"email":"full@example.com","password":"longenough","fullName":"Full %s"}`, strings.Repeat("z", 200))).sb()
	sent++
	if code == http.StatusInsufficientStorage {
		if code, _ := e.call("POST", "/api/v1/auth/login", "", `{"email":"full@example.com","password":"longenough"}`).sb(); code != 401 {
			t.Fatalf("login of the refused account: %d", code)
		}
	} else if code != 201 {
		t.Fatalf("register on a full disk: %d %v", code, body)
	}
	// The hold expires (the instance gets traffic again to find out) unless a write fails again.
	e.clk.Advance(httpx.DefaultNoSpaceHold + time.Second)
	if code, _ := e.call("GET", "/readyz", "", "").sb(); code != 200 {
		t.Fatalf("readyz after the hold: %d", code)
	}
	if code, _ := e.call("POST", "/api/v1/leads", e.admin(),
		fmt.Sprintf(`{"fullName":"Again","email":"again@example.com","source":"WEBSITE","notes":%q}`, strings.Repeat("note ", 150))).sb(); code != 507 {
		t.Fatalf("lead again: %d", code)
	}
	sent++
	if code, _ := e.call("GET", "/readyz", "", "").sb(); code != 503 {
		t.Fatalf("readyz after another failed write: %d", code)
	}
	// A write needing no new page (a status change in place) succeeds: ready again.
	if code, body := e.call("PUT", "/api/v1/leads/"+acked[0], e.admin(), `{"status":"CONTACTED"}`).sb(); code != 200 {
		t.Fatalf("update in place on a full disk: %d %v", code, body)
	}
	if code, _ := e.call("GET", "/readyz", "", "").sb(); code != 200 {
		t.Fatalf("readyz after a write succeeded: %d", code)
	}
	t.Logf("full disk (Cohortly SQLite): %d write requests sent, %d leads acknowledged and present, then 507; readyz 503 until a write succeeded", sent, len(acked))
}

// sb is the status and decoded body of an answer.
func (r resp) sb() (int, map[string]any) { return r.status, r.body }

func pageCount(t *testing.T, path string) int {
	t.Helper()
	n, err := sqlitefile.PageCount(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
