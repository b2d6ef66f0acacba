package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
)

var pngBytes = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)

func adFields(budget string) []part {
	return []part{field("restaurantName", "Pizzeria A"), field("itemToPromote", "Margherita Pizza"), field("offer", "20% off"), field("budget", budget)}
}

func TestFacebookCampaignIsCreatedRecordedAndReported(t *testing.T) {
	e := newEnv(t)
	parts := append(adFields("25"), part{name: "dishPhoto", filename: "dish.PNG", contentType: "image/png", data: pngBytes})
	r := e.multipart("POST", "/api/facebook-ads/create-campaign", e.a, parts...)
	expect(t, r, 200, "")
	if r.str("message") != "Your Facebook ad for Margherita Pizza is now being created! Check your Facebook Ads Manager in a few minutes." {
		t.Fatalf("message: %s", r.raw)
	}
	// 2026-11-21 is a Saturday: SAT (the legacy table said SUN).
	if r.str("data", "promoCode") != "MARGHESAT" || r.num("data", "budget") != 25 || !strings.HasPrefix(r.str("data", "campaignId"), "camp_") {
		t.Fatalf("data: %s", r.raw)
	}
	reach, impressions := r.num("data", "expectedReach"), r.num("data", "estimatedImpressions")
	if reach < 1000 || reach > 5999 || impressions < 2000 || impressions > 11999 {
		t.Fatalf("ranges: %s", r.raw)
	}
	id := r.str("data", "campaignId")
	if files := e.uploadedFiles(); len(files) != 1 || !strings.HasPrefix(files[0], "dish-") || !strings.HasSuffix(files[0], ".png") {
		t.Fatalf("stored photo: %v", files)
	}

	// Persisted: the dashboard shows it, with its details.
	d := e.call("GET", "/api/dashboard/restaurant", e.a, nil)
	if len(d.list("activeCampaigns")) != 1 || d.num("campaignStats", "recentCampaigns") != 1 {
		t.Fatalf("dashboard: %s", d.raw)
	}
	c := d.list("activeCampaigns")[0].(map[string]any)
	var details map[string]any
	if err := json.Unmarshal([]byte(c["details"].(string)), &details); err != nil || details["promoCode"] != "MARGHESAT" || details["photo"] == nil {
		t.Fatalf("details: %v %v", c["details"], err)
	}
	if c["campaign_type"] != "ad" || c["budget"] != float64(25) || c["external_id"] != id {
		t.Fatalf("campaign row: %v", c)
	}

	st := e.call("GET", "/api/facebook-ads/campaign-status/"+id, e.a, nil)
	expect(t, st, 200, "")
	if st.str("status") != "ACTIVE" || st.str("campaignId") != id {
		t.Fatalf("status: %s", st.raw)
	}
	if imp := st.num("metrics", "impressions"); imp < 500 || imp > 5499 {
		t.Fatalf("metrics: %s", st.raw)
	}
	// Another restaurant cannot see it; an admin sees it while impersonating A; unknown ids are 404.
	expect(t, e.call("GET", "/api/facebook-ads/campaign-status/"+id, e.b, nil), 404, "Campaign not found")
	expect(t, e.call("GET", "/api/facebook-ads/campaign-status/"+id, e.admin, nil), 403, "Restaurant access required")
	expect(t, e.call("GET", "/api/facebook-ads/campaign-status/"+id, e.impersonate(e.aID), nil), 200, "")
	expect(t, e.call("GET", "/api/facebook-ads/campaign-status/camp_123_nothing", e.a, nil), 404, "Campaign not found")

	// JSON bodies work too, with a numeric budget.
	j := e.call("POST", "/api/facebook-ads/create-campaign", e.a, map[string]any{"restaurantName": "A", "itemToPromote": "Crème brûlée!", "offer": "2 for 1", "budget": 10.5})
	expect(t, j, 200, "")
	if j.str("data", "promoCode") != "CRMEBRSAT" || j.num("data", "budget") != 10.5 {
		t.Fatalf("json campaign: %s", j.raw)
	}
}

