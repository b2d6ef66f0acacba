package cohortly

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/apperr"
)

const msgLeadNotFound = "Lead not found"

// LeadInput is the body of POST /leads and PUT /leads/{id}; nil means absent. AssignedTo uses Opt so
// an explicit null unassigns.
type LeadInput struct {
	FullName   *string
	Email      *string
	Phone      Opt[*string]
	Source     *string
	Status     *string
	AssignedTo Opt[*string]
	Notes      *string
}

// frontendSources are sources the frontend offers that the database enum lacks: stored as OTHER, with
// the original recorded in a lead log so nothing the user entered is lost.
var frontendSources = map[string]bool{"EMAIL": true, "PHONE": true}

// CreateLead adds a lead created by the holder of t. Their row is read by the insert itself (one
// round trip on PostgreSQL) and admitted with the same checks as every route, so a caller refused
// there writes nothing; a request refused for its body is answered after the caller's checks
// (AuthorizeThen: 401, then 403, then 400).
func (s *Service) CreateLead(ctx context.Context, t AccessToken, in LeadInput) (LeadView, error) {
	var fe fieldErrs
	fullName, _ := trimmed(in.FullName)
	if fullName == "" {
		fe.add("fullName", "Full name is required", strOrNil(in.FullName), in.FullName != nil)
	}
	email := validEmail(&fe, in.Email)
	phone := validPhone(&fe, "phone", in.Phone.V)
	var source LeadSource
	var logs []string
	switch {
	case in.Source != nil && LeadSource(*in.Source).Valid():
		source = LeadSource(*in.Source)
	case in.Source != nil && frontendSources[*in.Source]:
		source = SourceOther
		logs = append(logs, "Lead source: "+*in.Source)
	default:
		fe.add("source", "Invalid source", strOrNil(in.Source), in.Source != nil)
	}
	assigned, assignee := s.validAssignee(ctx, &fe, in.AssignedTo)
	if in.Notes != nil {
		if n := strings.TrimSpace(*in.Notes); n != "" {
			logs = append(logs, n)
		}
	}
	if err := fe.err(); err != nil {
		return LeadView{}, s.AuthorizeThen(ctx, t, ActLeads, err)
	}
	now := s.Now()
	l := Lead{ID: NewID(), FullName: fullName, Email: email, Phone: phone, Source: source, Status: LeadNew,
		AssignedTo: assigned, CreatedBy: t.UserID, CreatedAt: now, UpdatedAt: now}
	var entries []LeadLog
	for _, n := range logs {
		entries = append(entries, LeadLog{ID: NewID(), LeadID: l.ID, Note: n, CreatedBy: t.UserID, CreatedAt: now})
	}
	creator, created, err := s.store.CreateLeadAs(ctx, l, entries)
	if errors.Is(err, ErrMissingRef) {
		// Only an insert that ran fails on a reference, and it runs only for an admitted caller.
		return LeadView{}, errValidation(apperr.FieldError{Path: "assignedTo", Msg: "Assigned user does not exist", Location: "body"})
	}
	if err := s.viewed(t, creator, err, ActLeads); err != nil {
		return LeadView{}, err
	}
	if !created {
		// The store admits with the same rule as viewed; disagreeing would be a bug, never a 201.
		return LeadView{}, internal(errors.New("lead not written for an admitted caller"), "create lead")
	}
	// The view is what was just written, with the two users this request has already read (the
	// creator, read with the insert, and the assignee, checked above): reading it back would be
	// another round trip for the same values (TestCreatedLeadMatchesItsReload checks they agree).
	return LeadView{Lead: l, AssignedToUser: assignee, CreatedByUser: creator.Ref()}, nil
}

