package legacymigrate

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/momentum/mongostore"
	"github.com/momentum-cohortly/backends/internal/momentum/mongotest"
	"github.com/momentum-cohortly/backends/internal/momentum/sqlitestore"
)

// After the migration the Go server's store on MongoDB answers every read exactly as its store on
// the legacy SQLite file does: same ids, same values, same order.
func TestStoresAnswerTheSameAfterMigration(t *testing.T) {
	t.Parallel()
	cases := map[string]func(t *testing.T) string{
		"committed database": fixture,
		"generated database": func(t *testing.T) string {
			src, _ := generated(t, GenerateOptions{Restaurants: 30, Statuses: 250, Campaigns: 25, Sessions: 4, Defects: 0, Seed: 13})
			return src
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sq, mg := migratedPair(t, mk(t))
			compareStores(t, sq, mg)
		})
	}
}

func compareStores(t *testing.T, a, b momentum.Store) {
	t.Helper()
	ctx := context.Background()
	same := func(what string, f func(s momentum.Store) (any, error)) {
		t.Helper()
		va, ea := f(a)
		vb, eb := f(b)
		if errClass(ea) != errClass(eb) {
			t.Errorf("%s: error %v on SQLite, %v on MongoDB", what, ea, eb)
			return
		}
		if !reflect.DeepEqual(normalise(va), normalise(vb)) {
			t.Errorf("%s differs:\n SQLite  %+v\n MongoDB %+v", what, va, vb)
		}
	}
	restaurants, err := a.SearchRestaurants(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	same("SearchRestaurants", func(s momentum.Store) (any, error) { return s.SearchRestaurants(ctx, "") })
	same("SearchRestaurants(1)", func(s momentum.Store) (any, error) { return s.SearchRestaurants(ctx, "1") })
	same("CountRestaurants", func(s momentum.Store) (any, error) { return s.CountRestaurants(ctx) })
	same("CountRestaurantsWithPendingTasks", func(s momentum.Store) (any, error) { return s.CountRestaurantsWithPendingTasks(ctx) })
	same("Categories", func(s momentum.Store) (any, error) { return s.Categories(ctx, "") })
	same("Categories(ongoing)", func(s momentum.Store) (any, error) { return s.Categories(ctx, momentum.TypeOngoing) })
	same("Items", func(s momentum.Store) (any, error) { return s.Items(ctx, "") })
	same("ItemsByCategory(73)", func(s momentum.Store) (any, error) { return s.ItemsByCategory(ctx, 73) })
	same("CountCampaignsSince", func(s momentum.Store) (any, error) {
		return s.CountCampaignsSince(ctx, 0, time.Date(2025, 6, 26, 0, 30, 0, 0, time.UTC))
	})
	for _, email := range []string{"admin@momentum.com", "test@restaurant.com", "owner3@example.com", "Owner7@Example.com"} {
		same("UserByEmail "+email, func(s momentum.Store) (any, error) { return s.UserByEmail(ctx, email) })
	}
	for i, r := range restaurants {
		if i > 12 {
			break
		}
		id, uid := r.ID, r.UserID
		same(fmt.Sprint("RestaurantByID ", id), func(s momentum.Store) (any, error) { return s.RestaurantByID(ctx, id) })
		same(fmt.Sprint("RestaurantByUser ", uid), func(s momentum.Store) (any, error) { return s.RestaurantByUser(ctx, uid) })
		same(fmt.Sprint("UserByID ", uid), func(s momentum.Store) (any, error) { return s.UserByID(ctx, uid) })
		same(fmt.Sprint("PendingTasks ", id), func(s momentum.Store) (any, error) { return s.PendingTasks(ctx, id, 3) })
		same(fmt.Sprint("Statuses ", id), func(s momentum.Store) (any, error) { return s.Statuses(ctx, id) })
		same(fmt.Sprint("Campaigns ", id), func(s momentum.Store) (any, error) { return s.Campaigns(ctx, id, "", 0) })
		same(fmt.Sprint("Campaigns active ", id), func(s momentum.Store) (any, error) { return s.Campaigns(ctx, id, momentum.CampaignActive, 3) })
	}
}

// errClass is what a caller can tell from an error: none, not found, conflict, or other.
func errClass(err error) string {
	switch {
	case err == nil:
		return "nil"
	case errors.Is(err, momentum.ErrNotFound):
		return "not found"
	case errors.Is(err, momentum.ErrConflict):
		return "conflict"
	}
	return "error: " + err.Error()
}

// normalise makes times comparable (same instant, any location) by rendering values with %+v after
// converting every time.Time to UTC.
func normalise(v any) string {
	return fmt.Sprintf("%+v", utc(reflect.ValueOf(v)))
}

func utc(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	if t, ok := v.Interface().(time.Time); ok {
		return t.UTC().Format(time.RFC3339Nano)
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return utc(v.Elem())
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = utc(v.Index(i))
		}
		return out
	case reflect.Struct:
		out := make([]any, 0, v.NumField())
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				out = append(out, v.Type().Field(i).Name, utc(v.Field(i)))
			}
		}
		return out
	}
	return v.Interface()
}

// migratedPair migrates src forward into a fresh MongoDB database and opens both sides: the legacy
// file in place (as the Go server does, with its additive migrations) and the migrated database.
func migratedPair(t *testing.T, src string) (*sqlitestore.Store, *mongostore.Store) {
	t.Helper()
	ctx := context.Background()
	dbName := mongotest.DBName(t)
	forward(t, ForwardOptions{Source: src, Database: dbName})
	sq, err := sqlitestore.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sq.Close() })
	mg, err := mongostore.Open(ctx, ferretURI, dbName)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mg.Close() })
	return sq, mg
}
