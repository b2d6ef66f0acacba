package momentum

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/momentum-cohortly/backends/internal/platform/apperr"
	"github.com/momentum-cohortly/backends/internal/platform/auth"
	"github.com/momentum-cohortly/backends/internal/platform/ratelimit"
)

// Claims is the token payload: the legacy keys (user_id, email, role, impersonating_restaurant_id, iat,
// exp), so tokens keep the shape the client and any tooling know, plus sid, the server-side session of an
// impersonation token.
type Claims struct {
	UserID                    int64  `json:"user_id"`
	Email                     string `json:"email"`
	Role                      string `json:"role"`
	ImpersonatingRestaurantID *int64 `json:"impersonating_restaurant_id,omitempty"`
	SessionID                 string `json:"sid,omitempty"`
	jwt.RegisteredClaims
}

// Principal is the authenticated caller, as the database (not the token) describes them.
type Principal struct {
	User User
	// Restaurant is the user's own restaurant (restaurant users), loaded with the user.
	Restaurant *Restaurant
	// Impersonating is the restaurant an admin acts as, or 0.
	Impersonating int64
	SessionID     string
}

// Authenticate turns a bearer token into a Principal. The user is loaded on every request, so a deleted
// user or a changed role takes effect at once; an impersonation token is only good while its session
// exists.
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	c, err := s.claims(token)
	if err != nil {
		return nil, err
	}
	u, own, err := s.store.Account(ctx, c.UserID)
	if errors.Is(err, ErrNotFound) {
		return nil, forbidden(MsgInvalidToken)
	}
	if err != nil {
		return nil, fmt.Errorf("load user %d: %w", c.UserID, err)
	}
	p := &Principal{User: u, Restaurant: own}
	if c.ImpersonatingRestaurantID != nil || c.SessionID != "" {
		if c.SessionID == "" || c.ImpersonatingRestaurantID == nil || u.Role != RoleAdmin {
			return nil, forbidden(MsgInvalidToken)
		}
		sess, err := s.store.SessionByID(ctx, c.SessionID, s.clk.Now())
		if errors.Is(err, ErrNotFound) {
			return nil, forbidden(MsgInvalidToken)
		}
		if err != nil {
			return nil, fmt.Errorf("load session: %w", err)
		}
		if sess.UserID != u.ID || sess.ImpersonatingRestaurantID == nil || *sess.ImpersonatingRestaurantID != *c.ImpersonatingRestaurantID {
			return nil, forbidden(MsgInvalidToken)
		}
		p.Impersonating = *sess.ImpersonatingRestaurantID
		p.SessionID = sess.ID
	}
	return p, nil
}

// claims verifies token (a verified token is kept until it expires).
func (s *Service) claims(token string) (Claims, error) {
	if token == "" {
		return Claims{}, &apperr.Error{Kind: apperr.KindUnauthenticated, Message: MsgTokenRequired}
	}
	c, ok := s.tokens.Get(token, s.clk.Now())
	if !ok {
		if err := s.jwt.Parse(token, &c); err != nil || c.UserID <= 0 {
			return Claims{}, forbidden(MsgInvalidToken)
		}
		s.tokens.Put(token, c, c.ExpiresAt.Time)
	}
	return c, nil
}

