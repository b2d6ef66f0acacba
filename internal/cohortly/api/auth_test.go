package api_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/schema"
)

func claims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestLoginReturnsLegacyShapeAndTokens(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		r := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "Admin@BootCamp.com", "password": pw})
		want(t, r, 200, "Login successful")
		u := r.data()["user"].(map[string]any)
		if u["id"] != schema.DemoAdminID || u["email"] != "admin@bootcamp.com" || u["fullName"] != "System Admin" || u["role"] != "ADMIN" || u["isActive"] != true {
			t.Errorf("user = %v", u)
		}
		c := claims(t, str(r.data()["accessToken"]))
		if c["id"] != schema.DemoAdminID || c["email"] != "admin@bootcamp.com" || c["role"] != "ADMIN" || c["type"] != "access" || c["jti"] == nil {
			t.Errorf("access claims = %v", c)
		}
		if exp, iat := c["exp"].(float64), c["iat"].(float64); exp-iat != 900 {
			t.Errorf("access lifetime = %v s, want 900", exp-iat)
		}
		rc := claims(t, str(r.data()["refreshToken"]))
		if rc["type"] != "refresh" || rc["exp"].(float64)-rc["iat"].(float64) != 7*24*3600 {
			t.Errorf("refresh claims = %v", rc)
		}
	})
}

func TestLoginFailures(t *testing.T) {
	e := sqliteOnly(t)
	cases := []struct {
		name   string
		body   any
		status int
		msg    string
		field  string
	}{
		{"wrong password", map[string]any{"email": "admin@bootcamp.com", "password": "nope"}, 401, "Invalid credentials", ""},
		{"unknown user", map[string]any{"email": "ghost@bootcamp.com", "password": pw}, 401, "Invalid credentials", ""},
		{"bad email", map[string]any{"email": "not-an-email", "password": "x"}, 400, "Validation failed", "email"},
		{"no password", map[string]any{"email": "admin@bootcamp.com"}, 400, "Validation failed", "password"},
		{"numeric password", map[string]any{"email": "admin@bootcamp.com", "password": 12345678}, 400, "Validation failed", "password"},
		{"empty body", nil, 400, "Validation failed", "email"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.call("POST", "/api/v1/auth/login", "", c.body)
			want(t, r, c.status, c.msg)
			if c.field != "" && fieldErr(r, c.field) == nil {
				t.Errorf("no error for %s: %s", c.field, r.raw)
			}
		})
	}
	// A password is never echoed in validation errors.
	r := e.call("POST", "/api/v1/auth/register", "", map[string]any{"email": "x@y.co", "password": "short", "fullName": "X"})
	if strings.Contains(string(r.raw), "short") {
		t.Errorf("password echoed: %s", r.raw)
	}
}

func TestTwoLoginsInTheSameSecondBothWork(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		// The fake clock does not move: both logins happen at the same instant (legacy bug B4.1).
		a := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "sales1@bootcamp.com", "password": pw})
		b := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "sales1@bootcamp.com", "password": pw})
		want(t, a, 200, "")
		want(t, b, 200, "")
		if a.data()["refreshToken"] == b.data()["refreshToken"] {
			t.Fatal("identical refresh tokens")
		}
	})
}

func TestInactiveAccount(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		tok := e.tokens[cohortly.RoleSales]
		if _, err := e.store.UpdateUser(t.Context(), schema.DemoSalesID, cohortly.UserPatch{IsActive: cohortly.Some(false)}, t0); err != nil {
			t.Fatal(err)
		}
		// Rejected at once, not when the token expires.
		want(t, e.call("GET", "/api/v1/auth/me", tok, nil), 401, "Account is inactive")
		want(t, e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "sales1@bootcamp.com", "password": pw}), 401, "Account is inactive")
		// The wrong password does not reveal that the account exists but is inactive.
		want(t, e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "sales1@bootcamp.com", "password": "wrong"}), 401, "Invalid credentials")
	})
}

func TestDeletedUserTokenStopsWorking(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		r := e.call("POST", "/api/v1/auth/register", "", map[string]any{"email": "temp@example.com", "password": "longenough", "fullName": "Temp"})
		want(t, r, 201, "Registration successful")
		tok, id := str(r.data()["accessToken"]), str(r.data()["user"].(map[string]any)["id"])
		want(t, e.call("GET", "/api/v1/auth/me", tok, nil), 200, "")
		if err := e.store.DeleteUser(t.Context(), id); err != nil {
			t.Fatal(err)
		}
		want(t, e.call("GET", "/api/v1/auth/me", tok, nil), 401, "Invalid or expired token")
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": r.data()["refreshToken"]}), 401, "Invalid refresh token")
	})
}

