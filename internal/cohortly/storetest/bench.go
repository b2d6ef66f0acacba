package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// BenchData fills s with users and leads for the hot-read benchmarks and returns a user id to look up.
func BenchData(tb testing.TB, s cohortly.Store, leads int) string {
	tb.Helper()
	ctx := context.Background()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var ids []string
	for i := range 5 {
		u := cohortly.User{ID: cohortly.NewID(), Email: fmt.Sprintf("bench%d@example.com", i), PasswordHash: "$2b$10$x",
			Role: cohortly.RoleSales, FullName: fmt.Sprint("Bench ", i), IsActive: true, CreatedAt: base, UpdatedAt: base}
		if err := s.CreateUser(ctx, u); err != nil {
			tb.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	for i := range leads {
		at := base.Add(time.Duration(i) * time.Minute)
		l := cohortly.Lead{ID: cohortly.NewID(), FullName: fmt.Sprint("Lead ", i), Email: fmt.Sprintf("lead%d@example.com", i),
			Phone: ptr("+14155552671"), Source: cohortly.SourceWebsite, Status: cohortly.LeadNew,
			AssignedTo: &ids[i%5], CreatedBy: ids[(i+1)%5], CreatedAt: at, UpdatedAt: at}
		if err := s.CreateLead(ctx, l, nil); err != nil {
			tb.Fatal(err)
		}
	}
	return ids[0]
}

// BenchHotReads benchmarks the per-request user lookup and the first page of leads, in parallel
// (the way an HTTP server calls them).
func BenchHotReads(b *testing.B, s cohortly.Store) {
	userID := BenchData(b, s, 500)
	ctx := context.Background()
	b.Run("UserByID", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.UserByID(ctx, userID); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("ListLeads20", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				rows, total, err := leadPage(ctx, s, cohortly.LeadFilter{}, cohortly.Page{Limit: 20})
				if err != nil || len(rows) != 20 || total != 500 {
					b.Errorf("%d rows, total %d, %v", len(rows), total, err)
					return
				}
			}
		})
	})
}
