package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/api"
	"github.com/momentum-cohortly/backends/internal/cohortly/mail"
	"github.com/momentum-cohortly/backends/internal/cohortly/pgstore"
	"github.com/momentum-cohortly/backends/internal/cohortly/schema"
	"github.com/momentum-cohortly/backends/internal/cohortly/sqlitestore"
	"github.com/momentum-cohortly/backends/internal/platform/auth"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/config"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
	"github.com/momentum-cohortly/backends/internal/platform/logx"
	"github.com/momentum-cohortly/backends/internal/platform/ratelimit"
	"github.com/momentum-cohortly/backends/internal/platform/tracing"
)

// logFlushEvery bounds how much log output a crash can lose.
const logFlushEvery = 200 * time.Millisecond

const usage = `Usage: cohortly [command]

Commands:
  serve     run the API server (default)
  seed      replace ALL data with the demo data of the legacy seed (users share the password Password123!)
  migrate   create or upgrade the database schema (serve and seed also do this) and exit
  help      show this text

Storage: PostgreSQL when DATABASE_URL is set, else SQLite at COHORTLY_SQLITE_PATH (./data/cohortly.db).
Schema migrations go over DATABASE_DIRECT_URL when it is set (DATABASE_URL through a pooler).
Configuration comes from the environment and an optional .env file; see README.md.
`

// Development secrets: fine on a laptop, refused with NODE_ENV=production.
const (
	devAccessSecret  = "cohortly-dev-access-secret-change-me"
	devRefreshSecret = "cohortly-dev-refresh-secret-change-me"
)

// run is the whole program; main only wires the process to it, so tests can start the server with their
// own environment and stop it by cancelling ctx.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "serve", "seed", "migrate":
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if len(args) > 0 {
		fmt.Fprintf(stderr, "cohortly %s takes no arguments (got %q)\n", cmd, args)
		return 2
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "cohortly: configuration: %v\n", err)
		return 2
	}
	// One write(2) per access-log line costs as much as a fast request, so log output is buffered; a
	// crash loses at most logFlushEvery of lines, and Close flushes the rest at exit.
	var tr *tracing.Tracing // only the server is traced
	if cmd == "serve" {
		if tr, err = tracing.New(ctx, cfg.Tracing); err != nil {
			fmt.Fprintf(stderr, "cohortly: configuration: %v\n", err)
			return 2
		}
	}
	lw := logx.NewBufferedWriter(stdout, logFlushEvery)
	defer lw.Close()
	logger := newLogger(lw, cfg.LogLevel, tr)
	switch cmd {
	case "seed":
		err = seed(ctx, cfg, logger)
	case "migrate":
		var store cohortly.Store
		if store, err = openStore(ctx, cfg, logger, nil); err == nil {
			logger.Info("schema is up to date")
			err = store.Close()
		}
	default:
		err = serve(ctx, cfg, logger, tr, nil)
		// After the drain: the last requests' spans go out too.
		if terr := tr.Shutdown(ctx); terr != nil {
			logger.Warn("tracing: last spans not exported", slog.String("error", terr.Error()))
		}
	}
	if err != nil {
		logger.Error("cohortly stopped", slog.String("error", err.Error()))
		return 1
	}
	return 0
}

// Config is everything the service reads from its environment.
type Config struct {
	Env             string
	Addr            string
	DatabaseURL     string
	DatabaseDirect  string
	SQLitePath      string
	AccessSecret    string
	RefreshSecret   string
	AccessTTL       time.Duration
	RefreshTTL      time.Duration
	CORSOrigins     []string
	TrustProxy      httpx.TrustedProxies
	RedisURL        string
	BcryptCost      int
	AuthPerMinute   int
	LoginFailures   int
	EmailEnabled    bool
	EmailFrom       string
	EmailFromName   string
	SendGridKey     string
	SendGridURL     string
	StudentDBURL    string
	LogLevel        slog.Level
	ShutdownTimeout time.Duration
	Tracing         tracing.Config

	// KeepRefreshToken is REFRESH_TOKEN_ROTATION=off (legacy: refresh returns an access token only).
	KeepRefreshToken bool
}

