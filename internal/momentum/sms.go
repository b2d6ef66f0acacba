package momentum

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum/csvimport"
	"github.com/momentum-cohortly/backends/internal/momentum/providers"
	"github.com/momentum-cohortly/backends/internal/platform/apperr"
)

// MaxOfferCodeLen bounds the SMS offer code.
const MaxOfferCodeLen = 40

// SMSInput is the SMS campaign form. CSV is the uploaded customer list, nil when none was sent.
type SMSInput struct {
	Offer, OfferCode, RestaurantName string
	CSV                              io.Reader
}

var smsRequired = []string{"offer", "offerCode", "restaurantName"}

// SMSRecipientRecord is what a campaign's details keep per customer: who received which exact text.
type SMSRecipientRecord struct {
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Message   string `json:"message"`
	Status    string `json:"status"`
	MessageID string `json:"messageId,omitempty"`
	Error     string `json:"error,omitempty"`
}

// SMSResult is the outcome of an SMS campaign.
type SMSResult struct {
	Campaign      *Campaign // nil when there was nobody to send to
	ExternalID    string
	OfferCode     string
	ValidRows     int
	Lapsed        int
	Sent          int
	Failed        int
	Pending       int
	TotalCost     string
	SampleMessage string
	DeliveryRate  string
	CreatedAt     time.Time
	CSVErrors     []csvimport.RowError
}

func (s *Service) checkSMSFields(in SMSInput, missingMsg string, required []string) error {
	if strings.TrimSpace(in.Offer) == "" || strings.TrimSpace(in.OfferCode) == "" || strings.TrimSpace(in.RestaurantName) == "" {
		return &apperr.Error{Kind: apperr.KindInvalid, Message: missingMsg, Fields: apperr.Names(required...)}
	}
	if len([]rune(in.OfferCode)) > MaxOfferCodeLen {
		return invalid(fmt.Sprintf("offerCode must be at most %d characters", MaxOfferCodeLen))
	}
	return checkCopyFields(map[string]string{"offer": in.Offer, "restaurantName": in.RestaurantName})
}

func (s *Service) parseCustomers(in SMSInput) (csvimport.Result, []csvimport.Customer, error) {
	res, err := csvimport.Parse(in.CSV)
	if err != nil {
		return csvimport.Result{}, nil, &apperr.Error{Kind: apperr.KindInvalid, Message: "Failed to parse CSV file: " + err.Error(), Err: err}
	}
	if len(res.Customers) > s.cfg.MaxRecipients {
		return csvimport.Result{}, nil, invalid(fmt.Sprintf("The customer list has more than %d customers", s.cfg.MaxRecipients))
	}
	lapsed := csvimport.Lapsed(res.Customers, s.clk.Now(), s.cfg.LapsedAfterDays, s.cfg.Location)
	return res, lapsed, nil
}

// CreateSMSCampaign sends the offer to every lapsed customer of the uploaded list, each with their own
// name, and records the campaign with every recipient and the exact text they were sent.
func (s *Service) CreateSMSCampaign(ctx context.Context, p *Principal, in SMSInput) (SMSResult, error) {
	r, err := s.restaurantFor(ctx, p, ActRestaurant, RestaurantRef{})
	if err != nil {
		return SMSResult{}, err
	}
	if err := s.checkSMSFields(in, "Missing required fields", smsRequired); err != nil {
		return SMSResult{}, err
	}
	if in.CSV == nil {
		return SMSResult{}, invalid("Customer list CSV file is required")
	}
	res, lapsed, err := s.parseCustomers(in)
	if err != nil {
		return SMSResult{}, err
	}
	if len(res.Customers) == 0 {
		return SMSResult{}, &apperr.Error{Kind: apperr.KindInvalid, Message: "No valid customers found in CSV file", Details: nonNil(res.Errors)}
	}
	out := SMSResult{OfferCode: in.OfferCode, ValidRows: len(res.Customers), Lapsed: len(lapsed), CSVErrors: nonNil(res.Errors), CreatedAt: s.clk.Now()}
	if len(lapsed) == 0 {
		out.TotalCost, out.DeliveryRate = providers.FormatCost(0), "0%"
		return out, nil
	}
	tmpl, err := s.prov.Copywriter.SMSTemplate(ctx, providers.SMSTemplateRequest{RestaurantName: in.RestaurantName, Offer: in.Offer, OfferCode: in.OfferCode})
	if err != nil {
		return SMSResult{}, providerError("Failed to generate SMS message", err)
	}
	recipients := make([]providers.SMSRecipient, len(lapsed))
	for i, c := range lapsed {
		recipients[i] = providers.SMSRecipient{Name: c.Name, Phone: c.Phone, Message: tmpl.Render(c.Name).Text}
	}
	batch, sendErr := s.prov.SMS.Send(ctx, recipients)
	if sendErr != nil && len(batch.Results) == 0 {
		return SMSResult{}, providerError("Failed to send SMS campaign", sendErr)
	}
	// Whatever was sent before a failure is recorded: those customers did receive a message.
	records := make([]SMSRecipientRecord, len(recipients))
	for i, rc := range recipients {
		rec := SMSRecipientRecord{Name: rc.Name, Phone: rc.Phone, Message: rc.Message, Status: providers.SMSFailed, Error: "not sent"}
		if i < len(batch.Results) {
			br := batch.Results[i]
			rec.Status, rec.MessageID, rec.Error = br.Status, br.MessageID, br.ErrorMessage
		}
		records[i] = rec
	}
	out.ExternalID = batch.CampaignID
	out.Sent, out.Pending = batch.Sent, batch.Pending
	out.Failed = len(recipients) - batch.Sent - batch.Pending
	out.TotalCost = providers.FormatCost(batch.Sent)
	out.SampleMessage = recipients[0].Message
	out.DeliveryRate = fmt.Sprintf("%d%%", percent(batch.Sent, len(recipients)))
	status := CampaignCompleted
	if sendErr != nil {
		status = CampaignPaused
	}
	now := s.now()
	c, err := s.recordCampaign(ctx, Campaign{
		RestaurantID: r.ID, Type: CampaignSMS, Status: status, Name: "SMS win-back: " + in.OfferCode,
		ExternalID: batch.CampaignID, CreatedAt: now, UpdatedAt: now,
	}, map[string]any{
		"platform": "sms", "externalId": batch.CampaignID, "offer": in.Offer, "offerCode": in.OfferCode,
		"restaurantName": in.RestaurantName, "template": tmpl.String(), "model": tmpl.Model,
		"totalCustomersUploaded": out.ValidRows, "lapsedCustomersFound": out.Lapsed,
		"messagesSent": out.Sent, "messagesPending": out.Pending, "messagesFailed": out.Failed,
		"totalCost": out.TotalCost, "recipients": records,
	})
	if err != nil {
		return SMSResult{}, err
	}
	out.Campaign = &c
	if sendErr != nil {
		return out, providerError("The SMS provider failed part-way; the campaign was recorded as paused", sendErr)
	}
	return out, nil
}

