// Package storetest is the one contract suite every cohortly.Store adapter passes. Adapters call
// Run from their own tests with a function that opens a fresh, empty, migrated store.
//
// The suite never reads the wall clock: every time comes from a fixed base, so orderings, expiry and
// follow-up windows are deterministic.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// base is the suite's "now". Milliseconds are non-zero on purpose: precision must survive the trip.
var base = time.Date(2026, time.March, 4, 10, 20, 30, 123_000_000, time.UTC)

func at(ms int) time.Time { return base.Add(time.Duration(ms) * time.Millisecond) }

func ptr[T any](v T) *T { return &v }

// Run runs the whole suite. open must return a new empty store (schema migrated) for each call and
// arrange its cleanup with t.Cleanup.
func Run(t *testing.T, open func(t *testing.T) cohortly.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s cohortly.Store)
	}{
		{"Users", testUsers},
		{"UserEmailConcurrentRegistration", testUserEmailRace},
		{"DeleteUser", testDeleteUser},
		{"RefreshTokenRotation", testRotation},
		{"RefreshTokenLegacyPlaintext", testLegacyToken},
		{"RefreshTokenConcurrentRotation", testRotationRace},
		{"RefreshTokenRevocation", testRevocation},
		{"RefreshTokenCheckWithoutRotation", testCheckToken},
		{"Leads", testLeads},
		{"CreateLeadAsAdmitsTheCreator", testCreateLeadAs},
		{"LeadListOrderPaginationFilters", testLeadList},
		{"ListsReadTheViewer", testListViewer},
		{"LeadLogsAndFollowUps", testLeadLogs},
		{"Bootcamps", testBootcamps},
		{"Batches", testBatches},
		{"Enrollments", testEnrollments},
		{"EnrollmentConcurrentDuplicate", testEnrollmentRace},
		{"EnsureFirstLesson", testEnsureFirstLesson},
		{"Assignments", testAssignments},
		{"SubmissionsAndGrades", testSubmissions},
		{"ReplaceAllDemoDataset", testReplaceAll},
		{"EmptyListsAreNotNil", testEmptyLists},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			tc.fn(t, s)
		})
	}
}

// ---- helpers

func ctxT(t *testing.T) context.Context { return t.Context() }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want %v", err, want)
	}
}

func eqTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) || got.Location() != time.UTC {
		t.Fatalf("%s = %v (%v), want %v UTC", what, got, got.Location(), want)
	}
}

func eqTimeP(t *testing.T, what string, got, want *time.Time) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Fatalf("%s = %v, want %v", what, got, want)
	default:
		eqTime(t, what, *got, *want)
	}
}

// id returns a deterministic UUID-shaped id; distinct n give distinct ids, and the order of ids is the
// order of n (so tie-break expectations are easy to write).
func id(prefix byte, n int) string {
	return fmt.Sprintf("%c0000000-0000-4000-8000-%012d", prefix, n)
}

func mkUser(t *testing.T, s cohortly.Store, n int, role cohortly.Role) cohortly.User {
	t.Helper()
	u := cohortly.User{
		ID: id('a', n), Email: fmt.Sprintf("user%d@example.com", n), PasswordHash: "$2b$10$hash",
		Role: role, FullName: fmt.Sprintf("User %d", n), Phone: ptr(fmt.Sprintf("+1555000%04d", n)), IsActive: true,
		CreatedAt: at(n), UpdatedAt: at(n),
	}
	must(t, s.CreateUser(ctxT(t), u))
	return u
}

func mkLead(t *testing.T, s cohortly.Store, n int, by string, createdAt time.Time, mod func(*cohortly.Lead)) cohortly.Lead {
	t.Helper()
	l := cohortly.Lead{
		ID: id('b', n), FullName: fmt.Sprintf("Lead %d", n), Email: fmt.Sprintf("lead%d@example.com", n),
		Source: cohortly.SourceWebsite, Status: cohortly.LeadNew, CreatedBy: by, CreatedAt: createdAt, UpdatedAt: createdAt,
	}
	if mod != nil {
		mod(&l)
	}
	must(t, s.CreateLead(ctxT(t), l, nil))
	return l
}

// curriculum creates admin, a bootcamp with a batch, a module with a lesson; returns their ids.
type world struct {
	admin, student cohortly.User
	bootcamp       cohortly.Bootcamp
	batch          cohortly.Batch
	module         cohortly.Module
	lesson         cohortly.Lesson
}

func mkWorld(t *testing.T, s cohortly.Store) world {
	t.Helper()
	ctx := ctxT(t)
	w := world{admin: mkUser(t, s, 1, cohortly.RoleAdmin), student: mkUser(t, s, 2, cohortly.RoleStudent)}
	w.bootcamp = cohortly.Bootcamp{ID: id('c', 1), Title: "Go Bootcamp", Description: "Learn Go", Mode: cohortly.ModeHybrid,
		Price: 199999, Duration: ptr(12), IsActive: true, CreatedBy: w.admin.ID, CreatedAt: at(100), UpdatedAt: at(100)}
	w.batch = cohortly.Batch{ID: id('d', 1), BatchName: "GO-1", StartDate: at(1000), EndDate: at(900000), Capacity: 30,
		Status: cohortly.BatchUpcoming, CreatedAt: at(100), UpdatedAt: at(100)}
	must(t, s.CreateBootcamp(ctx, w.bootcamp, &w.batch))
	w.batch.BootcampID = w.bootcamp.ID
	w.module = cohortly.Module{ID: id('e', 1), BootcampID: w.bootcamp.ID, Title: "Intro", OrderIndex: 1, CreatedAt: at(110), UpdatedAt: at(110)}
	must(t, s.CreateModule(ctx, w.module))
	w.lesson = cohortly.Lesson{ID: id('f', 1), ModuleID: w.module.ID, Title: "Hello", ContentType: cohortly.ContentVideo,
		OrderIndex: 1, CreatedAt: at(120), UpdatedAt: at(120)}
	must(t, s.CreateLesson(ctx, w.lesson))
	return w
}

// leadPage and bootcampPage list without a viewer.
func leadPage(ctx context.Context, s cohortly.Store, f cohortly.LeadFilter, p cohortly.Page) ([]cohortly.LeadView, int, error) {
	l, err := s.ListLeads(ctx, "", f, p)
	return l.Items, l.Total, err
}

func bootcampPage(ctx context.Context, s cohortly.Store, f cohortly.BootcampFilter, p cohortly.Page) ([]cohortly.BootcampView, int, error) {
	l, err := s.ListBootcamps(ctx, "", f, p)
	return l.Items, l.Total, err
}

// race runs fn(i) for i in [0,n) at once and returns the errors.
func race(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// oneWinner checks exactly one nil error and that every other error is want.
func oneWinner(t *testing.T, errs []error, want error) int {
	t.Helper()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("two winners: %d and %d", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, want):
			t.Fatalf("goroutine %d: error %v, want %v", i, err, want)
		}
	}
	if winner < 0 {
		t.Fatalf("no winner: %v", errs)
	}
	return winner
}