func loadConfig(getenv func(string) string) (Config, error) {
	path := getenv("COHORTLY_ENV_FILE")
	if path == "" {
		path = ".env"
	}
	env, err := config.New(getenv, path)
	if err != nil {
		return Config{}, err
	}
	c := Config{
		Env:             strings.ToLower(env.String("NODE_ENV", "development")),
		Addr:            env.String("HOST", "") + ":" + env.String("PORT", "5000"),
		DatabaseURL:     env.String("DATABASE_URL", ""),
		DatabaseDirect:  env.String("DATABASE_DIRECT_URL", ""),
		SQLitePath:      env.String("COHORTLY_SQLITE_PATH", "./data/cohortly.db"),
		AccessSecret:    env.String("JWT_ACCESS_SECRET", ""),
		RefreshSecret:   env.String("JWT_REFRESH_SECRET", ""),
		AccessTTL:       env.DurationUnit("JWT_ACCESS_EXPIRY", 15*time.Minute, time.Minute),
		RefreshTTL:      env.DurationUnit("JWT_REFRESH_EXPIRY", 7*24*time.Hour, time.Minute),
		CORSOrigins:     env.List("CORS_ORIGIN", []string{"http://localhost:3000"}),
		RedisURL:        env.String("REDIS_URL", ""),
		BcryptCost:      env.Int("BCRYPT_COST", 10),
		AuthPerMinute:   env.Int("RATE_LIMIT_AUTH_PER_MINUTE", 300),
		LoginFailures:   env.Int("RATE_LIMIT_LOGIN_FAILURES", 10),
		EmailEnabled:    env.Bool("EMAIL_ENABLED", false),
		EmailFrom:       env.String("EMAIL_FROM", "noreply@bootcamp.com"),
		EmailFromName:   env.String("EMAIL_FROM_NAME", "Cohortly"),
		SendGridKey:     env.String("SENDGRID_API_KEY", ""),
		SendGridURL:     env.String("SENDGRID_API_URL", mail.DefaultSendGridURL),
		StudentDBURL:    env.String("STUDENT_DB_URL", ""),
		ShutdownTimeout: env.Duration("SHUTDOWN_TIMEOUT", 20*time.Second),
	}
	prod := c.Env == "production"
	for _, s := range []struct {
		name string
		val  *string
		dev  string
	}{{"JWT_ACCESS_SECRET", &c.AccessSecret, devAccessSecret}, {"JWT_REFRESH_SECRET", &c.RefreshSecret, devRefreshSecret}} {
		switch {
		case prod && *s.val == "":
			env.Fail(fmt.Errorf("%s is required when NODE_ENV=production", s.name))
		case prod && (*s.val == devAccessSecret || *s.val == devRefreshSecret):
			env.Fail(fmt.Errorf("%s is a public development default; set a secret of your own in production", s.name))
		case prod && len(*s.val) < 32:
			env.Fail(fmt.Errorf("%s must be at least 32 characters in production", s.name))
		case *s.val == "":
			*s.val = s.dev
		}
	}
	if prod && c.AccessSecret == c.RefreshSecret {
		env.Fail(errors.New("JWT_ACCESS_SECRET and JWT_REFRESH_SECRET must differ in production"))
	}
	if c.BcryptCost < 4 || c.BcryptCost > 31 || prod && c.BcryptCost < 10 {
		env.Fail(fmt.Errorf("BCRYPT_COST: %d is outside 4..31 (at least 10 in production)", c.BcryptCost))
	}
	if c.DatabaseDirect != "" && c.DatabaseURL == "" {
		env.Fail(errors.New("DATABASE_DIRECT_URL is set without DATABASE_URL: it only says how to migrate the PostgreSQL database of DATABASE_URL"))
	}
	if c.AuthPerMinute < 1 || c.LoginFailures < 1 {
		env.Fail(errors.New("RATE_LIMIT_AUTH_PER_MINUTE and RATE_LIMIT_LOGIN_FAILURES must be positive"))
	}
	switch v := strings.ToLower(strings.TrimSpace(env.String("REFRESH_TOKEN_ROTATION", "rotate"))); v {
	case "rotate":
	case "off":
		c.KeepRefreshToken = true
	default:
		env.Fail(fmt.Errorf("REFRESH_TOKEN_ROTATION: %q is neither rotate nor off", v))
	}
	if c.EmailEnabled && c.EmailFrom == "" {
		env.Fail(errors.New("EMAIL_FROM is required when EMAIL_ENABLED=true"))
	}
	for _, o := range c.CORSOrigins {
		if o == "*" {
			// Credentials (the legacy sent them) cannot go with a wildcard; list the origins instead.
			env.Fail(errors.New("CORS_ORIGIN: \"*\" is not allowed with credentials; list the frontend origins, comma-separated"))
		}
	}
	c.LogLevel = env.LogLevel("LOG_LEVEL", slog.LevelInfo)
	c.Tracing = tracing.Config{Service: "cohortly", Getenv: func(k string) string { return env.String(k, "") }}
	if tp, err := httpx.ParseTrustedProxies(env.String("TRUST_PROXY", "")); err != nil {
		env.Fail(fmt.Errorf("TRUST_PROXY: %w", err))
	} else {
		c.TrustProxy = tp
	}
	return c, env.Err()
}

