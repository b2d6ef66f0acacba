// Package storetest is the one contract suite every momentum.Store adapter passes. An adapter's test
// calls Run with a function that opens a fresh, empty store; the suite exercises every Store method
// through the interface only, with fixed times and small data (tens of rows), so it is quick even
// against slow backends such as FerretDB.
//
// Besides what store.go documents, the suite pins down these points of the contract:
//   - every returned time is UTC, truncated to the second, whatever zone and precision went in;
//   - CreateAccount stores a nil Address or Phone as "" (what the legacy server did), so the
//     restaurant comes back with pointers to "";
//   - Campaign.Details round-trips as JSON (compared by value, not byte for byte); Budget 20 and 10.5
//     both come back exactly; ExternalID "" is never found;
//   - Statuses leaves out statuses whose item does not exist (the legacy query was an inner JOIN);
//   - SeedCatalogue counts as "updated" only rows whose fields actually changed, never deletes an
//     item or category missing from the seed, and keeps created_at of existing rows; concurrent
//     seeds of an empty store (instances started at once) make one catalogue;
//   - SessionByID treats expires_at == now as expired; DeleteExpiredSessions deletes expires_at <= now;
//     DeleteSession of a missing id is not an error; a duplicate session id is ErrConflict;
//   - ImpersonationLog lists newest At first, ties by higher id first; limit <= 0 means all;
//   - Campaigns: limit <= 0 means all; PendingTasks is asked with a positive limit only;
//   - ids handed out one after another increase.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// Opener returns a new, empty store for one subtest. It is responsible for closing the store and
// removing its data (t.Cleanup); the suite never calls Close.
type Opener func(t *testing.T) momentum.Store

// Run runs the whole contract suite. Each subtest gets its own store from open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s momentum.Store)
	}{
		{"Ping", testPing},
		{"CreateAccount", testCreateAccount},
		{"CreateAccountConflict", testCreateAccountConflict},
		{"NotFound", testNotFound},
		{"Account", testAccount},
		{"UserByEmailNormalizes", testUserByEmailNormalizes},
		{"EnsureAdmin", testEnsureAdmin},
		{"CountRestaurants", testCountRestaurants},
		{"SearchRestaurantsOrder", testSearchRestaurantsOrder},
		{"SearchRestaurantsLiteral", testSearchRestaurantsLiteral},
		{"Tasks", testTasks},
		{"TaskOwnership", testTaskOwnership},
		{"TaskAsAccount", testTaskAsAccount},
		{"CatalogueSeed", testCatalogueSeed},
		{"CatalogueReseedKeepsIDsAndProgress", testCatalogueReseed},
		{"CatalogueOrdering", testCatalogueOrdering},
		{"UpsertStatus", testUpsertStatus},
		{"StatusesJoin", testStatusesJoin},
		{"Campaigns", testCampaigns},
		{"CampaignOrderAndLimit", testCampaignOrderAndLimit},
		{"CountCampaignsSince", testCountCampaignsSince},
		{"Sessions", testSessions},
		{"SessionConflict", testSessionConflict},
		{"DeleteExpiredSessions", testDeleteExpiredSessions},
		{"ImpersonationLog", testImpersonationLog},
		{"ConcurrentRegisterSameEmail", testConcurrentRegisterSameEmail},
		{"ConcurrentRegisterDistinct", testConcurrentRegisterDistinct},
		{"ConcurrentUpsertStatus", testConcurrentUpsertStatus},
		{"ConcurrentEnsureAdmin", testConcurrentEnsureAdmin},
		{"ConcurrentSeedCatalogue", testConcurrentSeedCatalogue},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			tc.fn(t, s)
		})
	}
}

// t0 is the suite's fixed "now". It is deliberately not UTC and carries nanoseconds: adapters must
// store UTC with whole seconds.
var t0 = time.Date(2026, 11, 21, 13, 4, 5, 987654321, time.FixedZone("CET", 3600))

// sec is what an adapter must return for t: UTC, truncated to the second.
func sec(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

func strp(s string) *string { return &s }
func i64p(v int64) *int64   { return &v }

func ctx(t *testing.T) context.Context { return t.Context() }

func mustNil(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", what, err)
	}
}

func wantErr(t *testing.T, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: error = %v, want one wrapping %v", what, err, target)
	}
}

func sameTime(t *testing.T, got, want time.Time, what string) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %s, want %s", what, got.UTC().Format(time.RFC3339Nano), want.UTC().Format(time.RFC3339Nano))
	}
	if got.Location() != time.UTC {
		t.Errorf("%s location = %v, want UTC", what, got.Location())
	}
}

func sameStrPtr(t *testing.T, got, want *string, what string) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s = %v, want %v", what, fmtPtr(got), fmtPtr(want))
	case *got != *want:
		t.Errorf("%s = %q, want %q", what, *got, *want)
	}
}

func fmtPtr[T any](p *T) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("&%v", *p)
}

type accountOpt func(*momentum.NewAccount)

func register(t *testing.T, s momentum.Store, email, name string, now time.Time, opts ...accountOpt) (momentum.User, momentum.Restaurant) {
	t.Helper()
	a := momentum.NewAccount{
		Email:          email,
		PasswordHash:   "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
		RestaurantName: name,
		Now:            now,
	}
	for _, o := range opts {
		o(&a)
	}
	u, r, err := s.CreateAccount(ctx(t), a)
	mustNil(t, err, "CreateAccount "+email)
	return u, r
}

func testPing(t *testing.T, s momentum.Store) {
	mustNil(t, s.Ping(ctx(t)), "Ping")
}

func testCreateAccount(t *testing.T, s momentum.Store) {
	hash := "$2a$10$7zFPsuL/lo8tjpuOVIkKOu3DlAt9zga8val39Ke4o1n7JHNuLUT42"
	u, r, err := s.CreateAccount(ctx(t), momentum.NewAccount{
		Email: "Owner@Example.com", PasswordHash: hash, RestaurantName: "Luigi's",
		Address: strp("1 Via Roma"), Phone: strp("+39 06 123"), Now: t0,
	})
	mustNil(t, err, "CreateAccount")
	if u.ID <= 0 || r.ID <= 0 {
		t.Fatalf("ids not allocated: user %d restaurant %d", u.ID, r.ID)
	}
	if u.Email != "Owner@Example.com" || u.PasswordHash != hash || u.Role != momentum.RoleRestaurant {
		t.Errorf("user = %+v", u)
	}
	sameTime(t, u.CreatedAt, sec(t0), "user.CreatedAt")
	if r.UserID != u.ID || r.Name != "Luigi's" {
		t.Errorf("restaurant = %+v, want user %d name Luigi's", r, u.ID)
	}
	sameStrPtr(t, r.Address, strp("1 Via Roma"), "restaurant.Address")
	sameStrPtr(t, r.Phone, strp("+39 06 123"), "restaurant.Phone")
	sameTime(t, r.CreatedAt, sec(t0), "restaurant.CreatedAt")

	got, err := s.UserByID(ctx(t), u.ID)
	mustNil(t, err, "UserByID")
	if !reflect.DeepEqual(got, u) {
		t.Errorf("UserByID = %+v, want %+v", got, u)
	}
	gotR, err := s.RestaurantByID(ctx(t), r.ID)
	mustNil(t, err, "RestaurantByID")
	if !reflect.DeepEqual(gotR, r) {
		t.Errorf("RestaurantByID = %+v, want %+v", gotR, r)
	}
	gotR, err = s.RestaurantByUser(ctx(t), u.ID)
	mustNil(t, err, "RestaurantByUser")
	if !reflect.DeepEqual(gotR, r) {
		t.Errorf("RestaurantByUser = %+v, want %+v", gotR, r)
	}

	tasks, err := s.PendingTasks(ctx(t), r.ID, 10)
	mustNil(t, err, "PendingTasks")
	if len(tasks) != len(momentum.DefaultTasks) {
		t.Fatalf("PendingTasks = %d tasks, want %d", len(tasks), len(momentum.DefaultTasks))
	}
	for i, task := range tasks {
		if task.Name != momentum.DefaultTasks[i] || task.RestaurantID != r.ID || task.IsComplete == nil || *task.IsComplete != 0 {
			t.Errorf("task %d = %+v (complete %s), want %q of restaurant %d, complete 0", i, task, fmtPtr(task.IsComplete), momentum.DefaultTasks[i], r.ID)
		}
		if i > 0 && task.ID <= tasks[i-1].ID {
			t.Errorf("task ids not increasing in DefaultTasks order: %d after %d", task.ID, tasks[i-1].ID)
		}
		sameTime(t, task.CreatedAt, sec(t0), "task.CreatedAt")
		sameTime(t, task.UpdatedAt, sec(t0), "task.UpdatedAt")
	}

	// Without address and phone the legacy server stores '' (contract 5.3), and so do we.
	_, r2 := register(t, s, "second@example.com", "No Address", t0)
	sameStrPtr(t, r2.Address, strp(""), "nil address")
	sameStrPtr(t, r2.Phone, strp(""), "nil phone")
	gotR2, err := s.RestaurantByID(ctx(t), r2.ID)
	mustNil(t, err, "RestaurantByID")
	sameStrPtr(t, gotR2.Address, strp(""), "stored nil address")
	sameStrPtr(t, gotR2.Phone, strp(""), "stored nil phone")
	if r2.ID <= r.ID {
		t.Errorf("second restaurant id %d not above first %d", r2.ID, r.ID)
	}
}

