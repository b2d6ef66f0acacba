package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/momentum/api"
	"github.com/momentum-cohortly/backends/internal/momentum/legacymigrate"
	"github.com/momentum-cohortly/backends/internal/momentum/mongostore"
	"github.com/momentum-cohortly/backends/internal/momentum/providers"
	"github.com/momentum-cohortly/backends/internal/momentum/sqlitestore"
	"github.com/momentum-cohortly/backends/internal/platform/auth"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/config"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
	"github.com/momentum-cohortly/backends/internal/platform/logx"
	"github.com/momentum-cohortly/backends/internal/platform/ratelimit"
	"github.com/momentum-cohortly/backends/internal/platform/tracing"
)

const usage = `Usage: momentum [command]

Commands:
  serve            run the API server (default)
  seed-checklist   create or update the checklist catalogue in place (ids and progress are kept)
  migrate          move data between the legacy SQLite database and MongoDB (momentum migrate --help)
  help             show this text

Configuration comes from the environment and an optional .env file; see README.md.
`

// legacyDefaultSecret is the secret the legacy server fell back to. It is public, so production refuses
// it; development accepts it (with a warning) so tokens of a legacy dev server keep working.
const legacyDefaultSecret = "your-secret-key-change-in-production"

// run is the whole program; main only wires the process to it, so tests can start the server on port 0
// with their own environment and stop it by cancelling ctx.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "migrate":
		return legacymigrate.Main(ctx, args, getenv, stdout, stderr)
	case "serve", "seed-checklist":
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "momentum: configuration: %v\n", err)
		return 2
	}
	var tr *tracing.Tracing // only the server is traced
	if cmd == "serve" {
		if tr, err = tracing.New(ctx, cfg.Tracing); err != nil {
			fmt.Fprintf(stderr, "momentum: configuration: %v\n", err)
			return 2
		}
	}
	logs := logx.NewBufferedWriter(stdout, 100*time.Millisecond)
	defer logs.Close()
	logger := newLogger(logs, cfg.LogLevel, tr)
	if cmd == "seed-checklist" {
		err = seedChecklist(ctx, cfg, logger)
	} else {
		err = serve(ctx, cfg, logger, tr, nil)
		// After the drain: the last requests' spans go out too.
		if terr := tr.Shutdown(ctx); terr != nil {
			logger.Warn("tracing: last spans not exported", slog.String("error", terr.Error()))
		}
	}
	if err != nil {
		logger.Error("momentum stopped", slog.String("error", err.Error()))
		return 1
	}
	return 0
}

// Config is everything the service reads from its environment.
type Config struct {
	Env             string
	Addr            string
	JWTSecret       string
	TokenTTL        time.Duration
	MongoURL        string
	DatabaseName    string
	SQLitePath      string
	CORSOrigins     []string
	UploadDir       string
	TrustProxy      httpx.TrustedProxies
	LogLevel        slog.Level
	ShutdownTimeout time.Duration
	RedisURL        string
	BcryptCost      int
	AdminEmail      string
	AdminPassword   string
	Location        *time.Location
	Providers       providers.Config
	Tracing         tracing.Config
}

