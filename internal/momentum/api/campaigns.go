package api

import (
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/momentum/csvimport"
)

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// campaignForm reads a campaign form in any of the encodings the legacy server took: multipart (the
// client's way, with an optional file), JSON or URL-encoded.
func (a *API) campaignForm(w http.ResponseWriter, r *http.Request, spec multipartSpec) (fields, *upload, error) {
	if isMultipart(r) {
		if err := limitBody(w, r, spec.max+multipartSlack); err != nil {
			return fields{}, nil, err
		}
		f, up, err := readMultipart(r, spec)
		if err != nil && up != nil && up.stored != "" {
			_ = a.svc.Uploads().Remove(up.stored)
		}
		return f, up, err
	}
	f, err := readSmallBody(w, r)
	return f, nil, err
}

func acceptImage(name, contentType string) error {
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".jpg", ".jpeg", ".png", ".gif":
	default:
		return bad(momentum.ErrNotAnImage.Error())
	}
	switch contentType {
	case "image/jpeg", "image/jpg", "image/png", "image/gif":
		return nil
	}
	return bad(momentum.ErrNotAnImage.Error())
}

// acceptCSV takes a .csv file name in any case, or the text/csv type (browsers send a variety of types
// for CSV files, e.g. application/vnd.ms-excel on Windows).
func acceptCSV(name, contentType string) error {
	if strings.EqualFold(filepath.Ext(name), ".csv") || strings.HasPrefix(contentType, "text/csv") {
		return nil
	}
	return bad("Only CSV files are allowed")
}

func (a *API) createAdCampaign(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	spec := multipartSpec{field: "dishPhoto", max: MaxPhotoBytes, accept: acceptImage}
	if up := a.svc.Uploads(); up != nil {
		spec.keep = up.SaveImage
	}
	f, up, err := a.campaignForm(w, r, spec)
	if err != nil {
		return err
	}
	var in momentum.AdInput
	if up != nil {
		in.Photo = up.stored // from here on the service removes it if anything fails
	}
	var errs [4]error
	in.RestaurantName, errs[0] = f.str("restaurantName")
	in.ItemToPromote, errs[1] = f.str("itemToPromote")
	in.Offer, errs[2] = f.str("offer")
	in.Budget, errs[3] = f.number("budget")
	for _, e := range errs {
		if e != nil {
			if in.Photo != "" {
				_ = a.svc.Uploads().Remove(in.Photo)
			}
			return e
		}
	}
	res, err := a.svc.CreateAdCampaign(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, orderedObject{
		{"success", true},
		{"message", "Your Facebook ad for " + in.ItemToPromote + " is now being created! Check your Facebook Ads Manager in a few minutes."},
		{"data", orderedObject{
			{"promoCode", res.PromoCode},
			{"campaignId", res.Provider.ID},
			{"adCopy", res.AdCopy},
			{"expectedReach", res.Provider.ExpectedReach},
			{"estimatedImpressions", res.Provider.EstimatedImpressions},
			{"campaignUrl", res.Provider.URL},
			{"budget", res.DailyBudget},
			{"createdAt", isoTime(res.Campaign.CreatedAt)},
		}},
	})
	return nil
}

func (a *API) adPreview(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	f, err := readSmallBody(w, r)
	if err != nil {
		return err
	}
	name, e1 := f.str("restaurantName")
	item, e2 := f.str("itemToPromote")
	offer, e3 := f.str("offer")
	for _, e := range []error{e1, e2, e3} {
		if e != nil {
			return e
		}
	}
	pv, err := a.svc.PreviewAd(r.Context(), name, item, offer)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, orderedObject{{"success", true}, {"preview", orderedObject{
		{"adCopy", pv.AdCopy}, {"promoCode", pv.PromoCode}, {"characterCount", pv.CharacterCount},
	}}})
	return nil
}

func (a *API) adCampaignStatus(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	id := r.PathValue("campaignId")
	if len(id) > 100 {
		return bad("Campaign id is too long")
	}
	st, err := a.svc.AdCampaignStatus(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, orderedObject{
		{"success", true}, {"campaignId", st.Campaign.ExternalID}, {"status", strings.ToUpper(st.Campaign.Status)},
		{"metrics", orderedObject{{"impressions", st.Metrics.Impressions}, {"clicks", st.Metrics.Clicks}, {"reach", st.Metrics.Reach}, {"spend", st.Metrics.Spend}}},
		{"lastUpdated", isoTime(st.At)},
	})
	return nil
}

