package pgstore_test

import (
	"context"
	"flag"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/pgstore"
	"github.com/momentum-cohortly/backends/internal/cohortly/storetest"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// freshDB creates an empty database of the test's own on the test server and drops it when the test
// ends (see testenv.PostgresDB).
func freshDB(tb testing.TB) string { return testenv.PostgresDB(tb, "cohortly_test_", "") }

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
