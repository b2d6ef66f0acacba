package providers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

const (
	testTwilioSID   = "AC0123456789abcdef"
	testTwilioToken = "tw-SECRET-token-987"
)

// twilioAnswer is what the fake Twilio answers for one "To" number.
type twilioAnswer struct {
	status int
	body   string
}

// fakeTwilio checks each request and answers according to answers[To] (default: 201 queued).
func fakeTwilio(t *testing.T, answers map[string]twilioAnswer, check func(r *http.Request)) (*httptest.Server, *atomic.Int64, *atomic.Int64) {
	t.Helper()
	var calls, maxInFlight, inFlight atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		calls.Add(1)
		if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/"+testTwilioSID+"/Messages.json" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		if user, pass, ok := r.BasicAuth(); !ok || user != testTwilioSID || pass != testTwilioToken {
			t.Errorf("basic auth %q %q %v", user, pass, ok)
		}
		if err := r.ParseForm(); err != nil {
			t.Errorf("form: %v", err)
		}
		if check != nil {
			check(r)
		}
		to := r.PostForm.Get("To")
		a, ok := answers[to]
		if !ok {
			a = twilioAnswer{201, fmt.Sprintf(`{"sid":"SM%s","status":"queued","error_code":null,"error_message":null}`, strings.TrimPrefix(to, "+"))}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls, &maxInFlight
}

func newTestTwilio(base string, concurrency int, messagingService string) *Twilio {
	return NewTwilio(TwilioConfig{
		AccountSID: testTwilioSID, AuthToken: testTwilioToken, From: "+15550001111",
		MessagingServiceSID: messagingService, BaseURL: base, Concurrency: concurrency,
	}, ClientOptions{Timeout: time.Minute, Clock: clock.NewFake(testNow)})
}

func TestTwilioSend(t *testing.T) {
	answers := map[string]twilioAnswer{
		"+15552345678": {400, `{"code":21211,"message":"The 'To' number +15552345678 is not a valid phone number.","status":400}`},
		"+15553456789": {201, `{"sid":"SMfail","status":"failed","error_code":30003,"error_message":"Unreachable destination handset"}`},
		"+15554567890": {201, `{"sid":"SMsched","status":"scheduled","error_code":null,"error_message":null}`},
		"+15555678901": {200, `not json`},
	}
	srv, calls, _ := fakeTwilio(t, answers, func(r *http.Request) {
		if r.PostForm.Get("From") != "+15550001111" || r.PostForm.Get("MessagingServiceSid") != "" {
			t.Errorf("sender %q / %q", r.PostForm.Get("From"), r.PostForm.Get("MessagingServiceSid"))
		}
		if want := "Hi " + r.PostForm.Get("To") + "!"; r.PostForm.Get("Body") != want {
			t.Errorf("Body %q, want %q", r.PostForm.Get("Body"), want)
		}
	})
	phones := []struct{ given, e164 string }{
		{"+1-555-123-4567", "+15551234567"},
		{"(555) 234-5678", "+15552345678"},
		{"555.345.6789", "+15553456789"},
		{"+15554567890", "+15554567890"},
		{"555-567-8901", "+15555678901"},
		{"+44 20 7946 0958", "+442079460958"},
	}
	var rs []SMSRecipient
	for _, p := range phones {
		rs = append(rs, SMSRecipient{Name: "N", Phone: p.given, Message: "Hi " + p.e164 + "!"})
	}
	b, err := newTestTwilio(srv.URL, 2, "").Send(context.Background(), rs)
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != int64(len(rs)) {
		t.Errorf("%d calls for %d recipients", calls.Load(), len(rs))
	}
	want := []SMSResult{
		{Phone: "+1-555-123-4567", Status: SMSSent, MessageID: "SM15551234567"},
		{Phone: "(555) 234-5678", Status: SMSFailed, ErrorCode: 21211, ErrorMessage: "The 'To' number +15552345678 is not a valid phone number."},
		{Phone: "555.345.6789", Status: SMSFailed, MessageID: "SMfail", ErrorCode: 30003, ErrorMessage: "Unreachable destination handset"},
		{Phone: "+15554567890", Status: SMSPending, MessageID: "SMsched"},
		{Phone: "555-567-8901", Status: SMSPending, ErrorMessage: "unexpected answer from Twilio"},
		{Phone: "+44 20 7946 0958", Status: SMSSent, MessageID: "SM442079460958"},
	}
	for i := range want {
		if b.Results[i] != want[i] {
			t.Errorf("result %d = %+v\nwant %+v", i, b.Results[i], want[i])
		}
	}
	if b.Sent != 2 || b.Pending != 2 || b.Failed != 2 || b.TotalCost != "0.0150" {
		t.Errorf("tally %d/%d/%d %s", b.Sent, b.Pending, b.Failed, b.TotalCost)
	}
	if !regexp.MustCompile(`^sms_1795296756666_[0-9a-z]{9}$`).MatchString(b.CampaignID) {
		t.Errorf("campaign id %q", b.CampaignID)
	}
}

