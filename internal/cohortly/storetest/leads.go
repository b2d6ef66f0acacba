package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// testCreateLeadAs checks the request's lead creation: the creator's row comes back, and the lead (with
// its logs) is written only for an active creator whose role may create leads; a refused or unknown
// creator writes nothing, and a bad reference writes nothing either.
func testCreateLeadAs(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	sales := mkUser(t, s, 1, cohortly.RoleSales)
	admin := mkUser(t, s, 2, cohortly.RoleAdmin)
	student := mkUser(t, s, 3, cohortly.RoleStudent)
	inactive := mkUser(t, s, 4, cohortly.RoleSales)
	_, err := s.UpdateUser(ctx, inactive.ID, cohortly.UserPatch{IsActive: cohortly.Some(false)}, at(5))
	must(t, err)

	lead := func(n int, by string) cohortly.Lead {
		return cohortly.Lead{ID: id('b', n), FullName: fmt.Sprint("Lead ", n), Email: fmt.Sprintf("lead%d@example.com", n),
			Phone: ptr("+14155550123"), Source: cohortly.SourceWebsite, Status: cohortly.LeadNew, AssignedTo: &admin.ID,
			CreatedBy: by, CreatedAt: at(10 + n), UpdatedAt: at(10 + n)}
	}
	written := func(n int) bool {
		t.Helper()
		_, err := s.LeadByID(ctx, id('b', n))
		if err != nil && !errors.Is(err, cohortly.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	note := func(n int, by string) []cohortly.LeadLog {
		return []cohortly.LeadLog{{ID: id('g', n), Note: "note", CreatedBy: by, CreatedAt: at(10 + n)}}
	}

	for i, tc := range []struct {
		by   cohortly.User
		logs bool
		want bool
	}{
		{sales, false, true}, {admin, true, true}, {student, false, false}, {student, true, false},
		{inactive, false, false}, {inactive, true, false},
	} {
		n := i + 1
		var logs []cohortly.LeadLog
		if tc.logs {
			logs = note(n, tc.by.ID)
		}
		creator, created, err := s.CreateLeadAs(ctx, lead(n, tc.by.ID), logs)
		must(t, err)
		if created != tc.want || written(n) != tc.want || creator.ID != tc.by.ID || creator.Role != tc.by.Role ||
			creator.IsActive != (tc.by.ID != inactive.ID) || creator.Email != tc.by.Email {
			t.Fatalf("case %d (%s, logs %v): created %v, written %v, creator %+v", n, tc.by.Role, tc.logs, created, written(n), creator)
		}
		if tc.want {
			v, err := s.LeadByID(ctx, id('b', n))
			must(t, err)
			if v.CreatedByUser != tc.by.Ref() || v.AssignedToUser == nil || *v.AssignedToUser != admin.Ref() || *v.Phone != "+14155550123" {
				t.Fatalf("case %d: LeadByID = %+v", n, v)
			}
			eqTime(t, "created_at", v.CreatedAt, at(10+n))
			ll, err := s.LeadLogs(ctx, id('b', n))
			must(t, err)
			if len(ll) != len(logs) {
				t.Fatalf("case %d: %d logs, want %d", n, len(ll), len(logs))
			}
		}
	}

	_, created, err := s.CreateLeadAs(ctx, lead(20, "no-such-user"), nil)
	wantErr(t, err, cohortly.ErrNotFound)
	if created || written(20) {
		t.Fatal("a lead was written for an unknown creator")
	}
	bad := lead(21, sales.ID)
	bad.AssignedTo = ptr("no-such-user")
	_, _, err = s.CreateLeadAs(ctx, bad, nil)
	wantErr(t, err, cohortly.ErrMissingRef)
	_, _, err = s.CreateLeadAs(ctx, bad, note(21, sales.ID))
	wantErr(t, err, cohortly.ErrMissingRef)
	if written(21) {
		t.Fatal("a lead with a missing assignee was written")
	}
	// A bad log rolls the lead back.
	_, _, err = s.CreateLeadAs(ctx, lead(22, sales.ID), note(22, "no-such-user"))
	wantErr(t, err, cohortly.ErrMissingRef)
	if written(22) {
		t.Fatal("a lead whose log failed was written")
	}

	// Concurrent creations (which an adapter may send together) keep their own outcomes: the missing
	// assignee of one refuses that one only.
	const concurrent = 48
	type outcome struct {
		creator cohortly.User
		created bool
		err     error
	}
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		out   [concurrent]outcome
	)
	kinds := []string{sales.ID, admin.ID, student.ID, inactive.ID, "no-such-user", "bad-assignee"}
	for i := range concurrent {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := lead(100+i, kinds[i%len(kinds)])
			if l.CreatedBy == "bad-assignee" {
				l.CreatedBy, l.AssignedTo = sales.ID, ptr("no-such-user")
			}
			<-start
			var o outcome
			o.creator, o.created, o.err = s.CreateLeadAs(ctx, l, nil)
			out[i] = o
		}()
	}
	close(start)
	wg.Wait()
	for i, o := range out {
		n := 100 + i
		switch kind := kinds[i%len(kinds)]; kind {
		case "no-such-user":
			if !errors.Is(o.err, cohortly.ErrNotFound) || o.created {
				t.Fatalf("lead %d for an unknown creator: created %v, err %v", n, o.created, o.err)
			}
		case "bad-assignee":
			if !errors.Is(o.err, cohortly.ErrMissingRef) || o.created {
				t.Fatalf("lead %d with a missing assignee: created %v, err %v", n, o.created, o.err)
			}
		default:
			want := kind == sales.ID || kind == admin.ID
			if o.err != nil || o.created != want || o.creator.ID != kind {
				t.Fatalf("lead %d by %s: created %v (want %v), creator %s, err %v", n, kind, o.created, want, o.creator.ID, o.err)
			}
		}
		if written(n) != o.created {
			t.Fatalf("lead %d: created %v, but written %v", n, o.created, written(n))
		}
	}
}

