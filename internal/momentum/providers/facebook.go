package providers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

// FacebookConfig configures the Facebook Marketing API client.
type FacebookConfig struct {
	AccessToken string
	AdAccountID string   // with or without the "act_" prefix
	BaseURL     string   // default "https://graph.facebook.com"
	APIVersion  string   // default DefaultFacebookAPIVersion
	Status      string   // status of new campaigns and ad sets: PAUSED (default) or ACTIVE
	Countries   []string // ad set targeting, ISO country codes; default ["US"]
}

// DefaultFacebookAPIVersion is the Graph API version used when FACEBOOK_API_VERSION is not set.
const DefaultFacebookAPIVersion = "v19.0"

// Facebook is an AdsPlatform backed by the Facebook Marketing API.
type Facebook struct {
	cfg  FacebookConfig
	http httpCaller
	clk  clock.Clock
}

// NewFacebook returns the Facebook client.
func NewFacebook(cfg FacebookConfig, o ClientOptions) *Facebook {
	cfg.AdAccountID = strings.TrimPrefix(cfg.AdAccountID, "act_")
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://graph.facebook.com"
	}
	if cfg.APIVersion == "" {
		cfg.APIVersion = DefaultFacebookAPIVersion
	}
	if cfg.Status == "" {
		cfg.Status = "PAUSED"
	}
	if len(cfg.Countries) == 0 {
		cfg.Countries = []string{"US"}
	}
	return &Facebook{
		cfg: cfg,
		clk: orSystem(o.Clock),
		http: httpCaller{
			provider:  "facebook",
			hc:        orDefaultClient(o.HTTP),
			timeout:   o.Timeout,
			secrets:   []string{cfg.AccessToken},
			errorText: facebookErrorText,
		},
	}
}

// facebookNotFoundCode is the Graph API error code for an object that does not exist.
const facebookNotFoundCode = "100"

// CreateCampaign creates a campaign and its ad set (which carries the daily budget, in cents), then
// asks for a delivery estimate. New campaigns are PAUSED unless configured otherwise, so nothing is spent
// before someone has reviewed them in Ads Manager. If the ad set cannot be created the campaign is
// deleted again, so a failure leaves no half-made campaign behind.
func (f *Facebook) CreateCampaign(ctx context.Context, req AdCampaignRequest) (AdCampaign, error) {
	if math.IsNaN(req.DailyBudget) || math.IsInf(req.DailyBudget, 0) || req.DailyBudget <= 0 {
		return AdCampaign{}, fmt.Errorf("facebook: daily budget %v is not a positive amount", req.DailyBudget)
	}
	cents := int64(math.Round(req.DailyBudget * 100))
	name := clip(req.RestaurantName+" - "+req.ItemToPromote, 200)
	if req.PromoCode != "" {
		name = clip(name+" ("+req.PromoCode+")", 200)
	}

	campaignID, err := f.postForID(ctx, "create campaign", "/act_"+f.cfg.AdAccountID+"/campaigns", url.Values{
		"name":                  {name},
		"objective":             {"OUTCOME_AWARENESS"},
		"status":                {f.cfg.Status},
		"special_ad_categories": {"[]"},
	})
	if err != nil {
		return AdCampaign{}, err
	}

	targeting, _ := json.Marshal(map[string]any{
		"geo_locations": map[string]any{"countries": f.cfg.Countries},
		"age_min":       18,
		"age_max":       65,
	})
	adSetID, err := f.postForID(ctx, "create ad set", "/act_"+f.cfg.AdAccountID+"/adsets", url.Values{
		"name":              {name},
		"campaign_id":       {campaignID},
		"daily_budget":      {strconv.FormatInt(cents, 10)},
		"billing_event":     {"IMPRESSIONS"},
		"optimization_goal": {"REACH"},
		"bid_strategy":      {"LOWEST_COST_WITHOUT_CAP"},
		"targeting":         {string(targeting)},
		"status":            {f.cfg.Status},
	})
	if err != nil {
		f.deleteBestEffort(ctx, campaignID)
		return AdCampaign{}, err
	}

	reach, impressions := f.estimate(ctx, adSetID, cents)
	return AdCampaign{
		ID:                   campaignID,
		AdSetID:              adSetID,
		ExpectedReach:        reach,
		EstimatedImpressions: impressions,
		URL: "https://www.facebook.com/adsmanager/manage/campaigns?act=" + url.QueryEscape(f.cfg.AdAccountID) +
			"&selected_campaign_ids=" + url.QueryEscape(campaignID),
		CreatedAt: f.clk.Now(),
	}, nil
}

