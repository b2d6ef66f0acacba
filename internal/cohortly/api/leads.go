package api

import (
	"net/http"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

func leadInput(b *body) cohortly.LeadInput {
	return cohortly.LeadInput{
		FullName: b.str("fullName", "full_name"), Email: b.str("email"), Phone: b.nullableStr("phone"),
		Source: b.str("source"), Status: b.str("status"), AssignedTo: b.nullableStr("assignedTo", "assigned_to", "assigned_to_id"),
		Notes: b.str("notes"),
	}
}

func (a *API) listLeads(w http.ResponseWriter, r *http.Request, t cohortly.AccessToken) error {
	q := r.URL.Query()
	pq, err := pageQuery(q)
	if err != nil {
		return a.svc.AuthorizeThen(r.Context(), t, cohortly.ActLeads, err)
	}
	res, err := a.svc.ListLeads(r.Context(), t, cohortly.LeadQuery{PageQuery: pq, Status: q.Get("status"), Source: q.Get("source"),
		AssignedTo: first(q, "assignedTo", "assigned_to", "assigned_to_id"), Search: q.Get("search")})
	if err != nil {
		return err
	}
	writePage(w, "Leads retrieved successfully", res, appendLeadView)
	return nil
}

// createLead is a viewing route: the caller's row is read by the insert (one round trip); a body
// refused before it is answered after the caller's checks.
func (a *API) createLead(w http.ResponseWriter, r *http.Request, t cohortly.AccessToken) error {
	b, err := readBody(r)
	if err != nil {
		return a.svc.AuthorizeThen(r.Context(), t, cohortly.ActLeads, err)
	}
	in := leadInput(b)
	if err := b.err(); err != nil {
		return a.svc.AuthorizeThen(r.Context(), t, cohortly.ActLeads, err)
	}
	v, err := a.svc.CreateLead(r.Context(), t, in)
	if err != nil {
		return err
	}
	writeCreatedLead(w, &v)
	return nil
}

func (a *API) followUps(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	items, err := a.svc.FollowUps(r.Context(), p)
	if err != nil {
		return err
	}
	out := make([]leadLogJSON, len(items))
	for i, f := range items {
		out[i] = leadLogView(f.LeadLog, f.CreatedByUser)
		l := leadScalars(f.Lead)
		out[i].Lead = &l
	}
	ok(w, http.StatusOK, "Upcoming follow-ups retrieved successfully", out)
	return nil
}

func (a *API) getLead(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	d, err := a.svc.GetLead(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	out := leadDetailJSON{leadWithUsersJSON: leadView(d.LeadView), Logs: make([]leadLogJSON, len(d.Logs))}
	for i, l := range d.Logs {
		out.Logs[i] = leadLogView(l.LeadLog, l.CreatedByUser)
	}
	ok(w, http.StatusOK, "Lead retrieved successfully", out)
	return nil
}

func (a *API) updateLead(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in := leadInput(b)
	in.Notes = nil
	if err := b.err(); err != nil {
		return err
	}
	v, err := a.svc.UpdateLead(r.Context(), p, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Lead updated successfully", leadView(v))
	return nil
}

func (a *API) deleteLead(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	if err := a.svc.DeleteLead(r.Context(), p, r.PathValue("id")); err != nil {
		return err
	}
	ok(w, http.StatusOK, "Lead deleted successfully", nil)
	return nil
}

func (a *API) addLeadLog(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in := cohortly.LeadLogInput{Note: b.str("note"), NextFollowUp: b.nullableStr("nextFollowUp", "next_follow_up")}
	if err := b.err(); err != nil {
		return err
	}
	v, err := a.svc.AddLeadLog(r.Context(), p, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	ok(w, http.StatusCreated, "Lead log added successfully", leadLogView(v.LeadLog, v.CreatedByUser))
	return nil
}

func (a *API) convertLead(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	v, err := a.svc.ConvertLead(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Lead converted successfully", leadView(v))
	return nil
}