func testLeads(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	sales := mkUser(t, s, 1, cohortly.RoleSales)
	other := mkUser(t, s, 2, cohortly.RoleSales)

	l := cohortly.Lead{ID: id('b', 1), FullName: "Charlie", Email: "charlie@example.com", Phone: ptr("+1234567896"),
		Source: cohortly.SourceReferral, Status: cohortly.LeadNew, AssignedTo: &other.ID, CreatedBy: sales.ID,
		CreatedAt: at(10), UpdatedAt: at(10)}
	logs := []cohortly.LeadLog{{ID: id('g', 1), Note: "from notes", CreatedBy: sales.ID, CreatedAt: at(10)}}
	must(t, s.CreateLead(ctx, l, logs))

	v, err := s.LeadByID(ctx, l.ID)
	must(t, err)
	if v.FullName != "Charlie" || v.Source != cohortly.SourceReferral || v.Status != cohortly.LeadNew || *v.Phone != "+1234567896" ||
		v.AssignedToUser == nil || v.AssignedToUser.ID != other.ID || v.AssignedToUser.Email != other.Email ||
		v.CreatedByUser != sales.Ref() {
		t.Fatalf("LeadByID = %+v", v)
	}
	ll, err := s.LeadLogs(ctx, l.ID)
	must(t, err)
	if len(ll) != 1 || ll[0].LeadID != l.ID || ll[0].Note != "from notes" || ll[0].CreatedByUser != sales.Ref() {
		t.Fatalf("LeadLogs = %+v", ll)
	}
	_, err = s.LeadByID(ctx, "nope")
	wantErr(t, err, cohortly.ErrNotFound)

	// Atomic: a bad log rolls the lead back.
	bad := l
	bad.ID = id('b', 2)
	err = s.CreateLead(ctx, bad, []cohortly.LeadLog{{ID: id('g', 2), Note: "x", CreatedBy: "no-such-user", CreatedAt: at(1)}})
	wantErr(t, err, cohortly.ErrMissingRef)
	_, err = s.LeadByID(ctx, bad.ID)
	wantErr(t, err, cohortly.ErrNotFound)
	bad.AssignedTo = ptr("no-such-user")
	wantErr(t, s.CreateLead(ctx, bad, nil), cohortly.ErrMissingRef)

	// Update: whitelisted fields, assignment cleared, not found, missing ref.
	up, err := s.UpdateLead(ctx, l.ID, cohortly.LeadPatch{Status: cohortly.Some(cohortly.LeadContacted),
		AssignedTo: cohortly.Some[*string](nil), Phone: cohortly.Some[*string](nil)}, at(500))
	must(t, err)
	if up.Status != cohortly.LeadContacted || up.AssignedTo != nil || up.AssignedToUser != nil || up.Phone != nil ||
		up.FullName != "Charlie" || up.CreatedBy != sales.ID || up.CreatedByUser != sales.Ref() {
		t.Fatalf("UpdateLead = %+v", up)
	}
	eqTime(t, "updated_at", up.UpdatedAt, at(500))
	eqTime(t, "created_at", up.CreatedAt, at(10))
	up, err = s.UpdateLead(ctx, l.ID, cohortly.LeadPatch{FullName: cohortly.Some("Chuck"), Email: cohortly.Some("c@example.com"),
		Source: cohortly.Some(cohortly.SourceDirect), AssignedTo: cohortly.Some(&sales.ID)}, at(600))
	must(t, err)
	if up.FullName != "Chuck" || up.Email != "c@example.com" || up.Source != cohortly.SourceDirect || up.AssignedToUser == nil || up.AssignedToUser.ID != sales.ID {
		t.Fatalf("UpdateLead 2 = %+v", up)
	}
	_, err = s.UpdateLead(ctx, "nope", cohortly.LeadPatch{FullName: cohortly.Some("x")}, at(1))
	wantErr(t, err, cohortly.ErrNotFound)
	_, err = s.UpdateLead(ctx, l.ID, cohortly.LeadPatch{AssignedTo: cohortly.Some(ptr("no-such-user"))}, at(1))
	wantErr(t, err, cohortly.ErrMissingRef)

	// Delete cascades the logs.
	must(t, s.DeleteLead(ctx, l.ID))
	wantErr(t, s.DeleteLead(ctx, l.ID), cohortly.ErrNotFound)
	ll, err = s.LeadLogs(ctx, l.ID)
	must(t, err)
	if len(ll) != 0 {
		t.Fatalf("logs survived delete: %+v", ll)
	}
}

