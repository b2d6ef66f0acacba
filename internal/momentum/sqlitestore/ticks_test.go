package sqlitestore

import (
	"errors"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// Ticks that arrive while one is being written go together in the next transaction, and each keeps
// its own answer: its task set, not the restaurant's (not found), its account unknown or refused;
// two ticks of one task apply in the order they arrived.
func TestTicksThatWaitRunTogetherAndKeepTheirAnswers(t *testing.T) {
	s := openT(t, filepath.Join(t.TempDir(), "ticks.db"))
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	ua, ra, err := s.CreateAccount(ctx, momentum.NewAccount{Email: "a@example.com", PasswordHash: "h", RestaurantName: "A", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	_, rb, err := s.CreateAccount(ctx, momentum.NewAccount{Email: "b@example.com", PasswordHash: "h", RestaurantName: "B", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureAdmin(ctx, "admin@example.com", "h", now); err != nil {
		t.Fatal(err)
	}
	admin, err := s.UserByEmail(ctx, "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	ta, _ := s.PendingTasks(ctx, ra.ID, 10)
	tb, _ := s.PendingTasks(ctx, rb.ID, 10)
	unknown, refused := errors.New("unknown account"), errors.New("not a restaurant")
	allow := func(a momentum.AccountRole, ok bool) (int64, error) {
		switch {
		case !ok:
			return 0, unknown
		case a.Role != momentum.RoleRestaurant:
			return 0, refused
		}
		return a.RestaurantID, nil
	}
	as := func(user, task int64, complete bool) func() error {
		return func() error { return s.SetTaskCompleteAs(ctx, user, task, complete, now.Add(time.Minute), allow) }
	}

	// The writer's only connection is taken: the first tick's run waits for it, the rest for the run.
	held, err := s.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	calls := []struct {
		name string
		do   func() error
		want error
	}{
		{"first, alone", as(ua.ID, ta[0].ID, true), nil},
		{"tick", as(ua.ID, ta[1].ID, true), nil},
		{"untick the same task after", as(ua.ID, ta[1].ID, false), nil},
		{"another restaurant's task", as(ua.ID, tb[0].ID, true), momentum.ErrNotFound},
		{"unknown account", as(ua.ID+1000, ta[2].ID, true), unknown},
		{"admin", as(admin.ID, ta[2].ID, true), refused},
		{"the other restaurant", as(rb.UserID, tb[0].ID, true), nil},
		{"by restaurant", func() error { return s.SetTaskComplete(ctx, rb.ID, tb[1].ID, true, now) }, nil},
	}
	errs := make([]chan error, len(calls))
	for i, c := range calls {
		errs[i] = make(chan error, 1)
		go func() { errs[i] <- c.do() }()
		for (i == 0 && s.ticks.Running() == 0) || (i > 0 && s.ticks.Waiting() < i) {
			runtime.Gosched()
		}
	}
	held.Close()
	for i, c := range calls {
		if err := <-errs[i]; !errors.Is(err, c.want) || (err == nil) != (c.want == nil) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	pendingA, _ := s.PendingTasks(ctx, ra.ID, 10)
	pendingB, _ := s.PendingTasks(ctx, rb.ID, 10)
	if got, want := ids(pendingA), []int64{ta[1].ID, ta[2].ID, ta[3].ID}; !slices.Equal(got, want) {
		t.Errorf("restaurant A pending %v, want %v", got, want)
	}
	if got, want := ids(pendingB), []int64{tb[2].ID, tb[3].ID}; !slices.Equal(got, want) {
		t.Errorf("restaurant B pending %v, want %v", got, want)
	}
}

func ids(ts []momentum.Task) []int64 {
	out := []int64{}
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}
