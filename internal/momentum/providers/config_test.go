package providers

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestNewPicksMockOrRealByCredentials(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want Kinds
	}{
		{"nothing set", nil, Kinds{"mock", "mock", "mock"}},
		{"legacy placeholders", map[string]string{
			"OPENAI_API_KEY": "mock-key", "FACEBOOK_ACCESS_TOKEN": "mock-token", "TWILIO_ACCOUNT_SID": "mock-sid",
		}, Kinds{"mock", "mock", "mock"}},
		{"all real", map[string]string{
			"OPENAI_API_KEY":        "sk-1",
			"FACEBOOK_ACCESS_TOKEN": "EAA1", "FACEBOOK_AD_ACCOUNT_ID": "act_42",
			"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "tok", "TWILIO_FROM_NUMBER": "+15550001111",
		}, Kinds{"openai", "facebook", "twilio"}},
		{"only twilio with a messaging service", map[string]string{
			"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "tok", "TWILIO_MESSAGING_SERVICE_SID": "MG1",
		}, Kinds{"mock", "mock", "twilio"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ConfigFromEnv(envOf(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			set, err := New(cfg, nil, clock.NewFake(testNow), rand.New(rand.NewPCG(1, 2)))
			if err != nil {
				t.Fatal(err)
			}
			if set.Kinds != tt.want {
				t.Errorf("kinds %v, want %v", set.Kinds, tt.want)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"malformed values", map[string]string{
			"PROVIDER_TIMEOUT": "soon", "MOCK_DELAY_SCALE": "-1", "TWILIO_CONCURRENCY": "1000",
		}, []string{"PROVIDER_TIMEOUT", "MOCK_DELAY_SCALE", "TWILIO_CONCURRENCY"}},
		{"twilio sid without token or sender", map[string]string{"TWILIO_ACCOUNT_SID": "AC1"},
			[]string{"TWILIO_AUTH_TOKEN is required", "TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID"}},
		{"facebook token without account", map[string]string{"FACEBOOK_ACCESS_TOKEN": "EAA1", "FACEBOOK_AD_ACCOUNT_ID": "me"},
			[]string{"FACEBOOK_AD_ACCOUNT_ID"}},
		{"bad base url and status", map[string]string{
			"OPENAI_API_KEY": "sk-1", "OPENAI_BASE_URL": "ftp://x",
			"FACEBOOK_ACCESS_TOKEN": "EAA1", "FACEBOOK_AD_ACCOUNT_ID": "1", "FACEBOOK_CAMPAIGN_STATUS": "live",
		}, []string{"OPENAI_BASE_URL", "FACEBOOK_CAMPAIGN_STATUS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ConfigFromEnv(envOf(tt.env))
			if err == nil {
				_, err = New(cfg, nil, nil, nil)
			}
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			for _, secret := range []string{"sk-1", "EAA1"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error leaks %q: %v", secret, err)
				}
			}
		})
	}
}

func TestConfigFromEnvValues(t *testing.T) {
	cfg, err := ConfigFromEnv(envOf(map[string]string{
		"PROVIDER_TIMEOUT": "5s", "MOCK_DELAY_SCALE": "1", "TWILIO_CONCURRENCY": "4",
		"FACEBOOK_TARGET_COUNTRIES": "us, ca ,", "FACEBOOK_CAMPAIGN_STATUS": "active", "OPENAI_MODEL": " gpt-x ",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Timeout != 5*time.Second || cfg.MockDelays != LegacyDelays(1) || cfg.Twilio.Concurrency != 4 ||
		strings.Join(cfg.Facebook.Countries, ",") != "US,CA" || cfg.Facebook.Status != "ACTIVE" || cfg.OpenAI.Model != "gpt-x" {
		t.Errorf("cfg %+v", cfg)
	}
	def, _ := ConfigFromEnv(envOf(nil))
	if def.Timeout != DefaultTimeout || def.MockDelays != (MockDelays{}) {
		t.Errorf("defaults %+v", def)
	}
}

// New wires the configured base URL and timeout into the real clients.
func TestNewRealClientUsesConfiguredBaseURL(t *testing.T) {
	hit := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hit <- r.URL.Path
		io.WriteString(w, chatReply(`{"template":"Hi {name}! Code C"}`))
	}))
	t.Cleanup(srv.Close)
	set, err := New(Config{OpenAI: OpenAIConfig{APIKey: "sk-1", BaseURL: srv.URL}}, srv.Client(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := set.Copywriter.SMSTemplate(context.Background(), SMSTemplateRequest{OfferCode: "C"})
	if err != nil || <-hit != "/v1/chat/completions" || tpl.Render("Ann").Text != "Hi Ann! Code C" {
		t.Errorf("template %v err %v", tpl, err)
	}
}
