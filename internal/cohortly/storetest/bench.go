package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
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

// BenchCreateLeads benchmarks a request's lead creation (CreateLeadAs, no logs: the write profile's
// body) from concurrent callers, the way the HTTP server calls it. statements, when not nil, counts
// the statements the store runs (an observer's count); it is reported per lead, so coalescing shows
// as fewer than one.
func BenchCreateLeads(b *testing.B, s cohortly.Store, statements *atomic.Int64) {
	creator := BenchData(b, s, 0)
	ctx := context.Background()
	var seq atomic.Int64
	before := int64(0)
	if statements != nil {
		before = statements.Load()
	}
	b.ReportAllocs()
	b.SetParallelism(16) // many requests in flight, as under the load profile's 64 connections
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			at := time.Now().UTC().Truncate(time.Millisecond)
			l := cohortly.Lead{ID: cohortly.NewID(), FullName: "Load Lead", Email: fmt.Sprintf("load-%d@example.com", n),
				Phone: ptr("+14155550123"), Source: cohortly.SourceWebsite, Status: cohortly.LeadNew,
				CreatedBy: creator, CreatedAt: at, UpdatedAt: at}
			if _, created, err := s.CreateLeadAs(ctx, l, nil); err != nil || !created {
				b.Errorf("created %v, %v", created, err)
				return
			}
		}
	})
	b.StopTimer()
	if statements != nil {
		b.ReportMetric(float64(statements.Load()-before)/float64(b.N), "statements/lead")
	}
}
