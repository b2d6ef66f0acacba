package providers

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

// Legacy mock delays (contract §4). The legacy SMS step slept 1.2 s per customer; here it is one
// template per campaign, so it is paid once.
const (
	LegacyAdCopyDelay     = 1500 * time.Millisecond
	LegacySMSDelay        = 1200 * time.Millisecond
	LegacyAdCampaignDelay = 2000 * time.Millisecond
	LegacySMSSendDelay    = 1800 * time.Millisecond
)

// MockDelays are the artificial waits of the mocks. The zero value (no waiting) is the default.
type MockDelays struct {
	AdCopy     time.Duration
	SMSCopy    time.Duration
	AdCampaign time.Duration
	SMSSend    time.Duration
}

// LegacyDelays returns the legacy delays multiplied by scale (1 = as slow as the Node server,
// 0 = no delay).
func LegacyDelays(scale float64) MockDelays {
	if scale <= 0 {
		return MockDelays{}
	}
	f := func(d time.Duration) time.Duration { return time.Duration(float64(d) * scale) }
	return MockDelays{
		AdCopy:     f(LegacyAdCopyDelay),
		SMSCopy:    f(LegacySMSDelay),
		AdCampaign: f(LegacyAdCampaignDelay),
		SMSSend:    f(LegacySMSSendDelay),
	}
}