func TestFacebookCampaignRejectsBadInputAndKeepsNoFiles(t *testing.T) {
	e := newEnv(t)
	photo := func(name, ct string, data []byte) part {
		return part{name: "dishPhoto", filename: name, contentType: ct, data: data}
	}
	cases := []struct {
		name   string
		parts  []part
		status int
		msg    string
	}{
		{"missing fields", []part{field("restaurantName", "A")}, 400, "Missing required fields"},
		{"budget not a number (legacy NaN passed)", adFields("abc"), 400, "Budget must be a number"},
		{"budget with trailing text", adFields("10abc"), 400, "Budget must be a number"},
		{"budget too low", adFields("4.99"), 400, "Minimum daily budget is $5"},
		{"budget too high", adFields("1000.01"), 400, "Maximum daily budget is $1000"},
		{"budget not a number with a photo", append(adFields("NaN"), photo("d.png", "image/png", pngBytes)), 400, "Budget must be a number"},
		{"not an image extension", append(adFields("10"), photo("d.txt", "text/plain", []byte("hello"))), 400, "Only image files are allowed (jpeg, jpg, png, gif)"},
		{"image name but text content", append(adFields("10"), photo("d.png", "image/png", []byte("not really a png"))), 400, "Only image files are allowed (jpeg, jpg, png, gif)"},
		{"wrong field name", append(adFields("10"), part{name: "photo", filename: "d.png", contentType: "image/png", data: pngBytes}), 400, `Unexpected file field "photo": send the file as "dishPhoto"`},
		{"two files", append(adFields("10"), photo("a.png", "image/png", pngBytes), photo("b.png", "image/png", pngBytes)), 400, "Only one file may be uploaded"},
		{"over 5 MB", append(adFields("10"), photo("big.png", "image/png", append(pngBytes, make([]byte, 5<<20)...))), 400, "File too large: the limit is 5 MB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.multipart("POST", "/api/facebook-ads/create-campaign", e.a, c.parts...)
			expect(t, r, c.status, c.msg)
			if r.get("success") != false {
				t.Fatalf("error family: %s", r.raw)
			}
		})
	}
	if files := e.uploadedFiles(); len(files) != 0 {
		t.Fatalf("failed requests left files behind: %v", files)
	}
	if r := e.multipart("POST", "/api/facebook-ads/create-campaign", e.a, adFields("")...); r.get("required") == nil {
		t.Fatalf("missing budget must list the required fields: %s", r.raw)
	}
	expect(t, e.call("POST", "/api/facebook-ads/create-campaign", e.a, map[string]any{"restaurantName": "A", "itemToPromote": 5, "offer": "x", "budget": 10}), 400, "itemToPromote must be a string")
	expect(t, e.call("POST", "/api/facebook-ads/create-campaign", e.admin, map[string]any{"restaurantName": "A", "itemToPromote": "x", "offer": "x", "budget": 10}), 403, "Restaurant access required")
	if n := len(e.call("GET", "/api/dashboard/campaigns", e.a, nil).list("campaigns")); n != 0 {
		t.Fatalf("failed requests recorded %d campaigns", n)
	}
}

func TestAdPreview(t *testing.T) {
	e := newEnv(t)
	r := e.call("POST", "/api/facebook-ads/generate-preview", e.a, map[string]string{"restaurantName": "Test Pizzeria", "itemToPromote": "123", "offer": "Free drink"})
	expect(t, r, 200, "")
	if r.str("preview", "promoCode") != "SAT" || r.num("preview", "characterCount") < 50 || !strings.Contains(r.str("preview", "adCopy"), "Test Pizzeria") {
		t.Fatalf("preview: %s", r.raw)
	}
	expect(t, e.call("POST", "/api/facebook-ads/generate-preview", e.a, map[string]string{"restaurantName": "x"}), 400, "Missing required fields for preview")
	expect(t, e.call("POST", "/api/facebook-ads/generate-preview", e.a, nil), 400, "Missing required fields for preview")
}

const sampleSHA = "a211e80f674d3209d1c6d91771d299a73ba02268a299f5e02e7f32bcd5c76f71"

func sampleCSV(t *testing.T, e *env) []byte {
	r := e.call("GET", "/api/sms-campaigns/sample-csv", "", nil)
	expect(t, r, 200, "")
	sum := sha256.Sum256(r.raw)
	if hex.EncodeToString(sum[:]) != sampleSHA || r.header.Get("Content-Disposition") != `attachment; filename="sample-customer-list.csv"` {
		t.Fatalf("sample csv differs from legacy: %q %v", r.raw, r.header)
	}
	return r.raw
}

func smsFields() []part {
	return []part{field("restaurantName", "Test Pizzeria"), field("offer", "20% off your next order"), field("offerCode", "WELCOME20")}
}

func csvPart(data []byte) part {
	return part{name: "customerList", filename: "customers.csv", contentType: "text/csv", data: data}
}

