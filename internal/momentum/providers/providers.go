// Package providers is Momentum's boundary to the outside services it markets through: a copywriter
// (OpenAI), an ads platform (Facebook Marketing API) and an SMS sender (Twilio). Each has an interface,
// a mock that reproduces the legacy Node mock services (contract §4) and is the default, and a real
// HTTP client used when credentials are configured (see Config and New).
//
// The mocks keep the legacy output shapes, templates and random ranges exactly, but their artificial
// delays default to zero and every wait honours ctx, so a cancelled request stops waiting. SMS copy is
// generated once per campaign as a template and rendered per customer (SMSTemplate.Render), which fixes
// legacy bug 7.5 (everyone received the first customer's name) and the 1.2 s-per-customer cost of 7.4.
package providers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrProviderFailed is wrapped by every error that comes from an outside service: a non-2xx answer, a
// timeout, a transport failure or a response that cannot be understood. Use errors.Is to detect it and
// errors.As with *ProviderError for details.
var ErrProviderFailed = errors.New("provider failed")

// ErrNotFound means the provider does not know the object asked for (for example a campaign id that
// is not a Facebook id).
var ErrNotFound = errors.New("not found")

// ProviderError describes one failed call to an outside service. Its text names the provider and the
// operation and never contains the provider's credentials.
type ProviderError struct {
	Provider string // "openai", "facebook" or "twilio"
	Op       string // what was being done, e.g. "create campaign"
	Status   int    // HTTP status of the answer; 0 when there was no answer
	Code     string // the provider's own error code, when it sent one
	Message  string // the provider's error message (credentials redacted), or our description
	Err      error  // underlying cause (transport error, context error, JSON error), may be nil
}

func (e *ProviderError) Error() string {
	var b strings.Builder
	b.WriteString(e.Provider)
	b.WriteString(": ")
	b.WriteString(e.Op)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (code %s)", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is makes every ProviderError match ErrProviderFailed.
func (e *ProviderError) Is(target error) bool { return target == ErrProviderFailed }

func (e *ProviderError) Unwrap() error { return e.Err }

// Copywriter writes marketing copy (legacy mock OpenAI, contract §4.1 and §4.2).
type Copywriter interface {
	// AdCopy writes a Facebook ad for one dish and offer.
	AdCopy(ctx context.Context, req AdCopyRequest) (AdCopy, error)
	// SMSTemplate writes one SMS for a whole campaign, with a slot for the customer's name; render it
	// per customer with SMSTemplate.Render.
	SMSTemplate(ctx context.Context, req SMSTemplateRequest) (SMSTemplate, error)
}

// AdCopyRequest is what the ad is about.
type AdCopyRequest struct {
	RestaurantName string
	ItemToPromote  string
	Offer          string
}

// AdCopy is a generated ad. Text is headline, body and call to action separated by blank lines;
// CharacterCount is the legacy count: UTF-16 code units of the three parts without the separators.
type AdCopy struct {
	Text           string
	CharacterCount int
	Model          string
	GeneratedAt    time.Time
}

// SMSTemplateRequest is what the SMS campaign is about.
type SMSTemplateRequest struct {
	RestaurantName string
	Offer          string
	OfferCode      string
}

// MaxSMSUnits is the legacy SMS length limit in UTF-16 code units. Longer messages are cut to
// MaxSMSUnits-3 units followed by "...".
const MaxSMSUnits = 160

// NamePlaceholder marks where the customer's name goes in a template given to ParseSMSTemplate.
const NamePlaceholder = "{name}"

// SMSTemplate is campaign SMS copy with slots for the customer's name. The zero value renders as an
// empty message.
type SMSTemplate struct {
	Model string
	// parts are the literal pieces between name slots; the name goes between consecutive parts. Keeping
	// pieces rather than a string with a placeholder means a restaurant name or offer that happens to
	// contain "{name}" is never substituted.
	parts []string
}

// ParseSMSTemplate builds a template from text in which every NamePlaceholder is a name slot. It is how
// real copywriters (and test fakes) turn model output into a template.
func ParseSMSTemplate(text, model string) SMSTemplate {
	return SMSTemplate{Model: model, parts: strings.Split(text, NamePlaceholder)}
}

// String shows the template with NamePlaceholder in each slot.
func (t SMSTemplate) String() string { return strings.Join(t.parts, NamePlaceholder) }

// Slots reports how many times the customer's name appears.
func (t SMSTemplate) Slots() int {
	if len(t.parts) == 0 {
		return 0
	}
	return len(t.parts) - 1
}

// SMSMessage is one customer's rendered SMS. CharacterCount is its UTF-16 length (at most MaxSMSUnits).
type SMSMessage struct {
	Text           string
	CharacterCount int
}

// Render puts customerName into every slot and applies the 160-unit limit. It is cheap and pure, so a
// campaign of any size costs one Copywriter call plus one Render per customer.
//
// Deliberate deviation: the legacy cut could split a surrogate pair (an emoji at units 157/158) and
// send half a character; Render cuts before such a character instead, so that message has 159 units.
func (t SMSTemplate) Render(customerName string) SMSMessage {
	text := strings.ToValidUTF8(strings.Join(t.parts, customerName), "\uFFFD")
	text = truncateUTF16(text, MaxSMSUnits)
	return SMSMessage{Text: text, CharacterCount: UTF16Len(text)}
}

// UTF16Len is the length of s in UTF-16 code units, the way JavaScript's String.length counts it. Each
// invalid UTF-8 byte counts as one unit (it becomes U+FFFD).
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeUnits(r)
	}
	return n
}