func (a *API) smsForm(w http.ResponseWriter, r *http.Request) (momentum.SMSInput, error) {
	f, up, err := a.campaignForm(w, r, multipartSpec{field: "customerList", max: MaxCSVBytes, accept: acceptCSV})
	if err != nil {
		return momentum.SMSInput{}, err
	}
	var in momentum.SMSInput
	var errs [3]error
	in.Offer, errs[0] = f.str("offer")
	in.OfferCode, errs[1] = f.str("offerCode")
	in.RestaurantName, errs[2] = f.str("restaurantName")
	for _, e := range errs {
		if e != nil {
			return in, e
		}
	}
	if up != nil {
		in.CSV = bytes.NewReader(up.data)
	}
	return in, nil
}

func (a *API) createSMSCampaign(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	in, err := a.smsForm(w, r)
	if err != nil {
		return err
	}
	res, err := a.svc.CreateSMSCampaign(r.Context(), p, in)
	if err != nil {
		return err
	}
	errs := res.CSVErrors
	if errs == nil {
		errs = []csvimport.RowError{}
	}
	data := orderedObject{
		{"campaignId", nullIfEmpty(res.ExternalID)},
		{"offerCode", res.OfferCode},
		{"totalCustomersUploaded", res.ValidRows},
		{"lapsedCustomersFound", res.Lapsed},
		{"messagesSent", res.Sent},
		{"messagesFailed", res.Failed},
		{"messagesPending", res.Pending},
		{"totalCost", res.TotalCost},
		{"sampleMessage", nullIfEmpty(res.SampleMessage)},
		{"deliveryRate", res.DeliveryRate},
		{"createdAt", isoTime(res.CreatedAt)},
		{"csvErrors", errs},
	}
	msg := "SMS campaign sent to " + strconv.Itoa(res.Sent) + " lapsed customers! Track redemptions using code " + res.OfferCode + "."
	if res.Campaign == nil {
		// Legacy sent only three keys here and the client showed blanks and "$undefined"; the full
		// shape (zeros) keeps those keys for older readers too.
		msg = "No lapsed customers found (all customers have ordered within the last 30 days)"
		data = append(data, kv{"totalCustomers", res.ValidRows}, kv{"lapsedCustomers", 0})
	}
	writeJSON(w, http.StatusOK, orderedObject{{"success", true}, {"message", msg}, {"data", data}})
	return nil
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (a *API) smsPreview(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	in, err := a.smsForm(w, r)
	if err != nil {
		return err
	}
	pv, err := a.svc.PreviewSMS(r.Context(), in)
	if err != nil {
		return err
	}
	var stats any
	if pv.HasCSV {
		stats = orderedObject{{"totalUploaded", pv.ValidRows}, {"lapsedCustomers", pv.Targets}, {"errors", pv.ErrorRows}}
	}
	writeJSON(w, http.StatusOK, orderedObject{{"success", true}, {"preview", orderedObject{
		{"sampleMessage", pv.SampleMessage}, {"characterCount", pv.CharacterCount}, {"offerCode", pv.OfferCode},
		{"estimatedCost", pv.EstimatedCost}, {"targetCustomers", pv.Targets}, {"csvStats", stats},
	}}})
	return nil
}

func (a *API) sampleCSV(w http.ResponseWriter, r *http.Request, _ *momentum.Principal) error {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="sample-customer-list.csv"`)
	_, _ = io.WriteString(w, csvimport.SampleCSV)
	return nil
}

func (a *API) smsCampaignStatus(w http.ResponseWriter, r *http.Request, p *momentum.Principal) error {
	id := r.PathValue("campaignId")
	if len(id) > 100 {
		return bad("Campaign id is too long")
	}
	st, err := a.svc.SMSCampaignStatus(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, orderedObject{
		{"success", true}, {"campaignId", st.Campaign.ExternalID}, {"status", strings.ToUpper(st.Campaign.Status)},
		{"metrics", orderedObject{{"totalSent", st.Sent}, {"delivered", st.Delivered}, {"failed", st.Failed}, {"deliveryRate", st.DeliveryRate}, {"totalCost", st.TotalCost}}},
		{"lastUpdated", isoTime(st.At)},
	})
	return nil
}
