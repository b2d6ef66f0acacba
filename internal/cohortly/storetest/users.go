package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

func testUsers(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	u := mkUser(t, s, 1, cohortly.RoleSales)

	got, err := s.UserByID(ctx, u.ID)
	must(t, err)
	if got.Email != u.Email || got.Role != cohortly.RoleSales || got.FullName != u.FullName || got.PasswordHash != u.PasswordHash ||
		got.Phone == nil || *got.Phone != *u.Phone || !got.IsActive {
		t.Fatalf("UserByID = %+v, want %+v", got, u)
	}
	eqTime(t, "created_at", got.CreatedAt, u.CreatedAt)
	eqTime(t, "updated_at", got.UpdatedAt, u.UpdatedAt)

	byEmail, err := s.UserByEmail(ctx, u.Email)
	must(t, err)
	if byEmail.ID != u.ID {
		t.Fatalf("UserByEmail id = %s", byEmail.ID)
	}
	_, err = s.UserByEmail(ctx, "USER1@example.com")
	wantErr(t, err, cohortly.ErrNotFound) // exact match: the caller normalises
	_, err = s.UserByID(ctx, "no-such-id")
	wantErr(t, err, cohortly.ErrNotFound)

	dup := u
	dup.ID = id('a', 99)
	wantErr(t, s.CreateUser(ctx, dup), cohortly.ErrConflict)

	// Partial update: untouched fields stay, phone can be cleared.
	up, err := s.UpdateUser(ctx, u.ID, cohortly.UserPatch{
		FullName: cohortly.Some("Renamed"), Phone: cohortly.Some[*string](nil), Role: cohortly.Some(cohortly.RoleAdmin),
		IsActive: cohortly.Some(false),
	}, at(5000))
	must(t, err)
	if up.FullName != "Renamed" || up.Phone != nil || up.Role != cohortly.RoleAdmin || up.IsActive || up.Email != u.Email || up.PasswordHash != u.PasswordHash {
		t.Fatalf("UpdateUser = %+v", up)
	}
	eqTime(t, "updated_at", up.UpdatedAt, at(5000))
	eqTime(t, "created_at", up.CreatedAt, u.CreatedAt)
	up, err = s.UpdateUser(ctx, u.ID, cohortly.UserPatch{PasswordHash: cohortly.Some("$2b$10$new")}, at(6000))
	must(t, err)
	if up.PasswordHash != "$2b$10$new" || up.FullName != "Renamed" {
		t.Fatalf("UpdateUser password = %+v", up)
	}
	_, err = s.UpdateUser(ctx, "no-such-id", cohortly.UserPatch{FullName: cohortly.Some("x")}, at(1))
	wantErr(t, err, cohortly.ErrNotFound)

	// EnrollLeadsByEmail touches only non-enrolled leads with that exact email.
	mkLead(t, s, 1, u.ID, at(10), func(l *cohortly.Lead) { l.Email = "kid@example.com" })
	mkLead(t, s, 2, u.ID, at(11), func(l *cohortly.Lead) { l.Email = "kid@example.com"; l.Status = cohortly.LeadEnrolled })
	mkLead(t, s, 3, u.ID, at(12), func(l *cohortly.Lead) { l.Email = "other@example.com" })
	n, err := s.EnrollLeadsByEmail(ctx, "kid@example.com", at(7000))
	must(t, err)
	if n != 1 {
		t.Fatalf("EnrollLeadsByEmail changed %d, want 1", n)
	}
	l1, err := s.LeadByID(ctx, id('b', 1))
	must(t, err)
	if l1.Status != cohortly.LeadEnrolled {
		t.Fatalf("lead 1 status %s", l1.Status)
	}
	eqTime(t, "lead updated_at", l1.UpdatedAt, at(7000))
	l3, err := s.LeadByID(ctx, id('b', 3))
	must(t, err)
	if l3.Status != cohortly.LeadNew {
		t.Fatalf("lead 3 status %s", l3.Status)
	}
}

func testUserEmailRace(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	errs := race(8, func(i int) error {
		return s.CreateUser(ctx, cohortly.User{ID: id('a', 100+i), Email: "same@example.com", PasswordHash: "h",
			Role: cohortly.RoleStudent, FullName: fmt.Sprint("Racer ", i), IsActive: true, CreatedAt: at(i), UpdatedAt: at(i)})
	})
	w := oneWinner(t, errs, cohortly.ErrConflict)
	u, err := s.UserByEmail(ctx, "same@example.com")
	must(t, err)
	if u.ID != id('a', 100+w) {
		t.Fatalf("stored user %s, winner was %s", u.ID, id('a', 100+w))
	}
}

