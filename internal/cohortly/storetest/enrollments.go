package storetest

import (
	"fmt"
	"testing"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/schema"
)

func testEnrollments(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	w := mkWorld(t, s)
	s2 := mkUser(t, s, 3, cohortly.RoleStudent)
	other := cohortly.Bootcamp{ID: id('c', 2), Title: "Other", Description: "O", Mode: cohortly.ModeLive, Price: 100, IsActive: true,
		CreatedBy: w.admin.ID, CreatedAt: at(1), UpdatedAt: at(1)}
	otherBatch := cohortly.Batch{ID: id('d', 2), BatchName: "O-1", StartDate: at(1), EndDate: at(2), Capacity: 1, Status: cohortly.BatchOngoing, CreatedAt: at(1), UpdatedAt: at(1)}
	must(t, s.CreateBootcamp(ctx, other, &otherBatch))

	e1 := cohortly.Enrollment{ID: id('h', 1), StudentID: w.student.ID, BatchID: w.batch.ID, Status: cohortly.EnrollmentPending,
		EnrolledAt: at(10), CreatedAt: at(10), UpdatedAt: at(10)}
	must(t, s.CreateEnrollment(ctx, e1))
	dup := e1
	dup.ID = id('h', 9)
	wantErr(t, s.CreateEnrollment(ctx, dup), cohortly.ErrConflict)
	dup.StudentID = "nope"
	wantErr(t, s.CreateEnrollment(ctx, dup), cohortly.ErrMissingRef)
	e2 := cohortly.Enrollment{ID: id('h', 2), StudentID: s2.ID, BatchID: w.batch.ID, Status: cohortly.EnrollmentActive,
		EnrolledAt: at(20), CreatedAt: at(20), UpdatedAt: at(20)}
	must(t, s.CreateEnrollment(ctx, e2))
	e3 := cohortly.Enrollment{ID: id('h', 3), StudentID: w.student.ID, BatchID: otherBatch.ID, Status: cohortly.EnrollmentActive,
		EnrolledAt: at(20), CreatedAt: at(20), UpdatedAt: at(20)}
	must(t, s.CreateEnrollment(ctx, e3))

	// Payments (exact amounts, unique transaction id).
	pay := func(n int, enr string, cents cohortly.Money, st cohortly.PaymentStatus, txn *string, created int) cohortly.Payment {
		return cohortly.Payment{ID: id('p', n), EnrollmentID: enr, Amount: cents, Method: cohortly.PayUPI, Status: st, TransactionID: txn,
			CreatedAt: at(created), UpdatedAt: at(created)}
	}
	must(t, s.CreatePayment(ctx, pay(2, e1.ID, 99999, cohortly.PaymentCompleted, ptr("TXN-1"), 30)))
	must(t, s.CreatePayment(ctx, pay(1, e1.ID, 1, cohortly.PaymentPending, nil, 40)))
	must(t, s.CreatePayment(ctx, pay(3, e1.ID, 5, cohortly.PaymentFailed, nil, 40)))
	wantErr(t, s.CreatePayment(ctx, pay(4, e2.ID, 5, cohortly.PaymentCompleted, ptr("TXN-1"), 50)), cohortly.ErrConflict)
	wantErr(t, s.CreatePayment(ctx, pay(5, "nope", 5, cohortly.PaymentCompleted, nil, 50)), cohortly.ErrMissingRef)

	// Assignment progress: two assignments in the bootcamp, one graded submission by the student.
	mkAssignment(t, s, 1, w.lesson.ID, 100)
	mkAssignment(t, s, 2, w.lesson.ID, 100)
	must(t, s.CreateSubmission(ctx, cohortly.Submission{ID: id('s', 1), AssignmentID: id('x', 1), StudentID: w.student.ID,
		Status: cohortly.SubmissionGraded, SubmittedAt: ptr(at(5)), CreatedAt: at(5), UpdatedAt: at(5)}))
	must(t, s.CreateSubmission(ctx, cohortly.Submission{ID: id('s', 2), AssignmentID: id('x', 2), StudentID: s2.ID,
		Status: cohortly.SubmissionGraded, SubmittedAt: ptr(at(5)), CreatedAt: at(5), UpdatedAt: at(5)}))

	v, err := s.EnrollmentByID(ctx, e1.ID)
	must(t, err)
	if v.Student.ID != w.student.ID || v.Student.Email != w.student.Email || v.Student.Phone == nil || v.Batch.ID != w.batch.ID ||
		v.Bootcamp.ID != w.bootcamp.ID || v.Bootcamp.Price != 199999 || v.Status != cohortly.EnrollmentPending || v.CompletedAt != nil ||
		v.AssignmentsTotal != 2 || v.AssignmentsGraded != 1 {
		t.Fatalf("EnrollmentByID = %+v", v)
	}
	if len(v.Payments) != 3 || v.Payments[0].ID != id('p', 2) || v.Payments[1].ID != id('p', 1) || v.Payments[2].ID != id('p', 3) ||
		v.Payments[0].Amount != 99999 || *v.Payments[0].TransactionID != "TXN-1" || v.Payments[1].Amount != 1 || v.Payments[1].TransactionID != nil {
		t.Fatalf("payments (created_at, id) = %+v", v.Payments)
	}
	_, err = s.EnrollmentByID(ctx, "nope")
	wantErr(t, err, cohortly.ErrNotFound)

	list, total, err := s.ListEnrollments(ctx, cohortly.EnrollmentFilter{}, cohortly.Page{Limit: 10})
	must(t, err)
	got := []string{}
	for _, e := range list {
		got = append(got, e.ID)
	}
	eqIDs(t, "enrollments (created_at DESC, id)", got, []string{id('h', 2), id('h', 3), id('h', 1)})
	if total != 3 || len(list[2].Payments) != 3 || list[0].Payments == nil || len(list[0].Payments) != 0 || list[1].Bootcamp.ID != other.ID {
		t.Fatalf("ListEnrollments = %+v", list)
	}
	cases := []struct {
		name string
		f    cohortly.EnrollmentFilter
		want []string
	}{
		{"student", cohortly.EnrollmentFilter{StudentID: w.student.ID}, []string{id('h', 3), id('h', 1)}},
		{"batch", cohortly.EnrollmentFilter{BatchID: w.batch.ID}, []string{id('h', 2), id('h', 1)}},
		{"bootcamp", cohortly.EnrollmentFilter{BootcampID: other.ID}, []string{id('h', 3)}},
		{"status", cohortly.EnrollmentFilter{Status: cohortly.EnrollmentActive}, []string{id('h', 2), id('h', 3)}},
		{"combined", cohortly.EnrollmentFilter{StudentID: w.student.ID, BootcampID: w.bootcamp.ID}, []string{id('h', 1)}},
	}
	for _, c := range cases {
		rows, total, err := s.ListEnrollments(ctx, c.f, cohortly.Page{Limit: 10})
		must(t, err)
		got := []string{}
		for _, e := range rows {
			got = append(got, e.ID)
		}
		eqIDs(t, c.name, got, c.want)
		if total != len(c.want) {
			t.Fatalf("%s total %d", c.name, total)
		}
	}

	up, err := s.UpdateEnrollmentStatus(ctx, e1.ID, cohortly.EnrollmentActive, at(500))
	must(t, err)
	if up.Status != cohortly.EnrollmentActive || up.CompletedAt != nil || len(up.Payments) != 3 {
		t.Fatalf("active = %+v", up)
	}
	up, err = s.UpdateEnrollmentStatus(ctx, e1.ID, cohortly.EnrollmentCompleted, at(600))
	must(t, err)
	eqTimeP(t, "completed_at", up.CompletedAt, ptr(at(600)))
	eqTime(t, "updated_at", up.UpdatedAt, at(600))
	up, err = s.UpdateEnrollmentStatus(ctx, e1.ID, cohortly.EnrollmentSuspended, at(700))
	must(t, err)
	eqTimeP(t, "completed_at kept", up.CompletedAt, ptr(at(600)))
	_, err = s.UpdateEnrollmentStatus(ctx, "nope", cohortly.EnrollmentActive, at(1))
	wantErr(t, err, cohortly.ErrNotFound)

	must(t, s.DeleteEnrollment(ctx, e1.ID))
	wantErr(t, s.DeleteEnrollment(ctx, e1.ID), cohortly.ErrNotFound)
	// Its payments cascaded: the transaction id is free again.
	must(t, s.CreatePayment(ctx, pay(6, e2.ID, 5, cohortly.PaymentCompleted, ptr("TXN-1"), 50)))
	// A student with enrollments cannot be deleted (RESTRICT).
	wantErr(t, s.DeleteUser(ctx, s2.ID), cohortly.ErrInUse)
}

