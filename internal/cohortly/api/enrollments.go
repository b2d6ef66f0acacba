package api

import (
	"net/http"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

func enrollmentInput(b *body) cohortly.EnrollmentInput {
	return cohortly.EnrollmentInput{StudentID: b.str("studentId", "student_id"), BatchID: b.str("batchId", "batch_id"),
		BootcampID: b.str("bootcampId", "bootcamp_id"), Status: b.str("status")}
}

func enrollmentQuery(r *http.Request) (cohortly.EnrollmentQuery, error) {
	q := r.URL.Query()
	pq, err := pageQuery(q)
	if err != nil {
		return cohortly.EnrollmentQuery{}, err
	}
	return cohortly.EnrollmentQuery{PageQuery: pq, StudentID: first(q, "studentId", "student_id"), BatchID: first(q, "batchId", "batch_id"),
		BootcampID: first(q, "bootcampId", "bootcamp_id"), Status: q.Get("status")}, nil
}

func (a *API) listEnrollments(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	q, err := enrollmentQuery(r)
	if err != nil {
		return err
	}
	res, err := a.svc.ListEnrollments(r.Context(), p, q)
	if err != nil {
		return err
	}
	okPage(w, "Enrollments retrieved successfully", enrollmentList(res.Items), res)
	return nil
}

func (a *API) enrollmentsByStudent(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	q, err := enrollmentQuery(r)
	if err != nil {
		return err
	}
	q.StudentID = r.PathValue("studentId")
	res, err := a.svc.ListEnrollments(r.Context(), p, q)
	if err != nil {
		return err
	}
	okPage(w, "Student enrollments retrieved successfully", enrollmentList(res.Items), res)
	return nil
}

func (a *API) enrollmentsByBootcamp(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	q, err := enrollmentQuery(r)
	if err != nil {
		return err
	}
	res, err := a.svc.EnrollmentsByBootcamp(r.Context(), p, r.PathValue("bootcampId"), q)
	if err != nil {
		return err
	}
	okPage(w, "Bootcamp enrollments retrieved successfully", enrollmentList(res.Items), res)
	return nil
}

func (a *API) createEnrollment(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in := enrollmentInput(b)
	if err := b.err(); err != nil {
		return err
	}
	v, err := a.svc.CreateEnrollment(r.Context(), p, in)
	if err != nil {
		return err
	}
	ok(w, http.StatusCreated, "Enrollment created successfully", enrollmentView(v))
	return nil
}

func (a *API) getEnrollment(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	v, err := a.svc.GetEnrollment(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Enrollment retrieved successfully", enrollmentView(v))
	return nil
}

func (a *API) updateEnrollmentWith(w http.ResponseWriter, r *http.Request, p *cohortly.Principal, statusRoute bool) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in := enrollmentInput(b)
	if err := b.err(); err != nil {
		return err
	}
	v, err := a.svc.UpdateEnrollment(r.Context(), p, r.PathValue("id"), in, statusRoute)
	if err != nil {
		return err
	}
	msg := "Enrollment updated successfully"
	if statusRoute {
		msg = "Enrollment status updated successfully"
	}
	ok(w, http.StatusOK, msg, enrollmentView(v))
	return nil
}

func (a *API) updateEnrollment(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	return a.updateEnrollmentWith(w, r, p, false)
}

func (a *API) updateEnrollmentStatus(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	return a.updateEnrollmentWith(w, r, p, true)
}

func (a *API) deleteEnrollment(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	if err := a.svc.DeleteEnrollment(r.Context(), p, r.PathValue("id")); err != nil {
		return err
	}
	ok(w, http.StatusOK, "Enrollment deleted successfully", nullData)
	return nil
}
