package api

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
)

// meUserView is what encoding/json must make of GET /api/auth/me: the legacy shape, with
// "restaurant" only for restaurant users.
type meUserView struct {
	UserID                    int64           `json:"user_id"`
	Email                     string          `json:"email"`
	Role                      string          `json:"role"`
	Restaurant                json.RawMessage `json:"restaurant,omitempty"`
	ImpersonatingRestaurantID *int64          `json:"impersonating_restaurant_id"`
}

func viewMe(m momentum.Me) any {
	u := meUserView{UserID: m.User.ID, Email: m.User.Email, Role: m.User.Role, ImpersonatingRestaurantID: m.Impersonating}
	if m.User.Role == momentum.RoleRestaurant {
		u.Restaurant = json.RawMessage("null")
		if m.Restaurant != nil {
			u.Restaurant = marshal(viewRestaurant(m.Restaurant))
		}
	}
	return struct {
		User meUserView `json:"user"`
	}{u}
}

func sameMe(t *testing.T, m momentum.Me) {
	t.Helper()
	got, want := httptest.NewRecorder(), httptest.NewRecorder()
	httpx.WriteAppended(got, 200, appendMe, m)
	httpx.WriteJSON(want, 200, viewMe(m))
	sameResponse(t, got, want)
}

func TestMeRenderingMatchesEncodingJSON(t *testing.T) {
	addr, phone, odd := "1 Main St", "555-0123", "quote \" back \\ <tag> & \u2028 \x01 é \xff"
	imp := int64(7)
	at := time.Date(2025, 6, 27, 17, 44, 13, 0, time.UTC)
	owner := momentum.User{ID: 2, Email: "test@restaurant.com", Role: momentum.RoleRestaurant, CreatedAt: at}
	admin := momentum.User{ID: 1, Email: "admin@momentum.com", Role: momentum.RoleAdmin, CreatedAt: at}
	for name, m := range map[string]momentum.Me{
		"owner":               {User: owner, Restaurant: &momentum.Restaurant{ID: 1, UserID: 2, Name: "Test Pizzeria", Address: &addr, Phone: &phone, CreatedAt: at}},
		"owner without a row": {User: owner},
		"owner, nulls":        {User: owner, Restaurant: &momentum.Restaurant{ID: 1, UserID: 2, Name: "", CreatedAt: at}},
		"owner, odd text":     {User: momentum.User{ID: 3, Email: odd, Role: momentum.RoleRestaurant}, Restaurant: &momentum.Restaurant{ID: 9, UserID: 3, Name: odd, Address: &odd, Phone: &odd}},
		"admin":               {User: admin},
		"admin impersonating": {User: admin, Impersonating: &imp},
		"other role":          {User: momentum.User{ID: 4, Email: "x@y.z", Role: odd}},
	} {
		t.Run(name, func(t *testing.T) { sameMe(t, m) })
	}
}

func FuzzMeRendering(f *testing.F) {
	f.Add(int64(2), "test@restaurant.com", "restaurant", "Test Pizzeria", "1 Main St", int64(1751046253), false)
	f.Add(int64(1), "a\"b\\c\u2028", "admin", "\xff\xfe", "", int64(-1), true)
	f.Fuzz(func(t *testing.T, id int64, email, role, name, addr string, created int64, impersonating bool) {
		m := momentum.Me{User: momentum.User{ID: id, Email: email, Role: role}}
		if role == "" {
			m.User.Role = momentum.RoleRestaurant
		}
		if addr != "" {
			m.Restaurant = &momentum.Restaurant{ID: id + 1, UserID: id, Name: name, Address: &addr, CreatedAt: time.Unix(created, 0)}
		}
		if impersonating {
			m.Impersonating = &id
		}
		sameMe(t, m)
	})
}
