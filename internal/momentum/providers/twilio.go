package providers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// TwilioConfig configures the Twilio Messages API client. Either From or MessagingServiceSID is
// required.
type TwilioConfig struct {
	AccountSID          string
	AuthToken           string
	From                string // sender number in E.164
	MessagingServiceSID string // used instead of From when set
	BaseURL             string // default "https://api.twilio.com"
	Concurrency         int    // messages in flight at once; default DefaultTwilioConcurrency
}

// DefaultTwilioConcurrency is the number of Messages API calls in flight when TWILIO_CONCURRENCY is
// not set.
const DefaultTwilioConcurrency = 8

// Twilio is an SMSSender backed by the Twilio Messages API.
type Twilio struct {
	cfg  TwilioConfig
	http httpCaller
	ids  *mockEnv // campaign ids in the legacy "sms_<ms>_<base36>" shape
}

// NewTwilio returns the Twilio client.
func NewTwilio(cfg TwilioConfig, o ClientOptions) *Twilio {
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://api.twilio.com"
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultTwilioConcurrency
	}
	return &Twilio{
		cfg: cfg,
		ids: newMockEnv(MockOptions{Clock: o.Clock}),
		http: httpCaller{
			provider:  "twilio",
			hc:        orDefaultClient(o.HTTP),
			timeout:   o.Timeout,
			secrets:   []string{cfg.AuthToken},
			errorText: twilioErrorText,
		},
	}
}

// Send posts one message per recipient, at most Concurrency at a time. A message Twilio refuses (an
// invalid number, a blocked recipient) fails only that recipient. Bad credentials abort the batch, as
// does ctx; so does the service being unreachable for every recipient. In those cases the batch
// returned next to the error says which recipients were not attempted ("not sent").
//
// Twilio accepting a message ("queued", "accepted", "sending", "sent", "delivered") counts as sent;
// "scheduled" is pending; "failed" and "undelivered" are failed.
func (t *Twilio) Send(ctx context.Context, recipients []SMSRecipient) (SMSBatch, error) {
	b := SMSBatch{CampaignID: t.ids.legacyID("sms"), Results: make([]SMSResult, len(recipients))}
	for i, rc := range recipients {
		b.Results[i] = SMSResult{Phone: rc.Phone, Status: SMSFailed, ErrorMessage: "not sent"}
	}
	if len(recipients) == 0 {
		b.tally()
		return b, nil
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu         sync.Mutex
		abortErr   error
		unreached  int // recipients that failed because Twilio could not be reached or errored
		next       = make(chan int)
		wg         sync.WaitGroup
		numWorkers = min(t.cfg.Concurrency, len(recipients))
	)
	for range numWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res, fatal, serviceDown := t.sendOne(ctx, recipients[i])
				mu.Lock()
				b.Results[i] = res
				if serviceDown {
					unreached++
				}
				if fatal != nil && abortErr == nil {
					abortErr = fatal
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range recipients {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()

	b.tally()
	switch {
	case abortErr != nil:
		return b, abortErr
	case unreached == len(recipients):
		return b, &ProviderError{Provider: "twilio", Op: "send sms", Message: "no message could be sent: " + b.Results[0].ErrorMessage}
	}
	return b, nil
}

// sendOne sends one message. fatal is set when the whole batch must stop; serviceDown when the
// failure says nothing about this recipient (Twilio unreachable, timing out or failing).
func (t *Twilio) sendOne(ctx context.Context, rc SMSRecipient) (res SMSResult, fatal error, serviceDown bool) {
	const op = "send sms"
	res = SMSResult{Phone: rc.Phone, Status: SMSFailed}
	form := url.Values{"To": {toE164(rc.Phone)}, "Body": {rc.Message}}
	if t.cfg.MessagingServiceSID != "" {
		form.Set("MessagingServiceSid", t.cfg.MessagingServiceSID)
	} else {
		form.Set("From", t.cfg.From)
	}
	encoded := form.Encode()
	endpoint := joinURL(t.cfg.BaseURL, "/2010-04-01/Accounts/"+url.PathEscape(t.cfg.AccountSID)+"/Messages.json")
	status, body, err := t.http.call(ctx, op, func(ctx context.Context) (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(encoded))
		if err != nil {
			return nil, err
		}
		r.SetBasicAuth(t.cfg.AccountSID, t.cfg.AuthToken)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r, nil
	})
	if err != nil {
		res.ErrorMessage = err.Error()
		if ctx.Err() != nil {
			return res, err, false
		}
		return res, nil, true
	}
	if !is2xx(status) {
		perr := t.http.statusErr(op, status, body)
		var pe *ProviderError
		errors.As(perr, &pe)
		res.ErrorCode, _ = strconv.Atoi(pe.Code)
		res.ErrorMessage = pe.Message
		switch {
		case status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusNotFound:
			// Credentials or account are wrong: every other message would fail the same way.
			return res, perr, false
		case status == http.StatusTooManyRequests || status >= 500:
			return res, nil, true
		}
		return res, nil, false
	}
	var msg struct {
		SID          string  `json:"sid"`
		Status       string  `json:"status"`
		ErrorCode    *int    `json:"error_code"`
		ErrorMessage *string `json:"error_message"`
	}
	if err := json.Unmarshal(body, &msg); err != nil || msg.SID == "" {
		// Twilio answered 2xx, so the message may well be on its way; say so rather than guess.
		res.Status = SMSPending
		res.ErrorMessage = "unexpected answer from Twilio"
		return res, nil, false
	}
	res.MessageID = msg.SID
	switch msg.Status {
	case "failed", "undelivered", "canceled":
		res.Status = SMSFailed
		if msg.ErrorCode != nil {
			res.ErrorCode = *msg.ErrorCode
		}
		if msg.ErrorMessage != nil {
			res.ErrorMessage = *msg.ErrorMessage
		}
	case "scheduled":
		res.Status = SMSPending
	default:
		res.Status = SMSSent
	}
	return res, nil, false
}

// CampaignMetrics is not available from Twilio, which has no notion of our campaigns.
func (t *Twilio) CampaignMetrics(ctx context.Context, campaignID string) (SMSMetrics, error) {
	return SMSMetrics{}, fmt.Errorf("twilio: campaign metrics: %w", errors.ErrUnsupported)
}

// toE164 derives the number Twilio needs from the phone as the customer typed it (the phone itself is
// stored and shown unchanged): digits only, with a leading + kept, and +1 added to a bare 10-digit
// number as the legacy formatPhoneNumber did.
func toE164(phone string) string {
	var digits strings.Builder
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			digits.WriteRune(r)
		}
	}
	d := digits.String()
	switch {
	case strings.HasPrefix(strings.TrimSpace(phone), "+"):
		return "+" + d
	case len(d) == 10:
		return "+1" + d
	}
	return "+" + d
}

func twilioErrorText(body []byte) (string, string) {
	var e struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil {
		return "", ""
	}
	code := ""
	if e.Code != 0 {
		code = strconv.Itoa(e.Code)
	}
	return code, e.Message
}
