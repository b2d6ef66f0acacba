package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/pgstore"
	"github.com/momentum-cohortly/backends/internal/cohortly/storetest"
)

// adminURL is the maintenance database of the test server (127.0.0.1:5432, user postgres, trust auth).
// COHORTLY_TEST_POSTGRES_URL overrides it.
func adminURL() string {
	if u := os.Getenv("COHORTLY_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// freshDB creates an empty database cohortly_test_<random> and drops it when the test ends. Without a
// reachable server the test fails under CI=true and is skipped otherwise.
func freshDB(tb testing.TB) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, adminURL())
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("PostgreSQL at %s unreachable (CI=true requires it): %v", "127.0.0.1:5432", err)
		}
		tb.Skipf("PostgreSQL at 127.0.0.1:5432 unreachable, skipping (set CI=true to make this a failure): %v", err)
	}
	defer admin.Close(context.Background())
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "cohortly_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, adminURL())
		if err != nil {
			tb.Errorf("drop database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(adminURL())
	if err != nil {
		tb.Fatalf("COHORTLY_TEST_POSTGRES_URL must be a postgres:// URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func openStore(t *testing.T, opts ...pgstore.Option) cohortly.Store {
	url := freshDB(t)
	s, err := pgstore.Open(t.Context(), url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var update = flag.Bool("update", false, "rewrite testdata/statements.sql from what the contract suite ran")

// statementsFile lists every statement PostgreSQL runs (storetest.CheckStatements).
const statementsFile = "testdata/statements.sql"

// TestContract runs the store contract suite and checks that the statements it ran are exactly those
// listed in testdata/statements.sql.
func TestContract(t *testing.T) {
	var seen storetest.Statements
	t.Cleanup(func() { storetest.CheckStatements(t, &seen, statementsFile, "pgstore", *update) })
	storetest.Run(t, func(t *testing.T) cohortly.Store { return openStore(t, pgstore.WithObserver(seen.Seen)) })
}

// Every listed statement prepares on a migrated database.
func TestStatementsPrepare(t *testing.T) {
	url := freshDB(t)
	s, err := pgstore.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	qs := storetest.ReadStatements(t, statementsFile)
	if len(qs) == 0 {
		t.Fatalf("%s lists no statements", statementsFile)
	}
	for _, q := range qs {
		if _, err := conn.Prepare(t.Context(), "", q); err != nil {
			t.Errorf("prepare on PostgreSQL: %v\n%s", err, q)
		}
	}
}
