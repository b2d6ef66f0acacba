package momentum

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum/providers"
	"github.com/momentum-cohortly/backends/internal/platform/apperr"
)

// Budget limits of a daily ad budget, in dollars (legacy validateBudget).
const (
	MinDailyBudget = 5
	MaxDailyBudget = 1000
	MaxCopyField   = 200 // restaurantName, itemToPromote, offer
)

// AdInput is the Facebook campaign form.
type AdInput struct {
	RestaurantName, ItemToPromote, Offer string
	// Budget is the raw value: form fields are text, JSON may send a number.
	Budget string
	// Photo is the generated name of an already stored dish photo, or "". It is removed if creating the
	// campaign fails.
	Photo string
}

// AdResult is a created Facebook campaign.
type AdResult struct {
	Campaign    Campaign
	Provider    providers.AdCampaign
	PromoCode   string
	AdCopy      string
	DailyBudget float64
}

var adRequired = []string{"restaurantName", "itemToPromote", "offer", "budget"}

func checkCopyFields(fields map[string]string) error {
	for name, v := range fields {
		if len([]rune(v)) > MaxCopyField {
			return invalid(fmt.Sprintf("%s must be at most %d characters", name, MaxCopyField))
		}
	}
	return nil
}

// ParseBudget reads a daily budget strictly: a finite decimal number in [5, 1000]. The legacy server
// let "abc" through as NaN and read "10abc" as 10.
func ParseBudget(raw string) (float64, error) {
	b, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || math.IsNaN(b) || math.IsInf(b, 0) {
		return 0, invalid("Budget must be a number")
	}
	if b < MinDailyBudget {
		return 0, invalid("Minimum daily budget is $5")
	}
	if b > MaxDailyBudget {
		return 0, invalid("Maximum daily budget is $1000")
	}
	return b, nil
}

// CreateAdCampaign writes ad copy, creates the campaign on the ads platform and records it.
func (s *Service) CreateAdCampaign(ctx context.Context, p *Principal, in AdInput) (res AdResult, err error) {
	defer func() {
		if err != nil && in.Photo != "" && s.uploads != nil {
			if rerr := s.uploads.Remove(in.Photo); rerr != nil {
				s.log.ErrorContext(ctx, "remove photo of failed campaign", slog.String("error", rerr.Error()))
			}
		}
	}()
	r, err := s.restaurantFor(ctx, p, ActRestaurant, RestaurantRef{})
	if err != nil {
		return AdResult{}, err
	}
	if strings.TrimSpace(in.RestaurantName) == "" || strings.TrimSpace(in.ItemToPromote) == "" || strings.TrimSpace(in.Offer) == "" || strings.TrimSpace(in.Budget) == "" {
		return AdResult{}, &apperr.Error{Kind: apperr.KindInvalid, Message: "Missing required fields", Fields: apperr.Names(adRequired...)}
	}
	if err := checkCopyFields(map[string]string{"restaurantName": in.RestaurantName, "itemToPromote": in.ItemToPromote, "offer": in.Offer}); err != nil {
		return AdResult{}, err
	}
	budget, err := ParseBudget(in.Budget)
	if err != nil {
		return AdResult{}, err
	}
	promo := PromoCode(in.ItemToPromote, s.clk.Now(), s.cfg.Location)
	copy, err := s.prov.Copywriter.AdCopy(ctx, providers.AdCopyRequest{RestaurantName: in.RestaurantName, ItemToPromote: in.ItemToPromote, Offer: in.Offer})
	if err != nil {
		return AdResult{}, providerError("Failed to generate ad copy", err)
	}
	camp, err := s.prov.Ads.CreateCampaign(ctx, providers.AdCampaignRequest{
		RestaurantName: in.RestaurantName, ItemToPromote: in.ItemToPromote, Offer: in.Offer,
		DailyBudget: budget, AdCopy: copy.Text, PromoCode: promo,
	})
	if err != nil {
		return AdResult{}, providerError("Failed to create Facebook ad campaign", err)
	}
	details := map[string]any{
		"platform": "facebook", "externalId": camp.ID, "adSetId": camp.AdSetID, "campaignUrl": camp.URL,
		"restaurantName": in.RestaurantName, "itemToPromote": in.ItemToPromote, "offer": in.Offer,
		"promoCode": promo, "adCopy": copy.Text, "characterCount": copy.CharacterCount, "model": copy.Model,
		"expectedReach": camp.ExpectedReach, "estimatedImpressions": camp.EstimatedImpressions,
		"dailyBudget": budget,
	}
	if in.Photo != "" {
		details["photo"] = in.Photo
	}
	now := s.now()
	c, err := s.recordCampaign(ctx, Campaign{
		RestaurantID: r.ID, Type: CampaignAd, Status: CampaignActive,
		Name: in.ItemToPromote + ": " + in.Offer, Budget: &budget, ExternalID: camp.ID,
		CreatedAt: now, UpdatedAt: now,
	}, details)
	if err != nil {
		return AdResult{}, err
	}
	return AdResult{Campaign: c, Provider: camp, PromoCode: promo, AdCopy: copy.Text, DailyBudget: budget}, nil
}

