package sqlitestore

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

const benchUsers = 1000

// benchStore is a store with the catalogue, benchUsers accounts (ids 1..benchUsers, each with its
// restaurant of the same id and four tasks), three campaigns and ~20 completed items per restaurant.
// The rows are written in one transaction so that setting up stays quick.
func benchStore(b *testing.B) *Store {
	b.Helper()
	s := openT(b, filepath.Join(b.TempDir(), "bench.db"))
	if _, err := s.SeedCatalogue(ctx, momentum.Catalogue(), fixedNow); err != nil {
		b.Fatal(err)
	}
	items, err := s.Items(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	ts := formatTime(fixedNow)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		for i := 1; i <= benchUsers; i++ {
			stmts := []struct {
				q    string
				args []any
			}{
				{`INSERT INTO users (user_id, email, password_hash, role, created_at) VALUES (?, ?, 'h', 'restaurant', ?)`, []any{i, fmt.Sprintf("user%d@example.com", i), ts}},
				{`INSERT INTO restaurants (restaurant_id, user_id, name, address, phone, created_at) VALUES (?, ?, ?, '', '', ?)`, []any{i, i, fmt.Sprintf("R%d", i), ts}},
			}
			for _, name := range momentum.DefaultTasks {
				stmts = append(stmts, struct {
					q    string
					args []any
				}{`INSERT INTO checklist_status (restaurant_id, checklist_item_name, is_complete, created_at, updated_at) VALUES (?, ?, 0, ?, ?)`, []any{i, name, ts, ts}})
			}
			for j, status := range []string{momentum.CampaignActive, momentum.CampaignDraft, momentum.CampaignCompleted} {
				at := formatTime(fixedNow.Add(-time.Duration(j) * 24 * time.Hour))
				stmts = append(stmts, struct {
					q    string
					args []any
				}{`INSERT INTO campaigns (restaurant_id, campaign_type, status, name, details, budget, external_id, created_at, updated_at) VALUES (?, 'ad', ?, 'c', '{"a":1}', 10.5, ?, ?, ?)`, []any{i, status, fmt.Sprintf("camp_%d_%d", i, j), at, at}})
			}
			for j := 0; j < len(items); j += 3 {
				stmts = append(stmts, struct {
					q    string
					args []any
				}{`INSERT INTO restaurant_checklist_status (restaurant_id, item_id, status, last_updated_at) VALUES (?, ?, 'completed', ?)`, []any{i, items[j].ID, ts}})
			}
			for _, st := range stmts {
				if _, err := tx.Exec(st.q, st.args...); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkUserByID(b *testing.B) {
	s := benchStore(b)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		if _, err := s.UserByID(ctx, int64(i%benchUsers+1)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUserByIDParallel(b *testing.B) {
	s := benchStore(b)
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := n.Add(1)%benchUsers + 1
			if _, err := s.UserByID(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDashboardParallel is what GET /api/dashboard/restaurant asks of the store.
func BenchmarkDashboardParallel(b *testing.B) {
	s := benchStore(b)
	var n atomic.Int64
	since := fixedNow.Add(-7 * 24 * time.Hour)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := n.Add(1)%benchUsers + 1
			if _, err := s.UserByID(ctx, id); err != nil {
				b.Fatal(err)
			}
			r, err := s.RestaurantByUser(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			if c, err := s.Campaigns(ctx, r.ID, momentum.CampaignActive, 3); err != nil || len(c) != 1 {
				b.Fatal(len(c), err)
			}
			if t, err := s.PendingTasks(ctx, r.ID, 3); err != nil || len(t) != 3 {
				b.Fatal(len(t), err)
			}
			if _, err := s.CountCampaignsSince(ctx, r.ID, since); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCategoriesWithItemsParallel is what GET /api/checklist/categories-with-items asks of the
// store (12 categories, 61 items, ~20 statuses).
func BenchmarkCategoriesWithItemsParallel(b *testing.B) {
	s := benchStore(b)
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := n.Add(1)%benchUsers + 1
			if _, err := s.Categories(ctx, ""); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Items(ctx, ""); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Statuses(ctx, id); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkUserByEmail(b *testing.B) {
	s := benchStore(b)
	i := 0
	b.ResetTimer()
	for b.Loop() {
		i++
		if _, err := s.UserByEmail(ctx, fmt.Sprintf("USER%d@example.com", i%benchUsers)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCreateAccount(b *testing.B) {
	s := openT(b, filepath.Join(b.TempDir(), "bench.db"))
	i := 0
	b.ResetTimer()
	for b.Loop() {
		i++
		if _, _, err := s.CreateAccount(ctx, momentum.NewAccount{Email: fmt.Sprintf("u%d@x.com", i), PasswordHash: "h", RestaurantName: "R", Now: fixedNow}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUpsertStatusParallel(b *testing.B) {
	s := openT(b, filepath.Join(b.TempDir(), "bench.db"))
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			if _, err := s.UpsertStatus(ctx, i%50+1, i%61+1, momentum.StatusCompleted, nil, fixedNow); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkReads measures each hot read alone, serially.
func BenchmarkReads(b *testing.B) {
	s := benchStore(b)
	since := fixedNow.Add(-7 * 24 * time.Hour)
	for _, bm := range []struct {
		name string
		fn   func(id int64) error
	}{
		{"UserByID", func(id int64) error { _, err := s.UserByID(ctx, id); return err }},
		{"Account", func(id int64) error { _, _, err := s.Account(ctx, id); return err }},
		{"RestaurantByUser", func(id int64) error { _, err := s.RestaurantByUser(ctx, id); return err }},
		{"RestaurantByID", func(id int64) error { _, err := s.RestaurantByID(ctx, id); return err }},
		{"PendingTasks3", func(id int64) error { _, err := s.PendingTasks(ctx, id, 3); return err }},
		{"ActiveCampaigns3", func(id int64) error { _, err := s.Campaigns(ctx, id, momentum.CampaignActive, 3); return err }},
		{"CountCampaignsSince", func(id int64) error { _, err := s.CountCampaignsSince(ctx, id, since); return err }},
		{"SessionByID", func(id int64) error { _, err := s.SessionByID(ctx, "none", fixedNow); return ignoreNotFound(err) }},
		{"Categories", func(id int64) error { _, err := s.Categories(ctx, ""); return err }},
		{"Items", func(id int64) error { _, err := s.Items(ctx, ""); return err }},
		{"Statuses", func(id int64) error { _, err := s.Statuses(ctx, id); return err }},
		{"SearchRestaurants", func(id int64) error { _, err := s.SearchRestaurants(ctx, "R99"); return err }},
	} {
		b.Run(bm.name, func(b *testing.B) {
			i := int64(0)
			for b.Loop() {
				i++
				if err := bm.fn(i%benchUsers + 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func ignoreNotFound(err error) error {
	if errors.Is(err, momentum.ErrNotFound) {
		return nil
	}
	return err
}