func TestMeComesFromTheDatabase(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		tok := e.tokens[cohortly.RoleMentor]
		if _, err := e.store.UpdateUser(t.Context(), schema.DemoMentorID, cohortly.UserPatch{FullName: cohortly.Some("Renamed"), Role: cohortly.Some(cohortly.RoleInstructor)}, t0); err != nil {
			t.Fatal(err)
		}
		r := e.call("GET", "/api/v1/auth/me", tok, nil)
		want(t, r, 200, "User retrieved successfully")
		d := r.data()
		if d["fullName"] != "Renamed" || d["role"] != "INSTRUCTOR" || d["id"] != schema.DemoMentorID || d["iat"] == nil || d["exp"] == nil {
			t.Errorf("me = %v", d)
		}
		// The new role applies at once: instructors may create assignments, mentors may not.
		body := map[string]any{"bootcampId": schema.DemoFullStackID, "title": "T", "description": "D"}
		want(t, e.call("POST", "/api/v1/assignments", tok, body), 201, "")
	})
}

func TestTokenChecks(t *testing.T) {
	e := sqliteOnly(t)
	good := e.admin()
	signed := func(secret string, c jwt.MapClaims, m jwt.SigningMethod) string {
		s, err := jwt.NewWithClaims(m, c).SignedString([]byte(secret))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	legacy := jwt.MapClaims{"id": schema.DemoAdminID, "email": "admin@bootcamp.com", "role": "ADMIN", "iat": t0.Unix(), "exp": t0.Add(time.Minute).Unix()}
	login := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "admin@bootcamp.com", "password": pw})
	cases := []struct {
		name, header string
		status       int
		msg          string
	}{
		{"missing", "", 401, "Authentication required"},
		{"lower-case bearer", "bearer " + good, 401, "Authentication required"},
		{"garbage", "Bearer garbage", 401, "Invalid or expired token"},
		{"refresh token as access", "Bearer " + str(login.data()["refreshToken"]), 401, "Invalid or expired token"},
		{"HS512", "Bearer " + signed("test-access-secret", legacy, jwt.SigningMethodHS512), 401, "Invalid or expired token"},
		{"wrong secret", "Bearer " + signed("other", legacy, jwt.SigningMethodHS256), 401, "Invalid or expired token"},
		{"legacy token without type", "Bearer " + signed("test-access-secret", legacy, jwt.SigningMethodHS256), 200, ""},
		{"valid", "Bearer " + good, 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var hdr []string
			if c.header != "" {
				hdr = []string{"Authorization", c.header}
			}
			want(t, e.call("GET", "/api/v1/auth/me", "", nil, hdr...), c.status, c.msg)
		})
	}
	t.Run("expired", func(t *testing.T) {
		e.clk.Advance(16 * time.Minute)
		defer e.clk.Set(t0)
		want(t, e.call("GET", "/api/v1/auth/me", good, nil), 401, "Invalid or expired token")
	})
}

func TestRefreshRotatesAndDetectsReuse(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		login := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "student1@bootcamp.com", "password": pw})
		r0 := str(login.data()["refreshToken"])

		r := e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": r0})
		want(t, r, 200, "Token refreshed successfully")
		r1, a1 := str(r.data()["refreshToken"]), str(r.data()["accessToken"])
		if r1 == "" || r1 == r0 || a1 == "" {
			t.Fatalf("refresh answer = %s", r.raw)
		}
		want(t, e.call("GET", "/api/v1/auth/me", a1, nil), 200, "")

		// The snake_case alias works and rotation continues.
		r = e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refresh_token": r1})
		want(t, r, 200, "")
		r2 := str(r.data()["refreshToken"])

		// Reusing r0 (rotated) is theft: the whole family dies, including the current r2.
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": r0}), 401, "Refresh token has already been used")
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": r2}), 401, "")
		// Other sessions (other families) are untouched.
		other := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "student1@bootcamp.com", "password": pw})
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": other.data()["refreshToken"]}), 200, "")
	})
}