func testDeleteUser(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	a := mkUser(t, s, 1, cohortly.RoleSales)
	b := mkUser(t, s, 2, cohortly.RoleSales)
	mkLead(t, s, 1, a.ID, at(1), func(l *cohortly.Lead) { l.AssignedTo = &b.ID })
	must(t, s.CreateRefreshToken(ctx, cohortly.RefreshToken{ID: id('t', 1), UserID: b.ID, Token: "sha256:x", ExpiresAt: at(99999), CreatedAt: at(1), FamilyID: id('t', 1)}))

	// a created a lead: RESTRICT.
	wantErr(t, s.DeleteUser(ctx, a.ID), cohortly.ErrInUse)
	// b is only assigned (SET NULL) and has a token (CASCADE): deletable.
	must(t, s.DeleteUser(ctx, b.ID))
	_, err := s.UserByID(ctx, b.ID)
	wantErr(t, err, cohortly.ErrNotFound)
	l, err := s.LeadByID(ctx, id('b', 1))
	must(t, err)
	if l.AssignedTo != nil || l.AssignedToUser != nil {
		t.Fatalf("assigned_to not nulled: %+v", l)
	}
	wantErr(t, s.DeleteUser(ctx, b.ID), cohortly.ErrNotFound)
}

func tok(n int, user string, fam string, exp time.Time) cohortly.RefreshToken {
	return cohortly.RefreshToken{ID: id('t', n), UserID: user, Token: cohortly.HashRefreshToken(fmt.Sprint("tok-", n)),
		ExpiresAt: exp, CreatedAt: at(n), FamilyID: fam}
}

func rotate(s cohortly.Store, t *testing.T, user string, presented string, nextN int, now time.Time) (cohortly.RefreshToken, error) {
	next := tok(nextN, user, "", now.Add(7*24*time.Hour))
	next.CreatedAt = now
	return s.RotateRefreshToken(ctxT(t), cohortly.RotateRequest{UserID: user, Keys: cohortly.RefreshTokenKeys(presented), Next: next, Now: now})
}

func testRotation(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	u := mkUser(t, s, 1, cohortly.RoleStudent)
	other := mkUser(t, s, 2, cohortly.RoleStudent)
	first := tok(1, u.ID, id('t', 1), at(100000))
	must(t, s.CreateRefreshToken(ctx, first))
	wantErr(t, s.CreateRefreshToken(ctx, tok(1, u.ID, id('t', 1), at(100000))), cohortly.ErrConflict)
	bad := tok(50, "no-such-user", id('t', 50), at(1))
	wantErr(t, s.CreateRefreshToken(ctx, bad), cohortly.ErrMissingRef)

	// Another user's token is not found, and nothing changes.
	_, err := rotate(s, t, other.ID, "tok-1", 2, at(1000))
	wantErr(t, err, cohortly.ErrNotFound)
	_, err = rotate(s, t, u.ID, "tok-unknown", 2, at(1000))
	wantErr(t, err, cohortly.ErrNotFound)

	second, err := rotate(s, t, u.ID, "tok-1", 2, at(1000))
	must(t, err)
	if second.ID != id('t', 2) || second.FamilyID != id('t', 1) || second.Token != cohortly.HashRefreshToken("tok-2") || second.RotatedAt != nil {
		t.Fatalf("successor = %+v", second)
	}
	eqTime(t, "successor expires_at", second.ExpiresAt, at(1000).Add(7*24*time.Hour))
	third, err := rotate(s, t, u.ID, "tok-2", 3, at(2000))
	must(t, err)
	if third.FamilyID != id('t', 1) {
		t.Fatalf("third family = %q", third.FamilyID)
	}

	// Reusing an already rotated token revokes the whole family, the current token included.
	_, err = rotate(s, t, u.ID, "tok-1", 4, at(3000))
	wantErr(t, err, cohortly.ErrTokenReused)
	_, err = rotate(s, t, u.ID, "tok-3", 5, at(3000))
	wantErr(t, err, cohortly.ErrNotFound)

	// Expiry: expires_at <= now is expired, and the row is deleted.
	must(t, s.CreateRefreshToken(ctx, tok(10, u.ID, id('t', 10), at(5000))))
	_, err = rotate(s, t, u.ID, "tok-10", 11, at(5000))
	wantErr(t, err, cohortly.ErrTokenExpired)
	_, err = rotate(s, t, u.ID, "tok-10", 11, at(4000))
	wantErr(t, err, cohortly.ErrNotFound)
}

