package cohortly

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/momentum-cohortly/backends/internal/cohortly/mail"
	"github.com/momentum-cohortly/backends/internal/platform/apperr"
	"github.com/momentum-cohortly/backends/internal/platform/auth"
)

// Token types carried in the "type" claim. Legacy tokens have no type: they are accepted by the secret
// that verifies them (the two legacy secrets differ), and a typed token is only accepted for its use,
// so a refresh token can never serve as an access token even when an operator sets both secrets equal.
const (
	TokenAccess  = "access"
	TokenRefresh = "refresh"
)

// Claims is the JWT payload: the legacy {id, email, role, iat, exp} plus type and jti.
type Claims struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Role  Role   `json:"role"`
	Type  string `json:"type,omitempty"`
	jwt.RegisteredClaims
}

// Principal is the authenticated caller of a request: the user as the database has it now, and the
// token's times (GET /auth/me returns them as iat and exp).
type Principal struct {
	User      User
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// Token returns the access token the principal was authenticated with.
func (p *Principal) Token() AccessToken {
	return AccessToken{UserID: p.User.ID, IssuedAt: p.IssuedAt, ExpiresAt: p.ExpiresAt}
}

// AccessToken is a verified access token: signature, type and expiry are checked, the user it names
// is not read yet. List reads take one and read that user together with their page (see Listed).
type AccessToken struct {
	UserID    string
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// Authenticate checks an Authorization header value and loads the caller from the database, so a
// deactivated or deleted user, or a changed role, takes effect at once.
func (s *Service) Authenticate(ctx context.Context, header string) (*Principal, error) {
	t, err := s.VerifyAccess(header)
	if err != nil {
		return nil, err
	}
	return s.principal(ctx, t)
}

// VerifyAccess checks an Authorization header value without reading the database: the caller still
// has to be read and admitted before anything is done for them.
func (s *Service) VerifyAccess(header string) (AccessToken, error) {
	tok, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || tok == "" {
		return AccessToken{}, errKind(apperr.KindUnauthenticated, MsgAuthRequired)
	}
	t, ok := s.verified.Get(tok, s.clock.Now())
	if !ok {
		var c Claims
		if err := s.access.Parse(tok, &c); err != nil || (c.Type != "" && c.Type != TokenAccess) || c.ID == "" || c.ExpiresAt == nil {
			return AccessToken{}, errKind(apperr.KindUnauthenticated, MsgInvalidToken)
		}
		t = AccessToken{UserID: c.ID, ExpiresAt: c.ExpiresAt.Time}
		if c.IssuedAt != nil {
			t.IssuedAt = c.IssuedAt.Time
		}
		s.verified.Put(tok, t, t.ExpiresAt)
	}
	return t, nil
}

// principal reads the holder of t and admits them. The user is read on every request (a primary-key
// lookup, or part of a list read's round trip), never cached: deactivation, deletion and role changes
// take effect at once.
func (s *Service) principal(ctx context.Context, t AccessToken) (*Principal, error) {
	u, err := s.store.UserByID(ctx, t.UserID)
	return s.admit(t, u, err)
}

// admit turns the read of t's user (u, or the error the read failed with) into the principal.
func (s *Service) admit(t AccessToken, u User, err error) (*Principal, error) {
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, errKind(apperr.KindUnauthenticated, MsgInvalidToken)
		}
		return nil, internal(err, "load user %s", t.UserID)
	}
	if !u.IsActive {
		return nil, errKind(apperr.KindUnauthenticated, MsgInactive)
	}
	return &Principal{User: u, IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt}, nil
}

// AuthorizeThen returns err, a refusal of the request itself (validation), after the checks every
// request passes first: a 401 or 403 answers before a 400, as on every other route. The list routes,
// which read their caller with the page, call it for a request refused before that read: one user
// read, no page.
func (s *Service) AuthorizeThen(ctx context.Context, t AccessToken, act Action, err error) error {
	p, aerr := s.principal(ctx, t)
	if aerr != nil {
		return aerr
	}
	if aerr := Can(&p.User, act); aerr != nil {
		return aerr
	}
	return err
}

// viewed admits the viewer a list read returned (or the error the read failed with: ErrNotFound is
// the viewer's) and checks the action: a page read ahead of these checks is only returned when they
// pass.
func (s *Service) viewed(t AccessToken, viewer User, err error, act Action) error {
	if err != nil && !errors.Is(err, ErrNotFound) {
		return internal(err, "list for user %s", t.UserID)
	}
	p, err := s.admit(t, viewer, err)
	if err != nil {
		return err
	}
	return Can(&p.User, act)
}

