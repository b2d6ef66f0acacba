package providers

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

// Config selects and configures the providers. Build it with ConfigFromEnv or by hand.
//
// Environment variables (ConfigFromEnv). A provider is real when its credential is set to something
// other than an empty string or a legacy placeholder (any value starting with "mock", such as the
// legacy defaults "mock-key", "mock-token" and "mock-sid"); otherwise its legacy mock is used.
//
//	OPENAI_API_KEY                 OpenAI API key; enables the real copywriter.
//	OPENAI_MODEL                   chat model (default gpt-4o-mini).
//	OPENAI_BASE_URL                API base URL (default https://api.openai.com).
//	TWILIO_ACCOUNT_SID             Twilio account SID; enables real SMS sending.
//	TWILIO_AUTH_TOKEN              Twilio auth token (required with a real SID).
//	TWILIO_FROM_NUMBER             sender number in E.164, e.g. +15551234567 (this or the next).
//	TWILIO_MESSAGING_SERVICE_SID   Messaging Service SID, used instead of TWILIO_FROM_NUMBER when set.
//	TWILIO_BASE_URL                API base URL (default https://api.twilio.com).
//	TWILIO_CONCURRENCY             messages in flight at once, 1-64 (default 8).
//	FACEBOOK_ACCESS_TOKEN          Marketing API access token; enables real ad campaigns.
//	FACEBOOK_AD_ACCOUNT_ID         ad account id, with or without "act_" (required with a real token).
//	FACEBOOK_BASE_URL              Graph API base URL (default https://graph.facebook.com).
//	FACEBOOK_API_VERSION           Graph API version (default v19.0).
//	FACEBOOK_CAMPAIGN_STATUS       PAUSED (default: review in Ads Manager before spending) or ACTIVE.
//	FACEBOOK_TARGET_COUNTRIES      comma-separated ISO country codes for ad targeting (default US).
//	PROVIDER_TIMEOUT               timeout of each call to a real provider, Go duration (default 20s).
//	MOCK_DELAY_SCALE               mock delays as a multiple of the legacy ones (1.5 s ad copy, 1.2 s SMS
//	                               copy, 2.0 s campaign, 1.8 s SMS send): 0 (default) = none, 1 = legacy.
type Config struct {
	OpenAI     OpenAIConfig
	Facebook   FacebookConfig
	Twilio     TwilioConfig
	Timeout    time.Duration // per call to a real provider; default DefaultTimeout
	MockDelays MockDelays
}

// DefaultTimeout bounds each call to a real provider when PROVIDER_TIMEOUT is not set.
const DefaultTimeout = 20 * time.Second

// ConfigFromEnv reads the variables documented on Config. getenv is os.Getenv or a lookup in the
// service's loaded configuration. It reports every malformed value at once.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	var errs []error
	cfg := Config{
		OpenAI: OpenAIConfig{
			APIKey:  get("OPENAI_API_KEY"),
			Model:   get("OPENAI_MODEL"),
			BaseURL: get("OPENAI_BASE_URL"),
		},
		Twilio: TwilioConfig{
			AccountSID:          get("TWILIO_ACCOUNT_SID"),
			AuthToken:           get("TWILIO_AUTH_TOKEN"),
			From:                get("TWILIO_FROM_NUMBER"),
			MessagingServiceSID: get("TWILIO_MESSAGING_SERVICE_SID"),
			BaseURL:             get("TWILIO_BASE_URL"),
		},
		Facebook: FacebookConfig{
			AccessToken: get("FACEBOOK_ACCESS_TOKEN"),
			AdAccountID: get("FACEBOOK_AD_ACCOUNT_ID"),
			BaseURL:     get("FACEBOOK_BASE_URL"),
			APIVersion:  get("FACEBOOK_API_VERSION"),
			Status:      strings.ToUpper(get("FACEBOOK_CAMPAIGN_STATUS")),
		},
		Timeout: DefaultTimeout,
	}
	if v := get("TWILIO_CONCURRENCY"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 64 {
			errs = append(errs, fmt.Errorf("TWILIO_CONCURRENCY=%q: want an integer from 1 to 64", v))
		}
		cfg.Twilio.Concurrency = n
	}
	if v := get("FACEBOOK_TARGET_COUNTRIES"); v != "" {
		for _, c := range strings.Split(v, ",") {
			if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
				cfg.Facebook.Countries = append(cfg.Facebook.Countries, c)
			}
		}
	}
	if v := get("PROVIDER_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 || d > 5*time.Minute {
			errs = append(errs, fmt.Errorf("PROVIDER_TIMEOUT=%q: want a duration such as 20s, at most 5m", v))
		}
		cfg.Timeout = d
	}
	if v := get("MOCK_DELAY_SCALE"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || f < 0 || f > 10 {
			errs = append(errs, fmt.Errorf("MOCK_DELAY_SCALE=%q: want a number from 0 to 10", v))
		}
		cfg.MockDelays = LegacyDelays(f)
	}
	return cfg, errors.Join(errs...)
}

// IsPlaceholder reports whether a credential means "use the mock": empty, or a legacy placeholder
// such as "mock-key".
func IsPlaceholder(v string) bool {
	v = strings.ToLower(strings.TrimSpace(v))
	return v == "" || strings.HasPrefix(v, "mock")
}

// Set is the providers a service uses.
type Set struct {
	Copywriter Copywriter
	Ads        AdsPlatform
	SMS        SMSSender
	Kinds      Kinds
}

