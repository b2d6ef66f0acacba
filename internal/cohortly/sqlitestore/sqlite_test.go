package sqlitestore_test

import (
	"path/filepath"
	"testing"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/sqlitestore"
	"github.com/momentum-cohortly/backends/internal/cohortly/storetest"
)

func openFresh(t *testing.T) cohortly.Store {
	// A nested, not yet existing directory: Open must create it.
	s, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "data", "nested", "cohortly.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, openFresh)
}
