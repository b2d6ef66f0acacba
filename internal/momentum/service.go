package momentum

import (
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum/providers"
	"github.com/momentum-cohortly/backends/internal/platform/auth"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/ratelimit"
)

// Config holds the service's tunables; zero values mean the documented defaults.
type Config struct {
	// TokenTTL is the lifetime of login tokens and impersonation sessions (legacy: 24h).
	TokenTTL time.Duration
	// BcryptCost for new password hashes (legacy: 10).
	BcryptCost int
	// CatalogueTTL bounds how long the in-memory copy of the checklist catalogue is trusted, so a
	// `momentum seed-checklist` run elsewhere shows up without a restart.
	CatalogueTTL time.Duration
	// Location is the time zone of promo-code weekdays and of the 30-day lapsed cutoff (legacy: the
	// server's local zone). Default UTC.
	Location *time.Location
	// LapsedAfterDays: customers whose last order is older are "lapsed" (legacy: 30).
	LapsedAfterDays int
	// MaxRecipients caps one SMS campaign (a 2 MB CSV holds about 40,000 rows).
	MaxRecipients int
}

func (c *Config) defaults() {
	if c.TokenTTL <= 0 {
		c.TokenTTL = 24 * time.Hour
	}
	if c.BcryptCost == 0 {
		c.BcryptCost = 10
	}
	if c.CatalogueTTL <= 0 {
		c.CatalogueTTL = 30 * time.Second
	}
	if c.Location == nil {
		c.Location = time.UTC
	}
	if c.LapsedAfterDays <= 0 {
		c.LapsedAfterDays = 30
	}
	if c.MaxRecipients <= 0 {
		c.MaxRecipients = 50000
	}
}

// Deps are the service's collaborators; all but Logger, Rand and Uploads are required.
type Deps struct {
	Store     Store
	JWT       *auth.JWT
	Clock     clock.Clock
	Logger    *slog.Logger // nil: discard
	Login     *ratelimit.LoginPolicy
	Providers *providers.Set
	// Rand feeds the placeholder dashboard numbers; nil means a randomly seeded source.
	Rand *rand.Rand
	// Uploads stores campaign images.
	Uploads *Uploads
}

// Service applies Momentum's business and authorization rules on top of a Store.
type Service struct {
	store   Store
	jwt     *auth.JWT
	clk     clock.Clock
	log     *slog.Logger
	login   *ratelimit.LoginPolicy
	prov    *providers.Set
	uploads *Uploads
	cfg     Config

	rngMu sync.Mutex
	rng   *rand.Rand

	cat    catalogueCache
	tokens *auth.VerifiedCache[Claims]

	passwords *auth.Passwords
}

// New returns a Service on its dependencies with its settings (the shape of cohortly.New).
func New(d Deps, cfg Config) (*Service, error) {
	if d.Store == nil || d.JWT == nil || d.Clock == nil || d.Login == nil || d.Providers == nil {
		return nil, errors.New("momentum: Store, JWT, Clock, Login and Providers are required")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.defaults()
	rng := d.Rand
	if rng == nil {
		rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return &Service{
		store: d.Store, jwt: d.JWT, clk: d.Clock, log: d.Logger, login: d.Login,
		prov: d.Providers, uploads: d.Uploads, cfg: cfg, rng: rng, tokens: auth.NewVerifiedCache[Claims](10000),
		passwords: auth.NewPasswords(cfg.BcryptCost),
	}, nil
}

func (s *Service) intBetween(lo, hi int) int {
	s.rngMu.Lock()
	defer s.rngMu.Unlock()
	return lo + s.rng.IntN(hi-lo+1)
}

// now is the service's notion of the current time, at the legacy whole-second precision.
func (s *Service) now() time.Time { return s.clk.Now().UTC().Truncate(time.Second) }

// Uploads is where campaign images are stored (nil when uploads are disabled).
func (s *Service) Uploads() *Uploads { return s.uploads }
