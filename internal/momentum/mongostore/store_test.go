package mongostore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/momentum/mongotest"
	"github.com/momentum-cohortly/backends/internal/momentum/storetest"
)

// ferretURI is set once by TestMain: one embedded FerretDB serves the whole package, each test
// using a database of its own.
var ferretURI string

func TestMain(m *testing.M) {
	uri, stop, err := mongotest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mongostore tests:", err)
		os.Exit(1)
	}
	ferretURI = uri
	code := m.Run()
	stop()
	os.Exit(code)
}

// openTest opens a store on a fresh database of uri, dropped and closed when t ends.
func openTest(t testing.TB, uri string, opts ...Option) *Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, uri, mongotest.DBName(t), opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.db.Drop(ctx); err != nil {
			t.Errorf("drop test database: %v", err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// forEachServer runs fn against the embedded FerretDB and, when MOMENTUM_TEST_MONGODB_URL is set,
// a real MongoDB.
func forEachServer(t *testing.T, fn func(t *testing.T, uri string)) {
	for _, target := range mongotest.Targets(ferretURI) {
		t.Run(target.Name, func(t *testing.T) { fn(t, target.URI) })
	}
}

func TestStoreContract(t *testing.T) {
	forEachServer(t, func(t *testing.T, uri string) {
		storetest.Run(t, func(t *testing.T) momentum.Store { return openTest(t, uri) })
	})
}

var t0 = time.Date(2026, 11, 21, 13, 4, 5, 0, time.UTC)

func newAccount(email string, now time.Time) momentum.NewAccount {
	return momentum.NewAccount{Email: email, PasswordHash: "hash-" + email, RestaurantName: "Place of " + email, Now: now}
}

func count(t *testing.T, s *Store, coll string, filter bson.D) int64 {
	t.Helper()
	n, err := s.db.Collection(coll).CountDocuments(t.Context(), filter)
	if err != nil {
		t.Fatalf("count %s: %v", coll, err)
	}
	return n
}

func insertRaw(t *testing.T, s *Store, coll string, docs ...any) {
	t.Helper()
	if _, err := s.db.Collection(coll).InsertMany(t.Context(), docs); err != nil {
		t.Fatalf("insert into %s: %v", coll, err)
	}
}

// crashedRegistration leaves what a registration that died after writing its user (and, with
// restaurant, its restaurant and two of its tasks) leaves: a pending user and orphans.
func crashedRegistration(t *testing.T, s *Store, email string, at time.Time, restaurant bool) {
	t.Helper()
	const uid, rid = 900, 901
	insertRaw(t, s, collUsers, userDoc{UserID: uid, Email: email, EmailNormalized: momentum.NormalizeEmail(email), PasswordHash: "old",
		Role: momentum.RoleRestaurant, CreatedAt: at, UpdatedAt: at, PendingSince: &at})
	if restaurant {
		empty := ""
		insertRaw(t, s, collRestaurants, restaurantDoc{RestaurantID: rid, UserID: uid, Name: "Crashed", Address: &empty, Phone: &empty, CreatedAt: at, UpdatedAt: at})
		zero := int64(0)
		insertRaw(t, s, collTasks,
			taskDoc{StatusID: 950, RestaurantID: rid, ChecklistItemName: momentum.DefaultTasks[0], IsComplete: &zero, CreatedAt: at, UpdatedAt: at},
			taskDoc{StatusID: 951, RestaurantID: rid, ChecklistItemName: momentum.DefaultTasks[1], IsComplete: &zero, CreatedAt: at, UpdatedAt: at})
	}
}

func TestCreateAccountRepairsCrashedRegistration(t *testing.T) {
	for _, withRestaurant := range []bool{false, true} {
		t.Run(fmt.Sprintf("restaurant=%v", withRestaurant), func(t *testing.T) {
			s := openTest(t, ferretURI)
			crashedRegistration(t, s, "Crash@Example.com", t0, withRestaurant)

			// Nothing of it is an account.
			if _, err := s.UserByEmail(t.Context(), "crash@example.com"); !errors.Is(err, momentum.ErrNotFound) {
				t.Fatalf("UserByEmail of a pending user: err = %v, want ErrNotFound", err)
			}
			if _, err := s.UserByID(t.Context(), 900); !errors.Is(err, momentum.ErrNotFound) {
				t.Fatalf("UserByID of a pending user: err = %v, want ErrNotFound", err)
			}
			list, err := s.SearchRestaurants(t.Context(), "")
			if err != nil || len(list) != 0 {
				t.Fatalf("SearchRestaurants lists a pending owner's restaurant: %+v, %v", list, err)
			}

			// Within the grace period the registration may still be running: refuse.
			_, _, err = s.CreateAccount(t.Context(), newAccount("crash@example.com", t0.Add(DefaultPendingGrace-time.Second)))
			if !errors.Is(err, momentum.ErrConflict) {
				t.Fatalf("CreateAccount during the grace period: err = %v, want ErrConflict", err)
			}

			// After it, the crashed attempt is replaced by the new one.
			later := t0.Add(DefaultPendingGrace)
			u, r, err := s.CreateAccount(t.Context(), newAccount(" CRASH@example.com", later))
			if err != nil {
				t.Fatalf("CreateAccount after the grace period: %v", err)
			}
			if u.PasswordHash != "hash- CRASH@example.com" || r.Name != "Place of  CRASH@example.com" {
				t.Errorf("account = %+v / %+v, want the new registration's data", u, r)
			}
			got, err := s.UserByEmail(t.Context(), "crash@example.com")
			if err != nil || got.ID != u.ID {
				t.Fatalf("UserByEmail = %+v, %v; want user %d", got, err, u.ID)
			}
			if n := count(t, s, collUsers, bson.D{}); n != 1 {
				t.Errorf("%d users, want 1", n)
			}
			if n := count(t, s, collRestaurants, bson.D{}); n != 1 {
				t.Errorf("%d restaurants, want 1", n)
			}
			if n := count(t, s, collTasks, bson.D{}); n != 4 {
				t.Errorf("%d tasks, want 4", n)
			}
			if n := count(t, s, collTasks, bson.D{{Key: "restaurant_id", Value: r.ID}}); n != 4 {
				t.Errorf("%d tasks of the new restaurant, want 4", n)
			}
			if n := count(t, s, collUsers, bson.D{{Key: "pending_since", Value: bson.D{{Key: "$exists", Value: true}}}}); n != 0 {
				t.Errorf("%d users still pending", n)
			}
		})
	}
}

func TestRepairPendingAccounts(t *testing.T) {
	s := openTest(t, ferretURI, WithPendingGrace(time.Minute))
	crashedRegistration(t, s, "old@example.com", t0, true)
	fresh := t0.Add(50 * time.Second)
	insertRaw(t, s, collUsers, userDoc{UserID: 1000, Email: "fresh@example.com", EmailNormalized: "fresh@example.com", Role: momentum.RoleRestaurant,
		CreatedAt: fresh, UpdatedAt: fresh, PendingSince: &fresh})
	kept, _, err := s.CreateAccount(t.Context(), newAccount("kept@example.com", t0))
	if err != nil {
		t.Fatal(err)
	}

	n, err := s.RepairPendingAccounts(t.Context(), t0.Add(time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("RepairPendingAccounts = %d, %v; want 1 (only the registration older than the grace period)", n, err)
	}
	if c := count(t, s, collUsers, bson.D{{Key: "user_id", Value: 900}}); c != 0 {
		t.Error("stale pending user kept")
	}
	if c := count(t, s, collRestaurants, bson.D{{Key: "restaurant_id", Value: 901}}); c != 0 {
		t.Error("stale restaurant kept")
	}
	if c := count(t, s, collTasks, bson.D{{Key: "restaurant_id", Value: 901}}); c != 0 {
		t.Error("stale tasks kept")
	}
	if c := count(t, s, collUsers, bson.D{{Key: "user_id", Value: 1000}}); c != 1 {
		t.Error("a registration still within its grace period was discarded")
	}
	if _, err := s.UserByID(t.Context(), kept.ID); err != nil {
		t.Errorf("committed user touched: %v", err)
	}
}

// A registration that stalls past the grace period and finds its user discarded must not leave its
// restaurant and tasks behind.
func TestSupersededRegistrationCleansUp(t *testing.T) {
	s := openTest(t, ferretURI)
	a := newAccount("slow@example.com", t0)
	u, err := s.insertUser(t.Context(), userDoc{Email: a.Email, EmailNormalized: "slow@example.com", Role: momentum.RoleRestaurant,
		CreatedAt: t0, UpdatedAt: t0, PendingSince: &t0})
	if err != nil {
		t.Fatal(err)
	}
	// Meanwhile another registration discards it and commits its own account.
	if discarded, err := s.discardStalePending(t.Context(), "slow@example.com", t0.Add(time.Hour)); err != nil || !discarded {
		t.Fatalf("discardStalePending = %v, %v", discarded, err)
	}
	winner, winnerR, err := s.CreateAccount(t.Context(), newAccount("SLOW@example.com", t0.Add(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}

	_, err = s.completeAccount(t.Context(), u, a, t0)
	if !errors.Is(err, momentum.ErrConflict) {
		t.Fatalf("completeAccount of a discarded user: err = %v, want ErrConflict", err)
	}
	if n := count(t, s, collRestaurants, bson.D{}); n != 1 {
		t.Errorf("%d restaurants, want only the winner's", n)
	}
	if n := count(t, s, collTasks, bson.D{{Key: "restaurant_id", Value: bson.D{{Key: "$ne", Value: winnerR.ID}}}}); n != 0 {
		t.Errorf("%d tasks of the superseded registration left", n)
	}
	if got, err := s.UserByEmail(t.Context(), "slow@example.com"); err != nil || got.ID != winner.ID {
		t.Errorf("UserByEmail = %+v, %v; want the winner %d", got, err, winner.ID)
	}
}

func TestEnsureIndexesIdempotent(t *testing.T) {
	forEachServer(t, func(t *testing.T, uri string) {
		s := openTest(t, uri)
		for range 2 {
			if err := EnsureIndexes(t.Context(), s.db); err != nil {
				t.Fatalf("EnsureIndexes again: %v", err)
			}
		}
		// A second Open on the same database (another instance starting) is fine too.
		s2, err := Open(t.Context(), uri, s.db.Name())
		if err != nil {
			t.Fatalf("second Open: %v", err)
		}
		defer s2.Close()

		want := map[string]map[string]bool{} // collection -> index name -> unique
		for _, ix := range indexSpecs() {
			name := ""
			for i, k := range ix.keys {
				if i > 0 {
					name += "_"
				}
				name += k + "_1"
			}
			if want[ix.coll] == nil {
				want[ix.coll] = map[string]bool{"_id_": false}
			}
			want[ix.coll][name] = ix.unique
		}
		want[collSessions]["expires_at_1"] = false
		for coll, names := range want {
			specs, err := s.db.Collection(coll).Indexes().ListSpecifications(t.Context())
			if err != nil {
				t.Fatalf("list indexes of %s: %v", coll, err)
			}
			got := map[string]bool{}
			for _, sp := range specs {
				got[sp.Name] = sp.Unique != nil && *sp.Unique
			}
			if len(got) != len(names) {
				t.Errorf("%s has indexes %v, want %v", coll, got, names)
			}
			for name, unique := range names {
				if u, ok := got[name]; !ok || u != unique {
					t.Errorf("%s index %s: present %v unique %v, want unique %v", coll, name, ok, u, unique)
				}
			}
		}
	})
}

func TestDuplicateKeyMapsToConflict(t *testing.T) {
	s := openTest(t, ferretURI)
	if _, _, err := s.CreateAccount(t.Context(), newAccount("a@example.com", t0)); err != nil {
		t.Fatal(err)
	}
	// An admin whose email a restaurant already uses.
	created, err := s.EnsureAdmin(t.Context(), "A@EXAMPLE.COM", "h", t0)
	if created || !errors.Is(err, momentum.ErrConflict) {
		t.Fatalf("EnsureAdmin with a taken email = %v, %v; want ErrConflict", created, err)
	}
	// The failed attempt released its claim: a correct email works at once.
	created, err = s.EnsureAdmin(t.Context(), "admin@example.com", "h", t0)
	if err != nil || !created {
		t.Fatalf("EnsureAdmin after a failed attempt = %v, %v; want created", created, err)
	}
}

// A counter behind the data (a hand-edited database, or FerretDB's non-atomic $inc under
// concurrency) costs retries, never a failed write or a reused id.
func TestCounterBehindDataSkipsTakenIDs(t *testing.T) {
	s := openTest(t, ferretURI)
	var ids []int64
	for i := range 3 {
		u, _, err := s.CreateAccount(t.Context(), newAccount(fmt.Sprintf("u%d@example.com", i), t0))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	if _, err := s.counters.UpdateMany(t.Context(), bson.D{}, bson.D{{Key: "$set", Value: bson.D{{Key: "seq", Value: int64(0)}}}}); err != nil {
		t.Fatal(err)
	}
	u, r, err := s.CreateAccount(t.Context(), newAccount("late@example.com", t0))
	if err != nil {
		t.Fatalf("CreateAccount with counters reset: %v", err)
	}
	for _, id := range ids {
		if u.ID == id {
			t.Fatalf("user id %d handed out twice", id)
		}
	}
	tasks, err := s.PendingTasks(t.Context(), r.ID, 10)
	if err != nil || len(tasks) != 4 {
		t.Fatalf("PendingTasks = %d, %v; want 4", len(tasks), err)
	}
	if n := count(t, s, collTasks, bson.D{}); n != 16 {
		t.Errorf("%d tasks in all, want 16", n)
	}
}

// A counter further behind than the retries go (a restored database whose counters are older than
// its data) catches up at the first collision instead of failing the write: it used to walk up one
// taken id per attempt and give up after maxIDAttempts.
func TestCounterFarBehindCatchesUp(t *testing.T) {
	s := openTest(t, ferretURI)
	behind := maxIDAttempts + 8
	docs := make([]any, behind)
	for i := range docs {
		docs[i] = bson.D{{Key: "user_id", Value: int64(i + 1)}, {Key: "email", Value: fmt.Sprintf("old%d@example.com", i)},
			{Key: "email_normalized", Value: fmt.Sprintf("old%d@example.com", i)}, {Key: "role", Value: "restaurant"}}
	}
	insertRaw(t, s, collUsers, docs...)
	u, _, err := s.CreateAccount(t.Context(), newAccount("new@example.com", t0))
	if err != nil {
		t.Fatalf("CreateAccount with the users counter %d behind: %v", behind, err)
	}
	if u.ID != int64(behind+1) {
		t.Errorf("user id %d, want %d (the first free one)", u.ID, behind+1)
	}
}

func TestEnsureAdminTakesOverStaleClaim(t *testing.T) {
	s := openTest(t, ferretURI)
	// A winner that crashed right after claiming.
	insertRaw(t, s, collCounters, bson.D{{Key: "_id", Value: adminClaimID}, {Key: "token", Value: bson.NewObjectID()}, {Key: "at", Value: t0}})
	created, err := s.EnsureAdmin(t.Context(), "admin@example.com", "h", t0.Add(time.Second))
	if err != nil || created {
		t.Fatalf("EnsureAdmin with a fresh claim = %v, %v; want false (someone else is creating it)", created, err)
	}
	created, err = s.EnsureAdmin(t.Context(), "admin@example.com", "h", t0.Add(DefaultPendingGrace))
	if err != nil || !created {
		t.Fatalf("EnsureAdmin with a stale claim = %v, %v; want created", created, err)
	}
	if n := count(t, s, collUsers, bson.D{{Key: "role", Value: momentum.RoleAdmin}}); n != 1 {
		t.Errorf("%d admins, want 1", n)
	}
}

func TestCampaignDetailsStorage(t *testing.T) {
	s := openTest(t, ferretURI)
	_, r, err := s.CreateAccount(t.Context(), newAccount("c@example.com", t0))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, in, out string
		stored        bson.Type
	}{
		{"object", `{"b":1,"a":[true,null,"x"],"n":{"f":10.5}}`, `{"b":1,"a":[true,null,"x"],"n":{"f":10.5}}`, bson.TypeEmbeddedDocument},
		{"object with spaces", "{ \"k\" : 1 }", `{"k":1}`, bson.TypeEmbeddedDocument},
		{"empty object", `{}`, `{}`, bson.TypeEmbeddedDocument},
		{"html and unicode kept", `{"s":"<a&b> é \u00e9"}`, `{"s":"<a&b> é é"}`, bson.TypeEmbeddedDocument},
		{"not json", `not json {`, `not json {`, bson.TypeString},
		{"array", `[1,2]`, `[1,2]`, bson.TypeString},
		{"exponent kept as text", `{"n":1e3}`, `{"n":1e3}`, bson.TypeString},
		{"huge int kept as text", `{"n":123456789012345678901234567890}`, `{"n":123456789012345678901234567890}`, bson.TypeString},
		{"dotted key kept as text", `{"a.b":1}`, `{"a.b":1}`, bson.TypeString},
		{"dollar key kept as text", `{"$where":"1"}`, `{"$where":"1"}`, bson.TypeString},
		{"duplicate key kept as text", `{"a":1,"a":2}`, `{"a":1,"a":2}`, bson.TypeString},
		{"trailing data kept as text", `{"a":1} x`, `{"a":1} x`, bson.TypeString},
		{"empty is null", ``, ``, bson.TypeNull},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ext := fmt.Sprintf("camp_%d", i)
			c, err := s.CreateCampaign(t.Context(), momentum.Campaign{RestaurantID: r.ID, Type: momentum.CampaignAd, Status: momentum.CampaignDraft,
				Name: tc.name, Details: tc.in, ExternalID: ext, CreatedAt: t0, UpdatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			if c.Details != tc.out {
				t.Errorf("CreateCampaign Details = %q, want %q", c.Details, tc.out)
			}
			got, err := s.CampaignByExternalID(t.Context(), r.ID, ext)
			if err != nil {
				t.Fatal(err)
			}
			if got.Details != tc.out {
				t.Errorf("read Details = %q, want %q", got.Details, tc.out)
			}
			raw, err := s.campaigns.FindOne(t.Context(), bson.D{{Key: "campaign_id", Value: c.ID}}).Raw()
			if err != nil {
				t.Fatal(err)
			}
			if typ := raw.Lookup("details").Type; typ != tc.stored {
				t.Errorf("stored details as BSON %v, want %v", typ, tc.stored)
			}
		})
	}
	// Lookups are per restaurant: neither another restaurant nor 0 finds it.
	for _, rid := range []int64{0, r.ID + 1} {
		if _, err := s.CampaignByExternalID(t.Context(), rid, "camp_0"); !errors.Is(err, momentum.ErrNotFound) {
			t.Errorf("CampaignByExternalID(%d, camp_0) = %v, want ErrNotFound", rid, err)
		}
	}
}

func TestOpenRejectsBadDatabaseName(t *testing.T) {
	for _, name := range []string{"", "a/b", "a.b", "with space", "dollar$", string(make([]byte, 64))} {
		if _, err := Open(t.Context(), ferretURI, name); err == nil {
			t.Errorf("Open(%q) succeeded", name)
		}
	}
}

func TestOpenFailsFastWhenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	// Port 1 on loopback: nothing listens there.
	if _, err := Open(ctx, "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500", "x"); err == nil {
		t.Fatal("Open of an unreachable server succeeded")
	}
}

// Search input comes straight from a query string: odd bytes must not turn into server errors.
func TestSearchRestaurantsOddInput(t *testing.T) {
	s := openTest(t, ferretURI)
	a := newAccount("nul@example.com", t0)
	a.RestaurantName = "Nul\x00Byte Diner"
	_, r, err := s.CreateAccount(t.Context(), a)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		search string
		want   int
	}{
		{"\x00", 1},
		{"l\x00b", 1},
		{"\xff\xfe", 0},
		{"Diner\xff", 0},
		{"(?i)", 0},
		{"\\Q", 0},
	}
	for _, tc := range cases {
		list, err := s.SearchRestaurants(t.Context(), tc.search)
		if err != nil {
			t.Errorf("SearchRestaurants(%q): %v", tc.search, err)
			continue
		}
		if len(list) != tc.want || (tc.want == 1 && list[0].ID != r.ID) {
			t.Errorf("SearchRestaurants(%q) = %d rows, want %d", tc.search, len(list), tc.want)
		}
	}
}

// A sessions collection whose expires_at index was made without TTL (on a server that lacked it)
// does not stop Open.
func TestOpenKeepsExistingPlainExpiryIndex(t *testing.T) {
	s := openTest(t, ferretURI)
	if err := ensureSessionExpiryIndex(t.Context(), s.sessions); err != nil {
		t.Fatalf("ensureSessionExpiryIndex on an existing index: %v", err)
	}
}

func TestCloseTwice(t *testing.T) {
	s, err := Open(t.Context(), ferretURI, mongotest.DBName(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := s.Ping(t.Context()); err == nil {
		t.Error("Ping after Close succeeded")
	}
}
