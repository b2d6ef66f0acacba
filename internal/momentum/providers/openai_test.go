package providers

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

const testOpenAIKey = "sk-test-SECRET-0123456789"

// chatReply is a chat-completions answer whose message content is content.
func chatReply(content string) string {
	b, _ := json.Marshal(map[string]any{
		"model":   "gpt-4o-mini-2024-07-18",
		"choices": []map[string]any{{"message": map[string]string{"role": "assistant", "content": content}}},
	})
	return string(b)
}

// fakeOpenAI answers every chat completion with reply after checking the request's shape.
func fakeOpenAI(t *testing.T, status int, reply string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer "+testOpenAIKey {
			t.Errorf("Authorization = %q", got)
		}
		var body struct {
			Model          string              `json:"model"`
			Messages       []map[string]string `json:"messages"`
			ResponseFormat map[string]string   `json:"response_format"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("request body: %v", err)
		}
		if body.Model != "gpt-test" || len(body.Messages) != 2 || body.ResponseFormat["type"] != "json_object" {
			t.Errorf("request = %+v", body)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, reply)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newTestOpenAI(base string, timeout time.Duration) *OpenAI {
	return NewOpenAI(OpenAIConfig{APIKey: testOpenAIKey, Model: "gpt-test", BaseURL: base},
		ClientOptions{Timeout: timeout, Clock: clock.NewFake(testNow)})
}

func TestOpenAIAdCopy(t *testing.T) {
	content := `{"headline":"🍕 Pizza night at Test Pizzeria!","body":"Our Margherita, now 20% off.\nBaked fresh.","cta":"📞 Call us today!"}`
	srv := fakeOpenAI(t, 200, chatReply(content))
	ad, err := newTestOpenAI(srv.URL+"/", time.Minute).AdCopy(context.Background(),
		AdCopyRequest{RestaurantName: "Test Pizzeria", ItemToPromote: "Margherita", Offer: "20% off"})
	if err != nil {
		t.Fatal(err)
	}
	wantText := "🍕 Pizza night at Test Pizzeria!\n\nOur Margherita, now 20% off.\nBaked fresh.\n\n📞 Call us today!"
	if ad.Text != wantText {
		t.Errorf("text = %q", ad.Text)
	}
	if want := UTF16Len("🍕 Pizza night at Test Pizzeria!" + "Our Margherita, now 20% off.\nBaked fresh." + "📞 Call us today!"); ad.CharacterCount != want {
		t.Errorf("count = %d, want %d", ad.CharacterCount, want)
	}
	if ad.Model != "gpt-4o-mini-2024-07-18" || !ad.GeneratedAt.Equal(testNow) {
		t.Errorf("model %q at %v", ad.Model, ad.GeneratedAt)
	}
}

func TestOpenAISMSTemplate(t *testing.T) {
	req := SMSTemplateRequest{RestaurantName: "Test Pizzeria", Offer: "20% off", OfferCode: "WELCOME20"}
	tests := []struct {
		name, template, wantForAnn string
	}{
		{"as asked", "Hi {name}! Test Pizzeria misses you: 20% off with WELCOME20.", "Hi Ann! Test Pizzeria misses you: 20% off with WELCOME20."},
		{"double braces", "{{name}}, 20% off at Test Pizzeria with WELCOME20", "Ann, 20% off at Test Pizzeria with WELCOME20"},
		{"forgot the name", "20% off at Test Pizzeria with WELCOME20", "Hi Ann! 20% off at Test Pizzeria with WELCOME20"},
		{"forgot the code", "Hi {name}, 20% off at Test Pizzeria", "Hi Ann, 20% off at Test Pizzeria Code: WELCOME20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content, _ := json.Marshal(map[string]string{"template": tt.template})
			srv := fakeOpenAI(t, 200, chatReply(string(content)))
			tpl, err := newTestOpenAI(srv.URL, time.Minute).SMSTemplate(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if got := tpl.Render("Ann"); got.Text != tt.wantForAnn || got.CharacterCount != UTF16Len(tt.wantForAnn) {
				t.Errorf("Render = %+v, want %q", got, tt.wantForAnn)
			}
		})
	}
}

func TestOpenAIFailures(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		reply   string
		wantMsg string
	}{
		{"bad key", 401, `{"error":{"message":"Incorrect API key provided: ` + testOpenAIKey + `","type":"invalid_request_error","code":"invalid_api_key"}}`, "HTTP 401 (code invalid_api_key)"},
		{"rate limited", 429, `{"error":{"message":"Rate limit reached","type":"requests","code":null}}`, "HTTP 429 (code requests): Rate limit reached"},
		{"server error, no JSON", 502, `<html>bad gateway</html>`, "HTTP 502: Bad Gateway"},
		{"not JSON", 200, `{"choices":`, "unexpected answer: not JSON"},
		{"no choices", 200, `{"choices":[]}`, "unexpected answer: no choices"},
		{"content not JSON", 200, chatReply("Sure! Here is your ad: ..."), "not the requested JSON object"},
		{"content misses fields", 200, chatReply(`{"headline":"x"}`), "headline, body or cta missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeOpenAI(t, tt.status, tt.reply)
			_, err := newTestOpenAI(srv.URL, time.Minute).AdCopy(context.Background(), AdCopyRequest{"R", "I", "O"})
			if !errors.Is(err, ErrProviderFailed) {
				t.Fatalf("err = %v, want ErrProviderFailed", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "openai: generate ad copy") || !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("err = %q, want it to contain %q", msg, tt.wantMsg)
			}
			if strings.Contains(msg, testOpenAIKey) {
				t.Errorf("error leaks the API key: %q", msg)
			}
		})
	}
}

func TestOpenAITimeoutAndCancel(t *testing.T) {
	srv, arrived := silentServer(t)

	t.Run("caller cancels", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-arrived; cancel() }()
		_, err := newTestOpenAI(srv.URL, time.Minute).AdCopy(ctx, AdCopyRequest{"R", "I", "O"})
		if !errors.Is(err, ErrProviderFailed) || !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("caller deadline passed", func(t *testing.T) {
		ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
		defer cancel()
		_, err := newTestOpenAI(srv.URL, time.Minute).SMSTemplate(ctx, SMSTemplateRequest{})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("provider timeout", func(t *testing.T) {
		// A 1 ns per-call timeout has always expired by the time the request is sent.
		_, err := newTestOpenAI(srv.URL, time.Nanosecond).AdCopy(context.Background(), AdCopyRequest{"R", "I", "O"})
		if !errors.Is(err, ErrProviderFailed) || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no answer within 1ns") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		dead := httptest.NewServer(http.NotFoundHandler())
		dead.Close()
		_, err := newTestOpenAI(dead.URL, time.Minute).AdCopy(context.Background(), AdCopyRequest{"R", "I", "O"})
		if !errors.Is(err, ErrProviderFailed) || !strings.Contains(err.Error(), "cannot reach the service") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestOpenAIOversizedAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"x":"`+strings.Repeat("a", maxResponseBytes)+`"}`)
	}))
	t.Cleanup(srv.Close)
	_, err := newTestOpenAI(srv.URL, time.Minute).AdCopy(context.Background(), AdCopyRequest{"R", "I", "O"})
	if !errors.Is(err, ErrProviderFailed) || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("err = %v", err)
	}
}

// silentServer never answers. Its handlers read the request (so the server notices when the client
// hangs up), signal arrived, then wait for the client to give up or the test to end.
func silentServer(t *testing.T) (*httptest.Server, <-chan struct{}) {
	t.Helper()
	arrived := make(chan struct{}, 1)
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		select {
		case arrived <- struct{}{}:
		default:
		}
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) })
	return srv, arrived
}
