package providers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxResponseBytes bounds what we read from a provider: every answer we use is a few kilobytes.
const maxResponseBytes = 1 << 20

// maxMessageBytes bounds how much of a provider's error text we keep.
const maxMessageBytes = 300

// httpCaller is the plumbing shared by the real clients: a per-call timeout, a bounded body read and
// errors that name the provider and never carry its credentials.
type httpCaller struct {
	provider string
	hc       *http.Client
	timeout  time.Duration
	secrets  []string
	// errorText extracts the provider's error code and message from an error answer.
	errorText func(body []byte) (code, msg string)
}

// call sends the request built by newReq under the per-call timeout and returns the answer's status
// and body. A transport failure or timeout is a *ProviderError.
func (c *httpCaller) call(ctx context.Context, op string, newReq func(ctx context.Context) (*http.Request, error)) (int, []byte, error) {
	cctx := ctx
	if c.timeout > 0 {
		var cancel context.CancelFunc
		cctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	req, err := newReq(cctx)
	if err != nil {
		return 0, nil, c.fail(op, 0, "", "cannot build request", err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, c.transportErr(ctx, op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return 0, nil, c.transportErr(ctx, op, err)
	}
	if len(body) > maxResponseBytes {
		return resp.StatusCode, nil, c.fail(op, resp.StatusCode, "", "answer larger than 1 MiB", nil)
	}
	return resp.StatusCode, body, nil
}

// statusErr turns a non-2xx answer into a *ProviderError carrying the provider's own explanation.
func (c *httpCaller) statusErr(op string, status int, body []byte) error {
	code, msg := "", ""
	if c.errorText != nil {
		code, msg = c.errorText(body)
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	return c.fail(op, status, code, msg, nil)
}

// badAnswer reports a 2xx answer we cannot use.
func (c *httpCaller) badAnswer(op string, status int, what string, err error) error {
	return c.fail(op, status, "", "unexpected answer: "+what, err)
}

func (c *httpCaller) transportErr(ctx context.Context, op string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		// The url.Error text repeats the URL; the cause alone is what matters.
		err = ue.Err
	}
	switch {
	case ctx.Err() != nil:
		return c.fail(op, 0, "", "request abandoned", ctx.Err())
	case errors.Is(err, context.DeadlineExceeded):
		return c.fail(op, 0, "", fmt.Sprintf("no answer within %s", c.timeout), context.DeadlineExceeded)
	}
	return c.fail(op, 0, "", "cannot reach the service", err)
}

func (c *httpCaller) fail(op string, status int, code, msg string, err error) *ProviderError {
	msg = c.redact(msg)
	if len(msg) > maxMessageBytes {
		msg = strings.ToValidUTF8(msg[:maxMessageBytes], "") + "…"
	}
	if err != nil && c.redact(err.Error()) != err.Error() {
		err = errors.New(c.redact(err.Error()))
	}
	return &ProviderError{Provider: c.provider, Op: op, Status: status, Code: c.redact(code), Message: msg, Err: err}
}

func (c *httpCaller) redact(s string) string {
	for _, secret := range c.secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

func is2xx(status int) bool { return status >= 200 && status < 300 }

// joinURL appends path to a configured base URL ("https://api.openai.com" or a test server's URL, with
// or without a trailing slash).
func joinURL(base, path string) string { return strings.TrimRight(base, "/") + path }