// Session is what register, login and refresh hand back.
type Session struct {
	User         User
	AccessToken  string
	RefreshToken string
}

// RegisterInput is the body of POST /auth/register; nil means absent.
type RegisterInput struct {
	Email    *string
	Password *string
	FullName *string
	Phone    *string
	Role     *string
}

// Register creates a user. Without an ADMIN caller the user is always a STUDENT (a requested role is
// validated and then ignored): public self-registration must not mint staff accounts (contract B1).
func (s *Service) Register(ctx context.Context, caller *User, in RegisterInput, clientAddr string) (Session, error) {
	if err := s.checkAddress(ctx, clientAddr); err != nil {
		return Session{}, err
	}
	var fe fieldErrs
	email := validEmail(&fe, in.Email)
	password := ""
	switch {
	case in.Password == nil || len(*in.Password) < 8:
		fe.add("password", "Password must be at least 8 characters", nil, false)
	case len(*in.Password) > auth.MaxPasswordBytes:
		fe.add("password", "Password must be at most 72 bytes", nil, false)
	default:
		password = *in.Password
	}
	fullName, _ := trimmed(in.FullName)
	if fullName == "" {
		fe.add("fullName", "Full name is required", strOrNil(in.FullName), in.FullName != nil)
	}
	phone := validPhone(&fe, "phone", in.Phone)
	role := RoleStudent
	if in.Role != nil {
		r := Role(*in.Role)
		if !r.Valid() {
			fe.add("role", "Invalid role", *in.Role, true)
		} else if caller != nil && caller.Role == RoleAdmin {
			role = r
		}
	}
	if err := fe.err(); err != nil {
		return Session{}, err
	}
	hash, err := auth.HashPassword(password, s.cost)
	if err != nil {
		return Session{}, internal(err, "hash password")
	}
	now := s.Now()
	u := User{ID: NewID(), Email: email, PasswordHash: hash, Role: role, FullName: fullName, Phone: phone,
		IsActive: true, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if errors.Is(err, ErrConflict) {
			// Legacy status and text: the frontend shows this message.
			return Session{}, errKind(apperr.KindInvalid, "User with this email already exists")
		}
		return Session{}, internal(err, "create user")
	}
	// The legacy flipped matching leads to ENROLLED on any STUDENT registration, which let anyone alter
	// sales data by registering someone's address (B6). Only a registration by staff does it now.
	if role == RoleStudent && caller != nil && caller.Role == RoleAdmin {
		if _, err := s.store.EnrollLeadsByEmail(ctx, email, now); err != nil {
			s.log.WarnContext(ctx, "enroll leads of new student", "error", err.Error())
		}
	}
	if s.emailOn {
		to, name := u.Email, u.FullName
		s.goBackground(ctx, "welcome email", func(ctx context.Context) error {
			return s.mailer.Send(ctx, mail.Message{To: to, ToName: name, Subject: "Welcome to Cohortly",
				Text: "Hi " + name + ",\n\nYour Cohortly account is ready. You can log in with " + to + ".\n",
				HTML: "<p>Hi " + htmlEscape(name) + ",</p><p>Your Cohortly account is ready. You can log in with " + htmlEscape(to) + ".</p>"})
		})
	}
	return s.issue(ctx, u, now)
}

// LoginInput is the body of POST /auth/login.
type LoginInput struct {
	Email    *string
	Password *string
}

// Login checks credentials. Failures are counted per account and attempts per client address.
func (s *Service) Login(ctx context.Context, in LoginInput, clientAddr string) (Session, error) {
	var fe fieldErrs
	email := validEmail(&fe, in.Email)
	if in.Password == nil || *in.Password == "" {
		fe.add("password", "Password is required", nil, false)
	}
	if err := fe.err(); err != nil {
		return Session{}, err
	}
	if s.limits != nil {
		d, err := s.limits.Attempt(ctx, clientAddr, email)
		if err != nil {
			return Session{}, internal(err, "rate limit login")
		}
		if !d.Allowed {
			return Session{}, &apperr.Error{Kind: apperr.KindRateLimited, Message: MsgTooManyRequests, RetryAfter: d.RetryAfter}
		}
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Session{}, internal(err, "load user by email")
	}
	// An unknown email still costs one bcrypt comparison (empty hash), so timing does not reveal accounts.
	// A failure is already counted: Attempt counted it before the check.
	if !auth.CheckPassword(u.PasswordHash, *in.Password) {
		return Session{}, errKind(apperr.KindUnauthenticated, MsgInvalidCredentials)
	}
	// Checked after the password (the legacy checked before it, which told strangers which accounts exist).
	if !u.IsActive {
		return Session{}, errKind(apperr.KindUnauthenticated, MsgInactive)
	}
	if s.limits != nil {
		if err := s.limits.Succeeded(ctx, email); err != nil {
			s.log.WarnContext(ctx, "reset login failures", "error", err.Error())
		}
	}
	return s.issue(ctx, u, s.Now())
}

