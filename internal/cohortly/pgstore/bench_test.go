package pgstore_test

import (
	"testing"

	"github.com/momentum-cohortly/backends/internal/cohortly/pgstore"
	"github.com/momentum-cohortly/backends/internal/cohortly/storetest"
)

// go test -run '^$' -bench . ./internal/cohortly/pgstore/
func BenchmarkHotReads(b *testing.B) {
	s, err := pgstore.Open(b.Context(), freshDB(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchHotReads(b, s)
}
