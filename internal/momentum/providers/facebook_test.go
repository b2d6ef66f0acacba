package providers

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

const testFBToken = "EAAB-SECRET-fb-token"

// fakeGraph routes Graph API calls to handlers keyed by "METHOD /path" and records the calls.
type fakeGraph struct {
	t      *testing.T
	mu     sync.Mutex
	calls  []string
	routes map[string]func(w http.ResponseWriter, r *http.Request)
}

func newFakeGraph(t *testing.T, routes map[string]func(w http.ResponseWriter, r *http.Request)) (*fakeGraph, *httptest.Server) {
	g := &fakeGraph{t: t, routes: routes}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return g, srv
}

func (g *fakeGraph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Method + " " + r.URL.Path
	g.mu.Lock()
	g.calls = append(g.calls, key)
	g.mu.Unlock()
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil || r.PostForm.Get("access_token") != testFBToken {
			g.t.Errorf("%s: access_token %q (%v)", key, r.PostForm.Get("access_token"), err)
		}
	} else if r.Header.Get("Authorization") != "Bearer "+testFBToken || r.URL.Query().Has("access_token") {
		g.t.Errorf("%s: token must be in the Authorization header only", key)
	}
	h, ok := g.routes[key]
	if !ok {
		w.WriteHeader(400)
		io.WriteString(w, `{"error":{"message":"Unsupported request","code":100}}`)
		return
	}
	h(w, r)
}

func (g *fakeGraph) called() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.calls...)
}

