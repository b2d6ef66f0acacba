package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum/sqlitestore"
	"github.com/momentum-cohortly/backends/internal/platform/apperr"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
)

// TestFullDiskIsA507AndReadinessFollowsTheWrites fills the SQLite file for real (max_page_count makes
// SQLite answer SQLITE_FULL as on a full disk): registrations answer 507 with the envelope, no account
// or campaign is half written, /readyz is not ready until a write succeeds again.
func TestFullDiskIsA507AndReadinessFollowsTheWrites(t *testing.T) {
	probe := newEnv(t)
	seeded := pageCount(t, probe.dbPath)
	e := newEnv(t, sqlitestore.WithMaxPageCount(seeded+4))
	// Owner A has one checklist status row, updated in place later (a write needing no new page).
	if code, body := e.call("PUT", "/api/dashboard/checklist/1", e.a, `{"is_complete":true}`).sb(); code != 200 {
		t.Fatalf("checklist: %d %v", code, body)
	}
	if code, _ := e.call("GET", "/readyz", "", "").sb(); code != 200 {
		t.Fatalf("readyz before: %d", code)
	}
	sent, acked, full := 0, 0, ""
	for i := range 200 {
		email := fmt.Sprintf("fill%03d@example.com", i)
		body := fmt.Sprintf(`{"email":%q,"password":"password123","restaurantName":"Filler %d %s","address":%q}`, email, i, strings.Repeat("x", 100), strings.Repeat("street ", 60))
		code, resp := e.call("POST", "/api/auth/register", "", body).sb()
		sent++
		if code == 201 {
			acked++
			continue
		}
		if code != http.StatusInsufficientStorage || resp["error"] != apperr.MsgNoSpace {
			t.Fatalf("register on a full disk: %d %v", code, resp)
		}
		full = email
		break
	}
	if full == "" {
		t.Fatalf("%d registrations and the file never filled", sent)
	}
	code, ready := e.call("GET", "/readyz", "", "").sb()
	if code != 503 || ready["database"] != "storage full" {
		t.Fatalf("readyz while full: %d %v", code, ready)
	}
	// No half-written account: the refused one cannot log in, and the admin counts exactly the
	// restaurants whose registration was acknowledged (2 of the harness + acked).
	if code, _ := e.call("POST", "/api/auth/login", "", fmt.Sprintf(`{"email":%q,"password":"password123"}`, full)).sb(); code != 401 {
		t.Fatalf("login of the refused registration: %d", code)
	}
	_, adm := e.call("GET", "/api/dashboard/admin", e.admin, "").sb()
	if got := adm["platformStats"].(map[string]any)["totalRestaurants"]; got != float64(2+acked) {
		t.Fatalf("restaurants %v, want %d", got, 2+acked)
	}
	// No half-written campaign: campaigns until one is refused; it leaves no row and no photo.
	campaigns := 0
	for {
		r := e.multipart("POST", "/api/facebook-ads/create-campaign", e.a, adFieldsWithPhoto()...).status
		sent++
		if r == 200 {
			campaigns++
			if campaigns > 200 {
				t.Fatal("200 campaigns and the file never filled")
			}
			continue
		}
		if r != http.StatusInsufficientStorage {
			t.Fatalf("campaign on a full disk: %d", r)
		}
		break
	}
	if n := len(e.uploadedFiles()); n != campaigns {
		t.Fatalf("%d photos for %d acknowledged campaigns: the refused one left its photo", n, campaigns)
	}
	_, camps := e.call("GET", "/api/dashboard/campaigns", e.a, "").sb()
	if n := len(camps["campaigns"].([]any)); n != campaigns {
		t.Fatalf("%d campaigns listed, %d acknowledged", n, campaigns)
	}
	// The hold expires (the instance gets traffic again to find out) unless a write fails again.
	e.clk.Advance(httpx.DefaultNoSpaceHold + time.Second)
	if code, _ := e.call("GET", "/readyz", "", "").sb(); code != 200 {
		t.Fatalf("readyz after the hold: %d", code)
	}
	if code, _ := e.call("POST", "/api/auth/register", "", fmt.Sprintf(`{"email":"again@example.com","password":"password123","restaurantName":"R %s","address":%q}`, strings.Repeat("y", 100), strings.Repeat("street ", 60))).sb(); code != 507 {
		t.Fatalf("register again: %d", code)
	}
	if code, _ := e.call("GET", "/readyz", "", "").sb(); code != 503 {
		t.Fatalf("readyz after another failed write: %d", code)
	}
	// A write that needs no new page succeeds: ready again.
	if code, body := e.call("PUT", "/api/dashboard/checklist/1", e.a, `{"is_complete":false}`).sb(); code != 200 {
		t.Fatalf("update in place on a full disk: %d %v", code, body)
	}
	if code, _ := e.call("GET", "/readyz", "", "").sb(); code != 200 {
		t.Fatalf("readyz after a write succeeded: %d", code)
	}
	t.Logf("full disk (Momentum SQLite): %d write requests sent; %d registrations and %d campaigns acknowledged, all present; then 507; readyz 503 until a write succeeded", sent, acked, campaigns)
}

func adFieldsWithPhoto() []part {
	return append(adFields("25"), part{name: "dishPhoto", filename: "dish.PNG", contentType: "image/png", data: pngBytes})
}

// sb is the status and decoded body of an answer.
func (r res) sb() (int, map[string]any) { return r.status, r.body }

func pageCount(t *testing.T, path string) int {
	t.Helper()
	n, err := sqlitefile.PageCount(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
