package momentum_test

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/momentum/providers"
	"github.com/momentum-cohortly/backends/internal/momentum/sqlitestore"
	"github.com/momentum-cohortly/backends/internal/platform/apperr"
	"github.com/momentum-cohortly/backends/internal/platform/auth"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/ratelimit"
)

// The business rules of the service on a real SQLite store, below HTTP: registration, login,
// checklist progress and SMS campaigns. Who may do what is policy_test.go's.

// now is the fake clock's start: a Tuesday.
var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

type fixture struct {
	svc   *momentum.Service
	clk   *clock.Fake
	store momentum.Store
}

func newService(t *testing.T, cfg momentum.Config) *fixture {
	t.Helper()
	ctx := t.Context()
	store, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	clk := clock.NewFake(now)
	prov, err := providers.New(providers.Config{}, nil, clk, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	cfg.BcryptCost = 4
	svc, err := momentum.New(momentum.Deps{
		Store: store, JWT: auth.NewJWT([]byte("service-test-secret"), clk), Clock: clk,
		Login: ratelimit.DefaultLoginPolicy(ratelimit.NewMemory(clk)), Providers: prov,
		Rand: rand.New(rand.NewPCG(3, 4)),
	}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.EnsureCatalogue(ctx); err != nil {
		t.Fatal(err)
	}
	return &fixture{svc: svc, clk: clk, store: store}
}

// owner registers a restaurant account and returns its caller.
func (f *fixture) owner(t *testing.T, email string) *momentum.Principal {
	t.Helper()
	reg, err := f.svc.Register(t.Context(), momentum.RegisterInput{Email: email, Password: "password123", RestaurantName: "Bistro " + email})
	if err != nil {
		t.Fatalf("register %s: %v", email, err)
	}
	p, err := f.svc.Authenticate(t.Context(), reg.Token)
	if err != nil {
		t.Fatalf("authenticate %s: %v", email, err)
	}
	return p
}

// wantErr checks that err is the service's error of that kind and message.
func wantErr(t *testing.T, err error, kind apperr.Kind, msg string) *apperr.Error {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != kind || e.Message != msg {
		t.Fatalf("got %v, want kind %v %q", err, kind, msg)
	}
	return e
}

func TestNewRefusesMissingDependencies(t *testing.T) {
	if _, err := momentum.New(momentum.Deps{}, momentum.Config{}); err == nil {
		t.Fatal("a service without a store, clock or token signer must not be built")
	}
}

func TestRegisterValidatesEveryField(t *testing.T) {
	f := newService(t, momentum.Config{})
	long := func(n int) *string { s := strings.Repeat("x", n); return &s }
	cases := []struct {
		name string
		in   momentum.RegisterInput
		msg  string
	}{
		{"no email", momentum.RegisterInput{Password: "password123", RestaurantName: "R"}, momentum.MsgFieldsRequired},
		{"blank name", momentum.RegisterInput{Email: "a@b.co", Password: "password123", RestaurantName: "  "}, momentum.MsgFieldsRequired},
		{"not an address", momentum.RegisterInput{Email: "a@b", Password: "password123", RestaurantName: "R"}, "Email address is not valid"},
		{"display name form", momentum.RegisterInput{Email: "A <a@b.co>", Password: "password123", RestaurantName: "R"}, "Email address is not valid"},
		{"short password", momentum.RegisterInput{Email: "a@b.co", Password: "1234567", RestaurantName: "R"}, "Password must be at least 8 characters"},
		{"password over bcrypt's 72 bytes", momentum.RegisterInput{Email: "a@b.co", Password: strings.Repeat("é", 37), RestaurantName: "R"}, "Password must be at most 72 bytes"},
		{"long name", momentum.RegisterInput{Email: "a@b.co", Password: "password123", RestaurantName: *long(201)}, "Restaurant name must be at most 200 characters"},
		{"long address", momentum.RegisterInput{Email: "a@b.co", Password: "password123", RestaurantName: "R", Address: momentum.Optional{Set: true, Value: long(501)}}, "Address must be at most 500 characters"},
		{"long phone", momentum.RegisterInput{Email: "a@b.co", Password: "password123", RestaurantName: "R", Phone: momentum.Optional{Set: true, Value: long(41)}}, "Phone must be at most 40 characters"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.svc.Register(t.Context(), c.in)
			wantErr(t, err, apperr.KindInvalid, c.msg)
		})
	}
	if _, err := f.svc.Login(t.Context(), "a@b.co", "password123", "192.0.2.1"); err == nil {
		t.Fatal("a refused registration created an account")
	}
}

func TestRegisterTreatsEmailsCaseInsensitivelyAndLogsIn(t *testing.T) {
	f := newService(t, momentum.Config{})
	ctx := t.Context()
	reg, err := f.svc.Register(ctx, momentum.RegisterInput{Email: " Chef@Example.com ", Password: "password123", RestaurantName: " Chez Nous "})
	if err != nil {
		t.Fatal(err)
	}
	if reg.User.Email != "chef@example.com" || reg.Restaurant.Name != "Chez Nous" || reg.User.Role != momentum.RoleRestaurant {
		t.Fatalf("registered %+v / %+v", reg.User, reg.Restaurant)
	}
	_, err = f.svc.Register(ctx, momentum.RegisterInput{Email: "CHEF@example.COM", Password: "password123", RestaurantName: "Other"})
	wantErr(t, err, apperr.KindConflict, "User already exists with this email")

	res, err := f.svc.Login(ctx, "chef@EXAMPLE.com", "password123", "192.0.2.1")
	if err != nil || res.Restaurant == nil || res.Restaurant.ID != reg.Restaurant.ID {
		t.Fatalf("login = %+v, %v", res, err)
	}
	// The new account starts with the legacy's four default dashboard tasks.
	p, err := f.svc.Authenticate(ctx, res.Token)
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.svc.RestaurantDashboard(ctx, p)
	if err != nil || len(d.PendingTasks) != 3 {
		t.Fatalf("dashboard pending tasks (top 3 of the 4 defaults) = %+v, %v", d.PendingTasks, err)
	}
}

func TestLoginFailsAlikeAndLocksTheAccount(t *testing.T) {
	f := newService(t, momentum.Config{})
	ctx := t.Context()
	f.owner(t, "owner@example.com")
	_, unknown := f.svc.Login(ctx, "nobody@example.com", "password123", "192.0.2.1")
	_, wrong := f.svc.Login(ctx, "owner@example.com", "wrong-password", "192.0.2.1")
	wantErr(t, unknown, apperr.KindUnauthenticated, momentum.MsgInvalidCredentials)
	wantErr(t, wrong, apperr.KindUnauthenticated, momentum.MsgInvalidCredentials)

	for range 9 { // ten failures in all lock the account for everyone, whatever the address
		_, _ = f.svc.Login(ctx, "OWNER@example.com", "wrong-password", "198.51.100.7")
	}
	_, err := f.svc.Login(ctx, "owner@example.com", "password123", "203.0.113.9")
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindRateLimited || e.RetryAfter <= 0 || !strings.HasPrefix(e.Message, "Too many login attempts") {
		t.Fatalf("11th attempt with the right password: %v", err)
	}
	f.clk.Advance(16 * time.Minute)
	if _, err := f.svc.Login(ctx, "owner@example.com", "password123", "203.0.113.9"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestProgressCountsCompletedItemsPerTypeAndRoundsHalfUp(t *testing.T) {
	f := newService(t, momentum.Config{})
	ctx := t.Context()
	p := f.owner(t, "owner@example.com")
	me := momentum.RestaurantRef{Me: true}

	// What the catalogue holds, per type: every item, and the critical ones.
	type counts struct{ all, critical []int64 }
	byType := map[string]*counts{momentum.TypeFoundational: {}, momentum.TypeOngoing: {}}
	cats, err := f.svc.Categories(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		items, err := f.svc.CategoryItems(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			byType[c.Type].all = append(byType[c.Type].all, it.ID)
			if it.IsCritical {
				byType[c.Type].critical = append(byType[c.Type].critical, it.ID)
			}
		}
	}
	found := byType[momentum.TypeFoundational]
	if len(found.all) != 41 || len(byType[momentum.TypeOngoing].all) != 20 {
		t.Fatalf("catalogue: %d foundational, %d ongoing items; want 41 and 20", len(found.all), len(byType[momentum.TypeOngoing].all))
	}

	// Two critical items and one other completed; one more in progress and one not applicable, which
	// count as not done; a completed item set back to pending no longer counts.
	var other []int64
	for _, id := range found.all {
		if !slices.Contains(found.critical, id) {
			other = append(other, id)
		}
	}
	set := func(id int64, status string) {
		t.Helper()
		if _, err := f.svc.SetStatus(ctx, p, me, id, status, nil); err != nil {
			t.Fatalf("set %d %s: %v", id, status, err)
		}
	}
	set(found.critical[0], momentum.StatusCompleted)
	set(found.critical[1], momentum.StatusCompleted)
	set(other[0], momentum.StatusCompleted)
	set(other[1], momentum.StatusInProgress)
	set(other[2], momentum.StatusNotApplicable)
	set(other[3], momentum.StatusCompleted)
	set(other[3], momentum.StatusPending)

	got, err := f.svc.Progress(ctx, p, me, "")
	if err != nil {
		t.Fatal(err)
	}
	round := func(part, whole int) int { return (part*200 + whole) / (2 * whole) } // half up
	want := momentum.TypeProgress{
		TotalItems: 41, CompletedItems: 3, CompletionPercentage: round(3, 41),
		CriticalItems: len(found.critical), CompletedCriticalItems: 2, CriticalCompletionPercent: round(2, len(found.critical)),
	}
	if got[momentum.TypeFoundational] != want {
		t.Errorf("foundational = %+v, want %+v", got[momentum.TypeFoundational], want)
	}
	if o := got[momentum.TypeOngoing]; o.TotalItems != 20 || o.CompletedItems != 0 || o.CompletionPercentage != 0 {
		t.Errorf("ongoing = %+v, want nothing done", o)
	}

	only, err := f.svc.Progress(ctx, p, me, momentum.TypeOngoing)
	if err != nil || len(only) != 1 || only[momentum.TypeOngoing].TotalItems != 20 {
		t.Fatalf("type filter: %+v, %v", only, err)
	}
	if _, err := f.svc.Progress(ctx, p, me, "weekly"); err == nil {
		t.Error("an unknown category type was accepted")
	}

	// Another restaurant's progress is its own.
	q := f.owner(t, "other@example.com")
	theirs, err := f.svc.Progress(ctx, q, me, momentum.TypeFoundational)
	if err != nil || theirs[momentum.TypeFoundational].CompletedItems != 0 {
		t.Fatalf("another restaurant sees %+v, %v", theirs, err)
	}
}

func TestSetStatusRefusesBadValuesAndUnknownItems(t *testing.T) {
	f := newService(t, momentum.Config{})
	ctx := t.Context()
	p := f.owner(t, "owner@example.com")
	me := momentum.RestaurantRef{Me: true}
	_, err := f.svc.SetStatus(ctx, p, me, 1, "done", nil)
	wantErr(t, err, apperr.KindInvalid, "Invalid status value")
	_, err = f.svc.SetStatus(ctx, p, me, 999999, momentum.StatusCompleted, nil)
	wantErr(t, err, apperr.KindNotFound, "Checklist item not found")

	cats, _ := f.svc.Categories(ctx, momentum.TypeFoundational)
	items, _ := f.svc.CategoryItems(ctx, cats[0].ID)
	blank := "   "
	st, err := f.svc.SetStatus(ctx, p, me, items[0].ID, momentum.StatusInProgress, &blank)
	if err != nil || st.Notes != nil || st.Status != momentum.StatusInProgress {
		t.Fatalf("blank notes are stored as NULL (legacy): %+v, %v", st, err)
	}
	tooLong := strings.Repeat("n", momentum.MaxNotesLen+1)
	if _, err := f.svc.SetStatus(ctx, p, me, items[0].ID, momentum.StatusCompleted, &tooLong); err == nil {
		t.Error("notes over the limit were accepted")
	}
}

// customers is a CSV of three customers: two whose last order is older than 30 days.
const customers = "customer_name,phone_number,last_order_date\n" +
	"Ann Old,+1-555-123-4567,2026-01-02\n" +
	"Bob Recent,555-234-5678,2026-03-01\n" +
	"Cy Older,(555) 345-6789,2025-12-24\n" +
	"No Phone,,2026-01-01\n"

func TestSMSCampaignTextsOnlyLapsedCustomersEachByName(t *testing.T) {
	f := newService(t, momentum.Config{})
	ctx := t.Context()
	p := f.owner(t, "owner@example.com")
	in := momentum.SMSInput{Offer: "20% off", OfferCode: "BACK20", RestaurantName: "Chez Nous", CSV: strings.NewReader(customers)}
	res, err := f.svc.CreateSMSCampaign(ctx, p, in)
	if err != nil {
		t.Fatal(err)
	}
	if res.ValidRows != 3 || res.Lapsed != 2 || res.Sent+res.Pending+res.Failed != 2 || len(res.CSVErrors) != 1 || res.Campaign == nil {
		t.Fatalf("result = %+v", res)
	}
	if !strings.Contains(res.SampleMessage, "Ann") || !strings.Contains(res.SampleMessage, "BACK20") {
		t.Errorf("sample message %q: the first lapsed customer's name and the code", res.SampleMessage)
	}
	// The campaign is recorded with every recipient and the exact text each got.
	d := res.Campaign.Details
	for _, want := range []string{`"Ann Old"`, `"Cy Older"`, `"offerCode":"BACK20"`} {
		if !strings.Contains(d, want) {
			t.Errorf("recorded details lack %s: %s", want, d)
		}
	}
	if strings.Contains(d, "Bob Recent") {
		t.Errorf("a recent customer was texted: %s", d)
	}
	st, err := f.svc.SMSCampaignStatus(ctx, p, res.ExternalID)
	if err != nil || st.Sent+st.Failed != 2 {
		t.Fatalf("status = %+v, %v", st, err)
	}
	list, err := f.svc.Campaigns(ctx, p)
	if err != nil || len(list) != 1 || list[0].Type != momentum.CampaignSMS || list[0].Name != "SMS win-back: BACK20" {
		t.Fatalf("campaigns = %+v, %v", list, err)
	}
	// Another restaurant cannot read it.
	q := f.owner(t, "other@example.com")
	if _, err := f.svc.SMSCampaignStatus(ctx, q, res.ExternalID); err == nil {
		t.Error("another restaurant read the campaign")
	}
}

func TestSMSCampaignRefusesBadInputAndRecordsNothing(t *testing.T) {
	f := newService(t, momentum.Config{MaxRecipients: 2})
	ctx := t.Context()
	p := f.owner(t, "owner@example.com")
	form := func(csv string) momentum.SMSInput {
		in := momentum.SMSInput{Offer: "20% off", OfferCode: "BACK20", RestaurantName: "Chez Nous"}
		if csv != "" {
			in.CSV = strings.NewReader(csv)
		}
		return in
	}
	_, err := f.svc.CreateSMSCampaign(ctx, p, momentum.SMSInput{Offer: "x", RestaurantName: "y"})
	if e := wantErr(t, err, apperr.KindInvalid, "Missing required fields"); len(e.Fields) == 0 {
		t.Error("the missing-fields error names no fields")
	}
	_, err = f.svc.CreateSMSCampaign(ctx, p, form(""))
	wantErr(t, err, apperr.KindInvalid, "Customer list CSV file is required")
	long := form(customers)
	long.OfferCode = strings.Repeat("C", momentum.MaxOfferCodeLen+1)
	_, err = f.svc.CreateSMSCampaign(ctx, p, long)
	wantErr(t, err, apperr.KindInvalid, "offerCode must be at most 40 characters")
	_, err = f.svc.CreateSMSCampaign(ctx, p, form("customer_name,phone_number,last_order_date\nNo Phone,,2026-01-01\n"))
	if e := wantErr(t, err, apperr.KindInvalid, "No valid customers found in CSV file"); e.Details == nil {
		t.Error("the row errors are not given back")
	}
	_, err = f.svc.CreateSMSCampaign(ctx, p, form(customers)) // 3 customers, at most 2
	wantErr(t, err, apperr.KindInvalid, "The customer list has more than 2 customers")

	// Nobody lapsed: a result, no campaign.
	res, err := f.svc.CreateSMSCampaign(ctx, p, form("customer_name,phone_number,last_order_date\nBob Recent,555-234-5678,2026-03-01\n"))
	if err != nil || res.Campaign != nil || res.Lapsed != 0 || res.DeliveryRate != "0%" {
		t.Fatalf("nobody lapsed: %+v, %v", res, err)
	}
	if list, err := f.svc.Campaigns(ctx, p); err != nil || len(list) != 0 {
		t.Fatalf("refused campaigns were recorded: %+v, %v", list, err)
	}
}

func TestSMSPreviewUsesTheFirstLapsedCustomer(t *testing.T) {
	f := newService(t, momentum.Config{})
	ctx := t.Context()
	in := momentum.SMSInput{Offer: "20% off", OfferCode: "BACK20", RestaurantName: "Chez Nous"}
	pv, err := f.svc.PreviewSMS(ctx, in)
	if err != nil || pv.HasCSV || !strings.Contains(pv.SampleMessage, "Sarah") || pv.CharacterCount != len([]rune(pv.SampleMessage)) {
		t.Fatalf("preview without a list = %+v, %v", pv, err)
	}
	in.CSV = strings.NewReader(customers)
	pv, err = f.svc.PreviewSMS(ctx, in)
	if err != nil || !pv.HasCSV || pv.ValidRows != 3 || pv.ErrorRows != 1 || pv.Targets != 2 || !strings.Contains(pv.SampleMessage, "Ann") {
		t.Fatalf("preview with the list = %+v, %v", pv, err)
	}
	// The lapsed cutoff moves with the clock: 40 days on, Bob is lapsed too.
	f.clk.Advance(40 * 24 * time.Hour)
	in.CSV = strings.NewReader(customers)
	if pv, err = f.svc.PreviewSMS(ctx, in); err != nil || pv.Targets != 3 {
		t.Fatalf("40 days later: %+v, %v", pv, err)
	}
}