func answer(status int, body string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func newTestFacebook(base string) *Facebook {
	return NewFacebook(FacebookConfig{AccessToken: testFBToken, AdAccountID: "act_1234", BaseURL: base, Countries: []string{"US", "CA"}},
		ClientOptions{Timeout: time.Minute, Clock: clock.NewFake(testNow)})
}

func TestFacebookCreateCampaign(t *testing.T) {
	g, srv := newFakeGraph(t, map[string]func(http.ResponseWriter, *http.Request){
		"POST /v19.0/act_1234/campaigns": func(w http.ResponseWriter, r *http.Request) {
			f := r.PostForm
			if f.Get("objective") != "OUTCOME_AWARENESS" || f.Get("status") != "PAUSED" || f.Get("special_ad_categories") != "[]" ||
				f.Get("name") != "Test Pizzeria - Margherita (MARGHESUN)" {
				t.Errorf("campaign form %v", f)
			}
			io.WriteString(w, `{"id":"120200000001"}`)
		},
		"POST /v19.0/act_1234/adsets": func(w http.ResponseWriter, r *http.Request) {
			f := r.PostForm
			if f.Get("campaign_id") != "120200000001" || f.Get("daily_budget") != "2550" || f.Get("billing_event") != "IMPRESSIONS" ||
				f.Get("targeting") != `{"age_max":65,"age_min":18,"geo_locations":{"countries":["US","CA"]}}` {
				t.Errorf("ad set form %v", f)
			}
			io.WriteString(w, `{"id":"120200000002"}`)
		},
		"GET /v19.0/120200000002/delivery_estimate": answer(200, `{"data":[{"estimate_dau":900,"daily_outcomes_curve":[
			{"spend":0,"reach":0,"impressions":0},{"spend":1000,"reach":1500,"impressions":2500},
			{"spend":2500,"reach":3100,"impressions":5200},{"spend":5000,"reach":5000,"impressions":9000}]}]}`),
	})
	c, err := newTestFacebook(srv.URL).CreateCampaign(context.Background(), AdCampaignRequest{
		RestaurantName: "Test Pizzeria", ItemToPromote: "Margherita", Offer: "20% off", DailyBudget: 25.5, PromoCode: "MARGHESUN",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := AdCampaign{
		ID: "120200000001", AdSetID: "120200000002", ExpectedReach: 3100, EstimatedImpressions: 5200,
		URL:       "https://www.facebook.com/adsmanager/manage/campaigns?act=1234&selected_campaign_ids=120200000001",
		CreatedAt: testNow,
	}
	if c != want {
		t.Errorf("campaign = %+v\nwant %+v", c, want)
	}
	if n := len(g.called()); n != 3 {
		t.Errorf("calls %v", g.called())
	}
}

func TestFacebookEstimateIsBestEffort(t *testing.T) {
	_, srv := newFakeGraph(t, map[string]func(http.ResponseWriter, *http.Request){
		"POST /v19.0/act_1234/campaigns":  answer(200, `{"id":"11"}`),
		"POST /v19.0/act_1234/adsets":     answer(200, `{"id":"12"}`),
		"GET /v19.0/12/delivery_estimate": answer(500, `{"error":{"message":"try later","code":2}}`),
	})
	c, err := newTestFacebook(srv.URL).CreateCampaign(context.Background(), AdCampaignRequest{DailyBudget: 5})
	if err != nil || c.ID != "11" || c.ExpectedReach != 0 || c.EstimatedImpressions != 0 {
		t.Errorf("campaign %+v, err %v", c, err)
	}
}

func TestFacebookAdSetFailureDeletesCampaign(t *testing.T) {
	g, srv := newFakeGraph(t, map[string]func(http.ResponseWriter, *http.Request){
		"POST /v19.0/act_1234/campaigns": answer(200, `{"id":"77"}`),
		"POST /v19.0/act_1234/adsets":    answer(400, `{"error":{"message":"Invalid parameter (token `+testFBToken+`)","type":"OAuthException","code":100,"error_subcode":1487}}`),
		"DELETE /v19.0/77":               answer(200, `{"success":true}`),
	})
	_, err := newTestFacebook(srv.URL).CreateCampaign(context.Background(), AdCampaignRequest{DailyBudget: 10})
	if !errors.Is(err, ErrProviderFailed) || !strings.Contains(err.Error(), "facebook: create ad set: HTTP 400 (code 100): Invalid parameter") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), testFBToken) {
		t.Errorf("token leaked: %v", err)
	}
	calls := g.called()
	if len(calls) != 3 || calls[2] != "DELETE /v19.0/77" {
		t.Errorf("calls %v, want the campaign deleted", calls)
	}
}

func TestFacebookRejectsBadBudgetWithoutCalling(t *testing.T) {
	g, srv := newFakeGraph(t, nil)
	for _, b := range []float64{math.NaN(), math.Inf(1), 0, -5} {
		if _, err := newTestFacebook(srv.URL).CreateCampaign(context.Background(), AdCampaignRequest{DailyBudget: b}); err == nil {
			t.Errorf("budget %v accepted", b)
		}
	}
	if len(g.called()) != 0 {
		t.Errorf("calls %v", g.called())
	}
}

func TestFacebookMetrics(t *testing.T) {
	tests := []struct {
		name    string
		id      string
		reply   func(http.ResponseWriter, *http.Request)
		want    AdMetrics
		wantErr []error
	}{
		{"strings from Graph", "99", answer(200, `{"data":[{"impressions":"1234","clicks":"56","reach":"789","spend":"12.5","date_start":"2026-11-01"}]}`),
			AdMetrics{1234, 56, 789, "12.50"}, nil},
		{"no delivery yet", "99", answer(200, `{"data":[]}`), AdMetrics{Spend: "0.00"}, nil},
		{"unknown object", "99", answer(400, `{"error":{"message":"Object with ID '99' does not exist","code":100}}`),
			AdMetrics{}, []error{ErrNotFound, ErrProviderFailed}},
		{"expired token", "99", answer(400, `{"error":{"message":"Session has expired","code":190}}`), AdMetrics{}, []error{ErrProviderFailed}},
		{"garbage", "99", answer(200, `{"data":[{"impressions":"lots"}]}`), AdMetrics{}, []error{ErrProviderFailed}},
		{"malformed", "99", answer(200, `[`), AdMetrics{}, []error{ErrProviderFailed}},
		{"not a graph id", "camp_1795296756666_abc", nil, AdMetrics{}, []error{ErrNotFound}},
		{"path trick", "99/../../act_1234", nil, AdMetrics{}, []error{ErrNotFound}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			routes := map[string]func(http.ResponseWriter, *http.Request){}
			if tt.reply != nil {
				routes["GET /v19.0/"+tt.id+"/insights"] = func(w http.ResponseWriter, r *http.Request) {
					if q := r.URL.Query(); q.Get("fields") != "impressions,clicks,reach,spend" || q.Get("date_preset") != "maximum" {
						t.Errorf("query %v", q)
					}
					tt.reply(w, r)
				}
			}
			g, srv := newFakeGraph(t, routes)
			m, err := newTestFacebook(srv.URL).CampaignMetrics(context.Background(), tt.id)
			for _, want := range tt.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("err = %v, want %v", err, want)
				}
			}
			if tt.wantErr == nil && (err != nil || m != tt.want) {
				t.Errorf("metrics %+v err %v, want %+v", m, err, tt.want)
			}
			if tt.reply == nil && len(g.called()) != 0 {
				t.Errorf("an invalid id reached the API: %v", g.called())
			}
		})
	}
}

func TestFacebookCancelled(t *testing.T) {
	srv, arrived := silentServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	_, err := newTestFacebook(srv.URL).CreateCampaign(ctx, AdCampaignRequest{DailyBudget: 5})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrProviderFailed) {
		t.Errorf("err = %v", err)
	}
}
