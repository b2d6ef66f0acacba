package pgstore_test

import (
	"sync/atomic"
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

// BenchmarkCreateLeads is POST /leads's store call from concurrent requests, with the statements run
// per lead (below one when creations share a statement).
func BenchmarkCreateLeads(b *testing.B) {
	var statements atomic.Int64
	s, err := pgstore.Open(b.Context(), freshDB(b), pgstore.WithObserver(func(string) { statements.Add(1) }))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchCreateLeads(b, s, &statements)
}