func testLegacyToken(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	u := mkUser(t, s, 1, cohortly.RoleStudent)
	const jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.legacy.sig"
	// A row as the legacy server writes it: plaintext token, no family, never rotated.
	must(t, s.CreateRefreshToken(ctx, cohortly.RefreshToken{ID: id('t', 1), UserID: u.ID, Token: jwt, ExpiresAt: at(100000), CreatedAt: at(1)}))
	next, err := rotate(s, t, u.ID, jwt, 2, at(1000))
	must(t, err)
	if next.FamilyID != id('t', 1) {
		t.Fatalf("legacy row's family should be its id, got %q", next.FamilyID)
	}
	// The plaintext is gone: the rotated legacy row now holds the hash, so its reuse is still detected.
	_, err = rotate(s, t, u.ID, jwt, 3, at(2000))
	wantErr(t, err, cohortly.ErrTokenReused)
	_, err = rotate(s, t, u.ID, "tok-2", 4, at(2000))
	wantErr(t, err, cohortly.ErrNotFound)

	// Logout with a legacy plaintext token revokes it.
	must(t, s.CreateRefreshToken(ctx, cohortly.RefreshToken{ID: id('t', 5), UserID: u.ID, Token: jwt + "2", ExpiresAt: at(100000), CreatedAt: at(1)}))
	n, err := s.RevokeRefreshToken(ctx, u.ID, cohortly.RefreshTokenKeys(jwt+"2"))
	must(t, err)
	if n != 1 {
		t.Fatalf("revoked %d, want 1", n)
	}
}

func testRotationRace(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	u := mkUser(t, s, 1, cohortly.RoleStudent)
	must(t, s.CreateRefreshToken(ctx, tok(1, u.ID, id('t', 1), at(1000000))))
	results := make([]cohortly.RefreshToken, 8)
	errs := race(8, func(i int) error {
		r, err := rotate(s, t, u.ID, "tok-1", 100+i, at(1000))
		results[i] = r
		return err
	})
	w := oneWinner(t, errs, cohortly.ErrTokenReused)
	if results[w].ID != id('t', 100+w) {
		t.Fatalf("winner returned %+v", results[w])
	}
	// The losers' reuse revoked the family, the winner's new token included.
	_, err := rotate(s, t, u.ID, fmt.Sprint("tok-", 100+w), 200, at(2000))
	wantErr(t, err, cohortly.ErrNotFound)
}

func testRevocation(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	u := mkUser(t, s, 1, cohortly.RoleStudent)
	v := mkUser(t, s, 2, cohortly.RoleStudent)
	must(t, s.CreateRefreshToken(ctx, tok(1, u.ID, id('t', 1), at(100000))))
	_, err := rotate(s, t, u.ID, "tok-1", 2, at(10)) // family t1 = {t1 rotated, t2}
	must(t, err)
	must(t, s.CreateRefreshToken(ctx, tok(3, u.ID, id('t', 3), at(100000)))) // second device
	must(t, s.CreateRefreshToken(ctx, tok(4, v.ID, id('t', 4), at(100000))))

	// Another user cannot revoke u's token.
	n, err := s.RevokeRefreshToken(ctx, v.ID, cohortly.RefreshTokenKeys("tok-2"))
	must(t, err)
	if n != 0 {
		t.Fatalf("cross-user revoke deleted %d", n)
	}
	n, err = s.RevokeRefreshToken(ctx, u.ID, cohortly.RefreshTokenKeys("tok-2"))
	must(t, err)
	if n != 2 {
		t.Fatalf("family revoke deleted %d, want 2", n)
	}
	n, err = s.RevokeRefreshToken(ctx, u.ID, cohortly.RefreshTokenKeys("tok-unknown"))
	must(t, err)
	if n != 0 {
		t.Fatalf("unknown revoke deleted %d", n)
	}
	// The other device survives; logout-all removes it.
	_, err = rotate(s, t, u.ID, "tok-3", 5, at(20))
	must(t, err)
	n, err = s.RevokeUserRefreshTokens(ctx, u.ID)
	must(t, err)
	if n != 2 {
		t.Fatalf("logout-all deleted %d, want 2", n)
	}
	// Housekeeping: only expired rows go.
	must(t, s.CreateRefreshToken(ctx, tok(6, v.ID, id('t', 6), at(50))))
	n, err = s.DeleteExpiredRefreshTokens(ctx, at(50))
	must(t, err)
	if n != 1 {
		t.Fatalf("expired deleted %d, want 1", n)
	}
	_, err = rotate(s, t, v.ID, "tok-4", 7, at(60))
	must(t, err)
}

