package momentum_test

import (
	"testing"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/apperr"
)

// TestPolicy is the role matrix of every action: who may, and the legacy message everyone else gets.
func TestPolicy(t *testing.T) {
	owner := &momentum.Principal{User: momentum.User{ID: 2, Role: momentum.RoleRestaurant}, Restaurant: &momentum.Restaurant{ID: 1}}
	admin := &momentum.Principal{User: momentum.User{ID: 1, Role: momentum.RoleAdmin}}
	impersonator := &momentum.Principal{User: momentum.User{ID: 1, Role: momentum.RoleAdmin}, Impersonating: 1, SessionID: "s"}
	// A role the legacy never wrote: what any valid token may do, nothing of an admin's or an owner's.
	odd := &momentum.Principal{User: momentum.User{ID: 3, Role: "staff"}}
	const ok = ""
	rows := []struct {
		name string
		act  momentum.Action
		want [4]string // owner, admin, impersonator, odd
	}{
		{"profile", momentum.ActProfile, [4]string{ok, ok, ok, ok}},
		{"read catalogue", momentum.ActReadCatalogue, [4]string{ok, ok, ok, ok}},
		{"preview", momentum.ActPreview, [4]string{ok, ok, ok, ok}},
		{"checklist", momentum.ActChecklist, [4]string{ok, ok, ok, momentum.MsgRestaurantRequired}},
		{"restaurant", momentum.ActRestaurant, [4]string{ok, momentum.MsgRestaurantRequired, ok, momentum.MsgRestaurantRequired}},
		{"impersonate", momentum.ActImpersonate, [4]string{momentum.MsgAdminRequired, ok, ok, momentum.MsgAdminRequired}},
		{"admin dashboard", momentum.ActAdminDashboard, [4]string{momentum.MsgAdminRequired, ok, ok, momentum.MsgAdminRequired}},
		{"unknown action", momentum.Action(99), [4]string{momentum.MsgAdminRequired, momentum.MsgAdminRequired, momentum.MsgAdminRequired, momentum.MsgAdminRequired}},
		{"zero action", momentum.Action(0), [4]string{momentum.MsgAdminRequired, momentum.MsgAdminRequired, momentum.MsgAdminRequired, momentum.MsgAdminRequired}},
	}
	for _, row := range rows {
		for i, p := range []*momentum.Principal{owner, admin, impersonator, odd} {
			err := momentum.Can(p, row.act)
			got := ok
			if err != nil {
				e, isErr := apperr.As(err)
				if !isErr || e.Kind != apperr.KindForbidden {
					t.Fatalf("%s, caller %d: %v is not a 403", row.name, i, err)
				}
				got = e.Message
			}
			if got != row.want[i] {
				t.Errorf("%s, caller %d: %q, want %q", row.name, i, got, row.want[i])
			}
		}
	}
	if err := momentum.Can(nil, momentum.ActProfile); err == nil {
		t.Error("no caller passed")
	}
}