// Kinds names the implementation behind each provider ("mock", "openai", "facebook", "twilio"), for
// the startup log.
type Kinds struct {
	Copywriter string
	Ads        string
	SMS        string
}

func (k Kinds) String() string {
	return "copywriter=" + k.Copywriter + " ads=" + k.Ads + " sms=" + k.SMS
}

// New builds the providers: the real client for each provider whose credentials are configured, the
// legacy mock for the others. hc is used by the real clients (nil: a dedicated client); clk and rng
// drive the mocks (nil: system clock, random seed). A half-configured provider (a real Twilio SID
// without a token, a Facebook token without an ad account, a malformed base URL) is an error rather
// than a silent fallback to the mock.
func New(cfg Config, hc *http.Client, clk clock.Clock, rng *rand.Rand) (*Set, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	clk = orSystem(clk)
	hc = orDefaultClient(hc)
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	copts := ClientOptions{HTTP: hc, Timeout: timeout, Clock: clk}
	mocks := NewMocks(MockOptions{Clock: clk, Rand: rng, Delays: cfg.MockDelays})

	s := &Set{Copywriter: mocks.Copywriter, Ads: mocks.Ads, SMS: mocks.SMS, Kinds: Kinds{"mock", "mock", "mock"}}
	if !IsPlaceholder(cfg.OpenAI.APIKey) {
		s.Copywriter, s.Kinds.Copywriter = NewOpenAI(cfg.OpenAI, copts), "openai"
	}
	if !IsPlaceholder(cfg.Facebook.AccessToken) {
		s.Ads, s.Kinds.Ads = NewFacebook(cfg.Facebook, copts), "facebook"
	}
	if !IsPlaceholder(cfg.Twilio.AccountSID) {
		s.SMS, s.Kinds.SMS = NewTwilio(cfg.Twilio, copts), "twilio"
	}
	return s, nil
}

func (cfg Config) validate() error {
	var errs []error
	if !IsPlaceholder(cfg.OpenAI.APIKey) {
		errs = append(errs, checkBaseURL("OPENAI_BASE_URL", cfg.OpenAI.BaseURL))
	}
	if fb := cfg.Facebook; !IsPlaceholder(fb.AccessToken) {
		if !isGraphID(strings.TrimPrefix(fb.AdAccountID, "act_")) {
			errs = append(errs, errors.New("FACEBOOK_ACCESS_TOKEN is set, so FACEBOOK_AD_ACCOUNT_ID must be the numeric ad account id"))
		}
		if fb.Status != "" && fb.Status != "PAUSED" && fb.Status != "ACTIVE" {
			errs = append(errs, fmt.Errorf("FACEBOOK_CAMPAIGN_STATUS=%q: want PAUSED or ACTIVE", fb.Status))
		}
		errs = append(errs, checkBaseURL("FACEBOOK_BASE_URL", fb.BaseURL))
	}
	if tw := cfg.Twilio; !IsPlaceholder(tw.AccountSID) {
		if IsPlaceholder(tw.AuthToken) {
			errs = append(errs, errors.New("TWILIO_ACCOUNT_SID is set, so TWILIO_AUTH_TOKEN is required"))
		}
		if tw.From == "" && tw.MessagingServiceSID == "" {
			errs = append(errs, errors.New("TWILIO_ACCOUNT_SID is set, so TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID is required"))
		}
		errs = append(errs, checkBaseURL("TWILIO_BASE_URL", tw.BaseURL))
	}
	if cfg.Timeout < 0 {
		errs = append(errs, errors.New("provider timeout must not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("providers: %w", err)
	}
	return nil
}

func checkBaseURL(name, v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.User != nil {
		return fmt.Errorf("%s=%q: want an http(s) URL without query or credentials", name, v)
	}
	return nil
}

// Mocks are the three legacy mocks sharing one clock and one random source.
type Mocks struct {
	Copywriter *MockCopywriter
	Ads        *MockAds
	SMS        *MockSMS
}

// NewMocks builds all three mocks around one shared environment, so one seeded o.Rand makes all of
// them deterministic.
func NewMocks(o MockOptions) Mocks {
	env := newMockEnv(o)
	return Mocks{Copywriter: &MockCopywriter{env: env}, Ads: &MockAds{env: env}, SMS: &MockSMS{env: env}}
}

func orSystem(c clock.Clock) clock.Clock {
	if c == nil {
		return clock.System()
	}
	return c
}

// orDefaultClient returns hc, or NewHTTPClient's.
func orDefaultClient(hc *http.Client) *http.Client {
	if hc != nil {
		return hc
	}
	return NewHTTPClient()
}

// NewHTTPClient is the client New uses when given none: its own transport, so provider traffic never
// shares (or is tuned by) http.DefaultTransport.
func NewHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	t.ResponseHeaderTimeout = 60 * time.Second
	return &http.Client{Transport: t}
}

// ClientOptions are the dependencies of the real clients.
type ClientOptions struct {
	HTTP    *http.Client  // nil: a dedicated client
	Timeout time.Duration // per call; zero: only the caller's context bounds a call
	Clock   clock.Clock   // nil: the system clock
}

// Compile-time checks that every implementation satisfies its interface.
var (
	_ Copywriter  = (*MockCopywriter)(nil)
	_ Copywriter  = (*OpenAI)(nil)
	_ AdsPlatform = (*MockAds)(nil)
	_ AdsPlatform = (*Facebook)(nil)
	_ SMSSender   = (*MockSMS)(nil)
	_ SMSSender   = (*Twilio)(nil)
)