func loadConfig(getenv func(string) string) (Config, error) {
	env, err := config.New(getenv, getenv("MOMENTUM_ENV_FILE"))
	if err != nil {
		return Config{}, err
	}
	if getenv("MOMENTUM_ENV_FILE") == "" {
		if env, err = config.New(getenv, ".env"); err != nil {
			return Config{}, err
		}
	}
	c := Config{
		Env:             strings.ToLower(env.String("APP_ENV", "development")),
		Addr:            env.String("HOST", "") + ":" + env.String("PORT", "5001"),
		JWTSecret:       env.String("JWT_SECRET", ""),
		TokenTTL:        env.DurationUnit("TOKEN_TTL", 24*time.Hour, time.Hour),
		MongoURL:        env.String("MONGODB_URL", ""),
		DatabaseName:    env.String("DATABASE_NAME", ""),
		SQLitePath:      env.String("MOMENTUM_SQLITE_PATH", "./data/momentum.db"),
		CORSOrigins:     env.List("CORS_ORIGINS", []string{"*"}),
		UploadDir:       env.String("UPLOAD_DIR", "./uploads"),
		ShutdownTimeout: env.Duration("SHUTDOWN_TIMEOUT", 20*time.Second),
		RedisURL:        env.String("REDIS_URL", ""),
		BcryptCost:      env.Int("BCRYPT_COST", 10),
		AdminEmail:      env.String("ADMIN_EMAIL", ""),
		AdminPassword:   env.String("ADMIN_PASSWORD", ""),
	}
	switch c.Env {
	case "development", "staging", "production", "test":
	default:
		env.Fail(fmt.Errorf("APP_ENV: %q is not one of development, staging, production", c.Env))
	}
	if c.DatabaseName == "" {
		c.DatabaseName = map[string]string{"production": "momentum_prod", "staging": "momentum_staging"}[c.Env]
		if c.DatabaseName == "" {
			c.DatabaseName = "momentum_dev"
		}
	}
	switch {
	case c.JWTSecret == "" && c.Env == "production":
		env.Fail(errors.New("JWT_SECRET is required when APP_ENV=production"))
	case c.JWTSecret == legacyDefaultSecret && c.Env == "production":
		env.Fail(errors.New("JWT_SECRET is the legacy public default; set a secret of your own in production"))
	case len(c.JWTSecret) < 32 && c.Env == "production":
		env.Fail(errors.New("JWT_SECRET must be at least 32 characters in production"))
	case c.JWTSecret == "":
		c.JWTSecret = legacyDefaultSecret
	}
	if c.BcryptCost < 4 || c.BcryptCost > 31 {
		env.Fail(fmt.Errorf("BCRYPT_COST: %d is outside 4..31", c.BcryptCost))
	}
	c.LogLevel = env.LogLevel("LOG_LEVEL", slog.LevelInfo)
	c.Tracing = tracing.Config{Service: "momentum", Getenv: func(k string) string { return env.String(k, "") }}
	tz := env.String("MOMENTUM_TIMEZONE", "UTC")
	if c.Location, err = time.LoadLocation(tz); err != nil {
		env.Fail(fmt.Errorf("MOMENTUM_TIMEZONE: %w", err))
	}
	if c.Providers, err = providers.ConfigFromEnv(func(k string) string { return env.String(k, "") }); err != nil {
		env.Fail(err)
	}
	if tp, err := httpx.ParseTrustedProxies(env.String("TRUST_PROXY", "")); err != nil {
		env.Fail(fmt.Errorf("TRUST_PROXY: %w", err))
	} else {
		c.TrustProxy = tp
	}
	return c, env.Err()
}

// newLogger writes JSON lines; with tracing on, those logged in a request carry its trace_id and span_id.
func newLogger(w io.Writer, level slog.Level, tr *tracing.Tracing) *slog.Logger {
	return slog.New(tr.LogHandler(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))).With(slog.String("service", "momentum"))
}

// openStore opens the configured store; tr (nil: off) traces its commands or statements.
func openStore(ctx context.Context, cfg Config, logger *slog.Logger, tr *tracing.Tracing) (momentum.Store, error) {
	if cfg.MongoURL != "" {
		logger.Info("using MongoDB", slog.String("url", config.MaskURL(cfg.MongoURL)), slog.String("database", cfg.DatabaseName))
		return mongostore.Open(ctx, cfg.MongoURL, cfg.DatabaseName, mongostore.WithTracer(tr.Provider()))
	}
	logger.Info("using SQLite", slog.String("path", cfg.SQLitePath))
	return sqlitestore.Open(ctx, cfg.SQLitePath, sqlitestore.WithTracer(tr.Provider()))
}