func runeUnits(r rune) int {
	if k := utf16.RuneLen(r); k > 0 {
		return k
	}
	return 1
}

// truncateUTF16 cuts valid UTF-8 s to max units: if it is longer, it keeps the longest prefix of
// whole characters that fits in max-3 units and appends "...".
func truncateUTF16(s string, max int) string {
	if UTF16Len(s) <= max {
		return s
	}
	budget := max - 3
	units, i := 0, 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		n := runeUnits(r)
		if units+n > budget {
			break
		}
		units += n
		i += w
	}
	return s[:i] + "..."
}

// AdsPlatform runs ad campaigns (legacy mock Facebook, contract §3.18, §3.19, §4.4).
type AdsPlatform interface {
	CreateCampaign(ctx context.Context, req AdCampaignRequest) (AdCampaign, error)
	CampaignMetrics(ctx context.Context, campaignID string) (AdMetrics, error)
}

// AdCampaignRequest describes the campaign. DailyBudget is in the account currency (dollars); the
// caller validates the legacy range [5, 1000] and must reject NaN (legacy bug 7.5).
type AdCampaignRequest struct {
	RestaurantName string
	ItemToPromote  string
	Offer          string
	DailyBudget    float64
	AdCopy         string
	PromoCode      string
}

// AdCampaign is a created campaign. AdSetID is empty for the mock.
type AdCampaign struct {
	ID                   string
	AdSetID              string
	ExpectedReach        int
	EstimatedImpressions int
	URL                  string
	CreatedAt            time.Time
}

// AdMetrics are a campaign's results. Spend is a decimal string with two decimals, as the legacy API
// returns it.
type AdMetrics struct {
	Impressions int
	Clicks      int
	Reach       int
	Spend       string
}

// SMSSender sends SMS campaigns (legacy mock Twilio, contract §3.21, §3.24, §4.5).
type SMSSender interface {
	// Send delivers each recipient's own Message. It returns the batch even when it also returns an
	// error, so the caller can record what was sent before a failure.
	Send(ctx context.Context, recipients []SMSRecipient) (SMSBatch, error)
	// CampaignMetrics reports on a sent campaign. The real Twilio client has no campaign concept and
	// returns an error wrapping errors.ErrUnsupported; callers then use what they stored from Send.
	CampaignMetrics(ctx context.Context, campaignID string) (SMSMetrics, error)
}

// SMSRecipient is one message to send. Phone is passed as the customer gave it.
type SMSRecipient struct {
	Name    string
	Phone   string
	Message string
}

// SMS delivery states, as the legacy mock reports them.
const (
	SMSSent    = "sent"
	SMSPending = "pending"
	SMSFailed  = "failed"
)

// SMSResult is the outcome for one recipient, in the order of the recipients given to Send.
type SMSResult struct {
	Phone        string
	Status       string // SMSSent, SMSPending or SMSFailed
	MessageID    string
	ErrorCode    int
	ErrorMessage string
}

// SMSBatch is the outcome of one Send. TotalCost is Sent × CostPerSMS formatted with four decimals.
type SMSBatch struct {
	CampaignID string
	Results    []SMSResult
	Sent       int
	Pending    int
	Failed     int
	TotalCost  string
}

// SMSMetrics is the legacy campaign-status payload (contract §3.24).
type SMSMetrics struct {
	TotalSent    int
	Delivered    int
	Failed       int
	DeliveryRate string
	TotalCost    string
}

// CostPerSMS is the legacy price estimate per sent message, in dollars.
const CostPerSMS = 0.0075

// FormatCost renders n messages' cost the legacy way ("%.4f" of n × 0.0075).
func FormatCost(n int) string { return fmt.Sprintf("%.4f", float64(n)*CostPerSMS) }

// tally fills the counters and cost of b from its results.
func (b *SMSBatch) tally() {
	b.Sent, b.Pending, b.Failed = 0, 0, 0
	for _, r := range b.Results {
		switch r.Status {
		case SMSSent:
			b.Sent++
		case SMSPending:
			b.Pending++
		default:
			b.Failed++
		}
	}
	b.TotalCost = FormatCost(b.Sent)
}
