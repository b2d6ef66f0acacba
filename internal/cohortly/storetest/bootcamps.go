package storetest

import (
	"testing"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

func testBootcamps(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	w := mkWorld(t, s)
	// Exact money: the largest DECIMAL(10,2) and a cent.
	b2 := cohortly.Bootcamp{ID: id('c', 2), Title: "Data", Description: "D", Mode: cohortly.ModeLive, Price: cohortly.MaxMoney,
		IsActive: true, CreatedBy: w.admin.ID, CreatedAt: at(200), UpdatedAt: at(200)}
	must(t, s.CreateBootcamp(ctx, b2, nil))
	b3 := cohortly.Bootcamp{ID: id('c', 3), Title: "Cheap", Description: "C", Mode: cohortly.ModeRecorded, Price: 1,
		IsActive: true, CreatedBy: w.admin.ID, CreatedAt: at(200), UpdatedAt: at(200)}
	must(t, s.CreateBootcamp(ctx, b3, nil))
	bad := b3
	bad.ID, bad.CreatedBy = id('c', 4), "nobody"
	wantErr(t, s.CreateBootcamp(ctx, bad, nil), cohortly.ErrMissingRef)
	// Atomic: a bad first batch (unknown status would be validation's job; a duplicate id is a conflict) rolls back.
	dupBatch := w.batch
	bad.CreatedBy = w.admin.ID
	err := s.CreateBootcamp(ctx, bad, &dupBatch)
	wantErr(t, err, cohortly.ErrConflict)
	_, err = s.BootcampByID(ctx, bad.ID)
	wantErr(t, err, cohortly.ErrNotFound)

	// A second batch, ongoing, and a cancelled one.
	must(t, s.CreateBatch(ctx, cohortly.Batch{ID: id('d', 2), BootcampID: w.bootcamp.ID, BatchName: "GO-2", StartDate: at(50), EndDate: at(999999),
		Capacity: 20, Status: cohortly.BatchOngoing, CreatedAt: at(150), UpdatedAt: at(150)}))
	must(t, s.CreateBatch(ctx, cohortly.Batch{ID: id('d', 3), BootcampID: w.bootcamp.ID, BatchName: "GO-0", StartDate: at(10), EndDate: at(20),
		Capacity: 5, Status: cohortly.BatchCancelled, CreatedAt: at(150), UpdatedAt: at(150)}))
	wantErr(t, s.CreateBatch(ctx, cohortly.Batch{ID: id('d', 9), BootcampID: "nope", BatchName: "x", StartDate: at(1), EndDate: at(2),
		Status: cohortly.BatchUpcoming, CreatedAt: at(1), UpdatedAt: at(1)}), cohortly.ErrMissingRef)

	v, err := s.BootcampByID(ctx, w.bootcamp.ID)
	must(t, err)
	st := v.Batches
	if v.Title != "Go Bootcamp" || v.Price != 199999 || v.Mode != cohortly.ModeHybrid || v.Duration == nil || *v.Duration != 12 ||
		v.CreatedByUser != w.admin.Ref() || v.ModuleCount != 1 ||
		st.Count != 3 || st.CapacitySum != 55 || st.Upcoming != 1 || st.Ongoing != 1 || st.Cancelled != 1 || st.Completed != 0 {
		t.Fatalf("BootcampByID = %+v", v)
	}
	eqTimeP(t, "min start", st.MinStart, ptr(at(10)))
	eqTimeP(t, "max end", st.MaxEnd, ptr(at(999999)))

	list, total, err := bootcampPage(ctx, s, cohortly.BootcampFilter{}, cohortly.Page{Limit: 10})
	must(t, err)
	got := []string{}
	for _, b := range list {
		got = append(got, b.ID)
	}
	eqIDs(t, "bootcamps (created_at DESC, id)", got, []string{id('c', 2), id('c', 3), id('c', 1)})
	if total != 3 || list[0].Price != cohortly.MaxMoney || list[1].Price != 1 || list[0].Batches.Count != 0 || list[0].Batches.MinStart != nil {
		t.Fatalf("list = %+v total %d", list, total)
	}

	// Soft delete and the isActive filter.
	off, err := s.UpdateBootcamp(ctx, id('c', 3), cohortly.BootcampPatch{IsActive: cohortly.Some(false)}, at(700))
	must(t, err)
	if off.IsActive || off.Title != "Cheap" {
		t.Fatalf("soft delete = %+v", off)
	}
	eqTime(t, "updated_at", off.UpdatedAt, at(700))
	active := true
	list, total, err = bootcampPage(ctx, s, cohortly.BootcampFilter{IsActive: &active}, cohortly.Page{Limit: 1, Offset: 1})
	must(t, err)
	if total != 2 || len(list) != 1 || list[0].ID != id('c', 1) {
		t.Fatalf("active page 2 = %+v total %d", list, total)
	}
	inactive := false
	_, total, err = bootcampPage(ctx, s, cohortly.BootcampFilter{IsActive: &inactive}, cohortly.Page{Limit: 10})
	must(t, err)
	if total != 1 {
		t.Fatalf("inactive total %d", total)
	}
	up, err := s.UpdateBootcamp(ctx, w.bootcamp.ID, cohortly.BootcampPatch{Title: cohortly.Some("Go!"), Description: cohortly.Some("New"),
		Mode: cohortly.Some(cohortly.ModeLive), Price: cohortly.Some(cohortly.Money(50)), Duration: cohortly.Some[*int](nil)}, at(800))
	must(t, err)
	if up.Title != "Go!" || up.Description != "New" || up.Mode != cohortly.ModeLive || up.Price != 50 || up.Duration != nil || !up.IsActive {
		t.Fatalf("UpdateBootcamp = %+v", up)
	}
	_, err = s.UpdateBootcamp(ctx, "nope", cohortly.BootcampPatch{Title: cohortly.Some("x")}, at(1))
	wantErr(t, err, cohortly.ErrNotFound)

	// Detail: batches by start_date ASC, modules and lessons by order_index.
	must(t, s.CreateModule(ctx, cohortly.Module{ID: id('e', 2), BootcampID: w.bootcamp.ID, Title: "Zero", OrderIndex: 0, CreatedAt: at(300), UpdatedAt: at(300)}))
	must(t, s.CreateLesson(ctx, cohortly.Lesson{ID: id('f', 2), ModuleID: w.module.ID, Title: "First", ContentType: cohortly.ContentText, OrderIndex: 0, CreatedAt: at(300), UpdatedAt: at(300)}))
	wantErr(t, s.CreateModule(ctx, cohortly.Module{ID: id('e', 9), BootcampID: "nope", Title: "x", CreatedAt: at(1), UpdatedAt: at(1)}), cohortly.ErrMissingRef)
	wantErr(t, s.CreateLesson(ctx, cohortly.Lesson{ID: id('f', 9), ModuleID: "nope", Title: "x", ContentType: cohortly.ContentText, CreatedAt: at(1), UpdatedAt: at(1)}), cohortly.ErrMissingRef)
	must(t, s.CreateEnrollment(ctx, cohortly.Enrollment{ID: id('h', 1), StudentID: w.student.ID, BatchID: w.batch.ID, Status: cohortly.EnrollmentActive,
		EnrolledAt: at(1), CreatedAt: at(1), UpdatedAt: at(1)}))
	d, err := s.BootcampDetail(ctx, w.bootcamp.ID)
	must(t, err)
	got = []string{}
	for _, b := range d.BatchList {
		got = append(got, b.ID)
	}
	eqIDs(t, "detail batches", got, []string{id('d', 3), id('d', 2), id('d', 1)})
	if d.BatchList[2].EnrollmentCount != 1 || d.BatchList[0].EnrollmentCount != 0 || d.ModuleCount != 2 {
		t.Fatalf("detail counts %+v", d)
	}
	if len(d.Modules) != 2 || d.Modules[0].ID != id('e', 2) || len(d.Modules[0].Lessons) != 0 || d.Modules[0].Lessons == nil ||
		len(d.Modules[1].Lessons) != 2 || d.Modules[1].Lessons[0].ID != id('f', 2) || d.Modules[1].Lessons[1].ID != id('f', 1) {
		t.Fatalf("detail modules %+v", d.Modules)
	}
	_, err = s.BootcampDetail(ctx, "nope")
	wantErr(t, err, cohortly.ErrNotFound)
}

func testBatches(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	w := mkWorld(t, s)
	inst := mkUser(t, s, 3, cohortly.RoleInstructor)
	mentor := mkUser(t, s, 4, cohortly.RoleMentor)
	other := cohortly.Bootcamp{ID: id('c', 2), Title: "Other", Description: "O", Mode: cohortly.ModeLive, Price: 100, IsActive: true,
		CreatedBy: w.admin.ID, CreatedAt: at(1), UpdatedAt: at(1)}
	must(t, s.CreateBootcamp(ctx, other, nil))
	mk := func(n int, bc string, start int, status cohortly.BatchStatus) {
		must(t, s.CreateBatch(ctx, cohortly.Batch{ID: id('d', n), BootcampID: bc, BatchName: "B", StartDate: at(start), EndDate: at(start + 1),
			Capacity: 10, Status: status, CreatedAt: at(1), UpdatedAt: at(1)}))
	}
	mk(2, w.bootcamp.ID, 5000, cohortly.BatchCompleted) // latest start, but completed
	mk(3, w.bootcamp.ID, 3000, cohortly.BatchOngoing)
	mk(4, w.bootcamp.ID, 3000, cohortly.BatchUpcoming) // tie on start: id ASC picks d3
	mk(5, other.ID, 4000, cohortly.BatchUpcoming)

	cur, err := s.CurrentBatch(ctx, w.bootcamp.ID)
	must(t, err)
	if cur.ID != id('d', 3) || cur.BootcampID != w.bootcamp.ID || cur.Status != cohortly.BatchOngoing {
		t.Fatalf("CurrentBatch = %+v", cur)
	}
	eqTime(t, "start_date", cur.StartDate, at(3000))
	_, err = s.CurrentBatch(ctx, "nope")
	wantErr(t, err, cohortly.ErrNotFound)

	a := cohortly.StaffAssignment{ID: id('i', 1), BatchID: w.batch.ID, UserID: inst.ID, AssignedAt: at(10)}
	must(t, s.AddInstructor(ctx, a))
	a.ID = id('i', 2)
	wantErr(t, s.AddInstructor(ctx, a), cohortly.ErrConflict)
	wantErr(t, s.AddInstructor(ctx, cohortly.StaffAssignment{ID: id('i', 3), BatchID: "nope", UserID: inst.ID, AssignedAt: at(1)}), cohortly.ErrMissingRef)
	wantErr(t, s.AddInstructor(ctx, cohortly.StaffAssignment{ID: id('i', 3), BatchID: w.batch.ID, UserID: "nope", AssignedAt: at(1)}), cohortly.ErrMissingRef)
	must(t, s.AddMentor(ctx, cohortly.StaffAssignment{ID: id('j', 1), BatchID: w.batch.ID, UserID: mentor.ID, AssignedAt: at(20)}))
	must(t, s.AddMentor(ctx, cohortly.StaffAssignment{ID: id('j', 2), BatchID: w.batch.ID, UserID: inst.ID, AssignedAt: at(15)}))
	wantErr(t, s.AddMentor(ctx, cohortly.StaffAssignment{ID: id('j', 3), BatchID: w.batch.ID, UserID: mentor.ID, AssignedAt: at(1)}), cohortly.ErrConflict)
	// Concurrent duplicates: one winner.
	errs := race(8, func(i int) error {
		return s.AddInstructor(ctx, cohortly.StaffAssignment{ID: id('k', i), BatchID: id('d', 3), UserID: inst.ID, AssignedAt: at(1)})
	})
	oneWinner(t, errs, cohortly.ErrConflict)
	must(t, s.CreateEnrollment(ctx, cohortly.Enrollment{ID: id('h', 1), StudentID: w.student.ID, BatchID: w.batch.ID, Status: cohortly.EnrollmentActive,
		EnrolledAt: at(1), CreatedAt: at(1), UpdatedAt: at(1)}))

	d, err := s.BatchDetail(ctx, w.batch.ID)
	must(t, err)
	if d.Bootcamp.ID != w.bootcamp.ID || d.Bootcamp.Price != 199999 || len(d.Instructors) != 1 || d.Instructors[0].User != inst.Ref() ||
		len(d.Mentors) != 2 || d.Mentors[0].User != inst.Ref() || d.Mentors[1].User != mentor.Ref() ||
		len(d.Enrollments) != 1 || d.Enrollments[0].Student.ID != w.student.ID || d.Enrollments[0].Student.Phone == nil {
		t.Fatalf("BatchDetail = %+v", d)
	}
	_, err = s.BatchDetail(ctx, "nope")
	wantErr(t, err, cohortly.ErrNotFound)

	list, total, err := s.ListBatches(ctx, cohortly.BatchFilter{BootcampID: w.bootcamp.ID}, cohortly.Page{Limit: 10})
	must(t, err)
	got := []string{}
	for _, b := range list {
		got = append(got, b.ID)
	}
	// start_date DESC, ties id ASC; mkWorld's batch starts at 1000.
	eqIDs(t, "batches", got, []string{id('d', 2), id('d', 3), id('d', 4), id('d', 1)})
	if total != 4 || list[3].EnrollmentCount != 1 || list[3].InstructorCount != 1 || list[3].MentorCount != 2 || list[3].Bootcamp.Title != "Go Bootcamp" ||
		list[1].InstructorCount != 1 {
		t.Fatalf("ListBatches = %+v", list)
	}
	list, total, err = s.ListBatches(ctx, cohortly.BatchFilter{Status: cohortly.BatchUpcoming}, cohortly.Page{Limit: 1})
	must(t, err)
	if total != 3 || len(list) != 1 || list[0].ID != id('d', 5) {
		t.Fatalf("upcoming = %+v total %d", list, total)
	}
}