// newLogger writes JSON lines; with tracing on, those logged in a request carry its trace_id and span_id.
func newLogger(w io.Writer, level slog.Level, tr *tracing.Tracing) *slog.Logger {
	return slog.New(tr.LogHandler(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))).With(slog.String("service", "cohortly"))
}

// openStore opens the configured store; tr (nil: off) traces its statements.
func openStore(ctx context.Context, cfg Config, logger *slog.Logger, tr *tracing.Tracing) (cohortly.Store, error) {
	if cfg.DatabaseURL != "" {
		logger.Info("using PostgreSQL", slog.String("url", config.MaskURL(cfg.DatabaseURL)))
		opts := []pgstore.Option{pgstore.WithTracer(tr.Provider())}
		if cfg.DatabaseDirect != "" {
			logger.Info("migrating over DATABASE_DIRECT_URL", slog.String("url", config.MaskURL(cfg.DatabaseDirect)))
			opts = append(opts, pgstore.WithMigrationURL(cfg.DatabaseDirect))
		}
		s, err := pgstore.Open(ctx, cfg.DatabaseURL, opts...)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL: %w", err)
		}
		if p := s.Pooling(); p.Transaction {
			logger.Info("PostgreSQL through a connection pooler in transaction mode",
				slog.String("default_query_exec_mode", p.ExecMode), slog.Bool("direct_migrations", cfg.DatabaseDirect != ""))
		}
		return s, nil
	}
	logger.Info("using SQLite", slog.String("path", cfg.SQLitePath))
	s, err := sqlitestore.Open(ctx, cfg.SQLitePath, sqlitestore.WithTracer(tr.Provider()))
	if err != nil {
		return nil, fmt.Errorf("open SQLite %s: %w", cfg.SQLitePath, err)
	}
	return s, nil
}

