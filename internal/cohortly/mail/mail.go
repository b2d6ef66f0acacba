// Package mail sends Cohortly's emails: a Mailer interface, a SendGrid client (v3 mail/send API) and a
// log mailer that only records what would have been sent (the default).
package mail

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Message is one email.
type Message struct {
	To      string
	ToName  string
	Subject string
	Text    string
	HTML    string
}

// Mailer sends messages.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// Log is a Mailer that writes each message to a logger instead of sending it.
type Log struct{ Logger *slog.Logger }

// Send logs m (recipient and subject only: bodies may carry personal data).
func (l Log) Send(ctx context.Context, m Message) error {
	l.Logger.InfoContext(ctx, "email (log mailer, not sent)", slog.String("to", m.To), slog.String("subject", m.Subject))
	return nil
}

// DefaultSendGridURL is the SendGrid v3 API base.
const DefaultSendGridURL = "https://api.sendgrid.com"

// SendGrid sends through SendGrid's v3 /v3/mail/send endpoint.
type SendGrid struct {
	apiKey   string
	baseURL  string
	from     string
	fromName string
	client   *http.Client
}

// DefaultTimeout bounds a call to SendGrid when NewSendGrid makes the client.
const DefaultTimeout = 10 * time.Second

// NewSendGrid returns a SendGrid mailer. baseURL "" means DefaultSendGridURL (tests point it at a fake
// server); client nil means an http.Client with DefaultTimeout.
func NewSendGrid(apiKey, baseURL, from, fromName string, client *http.Client) *SendGrid {
	if baseURL == "" {
		baseURL = DefaultSendGridURL
	}
	if client == nil {
		client = &http.Client{Timeout: DefaultTimeout}
	}
	return &SendGrid{apiKey: apiKey, baseURL: strings.TrimRight(baseURL, "/"), from: from, fromName: fromName, client: client}
}

type sgAddress struct {
	Email string `json:"email"`
	Name  string `json:"name,omitempty"`
}

type sgContent struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type sgRequest struct {
	Personalizations []struct {
		To []sgAddress `json:"to"`
	} `json:"personalizations"`
	From    sgAddress   `json:"from"`
	Subject string      `json:"subject"`
	Content []sgContent `json:"content"`
}

// Send posts m to SendGrid; any status other than 2xx is an error carrying SendGrid's answer.
func (s *SendGrid) Send(ctx context.Context, m Message) error {
	var req sgRequest
	req.Personalizations = make([]struct {
		To []sgAddress `json:"to"`
	}, 1)
	req.Personalizations[0].To = []sgAddress{{Email: m.To, Name: m.ToName}}
	req.From = sgAddress{Email: s.from, Name: s.fromName}
	req.Subject = m.Subject
	if m.Text != "" {
		req.Content = append(req.Content, sgContent{Type: "text/plain", Value: m.Text})
	}
	if m.HTML != "" {
		req.Content = append(req.Content, sgContent{Type: "text/html", Value: m.HTML})
	}
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("encode sendgrid request: %w", err)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, s.baseURL+"/v3/mail/send", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build sendgrid request: %w", err)
	}
	hr.Header.Set("Authorization", "Bearer "+s.apiKey)
	hr.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(hr)
	if err != nil {
		return fmt.Errorf("send email to sendgrid: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return fmt.Errorf("sendgrid answered %d: %s", resp.StatusCode, strings.TrimSpace(string(msg)))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return nil
}