// The shipped legacy frontend keeps sending its login's refresh token: with REFRESH_TOKEN_ROTATION=off
// that keeps working (the legacy answer, no refreshToken) until the token is revoked.
func TestRefreshWithoutRotationKeepsTheLoginToken(t *testing.T) {
	keep := func(_ *cohortly.Deps, c *cohortly.Config) { c.KeepRefreshToken = true }
	eachStore(t, func(t *testing.T, e *env) {
		login := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "student1@bootcamp.com", "password": pw})
		r0 := str(login.data()["refreshToken"])
		seen := map[string]bool{str(login.data()["accessToken"]): true}
		for i := range 3 {
			e.clk.Advance(20 * time.Minute) // past the access token's 15 minutes each time
			r := e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": r0})
			want(t, r, 200, "Token refreshed successfully")
			a := str(r.data()["accessToken"])
			if _, has := r.data()["refreshToken"]; has || a == "" || seen[a] || len(r.data()) != 1 {
				t.Fatalf("refresh %d answer = %s, want data with a new accessToken only", i, r.raw)
			}
			seen[a] = true
			want(t, e.call("GET", "/api/v1/auth/me", a, nil), 200, "")
		}
		r := e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": r0})
		want(t, r, 200, "")
		want(t, e.call("POST", "/api/v1/auth/logout-all", str(r.data()["accessToken"]), nil), 200, "Logged out from all devices")
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": r0}), 401, "Refresh token not found")
	}, keep)
}

func TestConcurrentRefreshHasOneWinner(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		login := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "student1@bootcamp.com", "password": pw})
		tok := login.data()["refreshToken"]
		var wg sync.WaitGroup
		codes := make([]int, 6)
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": tok}).status
			}()
		}
		wg.Wait()
		ok := 0
		for _, c := range codes {
			if c == 200 {
				ok++
			} else if c != 401 {
				t.Errorf("status %d", c)
			}
		}
		if ok != 1 {
			t.Fatalf("%d winners (%v), want exactly 1", ok, codes)
		}
	})
}

func TestRefreshFailures(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		login := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "student1@bootcamp.com", "password": pw})
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{}), 400, "Validation failed")
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": "garbage"}), 401, "Invalid refresh token")
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": login.data()["accessToken"]}), 401, "Invalid refresh token")
		e.clk.Advance(8 * 24 * time.Hour)
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": login.data()["refreshToken"]}), 401, "Invalid refresh token")
	})
}

func TestLegacyPlaintextRefreshTokenIsAcceptedAndUpgraded(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		// A token as the legacy server minted and stored it: no type, no jti, plaintext in the table.
		legacy, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"id": schema.DemoStudent1ID, "email": "student1@bootcamp.com",
			"role": "STUDENT", "iat": t0.Unix(), "exp": t0.Add(7 * 24 * time.Hour).Unix()}).SignedString([]byte("test-refresh-secret"))
		if err != nil {
			t.Fatal(err)
		}
		if err := e.store.CreateRefreshToken(t.Context(), cohortly.RefreshToken{ID: cohortly.NewID(), UserID: schema.DemoStudent1ID,
			Token: legacy, ExpiresAt: t0.Add(7 * 24 * time.Hour), CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		r := e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": legacy})
		want(t, r, 200, "")
		// Upgraded: the plaintext row is gone (rotated under its hash), so a replay counts as reuse.
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": legacy}), 401, "Refresh token has already been used")
	})
}

func TestLogoutSemantics(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		l1 := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "sales1@bootcamp.com", "password": pw})
		l2 := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "sales1@bootcamp.com", "password": pw})
		l3 := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "sales1@bootcamp.com", "password": pw})
		tok := str(l1.data()["accessToken"])

		r := e.call("POST", "/api/v1/auth/logout", tok, map[string]any{"refreshToken": l1.data()["refreshToken"]})
		want(t, r, 200, "Logout successful")
		if _, has := r.body["data"]; has {
			t.Errorf("logout has data: %s", r.raw)
		}
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": l1.data()["refreshToken"]}), 401, "Refresh token not found")
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": l2.data()["refreshToken"]}), 200, "")

		// Without a body, logout ends every session (legacy semantics, kept).
		want(t, e.call("POST", "/api/v1/auth/logout", tok, nil), 200, "Logout successful")
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": l3.data()["refreshToken"]}), 401, "")

		l4 := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "sales1@bootcamp.com", "password": pw})
		want(t, e.call("POST", "/api/v1/auth/logout-all", tok, nil), 200, "Logged out from all devices")
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": l4.data()["refreshToken"]}), 401, "")
	})
}

