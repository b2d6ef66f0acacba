package momentum

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/apperr"
)

// RecentWindow is the dashboard's "Last 7 Days".
const RecentWindow = 7 * 24 * time.Hour

// RestaurantDashboard is GET /api/dashboard/restaurant.
type RestaurantDashboard struct {
	Restaurant           Restaurant
	NewCustomersAcquired int
	CustomersReengaged   int
	ActiveCampaigns      []Campaign
	PendingTasks         []Task
	RecentCampaigns      int64
}

// RestaurantDashboard assembles the restaurant's dashboard. The performance numbers are placeholders in
// the legacy product too (random in the legacy ranges); the campaign figures come from stored campaigns.
func (s *Service) RestaurantDashboard(ctx context.Context, p *Principal) (RestaurantDashboard, error) {
	r, err := s.restaurantFor(ctx, p, ActRestaurant, RestaurantRef{})
	if err != nil {
		return RestaurantDashboard{}, err
	}
	d := RestaurantDashboard{Restaurant: r, NewCustomersAcquired: s.intBetween(10, 59), CustomersReengaged: s.intBetween(5, 34)}
	// The legacy comparison mixed two string formats and dropped campaigns made on the cutoff day after
	// the cutoff time; comparing instants counts exactly the last 7×24 hours.
	lists, err := s.dashboardLists(ctx, r.ID, 3, s.now().Add(-RecentWindow))
	if err != nil {
		return RestaurantDashboard{}, fmt.Errorf("dashboard %d: %w", r.ID, err)
	}
	d.ActiveCampaigns, d.PendingTasks, d.RecentCampaigns = lists.ActiveCampaigns, lists.PendingTasks, lists.RecentCampaigns
	return d, nil
}

// DashboardLists are the stored parts of the restaurant dashboard.
type DashboardLists struct {
	ActiveCampaigns []Campaign
	PendingTasks    []Task
	RecentCampaigns int64
}

// dashboardListsReader is a Store that reads the dashboard's lists in one go (SQLite: one read
// transaction instead of three).
type dashboardListsReader interface {
	DashboardLists(ctx context.Context, restaurantID int64, limit int, since time.Time) (DashboardLists, error)
}

func (s *Service) dashboardLists(ctx context.Context, restaurantID int64, limit int, since time.Time) (DashboardLists, error) {
	if dr, ok := s.store.(dashboardListsReader); ok {
		return dr.DashboardLists(ctx, restaurantID, limit, since)
	}
	var d DashboardLists
	var err error
	if d.ActiveCampaigns, err = s.store.Campaigns(ctx, restaurantID, CampaignActive, limit); err != nil {
		return d, fmt.Errorf("active campaigns: %w", err)
	}
	if d.PendingTasks, err = s.store.PendingTasks(ctx, restaurantID, limit); err != nil {
		return d, fmt.Errorf("pending tasks: %w", err)
	}
	if d.RecentCampaigns, err = s.store.CountCampaignsSince(ctx, restaurantID, since); err != nil {
		return d, fmt.Errorf("recent campaigns: %w", err)
	}
	return d, nil
}

// AdminDashboard is GET /api/dashboard/admin.
type AdminDashboard struct {
	TotalRestaurants int64
	RecentCampaigns  int64
	IncompleteSetups int64
}

// AdminDashboard returns platform-wide counts.
func (s *Service) AdminDashboard(ctx context.Context, p *Principal) (AdminDashboard, error) {
	if err := Can(p, ActAdminDashboard); err != nil {
		return AdminDashboard{}, err
	}
	var d AdminDashboard
	var err error
	if d.TotalRestaurants, err = s.store.CountRestaurants(ctx); err != nil {
		return d, fmt.Errorf("admin dashboard: %w", err)
	}
	if d.RecentCampaigns, err = s.store.CountCampaignsSince(ctx, 0, s.now().Add(-RecentWindow)); err != nil {
		return d, fmt.Errorf("admin dashboard: %w", err)
	}
	if d.IncompleteSetups, err = s.store.CountRestaurantsWithPendingTasks(ctx); err != nil {
		return d, fmt.Errorf("admin dashboard: %w", err)
	}
	return d, nil
}

