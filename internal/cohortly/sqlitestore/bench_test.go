package sqlitestore_test

import (
	"path/filepath"
	"testing"

	"github.com/momentum-cohortly/backends/internal/cohortly/sqlitestore"
	"github.com/momentum-cohortly/backends/internal/cohortly/storetest"
)

// go test -run '^$' -bench . ./internal/cohortly/sqlitestore/
func BenchmarkHotReads(b *testing.B) {
	s, err := sqlitestore.Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchHotReads(b, s)
}

func BenchmarkCreateLeads(b *testing.B) {
	s, err := sqlitestore.Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchCreateLeads(b, s, nil)
}
