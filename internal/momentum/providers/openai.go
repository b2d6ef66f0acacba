package providers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

// OpenAIConfig configures the OpenAI chat-completions copywriter.
type OpenAIConfig struct {
	APIKey  string
	Model   string // default DefaultOpenAIModel
	BaseURL string // default "https://api.openai.com"
}

// DefaultOpenAIModel is used when OPENAI_MODEL is not set.
const DefaultOpenAIModel = "gpt-4o-mini"

// OpenAI is a Copywriter backed by the OpenAI chat-completions API.
type OpenAI struct {
	cfg  OpenAIConfig
	http httpCaller
	clk  clock.Clock
}

// NewOpenAI returns the OpenAI copywriter.
func NewOpenAI(cfg OpenAIConfig, o ClientOptions) *OpenAI {
	if cfg.Model == "" {
		cfg.Model = DefaultOpenAIModel
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://api.openai.com"
	}
	return &OpenAI{
		cfg: cfg,
		clk: orSystem(o.Clock),
		http: httpCaller{
			provider:  "openai",
			hc:        orDefaultClient(o.HTTP),
			timeout:   o.Timeout,
			secrets:   []string{cfg.APIKey},
			errorText: openAIErrorText,
		},
	}
}

const adCopyPrompt = `You write short Facebook ads for local restaurants.
Answer with a JSON object {"headline": string, "body": string, "cta": string}:
- headline: one line, starting with one food emoji, at most 60 characters;
- body: two or three short lines separated by "\n" that mention the dish and the offer exactly as given;
- cta: one short call to action starting with an emoji.
No hashtags, no prices that are not in the offer.`

const smsPrompt = `You write one SMS to win back a restaurant's lapsed customers.
Answer with a JSON object {"template": string}. The template:
- is at most 140 characters, plain text, no links;
- greets the customer with the literal placeholder {name} exactly once (it is replaced by each customer's name);
- names the restaurant, states the offer, and includes the offer code exactly as given.`

// AdCopy asks the model for a headline, body and call to action and assembles them like the legacy mock.
func (c *OpenAI) AdCopy(ctx context.Context, req AdCopyRequest) (AdCopy, error) {
	const op = "generate ad copy"
	user, _ := json.Marshal(map[string]string{
		"restaurant": req.RestaurantName, "dish": req.ItemToPromote, "offer": req.Offer,
	})
	var out struct {
		Headline string `json:"headline"`
		Body     string `json:"body"`
		CTA      string `json:"cta"`
	}
	model, status, err := c.complete(ctx, op, adCopyPrompt, string(user), &out)
	if err != nil {
		return AdCopy{}, err
	}
	h, b, cta := strings.TrimSpace(out.Headline), strings.TrimSpace(out.Body), strings.TrimSpace(out.CTA)
	if h == "" || b == "" || cta == "" {
		return AdCopy{}, c.http.badAnswer(op, status, "headline, body or cta missing", nil)
	}
	text, count := AssembleAdCopy(h, b, cta)
	return AdCopy{Text: text, CharacterCount: count, Model: model, GeneratedAt: c.clk.Now()}, nil
}

// SMSTemplate asks the model for one template. A reply that forgot the name slot or the offer code is
// repaired rather than rejected, because every customer must get their name and the code.
func (c *OpenAI) SMSTemplate(ctx context.Context, req SMSTemplateRequest) (SMSTemplate, error) {
	const op = "generate sms template"
	user, _ := json.Marshal(map[string]string{
		"restaurant": req.RestaurantName, "offer": req.Offer, "offerCode": req.OfferCode,
	})
	var out struct {
		Template string `json:"template"`
	}
	model, status, err := c.complete(ctx, op, smsPrompt, string(user), &out)
	if err != nil {
		return SMSTemplate{}, err
	}
	text := strings.TrimSpace(strings.ReplaceAll(out.Template, "{{name}}", NamePlaceholder))
	if text == "" {
		return SMSTemplate{}, c.http.badAnswer(op, status, "empty template", nil)
	}
	if !strings.Contains(text, NamePlaceholder) {
		text = "Hi " + NamePlaceholder + "! " + text
	}
	if req.OfferCode != "" && !strings.Contains(text, req.OfferCode) {
		text += " Code: " + req.OfferCode
	}
	return ParseSMSTemplate(text, model), nil
}

// complete runs one chat completion in JSON mode and decodes the reply's content into out. It returns
// the model that answered and the HTTP status.
func (c *OpenAI) complete(ctx context.Context, op, system, user string, out any) (string, int, error) {
	payload, err := json.Marshal(map[string]any{
		"model": c.cfg.Model,
		"messages": []map[string]string{
			{"role": "system", "content": system},
			{"role": "user", "content": user},
		},
		"response_format":       map[string]string{"type": "json_object"},
		"max_completion_tokens": 500,
	})
	if err != nil {
		return "", 0, c.http.fail(op, 0, "", "cannot encode request", err)
	}
	status, body, err := c.http.call(ctx, op, func(ctx context.Context) (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodPost, joinURL(c.cfg.BaseURL, "/v1/chat/completions"), bytes.NewReader(payload))
		if err != nil {
			return nil, err
		}
		r.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
		r.Header.Set("Content-Type", "application/json")
		return r, nil
	})
	if err != nil {
		return "", 0, err
	}
	if !is2xx(status) {
		return "", status, c.http.statusErr(op, status, body)
	}
	var resp struct {
		Model   string `json:"model"`
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return "", status, c.http.badAnswer(op, status, "not JSON", err)
	}
	if len(resp.Choices) == 0 {
		return "", status, c.http.badAnswer(op, status, "no choices", nil)
	}
	if err := json.Unmarshal([]byte(resp.Choices[0].Message.Content), out); err != nil {
		return "", status, c.http.badAnswer(op, status, "message content is not the requested JSON object", err)
	}
	model := resp.Model
	if model == "" {
		model = c.cfg.Model
	}
	return model, status, nil
}

func openAIErrorText(body []byte) (string, string) {
	var e struct {
		Error struct {
			Message string `json:"message"`
			Type    string `json:"type"`
			Code    any    `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return "", ""
	}
	code := e.Error.Type
	if e.Error.Code != nil {
		code = fmt.Sprint(e.Error.Code)
	}
	return code, e.Error.Message
}
