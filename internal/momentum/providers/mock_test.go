package providers

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

var testNow = time.Date(2026, 11, 21, 21, 32, 36, 666_000_000, time.UTC)

func newTestMocks(seed uint64) (Mocks, *clock.Fake) {
	clk := clock.NewFake(testNow)
	return NewMocks(MockOptions{Clock: clk, Rand: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}), clk
}

func TestAdCopyOracle(t *testing.T) {
	// Contract §4.1 oracle: template 1 with 🥘 counts 266 UTF-16 units (264 runes, 270 bytes).
	req := AdCopyRequest{RestaurantName: "Test Pizzeria", ItemToPromote: "Margherita Pizza", Offer: "20% off your next order!"}
	h, b, c := AdTemplate(1, "🥘", req)
	text, count := AssembleAdCopy(h, b, c)
	if count != 266 {
		t.Errorf("characterCount = %d, want 266", count)
	}
	if n := utf8.RuneCountInString(h + b + c); n != 264 {
		t.Errorf("rune count = %d, want 264 (oracle cross-check)", n)
	}
	if n := len(h + b + c); n != 270 {
		t.Errorf("byte count = %d, want 270 (oracle cross-check)", n)
	}
	want := "🥘 Craving something special? Test Pizzeria has you covered!\n\n" +
		"Get our famous Margherita Pizza with this amazing deal: 20% off your next order!\n" +
		"Fresh ingredients, authentic flavors, unbeatable value!\nDon't miss out - limited time only!\n\n" +
		"📍 Visit us or order online today!"
	if text != want {
		t.Errorf("adCopy =\n%q\nwant\n%q", text, want)
	}
}

func TestAdTemplatesExact(t *testing.T) {
	req := AdCopyRequest{RestaurantName: "R", ItemToPromote: "I", Offer: "O"}
	tests := []struct {
		n    int
		want string
	}{
		{2, "☕ R Alert: I Special!\n\nO - because you deserve the best!\nMade fresh daily with premium ingredients.\nYour taste buds will thank you!\n\n🚗 Dine in, takeout, or delivery available!"},
		{3, "☕ Local Favorite Alert! R\n\nOur signature I is calling your name!\nO\nTaste the difference quality makes!\n\n📞 Order now or visit us today!"},
	}
	for _, tt := range tests {
		h, b, c := AdTemplate(tt.n, "☕", req)
		text, count := AssembleAdCopy(h, b, c)
		if text != tt.want {
			t.Errorf("template %d = %q, want %q", tt.n, text, tt.want)
		}
		// ☕ is one unit, the CTA emoji two; separators are not counted.
		if want := UTF16Len(strings.ReplaceAll(tt.want, "\n\n", "")); count != want {
			t.Errorf("template %d count = %d, want %d", tt.n, count, want)
		}
	}
}