// issue signs a new access token and starts a new refresh-token family.
func (s *Service) issue(ctx context.Context, u User, now time.Time) (Session, error) {
	access, err := s.signAccess(u, now)
	if err != nil {
		return Session{}, err
	}
	id := NewID()
	refresh, rt, err := s.signRefresh(u, id, now)
	if err != nil {
		return Session{}, err
	}
	rt.FamilyID = id
	if err := s.store.CreateRefreshToken(ctx, rt); err != nil {
		return Session{}, internal(err, "store refresh token")
	}
	return Session{User: u, AccessToken: access, RefreshToken: refresh}, nil
}

func (s *Service) signAccess(u User, now time.Time) (string, error) {
	c := Claims{ID: u.ID, Email: u.Email, Role: u.Role, Type: TokenAccess, RegisteredClaims: jwt.RegisteredClaims{
		ID:        NewID(),
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(s.accessTTL)),
	}}
	tok, err := s.access.Sign(c)
	if err != nil {
		return "", internal(err, "sign access token")
	}
	return tok, nil
}

// signRefresh signs a refresh token whose jti is the id of its refresh_tokens row; the random jti is what
// makes two logins in the same second produce different tokens (legacy bug B4.1).
func (s *Service) signRefresh(u User, rowID string, now time.Time) (string, RefreshToken, error) {
	exp := now.Add(s.refreshTTL)
	c := Claims{ID: u.ID, Email: u.Email, Role: u.Role, Type: TokenRefresh, RegisteredClaims: jwt.RegisteredClaims{
		ID:        rowID,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
	}}
	tok, err := s.refresh.Sign(c)
	if err != nil {
		return "", RefreshToken{}, internal(err, "sign refresh token")
	}
	return tok, RefreshToken{ID: rowID, UserID: u.ID, Token: HashRefreshToken(tok), ExpiresAt: Millis(exp), CreatedAt: now}, nil
}

// Refresh exchanges a refresh token for a new access token and a new refresh token (rotation). The used
// token stops working; presenting it again revokes every token of its family. With KeepRefreshToken
// it returns an access token only (Session.RefreshToken empty) and the presented token stays valid.
func (s *Service) Refresh(ctx context.Context, token *string, clientAddr string) (Session, error) {
	if token == nil || strings.TrimSpace(*token) == "" {
		return Session{}, errValidation(apperr.FieldError{Path: "refreshToken", Msg: "Refresh token is required", Location: "body"})
	}
	if err := s.checkAddress(ctx, clientAddr); err != nil {
		return Session{}, err
	}
	var c Claims
	if err := s.refresh.Parse(*token, &c); err != nil || (c.Type != "" && c.Type != TokenRefresh) || c.ID == "" {
		return Session{}, errKind(apperr.KindUnauthenticated, "Invalid refresh token")
	}
	u, err := s.store.UserByID(ctx, c.ID)
	if errors.Is(err, ErrNotFound) {
		return Session{}, errKind(apperr.KindUnauthenticated, "Invalid refresh token")
	}
	if err != nil {
		return Session{}, internal(err, "load user %s", c.ID)
	}
	if !u.IsActive {
		_, _ = s.store.RevokeUserRefreshTokens(ctx, u.ID)
		return Session{}, errKind(apperr.KindUnauthenticated, MsgInactive)
	}
	now := s.Now()
	var next string
	if s.keepRT {
		_, err = s.store.CheckRefreshToken(ctx, u.ID, RefreshTokenKeys(*token), now)
	} else {
		var nextRow RefreshToken
		next, nextRow, err = s.signRefresh(u, NewID(), now)
		if err != nil {
			return Session{}, err
		}
		_, err = s.store.RotateRefreshToken(ctx, RotateRequest{UserID: u.ID, Keys: RefreshTokenKeys(*token), Next: nextRow, Now: now})
	}
	switch {
	case errors.Is(err, ErrNotFound):
		return Session{}, errKind(apperr.KindUnauthenticated, "Refresh token not found")
	case errors.Is(err, ErrTokenExpired):
		return Session{}, errKind(apperr.KindUnauthenticated, "Refresh token expired")
	case errors.Is(err, ErrTokenReused):
		if !s.keepRT {
			s.log.WarnContext(ctx, "refresh token reuse: family revoked", "user_id", u.ID)
		}
		return Session{}, errKind(apperr.KindUnauthenticated, "Refresh token has already been used")
	case err != nil:
		return Session{}, internal(err, "refresh token")
	}
	access, err := s.signAccess(u, now)
	if err != nil {
		return Session{}, err
	}
	return Session{User: u, AccessToken: access, RefreshToken: next}, nil
}

