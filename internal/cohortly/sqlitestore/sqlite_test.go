package sqlitestore_test

import (
	"database/sql"
	"flag"
	"path/filepath"
	"testing"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/sqlitestore"
	"github.com/momentum-cohortly/backends/internal/cohortly/storetest"
)

var update = flag.Bool("update", false, "rewrite testdata/statements.sql from what the contract suite ran")

// statementsFile lists every statement SQLite runs (storetest.CheckStatements).
const statementsFile = "testdata/statements.sql"

func openStore(t *testing.T, opts ...sqlitestore.Option) cohortly.Store {
	// A nested, not yet existing directory: Open must create it.
	s, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "data", "nested", "cohortly.db"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestContract runs the store contract suite and checks that the statements it ran are exactly those
// listed in testdata/statements.sql.
func TestContract(t *testing.T) {
	var seen storetest.Statements
	t.Cleanup(func() { storetest.CheckStatements(t, &seen, statementsFile, "sqlitestore", *update) })
	storetest.Run(t, func(t *testing.T) cohortly.Store { return openStore(t, sqlitestore.WithObserver(seen.Seen)) })
}

// Every listed statement prepares on a migrated database.
func TestStatementsPrepare(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := sqlitestore.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	qs := storetest.ReadStatements(t, statementsFile)
	if len(qs) == 0 {
		t.Fatalf("%s lists no statements", statementsFile)
	}
	for _, q := range qs {
		st, err := db.PrepareContext(t.Context(), q)
		if err != nil {
			t.Errorf("prepare on SQLite: %v\n%s", err, q)
			continue
		}
		st.Close()
	}
}