func (s *Service) recordCampaign(ctx context.Context, c Campaign, details any) (Campaign, error) {
	b, err := json.Marshal(details)
	if err != nil {
		return Campaign{}, fmt.Errorf("encode campaign details: %w", err)
	}
	c.Details = string(b)
	saved, err := s.store.CreateCampaign(ctx, c)
	if err != nil {
		return Campaign{}, fmt.Errorf("record %s campaign %s for %d: %w", c.Type, c.ExternalID, c.RestaurantID, err)
	}
	return saved, nil
}

func providerError(msg string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &apperr.Error{Kind: apperr.KindProvider, Message: msg, Err: err}
}

// AdPreview is a generated ad that is not published.
type AdPreview struct {
	AdCopy         string
	PromoCode      string
	CharacterCount int
}

// PreviewAd writes ad copy without creating anything.
func (s *Service) PreviewAd(ctx context.Context, restaurantName, item, offer string) (AdPreview, error) {
	if strings.TrimSpace(restaurantName) == "" || strings.TrimSpace(item) == "" || strings.TrimSpace(offer) == "" {
		return AdPreview{}, invalid("Missing required fields for preview")
	}
	if err := checkCopyFields(map[string]string{"restaurantName": restaurantName, "itemToPromote": item, "offer": offer}); err != nil {
		return AdPreview{}, err
	}
	copy, err := s.prov.Copywriter.AdCopy(ctx, providers.AdCopyRequest{RestaurantName: restaurantName, ItemToPromote: item, Offer: offer})
	if err != nil {
		return AdPreview{}, providerError("Failed to generate preview", err)
	}
	return AdPreview{AdCopy: copy.Text, PromoCode: PromoCode(item, s.clk.Now(), s.cfg.Location), CharacterCount: copy.CharacterCount}, nil
}

// AdStatus is a stored Facebook campaign with its current metrics.
type AdStatus struct {
	Campaign Campaign
	Metrics  providers.AdMetrics
	At       time.Time
}

// campaignFor finds a stored campaign of the caller's restaurant (their own, or the one an admin
// impersonates) by the provider id the client was given.
func (s *Service) campaignFor(ctx context.Context, p *Principal, externalID, typ string) (Campaign, error) {
	r, err := s.restaurantFor(ctx, p, ActRestaurant, RestaurantRef{})
	if err != nil {
		return Campaign{}, err
	}
	c, err := s.store.CampaignByExternalID(ctx, r.ID, externalID)
	if errors.Is(err, ErrNotFound) || (err == nil && c.Type != typ) {
		return Campaign{}, notFound("Campaign not found")
	}
	if err != nil {
		return Campaign{}, fmt.Errorf("campaign %q: %w", externalID, err)
	}
	return c, nil
}

// AdCampaignStatus reports a stored Facebook campaign.
func (s *Service) AdCampaignStatus(ctx context.Context, p *Principal, externalID string) (AdStatus, error) {
	c, err := s.campaignFor(ctx, p, externalID, CampaignAd)
	if err != nil {
		return AdStatus{}, err
	}
	m, err := s.prov.Ads.CampaignMetrics(ctx, c.ExternalID)
	if err != nil {
		return AdStatus{}, providerError("Failed to get campaign status", err)
	}
	return AdStatus{Campaign: c, Metrics: m, At: s.clk.Now()}, nil
}