// Logout revokes the given refresh token's family; with no token it revokes every session of the
// caller, as the legacy did (contract §7 keeps the logout semantics).
func (s *Service) Logout(ctx context.Context, p *Principal, token *string) error {
	if token == nil || *token == "" {
		return s.LogoutAll(ctx, p)
	}
	if _, err := s.store.RevokeRefreshToken(ctx, p.User.ID, RefreshTokenKeys(*token)); err != nil {
		return internal(err, "revoke refresh token")
	}
	return nil
}

// LogoutAll revokes every refresh token of the caller.
func (s *Service) LogoutAll(ctx context.Context, p *Principal) error {
	if _, err := s.store.RevokeUserRefreshTokens(ctx, p.User.ID); err != nil {
		return internal(err, "revoke refresh tokens")
	}
	return nil
}

// UpdateMeInput is the body of PUT /auth/me.
type UpdateMeInput struct {
	FullName        *string
	Phone           Opt[*string]
	Password        *string
	CurrentPassword *string
}

// UpdateMe changes the caller's name, phone or password. A new password needs the current one and ends
// every other session (all refresh tokens are revoked).
func (s *Service) UpdateMe(ctx context.Context, p *Principal, in UpdateMeInput) (User, error) {
	var fe fieldErrs
	var patch UserPatch
	if in.FullName != nil {
		if n := strings.TrimSpace(*in.FullName); n == "" {
			fe.add("fullName", "Full name is required", *in.FullName, true)
		} else {
			patch.FullName = Some(n)
		}
	}
	if in.Phone.Set {
		patch.Phone = Some(validPhone(&fe, "phone", in.Phone.V))
	}
	if in.Password != nil {
		switch {
		case len(*in.Password) < 8:
			fe.add("password", "Password must be at least 8 characters", nil, false)
		case len(*in.Password) > auth.MaxPasswordBytes:
			fe.add("password", "Password must be at most 72 bytes", nil, false)
		case in.CurrentPassword == nil || !auth.CheckPassword(p.User.PasswordHash, *in.CurrentPassword):
			fe.add("currentPassword", "Current password is incorrect", nil, false)
		default:
			h, err := auth.HashPassword(*in.Password, s.cost)
			if err != nil {
				return User{}, internal(err, "hash password")
			}
			patch.PasswordHash = Some(h)
		}
	}
	if err := fe.err(); err != nil {
		return User{}, err
	}
	u, err := s.store.UpdateUser(ctx, p.User.ID, patch, s.Now())
	if err != nil {
		return User{}, storeErr(err, "User not found", "update user")
	}
	if patch.PasswordHash.Set {
		if _, err := s.store.RevokeUserRefreshTokens(ctx, u.ID); err != nil {
			return User{}, internal(err, "revoke sessions after password change")
		}
	}
	return u, nil
}

// checkAddress applies the per-address limit of the auth endpoints.
func (s *Service) checkAddress(ctx context.Context, addr string) error {
	if s.limits == nil || addr == "" {
		return nil
	}
	d, err := s.limits.Attempt(ctx, addr, "")
	if err != nil {
		return internal(err, "rate limit")
	}
	if !d.Allowed {
		return &apperr.Error{Kind: apperr.KindRateLimited, Message: MsgTooManyRequests, RetryAfter: d.RetryAfter}
	}
	return nil
}

// validEmail applies isEmail + normalizeEmail ("Valid email is required").
func validEmail(fe *fieldErrs, in *string) string {
	if in == nil || !IsEmail(*in) {
		fe.add("email", "Valid email is required", strOrNil(in), in != nil)
		return ""
	}
	e, ok := NormalizeEmail(*in)
	if !ok {
		fe.add("email", "Valid email is required", *in, true)
		return ""
	}
	return e
}

// validPhone treats absent, null and "" as no phone (the frontend sends ""), else checks the format.
func validPhone(fe *fieldErrs, path string, in *string) *string {
	if in == nil {
		return nil
	}
	v := strings.TrimSpace(*in)
	if v == "" {
		return nil
	}
	if !ValidPhone(v) {
		fe.add(path, "Invalid phone number", *in, true)
		return nil
	}
	return &v
}

func strOrNil(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace(s)
}

// String helps logs.
func (p *Principal) String() string { return fmt.Sprintf("%s(%s)", p.User.ID, p.User.Role) }