func testCreateAccountConflict(t *testing.T, s momentum.Store) {
	register(t, s, "dup@example.com", "First", t0)
	for _, email := range []string{"dup@example.com", "DUP@example.com", "  Dup@Example.COM "} {
		_, _, err := s.CreateAccount(ctx(t), momentum.NewAccount{
			Email: email, PasswordHash: "h", RestaurantName: "Second", Now: t0.Add(time.Minute),
		})
		wantErr(t, err, momentum.ErrConflict, "CreateAccount "+email)
	}
	// Nothing of the refused registrations is left behind.
	n, err := s.CountRestaurants(ctx(t))
	mustNil(t, err, "CountRestaurants")
	if n != 1 {
		t.Errorf("CountRestaurants = %d after refused duplicates, want 1", n)
	}
	list, err := s.SearchRestaurants(ctx(t), "Second")
	mustNil(t, err, "SearchRestaurants")
	if len(list) != 0 {
		t.Errorf("a refused registration left restaurant rows: %+v", list)
	}
	pending, err := s.CountRestaurantsWithPendingTasks(ctx(t))
	mustNil(t, err, "CountRestaurantsWithPendingTasks")
	if pending != 1 {
		t.Errorf("CountRestaurantsWithPendingTasks = %d, want 1", pending)
	}
}

func testAccount(t *testing.T, s momentum.Store) {
	c := ctx(t)
	u, r := register(t, s, "account@example.com", "Account Grill", t0)
	gotU, gotR, err := s.Account(c, u.ID)
	mustNil(t, err, "Account")
	if gotU != u || gotR == nil || !reflect.DeepEqual(*gotR, r) {
		t.Fatalf("Account = %+v, %+v; want %+v, %+v", gotU, gotR, u, r)
	}
	created, err := s.EnsureAdmin(c, "account-admin@example.com", "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234", t0)
	mustNil(t, err, "EnsureAdmin")
	if created {
		admin, err := s.UserByEmail(c, "account-admin@example.com")
		mustNil(t, err, "UserByEmail admin")
		gotU, gotR, err = s.Account(c, admin.ID)
		mustNil(t, err, "Account admin")
		if gotU.ID != admin.ID || gotR != nil {
			t.Fatalf("admin account = %+v, %+v; want no restaurant", gotU, gotR)
		}
	}
	if _, _, err := s.Account(c, u.ID+1000); !errors.Is(err, momentum.ErrNotFound) {
		t.Fatalf("Account of a missing user: %v", err)
	}
}

func testNotFound(t *testing.T, s momentum.Store) {
	u, r := register(t, s, "someone@example.com", "Somewhere", t0)
	c := ctx(t)
	checks := []struct {
		name string
		err  error
	}{
		{"UserByID", second(s.UserByID(c, u.ID+1000))},
		{"UserByEmail", second(s.UserByEmail(c, "nobody@example.com"))},
		{"RestaurantByID", second(s.RestaurantByID(c, r.ID+1000))},
		{"RestaurantByUser", second(s.RestaurantByUser(c, u.ID+1000))},
		{"CategoryByID", second(s.CategoryByID(c, 424242))},
		{"ItemByID", second(s.ItemByID(c, 424242))},
		{"CampaignByExternalID", second(s.CampaignByExternalID(c, r.ID, "camp_missing"))},
		{"SessionByID", second(s.SessionByID(c, "no-such-session", t0))},
		{"SetTaskComplete", s.SetTaskComplete(c, r.ID, 424242, true, t0)},
	}
	for _, ck := range checks {
		if !errors.Is(ck.err, momentum.ErrNotFound) {
			t.Errorf("%s: error = %v, want one wrapping ErrNotFound", ck.name, ck.err)
		}
	}
	// Empty lists are not errors.
	items, err := s.ItemsByCategory(c, 424242)
	mustNil(t, err, "ItemsByCategory unknown")
	if len(items) != 0 {
		t.Errorf("ItemsByCategory unknown = %d items", len(items))
	}
	sts, err := s.Statuses(c, r.ID+1000)
	mustNil(t, err, "Statuses unknown")
	if len(sts) != 0 {
		t.Errorf("Statuses unknown restaurant = %d rows", len(sts))
	}
	camps, err := s.Campaigns(c, r.ID, "", 0)
	mustNil(t, err, "Campaigns empty")
	if len(camps) != 0 {
		t.Errorf("Campaigns = %d rows, want 0", len(camps))
	}
	empty, err := s.CatalogueEmpty(c)
	mustNil(t, err, "CatalogueEmpty")
	if !empty {
		t.Error("CatalogueEmpty = false on a new store")
	}
	cats, err := s.Categories(c, "")
	mustNil(t, err, "Categories empty")
	if len(cats) != 0 {
		t.Errorf("Categories = %d on a new store", len(cats))
	}
}

func second[T any](_ T, err error) error { return err }

func testUserByEmailNormalizes(t *testing.T, s momentum.Store) {
	u, _ := register(t, s, "Mixed.Case@Example.com", "Mixed", t0)
	for _, q := range []string{"Mixed.Case@Example.com", "mixed.case@example.com", "  MIXED.CASE@EXAMPLE.COM\t"} {
		got, err := s.UserByEmail(ctx(t), q)
		mustNil(t, err, "UserByEmail "+q)
		if got.ID != u.ID || got.Email != "Mixed.Case@Example.com" {
			t.Errorf("UserByEmail(%q) = %+v, want user %d with email as stored", q, got, u.ID)
		}
	}
	if _, err := s.UserByEmail(ctx(t), "mixed.case@example.co"); !errors.Is(err, momentum.ErrNotFound) {
		t.Errorf("prefix match: error = %v, want ErrNotFound", err)
	}
}

func testEnsureAdmin(t *testing.T, s momentum.Store) {
	register(t, s, "owner@example.com", "Owner's", t0)
	created, err := s.EnsureAdmin(ctx(t), "admin@momentum.com", "adminhash", t0)
	mustNil(t, err, "EnsureAdmin")
	if !created {
		t.Fatal("EnsureAdmin did not create the first admin")
	}
	admin, err := s.UserByEmail(ctx(t), "ADMIN@momentum.com")
	mustNil(t, err, "UserByEmail admin")
	if admin.Role != momentum.RoleAdmin || admin.PasswordHash != "adminhash" || admin.Email != "admin@momentum.com" {
		t.Errorf("admin = %+v", admin)
	}
	sameTime(t, admin.CreatedAt, sec(t0), "admin.CreatedAt")
	if _, err := s.RestaurantByUser(ctx(t), admin.ID); !errors.Is(err, momentum.ErrNotFound) {
		t.Errorf("admin has a restaurant: err = %v", err)
	}

	// Any admin at all means no second one, whatever the email.
	for _, email := range []string{"admin@momentum.com", "other-admin@momentum.com"} {
		created, err = s.EnsureAdmin(ctx(t), email, "otherhash", t0.Add(time.Hour))
		mustNil(t, err, "EnsureAdmin again")
		if created {
			t.Errorf("EnsureAdmin(%s) created a second admin", email)
		}
	}
	if _, err := s.UserByEmail(ctx(t), "other-admin@momentum.com"); !errors.Is(err, momentum.ErrNotFound) {
		t.Errorf("second admin exists: err = %v", err)
	}
	again, err := s.UserByID(ctx(t), admin.ID)
	mustNil(t, err, "UserByID admin")
	if again.PasswordHash != "adminhash" {
		t.Errorf("EnsureAdmin rewrote the existing admin's hash: %q", again.PasswordHash)
	}
}

func testCountRestaurants(t *testing.T, s momentum.Store) {
	n, err := s.CountRestaurants(ctx(t))
	mustNil(t, err, "CountRestaurants")
	if n != 0 {
		t.Fatalf("CountRestaurants = %d on a new store", n)
	}
	for i := range 3 {
		register(t, s, fmt.Sprintf("r%d@example.com", i), fmt.Sprintf("R%d", i), t0)
	}
	_, err = s.EnsureAdmin(ctx(t), "admin@example.com", "h", t0)
	mustNil(t, err, "EnsureAdmin")
	n, err = s.CountRestaurants(ctx(t))
	mustNil(t, err, "CountRestaurants")
	if n != 3 {
		t.Errorf("CountRestaurants = %d, want 3", n)
	}
}

