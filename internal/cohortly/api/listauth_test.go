package api_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/schema"
)

// readCounter counts the reads of the caller a real store serves: user lookups and list reads (each
// of which returns the caller's row with the page).
type readCounter struct {
	cohortly.Store
	reads atomic.Int64
}

func (c *readCounter) UserByID(ctx context.Context, id string) (cohortly.User, error) {
	c.reads.Add(1)
	return c.Store.UserByID(ctx, id)
}

func (c *readCounter) ListLeads(ctx context.Context, viewerID string, f cohortly.LeadFilter, p cohortly.Page) (cohortly.Listed[cohortly.LeadView], error) {
	c.reads.Add(1)
	return c.Store.ListLeads(ctx, viewerID, f, p)
}

func (c *readCounter) ListBootcamps(ctx context.Context, viewerID string, f cohortly.BootcampFilter, p cohortly.Page) (cohortly.Listed[cohortly.BootcampView], error) {
	c.reads.Add(1)
	return c.Store.ListBootcamps(ctx, viewerID, f, p)
}

// TestListRoutesReadTheCallerOnce: the list routes have one authorization path. A list request,
// answered or refused, reads the database once (they were answered a second time through the full
// authentication path whenever they failed), and refusals keep the order of every route: 401, then
// 403, then 400.
func TestListRoutesReadTheCallerOnce(t *testing.T) {
	c := &readCounter{Store: openSQLite(t)}
	e := newEnv(t, c)
	inactive := e.sales()
	if _, err := c.Store.UpdateUser(t.Context(), schema.DemoSalesID, cohortly.UserPatch{IsActive: cohortly.Some(false)}, t0); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path, token string
		status      int
	}{
		{"/api/v1/leads", e.admin(), 200},
		{"/api/v1/leads", e.student(), 403},
		{"/api/v1/leads", inactive, 401},
		{"/api/v1/leads?page=-1", e.admin(), 400},
		{"/api/v1/leads?page=-1", e.student(), 403},
		{"/api/v1/leads?status=NOPE", e.admin(), 400},
		{"/api/v1/leads?status=NOPE", e.student(), 403},
		{"/api/v1/leads?search=%00", e.admin(), 400},
		{"/api/v1/leads?search=%00", inactive, 401},
		{"/api/v1/bootcamps", e.student(), 200},
		{"/api/v1/bootcamps", inactive, 401},
		{"/api/v1/bootcamps?isActive=maybe", e.student(), 400},
		{"/api/v1/bootcamps?isActive=maybe", inactive, 401},
	} {
		c.reads.Store(0)
		r := e.call("GET", tt.path, tt.token, nil)
		if r.status != tt.status {
			t.Errorf("%s: HTTP %d, want %d: %s", tt.path, r.status, tt.status, r.raw)
		}
		if n := c.reads.Load(); n != 1 {
			t.Errorf("%s (HTTP %d): %d reads of the caller, want 1", tt.path, r.status, n)
		}
	}
}