func TestTwilioMessagingServiceAndConcurrency(t *testing.T) {
	srv, calls, maxInFlight := fakeTwilio(t, nil, func(r *http.Request) {
		if r.PostForm.Get("MessagingServiceSid") != "MG123" || r.PostForm.Has("From") {
			t.Errorf("sender form %v", r.PostForm)
		}
	})
	rs := make([]SMSRecipient, 60)
	for i := range rs {
		rs[i] = SMSRecipient{Phone: fmt.Sprintf("555%07d", i), Message: "x"}
	}
	b, err := newTestTwilio(srv.URL, 3, "MG123").Send(context.Background(), rs)
	if err != nil {
		t.Fatal(err)
	}
	if b.Sent != 60 || calls.Load() != 60 {
		t.Errorf("sent %d with %d calls", b.Sent, calls.Load())
	}
	if m := maxInFlight.Load(); m > 3 {
		t.Errorf("%d requests in flight, limit 3", m)
	}
}

func TestTwilioBadCredentialsAbort(t *testing.T) {
	var calls atomic.Int64
	// Every number gets 401; the token appears in the message to prove it is redacted.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(401)
		io.WriteString(w, `{"code":20003,"message":"Authenticate `+testTwilioToken+`","status":401}`)
	}))
	t.Cleanup(srv.Close)
	rs := make([]SMSRecipient, 50)
	for i := range rs {
		rs[i] = SMSRecipient{Phone: fmt.Sprint(5550000000 + i)}
	}
	b, err := newTestTwilio(srv.URL, 1, "").Send(context.Background(), rs)
	if !errors.Is(err, ErrProviderFailed) || !strings.Contains(err.Error(), "twilio: send sms: HTTP 401 (code 20003)") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), testTwilioToken) || strings.Contains(fmt.Sprint(b), testTwilioToken) {
		t.Errorf("token leaked: %v / %+v", err, b)
	}
	if calls.Load() > 2 {
		t.Errorf("%d calls after the first 401; the batch should stop", calls.Load())
	}
	if len(b.Results) != 50 || b.Failed != 50 || b.Results[49].ErrorMessage != "not sent" {
		t.Errorf("batch %+v", b.Results[49])
	}
}

func TestTwilioServiceDown(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(503)
	}))
	t.Cleanup(srv.Close)
	b, err := newTestTwilio(srv.URL, 4, "").Send(context.Background(), make([]SMSRecipient, 5))
	if !errors.Is(err, ErrProviderFailed) || !strings.Contains(err.Error(), "no message could be sent") {
		t.Fatalf("err = %v", err)
	}
	if b.Failed != 5 {
		t.Errorf("batch %+v", b)
	}
}

func TestTwilioPartialOutageIsNotAnError(t *testing.T) {
	answers := map[string]twilioAnswer{"+15550000001": {500, `{"code":20500,"message":"Internal Server Error"}`}}
	srv, _, _ := fakeTwilio(t, answers, nil)
	b, err := newTestTwilio(srv.URL, 1, "").Send(context.Background(), []SMSRecipient{{Phone: "5550000001"}, {Phone: "5550000002"}})
	if err != nil {
		t.Fatal(err)
	}
	if b.Sent != 1 || b.Failed != 1 || b.Results[0].ErrorCode != 20500 {
		t.Errorf("batch %+v", b)
	}
}

func TestTwilioCancelled(t *testing.T) {
	srv, arrived := silentServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	b, err := newTestTwilio(srv.URL, 2, "").Send(ctx, make([]SMSRecipient, 20))
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrProviderFailed) {
		t.Fatalf("err = %v", err)
	}
	if len(b.Results) != 20 || b.Sent != 0 {
		t.Errorf("batch %+v", b)
	}
}

func TestTwilioEmptyBatchAndMetrics(t *testing.T) {
	tw := newTestTwilio("http://127.0.0.1:1", 1, "")
	b, err := tw.Send(context.Background(), nil)
	if err != nil || b.TotalCost != "0.0000" || len(b.Results) != 0 {
		t.Errorf("empty batch: %+v %v", b, err)
	}
	if _, err := tw.CampaignMetrics(context.Background(), "sms_1"); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("metrics err = %v", err)
	}
}

func TestToE164(t *testing.T) {
	tests := map[string]string{
		"+1-555-123-4567":   "+15551234567",
		"(555) 234-5678":    "+15552345678",
		"555.345.6789":      "+15553456789",
		" +44 20 7946 0958": "+442079460958",
		"15551234567":       "+15551234567",
	}
	for in, want := range tests {
		if got := toE164(in); got != want {
			t.Errorf("toE164(%q) = %q, want %q", in, got, want)
		}
	}
}

// Guard against accidental data races in the result collection.
func TestTwilioConcurrentSends(t *testing.T) {
	srv, _, _ := fakeTwilio(t, nil, nil)
	tw := newTestTwilio(srv.URL, 4, "")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := tw.Send(context.Background(), make([]SMSRecipient, 10)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}