// CampaignMetrics reads the campaign's lifetime insights.
func (f *Facebook) CampaignMetrics(ctx context.Context, campaignID string) (AdMetrics, error) {
	const op = "campaign insights"
	if !isGraphID(campaignID) {
		return AdMetrics{}, fmt.Errorf("facebook: %q is not a Facebook campaign id: %w", campaignID, ErrNotFound)
	}
	q := url.Values{"fields": {"impressions,clicks,reach,spend"}, "date_preset": {"maximum"}}
	status, body, err := f.get(ctx, op, "/"+campaignID+"/insights?"+q.Encode())
	if err != nil {
		return AdMetrics{}, err
	}
	if !is2xx(status) {
		return AdMetrics{}, f.notFoundOr(f.http.statusErr(op, status, body))
	}
	var resp struct {
		Data []struct {
			Impressions json.Number `json:"impressions"`
			Clicks      json.Number `json:"clicks"`
			Reach       json.Number `json:"reach"`
			Spend       json.Number `json:"spend"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return AdMetrics{}, f.http.badAnswer(op, status, "not JSON", err)
	}
	m := AdMetrics{Spend: "0.00"}
	if len(resp.Data) == 0 {
		return m, nil // no delivery yet
	}
	d := resp.Data[0]
	var errs []error
	m.Impressions, errs = atoiNumber(d.Impressions, errs)
	m.Clicks, errs = atoiNumber(d.Clicks, errs)
	m.Reach, errs = atoiNumber(d.Reach, errs)
	spend := 0.0
	if d.Spend != "" {
		var err error
		if spend, err = strconv.ParseFloat(d.Spend.String(), 64); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return AdMetrics{}, f.http.badAnswer(op, status, "non-numeric metric", errors.Join(errs...))
	}
	m.Spend = fmt.Sprintf("%.2f", spend)
	return m, nil
}

func atoiNumber(n json.Number, errs []error) (int, []error) {
	if n == "" {
		return 0, errs
	}
	v, err := strconv.Atoi(n.String())
	if err != nil {
		return 0, append(errs, err)
	}
	return v, errs
}

// postForID posts a form to the Graph API and returns the "id" of what it created.
func (f *Facebook) postForID(ctx context.Context, op, path string, form url.Values) (string, error) {
	form.Set("access_token", f.cfg.AccessToken)
	encoded := form.Encode()
	status, body, err := f.http.call(ctx, op, func(ctx context.Context) (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url(path), strings.NewReader(encoded))
		if err != nil {
			return nil, err
		}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r, nil
	})
	if err != nil {
		return "", err
	}
	if !is2xx(status) {
		return "", f.http.statusErr(op, status, body)
	}
	var resp struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return "", f.http.badAnswer(op, status, "not JSON", err)
	}
	if !isGraphID(resp.ID) {
		return "", f.http.badAnswer(op, status, "no id", nil)
	}
	return resp.ID, nil
}

func (f *Facebook) get(ctx context.Context, op, pathAndQuery string) (int, []byte, error) {
	return f.http.call(ctx, op, func(ctx context.Context) (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodGet, f.url(pathAndQuery), nil)
		if err != nil {
			return nil, err
		}
		// In a header rather than the query string, so the token never lands in a logged URL.
		r.Header.Set("Authorization", "Bearer "+f.cfg.AccessToken)
		return r, nil
	})
}

// deleteBestEffort removes a campaign whose ad set failed. It runs even if ctx is already cancelled
// (that may be why the ad set failed) but under the client's own timeout.
func (f *Facebook) deleteBestEffort(ctx context.Context, campaignID string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, _, _ = f.http.call(ctx, "delete campaign", func(ctx context.Context) (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodDelete, f.url("/"+campaignID), nil)
		if err != nil {
			return nil, err
		}
		r.Header.Set("Authorization", "Bearer "+f.cfg.AccessToken)
		return r, nil
	})
}

// estimate asks for the ad set's delivery estimate at the chosen budget. It is best effort: the
// campaign exists already, so a missing estimate gives zeros rather than an error.
func (f *Facebook) estimate(ctx context.Context, adSetID string, budgetCents int64) (reach, impressions int) {
	status, body, err := f.get(ctx, "delivery estimate", "/"+adSetID+"/delivery_estimate?optimization_goal=REACH")
	if err != nil || !is2xx(status) {
		return 0, 0
	}
	var resp struct {
		Data []struct {
			EstimateDAU int64 `json:"estimate_dau"`
			Curve       []struct {
				Spend       int64 `json:"spend"`
				Reach       int64 `json:"reach"`
				Impressions int64 `json:"impressions"`
			} `json:"daily_outcomes_curve"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &resp) != nil || len(resp.Data) == 0 {
		return 0, 0
	}
	d := resp.Data[0]
	reach = clampInt(d.EstimateDAU)
	for _, p := range d.Curve {
		if p.Spend <= budgetCents {
			reach, impressions = clampInt(p.Reach), clampInt(p.Impressions)
		}
	}
	return reach, impressions
}

func (f *Facebook) notFoundOr(err error) error {
	var pe *ProviderError
	if errors.As(err, &pe) && (pe.Code == facebookNotFoundCode || pe.Status == http.StatusNotFound) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}

func (f *Facebook) url(path string) string {
	return joinURL(f.cfg.BaseURL, "/"+f.cfg.APIVersion+path)
}

// isGraphID accepts the numeric ids the Graph API issues. Checking them keeps caller-supplied ids
// from steering requests to other Graph paths.
func isGraphID(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func facebookErrorText(body []byte) (string, string) {
	var e struct {
		Error struct {
			Message string `json:"message"`
			Code    int    `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error.Code == 0 && e.Error.Message == "" {
		return "", ""
	}
	return strconv.Itoa(e.Error.Code), e.Error.Message
}

func clampInt(v int64) int {
	if v < 0 {
		return 0
	}
	if v > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(v)
}

// clip shortens s to at most n bytes without splitting a character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
