package storetest

import (
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

func testAssignments(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	w := mkWorld(t, s)
	other := cohortly.Bootcamp{ID: id('c', 2), Title: "Other", Description: "O", Mode: cohortly.ModeLive, Price: 100, IsActive: true,
		CreatedBy: w.admin.ID, CreatedAt: at(1), UpdatedAt: at(1)}
	must(t, s.CreateBootcamp(ctx, other, nil))
	must(t, s.CreateModule(ctx, cohortly.Module{ID: id('e', 2), BootcampID: other.ID, Title: "M", OrderIndex: 1, CreatedAt: at(1), UpdatedAt: at(1)}))
	must(t, s.CreateLesson(ctx, cohortly.Lesson{ID: id('f', 2), ModuleID: id('e', 2), Title: "L", ContentType: cohortly.ContentLink, OrderIndex: 1, CreatedAt: at(1), UpdatedAt: at(1)}))

	a1 := mkAssignment(t, s, 1, w.lesson.ID, 10)
	mkAssignment(t, s, 2, id('f', 2), 20)
	mkAssignment(t, s, 3, w.lesson.ID, 20)
	wantErr(t, s.CreateAssignment(ctx, cohortly.Assignment{ID: id('x', 9), LessonID: "nope", Title: "t", Description: "d", MaxScore: 1,
		CreatedAt: at(1), UpdatedAt: at(1)}), cohortly.ErrMissingRef)

	v, err := s.AssignmentByID(ctx, a1.ID)
	must(t, err)
	if v.Title != a1.Title || v.MaxScore != 100 || v.Lesson.ID != w.lesson.ID || v.Module.ID != w.module.ID || v.Bootcamp.ID != w.bootcamp.ID ||
		v.Bootcamp.Price != 199999 || v.SubmissionCount != 0 || v.Lesson.ContentType != cohortly.ContentVideo {
		t.Fatalf("AssignmentByID = %+v", v)
	}
	eqTimeP(t, "deadline", v.Deadline, ptr(at(100000)))
	_, err = s.AssignmentByID(ctx, "nope")
	wantErr(t, err, cohortly.ErrNotFound)

	ids := func(vs []cohortly.AssignmentView) []string {
		out := []string{}
		for _, v := range vs {
			out = append(out, v.ID)
		}
		return out
	}
	list, total, err := s.ListAssignments(ctx, cohortly.AssignmentFilter{}, cohortly.Page{Limit: 10})
	must(t, err)
	eqIDs(t, "assignments (created_at DESC, id)", ids(list), []string{id('x', 2), id('x', 3), id('x', 1)})
	if total != 3 {
		t.Fatalf("total %d", total)
	}
	list, total, err = s.ListAssignments(ctx, cohortly.AssignmentFilter{BootcampID: w.bootcamp.ID}, cohortly.Page{Limit: 1, Offset: 1})
	must(t, err)
	eqIDs(t, "bootcamp filter page 2", ids(list), []string{id('x', 1)})
	if total != 2 {
		t.Fatalf("bootcamp total %d", total)
	}
	list, total, err = s.ListAssignments(ctx, cohortly.AssignmentFilter{LessonID: id('f', 2)}, cohortly.Page{Limit: 10})
	must(t, err)
	eqIDs(t, "lesson filter", ids(list), []string{id('x', 2)})
	if total != 1 {
		t.Fatalf("lesson total %d", total)
	}

	up, err := s.UpdateAssignment(ctx, a1.ID, cohortly.AssignmentPatch{Title: cohortly.Some("New"), MaxScore: cohortly.Some(50),
		Deadline: cohortly.Some[*time.Time](nil), LessonID: cohortly.Some(id('f', 2))}, at(900))
	must(t, err)
	if up.Title != "New" || up.MaxScore != 50 || up.Deadline != nil || up.Bootcamp.ID != other.ID || up.Description != "Do it" {
		t.Fatalf("UpdateAssignment = %+v", up)
	}
	eqTime(t, "updated_at", up.UpdatedAt, at(900))
	_, err = s.UpdateAssignment(ctx, a1.ID, cohortly.AssignmentPatch{LessonID: cohortly.Some("nope")}, at(1))
	wantErr(t, err, cohortly.ErrMissingRef)
	_, err = s.UpdateAssignment(ctx, "nope", cohortly.AssignmentPatch{Title: cohortly.Some("x")}, at(1))
	wantErr(t, err, cohortly.ErrNotFound)

	must(t, s.CreateSubmission(ctx, cohortly.Submission{ID: id('s', 1), AssignmentID: a1.ID, StudentID: w.student.ID, Status: cohortly.SubmissionSubmitted,
		CreatedAt: at(1), UpdatedAt: at(1)}))
	must(t, s.DeleteAssignment(ctx, a1.ID))
	wantErr(t, s.DeleteAssignment(ctx, a1.ID), cohortly.ErrNotFound)
	_, err = s.SubmissionByID(ctx, id('s', 1))
	wantErr(t, err, cohortly.ErrNotFound)
}

func testSubmissions(t *testing.T, s cohortly.Store) {
	ctx := ctxT(t)
	w := mkWorld(t, s)
	s2 := mkUser(t, s, 3, cohortly.RoleStudent)
	inst := mkUser(t, s, 4, cohortly.RoleInstructor)
	mentor := mkUser(t, s, 5, cohortly.RoleMentor)
	a1 := mkAssignment(t, s, 1, w.lesson.ID, 10)
	a2 := mkAssignment(t, s, 2, w.lesson.ID, 20)

	sub := func(n int, a, st string, status cohortly.SubmissionStatus, submitted *int, created int) cohortly.Submission {
		x := cohortly.Submission{ID: id('s', n), AssignmentID: a, StudentID: st, SubmissionURL: ptr("https://example.com/x"), Status: status,
			CreatedAt: at(created), UpdatedAt: at(created)}
		if submitted != nil {
			x.SubmittedAt = ptr(at(*submitted))
		}
		return x
	}
	must(t, s.CreateSubmission(ctx, sub(1, a1.ID, w.student.ID, cohortly.SubmissionSubmitted, ptr(300), 300)))
	must(t, s.CreateSubmission(ctx, sub(2, a1.ID, s2.ID, cohortly.SubmissionLate, ptr(100), 100)))
	must(t, s.CreateSubmission(ctx, sub(3, a2.ID, w.student.ID, cohortly.SubmissionPending, nil, 50)))
	must(t, s.CreateSubmission(ctx, sub(4, a2.ID, s2.ID, cohortly.SubmissionSubmitted, ptr(100), 90)))
	wantErr(t, s.CreateSubmission(ctx, sub(9, a1.ID, w.student.ID, cohortly.SubmissionSubmitted, nil, 1)), cohortly.ErrConflict)
	wantErr(t, s.CreateSubmission(ctx, sub(9, "nope", w.student.ID, cohortly.SubmissionSubmitted, nil, 1)), cohortly.ErrMissingRef)
	wantErr(t, s.CreateSubmission(ctx, sub(9, a1.ID, "nope", cohortly.SubmissionSubmitted, nil, 1)), cohortly.ErrMissingRef)

	ids := func(vs []cohortly.SubmissionView) []string {
		out := []string{}
		for _, v := range vs {
			out = append(out, v.ID)
		}
		return out
	}
	list, total, err := s.ListSubmissions(ctx, cohortly.SubmissionFilter{}, cohortly.Page{Limit: 10})
	must(t, err)
	// submitted_at DESC NULLS LAST, then created_at DESC, then id.
	eqIDs(t, "newest first", ids(list), []string{id('s', 1), id('s', 2), id('s', 4), id('s', 3)})
	if total != 4 || list[0].Assignment.ID != a1.ID || list[0].Assignment.Bootcamp.ID != w.bootcamp.ID || list[0].Student != w.student.Ref() || list[0].Grade != nil {
		t.Fatalf("ListSubmissions = %+v", list[0])
	}
	list, total, err = s.ListSubmissions(ctx, cohortly.SubmissionFilter{Order: cohortly.SubmittedOldestFirst,
		Statuses: []cohortly.SubmissionStatus{cohortly.SubmissionSubmitted, cohortly.SubmissionLate}}, cohortly.Page{Limit: 10})
	must(t, err)
	// submitted_at ASC NULLS LAST, then created_at ASC, then id.
	eqIDs(t, "pending grades", ids(list), []string{id('s', 4), id('s', 2), id('s', 1)})
	if total != 3 {
		t.Fatalf("pending total %d", total)
	}
	list, total, err = s.ListSubmissions(ctx, cohortly.SubmissionFilter{AssignmentID: a2.ID, StudentID: w.student.ID}, cohortly.Page{Limit: 10})
	must(t, err)
	eqIDs(t, "filtered", ids(list), []string{id('s', 3)})
	if total != 1 {
		t.Fatalf("filtered total %d", total)
	}
	list, total, err = s.ListSubmissions(ctx, cohortly.SubmissionFilter{StudentID: s2.ID}, cohortly.Page{Limit: 1, Offset: 1})
	must(t, err)
	if total != 2 || len(list) != 1 {
		t.Fatalf("student page: %d rows, total %d", len(list), total)
	}

	// Grading: first grade inserts and marks GRADED; a regrade updates in place.
	g := cohortly.Grade{ID: id('g', 1), SubmissionID: id('s', 1), Score: 80, Feedback: ptr("Good"), GradedBy: inst.ID, GradedAt: at(1000)}
	gv, created, err := s.GradeSubmission(ctx, g)
	must(t, err)
	if !created || gv.ID != g.ID || gv.Score != 80 || *gv.Feedback != "Good" || gv.GradedByUser != inst.Ref() {
		t.Fatalf("first grade = %+v created %v", gv, created)
	}
	eqTime(t, "graded_at", gv.GradedAt, at(1000))
	sv, err := s.SubmissionByID(ctx, id('s', 1))
	must(t, err)
	if sv.Status != cohortly.SubmissionGraded || sv.Grade == nil || sv.Grade.Score != 80 || sv.Grade.GradedByUser != inst.Ref() {
		t.Fatalf("graded submission = %+v", sv)
	}
	eqTime(t, "submission updated_at", sv.UpdatedAt, at(1000))
	gv, created, err = s.GradeSubmission(ctx, cohortly.Grade{ID: id('g', 2), SubmissionID: id('s', 1), Score: 90, GradedBy: mentor.ID, GradedAt: at(2000)})
	must(t, err)
	if created || gv.ID != g.ID || gv.Score != 90 || gv.Feedback != nil || gv.GradedByUser != mentor.Ref() {
		t.Fatalf("regrade = %+v created %v", gv, created)
	}
	_, _, err = s.GradeSubmission(ctx, cohortly.Grade{ID: id('g', 3), SubmissionID: "nope", Score: 1, GradedBy: inst.ID, GradedAt: at(1)})
	wantErr(t, err, cohortly.ErrNotFound)
	_, _, err = s.GradeSubmission(ctx, cohortly.Grade{ID: id('g', 3), SubmissionID: id('s', 2), Score: 1, GradedBy: "nobody", GradedAt: at(1)})
	wantErr(t, err, cohortly.ErrMissingRef)
	sv, err = s.SubmissionByID(ctx, id('s', 2))
	must(t, err)
	if sv.Status != cohortly.SubmissionLate || sv.Grade != nil {
		t.Fatalf("failed grade left changes: %+v", sv)
	}
	_, err = s.SubmissionByID(ctx, "nope")
	wantErr(t, err, cohortly.ErrNotFound)

	// Concurrent first grades: exactly one reports created.
	createdBy := make([]bool, 8)
	errs := race(8, func(i int) error {
		var err error
		_, createdBy[i], err = s.GradeSubmission(ctx, cohortly.Grade{ID: id('g', 10+i), SubmissionID: id('s', 4), Score: i, GradedBy: inst.ID, GradedAt: at(3000 + i)})
		return err
	})
	n := 0
	for i, err := range errs {
		must(t, err)
		if createdBy[i] {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d concurrent first grades reported created", n)
	}
	a, err := s.AssignmentByID(ctx, a1.ID)
	must(t, err)
	if a.SubmissionCount != 2 {
		t.Fatalf("submission count %d", a.SubmissionCount)
	}
}