// seed replaces the whole database with the legacy demo data, as `ts-node prisma/seed.ts` did.
func seed(ctx context.Context, cfg Config, logger *slog.Logger) error {
	store, err := openStore(ctx, cfg, logger, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	hash, err := auth.HashPassword(schema.DemoPassword, cfg.BcryptCost)
	if err != nil {
		return err
	}
	d := schema.DemoDataset(time.Now(), hash)
	if err := store.ReplaceAll(ctx, d); err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	logger.Info("demo data loaded", slog.Int("users", len(d.Users)), slog.Int("bootcamps", len(d.Bootcamps)),
		slog.Int("leads", len(d.Leads)), slog.String("password", "all demo users: "+schema.DemoPassword))
	return nil
}

// newService wires the service to its store, rate-limit store, mailer and student database.
func newService(ctx context.Context, cfg Config, logger *slog.Logger, store cohortly.Store, clk clock.Clock, tr *tracing.Tracing) (*cohortly.Service, func(), error) {
	rl, cleanup, err := ratelimit.Open(ctx, ratelimit.Config{RedisURL: cfg.RedisURL, Prefix: "cohortly:rl:",
		Production: cfg.Env == "production", Logger: logger, Clock: clk})
	if err != nil {
		return nil, cleanup, fmt.Errorf("REDIS_URL: %w", err)
	}
	limits := ratelimit.DefaultLoginPolicy(rl)
	limits.MaxPerAddress = int64(cfg.AuthPerMinute)
	limits.MaxFailures = int64(cfg.LoginFailures)

	var mailer mail.Mailer = mail.Log{Logger: logger}
	if cfg.SendGridKey != "" {
		mailer = mail.NewSendGrid(cfg.SendGridKey, cfg.SendGridURL, cfg.EmailFrom, cfg.EmailFromName,
			tr.Client(&http.Client{Timeout: mail.DefaultTimeout}))
	}
	var check func(ctx context.Context) error
	if cfg.StudentDBURL != "" {
		url := cfg.StudentDBURL
		check = func(ctx context.Context) error {
			conn, err := pgx.Connect(ctx, url)
			if err != nil {
				return fmt.Errorf("connect to student database: %w", err)
			}
			defer conn.Close(context.WithoutCancel(ctx))
			return conn.Ping(ctx)
		}
	}
	svc, err := cohortly.New(cohortly.Deps{
		Store: store, Clock: clk, Logger: logger, Limits: limits, Mailer: mailer, StudentDBCheck: check,
	}, cohortly.Config{
		AccessSecret: []byte(cfg.AccessSecret), RefreshSecret: []byte(cfg.RefreshSecret),
		AccessTTL: cfg.AccessTTL, RefreshTTL: cfg.RefreshTTL, BcryptCost: cfg.BcryptCost,
		EmailEnabled: cfg.EmailEnabled, StudentDBURL: cfg.StudentDBURL, KeepRefreshToken: cfg.KeepRefreshToken,
	})
	if err != nil {
		cleanup()
		return nil, func() {}, err
	}
	return svc, cleanup, nil
}

// serve runs the API until ctx is cancelled. tr (nil: off) traces requests, statements and emails;
// onReady (tests) receives the listening address.
func serve(ctx context.Context, cfg Config, logger *slog.Logger, tr *tracing.Tracing, onReady func(net.Addr)) error {
	start := time.Now()
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
	svc, cleanup, err := newService(ctx, cfg, logger, store, clk, tr)
	if err != nil {
		return err
	}
	defer cleanup()
	defer svc.Close() // wait for welcome emails in flight
	if cfg.Env == "production" && cfg.StudentDBURL == "" {
		logger.Info("STUDENT_DB_URL is not set: /api/v1/student/db-* answer 503")
	}
	handler := api.New(api.Config{Service: svc, Logger: logger, Clock: clk, CORSOrigins: cfg.CORSOrigins,
		TrustProxy: cfg.TrustProxy, Registry: prometheus.NewRegistry(), Tracing: tr})

	// Rotated refresh tokens are kept until they expire (to detect reuse); sweep them hourly.
	go func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if n, err := store.DeleteExpiredRefreshTokens(ctx, cohortly.Millis(clk.Now())); err != nil {
					logger.Warn("sweep expired refresh tokens", slog.String("error", err.Error()))
				} else if n > 0 {
					logger.Info("expired refresh tokens removed", slog.Int64("count", n))
				}
			}
		}
	}()

	return httpx.Serve(ctx, httpx.ServeConfig{
		Addr: cfg.Addr, Handler: handler, Logger: logger, ShutdownTimeout: cfg.ShutdownTimeout,
		OnReady: func(addr net.Addr) {
			logger.Info("cohortly listening", slog.String("addr", addr.String()), slog.String("env", cfg.Env),
				slog.Any("cors_origins", cfg.CORSOrigins), slog.Duration("startup", time.Since(start)),
				slog.String("docs", "/api/docs"))
			if onReady != nil {
				onReady(addr)
			}
		},
	})
}