func TestRegister(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		r := e.call("POST", "/api/v1/auth/register", "", map[string]any{"email": "John.Doe123+tag@Gmail.com", "password": "longenough",
			"full_name": "  John Doe ", "phone": "+1 (555) 000-0000", "role": "ADMIN"})
		want(t, r, 201, "Registration successful")
		u := r.data()["user"].(map[string]any)
		// Public registration never grants a privileged role (B1); email normalised like validator.js.
		if u["role"] != "STUDENT" || u["email"] != "johndoe123@gmail.com" || u["fullName"] != "John Doe" || u["phone"] != "+1 (555) 000-0000" {
			t.Errorf("user = %v", u)
		}
		// The same person logs in with any spelling that normalises the same way.
		e.login("johndoe123@gmail.com", "longenough")
		e.login("john.doe123@googlemail.com", "longenough")

		dup := e.call("POST", "/api/v1/auth/register", "", map[string]any{"email": "johndoe123@gmail.com", "password": "longenough", "fullName": "J"})
		want(t, dup, 400, "User with this email already exists")

		// An ADMIN may create staff.
		r = e.call("POST", "/api/v1/auth/register", e.admin(), map[string]any{"email": "new.sales@bootcamp.com", "password": "longenough", "fullName": "S", "role": "SALES"})
		want(t, r, 201, "")
		if r.data()["user"].(map[string]any)["role"] != "SALES" {
			t.Errorf("admin-created role = %v", r.data()["user"])
		}
		// A non-admin token does not help.
		r = e.call("POST", "/api/v1/auth/register", e.sales(), map[string]any{"email": "x1@bootcamp.com", "password": "longenough", "fullName": "S", "role": "ADMIN"})
		want(t, r, 201, "")
		if r.data()["user"].(map[string]any)["role"] != "STUDENT" {
			t.Errorf("sales-created role = %v", r.data()["user"])
		}
	})
}

func TestRegisterValidation(t *testing.T) {
	e := sqliteOnly(t)
	long := strings.Repeat("é", 37) // 74 bytes
	cases := []struct {
		name  string
		body  map[string]any
		field string
		msg   string
	}{
		{"bad email", map[string]any{"email": "nope", "password": "longenough", "fullName": "A"}, "email", "Valid email is required"},
		{"short password", map[string]any{"email": "a@b.co", "password": "short", "fullName": "A"}, "password", "Password must be at least 8 characters"},
		{"72-byte limit", map[string]any{"email": "a@b.co", "password": long, "fullName": "A"}, "password", "Password must be at most 72 bytes"},
		{"blank name", map[string]any{"email": "a@b.co", "password": "longenough", "fullName": "   "}, "fullName", "Full name is required"},
		{"bad role", map[string]any{"email": "a@b.co", "password": "longenough", "fullName": "A", "role": "KING"}, "role", "Invalid role"},
		{"bad phone", map[string]any{"email": "a@b.co", "password": "longenough", "fullName": "A", "phone": "call me"}, "phone", "Invalid phone number"},
		{"name wrong type", map[string]any{"email": "a@b.co", "password": "longenough", "fullName": 42}, "fullName", "fullName must be a string"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.call("POST", "/api/v1/auth/register", "", c.body)
			want(t, r, 400, "Validation failed")
			f := fieldErr(r, c.field)
			if f == nil || f["msg"] != c.msg || f["type"] != "field" || f["location"] != "body" {
				t.Errorf("errors = %s", r.raw)
			}
		})
	}
	// An empty phone is no phone (the frontend sends "").
	want(t, e.call("POST", "/api/v1/auth/register", "", map[string]any{"email": "p@b.co", "password": "longenough", "fullName": "A", "phone": ""}), 201, "")
}

func TestUpdateMe(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		tok := e.student()
		l := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "student1@bootcamp.com", "password": pw})
		r := e.call("PUT", "/api/v1/auth/me", tok, map[string]any{"fullName": "Alice S.", "phone": nil})
		want(t, r, 200, "Profile updated successfully")
		if r.data()["fullName"] != "Alice S." || r.data()["phone"] != nil || r.data()["passwordHash"] != nil {
			t.Errorf("data = %v", r.data())
		}
		want(t, e.call("PUT", "/api/v1/auth/me", tok, map[string]any{"password": "new-password"}), 400, "Validation failed")
		want(t, e.call("PUT", "/api/v1/auth/me", tok, map[string]any{"password": "new-password", "currentPassword": "wrong"}), 400, "Validation failed")
		want(t, e.call("PUT", "/api/v1/auth/me", tok, map[string]any{"password": "new-password", "currentPassword": pw}), 200, "")
		e.login("student1@bootcamp.com", "new-password")
		// A password change ends the other sessions.
		want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": l.data()["refreshToken"]}), 401, "")
	})
}

