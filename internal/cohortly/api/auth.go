package api

import (
	"net/http"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// register is POST /auth/register. Public; with an ADMIN's token it may create any role.
func (a *API) register(w http.ResponseWriter, r *http.Request) error {
	var caller *cohortly.User
	if h := r.Header.Get("Authorization"); h != "" {
		p, err := a.svc.Authenticate(r.Context(), h)
		if err != nil {
			return err
		}
		caller = &p.User
	}
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in := cohortly.RegisterInput{
		Email: b.str("email"), Password: b.str("password"), FullName: b.str("fullName", "full_name"),
		Phone: b.str("phone"), Role: b.str("role"),
	}
	if err := b.err(); err != nil {
		return err
	}
	s, err := a.svc.Register(r.Context(), caller, in, a.clientAddr(r))
	if err != nil {
		return err
	}
	ok(w, http.StatusCreated, "Registration successful", sessionView(s))
	return nil
}

// login is POST /auth/login.
func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in := cohortly.LoginInput{Email: b.str("email"), Password: b.str("password")}
	if err := b.err(); err != nil {
		return err
	}
	s, err := a.svc.Login(r.Context(), in, a.clientAddr(r))
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Login successful", sessionView(s))
	return nil
}

type refreshJSON struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken,omitempty"` // absent with REFRESH_TOKEN_ROTATION=off, as the legacy answered
}

// refresh is POST /auth/refresh: a new access token and a new (rotated) refresh token, or with
// REFRESH_TOKEN_ROTATION=off the access token only.
func (a *API) refresh(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	tok := b.str("refreshToken", "refresh_token")
	if err := b.err(); err != nil {
		return err
	}
	s, err := a.svc.Refresh(r.Context(), tok, a.clientAddr(r))
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Token refreshed successfully", refreshJSON{AccessToken: s.AccessToken, RefreshToken: s.RefreshToken})
	return nil
}

// logout is POST /auth/logout: ends the given refresh token's session, or all sessions without one.
func (a *API) logout(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	tok := b.str("refreshToken", "refresh_token")
	if err := b.err(); err != nil {
		return err
	}
	if err := a.svc.Logout(r.Context(), p, tok); err != nil {
		return err
	}
	ok(w, http.StatusOK, "Logout successful", nil)
	return nil
}

// logoutAll is POST /auth/logout-all.
func (a *API) logoutAll(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	if err := a.svc.LogoutAll(r.Context(), p); err != nil {
		return err
	}
	ok(w, http.StatusOK, "Logged out from all devices", nil)
	return nil
}

// me is GET /auth/me, from the database (the legacy echoed the token).
func (a *API) me(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	writeMe(w, meView(p, p.User))
	return nil
}

// updateMe is PUT /auth/me.
func (a *API) updateMe(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in := cohortly.UpdateMeInput{FullName: b.str("fullName", "full_name"), Phone: b.nullableStr("phone"),
		Password: b.str("password"), CurrentPassword: b.str("currentPassword", "current_password")}
	if err := b.err(); err != nil {
		return err
	}
	u, err := a.svc.UpdateMe(r.Context(), p, in)
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Profile updated successfully", userView(u))
	return nil
}