// validAssignee checks an assignedTo value: a UUID of an existing user (null unassigns). It returns the
// normalised id and the user's reference.
func (s *Service) validAssignee(ctx context.Context, fe *fieldErrs, in Opt[*string]) (*string, *UserRef) {
	if !in.Set || in.V == nil {
		return nil, nil
	}
	id := *in.V
	if !isUUID(id) {
		fe.add("assignedTo", "Invalid value", id, true)
		return nil, nil
	}
	id = strings.ToLower(id)
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		fe.add("assignedTo", "Assigned user does not exist", *in.V, true)
		return nil, nil
	}
	ref := u.Ref()
	return &id, &ref
}

// LeadQuery is GET /leads.
type LeadQuery struct {
	PageQuery
	Status     string
	Source     string
	AssignedTo string
	Search     string
}

// ListLeads pages through leads, newest first, for the holder of t: their row is read with the page
// (one round trip) and checked before the page is returned.
func (s *Service) ListLeads(ctx context.Context, t AccessToken, q LeadQuery) (Paged[LeadView], error) {
	var fe fieldErrs
	f := LeadFilter{Status: LeadStatus(q.Status), Source: LeadSource(q.Source), AssignedTo: q.AssignedTo, Search: q.Search}
	if q.Status != "" && !f.Status.Valid() {
		fe = append(fe, apperr.FieldError{Path: "status", Msg: "Invalid status", Value: q.Status, HasValue: true, Location: "query"})
	}
	if q.Source != "" && !f.Source.Valid() {
		fe = append(fe, apperr.FieldError{Path: "source", Msg: "Invalid source", Value: q.Source, HasValue: true, Location: "query"})
	}
	if err := fe.err(); err != nil {
		return Paged[LeadView]{}, s.AuthorizeThen(ctx, t, ActLeads, err)
	}
	l, err := s.store.ListLeads(ctx, t.UserID, f, q.store())
	if err := s.viewed(t, l.Viewer, err, ActLeads); err != nil {
		return Paged[LeadView]{}, err
	}
	return paged(l.Items, l.Total, q.PageQuery), nil
}

// LeadDetail is a lead with its logs.
type LeadDetail struct {
	LeadView
	Logs []LeadLogView
}

// GetLead returns one lead with its logs.
func (s *Service) GetLead(ctx context.Context, p *Principal, id string) (LeadDetail, error) {
	if err := Can(&p.User, ActLeads); err != nil {
		return LeadDetail{}, err
	}
	v, err := s.store.LeadByID(ctx, id)
	if err != nil {
		return LeadDetail{}, storeErr(err, msgLeadNotFound, "load lead")
	}
	logs, err := s.store.LeadLogs(ctx, id)
	if err != nil {
		return LeadDetail{}, internal(err, "load lead logs")
	}
	if logs == nil {
		logs = []LeadLogView{}
	}
	return LeadDetail{LeadView: v, Logs: logs}, nil
}

// UpdateLead changes the whitelisted fields of a lead (the legacy wrote the raw body: B6).
func (s *Service) UpdateLead(ctx context.Context, p *Principal, id string, in LeadInput) (LeadView, error) {
	if err := Can(&p.User, ActLeads); err != nil {
		return LeadView{}, err
	}
	var fe fieldErrs
	var patch LeadPatch
	if in.FullName != nil {
		if n := strings.TrimSpace(*in.FullName); n == "" {
			fe.add("fullName", "Full name is required", *in.FullName, true)
		} else {
			patch.FullName = Some(n)
		}
	}
	if in.Email != nil {
		if e := validEmail(&fe, in.Email); e != "" {
			patch.Email = Some(e)
		}
	}
	if in.Phone.Set {
		patch.Phone = Some(validPhone(&fe, "phone", in.Phone.V))
	}
	if in.Source != nil {
		switch src := LeadSource(*in.Source); {
		case src.Valid():
			patch.Source = Some(src)
		case frontendSources[*in.Source]:
			patch.Source = Some(SourceOther)
		default:
			fe.add("source", "Invalid source", *in.Source, true)
		}
	}
	if in.Status != nil {
		if st := LeadStatus(*in.Status); st.Valid() {
			patch.Status = Some(st)
		} else {
			fe.add("status", "Invalid status", *in.Status, true)
		}
	}
	if in.AssignedTo.Set {
		id, _ := s.validAssignee(ctx, &fe, in.AssignedTo)
		patch.AssignedTo = Some(id)
	}
	if err := fe.err(); err != nil {
		return LeadView{}, err
	}
	v, err := s.store.UpdateLead(ctx, id, patch, s.Now())
	if errors.Is(err, ErrMissingRef) {
		return LeadView{}, errValidation(apperr.FieldError{Path: "assignedTo", Msg: "Assigned user does not exist", Location: "body"})
	}
	if err != nil {
		return LeadView{}, storeErr(err, msgLeadNotFound, "update lead")
	}
	return v, nil
}

