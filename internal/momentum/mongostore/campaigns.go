package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// CreateCampaign stores c with a new id. The returned campaign is what a later read returns
// (times truncated, details re-rendered from what was stored).
func (s *Store) CreateCampaign(ctx context.Context, c momentum.Campaign) (momentum.Campaign, error) {
	w := campaignWrite{
		RestaurantID: c.RestaurantID, CampaignType: c.Type, Status: c.Status, Name: c.Name,
		Details: detailsValue(c.Details), Budget: c.Budget, CreatedAt: ts(c.CreatedAt), UpdatedAt: ts(c.UpdatedAt),
	}
	if c.Budget != nil {
		b := *c.Budget
		w.Budget = &b
	}
	if c.ExternalID != "" {
		ext := c.ExternalID
		w.ExternalID = &ext
	}
	id, err := s.insertWithID(ctx, s.campaigns, collCampaigns, "campaign_id", func(id int64) any {
		w.CampaignID = id
		return w
	})
	if err != nil {
		return momentum.Campaign{}, fmt.Errorf("create campaign %q: %w", c.Name, err)
	}
	w.CampaignID = id
	raw, err := bson.Marshal(w)
	if err != nil {
		return momentum.Campaign{}, fmt.Errorf("encode campaign %d: %w", id, err)
	}
	var d campaignDoc
	if err := bson.Unmarshal(raw, &d); err != nil {
		return momentum.Campaign{}, fmt.Errorf("decode campaign %d: %w", id, err)
	}
	return d.campaign(), nil
}

// CampaignByExternalID returns the restaurant's campaign with that provider id.
func (s *Store) CampaignByExternalID(ctx context.Context, restaurantID int64, externalID string) (momentum.Campaign, error) {
	what := fmt.Sprintf("campaign %q of restaurant %d", externalID, restaurantID)
	if externalID == "" {
		return momentum.Campaign{}, fmt.Errorf("%s: %w", what, momentum.ErrNotFound)
	}
	filter := bson.D{{Key: "restaurant_id", Value: restaurantID}, {Key: "external_id", Value: externalID}}
	var d campaignDoc
	err := findOne(ctx, s.campaigns, filter, &d, what,
		options.FindOne().SetSort(sortAsc("campaign_id")))
	if err != nil {
		return momentum.Campaign{}, err
	}
	return d.campaign(), nil
}

// Campaigns lists a restaurant's campaigns, newest first.
func (s *Store) Campaigns(ctx context.Context, restaurantID int64, status string, limit int) ([]momentum.Campaign, error) {
	filter := bson.D{{Key: "restaurant_id", Value: restaurantID}}
	if status != "" {
		filter = append(filter, bson.E{Key: "status", Value: status})
	}
	opts := options.Find().SetSort(sortDesc("created_at", "campaign_id"))
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	var ds []campaignDoc
	if err := findAll(ctx, s.campaigns, filter, &ds, opts); err != nil {
		return nil, err
	}
	out := make([]momentum.Campaign, len(ds))
	for i, d := range ds {
		out[i] = d.campaign()
	}
	return out, nil
}

// CountCampaignsSince counts campaigns created at or after since (whole seconds, like the stored
// times); restaurantID 0 means all restaurants.
func (s *Store) CountCampaignsSince(ctx context.Context, restaurantID int64, since time.Time) (int64, error) {
	filter := bson.D{{Key: "created_at", Value: bson.D{{Key: "$gte", Value: ts(since)}}}}
	if restaurantID != 0 {
		filter = append(bson.D{{Key: "restaurant_id", Value: restaurantID}}, filter...)
	}
	n, err := s.campaigns.CountDocuments(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("count campaigns: %w", err)
	}
	return n, nil
}
