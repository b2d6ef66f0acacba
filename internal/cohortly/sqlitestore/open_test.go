package sqlitestore_test

import (
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/sqlitestore"
)

// Reopening a file keeps its data and applies nothing twice; processes opening one new file together
// apply each version once.
func TestReopenAndConcurrentOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db", "c.db")
	var wg sync.WaitGroup
	reps := make([]sqlitestore.MigrateReport, 4)
	errs := make([]error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := sqlitestore.Open(t.Context(), path)
			errs[i] = err
			if err == nil {
				reps[i] = s.Migration()
				s.Close()
			}
		}()
	}
	wg.Wait()
	applied := 0
	for i := range 4 {
		if errs[i] != nil {
			t.Fatalf("open %d: %v", i, errs[i])
		}
		applied += len(reps[i].Applied)
	}
	if applied != 3 {
		t.Fatalf("%d versions applied in total, want 3: %+v", applied, reps)
	}

	s, err := sqlitestore.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 6_000_000, time.UTC)
	u := cohortly.User{ID: cohortly.NewID(), Email: "a@example.com", PasswordHash: "h", Role: cohortly.RoleStudent, FullName: "A",
		IsActive: true, CreatedAt: now, UpdatedAt: now}
	if err := s.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlitestore.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if rep := s.Migration(); len(rep.Applied) != 0 || rep.Current != 3 || !slices.Equal(rep.Unknown, nil) {
		t.Fatalf("reopen report %+v", rep)
	}
	got, err := s.UserByID(t.Context(), u.ID)
	if err != nil || !got.CreatedAt.Equal(now) || got.Phone != nil {
		t.Fatalf("after reopen: %+v, %v", got, err)
	}
}

func TestOpenRejectsEmptyPath(t *testing.T) {
	if _, err := sqlitestore.Open(t.Context(), ""); err == nil {
		t.Fatal("empty path accepted")
	}
}
