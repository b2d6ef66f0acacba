package pgstore_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// The callers' rows that concurrent requests read are read together (one statement for many), and
// each request still gets its own answer, as fresh as a read of its own: a user deactivated or
// deleted is seen so by the very next read.
func TestConcurrentUserReadsKeepTheirOwnAnswers(t *testing.T) {
	s := openStore(t)
	ctx := t.Context()
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	const users = 30
	createUsers(t, s, users, "u-%02d", "u%02d@example.com", cohortly.RoleStudent, now)
	var wg sync.WaitGroup
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 25; k++ {
				i := (g*7 + k*13) % (users + 5) // five of every 35 ids do not exist
				id := fmt.Sprintf("u-%02d", i)
				u, err := s.UserByID(ctx, id)
				switch {
				case i >= users:
					if !errors.Is(err, cohortly.ErrNotFound) {
						t.Errorf("%s: %+v, %v; want not found", id, u, err)
						return
					}
				case err != nil || u.ID != id || u.Email != fmt.Sprintf("u%02d@example.com", i) || !u.IsActive:
					t.Errorf("%s: %+v, %v", id, u, err)
					return
				}
			}
		}()
	}
	wg.Wait()

	if _, err := s.UpdateUser(ctx, "u-03", cohortly.UserPatch{IsActive: cohortly.Opt[bool]{Set: true, V: false}}, now); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, "u-04"); err != nil {
		t.Fatal(err)
	}
	if u, err := s.UserByID(ctx, "u-03"); err != nil || u.IsActive {
		t.Errorf("deactivated user read as %+v, %v", u, err)
	}
	if _, err := s.UserByID(ctx, "u-04"); !errors.Is(err, cohortly.ErrNotFound) {
		t.Errorf("deleted user: %v", err)
	}
}

// createUsers creates n active users, the i-th with id and email formatted from i.
func createUsers(t *testing.T, s cohortly.Store, n int, id, email string, role cohortly.Role, now time.Time) {
	t.Helper()
	for i := 0; i < n; i++ {
		u := cohortly.User{ID: fmt.Sprintf(id, i), Email: fmt.Sprintf(email, i), PasswordHash: "h",
			Role: role, FullName: fmt.Sprint("User ", i), IsActive: true, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
}