func seedChecklist(ctx context.Context, cfg Config, logger *slog.Logger) error {
	store, err := openStore(ctx, cfg, logger, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := store.SeedCatalogue(ctx, momentum.Catalogue(), time.Now().UTC().Truncate(time.Second))
	if err != nil {
		return err
	}
	logger.Info("checklist catalogue seeded",
		slog.Int("categories_created", res.CategoriesCreated), slog.Int("categories_updated", res.CategoriesUpdated),
		slog.Int("items_created", res.ItemsCreated), slog.Int("items_updated", res.ItemsUpdated))
	return nil
}

// serve runs the API until ctx is cancelled. tr (nil: off) traces requests, database calls and
// provider calls; onReady (tests) receives the listening address.
func serve(ctx context.Context, cfg Config, logger *slog.Logger, tr *tracing.Tracing, onReady func(net.Addr)) error {
	start := time.Now()
	if cfg.JWTSecret == legacyDefaultSecret {
		logger.Warn("JWT_SECRET is not set: using the legacy public default secret; never do this outside development")
	}
	if tr.Enabled() {
		logger.Info("tracing: spans exported over OTLP", slog.String("endpoint", tr.Endpoint()))
		for _, w := range tr.Warnings() {
			logger.Warn("tracing: " + w)
		}
	}
	store, err := openStore(ctx, cfg, logger, tr)
	if err != nil {
		return err
	}
	defer store.Close()
	clk := clock.System()

	limits, closeLimits, err := ratelimit.Open(ctx, ratelimit.Config{RedisURL: cfg.RedisURL, Prefix: "momentum:ratelimit:",
		Production: cfg.Env == "production", Logger: logger, Clock: clk})
	if err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	defer closeLimits()
	prov, err := providers.New(cfg.Providers, tr.Client(providers.NewHTTPClient()), clk, nil)
	if err != nil {
		return fmt.Errorf("providers: %w", err)
	}
	uploads, err := momentum.NewUploads(cfg.UploadDir)
	if err != nil {
		return err
	}
	svc, err := momentum.New(momentum.Deps{
		Store: store, JWT: auth.NewJWT([]byte(cfg.JWTSecret), clk), Clock: clk, Logger: logger,
		Login: ratelimit.DefaultLoginPolicy(limits), Providers: prov, Uploads: uploads,
	}, momentum.Config{TokenTTL: cfg.TokenTTL, BcryptCost: cfg.BcryptCost, Location: cfg.Location})
	if err != nil {
		return err
	}

	if seeded, err := svc.EnsureCatalogue(ctx); err != nil {
		return err
	} else if seeded {
		logger.Info("empty database: checklist catalogue created (12 categories, 61 items)")
	}
	if err := ensureAdmin(ctx, cfg, store, logger); err != nil {
		return err
	}

	a, err := api.New(svc, logger, prometheus.NewRegistry(), store.Ping, api.Config{CORSOrigins: cfg.CORSOrigins, TrustProxy: cfg.TrustProxy, Tracing: tr})
	if err != nil {
		return err
	}
	return httpx.Serve(ctx, httpx.ServeConfig{
		Addr: cfg.Addr, Handler: a.Handler(), Logger: logger, ShutdownTimeout: cfg.ShutdownTimeout,
		OnReady: func(addr net.Addr) {
			logger.Info("ready", slog.String("addr", addr.String()), slog.String("env", cfg.Env),
				slog.String("providers", prov.Kinds.String()),
				slog.Float64("startup_ms", float64(time.Since(start).Microseconds())/1000))
			if onReady != nil {
				onReady(addr)
			}
		},
	})
}

// ensureAdmin creates the first admin account when there is none: from ADMIN_EMAIL/ADMIN_PASSWORD in
// any environment, or the legacy demo admin in development only.
func ensureAdmin(ctx context.Context, cfg Config, store momentum.Store, logger *slog.Logger) error {
	email, password := cfg.AdminEmail, cfg.AdminPassword
	demo := false
	if email == "" || password == "" {
		if cfg.Env != "development" {
			return nil
		}
		email, password, demo = "admin@momentum.com", "admin123", true
	}
	hash, err := auth.HashPassword(password, cfg.BcryptCost)
	if err != nil {
		return fmt.Errorf("admin password: %w", err)
	}
	created, err := store.EnsureAdmin(ctx, momentum.NormalizeEmail(email), hash, time.Now().UTC().Truncate(time.Second))
	if err != nil {
		return fmt.Errorf("ensure admin: %w", err)
	}
	if created && demo {
		logger.Warn("no admin existed: created the demo admin admin@momentum.com with the well-known password admin123 (development only; set ADMIN_EMAIL and ADMIN_PASSWORD instead)")
	} else if created {
		logger.Info("created the first admin", slog.String("email", email))
	}
	return nil
}