func testEnrollmentRace(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	w := mkWorld(t, s)
	errs := race(8, func(i int) error {
		return s.CreateEnrollment(ctx, cohortly.Enrollment{ID: id('h', 10+i), StudentID: w.student.ID, BatchID: w.batch.ID,
			Status: cohortly.EnrollmentPending, EnrolledAt: at(i), CreatedAt: at(i), UpdatedAt: at(i)})
	})
	oneWinner(t, errs, cohortly.ErrConflict)
	_, total, err := s.ListEnrollments(ctx, cohortly.EnrollmentFilter{}, cohortly.Page{Limit: 10})
	must(t, err)
	if total != 1 {
		t.Fatalf("%d enrollments after the race", total)
	}
}

func mkAssignment(t *testing.T, s cohortly.Store, n int, lesson string, created int) cohortly.Assignment {
	t.Helper()
	a := cohortly.Assignment{ID: id('x', n), LessonID: lesson, Title: fmt.Sprint("Assignment ", n), Description: "Do it", MaxScore: 100,
		Deadline: ptr(at(100000)), CreatedAt: at(created), UpdatedAt: at(created)}
	must(t, s.CreateAssignment(ctxT(t), a))
	return a
}

func testEnsureFirstLesson(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	w := mkWorld(t, s)
	empty := cohortly.Bootcamp{ID: id('c', 2), Title: "Empty", Description: "E", Mode: cohortly.ModeLive, Price: 100, IsActive: true,
		CreatedBy: w.admin.ID, CreatedAt: at(1), UpdatedAt: at(1)}
	must(t, s.CreateBootcamp(ctx, empty, nil))
	placeholder := func(i int) (cohortly.Module, cohortly.Lesson) {
		m := cohortly.Module{ID: id('e', 100+i), Title: "General", OrderIndex: 0, CreatedAt: at(1), UpdatedAt: at(1)}
		l := cohortly.Lesson{ID: id('f', 100+i), Title: "General", ContentType: cohortly.ContentText, OrderIndex: 0, CreatedAt: at(1), UpdatedAt: at(1)}
		return m, l
	}
	// Existing curriculum: the first lesson by module order, then lesson order.
	must(t, s.CreateModule(ctx, cohortly.Module{ID: id('e', 2), BootcampID: w.bootcamp.ID, Title: "Later", OrderIndex: 5, CreatedAt: at(1), UpdatedAt: at(1)}))
	must(t, s.CreateLesson(ctx, cohortly.Lesson{ID: id('f', 2), ModuleID: id('e', 2), Title: "L", ContentType: cohortly.ContentText, OrderIndex: 0, CreatedAt: at(1), UpdatedAt: at(1)}))
	must(t, s.CreateLesson(ctx, cohortly.Lesson{ID: id('f', 3), ModuleID: w.module.ID, Title: "Second", ContentType: cohortly.ContentText, OrderIndex: 2, CreatedAt: at(1), UpdatedAt: at(1)}))
	m, l := placeholder(0)
	got, created, err := s.EnsureFirstLesson(ctx, w.bootcamp.ID, m, l)
	must(t, err)
	if created || got.ID != w.lesson.ID || got.ModuleID != w.module.ID {
		t.Fatalf("first lesson = %+v created %v", got, created)
	}

	_, _, err = s.EnsureFirstLesson(ctx, "nope", m, l)
	wantErr(t, err, cohortly.ErrNotFound)

	// No curriculum: concurrent calls create one placeholder.
	results := make([]cohortly.Lesson, 8)
	createdBy := make([]bool, 8)
	errs := race(8, func(i int) error {
		m, l := placeholder(i)
		var err error
		results[i], createdBy[i], err = s.EnsureFirstLesson(ctx, empty.ID, m, l)
		return err
	})
	winners := 0
	for i := range errs {
		must(t, errs[i])
		if createdBy[i] {
			winners++
		}
	}
	if winners != 1 {
		t.Fatalf("%d callers created a placeholder", winners)
	}
	for i := range results {
		if results[i].ID != results[0].ID || results[i].Title != "General" {
			t.Fatalf("caller %d got %+v, caller 0 %+v", i, results[i], results[0])
		}
	}
	d, err := s.BootcampDetail(ctx, empty.ID)
	must(t, err)
	if len(d.Modules) != 1 || len(d.Modules[0].Lessons) != 1 || d.Modules[0].Lessons[0].ID != results[0].ID || d.Modules[0].BootcampID != empty.ID {
		t.Fatalf("placeholder curriculum = %+v", d.Modules)
	}
}

