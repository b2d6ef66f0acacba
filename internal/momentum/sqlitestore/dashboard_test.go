package sqlitestore

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// DashboardLists (one read transaction) answers what Campaigns, PendingTasks and CountCampaignsSince
// answer one by one, before and after writes, and as the 7-day window moves.
func TestDashboardListsIsTheThreeReads(t *testing.T) {
	s := openT(t, filepath.Join(t.TempDir(), "d.db"))
	_, r, err := s.CreateAccount(ctx, momentum.NewAccount{Email: "d@example.com", PasswordHash: "h", RestaurantName: "D", Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	check := func(step string, since time.Time) {
		t.Helper()
		got, err := s.DashboardLists(ctx, r.ID, 3, since)
		if err != nil {
			t.Fatal(err)
		}
		var want momentum.DashboardLists
		if want.ActiveCampaigns, err = s.Campaigns(ctx, r.ID, momentum.CampaignActive, 3); err != nil {
			t.Fatal(err)
		}
		if want.PendingTasks, err = s.PendingTasks(ctx, r.ID, 3); err != nil {
			t.Fatal(err)
		}
		if want.RecentCampaigns, err = s.CountCampaignsSince(ctx, r.ID, since); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", step, got, want)
		}
	}
	week := fixedNow.Add(-momentum.RecentWindow)
	check("new account", week)
	for i, at := range []time.Time{fixedNow.Add(-8 * 24 * time.Hour), fixedNow.Add(-time.Hour), fixedNow} {
		if _, err := s.CreateCampaign(ctx, momentum.Campaign{RestaurantID: r.ID, Type: "ad", Status: momentum.CampaignActive,
			Name: "c", ExternalID: string(rune('a' + i)), CreatedAt: at, UpdatedAt: at}); err != nil {
			t.Fatal(err)
		}
		check("after a campaign", week)
	}
	tasks, _ := s.PendingTasks(ctx, r.ID, 0)
	if err := s.SetTaskComplete(ctx, r.ID, tasks[0].ID, true, fixedNow); err != nil {
		t.Fatal(err)
	}
	check("after a tick", week)
	got, _ := s.DashboardLists(ctx, r.ID, 3, week)
	if got.RecentCampaigns != 2 || len(got.PendingTasks) != len(tasks)-1 && len(got.PendingTasks) != 3 {
		t.Errorf("after the writes: %+v", got)
	}
	// A day later the campaign of an hour ago is still in the window, the older one long gone.
	later := week.Add(24 * time.Hour)
	check("a day later", later)
	if got, _ := s.DashboardLists(ctx, r.ID, 3, later.Add(7*24*time.Hour)); got.RecentCampaigns != 0 {
		t.Errorf("a week later: %d recent", got.RecentCampaigns)
	}
}
