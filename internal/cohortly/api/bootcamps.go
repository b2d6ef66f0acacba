package api

import (
	"net/http"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

func bootcampInput(b *body) cohortly.BootcampInput {
	return cohortly.BootcampInput{
		Title: b.str("title"), Name: b.str("name"), Description: b.str("description"), Mode: b.str("mode"),
		Price: b.decimal("price"), Duration: b.nullableInt("duration", "duration_weeks"), IsActive: b.boolean("isActive", "is_active"),
		StartDate: b.str("startDate", "start_date"), EndDate: b.str("endDate", "end_date"),
		Capacity: b.integer("capacity", "max_students"), BatchName: b.str("batchName", "batch_name"),
	}
}

func (a *API) listBootcamps(w http.ResponseWriter, r *http.Request, t cohortly.AccessToken) error {
	q := r.URL.Query()
	pq, err := pageQuery(q)
	if err != nil {
		return a.svc.AuthorizeThen(r.Context(), t, cohortly.ActReadBootcamps, err)
	}
	active, err := queryBool(q, "isActive")
	if err != nil {
		return a.svc.AuthorizeThen(r.Context(), t, cohortly.ActReadBootcamps, err)
	}
	res, err := a.svc.ListBootcamps(r.Context(), t, cohortly.BootcampQuery{PageQuery: pq, IsActive: active})
	if err != nil {
		return err
	}
	writePage(w, "Bootcamps retrieved successfully", res, appendBootcampView)
	return nil
}

func (a *API) createBootcamp(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in := bootcampInput(b)
	if err := b.err(); err != nil {
		return err
	}
	v, err := a.svc.CreateBootcamp(r.Context(), p, in)
	if err != nil {
		return err
	}
	ok(w, http.StatusCreated, "Bootcamp created successfully", bootcampView(v))
	return nil
}

func (a *API) getBootcamp(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	d, err := a.svc.GetBootcamp(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Bootcamp retrieved successfully", bootcampDetailView(d))
	return nil
}

func (a *API) updateBootcamp(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in := bootcampInput(b)
	if err := b.err(); err != nil {
		return err
	}
	v, err := a.svc.UpdateBootcamp(r.Context(), p, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Bootcamp updated successfully", bootcampView(v))
	return nil
}

func (a *API) deleteBootcamp(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	if err := a.svc.DeleteBootcamp(r.Context(), p, r.PathValue("id")); err != nil {
		return err
	}
	ok(w, http.StatusOK, "Bootcamp deleted successfully", nil)
	return nil
}

func (a *API) createBatch(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in := cohortly.BatchInput{BatchName: b.str("batchName", "batch_name"), StartDate: b.str("startDate", "start_date"),
		EndDate: b.str("endDate", "end_date"), Capacity: b.integer("capacity"), Status: b.str("status")}
	if err := b.err(); err != nil {
		return err
	}
	v, err := a.svc.CreateBatch(r.Context(), p, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	ok(w, http.StatusCreated, "Batch created successfully", batchView(v, false))
	return nil
}

func (a *API) listBatches(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	q := r.URL.Query()
	pq, err := pageQuery(q)
	if err != nil {
		return err
	}
	res, err := a.svc.ListBatches(r.Context(), p, cohortly.BatchQuery{PageQuery: pq, BootcampID: first(q, "bootcampId", "bootcamp_id"), Status: q.Get("status")})
	if err != nil {
		return err
	}
	out := make([]batchJSON, len(res.Items))
	for i, v := range res.Items {
		out[i] = batchView(v, true)
	}
	okPage(w, "Batches retrieved successfully", out, res)
	return nil
}

func (a *API) getBatch(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	d, err := a.svc.GetBatch(r.Context(), p, r.PathValue("batchId"))
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Batch retrieved successfully", batchDetailView(d))
	return nil
}

func (a *API) addStaff(w http.ResponseWriter, r *http.Request, p *cohortly.Principal, role cohortly.Role) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	field, snake, kind, msg := "instructorId", "instructor_id", "instructor", "Instructor assigned successfully"
	if role == cohortly.RoleMentor {
		field, snake, kind, msg = "mentorId", "mentor_id", "mentor", "Mentor assigned successfully"
	}
	id := b.str(field, snake)
	if err := b.err(); err != nil {
		return err
	}
	v, err := a.svc.AssignStaff(r.Context(), p, r.PathValue("batchId"), role, id)
	if err != nil {
		return err
	}
	ok(w, http.StatusCreated, msg, staffView(v, kind))
	return nil
}

func (a *API) addInstructor(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	return a.addStaff(w, r, p, cohortly.RoleInstructor)
}

func (a *API) addMentor(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	return a.addStaff(w, r, p, cohortly.RoleMentor)
}