// MockOptions configure the mocks. Every field may be left zero.
type MockOptions struct {
	Clock  clock.Clock // nil: the system clock
	Rand   *rand.Rand  // nil: randomly seeded; pass a seeded one for deterministic tests
	Delays MockDelays
	// Sleep waits d or until ctx is done, returning ctx.Err() in that case. nil: a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// mockEnv is what all mocks share. Its random source is locked because handlers call the mocks from
// many goroutines and *rand.Rand is not safe for concurrent use.
type mockEnv struct {
	clk    clock.Clock
	delays MockDelays
	sleep  func(ctx context.Context, d time.Duration) error
	mu     sync.Mutex
	rng    *rand.Rand
}

func newMockEnv(o MockOptions) *mockEnv {
	e := &mockEnv{clk: o.Clock, delays: o.Delays, sleep: o.Sleep, rng: o.Rand}
	if e.clk == nil {
		e.clk = clock.System()
	}
	if e.sleep == nil {
		e.sleep = SleepContext
	}
	if e.rng == nil {
		e.rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return e
}

// SleepContext waits for d or until ctx is done. A done ctx wins even when d is zero, so work for an
// abandoned request stops at the first wait.
func SleepContext(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (e *mockEnv) intN(n int) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.rng.IntN(n)
}

func (e *mockEnv) float64() float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.rng.Float64()
}

// between returns a uniform integer in [lo, hi].
func (e *mockEnv) between(lo, hi int) int { return lo + e.intN(hi-lo+1) }

const base36 = "0123456789abcdefghijklmnopqrstuvwxyz"

// legacyID builds prefix_<ms>_<9 base-36 chars>, the shape of the legacy
// `${prefix}_${Date.now()}_${Math.random().toString(36).substr(2, 9)}` ids.
func (e *mockEnv) legacyID(prefix string) string {
	var suffix [9]byte
	e.mu.Lock()
	for i := range suffix {
		suffix[i] = base36[e.rng.IntN(len(base36))]
	}
	e.mu.Unlock()
	return fmt.Sprintf("%s_%d_%s", prefix, e.clk.Now().UnixMilli(), suffix[:])
}

// MockCopywriter reproduces the legacy mock OpenAI service (contract §4.1, §4.2).
type MockCopywriter struct{ env *mockEnv }

// NewMockCopywriter returns the legacy mock copywriter.
func NewMockCopywriter(o MockOptions) *MockCopywriter { return &MockCopywriter{env: newMockEnv(o)} }

// Models the legacy mock reports.
const (
	MockAdModel  = "gpt-4-turbo"
	MockSMSModel = "gpt-3.5-turbo"
)

// adEmojis are the legacy ad emojis, in legacy order.
var adEmojis = [...]string{"🍕", "🍔", "🌮", "🍜", "🥗", "🍰", "☕", "🥘"}

// AdTemplate returns legacy template n (1-3) for emoji and request: headline, body and call to action.
func AdTemplate(n int, emoji string, req AdCopyRequest) (headline, body, cta string) {
	r, i, o := req.RestaurantName, req.ItemToPromote, req.Offer
	switch n {
	case 1:
		return emoji + " Craving something special? " + r + " has you covered!",
			"Get our famous " + i + " with this amazing deal: " + o + "\nFresh ingredients, authentic flavors, unbeatable value!\nDon't miss out - limited time only!",
			"📍 Visit us or order online today!"
	case 2:
		return emoji + " " + r + " Alert: " + i + " Special!",
			o + " - because you deserve the best!\nMade fresh daily with premium ingredients.\nYour taste buds will thank you!",
			"🚗 Dine in, takeout, or delivery available!"
	default:
		return emoji + " Local Favorite Alert! " + r,
			"Our signature " + i + " is calling your name!\n" + o + "\nTaste the difference quality makes!",
			"📞 Order now or visit us today!"
	}
}

// AssembleAdCopy joins the three parts the legacy way and counts them without the separators.
func AssembleAdCopy(headline, body, cta string) (text string, characterCount int) {
	return headline + "\n\n" + body + "\n\n" + cta, UTF16Len(headline) + UTF16Len(body) + UTF16Len(cta)
}

// AdCopy picks an emoji and a template independently and uniformly, like the legacy mock.
func (m *MockCopywriter) AdCopy(ctx context.Context, req AdCopyRequest) (AdCopy, error) {
	if err := m.env.sleep(ctx, m.env.delays.AdCopy); err != nil {
		return AdCopy{}, err
	}
	emoji := adEmojis[m.env.intN(len(adEmojis))]
	h, b, c := AdTemplate(1+m.env.intN(3), emoji, req)
	text, count := AssembleAdCopy(h, b, c)
	return AdCopy{Text: text, CharacterCount: count, Model: MockAdModel, GeneratedAt: m.env.clk.Now()}, nil
}

// SMSTemplateN returns legacy SMS template n (1-4) for req.
func SMSTemplateN(n int, req SMSTemplateRequest) SMSTemplate {
	r, o, c := req.RestaurantName, req.Offer, req.OfferCode
	var parts []string
	switch n {
	case 1:
		parts = []string{"Hi ", "! We miss you at " + r + "! " + o + " Use code " + c + ". Valid thru Sunday!"}
	case 2:
		parts = []string{"", ", come back to " + r + "! " + o + " Code: " + c + ". Limited time!"}
	case 3:
		parts = []string{"Hey ", "! " + r + " misses you. " + o + " Use " + c + " - expires soon!"}
	default:
		parts = []string{"", ", special offer from " + r + ": " + o + " Code " + c + ". Don't wait!"}
	}
	return SMSTemplate{Model: MockSMSModel, parts: parts}
}

// SMSTemplate picks one of the four legacy templates uniformly.
func (m *MockCopywriter) SMSTemplate(ctx context.Context, req SMSTemplateRequest) (SMSTemplate, error) {
	if err := m.env.sleep(ctx, m.env.delays.SMSCopy); err != nil {
		return SMSTemplate{}, err
	}
	return SMSTemplateN(1+m.env.intN(4), req), nil
}

// MockAds reproduces the legacy mock Facebook service (contract §3.19, §4.4).
type MockAds struct{ env *mockEnv }

// NewMockAds returns the legacy mock ads platform.
func NewMockAds(o MockOptions) *MockAds { return &MockAds{env: newMockEnv(o)} }

// CreateCampaign returns a campaign with legacy ids and random reach figures. Nothing is created.
func (m *MockAds) CreateCampaign(ctx context.Context, req AdCampaignRequest) (AdCampaign, error) {
	if err := m.env.sleep(ctx, m.env.delays.AdCampaign); err != nil {
		return AdCampaign{}, err
	}
	id := m.env.legacyID("camp")
	return AdCampaign{
		ID:                   id,
		ExpectedReach:        m.env.between(1000, 5999),
		EstimatedImpressions: m.env.between(2000, 11999),
		URL:                  "https://facebook.com/ads/manager/campaigns/" + id,
		CreatedAt:            m.env.clk.Now(),
	}, nil
}

// CampaignMetrics returns random metrics for any id, like the legacy route (no delay, no lookup).
func (m *MockAds) CampaignMetrics(ctx context.Context, campaignID string) (AdMetrics, error) {
	if err := ctx.Err(); err != nil {
		return AdMetrics{}, err
	}
	spendCents := m.env.between(1000, 5999)
	return AdMetrics{
		Impressions: m.env.between(500, 5499),
		Clicks:      m.env.between(20, 219),
		Reach:       m.env.between(300, 3299),
		Spend:       fmt.Sprintf("%d.%02d", spendCents/100, spendCents%100),
	}, nil
}

// MockSMS reproduces the legacy mock Twilio service (contract §3.24, §4.5).
type MockSMS struct{ env *mockEnv }

// NewMockSMS returns the legacy mock SMS sender.
func NewMockSMS(o MockOptions) *MockSMS { return &MockSMS{env: newMockEnv(o)} }

// Legacy mock Twilio failure reasons, one of which is drawn uniformly for each failed message.
var mockSMSErrors = [...]struct {
	code int
	msg  string
}{
	{21211, "Invalid phone number"},
	{21610, "Message blocked by carrier"},
	{21614, "Message body is required"},
}

// Send draws each recipient's fate like the legacy mock: 85% sent, 10% pending, 5% failed.
func (m *MockSMS) Send(ctx context.Context, recipients []SMSRecipient) (SMSBatch, error) {
	if err := m.env.sleep(ctx, m.env.delays.SMSSend); err != nil {
		return SMSBatch{}, err
	}
	b := SMSBatch{CampaignID: m.env.legacyID("sms"), Results: make([]SMSResult, len(recipients))}
	for i, rc := range recipients {
		res := SMSResult{Phone: rc.Phone, MessageID: m.env.legacyID("msg")}
		switch r := m.env.float64(); {
		case r < 0.85:
			res.Status = SMSSent
		case r < 0.95:
			res.Status = SMSPending
		default:
			res.Status = SMSFailed
			e := mockSMSErrors[m.env.intN(len(mockSMSErrors))]
			res.ErrorCode, res.ErrorMessage = e.code, e.msg
		}
		b.Results[i] = res
	}
	b.tally()
	return b, nil
}

// CampaignMetrics returns the legacy random campaign status for any id (no delay, no lookup). As in
// the legacy route the figures are independent, so Delivered can exceed TotalSent.
func (m *MockSMS) CampaignMetrics(ctx context.Context, campaignID string) (SMSMetrics, error) {
	if err := ctx.Err(); err != nil {
		return SMSMetrics{}, err
	}
	cost := m.env.between(5000, 24999) // ten-thousandths of a dollar: 0.5000-2.4999
	return SMSMetrics{
		TotalSent:    m.env.between(20, 119),
		Delivered:    m.env.between(15, 94),
		Failed:       m.env.between(1, 5),
		DeliveryRate: "92.5%",
		TotalCost:    fmt.Sprintf("%d.%04d", cost/10000, cost%10000),
	}, nil
}
