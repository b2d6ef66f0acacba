package main

// An admin's impersonation split across the two sides (issue 9, part 2). The legacy server's
// impersonation is the token alone: POST /api/auth/impersonate/:id signs {user_id, email, role,
// impersonating_restaurant_id}, every route trusts the claim, and end-impersonation only signs a new
// token (routes/auth.js, middleware/auth.js at 97fa3a0). Ours keeps a server-side session (claim sid)
// that ending deletes, and refuses an impersonation claim without a live session. The tests record
// what that means when the router sends an admin's requests to both sides; the preset and the runbook
// keep them on one side because of it.

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// impersonationSide is the legacy server's impersonation as the other side sees it.
type impersonationSide interface {
	login(t *testing.T, email, password string) string
	impersonate(t *testing.T, admin string, restaurantID int) string
	end(t *testing.T, token string) string
	// restaurantDashboard answers GET /api/dashboard/restaurant with the token: the status.
	restaurantDashboard(t *testing.T, token string) int
}

type realImpersonation struct{ base string }

func (r realImpersonation) login(t *testing.T, email, password string) string {
	return login(t, r.base, email, password)
}

func (r realImpersonation) impersonate(t *testing.T, admin string, rid int) string {
	code, body := post(t, fmt.Sprintf("%s/api/auth/impersonate/%d", r.base, rid), admin, "")
	if code != 200 {
		t.Fatalf("legacy impersonate: %d %v", code, body)
	}
	return body["token"].(string)
}

func (r realImpersonation) end(t *testing.T, token string) string {
	code, body := post(t, r.base+"/api/auth/end-impersonation", token, "")
	if code != 200 {
		t.Fatalf("legacy end-impersonation: %d %v", code, body)
	}
	return body["token"].(string)
}

func (r realImpersonation) restaurantDashboard(t *testing.T, token string) int {
	code, _ := get(t, r.base+"/api/dashboard/restaurant", token)
	return code
}

// fakeImpersonation signs and checks tokens as the legacy code does; nothing is stored.
type fakeImpersonation struct{ secret string }

func (f fakeImpersonation) claims(t *testing.T, token string) map[string]any {
	c, err := testenv.NodeVerify(token, f.secret, time.Now())
	if err != nil {
		t.Fatalf("fake legacy: token refused: %v", err)
	}
	return c
}

func (f fakeImpersonation) login(t *testing.T, email, password string) string {
	if email != "admin@momentum.com" || password != "admin123" {
		t.Fatalf("fake legacy knows the fixture's admin only")
	}
	return testenv.NodeSign(f.secret, `{"user_id":1,"email":"admin@momentum.com","role":"admin"}`, time.Now(), 24*time.Hour)
}

func (f fakeImpersonation) impersonate(t *testing.T, admin string, rid int) string {
	c := f.claims(t, admin)
	return testenv.NodeSign(f.secret, fmt.Sprintf(`{"user_id":%v,"email":%q,"role":%q,"impersonating_restaurant_id":%d}`,
		c["user_id"], c["email"], c["role"], rid), time.Now(), 24*time.Hour)
}

func (f fakeImpersonation) end(t *testing.T, token string) string {
	c := f.claims(t, token)
	return testenv.NodeSign(f.secret, fmt.Sprintf(`{"user_id":%v,"email":%q,"role":%q}`, c["user_id"], c["email"], c["role"]), time.Now(), 24*time.Hour)
}

// restaurantDashboard: authenticateToken (signature and exp), then requireRestaurant (role
// restaurant or an impersonation claim); the fixture's restaurant 1 exists.
func (f fakeImpersonation) restaurantDashboard(t *testing.T, token string) int {
	c, err := testenv.NodeVerify(token, f.secret, time.Now())
	if err != nil {
		return http.StatusForbidden
	}
	if c["role"] != "restaurant" && c["impersonating_restaurant_id"] == nil {
		return http.StatusForbidden
	}
	return http.StatusOK
}

func TestImpersonationAcrossSidesFake(t *testing.T) {
	path := testenv.CopyFixture(t, "legacy-momentum.sqlite")
	ours, _ := startServer(t, map[string]string{"MOMENTUM_SQLITE_PATH": path, "JWT_SECRET": sharedMomentumSecret})
	impersonationAcrossSides(t, fakeImpersonation{sharedMomentumSecret}, ours)
}

