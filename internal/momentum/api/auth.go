package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/apperr"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
	"github.com/momentum-cohortly/backends/internal/platform/jsontext"
)

func (a *API) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, struct {
		Status    string `json:"status"`
		Timestamp string `json:"timestamp"`
	}{"Server is running", time.Now().UTC().Format("2006-01-02T15:04:05.000Z")})
}

// limitBody caps a JSON or form body at the legacy 100 kb.
func limitBody(w http.ResponseWriter, r *http.Request, n int64) error {
	if r.ContentLength > n {
		return &apperr.Error{Kind: apperr.KindTooLarge, Message: "Request body is too large"}
	}
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, n)
	}
	return nil
}

func readSmallBody(w http.ResponseWriter, r *http.Request) (fields, error) {
	if err := limitBody(w, r, MaxBodyBytes); err != nil {
		return fields{}, err
	}
	return readFields(r)
}

func (a *API) register(w http.ResponseWriter, r *http.Request, _ *momentum.Principal) error {
	f, err := readSmallBody(w, r)
	if err != nil {
		return err
	}
	var in momentum.RegisterInput
	if in.Email, err = f.str("email"); err != nil {
		return err
	}
	if in.Password, err = f.str("password"); err != nil {
		return err
	}
	if in.RestaurantName, err = f.str("restaurantName"); err != nil {
		return err
	}
	if in.Address, err = f.optional("address"); err != nil {
		return err
	}
	if in.Phone, err = f.optional("phone"); err != nil {
		return err
	}
	res, err := a.svc.Register(r.Context(), in)
	if err != nil {
		return err
	}
	// The restaurant object echoes address and phone exactly as sent: absent keys stay absent.
	rest := orderedObject{{"restaurant_id", res.Restaurant.ID}, {"name", res.Restaurant.Name}}
	if in.Address.Set {
		rest = append(rest, kv{"address", in.Address.Value})
	}
	if in.Phone.Set {
		rest = append(rest, kv{"phone", in.Phone.Value})
	}
	writeJSON(w, http.StatusCreated, orderedObject{
		{"message", "User and restaurant created successfully"},
		{"token", res.Token},
		{"user", orderedObject{{"user_id", res.User.ID}, {"email", res.User.Email}, {"role", res.User.Role}, {"restaurant", rest}}},
	})
	return nil
}

func (a *API) login(w http.ResponseWriter, r *http.Request, _ *momentum.Principal) error {
	f, err := readSmallBody(w, r)
	if err != nil {
		return err
	}
	email, err1 := f.str("email")
	password, err2 := f.str("password")
	if err1 != nil || err2 != nil {
		return bad("Email and password must be strings")
	}
	res, err := a.svc.Login(r.Context(), email, password, a.cfg.TrustProxy.ClientIP(r))
	if err != nil {
		return err
	}
	user := orderedObject{{"user_id", res.User.ID}, {"email", res.User.Email}, {"role", res.User.Role}}
	if res.User.Role == momentum.RoleRestaurant {
		user = append(user, kv{"restaurant", viewRestaurant(res.Restaurant)})
	}
	writeJSON(w, http.StatusOK, orderedObject{{"message", "Login successful"}, {"token", res.Token}, {"user", user}})
	return nil
}

func (a *API) me(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	m, err := a.svc.Me(r.Context(), p)
	if err != nil {
		return err
	}
	httpx.WriteAppended(w, http.StatusOK, appendMe, m)
	return nil
}

// appendMe writes GET /api/auth/me's body by hand, byte for byte what encoding/json writes of
// {"user": {user_id, email, role, restaurant (restaurant users only, null without a row),
// impersonating_restaurant_id}} (TestMeRenderingMatchesEncodingJSON): every page of the client asks
// for it.
func appendMe(b []byte, m momentum.Me) []byte {
	b = append(b, `{"user":{"user_id":`...)
	b = strconv.AppendInt(b, m.User.ID, 10)
	b = append(b, `,"email":`...)
	b = jsontext.AppendString(b, m.User.Email)
	b = append(b, `,"role":`...)
	b = jsontext.AppendString(b, m.User.Role)
	if m.User.Role == momentum.RoleRestaurant {
		b = append(b, `,"restaurant":`...)
		b = appendRestaurant(b, m.Restaurant)
	}
	b = append(b, `,"impersonating_restaurant_id":`...)
	if m.Impersonating == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, *m.Impersonating, 10)
	}
	return append(b, "}}"...)
}

// appendRestaurant writes restaurantView's JSON (null for no restaurant).
func appendRestaurant(b []byte, r *momentum.Restaurant) []byte {
	if r == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"restaurant_id":`...)
	b = strconv.AppendInt(b, r.ID, 10)
	b = append(b, `,"user_id":`...)
	b = strconv.AppendInt(b, r.UserID, 10)
	b = append(b, `,"name":`...)
	b = jsontext.AppendString(b, r.Name)
	b = append(b, `,"address":`...)
	b = appendNullable(b, r.Address)
	b = append(b, `,"phone":`...)
	b = appendNullable(b, r.Phone)
	b = append(b, `,"created_at":"`...)
	b = momentum.AppendTime(b, r.CreatedAt)
	return append(b, `"}`...)
}

func (a *API) impersonate(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	ref, err := restaurantRef(r.PathValue("restaurantId"))
	if err != nil {
		return err
	}
	res, err := a.svc.Impersonate(r.Context(), p, ref)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Message    string          `json:"message"`
		Token      string          `json:"token"`
		Restaurant *restaurantView `json:"impersonating_restaurant"`
	}{"Impersonation started", res.Token, viewRestaurant(&res.Restaurant)})
	return nil
}

func (a *API) endImpersonation(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	tok, err := a.svc.EndImpersonation(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Message string `json:"message"`
		Token   string `json:"token"`
	}{"Impersonation ended", tok})
	return nil
}