func TestSMSCampaignSendsEachCustomerTheirOwnMessage(t *testing.T) {
	e := newEnv(t)
	sample := sampleCSV(t, e)
	pv := e.multipart("POST", "/api/sms-campaigns/preview", e.a, append(smsFields(), csvPart(sample))...)
	expect(t, pv, 200, "")
	// Our validator accepts the sample's dotted phone number, so all 5 rows are valid and lapsed.
	if pv.num("preview", "targetCustomers") != 5 || pv.num("preview", "csvStats", "errors") != 0 || pv.str("preview", "estimatedCost") != "0.0375" ||
		!strings.Contains(pv.str("preview", "sampleMessage"), "John Smith") {
		t.Fatalf("preview: %s", pv.raw)
	}
	r := e.multipart("POST", "/api/sms-campaigns/create-campaign", e.a, append(smsFields(), csvPart(sample))...)
	expect(t, r, 200, "")
	sent := r.num("data", "messagesSent")
	if r.num("data", "totalCustomersUploaded") != 5 || r.num("data", "lapsedCustomersFound") != 5 ||
		sent+r.num("data", "messagesFailed")+r.num("data", "messagesPending") != 5 || len(r.list("data", "csvErrors")) != 0 {
		t.Fatalf("campaign: %s", r.raw)
	}
	id := r.str("data", "campaignId")
	camps := e.call("GET", "/api/dashboard/campaigns", e.a, nil).list("campaigns")
	if len(camps) != 1 {
		t.Fatalf("%d campaigns recorded", len(camps))
	}
	var details struct {
		Recipients []struct{ Name, Phone, Message, Status string }
	}
	if err := json.Unmarshal([]byte(camps[0].(map[string]any)["details"].(string)), &details); err != nil {
		t.Fatal(err)
	}
	if len(details.Recipients) != 5 {
		t.Fatalf("recipients: %+v", details.Recipients)
	}
	for _, rc := range details.Recipients {
		if !strings.Contains(rc.Message, rc.Name) || rc.Phone == "" || len([]rune(rc.Message)) > 160 {
			t.Errorf("%s received %q", rc.Name, rc.Message)
		}
	}
	st := e.call("GET", "/api/sms-campaigns/campaign-status/"+id, e.a, nil)
	expect(t, st, 200, "")
	if st.str("status") != "COMPLETED" || st.num("metrics", "delivered") != sent || st.num("metrics", "failed")+st.num("metrics", "totalSent") != 5 {
		t.Fatalf("status: %s", st.raw)
	}
	expect(t, e.call("GET", "/api/sms-campaigns/campaign-status/"+id, e.b, nil), 404, "Campaign not found")
}

func TestSMSCampaignEdgeCases(t *testing.T) {
	e := newEnv(t)
	// Excel-style: BOM, CRLF, header case and spaces, a blank line; one recent order, one lapsed.
	csv := "\ufeffCustomer_Name , Phone_Number,LAST_ORDER_DATE\r\nAnn,555-111-2222,2026-11-20\r\n\r\nBob,(555) 333-4444,2026-01-01\r\n"
	r := e.multipart("POST", "/api/sms-campaigns/create-campaign", e.a, append(smsFields(), csvPart([]byte(csv)))...)
	expect(t, r, 200, "")
	if r.num("data", "totalCustomersUploaded") != 2 || r.num("data", "lapsedCustomersFound") != 1 || !strings.Contains(r.str("data", "sampleMessage"), "Bob") {
		t.Fatalf("edge csv: %s", r.raw)
	}
	// Nobody lapsed: 200 with the full data shape the client renders.
	recent := "customer_name,phone_number,last_order_date\nAnn,555-111-2222,2026-11-20\n"
	r = e.multipart("POST", "/api/sms-campaigns/create-campaign", e.a, append(smsFields(), csvPart([]byte(recent)))...)
	expect(t, r, 200, "")
	if r.num("data", "messagesSent") != 0 || r.str("data", "totalCost") != "0.0000" || r.num("data", "lapsedCustomers") != 0 {
		t.Fatalf("no lapsed: %s", r.raw)
	}
	bad := "customer_name,phone_number,last_order_date\nAnn,12,2023-02-29\n"
	r = e.multipart("POST", "/api/sms-campaigns/create-campaign", e.a, append(smsFields(), csvPart([]byte(bad)))...)
	expect(t, r, 400, "No valid customers found in CSV file")
	if len(r.list("details")) != 1 {
		t.Fatalf("details: %s", r.raw)
	}
	expect(t, e.multipart("POST", "/api/sms-campaigns/create-campaign", e.a, smsFields()...), 400, "Customer list CSV file is required")
	expect(t, e.multipart("POST", "/api/sms-campaigns/create-campaign", e.a, field("offer", "x"), csvPart([]byte(recent))), 400, "Missing required fields")
	expect(t, e.multipart("POST", "/api/sms-campaigns/create-campaign", e.a, append(smsFields(), part{name: "customerList", filename: "list.xlsx", contentType: "application/octet-stream", data: []byte("x")})...), 400, "Only CSV files are allowed")
	expect(t, e.multipart("POST", "/api/sms-campaigns/create-campaign", e.a, append(smsFields(), csvPart(bytes.Repeat([]byte("a"), 2<<20+1)))...), 400, "File too large: the limit is 2 MB")
	// An uppercase .CSV with a generic type is fine (legacy refused it).
	expect(t, e.multipart("POST", "/api/sms-campaigns/create-campaign", e.a, append(smsFields(), part{name: "customerList", filename: "LIST.CSV", contentType: "application/vnd.ms-excel", data: []byte(recent)})...), 200, "")

	// Preview without a file: csvStats null and the legacy sample name.
	pv := e.call("POST", "/api/sms-campaigns/preview", e.a, map[string]string{"restaurantName": "Test Pizzeria", "offer": "20% off your next order", "offerCode": "WELCOME20"})
	expect(t, pv, 200, "")
	if pv.get("preview", "csvStats") != nil || !strings.Contains(pv.str("preview", "sampleMessage"), "Sarah") || pv.str("preview", "estimatedCost") != "0.0000" {
		t.Fatalf("preview: %s", pv.raw)
	}
	expect(t, e.call("POST", "/api/sms-campaigns/preview", e.a, map[string]string{"offer": "x"}), 400, "Missing required fields for preview")
}
