package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
)

func scanCampaign(sc rowScanner) (momentum.Campaign, error) {
	var c momentum.Campaign
	var details, ext sql.NullString
	var budget sql.NullFloat64
	err := sc.Scan(&c.ID, &c.RestaurantID, &c.Type, &c.Status, &c.Name, &details, &budget, &ext, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	c.Details, c.ExternalID = details.String, ext.String
	if budget.Valid {
		v := budget.Float64
		c.Budget = &v
	}
	return c, err
}

// emptyToNull stores "" as NULL, which is what legacy rows without details hold.
func emptyToNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateCampaign inserts c and returns it as stored, with its new id.
func (s *Store) CreateCampaign(ctx context.Context, c momentum.Campaign) (momentum.Campaign, error) {
	var budget any
	if c.Budget != nil {
		budget = *c.Budget
	}
	got, err := scanCampaign(s.w.QueryRowContext(ctx, `INSERT INTO campaigns
		(restaurant_id, campaign_type, status, name, details, budget, external_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+campaignCols,
		c.RestaurantID, c.Type, c.Status, c.Name, emptyToNull(c.Details), budget, emptyToNull(c.ExternalID),
		formatTime(c.CreatedAt), formatTime(c.UpdatedAt)))
	if err != nil {
		return momentum.Campaign{}, fmt.Errorf("insert campaign for restaurant %d: %w", c.RestaurantID, err)
	}
	return got, nil
}

// CampaignByExternalID finds a restaurant's campaign by the provider's id.
func (s *Store) CampaignByExternalID(ctx context.Context, restaurantID int64, externalID string) (momentum.Campaign, error) {
	if externalID == "" {
		return momentum.Campaign{}, fmt.Errorf("load campaign with empty external id: %w", momentum.ErrNotFound)
	}
	c, err := scanCampaign(s.q.campaignByExternal.QueryRowContext(ctx, restaurantID, externalID))
	if err != nil {
		return momentum.Campaign{}, fmt.Errorf("load campaign %q of restaurant %d: %w", externalID, restaurantID, notFound(err))
	}
	return c, nil
}

// Campaigns lists a restaurant's campaigns, newest first.
func (s *Store) Campaigns(ctx context.Context, restaurantID int64, status string, limit int) ([]momentum.Campaign, error) {
	var out []momentum.Campaign
	var err error
	switch {
	case status == "":
		// The whole list can be long; it is the campaigns page's, not a hot path.
		rows, qerr := s.q.campaigns.QueryContext(ctx, restaurantID, sqlLimit(limit))
		out, err = collect(rows, qerr, scanCampaign)
	default:
		out, err = sqlitefile.Query(ctx, s.snap, qCampaignsByStatus, []any{restaurantID, status, sqlLimit(limit)}, scanCampaign)
	}
	if err != nil {
		return nil, fmt.Errorf("load campaigns of restaurant %d: %w", restaurantID, err)
	}
	return out, nil
}

// CountCampaignsSince counts campaigns created at or after since. Both sides are legacy-format UTC
// text, so the comparison is chronological (the legacy server compared against an ISO string and
// missed the cutoff day, contract 7.5).
func (s *Store) CountCampaignsSince(ctx context.Context, restaurantID int64, since time.Time) (int64, error) {
	var n int64
	var err error
	if restaurantID == 0 {
		err = s.q.countAllCampaignsSince.QueryRowContext(ctx, formatTime(since)).Scan(&n)
	} else {
		err = s.q.countCampaignsSince.QueryRowContext(ctx, restaurantID, formatTime(since)).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("count campaigns of restaurant %d: %w", restaurantID, err)
	}
	return n, nil
}

// DashboardLists reads the restaurant dashboard's lists (active campaigns and pending tasks, up to
// limit each, and the campaigns created since) in one read transaction, checked against the data
// version once: the same answers as Campaigns, PendingTasks and CountCampaignsSince.
func (s *Store) DashboardLists(ctx context.Context, restaurantID int64, limit int, since time.Time) (momentum.DashboardLists, error) {
	var d momentum.DashboardLists
	err := s.snap.Read(ctx, func(v *sqlitefile.View) error {
		var err error
		if d.ActiveCampaigns, err = sqlitefile.ViewQuery(v, qCampaignsByStatus, []any{restaurantID, momentum.CampaignActive, sqlLimit(limit)}, scanCampaign); err != nil {
			return fmt.Errorf("active campaigns: %w", err)
		}
		if d.PendingTasks, err = sqlitefile.ViewQuery(v, qPendingTasks, []any{restaurantID, sqlLimit(limit)}, scanTask); err != nil {
			return fmt.Errorf("pending tasks: %w", err)
		}
		counts, err := sqlitefile.ViewQuery(v, qCountCampaignsSince, []any{restaurantID, formatTime(since)}, scanCount)
		if err != nil {
			return fmt.Errorf("recent campaigns: %w", err)
		}
		if len(counts) == 1 {
			d.RecentCampaigns = counts[0]
		}
		return nil
	})
	if err != nil {
		return momentum.DashboardLists{}, fmt.Errorf("dashboard of restaurant %d: %w", restaurantID, err)
	}
	return d, nil
}

func scanCount(r rowScanner) (int64, error) {
	var c int64
	return c, r.Scan(&c)
}