// DeleteLead removes a lead and its logs.
func (s *Service) DeleteLead(ctx context.Context, p *Principal, id string) error {
	if err := Can(&p.User, ActLeads); err != nil {
		return err
	}
	if err := s.store.DeleteLead(ctx, id); err != nil {
		return storeErr(err, msgLeadNotFound, "delete lead")
	}
	return nil
}

// ConvertLead marks a lead ENROLLED (what the unwired legacy convertLeadToStudent did).
func (s *Service) ConvertLead(ctx context.Context, p *Principal, id string) (LeadView, error) {
	if err := Can(&p.User, ActLeads); err != nil {
		return LeadView{}, err
	}
	v, err := s.store.UpdateLead(ctx, id, LeadPatch{Status: Some(LeadEnrolled)}, s.Now())
	if err != nil {
		return LeadView{}, storeErr(err, msgLeadNotFound, "convert lead")
	}
	return v, nil
}

// LeadLogInput is the body of POST /leads/{id}/logs.
type LeadLogInput struct {
	Note         *string
	NextFollowUp Opt[*string]
}

// AddLeadLog records a contact note on a lead.
func (s *Service) AddLeadLog(ctx context.Context, p *Principal, leadID string, in LeadLogInput) (LeadLogView, error) {
	if err := Can(&p.User, ActLeads); err != nil {
		return LeadLogView{}, err
	}
	var fe fieldErrs
	note, _ := trimmed(in.Note)
	if note == "" {
		fe.add("note", "Note is required", strOrNil(in.Note), in.Note != nil)
	}
	var next *time.Time
	if in.NextFollowUp.Set && in.NextFollowUp.V != nil && *in.NextFollowUp.V != "" {
		if t, ok := ParseTime(*in.NextFollowUp.V); ok {
			next = &t
		} else {
			fe.add("nextFollowUp", "Invalid value", *in.NextFollowUp.V, true)
		}
	}
	if err := fe.err(); err != nil {
		return LeadLogView{}, err
	}
	l := LeadLog{ID: NewID(), LeadID: leadID, Note: note, NextFollowUp: next, CreatedBy: p.User.ID, CreatedAt: s.Now()}
	if err := s.store.AddLeadLog(ctx, l); err != nil {
		if errors.Is(err, ErrMissingRef) {
			return LeadLogView{}, errKind(apperr.KindNotFound, msgLeadNotFound)
		}
		return LeadLogView{}, storeErr(err, msgLeadNotFound, "add lead log")
	}
	return LeadLogView{LeadLog: l, CreatedByUser: p.User.Ref()}, nil
}

// FollowUps lists the caller's follow-ups due in the next seven days.
func (s *Service) FollowUps(ctx context.Context, p *Principal) ([]FollowUp, error) {
	if err := Can(&p.User, ActLeads); err != nil {
		return nil, err
	}
	now := s.Now()
	items, err := s.store.FollowUps(ctx, p.User.ID, now, now.Add(7*24*time.Hour))
	if err != nil {
		return nil, internal(err, "list follow-ups")
	}
	if items == nil {
		items = []FollowUp{}
	}
	return items, nil
}