func TestLoginRateLimits(t *testing.T) {
	e := sqliteOnly(t)
	bad := map[string]any{"email": "admin@bootcamp.com", "password": "wrong"}
	for i := 0; i < 10; i++ {
		want(t, e.call("POST", "/api/v1/auth/login", "", bad), 401, "Invalid credentials")
	}
	// The 11th attempt within 15 minutes is refused even with the right password.
	r := e.call("POST", "/api/v1/auth/login", "", map[string]any{"email": "admin@bootcamp.com", "password": pw})
	want(t, r, 429, "Too many requests, please try again later")
	if ra := r.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After = %q", ra)
	}
	// Other accounts are not affected.
	e.login("sales1@bootcamp.com", pw)
	e.clk.Advance(15*time.Minute + time.Second)
	e.login("admin@bootcamp.com", pw)
}

func TestAddressRateLimit(t *testing.T) {
	e := sqliteOnly(t, func(d *cohortly.Deps, _ *cohortly.Config) { d.Limits.MaxPerAddress = 5 })
	// newEnv logged in 5 times already from this address within the minute.
	r := e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": "x"})
	want(t, r, 429, "")
	want(t, e.call("POST", "/api/v1/auth/register", "", map[string]any{"email": "a@b.co", "password": "longenough", "fullName": "A"}), 429, "")
	e.clk.Advance(61 * time.Second)
	want(t, e.call("POST", "/api/v1/auth/refresh", "", map[string]any{"refreshToken": "x"}), 401, "")
}

// The list routes read the caller together with their page (one database round trip). The caller
// is still checked on every request, and refusals come in the order of every other route: a 401 or
// 403 before a 400 for the query.
func TestListsCheckTheCallerOnEveryRequest(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		ctx, tok := t.Context(), e.sales()
		patch := func(p cohortly.UserPatch) {
			t.Helper()
			if _, err := e.store.UpdateUser(ctx, schema.DemoSalesID, p, t0); err != nil {
				t.Fatal(err)
			}
		}
		want(t, e.call("GET", "/api/v1/leads", tok, nil), 200, "Leads retrieved successfully")
		want(t, e.call("GET", "/api/v1/leads?status=BOGUS", tok, nil), 400, "Validation failed")
		want(t, e.call("GET", "/api/v1/leads?search=%00", tok, nil), 400, "Validation failed")

		// A role change takes effect at once: the page read ahead of the check is not returned.
		patch(cohortly.UserPatch{Role: cohortly.Some(cohortly.RoleStudent)})
		want(t, e.call("GET", "/api/v1/leads", tok, nil), 403, cohortly.MsgForbidden)
		want(t, e.call("GET", "/api/v1/leads?status=BOGUS", tok, nil), 403, cohortly.MsgForbidden)
		want(t, e.call("GET", "/api/v1/bootcamps", tok, nil), 200, "Bootcamps retrieved successfully")

		patch(cohortly.UserPatch{Role: cohortly.Some(cohortly.RoleSales), IsActive: cohortly.Some(false)})
		for _, path := range []string{"/api/v1/leads", "/api/v1/leads?status=BOGUS", "/api/v1/leads?page=abc",
			"/api/v1/leads?search=%00", "/api/v1/bootcamps", "/api/v1/bootcamps?isActive=maybe"} {
			want(t, e.call("GET", path, tok, nil), 401, cohortly.MsgInactive)
		}
		want(t, e.call("GET", "/api/v1/leads", "", nil), 401, cohortly.MsgAuthRequired)
		want(t, e.call("GET", "/api/v1/leads", "not-a-token", nil), 401, cohortly.MsgInvalidToken)

		// A deleted user's token stops working on the list routes too.
		r := e.call("POST", "/api/v1/auth/register", "", map[string]any{"email": "gone@example.com", "password": "longenough", "fullName": "Gone"})
		want(t, r, 201, "Registration successful")
		gone := str(r.data()["accessToken"])
		want(t, e.call("GET", "/api/v1/bootcamps", gone, nil), 200, "Bootcamps retrieved successfully")
		want(t, e.call("GET", "/api/v1/leads", gone, nil), 403, cohortly.MsgForbidden)
		if err := e.store.DeleteUser(ctx, str(r.data()["user"].(map[string]any)["id"])); err != nil {
			t.Fatal(err)
		}
		want(t, e.call("GET", "/api/v1/bootcamps", gone, nil), 401, cohortly.MsgInvalidToken)
		want(t, e.call("GET", "/api/v1/leads?status=BOGUS", gone, nil), 401, cohortly.MsgInvalidToken)
	})
}