func (s *Service) sign(u User, impersonating *int64, sid string, exp time.Time) (string, error) {
	now := s.clk.Now()
	return s.jwt.Sign(Claims{
		UserID: u.ID, Email: u.Email, Role: u.Role,
		ImpersonatingRestaurantID: impersonating, SessionID: sid,
		RegisteredClaims: jwt.RegisteredClaims{
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
	})
}

// RegisterInput is the registration form. Address and Phone keep the difference between absent (nil
// pointer, Set false) and null, because the legacy response echoes them exactly as sent.
type RegisterInput struct {
	Email, Password, RestaurantName string
	Address, Phone                  Optional
}

// Optional is a string field that may be absent, null or a value.
type Optional struct {
	Set   bool
	Value *string
}

// Registered is the outcome of a registration.
type Registered struct {
	Token      string
	User       User
	Restaurant Restaurant
}

// Limits on account fields.
const (
	MaxEmailLen       = 254
	MinPasswordLen    = 8
	MaxNameLen        = 200
	MaxAddressLen     = 500
	MaxPhoneLen       = 40
	MsgFieldsRequired = "Email, password, and restaurant name are required"
)

// Register creates a restaurant account: user, restaurant and its four default tasks, atomically.
func (s *Service) Register(ctx context.Context, in RegisterInput) (Registered, error) {
	email := strings.TrimSpace(in.Email)
	name := strings.TrimSpace(in.RestaurantName)
	if email == "" || in.Password == "" || name == "" {
		return Registered{}, invalid(MsgFieldsRequired)
	}
	if len(email) > MaxEmailLen {
		return Registered{}, invalid("Email is too long")
	}
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		return Registered{}, invalid("Email address is not valid")
	}
	if len([]rune(in.Password)) < MinPasswordLen {
		return Registered{}, invalid(fmt.Sprintf("Password must be at least %d characters", MinPasswordLen))
	}
	if len(in.Password) > auth.MaxPasswordBytes {
		return Registered{}, invalid("Password must be at most 72 bytes")
	}
	if len([]rune(name)) > MaxNameLen {
		return Registered{}, invalid(fmt.Sprintf("Restaurant name must be at most %d characters", MaxNameLen))
	}
	if v := in.Address.Value; v != nil && len([]rune(*v)) > MaxAddressLen {
		return Registered{}, invalid(fmt.Sprintf("Address must be at most %d characters", MaxAddressLen))
	}
	if v := in.Phone.Value; v != nil && len([]rune(*v)) > MaxPhoneLen {
		return Registered{}, invalid(fmt.Sprintf("Phone must be at most %d characters", MaxPhoneLen))
	}
	hash, err := s.passwords.Hash(in.Password)
	if err != nil {
		return Registered{}, fmt.Errorf("register %s: %w", email, err)
	}
	u, r, err := s.store.CreateAccount(ctx, NewAccount{
		Email: NormalizeEmail(email), PasswordHash: hash, RestaurantName: name,
		Address: in.Address.Value, Phone: in.Phone.Value, Now: s.now(),
	})
	if errors.Is(err, ErrConflict) {
		return Registered{}, &apperr.Error{Kind: apperr.KindConflict, Message: "User already exists with this email"}
	}
	if err != nil {
		return Registered{}, fmt.Errorf("register %s: %w", email, err)
	}
	tok, err := s.sign(u, nil, "", s.clk.Now().Add(s.cfg.TokenTTL))
	if err != nil {
		return Registered{}, err
	}
	s.log.InfoContext(ctx, "account registered", slog.Int64("user_id", u.ID), slog.Int64("restaurant_id", r.ID))
	return Registered{Token: tok, User: u, Restaurant: r}, nil
}

// LoginResult is a successful login. Restaurant is nil for admins and for restaurant users without a
// restaurant row.
type LoginResult struct {
	Token      string
	User       User
	Restaurant *Restaurant
}

// Login checks credentials under the brute-force policy. Unknown emails cost one bcrypt comparison like
// wrong passwords, so response time does not reveal which accounts exist.
func (s *Service) Login(ctx context.Context, email, password, clientAddr string) (LoginResult, error) {
	if strings.TrimSpace(email) == "" || password == "" {
		return LoginResult{}, invalid("Email and password are required")
	}
	account := NormalizeEmail(email)
	if len(account) > MaxEmailLen {
		return LoginResult{}, &apperr.Error{Kind: apperr.KindUnauthenticated, Message: MsgInvalidCredentials}
	}
	d, err := s.login.Attempt(ctx, clientAddr, account)
	if err != nil {
		return LoginResult{}, err
	}
	if !d.Allowed {
		s.log.WarnContext(ctx, "login rate limited", slog.String("reason", d.Reason), slog.String("ip", clientAddr))
		return LoginResult{}, &apperr.Error{Kind: apperr.KindRateLimited, RetryAfter: d.RetryAfter,
			Message: fmt.Sprintf("Too many login attempts. Try again in %d seconds.", ratelimit.RetryAfterSeconds(d.RetryAfter))}
	}
	u, err := s.store.UserByEmail(ctx, account)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return LoginResult{}, fmt.Errorf("login: %w", err)
	}
	// An unknown email (u is zero) still costs one comparison, so timing does not reveal accounts.
	// A failure is already counted: Attempt counted it before the check.
	if !s.passwords.Check(u.PasswordHash, password) || u.ID == 0 {
		return LoginResult{}, &apperr.Error{Kind: apperr.KindUnauthenticated, Message: MsgInvalidCredentials}
	}
	if err := s.login.Succeeded(ctx, account); err != nil {
		return LoginResult{}, err
	}
	res := LoginResult{User: u}
	if u.Role == RoleRestaurant {
		r, err := s.store.RestaurantByUser(ctx, u.ID)
		switch {
		case err == nil:
			res.Restaurant = &r
		case !errors.Is(err, ErrNotFound):
			return LoginResult{}, fmt.Errorf("login: restaurant of user %d: %w", u.ID, err)
		}
	}
	if res.Token, err = s.sign(u, nil, "", s.clk.Now().Add(s.cfg.TokenTTL)); err != nil {
		return LoginResult{}, err
	}
	return res, nil
}

