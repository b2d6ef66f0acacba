package cohortly

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly/mail"
	"github.com/momentum-cohortly/backends/internal/platform/auth"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/ratelimit"
)

// Deps are the Service's collaborators; Store and Clock are required.
type Deps struct {
	Store  Store
	Clock  clock.Clock
	Logger *slog.Logger // nil: discard
	// Limits guards login, register and refresh; nil disables rate limiting.
	Limits *ratelimit.LoginPolicy
	// Mailer sends the welcome email when Config.EmailEnabled; nil means none.
	Mailer mail.Mailer
	// StudentDBCheck pings the student database for /student/db-test.
	StudentDBCheck func(ctx context.Context) error
}

// Config holds the Service's settings; cmd/cohortly fills it from the environment.
type Config struct {
	AccessSecret  []byte        // required
	RefreshSecret []byte        // required
	AccessTTL     time.Duration // default 15 min
	RefreshTTL    time.Duration // default 7 days
	BcryptCost    int           // default 10

	EmailEnabled bool

	// KeepRefreshToken (REFRESH_TOKEN_ROTATION=off) makes refresh answer with an access token only and
	// leave the presented refresh token valid until it expires or is revoked, as the legacy server did:
	// its shipped frontend keeps sending the login's refresh token. No reuse detection then.
	KeepRefreshToken bool

	// StudentDBURL is the read-only database handed to students (STUDENT_DB_URL); empty disables
	// /student/db-* with 503.
	StudentDBURL string
}

// Service applies Cohortly's business rules and authorization on top of a Store.
type Service struct {
	store      Store
	clock      clock.Clock
	log        *slog.Logger
	access     *auth.JWT
	refresh    *auth.JWT
	accessTTL  time.Duration
	refreshTTL time.Duration
	cost       int
	limits     *ratelimit.LoginPolicy
	mailer     mail.Mailer
	emailOn    bool
	studentDB  string
	studentChk func(ctx context.Context) error
	verified   *auth.VerifiedCache[AccessToken]
	keepRT     bool

	bg sync.WaitGroup // background work (emails) finished by Close
}

// New returns a Service on its dependencies with its settings (the shape of momentum.New).
func New(d Deps, cfg Config) (*Service, error) {
	if d.Store == nil || d.Clock == nil {
		return nil, errors.New("cohortly: Store and Clock are required")
	}
	if len(cfg.AccessSecret) == 0 || len(cfg.RefreshSecret) == 0 {
		return nil, errors.New("cohortly: JWT secrets are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.AccessTTL <= 0 {
		cfg.AccessTTL = 15 * time.Minute
	}
	if cfg.RefreshTTL <= 0 {
		cfg.RefreshTTL = 7 * 24 * time.Hour
	}
	if cfg.BcryptCost == 0 {
		cfg.BcryptCost = 10
	}
	return &Service{
		store: d.Store, clock: d.Clock, log: d.Logger,
		access: auth.NewJWT(cfg.AccessSecret, d.Clock), refresh: auth.NewJWT(cfg.RefreshSecret, d.Clock),
		accessTTL: cfg.AccessTTL, refreshTTL: cfg.RefreshTTL, cost: cfg.BcryptCost, limits: d.Limits,
		mailer: d.Mailer, emailOn: cfg.EmailEnabled && d.Mailer != nil,
		studentDB: cfg.StudentDBURL, studentChk: d.StudentDBCheck,
		verified: auth.NewVerifiedCache[AccessToken](10000), keepRT: cfg.KeepRefreshToken,
	}, nil
}

// Close waits for background work (welcome emails) to finish.
func (s *Service) Close() { s.bg.Wait() }

// Ping checks the database (health).
func (s *Service) Ping(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// Now is the service clock, in the precision of the database.
func (s *Service) Now() time.Time { return Millis(s.clock.Now()) }

// Store exposes the store (seed command, tests).
func (s *Service) Store() Store { return s.store }

// goBackground runs f detached from the request (its end does not cancel f), bounded in time, tracked
// for Close. f keeps the request's values: its trace (f's spans and log lines join the request's)
// and request id.
func (s *Service) goBackground(req context.Context, name string, f func(ctx context.Context) error) {
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(req), 30*time.Second)
		defer cancel()
		if err := f(ctx); err != nil {
			s.log.WarnContext(ctx, name+" failed", slog.String("error", err.Error()))
		}
	}()
}
