package api

import (
	"net/http"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

func assignmentInput(b *body) cohortly.AssignmentInput {
	return cohortly.AssignmentInput{
		LessonID: b.str("lessonId", "lesson_id"), BootcampID: b.str("bootcampId", "bootcamp_id"),
		Title: b.str("title"), Description: b.str("description"),
		MaxScore: b.integer("maxScore", "max_score"), MaxPoints: b.integer("maxPoints", "points"),
		Deadline: b.nullableStr("deadline"), DueDate: b.nullableStr("dueDate", "due_date"),
	}
}

func (a *API) listAssignments(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	q := r.URL.Query()
	pq, err := pageQuery(q)
	if err != nil {
		return err
	}
	res, err := a.svc.ListAssignments(r.Context(), p, cohortly.AssignmentQuery{PageQuery: pq,
		LessonID: first(q, "lessonId", "lesson_id"), BootcampID: first(q, "bootcampId", "bootcamp_id")})
	if err != nil {
		return err
	}
	okPage(w, "Assignments retrieved successfully", assignmentList(res.Items, a.clk.Now()), res)
	return nil
}

func (a *API) createAssignment(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in := assignmentInput(b)
	if err := b.err(); err != nil {
		return err
	}
	v, err := a.svc.CreateAssignment(r.Context(), p, in)
	if err != nil {
		return err
	}
	ok(w, http.StatusCreated, "Assignment created successfully", assignmentView(v, a.clk.Now(), true))
	return nil
}

func (a *API) getAssignment(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	d, err := a.svc.GetAssignment(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	now := a.clk.Now()
	ok(w, http.StatusOK, "Assignment retrieved successfully", assignmentDetailJSON{assignmentJSON: assignmentView(d.AssignmentView, now, true),
		Submissions: submissionList(d.Submissions, now)})
	return nil
}

func (a *API) updateAssignment(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in := assignmentInput(b)
	in.BootcampID = nil
	if err := b.err(); err != nil {
		return err
	}
	v, err := a.svc.UpdateAssignment(r.Context(), p, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Assignment updated successfully", assignmentView(v, a.clk.Now(), true))
	return nil
}

func (a *API) deleteAssignment(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	if err := a.svc.DeleteAssignment(r.Context(), p, r.PathValue("id")); err != nil {
		return err
	}
	ok(w, http.StatusOK, "Assignment deleted successfully", nil)
	return nil
}

func (a *API) submit(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in := cohortly.SubmissionInput{AssignmentID: b.str("assignmentId", "assignment_id"),
		SubmissionURL: b.str("submissionUrl", "submission_url"), Content: b.str("content")}
	if err := b.err(); err != nil {
		return err
	}
	v, err := a.svc.Submit(r.Context(), p, in)
	if err != nil {
		return err
	}
	ok(w, http.StatusCreated, "Assignment submitted successfully", submissionView(v, a.clk.Now()))
	return nil
}

func (a *API) listSubmissions(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	q := r.URL.Query()
	pq, err := pageQuery(q)
	if err != nil {
		return err
	}
	res, err := a.svc.ListSubmissions(r.Context(), p, cohortly.SubmissionQuery{PageQuery: pq,
		AssignmentID: first(q, "assignmentId", "assignment_id"), StudentID: first(q, "studentId", "student_id")})
	if err != nil {
		return err
	}
	okPage(w, "Submissions retrieved successfully", submissionList(res.Items, a.clk.Now()), res)
	return nil
}

func (a *API) getSubmission(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	v, err := a.svc.GetSubmission(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Submission retrieved successfully", submissionView(v, a.clk.Now()))
	return nil
}

func (a *API) grade(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in := cohortly.GradeInput{Score: b.integer("score"), Feedback: b.nullableStr("feedback")}
	if err := b.err(); err != nil {
		return err
	}
	g, err := a.svc.Grade(r.Context(), p, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Submission graded successfully", gradeView(g))
	return nil
}

func (a *API) pendingGrades(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	pq, err := pageQuery(r.URL.Query())
	if err != nil {
		return err
	}
	res, err := a.svc.PendingGrades(r.Context(), p, pq)
	if err != nil {
		return err
	}
	okPage(w, "Pending grades retrieved successfully", submissionList(res.Items, a.clk.Now()), res)
	return nil
}