func check(s cohortly.Store, t *testing.T, user string, presented string, now time.Time) (cohortly.RefreshToken, error) {
	return s.CheckRefreshToken(ctxT(t), user, cohortly.RefreshTokenKeys(presented), now)
}

func testCheckToken(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	u := mkUser(t, s, 1, cohortly.RoleStudent)
	other := mkUser(t, s, 2, cohortly.RoleStudent)
	must(t, s.CreateRefreshToken(ctx, tok(1, u.ID, id('t', 1), at(100000))))

	// The same token passes again and again: nothing is rotated, no successor appears.
	for i := range 3 {
		got, err := check(s, t, u.ID, "tok-1", at(1000+i))
		must(t, err)
		if got.ID != id('t', 1) || got.Token != cohortly.HashRefreshToken("tok-1") || got.RotatedAt != nil {
			t.Fatalf("check %d = %+v", i, got)
		}
	}
	_, err := check(s, t, other.ID, "tok-1", at(1000))
	wantErr(t, err, cohortly.ErrNotFound)
	_, err = check(s, t, u.ID, "tok-unknown", at(1000))
	wantErr(t, err, cohortly.ErrNotFound)
	wantErr(t, func() error { _, err := s.CheckRefreshToken(ctx, u.ID, nil, at(1000)); return err }(), cohortly.ErrNotFound)
	// Checking did not consume it: rotation still works on it afterwards.
	_, err = rotate(s, t, u.ID, "tok-1", 2, at(2000))
	must(t, err)

	// A token rotated while rotation was on is refused, and refusing it revokes nothing.
	_, err = check(s, t, u.ID, "tok-1", at(3000))
	wantErr(t, err, cohortly.ErrTokenReused)
	_, err = check(s, t, u.ID, "tok-2", at(3000))
	must(t, err)

	// Expiry: expires_at <= now is expired, and the row is deleted.
	must(t, s.CreateRefreshToken(ctx, tok(10, u.ID, id('t', 10), at(5000))))
	_, err = check(s, t, u.ID, "tok-10", at(4999))
	must(t, err)
	_, err = check(s, t, u.ID, "tok-10", at(5000))
	wantErr(t, err, cohortly.ErrTokenExpired)
	_, err = check(s, t, u.ID, "tok-10", at(4000))
	wantErr(t, err, cohortly.ErrNotFound)

	// Revocation ends it: logout of the family, logout-all.
	must(t, s.CreateRefreshToken(ctx, tok(20, u.ID, id('t', 20), at(100000))))
	_, err = s.RevokeRefreshToken(ctx, u.ID, cohortly.RefreshTokenKeys("tok-20"))
	must(t, err)
	_, err = check(s, t, u.ID, "tok-20", at(1000))
	wantErr(t, err, cohortly.ErrNotFound)
	_, err = s.RevokeUserRefreshTokens(ctx, u.ID)
	must(t, err)
	_, err = check(s, t, u.ID, "tok-2", at(3000))
	wantErr(t, err, cohortly.ErrNotFound)

	// A legacy plaintext row is accepted and from then on stored under its hash only.
	const jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.legacy.sig"
	must(t, s.CreateRefreshToken(ctx, cohortly.RefreshToken{ID: id('t', 30), UserID: u.ID, Token: jwt, ExpiresAt: at(100000), CreatedAt: at(1)}))
	for i := range 2 {
		got, err := check(s, t, u.ID, jwt, at(1000))
		must(t, err)
		if got.ID != id('t', 30) || got.Token != cohortly.HashRefreshToken(jwt) {
			t.Fatalf("legacy check %d = %+v", i, got)
		}
	}
	_, err = s.CheckRefreshToken(ctx, u.ID, []string{jwt}, at(1000)) // the plaintext alone no longer matches
	wantErr(t, err, cohortly.ErrNotFound)
}