func TestMockAdCopyDrawsEveryEmojiAndTemplate(t *testing.T) {
	m, _ := newTestMocks(1)
	req := AdCopyRequest{RestaurantName: "Test Pizzeria", ItemToPromote: "Margherita", Offer: "2 for 1"}
	seen := map[string]bool{}
	for range 2000 {
		ad, err := m.Copywriter.AdCopy(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if ad.Model != MockAdModel || !ad.GeneratedAt.Equal(testNow) {
			t.Fatalf("model/time = %q %v", ad.Model, ad.GeneratedAt)
		}
		found := false
		for _, e := range adEmojis {
			for n := 1; n <= 3; n++ {
				text, count := AssembleAdCopy(AdTemplate(n, e, req))
				if text == ad.Text {
					if count != ad.CharacterCount {
						t.Fatalf("count %d, want %d", ad.CharacterCount, count)
					}
					seen[fmt.Sprint(e, n)] = true
					found = true
				}
			}
		}
		if !found {
			t.Fatalf("ad copy matches no legacy template: %q", ad.Text)
		}
	}
	if len(seen) != len(adEmojis)*3 {
		t.Errorf("saw %d of %d emoji/template combinations", len(seen), len(adEmojis)*3)
	}
}

func TestSMSTemplatesExact(t *testing.T) {
	req := SMSTemplateRequest{RestaurantName: "Test Pizzeria", Offer: "20% off your next order", OfferCode: "WELCOME20"}
	tests := []struct {
		n     int
		name  string
		req   SMSTemplateRequest
		want  string
		count int
	}{
		// Oracles from contract §10.
		{1, "Sarah", req, "Hi Sarah! We miss you at Test Pizzeria! 20% off your next order Use code WELCOME20. Valid thru Sunday!", 102},
		{1, "John Smith", req, "Hi John Smith! We miss you at Test Pizzeria! 20% off your next order Use code WELCOME20. Valid thru Sunday!", 107},
		{4, "John Smith", SMSTemplateRequest{RestaurantName: "Test Pizzeria", Offer: "20% off", OfferCode: "WELCOME20"},
			"John Smith, special offer from Test Pizzeria: 20% off Code WELCOME20. Don't wait!", 81},
		{2, "N", SMSTemplateRequest{"R", "O", "C"}, "N, come back to R! O Code: C. Limited time!", 43},
		{3, "N", SMSTemplateRequest{"R", "O", "C"}, "Hey N! R misses you. O Use C - expires soon!", 44},
	}
	for _, tt := range tests {
		tpl := SMSTemplateN(tt.n, tt.req)
		msg := tpl.Render(tt.name)
		if msg.Text != tt.want || msg.CharacterCount != tt.count {
			t.Errorf("template %d: got %q (%d), want %q (%d)", tt.n, msg.Text, msg.CharacterCount, tt.want, tt.count)
		}
		if tpl.Model != MockSMSModel || tpl.Slots() != 1 {
			t.Errorf("template %d: model %q slots %d", tt.n, tpl.Model, tpl.Slots())
		}
	}
}

func TestMockSMSTemplateIsOneCallPersonalisedPerCustomer(t *testing.T) {
	m, _ := newTestMocks(2)
	req := SMSTemplateRequest{RestaurantName: "The {name} Bar", Offer: "Free fries", OfferCode: "FRIES"}
	seen := map[string]bool{}
	for range 400 {
		tpl, err := m.Copywriter.SMSTemplate(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		seen[tpl.String()] = true
		for _, name := range []string{"Ann", "Bob"} {
			msg := tpl.Render(name)
			if !strings.Contains(msg.Text, name) {
				t.Errorf("message for %s lacks the name: %q", name, msg.Text)
			}
			// The restaurant's literal "{name}" is text, not a slot.
			if !strings.Contains(msg.Text, "The {name} Bar") {
				t.Errorf("restaurant name was substituted: %q", msg.Text)
			}
		}
	}
	if len(seen) != 4 {
		t.Errorf("saw %d distinct templates, want all 4", len(seen))
	}
}

func TestRenderTruncation(t *testing.T) {
	long := strings.Repeat("x", 200)
	tests := []struct {
		name      string
		template  string
		customer  string
		wantUnits int
		wantText  string // "" = only check length and suffix
	}{
		{"short kept", "Hi {name}!", "Ann", 7, "Hi Ann!"},
		{"exactly 160 kept", strings.Repeat("a", 156) + "{name}", "Bobo", 160, strings.Repeat("a", 156) + "Bobo"},
		{"161 cut to 157+...", strings.Repeat("a", 157) + "{name}", "Bobo", 160, strings.Repeat("a", 157) + "..."},
		{"ascii long", long + "{name}", "Ann", 160, strings.Repeat("x", 157) + "..."},
		// The emoji would occupy units 157 and 158: legacy split it, we cut before it.
		{"split surrogate pair avoided", strings.Repeat("a", 156) + "🍕{name}" + long, "Ann", 159, strings.Repeat("a", 156) + "..."},
		// The emoji occupies units 156 and 157: it fits whole.
		{"pair fits exactly", strings.Repeat("a", 155) + "🍕{name}" + long, "Ann", 160, strings.Repeat("a", 155) + "🍕..."},
		{"astral name", "{name}" + long, "😀😀", 160, "😀😀" + strings.Repeat("x", 153) + "..."},
		{"invalid utf-8 is repaired", "Hi {name}", "\xff\xfe", 4, "Hi \uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := ParseSMSTemplate(tt.template, "m").Render(tt.customer)
			if msg.CharacterCount != tt.wantUnits || UTF16Len(msg.Text) != tt.wantUnits {
				t.Errorf("units = %d (text %d), want %d", msg.CharacterCount, UTF16Len(msg.Text), tt.wantUnits)
			}
			if tt.wantText != "" && msg.Text != tt.wantText {
				t.Errorf("text = %q, want %q", msg.Text, tt.wantText)
			}
			if !utf8.ValidString(msg.Text) || strings.ContainsRune(msg.Text, utf8.RuneError) && tt.customer != "\xff\xfe" {
				t.Errorf("text is not clean UTF-8: %q", msg.Text)
			}
		})
	}
}

func TestUTF16Len(t *testing.T) {
	tests := map[string]int{"": 0, "abc": 3, "☕": 1, "🥘": 2, "é": 1, "\xff": 1, "a\nb": 3}
	for s, want := range tests {
		if got := UTF16Len(s); got != want {
			t.Errorf("UTF16Len(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestZeroTemplateRendersEmpty(t *testing.T) {
	var tpl SMSTemplate
	if msg := tpl.Render("Ann"); msg.Text != "" || msg.CharacterCount != 0 || tpl.Slots() != 0 {
		t.Errorf("zero template rendered %+v", msg)
	}
}

var (
	campID = regexp.MustCompile(`^camp_1795296756666_[0-9a-z]{1,9}$`)
	smsID  = regexp.MustCompile(`^sms_1795296756666_[0-9a-z]{1,9}$`)
	msgID  = regexp.MustCompile(`^msg_1795296756666_[0-9a-z]{1,9}$`)
	spend  = regexp.MustCompile(`^[1-5][0-9]\.[0-9]{2}$`)
	cost4  = regexp.MustCompile(`^[0-2]\.[0-9]{4}$`)
)

func TestMockAdsCampaign(t *testing.T) {
	m, _ := newTestMocks(3)
	ids := map[string]bool{}
	for range 500 {
		c, err := m.Ads.CreateCampaign(context.Background(), AdCampaignRequest{DailyBudget: 25})
		if err != nil {
			t.Fatal(err)
		}
		if !campID.MatchString(c.ID) {
			t.Fatalf("id %q", c.ID)
		}
		ids[c.ID] = true
		if c.URL != "https://facebook.com/ads/manager/campaigns/"+c.ID {
			t.Fatalf("url %q", c.URL)
		}
		if c.ExpectedReach < 1000 || c.ExpectedReach > 5999 || c.EstimatedImpressions < 2000 || c.EstimatedImpressions > 11999 {
			t.Fatalf("out of range: %+v", c)
		}
		if !c.CreatedAt.Equal(testNow) {
			t.Fatalf("createdAt %v", c.CreatedAt)
		}
	}
	if len(ids) < 499 {
		t.Errorf("only %d distinct ids in 500 campaigns", len(ids))
	}
}

func TestMockAdsMetrics(t *testing.T) {
	m, _ := newTestMocks(4)
	for range 2000 {
		x, err := m.Ads.CampaignMetrics(context.Background(), "anything")
		if err != nil {
			t.Fatal(err)
		}
		if x.Impressions < 500 || x.Impressions > 5499 || x.Clicks < 20 || x.Clicks > 219 || x.Reach < 300 || x.Reach > 3299 {
			t.Fatalf("out of range: %+v", x)
		}
		if !spend.MatchString(x.Spend) || x.Spend < "10.00" || x.Spend > "59.99" {
			t.Fatalf("spend %q", x.Spend)
		}
	}
}

func TestMockSMSSend(t *testing.T) {
	m, _ := newTestMocks(5)
	recipients := make([]SMSRecipient, 10000)
	for i := range recipients {
		recipients[i] = SMSRecipient{Name: "N", Phone: fmt.Sprintf("555-000-%04d", i), Message: "hi"}
	}
	b, err := m.SMS.Send(context.Background(), recipients)
	if err != nil {
		t.Fatal(err)
	}
	if !smsID.MatchString(b.CampaignID) || len(b.Results) != len(recipients) {
		t.Fatalf("campaign %q with %d results", b.CampaignID, len(b.Results))
	}
	if b.Sent+b.Pending+b.Failed != len(recipients) || b.TotalCost != FormatCost(b.Sent) {
		t.Fatalf("counts %d/%d/%d cost %s", b.Sent, b.Pending, b.Failed, b.TotalCost)
	}
	// 85/10/5 with generous margins (the seed is fixed, so this is deterministic anyway).
	if b.Sent < 8300 || b.Sent > 8700 || b.Pending < 850 || b.Pending > 1150 || b.Failed < 350 || b.Failed > 650 {
		t.Errorf("distribution sent=%d pending=%d failed=%d", b.Sent, b.Pending, b.Failed)
	}
	codes := map[int]string{21211: "Invalid phone number", 21610: "Message blocked by carrier", 21614: "Message body is required"}
	seenCodes := map[int]bool{}
	for i, r := range b.Results {
		if r.Phone != recipients[i].Phone || !msgID.MatchString(r.MessageID) {
			t.Fatalf("result %d = %+v", i, r)
		}
		if r.Status == SMSFailed {
			if codes[r.ErrorCode] != r.ErrorMessage {
				t.Fatalf("failure %d %q", r.ErrorCode, r.ErrorMessage)
			}
			seenCodes[r.ErrorCode] = true
		} else if r.ErrorCode != 0 || r.ErrorMessage != "" {
			t.Fatalf("non-failure with error: %+v", r)
		}
	}
	if len(seenCodes) != 3 {
		t.Errorf("saw error codes %v", seenCodes)
	}
}

func TestFormatCost(t *testing.T) {
	tests := map[int]string{0: "0.0000", 1: "0.0075", 3: "0.0225", 4: "0.0300", 133: "0.9975", 40000: "300.0000"}
	for n, want := range tests {
		if got := FormatCost(n); got != want {
			t.Errorf("FormatCost(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestMockSMSMetrics(t *testing.T) {
	m, _ := newTestMocks(6)
	for range 2000 {
		x, err := m.SMS.CampaignMetrics(context.Background(), "sms_1")
		if err != nil {
			t.Fatal(err)
		}
		if x.TotalSent < 20 || x.TotalSent > 119 || x.Delivered < 15 || x.Delivered > 94 || x.Failed < 1 || x.Failed > 5 {
			t.Fatalf("out of range: %+v", x)
		}
		if x.DeliveryRate != "92.5%" || !cost4.MatchString(x.TotalCost) || x.TotalCost < "0.5000" || x.TotalCost > "2.4999" {
			t.Fatalf("%+v", x)
		}
	}
}

func TestMocksAreDeterministicForASeed(t *testing.T) {
	run := func() string {
		m, _ := newTestMocks(42)
		ad, _ := m.Copywriter.AdCopy(context.Background(), AdCopyRequest{"R", "I", "O"})
		c, _ := m.Ads.CreateCampaign(context.Background(), AdCampaignRequest{})
		b, _ := m.SMS.Send(context.Background(), []SMSRecipient{{Phone: "1"}, {Phone: "2"}})
		return fmt.Sprint(ad.Text, c, b)
	}
	if a, b := run(), run(); a != b {
		t.Errorf("same seed, different outputs:\n%s\n%s", a, b)
	}
}

func TestMockDelays(t *testing.T) {
	var mu sync.Mutex
	var got []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		got = append(got, d)
		mu.Unlock()
		return nil
	}
	ctx := context.Background()
	for _, tt := range []struct {
		delays MockDelays
		want   []time.Duration
	}{
		{MockDelays{}, []time.Duration{0, 0, 0, 0}},
		{LegacyDelays(1), []time.Duration{1500 * time.Millisecond, 1200 * time.Millisecond, 2 * time.Second, 1800 * time.Millisecond}},
		{LegacyDelays(0.5), []time.Duration{750 * time.Millisecond, 600 * time.Millisecond, time.Second, 900 * time.Millisecond}},
	} {
		got = nil
		m := NewMocks(MockOptions{Delays: tt.delays, Sleep: sleep})
		m.Copywriter.AdCopy(ctx, AdCopyRequest{})
		m.Copywriter.SMSTemplate(ctx, SMSTemplateRequest{})
		m.Ads.CreateCampaign(ctx, AdCampaignRequest{})
		// 1000 recipients still wait once: no per-customer delay.
		m.SMS.Send(ctx, make([]SMSRecipient, 1000))
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("delays %v, want %v", got, tt.want)
		}
	}
}

func TestMockDelayHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// A real timer of an hour: the test only passes if the cancelled ctx ends the wait at once.
	m := NewMocks(MockOptions{Delays: MockDelays{AdCopy: time.Hour, SMSCopy: time.Hour, AdCampaign: time.Hour, SMSSend: time.Hour}})
	if _, err := m.Copywriter.AdCopy(ctx, AdCopyRequest{}); !errors.Is(err, context.Canceled) {
		t.Errorf("AdCopy: %v", err)
	}
	if _, err := m.Copywriter.SMSTemplate(ctx, SMSTemplateRequest{}); !errors.Is(err, context.Canceled) {
		t.Errorf("SMSTemplate: %v", err)
	}
	if _, err := m.Ads.CreateCampaign(ctx, AdCampaignRequest{}); !errors.Is(err, context.Canceled) {
		t.Errorf("CreateCampaign: %v", err)
	}
	if _, err := m.SMS.Send(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Send: %v", err)
	}
	if err := SleepContext(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("SleepContext: %v", err)
	}
}

func TestMocksSafeForConcurrentUse(t *testing.T) {
	m, _ := newTestMocks(7)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				m.Copywriter.AdCopy(context.Background(), AdCopyRequest{})
				m.Ads.CampaignMetrics(context.Background(), "x")
				m.SMS.Send(context.Background(), make([]SMSRecipient, 3))
			}
		})
	}
	wg.Wait()
}