func testSearchRestaurantsOrder(t *testing.T, s momentum.Store) {
	// Created out of time order, with a tie on created_at broken by the higher id first.
	_, a := register(t, s, "a@example.com", "Alpha Diner", t0.Add(-2*time.Hour))
	ub, b := register(t, s, "B@example.com", "Bravo Bistro", t0)
	_, c := register(t, s, "c@example.com", "Charlie Cafe", t0.Add(-time.Hour))
	_, d := register(t, s, "d@example.com", "Delta Deli", t0) // same created_at as b, higher id
	_, err := s.EnsureAdmin(ctx(t), "admin@example.com", "h", t0)
	mustNil(t, err, "EnsureAdmin")

	list, err := s.SearchRestaurants(ctx(t), "")
	mustNil(t, err, "SearchRestaurants")
	want := []int64{d.ID, b.ID, c.ID, a.ID}
	if got := restaurantIDs(list); !reflect.DeepEqual(got, want) {
		t.Fatalf("SearchRestaurants order = %v, want %v", got, want)
	}
	got := list[1]
	if got.Name != "Bravo Bistro" || got.UserID != ub.ID || got.OwnerEmail != "B@example.com" {
		t.Errorf("row = %+v", got)
	}
	sameTime(t, got.CreatedAt, sec(t0), "CreatedAt")
	sameTime(t, got.OwnerCreatedAt, sec(t0), "OwnerCreatedAt")
	sameStrPtr(t, got.Address, strp(""), "Address")

	// Case-insensitive substring.
	list, err = s.SearchRestaurants(ctx(t), "DI")
	mustNil(t, err, "SearchRestaurants DI")
	if got, want := restaurantIDs(list), []int64{a.ID}; !reflect.DeepEqual(got, want) {
		t.Errorf("search DI = %v, want %v", got, want)
	}
	list, err = s.SearchRestaurants(ctx(t), "e")
	mustNil(t, err, "SearchRestaurants e")
	if got, want := restaurantIDs(list), []int64{d.ID, c.ID, a.ID}; !reflect.DeepEqual(got, want) {
		t.Errorf("search e = %v, want %v", got, want)
	}
	list, err = s.SearchRestaurants(ctx(t), "zzz")
	mustNil(t, err, "SearchRestaurants zzz")
	if len(list) != 0 {
		t.Errorf("search zzz = %v, want none", restaurantIDs(list))
	}
}

