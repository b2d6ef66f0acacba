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

// Config holds the Service's dependencies and settings; cmd/cohortly fills it from the environment.
type Config struct {
	Store  Store
	Clock  clock.Clock
	Logger *slog.Logger

	AccessSecret  []byte
	RefreshSecret []byte
	AccessTTL     time.Duration // default 15 min
	RefreshTTL    time.Duration // default 7 days
	BcryptCost    int           // default 10

	// Limits guards login, register and refresh; nil disables rate limiting.
	Limits *ratelimit.LoginPolicy

	// Mailer sends the welcome email when EmailEnabled; nil means none.
	Mailer       mail.Mailer
	EmailEnabled bool

	// StudentDB is the read-only database handed to students (STUDENT_DB_URL); empty disables
	// /student/db-* with 503. StudentDBCheck pings it for /student/db-test.
	StudentDBURL   string
	StudentDBCheck func(ctx context.Context) error
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

	bg sync.WaitGroup // background work (emails) finished by Close
}

// New returns a Service. Store, Clock and both secrets are required.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Clock == nil {
		return nil, errors.New("cohortly: Store and Clock are required")
	}
	if len(cfg.AccessSecret) == 0 || len(cfg.RefreshSecret) == 0 {
		return nil, errors.New("cohortly: JWT secrets are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
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
		store: cfg.Store, clock: cfg.Clock, log: cfg.Logger,
		access: auth.NewJWT(cfg.AccessSecret, cfg.Clock), refresh: auth.NewJWT(cfg.RefreshSecret, cfg.Clock),
		accessTTL: cfg.AccessTTL, refreshTTL: cfg.RefreshTTL, cost: cfg.BcryptCost, limits: cfg.Limits,
		mailer: cfg.Mailer, emailOn: cfg.EmailEnabled && cfg.Mailer != nil,
		studentDB: cfg.StudentDBURL, studentChk: cfg.StudentDBCheck,
		verified: auth.NewVerifiedCache[AccessToken](10000),
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

// goBackground runs f detached from the request, bounded in time, tracked for Close.
func (s *Service) goBackground(name string, f func(ctx context.Context) error) {
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := f(ctx); err != nil {
			s.log.Warn(name+" failed", slog.String("error", err.Error()))
		}
	}()
}