func FuzzRender(f *testing.F) {
	f.Add("Hi {name}! We miss you at R!", "Sarah")
	f.Add(strings.Repeat("a", 156)+"🍕{name}", "Ann")
	f.Add("{name}{name}{name}", strings.Repeat("😀", 60))
	f.Add("\xff{name}\xfe", "\xed\xa0\x80")
	f.Fuzz(func(t *testing.T, template, name string) {
		msg := ParseSMSTemplate(template, "m").Render(name)
		if !utf8.ValidString(msg.Text) || msg.CharacterCount != UTF16Len(msg.Text) || msg.CharacterCount > MaxSMSUnits {
			t.Fatalf("bad message %q (%d units)", msg.Text, msg.CharacterCount)
		}
		full := strings.ToValidUTF8(strings.ReplaceAll(template, NamePlaceholder, name), "\uFFFD")
		if UTF16Len(full) <= MaxSMSUnits {
			if msg.Text != full {
				t.Fatalf("short message changed: %q -> %q", full, msg.Text)
			}
		} else if !strings.HasSuffix(msg.Text, "...") || !strings.HasPrefix(full, strings.TrimSuffix(msg.Text, "...")) || msg.CharacterCount < MaxSMSUnits-4 {
			t.Fatalf("bad cut of %q: %q", full, msg.Text)
		}
	})
}