func testSearchRestaurantsLiteral(t *testing.T, s momentum.Store) {
	names := []string{"Pizza 100%", "Pizza 1000", "Under_score", "Underxscore", `Back\slash`, "Dot.Com", "DotXCom", "Star*Bar", "Paren(s)", "[Bracket]"}
	ids := map[string]int64{}
	for i, n := range names {
		_, r := register(t, s, fmt.Sprintf("o%d@example.com", i), n, t0.Add(time.Duration(i)*time.Second))
		ids[n] = r.ID
	}
	cases := []struct {
		search string
		want   []string // newest first
	}{
		{"%", []string{"Pizza 100%"}},
		{"100%", []string{"Pizza 100%"}},
		{"_", []string{"Under_score"}},
		{"r_s", []string{"Under_score"}},
		{`\`, []string{`Back\slash`}},
		{`k\s`, []string{`Back\slash`}},
		{".", []string{"Dot.Com"}},
		{"*", []string{"Star*Bar"}},
		{"(s)", []string{"Paren(s)"}},
		{"[", []string{"[Bracket]"}},
		{"pizza", []string{"Pizza 1000", "Pizza 100%"}},
	}
	for _, tc := range cases {
		list, err := s.SearchRestaurants(ctx(t), tc.search)
		mustNil(t, err, "SearchRestaurants "+tc.search)
		var want []int64
		for _, n := range tc.want {
			want = append(want, ids[n])
		}
		if got := restaurantIDs(list); !reflect.DeepEqual(got, want) {
			t.Errorf("search %q = %v, want %v (%v)", tc.search, got, want, tc.want)
		}
	}
}

func restaurantIDs(list []momentum.RestaurantWithOwner) []int64 {
	var ids []int64
	for _, r := range list {
		ids = append(ids, r.ID)
	}
	return ids
}

func taskIDs(tasks []momentum.Task) []int64 {
	var ids []int64
	for _, t := range tasks {
		ids = append(ids, t.ID)
	}
	return ids
}

func testTasks(t *testing.T, s momentum.Store) {
	_, r := register(t, s, "tasks@example.com", "Tasks", t0)
	all, err := s.PendingTasks(ctx(t), r.ID, 10)
	mustNil(t, err, "PendingTasks")
	if len(all) != 4 {
		t.Fatalf("PendingTasks = %d, want 4", len(all))
	}
	three, err := s.PendingTasks(ctx(t), r.ID, 3)
	mustNil(t, err, "PendingTasks 3")
	if got, want := taskIDs(three), taskIDs(all[:3]); !reflect.DeepEqual(got, want) {
		t.Errorf("PendingTasks(3) = %v, want the oldest three %v", got, want)
	}

	later := t0.Add(90 * time.Second)
	mustNil(t, s.SetTaskComplete(ctx(t), r.ID, all[0].ID, true, later), "SetTaskComplete")
	mustNil(t, s.SetTaskComplete(ctx(t), r.ID, all[2].ID, true, later), "SetTaskComplete")
	pending, err := s.PendingTasks(ctx(t), r.ID, 10)
	mustNil(t, err, "PendingTasks")
	if got, want := taskIDs(pending), []int64{all[1].ID, all[3].ID}; !reflect.DeepEqual(got, want) {
		t.Fatalf("pending after completing two = %v, want %v", got, want)
	}

	// Un-completing puts it back, in created_at order (not updated_at), with the new updated_at.
	evenLater := later.Add(time.Hour)
	mustNil(t, s.SetTaskComplete(ctx(t), r.ID, all[0].ID, false, evenLater), "SetTaskComplete false")
	pending, err = s.PendingTasks(ctx(t), r.ID, 10)
	mustNil(t, err, "PendingTasks")
	if got, want := taskIDs(pending), []int64{all[0].ID, all[1].ID, all[3].ID}; !reflect.DeepEqual(got, want) {
		t.Fatalf("pending after un-completing = %v, want %v", got, want)
	}
	sameTime(t, pending[0].UpdatedAt, sec(evenLater), "UpdatedAt after SetTaskComplete")
	sameTime(t, pending[0].CreatedAt, sec(t0), "CreatedAt after SetTaskComplete")
	if pending[0].IsComplete == nil || *pending[0].IsComplete != 0 {
		t.Errorf("IsComplete = %s, want 0", fmtPtr(pending[0].IsComplete))
	}
	// Completing twice is fine.
	mustNil(t, s.SetTaskComplete(ctx(t), r.ID, all[2].ID, true, evenLater), "SetTaskComplete twice")

	// A second restaurant's tasks are separate; the pending count is per restaurant.
	_, r2 := register(t, s, "tasks2@example.com", "Tasks 2", t0.Add(-time.Hour))
	n, err := s.CountRestaurantsWithPendingTasks(ctx(t))
	mustNil(t, err, "CountRestaurantsWithPendingTasks")
	if n != 2 {
		t.Errorf("CountRestaurantsWithPendingTasks = %d, want 2", n)
	}
	for _, task := range pending {
		mustNil(t, s.SetTaskComplete(ctx(t), r.ID, task.ID, true, evenLater), "complete all")
	}
	n, err = s.CountRestaurantsWithPendingTasks(ctx(t))
	mustNil(t, err, "CountRestaurantsWithPendingTasks")
	if n != 1 {
		t.Errorf("CountRestaurantsWithPendingTasks = %d after restaurant 1 finished, want 1", n)
	}
	pending, err = s.PendingTasks(ctx(t), r.ID, 10)
	mustNil(t, err, "PendingTasks")
	if len(pending) != 0 {
		t.Errorf("pending = %v after completing all", taskIDs(pending))
	}
	p2, err := s.PendingTasks(ctx(t), r2.ID, 10)
	mustNil(t, err, "PendingTasks r2")
	if len(p2) != 4 {
		t.Errorf("restaurant 2 pending = %d, want 4", len(p2))
	}
}

func testTaskOwnership(t *testing.T, s momentum.Store) {
	_, r1 := register(t, s, "one@example.com", "One", t0)
	_, r2 := register(t, s, "two@example.com", "Two", t0)
	t2, err := s.PendingTasks(ctx(t), r2.ID, 10)
	mustNil(t, err, "PendingTasks")
	err = s.SetTaskComplete(ctx(t), r1.ID, t2[0].ID, true, t0)
	wantErr(t, err, momentum.ErrNotFound, "SetTaskComplete on another restaurant's task")
	again, err := s.PendingTasks(ctx(t), r2.ID, 10)
	mustNil(t, err, "PendingTasks")
	if len(again) != 4 {
		t.Errorf("another restaurant's task was changed: %d pending", len(again))
	}
}

// SetTaskCompleteAs hands allow what the policy reads of the account as it is stored (or ok false
// for none), writes nothing when allow refuses, sets the task in the restaurant allow names, and that
// restaurant's tasks only.
func testTaskAsAccount(t *testing.T, s momentum.Store) {
	u1, r1 := register(t, s, "as1@example.com", "As One", t0)
	_, r2 := register(t, s, "as2@example.com", "As Two", t0)
	t1, err := s.PendingTasks(ctx(t), r1.ID, 10)
	mustNil(t, err, "PendingTasks")
	t2, err := s.PendingTasks(ctx(t), r2.ID, 10)
	mustNil(t, err, "PendingTasks")
	own := func(a momentum.AccountRole, ok bool) (int64, error) {
		if want := (momentum.AccountRole{Role: momentum.RoleRestaurant, RestaurantID: r1.ID}); !ok || a != want {
			t.Errorf("allow got %+v, %v; want %+v", a, ok, want)
			return 0, errors.New("unexpected account")
		}
		return a.RestaurantID, nil
	}
	mustNil(t, s.SetTaskCompleteAs(ctx(t), u1.ID, t1[0].ID, true, t0.Add(time.Minute), own), "SetTaskCompleteAs")
	refused := errors.New("refused")
	err = s.SetTaskCompleteAs(ctx(t), u1.ID, t1[1].ID, true, t0, func(momentum.AccountRole, bool) (int64, error) {
		return 0, refused
	})
	if err != refused {
		t.Errorf("refused tick: error %v, want allow's own", err)
	}
	err = s.SetTaskCompleteAs(ctx(t), u1.ID, t2[0].ID, true, t0, own)
	wantErr(t, err, momentum.ErrNotFound, "SetTaskCompleteAs on another restaurant's task")
	var sawMissing bool
	err = s.SetTaskCompleteAs(ctx(t), u1.ID+1000, t1[2].ID, true, t0, func(_ momentum.AccountRole, ok bool) (int64, error) {
		sawMissing = !ok
		return 0, refused
	})
	if err != refused || !sawMissing {
		t.Errorf("unknown account: error %v, allow told ok=%v", err, !sawMissing)
	}
	// An admin has no restaurant of its own.
	_, err = s.EnsureAdmin(ctx(t), "as-admin@example.com", "h", t0)
	mustNil(t, err, "EnsureAdmin")
	admin, err := s.UserByEmail(ctx(t), "as-admin@example.com")
	mustNil(t, err, "UserByEmail")
	err = s.SetTaskCompleteAs(ctx(t), admin.ID, t1[2].ID, true, t0, func(a momentum.AccountRole, ok bool) (int64, error) {
		if want := (momentum.AccountRole{Role: momentum.RoleAdmin}); !ok || a != want {
			t.Errorf("admin: allow got %+v, %v; want %+v", a, ok, want)
		}
		return 0, refused
	})
	if err != refused {
		t.Errorf("admin tick: error %v", err)
	}
	p1, err := s.PendingTasks(ctx(t), r1.ID, 10)
	mustNil(t, err, "PendingTasks")
	if got, want := taskIDs(p1), taskIDs(t1[1:]); !reflect.DeepEqual(got, want) {
		t.Errorf("restaurant 1 pending = %v, want %v (only the allowed tick written)", got, want)
	}
	p2, err := s.PendingTasks(ctx(t), r2.ID, 10)
	mustNil(t, err, "PendingTasks")
	if len(p2) != len(t2) {
		t.Errorf("restaurant 2 pending = %d, want %d", len(p2), len(t2))
	}
}

// smallCatalogue is a catalogue of three categories, out of order in the slice on purpose.
func smallCatalogue() []momentum.SeedCategory {
	return []momentum.SeedCategory{
		{Name: "B. Ongoing things", Description: "Keep going", Icon: "⭐", Type: momentum.TypeOngoing, OrderInList: 3, Items: []momentum.SeedItem{
			{Title: "Weekly post", Description: "Post weekly", OrderInCategory: 1},
		}},
		{Name: "A1. Basics", Description: "Set up the basics", Icon: "🏢", Type: momentum.TypeFoundational, OrderInList: 1, Items: []momentum.SeedItem{
			{Title: "Second step", Description: "Do it second", OrderInCategory: 2, IsCritical: false},
			{Title: "First step", Description: "Do it first", GuidanceLink: strp("https://example.com/first"), OrderInCategory: 1, IsCritical: true},
			{Title: "Third step", Description: "", OrderInCategory: 3, IsCritical: true},
		}},
		{Name: "A2. More basics", Description: "More", Icon: "🌐", Type: momentum.TypeFoundational, OrderInList: 2, Items: []momentum.SeedItem{
			{Title: "Only step", Description: "Just one", OrderInCategory: 1},
		}},
	}
}

func itemTitles(items []momentum.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Title)
	}
	return out
}

func categoryNames(cats []momentum.Category) []string {
	var out []string
	for _, c := range cats {
		out = append(out, c.Name)
	}
	return out
}

func testCatalogueSeed(t *testing.T, s momentum.Store) {
	cat := momentum.Catalogue()
	res, err := s.SeedCatalogue(ctx(t), cat, t0)
	mustNil(t, err, "SeedCatalogue")
	wantItems := 0
	for _, c := range cat {
		wantItems += len(c.Items)
	}
	if res != (momentum.SeedResult{CategoriesCreated: len(cat), ItemsCreated: wantItems}) {
		t.Errorf("first seed result = %+v, want %d categories and %d items created", res, len(cat), wantItems)
	}
	empty, err := s.CatalogueEmpty(ctx(t))
	mustNil(t, err, "CatalogueEmpty")
	if empty {
		t.Error("CatalogueEmpty = true after seeding")
	}

	cats, err := s.Categories(ctx(t), "")
	mustNil(t, err, "Categories")
	if len(cats) != 12 {
		t.Fatalf("Categories = %d, want 12", len(cats))
	}
	for i, c := range cats {
		if c.OrderInList != int64(i+1) || c.Name != cat[i].Name || c.Type != cat[i].Type {
			t.Errorf("category %d = %+v, want %q order %d", i, c, cat[i].Name, i+1)
		}
		sameStrPtr(t, c.Description, strp(cat[i].Description), "category description")
		sameStrPtr(t, c.Icon, strp(cat[i].Icon), "category icon")
		sameTime(t, c.CreatedAt, sec(t0), "category CreatedAt")
	}
	for typ, want := range map[string]int{momentum.TypeFoundational: 7, momentum.TypeOngoing: 5, "bogus": 0} {
		got, err := s.Categories(ctx(t), typ)
		mustNil(t, err, "Categories "+typ)
		if len(got) != want {
			t.Errorf("Categories(%q) = %d, want %d", typ, len(got), want)
		}
		for _, c := range got {
			if c.Type != typ {
				t.Errorf("Categories(%q) returned type %q", typ, c.Type)
			}
		}
	}

	items, err := s.Items(ctx(t), "")
	mustNil(t, err, "Items")
	if len(items) != 61 {
		t.Fatalf("Items = %d, want 61", len(items))
	}
	k := 0
	for ci, c := range cat {
		for ii, si := range c.Items {
			it := items[k]
			k++
			if it.CategoryID != cats[ci].ID || it.Title != si.Title || it.OrderInCategory != int64(ii+1) || it.IsCritical != si.IsCritical {
				t.Errorf("item %d = %+v, want %q of category %d", k, it, si.Title, cats[ci].ID)
			}
			sameStrPtr(t, it.GuidanceLink, si.GuidanceLink, "guidance link of "+si.Title)
			sameStrPtr(t, it.Description, strp(si.Description), "description of "+si.Title)
			if it.ParentItemID != nil {
				t.Errorf("item %q ParentItemID = %d, want nil", si.Title, *it.ParentItemID)
			}
		}
	}
	for typ, want := range map[string][2]int{momentum.TypeFoundational: {41, 26}, momentum.TypeOngoing: {20, 6}, "bogus": {0, 0}} {
		got, err := s.Items(ctx(t), typ)
		mustNil(t, err, "Items "+typ)
		critical := 0
		for _, it := range got {
			if it.IsCritical {
				critical++
			}
		}
		if len(got) != want[0] || critical != want[1] {
			t.Errorf("Items(%q) = %d (%d critical), want %d (%d critical)", typ, len(got), critical, want[0], want[1])
		}
	}

	first, err := s.ItemsByCategory(ctx(t), cats[0].ID)
	mustNil(t, err, "ItemsByCategory")
	if len(first) != 11 || first[0].Title != "Claim & Verify Listing" {
		t.Errorf("ItemsByCategory(first) = %d items starting %v", len(first), itemTitles(first[:min(1, len(first))]))
	}
	gotCat, err := s.CategoryByID(ctx(t), cats[3].ID)
	mustNil(t, err, "CategoryByID")
	if !reflect.DeepEqual(gotCat, cats[3]) {
		t.Errorf("CategoryByID = %+v, want %+v", gotCat, cats[3])
	}
	gotItem, err := s.ItemByID(ctx(t), items[5].ID)
	mustNil(t, err, "ItemByID")
	if !reflect.DeepEqual(gotItem, items[5]) {
		t.Errorf("ItemByID = %+v, want %+v", gotItem, items[5])
	}

	// Seeding the same catalogue again changes nothing.
	res, err = s.SeedCatalogue(ctx(t), cat, t0.Add(time.Hour))
	mustNil(t, err, "SeedCatalogue again")
	if res != (momentum.SeedResult{}) {
		t.Errorf("identical reseed result = %+v, want all zero", res)
	}
	again, err := s.Items(ctx(t), "")
	mustNil(t, err, "Items")
	if !reflect.DeepEqual(again, items) {
		t.Error("identical reseed changed the items")
	}
}

func testCatalogueReseed(t *testing.T, s momentum.Store) {
	cat := smallCatalogue()
	_, err := s.SeedCatalogue(ctx(t), cat, t0)
	mustNil(t, err, "SeedCatalogue")
	cats, err := s.Categories(ctx(t), "")
	mustNil(t, err, "Categories")
	items, err := s.Items(ctx(t), "")
	mustNil(t, err, "Items")
	byTitle := map[string]momentum.Item{}
	for _, it := range items {
		byTitle[it.Title] = it
	}

	_, r := register(t, s, "progress@example.com", "Progress", t0)
	done, err := s.UpsertStatus(ctx(t), r.ID, byTitle["First step"].ID, momentum.StatusCompleted, strp("done!"), t0)
	mustNil(t, err, "UpsertStatus")

	// Change one category, one item, add one item and one category, drop one item from the seed.
	cat[1].Description = "Set up the basics, revised"
	cat[1].Items[1].IsCritical = false // "First step"
	cat[1].Items[1].GuidanceLink = strp("https://example.com/v2")
	cat[1].Items = append(cat[1].Items[:2], momentum.SeedItem{Title: "Fourth step", Description: "New", OrderInCategory: 4})
	cat = append(cat, momentum.SeedCategory{Name: "B2. Extra", Description: "Extra", Icon: "🔧", Type: momentum.TypeOngoing, OrderInList: 4,
		Items: []momentum.SeedItem{{Title: "Extra item", Description: "x", OrderInCategory: 1}}})
	later := t0.Add(24 * time.Hour)
	res, err := s.SeedCatalogue(ctx(t), cat, later)
	mustNil(t, err, "SeedCatalogue again")
	want := momentum.SeedResult{CategoriesCreated: 1, CategoriesUpdated: 1, ItemsCreated: 2, ItemsUpdated: 1}
	if res != want {
		t.Errorf("reseed result = %+v, want %+v", res, want)
	}

	cats2, err := s.Categories(ctx(t), "")
	mustNil(t, err, "Categories")
	if len(cats2) != 4 {
		t.Fatalf("Categories after reseed = %v", categoryNames(cats2))
	}
	for i := range cats {
		if cats2[i].ID != cats[i].ID || cats2[i].Name != cats[i].Name {
			t.Errorf("category %d id/name changed: %d %q -> %d %q", i, cats[i].ID, cats[i].Name, cats2[i].ID, cats2[i].Name)
		}
		sameTime(t, cats2[i].CreatedAt, sec(t0), "kept category CreatedAt")
	}
	sameStrPtr(t, cats2[0].Description, strp("Set up the basics, revised"), "updated description")
	if cats2[3].Name != "B2. Extra" || cats2[3].ID <= cats[2].ID {
		t.Errorf("new category = %+v", cats2[3])
	}
	sameTime(t, cats2[3].CreatedAt, sec(later), "new category CreatedAt")

	first, err := s.ItemByID(ctx(t), byTitle["First step"].ID)
	mustNil(t, err, "ItemByID kept item")
	if first.IsCritical || first.Title != "First step" || first.CategoryID != cats[0].ID {
		t.Errorf("updated item = %+v", first)
	}
	sameStrPtr(t, first.GuidanceLink, strp("https://example.com/v2"), "updated guidance link")
	sameTime(t, first.CreatedAt, sec(t0), "kept item CreatedAt")

	// Items no longer in the seed are kept: deleting them would orphan progress.
	if _, err := s.ItemByID(ctx(t), byTitle["Third step"].ID); err != nil {
		t.Errorf("item dropped from the seed was deleted: %v", err)
	}
	basics, err := s.ItemsByCategory(ctx(t), cats[0].ID)
	mustNil(t, err, "ItemsByCategory")
	if got, want := itemTitles(basics), []string{"First step", "Second step", "Third step", "Fourth step"}; !reflect.DeepEqual(got, want) {
		t.Errorf("items after reseed = %v, want %v", got, want)
	}

	sts, err := s.Statuses(ctx(t), r.ID)
	mustNil(t, err, "Statuses")
	if len(sts) != 1 || sts[0].ID != done.ID || sts[0].Status != momentum.StatusCompleted || sts[0].ItemID != byTitle["First step"].ID {
		t.Fatalf("progress after reseed = %+v, want status %d kept", sts, done.ID)
	}
	sameStrPtr(t, sts[0].Notes, strp("done!"), "notes after reseed")
}

// testConcurrentSeedCatalogue: three first starts at once seed one catalogue, all without error.
func testConcurrentSeedCatalogue(t *testing.T, s momentum.Store) {
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.SeedCatalogue(ctx(t), smallCatalogue(), t0)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		mustNil(t, err, fmt.Sprintf("SeedCatalogue %d", i))
	}
	cats, err := s.Categories(ctx(t), "")
	mustNil(t, err, "Categories")
	items, err := s.Items(ctx(t), "")
	mustNil(t, err, "Items")
	if len(cats) != 3 || len(items) != 5 {
		t.Fatalf("three concurrent seeds of a 3-category, 5-item catalogue made %d categories and %d items", len(cats), len(items))
	}
}

func testCatalogueOrdering(t *testing.T, s momentum.Store) {
	_, err := s.SeedCatalogue(ctx(t), smallCatalogue(), t0)
	mustNil(t, err, "SeedCatalogue")
	cats, err := s.Categories(ctx(t), "")
	mustNil(t, err, "Categories")
	if got, want := categoryNames(cats), []string{"A1. Basics", "A2. More basics", "B. Ongoing things"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Categories order = %v, want %v", got, want)
	}
	items, err := s.Items(ctx(t), "")
	mustNil(t, err, "Items")
	if got, want := itemTitles(items), []string{"First step", "Second step", "Third step", "Only step", "Weekly post"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Items order = %v, want %v", got, want)
	}
	found, err := s.Items(ctx(t), momentum.TypeFoundational)
	mustNil(t, err, "Items foundational")
	if got, want := itemTitles(found), []string{"First step", "Second step", "Third step", "Only step"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Items(foundational) = %v, want %v", got, want)
	}
	byCat, err := s.ItemsByCategory(ctx(t), cats[0].ID)
	mustNil(t, err, "ItemsByCategory")
	if got, want := itemTitles(byCat), []string{"First step", "Second step", "Third step"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ItemsByCategory = %v, want %v", got, want)
	}
	// An empty seed description is stored and returned as an empty string.
	third := byCat[2]
	sameStrPtr(t, third.Description, strp(""), "empty description")
	if third.GuidanceLink != nil {
		t.Errorf("GuidanceLink = %q, want nil", *third.GuidanceLink)
	}
	if !byCat[0].IsCritical || byCat[1].IsCritical {
		t.Errorf("IsCritical = %v, %v; want true, false", byCat[0].IsCritical, byCat[1].IsCritical)
	}
}

func testUpsertStatus(t *testing.T, s momentum.Store) {
	_, err := s.SeedCatalogue(ctx(t), smallCatalogue(), t0)
	mustNil(t, err, "SeedCatalogue")
	items, err := s.Items(ctx(t), "")
	mustNil(t, err, "Items")
	_, r := register(t, s, "status@example.com", "Status", t0)

	st, err := s.UpsertStatus(ctx(t), r.ID, items[0].ID, momentum.StatusInProgress, nil, t0)
	mustNil(t, err, "UpsertStatus insert")
	if st.ID <= 0 || st.RestaurantID != r.ID || st.ItemID != items[0].ID || st.Status != momentum.StatusInProgress || st.Notes != nil {
		t.Errorf("inserted status = %+v", st)
	}
	sameTime(t, st.LastUpdatedAt, sec(t0), "LastUpdatedAt")

	later := t0.Add(time.Hour)
	st2, err := s.UpsertStatus(ctx(t), r.ID, items[0].ID, momentum.StatusCompleted, strp("all done"), later)
	mustNil(t, err, "UpsertStatus update")
	if st2.ID != st.ID {
		t.Errorf("upsert changed the status id: %d -> %d (legacy INSERT OR REPLACE bug)", st.ID, st2.ID)
	}
	if st2.Status != momentum.StatusCompleted {
		t.Errorf("status = %q, want completed", st2.Status)
	}
	sameStrPtr(t, st2.Notes, strp("all done"), "Notes")
	sameTime(t, st2.LastUpdatedAt, sec(later), "LastUpdatedAt after update")

	// Notes can be cleared again.
	st3, err := s.UpsertStatus(ctx(t), r.ID, items[0].ID, momentum.StatusNotApplicable, nil, later)
	mustNil(t, err, "UpsertStatus clear notes")
	if st3.ID != st.ID || st3.Notes != nil || st3.Status != momentum.StatusNotApplicable {
		t.Errorf("after clearing notes = %+v", st3)
	}

	other, err := s.UpsertStatus(ctx(t), r.ID, items[1].ID, momentum.StatusPending, nil, later)
	mustNil(t, err, "UpsertStatus second item")
	if other.ID == st.ID {
		t.Error("two items share one status id")
	}

	sts, err := s.Statuses(ctx(t), r.ID)
	mustNil(t, err, "Statuses")
	if len(sts) != 2 {
		t.Fatalf("Statuses = %d rows, want 2", len(sts))
	}
	want := []momentum.ItemStatus{st3, other}
	if want[0].ItemID > want[1].ItemID { // listed by item id
		want[0], want[1] = want[1], want[0]
	}
	if !reflect.DeepEqual(sts[0].ItemStatus, want[0]) || !reflect.DeepEqual(sts[1].ItemStatus, want[1]) {
		t.Errorf("Statuses = %+v / %+v, want %+v / %+v", sts[0].ItemStatus, sts[1].ItemStatus, want[0], want[1])
	}
	// ItemStatuses is the same rows without the join.
	plain, err := s.ItemStatuses(ctx(t), r.ID)
	mustNil(t, err, "ItemStatuses")
	if !reflect.DeepEqual(plain, want) {
		t.Errorf("ItemStatuses = %+v, want %+v", plain, want)
	}
}

func testStatusesJoin(t *testing.T, s momentum.Store) {
	_, err := s.SeedCatalogue(ctx(t), smallCatalogue(), t0)
	mustNil(t, err, "SeedCatalogue")
	items, err := s.Items(ctx(t), "")
	mustNil(t, err, "Items")
	cats, err := s.Categories(ctx(t), "")
	mustNil(t, err, "Categories")
	catByID := map[int64]momentum.Category{}
	for _, c := range cats {
		catByID[c.ID] = c
	}
	_, r1 := register(t, s, "r1@example.com", "R1", t0)
	_, r2 := register(t, s, "r2@example.com", "R2", t0)

	// Written in descending item order; listed in ascending item id order.
	for i := len(items) - 1; i >= 0; i-- {
		_, err := s.UpsertStatus(ctx(t), r1.ID, items[i].ID, momentum.StatusCompleted, nil, t0)
		mustNil(t, err, "UpsertStatus")
	}
	_, err = s.UpsertStatus(ctx(t), r2.ID, items[0].ID, momentum.StatusPending, nil, t0)
	mustNil(t, err, "UpsertStatus r2")
	// A status for an item that does not exist (the legacy API accepts any id) is not listed: the
	// listing is a join with the catalogue.
	maxID := int64(0)
	for _, it := range items {
		maxID = max(maxID, it.ID)
	}
	_, err = s.UpsertStatus(ctx(t), r1.ID, maxID+1000, momentum.StatusCompleted, nil, t0)
	mustNil(t, err, "UpsertStatus unknown item")

	sts, err := s.Statuses(ctx(t), r1.ID)
	mustNil(t, err, "Statuses")
	if len(sts) != len(items) {
		t.Fatalf("Statuses = %d rows, want %d", len(sts), len(items))
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	itemByID := map[int64]momentum.Item{}
	for _, it := range items {
		itemByID[it.ID] = it
	}
	for i, st := range sts {
		if st.ItemID != ids[i] {
			t.Errorf("Statuses[%d].ItemID = %d, want %d (item id order)", i, st.ItemID, ids[i])
			continue
		}
		it := itemByID[st.ItemID]
		c := catByID[it.CategoryID]
		if st.RestaurantID != r1.ID || st.Title != it.Title || st.CategoryID != c.ID || st.CategoryName != c.Name || st.CategoryType != c.Type {
			t.Errorf("Statuses[%d] = %+v, want item %q of category %q (%s)", i, st, it.Title, c.Name, c.Type)
		}
	}
	sts2, err := s.Statuses(ctx(t), r2.ID)
	mustNil(t, err, "Statuses r2")
	if len(sts2) != 1 || sts2[0].Status != momentum.StatusPending {
		t.Errorf("Statuses r2 = %+v", sts2)
	}
}

func jsonEqual(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return a == b
	}
	return reflect.DeepEqual(x, y)
}

func newCampaign(restaurantID int64, typ, status, name, ext string, at time.Time) momentum.Campaign {
	return momentum.Campaign{
		RestaurantID: restaurantID, Type: typ, Status: status, Name: name,
		Details:    `{"itemToPromote":"Margherita","offer":"2 for 1","reach":1500,"tags":["a","b"],"nested":{"ok":true}}`,
		ExternalID: ext, CreatedAt: at, UpdatedAt: at,
	}
}

func testCampaigns(t *testing.T, s momentum.Store) {
	_, r := register(t, s, "camp@example.com", "Camp", t0)
	_, r2 := register(t, s, "camp2@example.com", "Camp 2", t0)
	c := newCampaign(r.ID, momentum.CampaignAd, momentum.CampaignActive, "Margherita promo", "camp_1732190000000_abc123", t0)
	c.Budget = func(v float64) *float64 { return &v }(10.5)
	got, err := s.CreateCampaign(ctx(t), c)
	mustNil(t, err, "CreateCampaign")
	if got.ID <= 0 {
		t.Fatalf("campaign id = %d", got.ID)
	}
	if got.RestaurantID != r.ID || got.Type != c.Type || got.Status != c.Status || got.Name != c.Name || got.ExternalID != c.ExternalID {
		t.Errorf("created = %+v", got)
	}
	if got.Budget == nil || *got.Budget != 10.5 {
		t.Errorf("Budget = %s, want 10.5", fmtPtr(got.Budget))
	}
	if !jsonEqual(got.Details, c.Details) {
		t.Errorf("Details = %s, want %s", got.Details, c.Details)
	}
	sameTime(t, got.CreatedAt, sec(t0), "CreatedAt")
	sameTime(t, got.UpdatedAt, sec(t0), "UpdatedAt")

	byExt, err := s.CampaignByExternalID(ctx(t), r.ID, c.ExternalID)
	mustNil(t, err, "CampaignByExternalID")
	if byExt.ID != got.ID || !jsonEqual(byExt.Details, c.Details) || byExt.Budget == nil || *byExt.Budget != 10.5 {
		t.Errorf("CampaignByExternalID = %+v", byExt)
	}
	sameTime(t, byExt.CreatedAt, sec(t0), "CreatedAt by external id")
	// Another restaurant cannot see it.
	_, err = s.CampaignByExternalID(ctx(t), r2.ID, c.ExternalID)
	wantErr(t, err, momentum.ErrNotFound, "CampaignByExternalID of another restaurant")

	// A whole-number budget, no budget, and an SMS campaign without details.
	whole := newCampaign(r.ID, momentum.CampaignAd, momentum.CampaignDraft, "Whole", "camp_2", t0.Add(time.Second))
	whole.Budget = func(v float64) *float64 { return &v }(20)
	_, err = s.CreateCampaign(ctx(t), whole)
	mustNil(t, err, "CreateCampaign whole budget")
	sms := newCampaign(r.ID, momentum.CampaignSMS, momentum.CampaignCompleted, "SMS", "sms_3", t0.Add(2*time.Second))
	sms.Details = `{}`
	_, err = s.CreateCampaign(ctx(t), sms)
	mustNil(t, err, "CreateCampaign sms")

	list, err := s.Campaigns(ctx(t), r.ID, "", 0)
	mustNil(t, err, "Campaigns")
	if len(list) != 3 {
		t.Fatalf("Campaigns = %d, want 3", len(list))
	}
	if list[0].Name != "SMS" || list[0].Budget != nil || !jsonEqual(list[0].Details, `{}`) || list[0].Type != momentum.CampaignSMS {
		t.Errorf("sms campaign = %+v", list[0])
	}
	if list[1].Budget == nil || *list[1].Budget != 20 {
		t.Errorf("whole budget = %s, want 20", fmtPtr(list[1].Budget))
	}
	for _, st := range []struct {
		status string
		want   []string
	}{
		{momentum.CampaignActive, []string{"Margherita promo"}},
		{momentum.CampaignDraft, []string{"Whole"}},
		{momentum.CampaignPaused, nil},
	} {
		l, err := s.Campaigns(ctx(t), r.ID, st.status, 0)
		mustNil(t, err, "Campaigns "+st.status)
		var names []string
		for _, x := range l {
			names = append(names, x.Name)
		}
		if !reflect.DeepEqual(names, st.want) {
			t.Errorf("Campaigns(%s) = %v, want %v", st.status, names, st.want)
		}
	}
	l2, err := s.Campaigns(ctx(t), r2.ID, "", 0)
	mustNil(t, err, "Campaigns r2")
	if len(l2) != 0 {
		t.Errorf("restaurant 2 sees %d campaigns", len(l2))
	}
}

func testCampaignOrderAndLimit(t *testing.T, s momentum.Store) {
	_, r := register(t, s, "order@example.com", "Order", t0)
	var ids []int64
	// Five campaigns: two share created_at (higher id first), one is older but created last.
	times := []time.Duration{0, time.Hour, time.Hour, 2 * time.Hour, -time.Hour}
	for i, d := range times {
		c, err := s.CreateCampaign(ctx(t), newCampaign(r.ID, momentum.CampaignAd, momentum.CampaignActive, fmt.Sprintf("c%d", i), fmt.Sprintf("camp_%d", i), t0.Add(d)))
		mustNil(t, err, "CreateCampaign")
		if len(ids) > 0 && c.ID <= ids[len(ids)-1] {
			t.Errorf("campaign ids not increasing: %d after %d", c.ID, ids[len(ids)-1])
		}
		ids = append(ids, c.ID)
	}
	want := []int64{ids[3], ids[2], ids[1], ids[0], ids[4]}
	list, err := s.Campaigns(ctx(t), r.ID, "", 0)
	mustNil(t, err, "Campaigns")
	var got []int64
	for _, c := range list {
		got = append(got, c.ID)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Campaigns order = %v, want %v", got, want)
	}
	list, err = s.Campaigns(ctx(t), r.ID, momentum.CampaignActive, 3)
	mustNil(t, err, "Campaigns limit 3")
	got = nil
	for _, c := range list {
		got = append(got, c.ID)
	}
	if !reflect.DeepEqual(got, want[:3]) {
		t.Errorf("Campaigns(active, 3) = %v, want %v", got, want[:3])
	}
}

func testCountCampaignsSince(t *testing.T, s momentum.Store) {
	_, r1 := register(t, s, "count1@example.com", "Count 1", t0)
	_, r2 := register(t, s, "count2@example.com", "Count 2", t0)
	since := time.Date(2026, 11, 14, 12, 0, 0, 0, time.UTC)
	mk := func(rid int64, at time.Time, n int) {
		_, err := s.CreateCampaign(ctx(t), newCampaign(rid, momentum.CampaignSMS, momentum.CampaignCompleted, fmt.Sprintf("n%d", n), fmt.Sprintf("sms_%d", n), at))
		mustNil(t, err, "CreateCampaign")
	}
	mk(r1.ID, since.Add(-time.Second), 1)                          // just before: not counted
	mk(r1.ID, since, 2)                                            // exactly at: counted
	mk(r1.ID, since.Add(time.Minute), 3)                           // same date, later time: counted (legacy bug 7.5 missed it)
	mk(r1.ID, since.Add(6*24*time.Hour), 4)                        // counted
	mk(r2.ID, since.Add(time.Hour), 5)                             // other restaurant
	mk(r2.ID, since.Add(-8*24*time.Hour), 6)                       // other restaurant, old
	inCET := since.In(time.FixedZone("CET", 3600)).Add(-time.Hour) // 11:00 UTC, in another zone
	mk(r2.ID, inCET, 7)

	for _, tc := range []struct {
		rid  int64
		want int64
	}{{r1.ID, 3}, {r2.ID, 1}, {0, 4}, {r2.ID + 1000, 0}} {
		n, err := s.CountCampaignsSince(ctx(t), tc.rid, since)
		mustNil(t, err, "CountCampaignsSince")
		if n != tc.want {
			t.Errorf("CountCampaignsSince(%d) = %d, want %d", tc.rid, n, tc.want)
		}
	}
	// since in another zone means the same instant.
	n, err := s.CountCampaignsSince(ctx(t), 0, since.In(time.FixedZone("EST", -5*3600)))
	mustNil(t, err, "CountCampaignsSince zone")
	if n != 4 {
		t.Errorf("CountCampaignsSince with a zoned since = %d, want 4", n)
	}
}

func testSessions(t *testing.T, s momentum.Store) {
	u, r := register(t, s, "sess@example.com", "Sess", t0)
	exp := t0.Add(time.Hour)
	sess := momentum.Session{ID: "5f0c1e8e-4a1b-4c8a-9b7a-0d1e2f3a4b5c", UserID: u.ID, ImpersonatingRestaurantID: i64p(r.ID), CreatedAt: t0, ExpiresAt: exp}
	mustNil(t, s.CreateSession(ctx(t), sess), "CreateSession")
	plain := momentum.Session{ID: "plain-session", UserID: u.ID, CreatedAt: t0, ExpiresAt: exp}
	mustNil(t, s.CreateSession(ctx(t), plain), "CreateSession plain")

	got, err := s.SessionByID(ctx(t), sess.ID, t0.Add(59*time.Minute))
	mustNil(t, err, "SessionByID")
	if got.ID != sess.ID || got.UserID != u.ID || got.ImpersonatingRestaurantID == nil || *got.ImpersonatingRestaurantID != r.ID {
		t.Errorf("session = %+v", got)
	}
	sameTime(t, got.CreatedAt, sec(t0), "session CreatedAt")
	sameTime(t, got.ExpiresAt, sec(exp), "session ExpiresAt")
	gotPlain, err := s.SessionByID(ctx(t), plain.ID, t0)
	mustNil(t, err, "SessionByID plain")
	if gotPlain.ImpersonatingRestaurantID != nil {
		t.Errorf("plain session impersonates %d", *gotPlain.ImpersonatingRestaurantID)
	}

	// Expiry is exclusive: at expires_at the session is gone, whether or not it was cleaned up.
	_, err = s.SessionByID(ctx(t), sess.ID, sec(exp))
	wantErr(t, err, momentum.ErrNotFound, "SessionByID at expiry")
	_, err = s.SessionByID(ctx(t), sess.ID, exp.Add(24*time.Hour))
	wantErr(t, err, momentum.ErrNotFound, "SessionByID after expiry")
	// Ids are exact, not case-folded.
	_, err = s.SessionByID(ctx(t), strings.ToUpper(sess.ID), t0)
	wantErr(t, err, momentum.ErrNotFound, "SessionByID other case")

	mustNil(t, s.DeleteSession(ctx(t), sess.ID), "DeleteSession")
	_, err = s.SessionByID(ctx(t), sess.ID, t0)
	wantErr(t, err, momentum.ErrNotFound, "SessionByID after delete")
	// Deleting is idempotent: ending an already-ended impersonation is not an error.
	mustNil(t, s.DeleteSession(ctx(t), sess.ID), "DeleteSession twice")
	if _, err := s.SessionByID(ctx(t), plain.ID, t0); err != nil {
		t.Errorf("deleting one session removed another: %v", err)
	}
}

func testSessionConflict(t *testing.T, s momentum.Store) {
	u, _ := register(t, s, "sc@example.com", "SC", t0)
	sess := momentum.Session{ID: "same-id", UserID: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	mustNil(t, s.CreateSession(ctx(t), sess), "CreateSession")
	sess.ExpiresAt = t0.Add(48 * time.Hour)
	wantErr(t, s.CreateSession(ctx(t), sess), momentum.ErrConflict, "CreateSession duplicate id")
	got, err := s.SessionByID(ctx(t), sess.ID, t0)
	mustNil(t, err, "SessionByID")
	sameTime(t, got.ExpiresAt, sec(t0.Add(time.Hour)), "ExpiresAt after refused duplicate")
}

func testDeleteExpiredSessions(t *testing.T, s momentum.Store) {
	u, _ := register(t, s, "exp@example.com", "Exp", t0)
	for i, d := range []time.Duration{-time.Hour, 0, time.Second, time.Hour} {
		mustNil(t, s.CreateSession(ctx(t), momentum.Session{ID: fmt.Sprintf("s%d", i), UserID: u.ID, CreatedAt: t0.Add(-2 * time.Hour), ExpiresAt: t0.Add(d)}), "CreateSession")
	}
	n, err := s.DeleteExpiredSessions(ctx(t), t0)
	mustNil(t, err, "DeleteExpiredSessions")
	if n != 2 {
		t.Errorf("DeleteExpiredSessions = %d, want 2 (expired before and at now)", n)
	}
	for i, alive := range []bool{false, false, true, true} {
		_, err := s.SessionByID(ctx(t), fmt.Sprintf("s%d", i), t0.Add(-3*time.Hour))
		if alive && err != nil {
			t.Errorf("session s%d was deleted: %v", i, err)
		}
		if !alive && !errors.Is(err, momentum.ErrNotFound) {
			t.Errorf("session s%d still there: %v", i, err)
		}
	}
	n, err = s.DeleteExpiredSessions(ctx(t), t0)
	mustNil(t, err, "DeleteExpiredSessions again")
	if n != 0 {
		t.Errorf("second DeleteExpiredSessions = %d, want 0", n)
	}
}

func testImpersonationLog(t *testing.T, s momentum.Store) {
	got, err := s.ImpersonationLog(ctx(t), 10)
	mustNil(t, err, "ImpersonationLog empty")
	if len(got) != 0 {
		t.Fatalf("ImpersonationLog on a new store = %d events", len(got))
	}
	events := []momentum.ImpersonationEvent{
		{AdminUserID: 1, AdminEmail: "admin@momentum.com", RestaurantID: 7, SessionID: "sess-a", Action: "start", At: t0},
		{AdminUserID: 1, AdminEmail: "admin@momentum.com", RestaurantID: 7, SessionID: "sess-a", Action: "end", At: t0.Add(time.Minute)},
		{AdminUserID: 3, AdminEmail: "other@momentum.com", RestaurantID: 9, SessionID: "sess-b", Action: "start", At: t0.Add(time.Minute)},
		{AdminUserID: 3, AdminEmail: "other@momentum.com", RestaurantID: 9, SessionID: "sess-b", Action: "end", At: t0.Add(-time.Hour)},
	}
	for _, e := range events {
		mustNil(t, s.LogImpersonation(ctx(t), e), "LogImpersonation")
	}
	// Newest first; equal times: the later logged first.
	got, err = s.ImpersonationLog(ctx(t), 0)
	mustNil(t, err, "ImpersonationLog all")
	if len(got) != 4 {
		t.Fatalf("ImpersonationLog(0) = %d events, want all 4", len(got))
	}
	wantOrder := []int{2, 1, 0, 3}
	for i, w := range wantOrder {
		e, want := got[i], events[w]
		if e.ID <= 0 || e.AdminUserID != want.AdminUserID || e.AdminEmail != want.AdminEmail || e.RestaurantID != want.RestaurantID || e.SessionID != want.SessionID || e.Action != want.Action {
			t.Errorf("event %d = %+v, want %+v", i, e, want)
		}
		sameTime(t, e.At, sec(want.At), "event At")
	}
	if got[0].ID <= got[1].ID {
		t.Errorf("tie on At not broken by higher id first: %d then %d", got[0].ID, got[1].ID)
	}
	two, err := s.ImpersonationLog(ctx(t), 2)
	mustNil(t, err, "ImpersonationLog 2")
	if len(two) != 2 || two[0].ID != got[0].ID || two[1].ID != got[1].ID {
		t.Errorf("ImpersonationLog(2) = %+v, want the two newest", two)
	}
}

// concurrently runs fn(i) for i in [0,n) at once and returns the errors by i.
func concurrently(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

func testConcurrentRegisterSameEmail(t *testing.T, s momentum.Store) {
	const n = 8
	variants := []string{"race@example.com", "RACE@example.com", " race@example.com", "Race@Example.com"}
	errs := concurrently(n, func(i int) error {
		_, _, err := s.CreateAccount(ctx(t), momentum.NewAccount{
			Email: variants[i%len(variants)], PasswordHash: "h", RestaurantName: fmt.Sprintf("Racer %d", i), Now: t0,
		})
		return err
	})
	wins := 0
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, momentum.ErrConflict):
		default:
			t.Errorf("goroutine %d: error = %v, want nil or ErrConflict", i, err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d registrations of one email succeeded, want exactly 1", wins)
	}
	n1, err := s.CountRestaurants(ctx(t))
	mustNil(t, err, "CountRestaurants")
	if n1 != 1 {
		t.Errorf("CountRestaurants = %d, want 1", n1)
	}
	u, err := s.UserByEmail(ctx(t), "race@example.com")
	mustNil(t, err, "UserByEmail")
	r, err := s.RestaurantByUser(ctx(t), u.ID)
	mustNil(t, err, "RestaurantByUser")
	tasks, err := s.PendingTasks(ctx(t), r.ID, 100)
	mustNil(t, err, "PendingTasks")
	if len(tasks) != 4 {
		t.Errorf("winner has %d tasks, want 4", len(tasks))
	}
	pending, err := s.CountRestaurantsWithPendingTasks(ctx(t))
	mustNil(t, err, "CountRestaurantsWithPendingTasks")
	if pending != 1 {
		t.Errorf("losers left tasks behind: %d restaurants with pending tasks", pending)
	}
}

func testConcurrentRegisterDistinct(t *testing.T, s momentum.Store) {
	const n = 8
	users := make([]momentum.User, n)
	rests := make([]momentum.Restaurant, n)
	errs := concurrently(n, func(i int) error {
		var err error
		users[i], rests[i], err = s.CreateAccount(ctx(t), momentum.NewAccount{
			Email: fmt.Sprintf("user%d@example.com", i), PasswordHash: "h", RestaurantName: fmt.Sprintf("Place %d", i), Now: t0,
		})
		return err
	})
	for i, err := range errs {
		mustNil(t, err, fmt.Sprintf("CreateAccount %d", i))
	}
	seenU, seenR := map[int64]bool{}, map[int64]bool{}
	for i := range n {
		if seenU[users[i].ID] || seenR[rests[i].ID] {
			t.Errorf("duplicate id handed out: user %d restaurant %d", users[i].ID, rests[i].ID)
		}
		seenU[users[i].ID], seenR[rests[i].ID] = true, true
		got, err := s.RestaurantByUser(ctx(t), users[i].ID)
		mustNil(t, err, "RestaurantByUser")
		if got.ID != rests[i].ID {
			t.Errorf("user %d owns restaurant %d, want %d", users[i].ID, got.ID, rests[i].ID)
		}
	}
	list, err := s.SearchRestaurants(ctx(t), "")
	mustNil(t, err, "SearchRestaurants")
	if len(list) != n {
		t.Errorf("SearchRestaurants = %d rows, want %d", len(list), n)
	}
	for i := 1; i < len(list); i++ {
		if list[i].ID >= list[i-1].ID {
			t.Errorf("equal created_at not ordered by id descending: %v", restaurantIDs(list))
			break
		}
	}
}

func testConcurrentUpsertStatus(t *testing.T, s momentum.Store) {
	_, err := s.SeedCatalogue(ctx(t), smallCatalogue(), t0)
	mustNil(t, err, "SeedCatalogue")
	items, err := s.Items(ctx(t), "")
	mustNil(t, err, "Items")
	_, r := register(t, s, "up@example.com", "Up", t0)
	const n = 8
	statuses := []string{momentum.StatusPending, momentum.StatusInProgress, momentum.StatusCompleted, momentum.StatusNotApplicable}
	ids := make([]int64, n)
	errs := concurrently(n, func(i int) error {
		st, err := s.UpsertStatus(ctx(t), r.ID, items[0].ID, statuses[i%len(statuses)], nil, t0.Add(time.Duration(i)*time.Second))
		ids[i] = st.ID
		return err
	})
	for i, err := range errs {
		mustNil(t, err, fmt.Sprintf("UpsertStatus %d", i))
	}
	for i := range ids {
		if ids[i] != ids[0] {
			t.Errorf("concurrent upserts returned different ids: %v", ids)
			break
		}
	}
	sts, err := s.Statuses(ctx(t), r.ID)
	mustNil(t, err, "Statuses")
	if len(sts) != 1 || sts[0].ID != ids[0] {
		t.Errorf("Statuses after concurrent upserts = %+v, want exactly one row with id %d", sts, ids[0])
	}
}

func testConcurrentEnsureAdmin(t *testing.T, s momentum.Store) {
	const n = 8
	created := make([]bool, n)
	errs := concurrently(n, func(i int) error {
		var err error
		created[i], err = s.EnsureAdmin(ctx(t), fmt.Sprintf("admin%d@momentum.com", i), "h", t0)
		return err
	})
	wins := 0
	for i, err := range errs {
		mustNil(t, err, fmt.Sprintf("EnsureAdmin %d", i))
		if created[i] {
			wins++
		}
	}
	if wins != 1 {
		t.Fatalf("EnsureAdmin created %d admins, want exactly 1", wins)
	}
	found := 0
	for i := range n {
		if u, err := s.UserByEmail(ctx(t), fmt.Sprintf("admin%d@momentum.com", i)); err == nil {
			found++
			if u.Role != momentum.RoleAdmin || !created[i] {
				t.Errorf("admin %d = %+v (created %v)", i, u, created[i])
			}
		}
	}
	if found != 1 {
		t.Errorf("%d admin users exist, want 1", found)
	}
}