// MaxSearchLen bounds the admin restaurant search.
const MaxSearchLen = 100

// Restaurants lists restaurants for an admin, optionally filtered by a literal name substring.
func (s *Service) Restaurants(ctx context.Context, p *Principal, search string) ([]RestaurantWithOwner, error) {
	if err := Can(p, ActAdminDashboard); err != nil {
		return nil, err
	}
	if len([]rune(search)) > MaxSearchLen {
		return nil, invalid(fmt.Sprintf("search must be at most %d characters", MaxSearchLen))
	}
	list, err := s.store.SearchRestaurants(ctx, search)
	if err != nil {
		return nil, fmt.Errorf("search restaurants: %w", err)
	}
	return list, nil
}

// Campaigns lists the caller's restaurant's campaigns, newest first.
func (s *Service) Campaigns(ctx context.Context, p *Principal) ([]Campaign, error) {
	r, err := s.restaurantFor(ctx, p, ActRestaurant, RestaurantRef{})
	if err != nil {
		return nil, err
	}
	list, err := s.store.Campaigns(ctx, r.ID, "", 0)
	if err != nil {
		return nil, fmt.Errorf("campaigns of %d: %w", r.ID, err)
	}
	return list, nil
}

// SetTaskComplete ticks or unticks one of the caller's restaurant's dashboard tasks.
func (s *Service) SetTaskComplete(ctx context.Context, p *Principal, taskID int64, complete bool) error {
	r, err := s.restaurantFor(ctx, p, ActRestaurant, RestaurantRef{})
	if err != nil {
		return err
	}
	return taskSet(taskID, r.ID, s.store.SetTaskComplete(ctx, r.ID, taskID, complete, s.now()))
}

// SetTaskCompleteWithToken is Authenticate and then SetTaskComplete, answering exactly as they do, for
// the dashboard's tick, the write clients repeat most: the caller's account is read in the tick's own
// write (Store.SetTaskCompleteAs), so it is as fresh as the write itself. A token of an impersonation
// session takes the two steps, since its session is read too.
func (s *Service) SetTaskCompleteWithToken(ctx context.Context, token string, taskID int64, complete bool) error {
	c, err := s.claims(token)
	if err != nil {
		return err
	}
	if c.ImpersonatingRestaurantID != nil || c.SessionID != "" {
		p, err := s.Authenticate(ctx, token)
		if err != nil {
			return err
		}
		return s.SetTaskComplete(ctx, p, taskID, complete)
	}
	var rid int64
	err = s.store.SetTaskCompleteAs(ctx, c.UserID, taskID, complete, s.now(), func(a AccountRole, ok bool) (int64, error) {
		if !ok {
			return 0, forbidden(MsgInvalidToken)
		}
		p := &Principal{User: User{ID: c.UserID, Role: a.Role}}
		if a.RestaurantID != 0 {
			p.Restaurant = &Restaurant{ID: a.RestaurantID, UserID: c.UserID}
		}
		// Without impersonation restaurantFor reads nothing: the caller's own restaurant, or a refusal.
		r, err := s.restaurantFor(ctx, p, ActRestaurant, RestaurantRef{})
		rid = r.ID
		return r.ID, err
	})
	if _, client := apperr.As(err); client {
		return err
	}
	return taskSet(taskID, rid, err)
}

// taskSet turns the store's answer to a tick into the service's.
func taskSet(taskID, restaurantID int64, err error) error {
	if errors.Is(err, ErrNotFound) {
		return notFound("Checklist item not found")
	}
	if err != nil {
		return fmt.Errorf("set task %d of %d: %w", taskID, restaurantID, err)
	}
	return nil
}