// Opt-in: LEGACY_MOMENTUM names a built copy of the legacy server.
func TestImpersonationAcrossSidesLegacy(t *testing.T) {
	legacy := testenv.StartLegacy(t, testenv.LegacyMomentum, map[string]string{
		"MOMENTUM_DB": testenv.Fixture(t, "legacy-momentum.sqlite"), "JWT_SECRET": sharedMomentumSecret,
	})
	ours, _ := startServer(t, map[string]string{"MOMENTUM_SQLITE_PATH": legacy.Dir + "/server/database.sqlite", "JWT_SECRET": sharedMomentumSecret})
	impersonationAcrossSides(t, realImpersonation{legacy.URL}, ours)
}

func impersonationAcrossSides(t *testing.T, legacy impersonationSide, ours string) {
	oursDashboard := func(token string) int {
		code, _ := get(t, ours+"/api/dashboard/restaurant", token)
		return code
	}
	oursMe := func(token string) int {
		code, _ := get(t, ours+"/api/auth/me", token)
		return code
	}
	admin := login(t, ours, "admin@momentum.com", "admin123")
	if legacy.restaurantDashboard(t, admin) != http.StatusForbidden || oursDashboard(admin) != http.StatusForbidden {
		t.Fatal("an admin who is not impersonating has no restaurant dashboard on either side")
	}

	t.Run("started on legacy: ours refuses the token, and the client logs the admin out", func(t *testing.T) {
		tok := legacy.impersonate(t, legacy.login(t, "admin@momentum.com", "admin123"), 1)
		if got := legacy.restaurantDashboard(t, tok); got != 200 {
			t.Fatalf("legacy dashboard with its impersonation token: %d", got)
		}
		// The client reloads the user with GET /api/auth/me after impersonate; a refusal there makes
		// AuthContext drop the token (client/src/contexts/AuthContext.js).
		if got := oursMe(tok); got != http.StatusForbidden {
			t.Errorf("ours' /api/auth/me with a legacy impersonation token: %d, want 403", got)
		}
		if got := oursDashboard(tok); got != http.StatusForbidden {
			t.Errorf("ours' dashboard with a legacy impersonation token: %d, want 403", got)
		}
	})

	t.Run("started on ours: legacy honours it, and still does after ours ended it", func(t *testing.T) {
		code, body := post(t, ours+"/api/auth/impersonate/1", admin, "")
		if code != 200 {
			t.Fatalf("ours impersonate: %d %v", code, body)
		}
		tok := body["token"].(string)
		if a, b := oursDashboard(tok), legacy.restaurantDashboard(t, tok); a != 200 || b != 200 {
			t.Fatalf("ours' impersonation token: ours %d, legacy %d", a, b)
		}
		if code, body := post(t, ours+"/api/auth/end-impersonation", tok, ""); code != 200 {
			t.Fatalf("ours end-impersonation: %d %v", code, body)
		}
		if got := oursDashboard(tok); got != http.StatusForbidden {
			t.Errorf("ours after the end: %d, want 403 (the session is gone)", got)
		}
		if got := legacy.restaurantDashboard(t, tok); got != 200 {
			t.Errorf("legacy after ours ended the impersonation: %d (the finding this test records changed: revisit the runbook)", got)
		}
	})

	t.Run("started on ours, ended on legacy: ours' session stays alive", func(t *testing.T) {
		code, body := post(t, ours+"/api/auth/impersonate/1", admin, "")
		if code != 200 {
			t.Fatalf("ours impersonate: %d %v", code, body)
		}
		tok := body["token"].(string)
		plain := legacy.end(t, tok)
		if got := oursDashboard(plain); got != http.StatusForbidden {
			t.Errorf("the admin token legacy handed back, on ours: %d, want 403", got)
		}
		if got := oursDashboard(tok); got != 200 {
			t.Errorf("ours with the impersonation token legacy 'ended': %d (the finding this test records changed: revisit the runbook)", got)
		}
	})
}