func leadIDs(vs []cohortly.LeadView) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.ID
	}
	return out
}

func eqIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func testLeadList(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	a := mkUser(t, s, 1, cohortly.RoleSales)
	b := mkUser(t, s, 2, cohortly.RoleSales)
	// Leads 1..25; leads 3, 4 and 5 share one created_at (tie broken by id ASC).
	for n := 1; n <= 25; n++ {
		created := at(n * 10)
		if n >= 3 && n <= 5 {
			created = at(30)
		}
		mkLead(t, s, n, a.ID, created, func(l *cohortly.Lead) {
			if n%2 == 0 {
				l.Status = cohortly.LeadContacted
				l.AssignedTo = &b.ID
			}
			if n%5 == 0 {
				l.Source = cohortly.SourceReferral
			}
		})
	}
	page, total, err := leadPage(ctx, s, cohortly.LeadFilter{}, cohortly.Page{Limit: 20})
	must(t, err)
	if total != 25 || len(page) != 20 {
		t.Fatalf("page 1: %d rows, total %d", len(page), total)
	}
	if page[0].ID != id('b', 25) || page[0].CreatedByUser != a.Ref() {
		t.Fatalf("first row %+v", page[0])
	}
	for _, v := range page {
		if (v.AssignedTo == nil) != (v.AssignedToUser == nil) {
			t.Fatalf("assignedToUser mismatch in %+v", v)
		}
	}
	page2, total, err := leadPage(ctx, s, cohortly.LeadFilter{}, cohortly.Page{Limit: 20, Offset: 20})
	must(t, err)
	eqIDs(t, "page 2", leadIDs(page2), []string{id('b', 3), id('b', 4), id('b', 5), id('b', 2), id('b', 1)})
	if total != 25 {
		t.Fatalf("page 2 total %d", total)
	}
	empty, total, err := leadPage(ctx, s, cohortly.LeadFilter{}, cohortly.Page{Limit: 20, Offset: 100})
	must(t, err)
	if len(empty) != 0 || empty == nil || total != 25 {
		t.Fatalf("past the end: %v rows (nil=%v), total %d", len(empty), empty == nil, total)
	}

	cases := []struct {
		name  string
		f     cohortly.LeadFilter
		total int
	}{
		{"status", cohortly.LeadFilter{Status: cohortly.LeadContacted}, 12},
		{"source", cohortly.LeadFilter{Source: cohortly.SourceReferral}, 5},
		{"assigned", cohortly.LeadFilter{AssignedTo: b.ID}, 12},
		{"status+source", cohortly.LeadFilter{Status: cohortly.LeadContacted, Source: cohortly.SourceReferral}, 2},
		{"search name case-insensitive", cohortly.LeadFilter{Search: "lEaD 1"}, 11},
		{"search email", cohortly.LeadFilter{Search: "lead7@"}, 1},
		{"search phone none", cohortly.LeadFilter{Search: "+1555"}, 0},
		{"search percent is literal", cohortly.LeadFilter{Search: "%"}, 0},
		{"search underscore is literal", cohortly.LeadFilter{Search: "lead_"}, 0},
		{"search backslash is literal", cohortly.LeadFilter{Search: `\`}, 0},
	}
	for _, c := range cases {
		rows, total, err := leadPage(ctx, s, c.f, cohortly.Page{Limit: 100})
		must(t, err)
		if total != c.total || len(rows) != c.total {
			t.Fatalf("%s: %d rows, total %d, want %d", c.name, len(rows), total, c.total)
		}
	}
	// Filters and pagination combine: the total ignores the page.
	rows, total, err := leadPage(ctx, s, cohortly.LeadFilter{Status: cohortly.LeadContacted}, cohortly.Page{Limit: 5, Offset: 10})
	must(t, err)
	eqIDs(t, "filtered page", leadIDs(rows), []string{id('b', 4), id('b', 2)})
	if total != 12 {
		t.Fatalf("filtered total %d", total)
	}
	// Search on phone.
	must(t, s.CreateLead(ctx, cohortly.Lead{ID: id('b', 90), FullName: "Phone Person", Email: "pp@example.com", Phone: ptr("+44 20 7946 0958"),
		Source: cohortly.SourceOther, Status: cohortly.LeadNew, CreatedBy: a.ID, CreatedAt: at(1), UpdatedAt: at(1)}, nil))
	rows, _, err = leadPage(ctx, s, cohortly.LeadFilter{Search: "7946"}, cohortly.Page{Limit: 10})
	must(t, err)
	eqIDs(t, "phone search", leadIDs(rows), []string{id('b', 90)})
}

func testLeadLogs(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	a := mkUser(t, s, 1, cohortly.RoleSales)
	b := mkUser(t, s, 2, cohortly.RoleSales)
	l := mkLead(t, s, 1, a.ID, at(1), nil)
	l2 := mkLead(t, s, 2, a.ID, at(2), nil)

	wantErr(t, s.AddLeadLog(ctx, cohortly.LeadLog{ID: id('g', 1), LeadID: "nope", Note: "x", CreatedBy: a.ID, CreatedAt: at(1)}), cohortly.ErrNotFound)
	wantErr(t, s.AddLeadLog(ctx, cohortly.LeadLog{ID: id('g', 1), LeadID: l.ID, Note: "x", CreatedBy: "nobody", CreatedAt: at(1)}), cohortly.ErrMissingRef)

	day := 24 * time.Hour
	add := func(n int, lead string, by string, created time.Time, follow *time.Time) {
		must(t, s.AddLeadLog(ctx, cohortly.LeadLog{ID: id('g', n), LeadID: lead, Note: fmt.Sprint("note ", n), NextFollowUp: follow, CreatedBy: by, CreatedAt: created}))
	}
	add(1, l.ID, a.ID, at(100), ptr(base.Add(2*day)))
	add(2, l.ID, a.ID, at(300), ptr(base.Add(1*day)))
	add(3, l.ID, b.ID, at(200), ptr(base.Add(1*day))) // someone else's
	add(4, l2.ID, a.ID, at(100), ptr(base.Add(1*day)))
	add(5, l.ID, a.ID, at(300), ptr(base.Add(8*day))) // outside the window
	add(6, l.ID, a.ID, at(50), nil)
	add(7, l.ID, a.ID, at(60), ptr(base.Add(-time.Millisecond))) // just before from

	logs, err := s.LeadLogs(ctx, l.ID)
	must(t, err)
	got := []string{}
	for _, g := range logs {
		got = append(got, g.ID)
	}
	eqIDs(t, "lead logs (created_at DESC, id)", got, []string{id('g', 2), id('g', 5), id('g', 3), id('g', 1), id('g', 7), id('g', 6)})
	if logs[2].CreatedByUser != b.Ref() || logs[5].NextFollowUp != nil {
		t.Fatalf("log details %+v", logs)
	}
	eqTimeP(t, "next_follow_up", logs[0].NextFollowUp, ptr(base.Add(day)))

	fu, err := s.FollowUps(ctx, a.ID, base, base.Add(7*day))
	must(t, err)
	got = []string{}
	for _, f := range fu {
		got = append(got, f.ID)
		if f.CreatedByUser != a.Ref() || f.Lead.ID != f.LeadID {
			t.Fatalf("follow-up %+v", f)
		}
	}
	eqIDs(t, "follow-ups (next_follow_up ASC, id)", got, []string{id('g', 2), id('g', 4), id('g', 1)})
	if fu[1].Lead.Email != l2.Email || fu[1].Lead.Status != cohortly.LeadNew {
		t.Fatalf("follow-up lead %+v", fu[1].Lead)
	}
	// Bounds are inclusive.
	fu, err = s.FollowUps(ctx, a.ID, base.Add(2*day), base.Add(8*day))
	must(t, err)
	if len(fu) != 2 {
		t.Fatalf("inclusive bounds: %d rows", len(fu))
	}
}

// testListViewer: a list read that names a viewer returns that user's row as it is now (deactivation
// and role changes show at once), and no page at all for a viewer who does not exist.
func testListViewer(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	w := mkWorld(t, s)
	sales := mkUser(t, s, 3, cohortly.RoleSales)
	mkLead(t, s, 1, w.admin.ID, at(10), nil)
	mkLead(t, s, 2, sales.ID, at(20), func(l *cohortly.Lead) { l.Status = cohortly.LeadContacted })

	l, err := s.ListLeads(ctx, sales.ID, cohortly.LeadFilter{Status: cohortly.LeadContacted}, cohortly.Page{Limit: 20})
	must(t, err)
	if l.Viewer.ID != sales.ID || l.Viewer.Email != sales.Email || l.Viewer.PasswordHash != sales.PasswordHash ||
		l.Viewer.Role != cohortly.RoleSales || !l.Viewer.IsActive || *l.Viewer.Phone != *sales.Phone {
		t.Fatalf("viewer %+v, want %+v", l.Viewer, sales)
	}
	eqTime(t, "viewer created", l.Viewer.CreatedAt, sales.CreatedAt)
	eqIDs(t, "filtered page with a viewer", leadIDs(l.Items), []string{id('b', 2)})
	if l.Total != 1 {
		t.Fatalf("total %d", l.Total)
	}

	_, err = s.UpdateUser(ctx, sales.ID, cohortly.UserPatch{IsActive: cohortly.Some(false), Role: cohortly.Some(cohortly.RoleMentor)}, at(30))
	must(t, err)
	b, err := s.ListBootcamps(ctx, sales.ID, cohortly.BootcampFilter{}, cohortly.Page{Limit: 20})
	must(t, err)
	if b.Viewer.IsActive || b.Viewer.Role != cohortly.RoleMentor || len(b.Items) != 1 || b.Total != 1 {
		t.Fatalf("after deactivation: viewer %+v, %d bootcamps, total %d", b.Viewer, len(b.Items), b.Total)
	}

	// With a viewer, the bootcamp list has the same pages (order, ties, totals, past the end) as
	// without, and the viewer's whole row.
	for i := 2; i <= 4; i++ {
		bc := w.bootcamp
		bc.ID, bc.Title = id('c', i), fmt.Sprint("Bootcamp ", i)
		bc.CreatedAt = at(200 + i/3) // 3 and 4 tie: id order
		bc.UpdatedAt = bc.CreatedAt
		must(t, s.CreateBootcamp(ctx, bc, nil))
	}
	for _, pg := range []cohortly.Page{{Limit: 20}, {Limit: 2}, {Limit: 2, Offset: 2}, {Limit: 2, Offset: 10}} {
		with, err := s.ListBootcamps(ctx, w.admin.ID, cohortly.BootcampFilter{}, pg)
		must(t, err)
		without, err := s.ListBootcamps(ctx, "", cohortly.BootcampFilter{}, pg)
		must(t, err)
		if with.Total != 4 || without.Total != 4 || !reflect.DeepEqual(with.Items, without.Items) {
			t.Fatalf("page %+v with a viewer: %d %v, without: %d %v", pg, with.Total, with.Items, without.Total, without.Items)
		}
		v := with.Viewer
		if v.ID != w.admin.ID || v.Email != w.admin.Email || v.PasswordHash != w.admin.PasswordHash || v.Role != cohortly.RoleAdmin ||
			!v.IsActive || v.FullName != w.admin.FullName || v.Phone == nil || *v.Phone != *w.admin.Phone {
			t.Fatalf("page %+v: viewer %+v, want %+v", pg, v, w.admin)
		}
		eqTime(t, "viewer updated", v.UpdatedAt, w.admin.UpdatedAt)
	}
	first, err := s.ListBootcamps(ctx, w.admin.ID, cohortly.BootcampFilter{}, cohortly.Page{Limit: 20})
	must(t, err)
	var order []string
	for _, b := range first.Items {
		order = append(order, b.ID)
	}
	eqIDs(t, "bootcamps with a viewer", order, []string{id('c', 3), id('c', 4), id('c', 2), id('c', 1)})

	l, err = s.ListLeads(ctx, "no-such-user", cohortly.LeadFilter{}, cohortly.Page{Limit: 20})
	wantErr(t, err, cohortly.ErrNotFound)
	if len(l.Items) != 0 {
		t.Fatalf("a page was returned for a missing viewer: %d rows", len(l.Items))
	}
	b, err = s.ListBootcamps(ctx, "no-such-user", cohortly.BootcampFilter{}, cohortly.Page{Limit: 20})
	wantErr(t, err, cohortly.ErrNotFound)
	if len(b.Items) != 0 {
		t.Fatalf("a page was returned for a missing viewer: %d rows", len(b.Items))
	}
}