func nonNil(errs []csvimport.RowError) []csvimport.RowError {
	if errs == nil {
		return []csvimport.RowError{}
	}
	return errs
}

// SMSPreview is what a campaign would send.
type SMSPreview struct {
	SampleMessage  string
	CharacterCount int
	OfferCode      string
	EstimatedCost  string
	Targets        int
	HasCSV         bool
	ValidRows      int
	ErrorRows      int
}

// PreviewSMS renders the message the first lapsed customer (or "Sarah") would get, and the cost.
func (s *Service) PreviewSMS(ctx context.Context, in SMSInput) (SMSPreview, error) {
	if err := s.checkSMSFields(in, "Missing required fields for preview", nil); err != nil {
		return SMSPreview{}, err
	}
	out := SMSPreview{OfferCode: in.OfferCode}
	sample := "Sarah"
	if in.CSV != nil {
		res, lapsed, err := s.parseCustomers(in)
		if err != nil {
			return SMSPreview{}, err
		}
		out.HasCSV, out.ValidRows, out.ErrorRows, out.Targets = true, len(res.Customers), len(res.Errors), len(lapsed)
		if len(lapsed) > 0 {
			sample = lapsed[0].Name
		}
	}
	tmpl, err := s.prov.Copywriter.SMSTemplate(ctx, providers.SMSTemplateRequest{RestaurantName: in.RestaurantName, Offer: in.Offer, OfferCode: in.OfferCode})
	if err != nil {
		return SMSPreview{}, providerError("Failed to generate preview", err)
	}
	msg := tmpl.Render(sample)
	out.SampleMessage, out.CharacterCount = msg.Text, msg.CharacterCount
	out.EstimatedCost = providers.FormatCost(out.Targets)
	return out, nil
}

// SMSStatus reports a stored SMS campaign from what was recorded when it was sent.
type SMSStatus struct {
	Campaign                Campaign
	Sent, Delivered, Failed int
	DeliveryRate, TotalCost string
	At                      time.Time
}

// SMSCampaignStatus summarises a stored SMS campaign.
func (s *Service) SMSCampaignStatus(ctx context.Context, p *Principal, externalID string) (SMSStatus, error) {
	c, err := s.campaignFor(ctx, p, externalID, CampaignSMS)
	if err != nil {
		return SMSStatus{}, err
	}
	d, err := decodeSMSDetails(c.Details)
	if err != nil {
		return SMSStatus{}, fmt.Errorf("campaign %d details: %w", c.ID, err)
	}
	st := SMSStatus{Campaign: c, At: s.clk.Now()}
	for _, r := range d.Recipients {
		switch r.Status {
		case providers.SMSSent:
			st.Sent++
			st.Delivered++
		case providers.SMSPending:
			st.Sent++
		default:
			st.Failed++
		}
	}
	total := len(d.Recipients)
	rate := 0.0
	if total > 0 {
		rate = float64(st.Delivered) * 100 / float64(total)
	}
	st.DeliveryRate = fmt.Sprintf("%.1f%%", rate)
	st.TotalCost = providers.FormatCost(st.Delivered)
	return st, nil
}
