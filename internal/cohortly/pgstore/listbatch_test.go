package pgstore_test

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// Concurrent requests for list pages are read together (one read of a page for all that ask for
// it), and each request still gets its own answer: its own page for its own filter, its own viewer's
// row, not found for a viewer that does not exist; and the very next read sees a commit.
func TestConcurrentPageReadsKeepTheirOwnAnswers(t *testing.T) {
	s := openStore(t)
	ctx := t.Context()
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	const viewers = 4
	createUsers(t, s, viewers, "v-%d", "v%d@example.com", cohortly.RoleSales, now)
	statuses := []cohortly.LeadStatus{cohortly.LeadNew, cohortly.LeadContacted, cohortly.LeadLost}
	for i := 0; i < 30; i++ {
		l := cohortly.Lead{ID: fmt.Sprintf("lead-%02d", i), FullName: fmt.Sprint("Lead ", i), Email: fmt.Sprintf("l%02d@example.com", i),
			Source: cohortly.SourceWebsite, Status: statuses[i%len(statuses)], CreatedBy: "v-0",
			CreatedAt: now.Add(time.Duration(i) * time.Minute), UpdatedAt: now}
		if err := s.CreateLead(ctx, l, nil); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ {
		b := cohortly.Bootcamp{ID: fmt.Sprintf("bc-%d", i), Title: fmt.Sprint("Bootcamp ", i), Mode: cohortly.ModeLive,
			IsActive: i != 2, CreatedBy: "v-1", CreatedAt: now.Add(time.Duration(i) * time.Hour), UpdatedAt: now}
		if err := s.CreateBootcamp(ctx, b, nil); err != nil {
			t.Fatal(err)
		}
	}
	type leadQuery struct {
		f cohortly.LeadFilter
		p cohortly.Page
	}
	leadQueries := []leadQuery{
		{cohortly.LeadFilter{}, cohortly.Page{Limit: 20}},
		{cohortly.LeadFilter{}, cohortly.Page{Limit: 5, Offset: 5}},
		{cohortly.LeadFilter{Status: cohortly.LeadContacted}, cohortly.Page{Limit: 20}},
		{cohortly.LeadFilter{Search: "Lead 1"}, cohortly.Page{Limit: 20}},
	}
	active, inactive := true, false
	bootcampFilters := []cohortly.BootcampFilter{{IsActive: &active}, {IsActive: &inactive}}
	// What each query reads alone, one at a time.
	wantLeads := make([]cohortly.Listed[cohortly.LeadView], len(leadQueries))
	for i, q := range leadQueries {
		l, err := s.ListLeads(ctx, "v-0", q.f, q.p)
		if err != nil || len(l.Items) == 0 {
			t.Fatalf("%+v: %d items, %v", q, len(l.Items), err)
		}
		wantLeads[i] = l
	}
	wantBootcamps := make([]cohortly.Listed[cohortly.BootcampView], len(bootcampFilters))
	for i, f := range bootcampFilters {
		l, err := s.ListBootcamps(ctx, "v-0", f, cohortly.Page{Limit: 10})
		if err != nil || len(l.Items) == 0 {
			t.Fatalf("bootcamps %d: %d items, %v", i, len(l.Items), err)
		}
		wantBootcamps[i] = l
	}

	var wg sync.WaitGroup
	for g := 0; g < 64; g++ {
		wg.Go(func() {
			for k := 0; k < 20; k++ {
				v := (g + k) % (viewers + 1) // one viewer in five does not exist
				viewer := fmt.Sprintf("v-%d", v)
				if (g+k)%2 == 0 {
					i := (g*3 + k) % len(leadQueries)
					got, err := s.ListLeads(ctx, viewer, leadQueries[i].f, leadQueries[i].p)
					if !checkPage(t, viewer, v < viewers, got.Items, got.Total, got.Viewer, err, wantLeads[i].Items, wantLeads[i].Total) {
						return
					}
				} else {
					i := (g + k) % len(bootcampFilters)
					got, err := s.ListBootcamps(ctx, viewer, bootcampFilters[i], cohortly.Page{Limit: 10})
					if !checkPage(t, viewer, v < viewers, got.Items, got.Total, got.Viewer, err, wantBootcamps[i].Items, wantBootcamps[i].Total) {
						return
					}
				}
			}
		})
	}
	wg.Wait()

	l := cohortly.Lead{ID: "lead-new", FullName: "Newest", Email: "new@example.com", Source: cohortly.SourceDirect,
		Status: cohortly.LeadNew, CreatedBy: "v-2", CreatedAt: now.Add(time.Hour), UpdatedAt: now}
	if err := s.CreateLead(ctx, l, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.ListLeads(ctx, "v-1", cohortly.LeadFilter{}, cohortly.Page{Limit: 20})
	if err != nil || got.Total != 31 || got.Items[0].ID != "lead-new" {
		t.Errorf("after a commit: total %d, first %v, %v", got.Total, got.Items[0].ID, err)
	}
}

func checkPage[T any](t *testing.T, viewer string, exists bool, items []T, total int, v cohortly.User, err error, want []T, wantTotal int) bool {
	t.Helper()
	if !exists {
		if !errors.Is(err, cohortly.ErrNotFound) {
			t.Errorf("viewer %s does not exist: %d items, %v; want not found", viewer, len(items), err)
			return false
		}
		return true
	}
	if err != nil || v.ID != viewer || v.Email != fmt.Sprintf("v%s@example.com", viewer[2:]) || total != wantTotal || !reflect.DeepEqual(items, want) {
		t.Errorf("viewer %s: viewer %q, total %d (want %d), %d items (want %d), %v", viewer, v.ID, total, wantTotal, len(items), len(want), err)
		return false
	}
	return true
}