func testReplaceAll(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	// Pre-existing rows are wiped.
	mkUser(t, s, 1, cohortly.RoleAdmin)
	d := schema.DemoDataset(base, "$2b$10$OlqNkHs.wvOXVepjQOmEs.AQKlInOb/2.OC0s6KanrdtrNCtMstXS")
	for range 2 { // idempotent
		must(t, s.ReplaceAll(ctx, d))
	}
	_, err := s.UserByID(ctx, id('a', 1))
	wantErr(t, err, cohortly.ErrNotFound)
	admin, err := s.UserByEmail(ctx, "admin@bootcamp.com")
	must(t, err)
	if admin.ID != schema.DemoAdminID || admin.Role != cohortly.RoleAdmin || !admin.IsActive {
		t.Fatalf("admin = %+v", admin)
	}
	eqTime(t, "admin created_at", admin.CreatedAt, base)
	leads, total, err := leadPage(ctx, s, cohortly.LeadFilter{}, cohortly.Page{Limit: 20})
	must(t, err)
	if total != 1 || leads[0].FullName != "Charlie Prospect" || leads[0].AssignedToUser == nil || leads[0].AssignedToUser.Email != "sales1@bootcamp.com" {
		t.Fatalf("leads = %+v", leads)
	}
	bcs, total, err := bootcampPage(ctx, s, cohortly.BootcampFilter{}, cohortly.Page{Limit: 20})
	must(t, err)
	if total != 2 || bcs[0].Title != "Data Science & Machine Learning" || bcs[0].Price != 249900 || bcs[1].Batches.Count != 1 || bcs[1].ModuleCount != 1 {
		t.Fatalf("bootcamps = %+v", bcs)
	}
	enr, err := s.EnrollmentByID(ctx, schema.DemoEnrollment1ID)
	must(t, err)
	if len(enr.Payments) != 1 || enr.Payments[0].Amount != 199900 || enr.AssignmentsTotal != 1 || enr.AssignmentsGraded != 0 {
		t.Fatalf("enrollment = %+v", enr)
	}
	bd, err := s.BatchDetail(ctx, schema.DemoBatchID)
	must(t, err)
	if len(bd.Instructors) != 1 || len(bd.Mentors) != 1 || len(bd.Enrollments) != 2 {
		t.Fatalf("batch = %+v", bd)
	}
	subs, total, err := s.ListSubmissions(ctx, cohortly.SubmissionFilter{}, cohortly.Page{Limit: 20})
	must(t, err)
	if total != 1 || subs[0].Student.ID != schema.DemoStudent1ID || subs[0].Grade != nil || subs[0].Assignment.Bootcamp.ID != schema.DemoFullStackID {
		t.Fatalf("submissions = %+v", subs)
	}
	fu, err := s.FollowUps(ctx, schema.DemoSalesID, base, base.AddDate(0, 0, 7))
	must(t, err)
	if len(fu) != 1 {
		t.Fatalf("follow-ups = %+v", fu)
	}
	// Bad data rolls everything back: the demo data is still there.
	bad := schema.DemoDataset(base, "h")
	bad.Leads[0].CreatedBy = "nobody"
	wantErr(t, s.ReplaceAll(ctx, bad), cohortly.ErrMissingRef)
	_, err = s.UserByEmail(ctx, "admin@bootcamp.com")
	must(t, err)
}

func testEmptyLists(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	p := cohortly.Page{Limit: 10}
	l1, n1, err := leadPage(ctx, s, cohortly.LeadFilter{}, p)
	must(t, err)
	l2, n2, err := bootcampPage(ctx, s, cohortly.BootcampFilter{}, p)
	must(t, err)
	l3, n3, err := s.ListBatches(ctx, cohortly.BatchFilter{}, p)
	must(t, err)
	l4, n4, err := s.ListEnrollments(ctx, cohortly.EnrollmentFilter{}, p)
	must(t, err)
	l5, n5, err := s.ListAssignments(ctx, cohortly.AssignmentFilter{}, p)
	must(t, err)
	l6, n6, err := s.ListSubmissions(ctx, cohortly.SubmissionFilter{}, p)
	must(t, err)
	l7, err := s.LeadLogs(ctx, "none")
	must(t, err)
	l8, err := s.FollowUps(ctx, "none", base, base)
	must(t, err)
	if l1 == nil || l2 == nil || l3 == nil || l4 == nil || l5 == nil || l6 == nil || l7 == nil || l8 == nil || n1+n2+n3+n4+n5+n6 != 0 {
		t.Fatal("empty lists must be non-nil with zero totals")
	}
	must(t, s.Ping(ctx))
}