// Me describes the caller: the user, their restaurant when the role is restaurant, and the restaurant
// being impersonated, if any.
type Me struct {
	User          User
	Restaurant    *Restaurant
	Impersonating *int64
}

// Me returns the caller's profile.
func (s *Service) Me(ctx context.Context, p *Principal) (Me, error) {
	if err := Can(p, ActProfile); err != nil {
		return Me{}, err
	}
	m := Me{User: p.User}
	if p.Impersonating != 0 {
		id := p.Impersonating
		m.Impersonating = &id
	}
	if p.User.Role == RoleRestaurant {
		m.Restaurant = p.Restaurant
	}
	return m, nil
}

func newSessionID() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Impersonation is a started impersonation.
type Impersonation struct {
	Token      string
	Restaurant Restaurant
}

// Impersonate starts a server-side impersonation session of the restaurant ref names for an admin. A session the
// admin was already in is ended first, so one token is live at a time.
func (s *Service) Impersonate(ctx context.Context, p *Principal, ref RestaurantRef) (Impersonation, error) {
	if err := Can(p, ActImpersonate); err != nil {
		return Impersonation{}, err
	}
	restaurantID := ref.ID
	if ref.Me {
		restaurantID = p.Impersonating // "me" of an admin who is not impersonating names no restaurant: 404
	}
	r, err := s.store.RestaurantByID(ctx, restaurantID)
	if errors.Is(err, ErrNotFound) {
		return Impersonation{}, notFound(MsgRestaurantNotFound)
	}
	if err != nil {
		return Impersonation{}, fmt.Errorf("impersonate %d: %w", restaurantID, err)
	}
	if p.SessionID != "" {
		if err := s.endSession(ctx, p); err != nil {
			return Impersonation{}, err
		}
	}
	now := s.now()
	sess := Session{ID: newSessionID(), UserID: p.User.ID, ImpersonatingRestaurantID: &r.ID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.TokenTTL)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return Impersonation{}, fmt.Errorf("impersonate %d: create session: %w", restaurantID, err)
	}
	if err := s.audit(ctx, p.User, r.ID, sess.ID, "start", now); err != nil {
		return Impersonation{}, err
	}
	tok, err := s.sign(p.User, &r.ID, sess.ID, sess.ExpiresAt)
	if err != nil {
		return Impersonation{}, err
	}
	return Impersonation{Token: tok, Restaurant: r}, nil
}

// EndImpersonation deletes the caller's impersonation session (its token stops working at once) and
// returns a plain admin token.
func (s *Service) EndImpersonation(ctx context.Context, p *Principal) (string, error) {
	if err := Can(p, ActImpersonate); err != nil {
		return "", err
	}
	if p.SessionID != "" {
		if err := s.endSession(ctx, p); err != nil {
			return "", err
		}
	}
	return s.sign(p.User, nil, "", s.clk.Now().Add(s.cfg.TokenTTL))
}

func (s *Service) endSession(ctx context.Context, p *Principal) error {
	if err := s.store.DeleteSession(ctx, p.SessionID); err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("end impersonation session: %w", err)
	}
	return s.audit(ctx, p.User, p.Impersonating, p.SessionID, "end", s.now())
}

func (s *Service) audit(ctx context.Context, admin User, restaurantID int64, sid, action string, at time.Time) error {
	s.log.InfoContext(ctx, "impersonation", slog.String("action", action), slog.Int64("admin_user_id", admin.ID),
		slog.String("admin_email", admin.Email), slog.Int64("restaurant_id", restaurantID))
	err := s.store.LogImpersonation(ctx, ImpersonationEvent{AdminUserID: admin.ID, AdminEmail: admin.Email, RestaurantID: restaurantID, SessionID: sid, Action: action, At: at})
	if err != nil {
		return fmt.Errorf("record impersonation %s: %w", action, err)
	}
	return nil
}
