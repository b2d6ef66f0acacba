// Package testenv gives tests what lives outside the repository: the shared fixtures beside the
// checkout, and the PostgreSQL and Redis servers of the dev and CI machines. Only tests import it.
//
// A test that cannot have what it needs fails under CI=true (the CI machine has all of it, so a missing
// piece there is a broken machine, not a reason to pass) and is skipped with the reason elsewhere.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

// Environment variables that point the tests elsewhere.
const (
	// EnvPostgresURL is the maintenance database of the test PostgreSQL server; every test database is
	// created and dropped through it.
	EnvPostgresURL = "TEST_POSTGRES_URL"
	// EnvPgBouncerURL is the maintenance database through the test PgBouncer (transaction pooling in
	// front of the test PostgreSQL server, every database reachable: .ci/pgbouncer starts it).
	EnvPgBouncerURL = "TEST_PGBOUNCER_URL"
	// EnvRedisURL is the test Redis server.
	EnvRedisURL = "TEST_REDIS_URL"
	// EnvFixturesDir replaces the shared fixture directory (default: ../shared/fixtures beside the
	// module root).
	EnvFixturesDir = "TEST_FIXTURES_DIR"
)

const (
	defaultPostgresURL  = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	defaultPgBouncerURL = "postgres://postgres@127.0.0.1:6432/postgres?sslmode=disable"
	defaultRedisURL     = "redis://127.0.0.1:6379/0"
)

// Unavailable ends the test because something it needs is missing: a failure under CI=true, a skip
// with the reason elsewhere.
func Unavailable(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s (CI=true requires it)", msg)
	} else {
		tb.Skipf("%s; skipping (CI=true makes this a failure)", msg)
	}
}

// Fixture returns the path of a shared fixture file (name inside the fixture directory). The file is
// the committed original: copy it (CopyFixture) before opening it for writing.
func Fixture(tb testing.TB, name string) string {
	tb.Helper()
	dir, err := fixturesDir()
	if err != nil {
		Unavailable(tb, "fixture %s: %v", name, err)
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		Unavailable(tb, "fixture %s: %v (set %s to the fixture directory)", name, err, EnvFixturesDir)
	}
	return p
}

// CopyFixture copies a shared fixture into the test's temporary directory and returns the copy's path.
func CopyFixture(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(Fixture(tb, name))
	if err != nil {
		tb.Fatalf("read fixture: %v", err)
	}
	dst := filepath.Join(tb.TempDir(), filepath.Base(name))
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		tb.Fatalf("copy fixture: %v", err)
	}
	return dst
}

func fixturesDir() (string, error) {
	if d := os.Getenv(EnvFixturesDir); d != "" {
		return d, nil
	}
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(root), "shared", "fixtures"), nil
}

// ModuleRoot is the directory holding go.mod, found by walking up from the working directory (a
// test runs in its package's directory).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// PostgresURL returns the URL of database db on the test PostgreSQL server.
func PostgresURL(db string) string { return withDB(EnvPostgresURL, defaultPostgresURL, db) }

// PgBouncerURL returns the URL of database db on the test PostgreSQL server through the test
// PgBouncer (see RequirePgBouncer).
func PgBouncerURL(db string) string { return withDB(EnvPgBouncerURL, defaultPgBouncerURL, db) }

// withDB is the URL in the environment variable env (else def) with its database replaced by db.
func withDB(env, def, db string) string {
	raw := os.Getenv(env)
	if raw == "" {
		raw = def
	}
	u, err := url.Parse(raw)
	if err != nil {
		panic(fmt.Sprintf("%s=%q is not a URL: %v", env, raw, err))
	}
	u.Path = "/" + db
	return u.String()
}

func adminURL() string {
	if u := os.Getenv(EnvPostgresURL); u != "" {
		return u
	}
	return defaultPostgresURL
}

// RequirePostgres makes the test Unavailable when the test PostgreSQL server cannot be reached.
func RequirePostgres(tb testing.TB) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, adminURL())
	if err != nil {
		Unavailable(tb, "PostgreSQL at %s unreachable: %v", redactURL(adminURL()), err)
		return
	}
	_ = c.Close(ctx)
}

// RequirePgBouncer makes the test Unavailable when the test PgBouncer cannot be reached (nor the
// PostgreSQL server behind it).
func RequirePgBouncer(tb testing.TB) {
	tb.Helper()
	RequirePostgres(tb)
	raw := PgBouncerURL("postgres")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// The simple protocol: the pooler is in transaction mode, and this is no test of prepared statements.
	cfg, err := pgx.ParseConfig(raw)
	if err != nil {
		tb.Fatalf("%s: %v", EnvPgBouncerURL, err)
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err == nil {
		err = c.Ping(ctx)
		_ = c.Close(ctx)
	}
	if err != nil {
		Unavailable(tb, "PgBouncer at %s unreachable: %v (bash .ci/pgbouncer starts one)", redactURL(raw), err)
	}
}

// PgBouncerDB is PostgresDB reached through the test PgBouncer: it creates the database directly on
// the server (the pooler reaches every database, those created at run time too) and returns its URL
// through the pooler and the direct one.
func PgBouncerDB(tb testing.TB, prefix, template string) (pooled, direct string) {
	tb.Helper()
	RequirePgBouncer(tb)
	direct = PostgresDB(tb, prefix, template)
	u, err := url.Parse(direct)
	if err != nil {
		tb.Fatal(err)
	}
	return PgBouncerURL(u.Path[1:]), direct
}

// PostgresDB creates a database of the test's own, named prefix plus a random suffix (a copy of the
// database template when template is not empty, else empty), drops it when the test ends, and returns
// its URL. Without a reachable server the test is Unavailable.
func PostgresDB(tb testing.TB, prefix, template string) string {
	tb.Helper()
	RequirePostgres(tb)
	name := RandomName(prefix)
	if err := CreatePostgresDB(name, template); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := DropPostgresDB(name); err != nil {
			tb.Error(err)
		}
	})
	return PostgresURL(name)
}

// CreatePostgresDB creates database name on the test server, a copy of template when template is not
// empty. The caller drops it (DropPostgresDB).
func CreatePostgresDB(name, template string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, adminURL())
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	defer c.Close(context.Background())
	stmt := "CREATE DATABASE " + name
	if template != "" {
		stmt += " TEMPLATE " + template
	}
	if _, err := c.Exec(ctx, stmt); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// DropPostgresDB drops database name on the test server (closing its connections), if it exists.
func DropPostgresDB(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, adminURL())
	if err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	defer c.Close(context.Background())
	if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// Redis returns a client of the test Redis server and a key prefix of the test's own; the keys under
// it are deleted when the test ends. Without a reachable server the test is Unavailable.
func Redis(tb testing.TB) (client *redis.Client, prefix string) {
	tb.Helper()
	raw := RedisURL()
	opt, err := redis.ParseURL(raw)
	if err != nil {
		tb.Fatalf("%s: %v", EnvRedisURL, err)
	}
	client = redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		Unavailable(tb, "Redis at %s unreachable: %v", redactURL(raw), err)
	}
	prefix = RandomName("test:") + ":"
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if keys, err := client.Keys(ctx, prefix+"*").Result(); err == nil && len(keys) > 0 {
			client.Del(ctx, keys...)
		}
		_ = client.Close()
	})
	return client, prefix
}

// RedisURL is the URL of the test Redis server.
func RedisURL() string {
	if u := os.Getenv(EnvRedisURL); u != "" {
		return u
	}
	return defaultRedisURL
}

// RandomName is prefix plus 12 random hex digits: a name no other test (or test process) uses.
func RandomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
