package cohortly

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/apperr"
)

const (
	msgBootcampNotFound = "Bootcamp not found"
	msgBatchNotFound    = "Batch not found"
)

// Frontend bootcamp statuses, derived from the batches (contract §6.2).
const (
	BootcampDraft     = "DRAFT"
	BootcampPublished = "PUBLISHED"
	BootcampOngoing   = "ONGOING"
	BootcampCompleted = "COMPLETED"
	BootcampCancelled = "CANCELLED"
)

// FrontendStatus derives the frontend's bootcamp status: a soft-deleted bootcamp is CANCELLED; else any
// ONGOING batch makes it ONGOING, any UPCOMING batch PUBLISHED, all batches COMPLETED makes it
// COMPLETED; without batches it is a DRAFT. Remaining mixes (only cancelled, or completed and
// cancelled) read as COMPLETED when something completed, else CANCELLED.
func (v BootcampView) FrontendStatus() string {
	b := v.Batches
	switch {
	case !v.IsActive:
		return BootcampCancelled
	case b.Count == 0:
		return BootcampDraft
	case b.Ongoing > 0:
		return BootcampOngoing
	case b.Upcoming > 0:
		return BootcampPublished
	case b.Completed > 0:
		return BootcampCompleted
	}
	return BootcampCancelled
}

// FrontendDates are the frontend's startDate and endDate: the span of the batches (earliest start,
// latest end). A bootcamp without batches is not scheduled yet, but the frontend's card formats
// whatever it gets as dates and a week count: null reads as "Starts: 1/1/1970, Duration: 0 weeks" and
// a missing field as "Invalid Date" and "NaN weeks". So it gets the bootcamp's own dates instead: the
// day it was created, and that plus its duration in weeks (0 without one). The card then shows a DRAFT
// from its creation day lasting as long as the bootcamp says; a client that needs to know whether a
// batch is scheduled reads _count.batches.
func (v BootcampView) FrontendDates() (start, end time.Time) {
	if v.Batches.MinStart != nil && v.Batches.MaxEnd != nil {
		return *v.Batches.MinStart, *v.Batches.MaxEnd
	}
	weeks := 0
	if v.Duration != nil {
		weeks = *v.Duration
	}
	return v.CreatedAt, v.CreatedAt.AddDate(0, 0, 7*weeks)
}

// BootcampInput is the body of POST and PUT /bootcamps: the legacy fields and the frontend's.
type BootcampInput struct {
	Title       *string
	Name        *string // frontend alias of Title
	Description *string
	Mode        *string
	Price       *string // the JSON number's text, parsed exactly
	Duration    Opt[*int]
	IsActive    *bool
	// Frontend-style create: these describe the first batch.
	StartDate *string
	EndDate   *string
	Capacity  *int
	BatchName *string
}

// CreateBootcamp adds a bootcamp (ADMIN only). A frontend-style body (startDate, endDate, capacity) also
// creates the first batch, since the frontend has no other way to say when a bootcamp runs.
func (s *Service) CreateBootcamp(ctx context.Context, p *Principal, in BootcampInput) (BootcampView, error) {
	if err := Can(&p.User, ActWriteBootcamps); err != nil {
		return BootcampView{}, err
	}
	var fe fieldErrs
	title := firstNonNil(in.Title, in.Name)
	t, _ := trimmed(title)
	if t == "" {
		fe.add("title", "Title is required", strOrNil(title), title != nil)
	}
	desc, _ := trimmed(in.Description)
	if desc == "" {
		fe.add("description", "Description is required", strOrNil(in.Description), in.Description != nil)
	}
	mode := ModeHybrid
	if in.Mode != nil {
		if m := BootcampMode(*in.Mode); m.Valid() {
			mode = m
		} else {
			fe.add("mode", "Invalid mode", *in.Mode, true)
		}
	}
	price, priceOK := validPrice(&fe, in.Price, true)
	duration := validDuration(&fe, in.Duration.V)
	var first *Batch
	now := s.Now()
	if in.StartDate != nil || in.EndDate != nil || in.Capacity != nil {
		start, end, capacity := validBatchFields(&fe, in.StartDate, in.EndDate, in.Capacity)
		if len(fe) == 0 {
			name, _ := trimmed(in.BatchName)
			if name == "" {
				name = t + " - " + start.Format("Jan 2006")
			}
			first = &Batch{ID: NewID(), BatchName: name, StartDate: start, EndDate: end, Capacity: capacity,
				Status: BatchUpcoming, CreatedAt: now, UpdatedAt: now}
			if duration == nil {
				weeks := int((end.Sub(start) + 7*24*time.Hour - 1) / (7 * 24 * time.Hour))
				weeks = max(weeks, 1)
				duration = &weeks
			}
		}
	}
	if err := fe.err(); err != nil || !priceOK {
		return BootcampView{}, err
	}
	b := Bootcamp{ID: NewID(), Title: t, Description: desc, Mode: mode, Price: price, Duration: duration,
		IsActive: true, CreatedBy: p.User.ID, CreatedAt: now, UpdatedAt: now}
	if first != nil {
		first.BootcampID = b.ID
	}
	if err := s.store.CreateBootcamp(ctx, b, first); err != nil {
		return BootcampView{}, internal(err, "create bootcamp")
	}
	v, err := s.store.BootcampByID(ctx, b.ID)
	if err != nil {
		return BootcampView{}, storeErr(err, msgBootcampNotFound, "reload bootcamp")
	}
	return v, nil
}

func firstNonNil(ps ...*string) *string {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

func validPrice(fe *fieldErrs, in *string, required bool) (Money, bool) {
	if in == nil {
		if required {
			fe.add("price", "Price must be a non-negative number", nil, false)
			return 0, false
		}
		return 0, true
	}
	m, err := ParseMoney(*in)
	if err != nil || m < 0 {
		fe.add("price", "Price must be a non-negative number with at most 2 decimals (max 99999999.99)", *in, true)
		return 0, false
	}
	return m, true
}

func validDuration(fe *fieldErrs, in *int) *int {
	if in == nil {
		return nil
	}
	if *in < 1 || *in > 520 {
		fe.add("duration", "Duration must be a whole number of weeks between 1 and 520", *in, true)
		return nil
	}
	v := *in
	return &v
}

func validBatchFields(fe *fieldErrs, startIn, endIn *string, capIn *int) (start, end time.Time, capacity int) {
	var okS, okE bool
	if startIn != nil {
		start, okS = ParseTime(*startIn)
	}
	if !okS {
		fe.add("startDate", "Valid start date is required", strOrNil(startIn), startIn != nil)
	}
	if endIn != nil {
		end, okE = ParseTime(*endIn)
	}
	if !okE {
		fe.add("endDate", "Valid end date is required", strOrNil(endIn), endIn != nil)
	}
	if okS && okE && end.Before(start) {
		fe.add("endDate", "End date must not be before start date", *endIn, true)
	}
	if capIn == nil || *capIn < 1 || *capIn > 100000 {
		var v any
		if capIn != nil {
			v = *capIn
		}
		fe.add("capacity", "Capacity must be a positive integer", v, capIn != nil)
	} else {
		capacity = *capIn
	}
	return start, end, capacity
}

// BootcampQuery is GET /bootcamps. IsActive nil lists active bootcamps only: a deleted (soft-deleted)
// bootcamp disappears from the list as the frontend expects; ?isActive=false lists the deleted ones.
type BootcampQuery struct {
	PageQuery
	IsActive *bool
}

// ListBootcamps pages through bootcamps, newest first, for the holder of t (read and checked as
// ListLeads does).
func (s *Service) ListBootcamps(ctx context.Context, t AccessToken, q BootcampQuery) (Paged[BootcampView], error) {
	active := true
	f := BootcampFilter{IsActive: &active}
	if q.IsActive != nil {
		f.IsActive = q.IsActive
	}
	l, err := s.store.ListBootcamps(ctx, t.UserID, f, q.store())
	if err := s.viewed(t, l.Viewer, err, ActReadBootcamps); err != nil {
		return Paged[BootcampView]{}, err
	}
	return paged(l.Items, l.Total, q.PageQuery), nil
}

// GetBootcamp returns a bootcamp with its batches and curriculum.
func (s *Service) GetBootcamp(ctx context.Context, p *Principal, id string) (BootcampDetail, error) {
	if err := Can(&p.User, ActReadBootcamps); err != nil {
		return BootcampDetail{}, err
	}
	d, err := s.store.BootcampDetail(ctx, id)
	if err != nil {
		return BootcampDetail{}, storeErr(err, msgBootcampNotFound, "load bootcamp")
	}
	if d.BatchList == nil {
		d.BatchList = []BatchWithCount{}
	}
	if d.Modules == nil {
		d.Modules = []ModuleWithLessons{}
	}
	return d, nil
}

// UpdateBootcamp changes the whitelisted fields (title/name, description, mode, price, duration, isActive).
func (s *Service) UpdateBootcamp(ctx context.Context, p *Principal, id string, in BootcampInput) (BootcampView, error) {
	if err := Can(&p.User, ActWriteBootcamps); err != nil {
		return BootcampView{}, err
	}
	var fe fieldErrs
	var patch BootcampPatch
	if title := firstNonNil(in.Title, in.Name); title != nil {
		if t := strings.TrimSpace(*title); t == "" {
			fe.add("title", "Title is required", *title, true)
		} else {
			patch.Title = Some(t)
		}
	}
	if in.Description != nil {
		if d := strings.TrimSpace(*in.Description); d == "" {
			fe.add("description", "Description is required", *in.Description, true)
		} else {
			patch.Description = Some(d)
		}
	}
	if in.Mode != nil {
		if m := BootcampMode(*in.Mode); m.Valid() {
			patch.Mode = Some(m)
		} else {
			fe.add("mode", "Invalid mode", *in.Mode, true)
		}
	}
	if in.Price != nil {
		if m, ok := validPrice(&fe, in.Price, true); ok {
			patch.Price = Some(m)
		}
	}
	if in.Duration.Set {
		patch.Duration = Some(validDuration(&fe, in.Duration.V))
	}
	if in.IsActive != nil {
		patch.IsActive = Some(*in.IsActive)
	}
	if err := fe.err(); err != nil {
		return BootcampView{}, err
	}
	v, err := s.store.UpdateBootcamp(ctx, id, patch, s.Now())
	if err != nil {
		return BootcampView{}, storeErr(err, msgBootcampNotFound, "update bootcamp")
	}
	return v, nil
}

// DeleteBootcamp soft-deletes a bootcamp (is_active = false): enrollments RESTRICT deleting its batches,
// and the history of who studied what must survive.
func (s *Service) DeleteBootcamp(ctx context.Context, p *Principal, id string) error {
	if err := Can(&p.User, ActWriteBootcamps); err != nil {
		return err
	}
	if _, err := s.store.UpdateBootcamp(ctx, id, BootcampPatch{IsActive: Some(false)}, s.Now()); err != nil {
		return storeErr(err, msgBootcampNotFound, "delete bootcamp")
	}
	return nil
}

// BatchInput is the body of POST /bootcamps/{bootcampId}/batches.
type BatchInput struct {
	BatchName *string
	StartDate *string
	EndDate   *string
	Capacity  *int
	Status    *string
}

// CreateBatch adds a batch to a bootcamp (ADMIN only).
func (s *Service) CreateBatch(ctx context.Context, p *Principal, bootcampID string, in BatchInput) (BatchView, error) {
	if err := Can(&p.User, ActWriteBootcamps); err != nil {
		return BatchView{}, err
	}
	var fe fieldErrs
	name, _ := trimmed(in.BatchName)
	if name == "" {
		fe.add("batchName", "Batch name is required", strOrNil(in.BatchName), in.BatchName != nil)
	}
	start, end, capacity := validBatchFields(&fe, in.StartDate, in.EndDate, in.Capacity)
	status := BatchUpcoming
	if in.Status != nil {
		if st := BatchStatus(*in.Status); st.Valid() {
			status = st
		} else {
			fe.add("status", "Invalid status", *in.Status, true)
		}
	}
	if err := fe.err(); err != nil {
		return BatchView{}, err
	}
	bc, err := s.store.BootcampByID(ctx, bootcampID)
	if err != nil {
		return BatchView{}, storeErr(err, msgBootcampNotFound, "load bootcamp")
	}
	now := s.Now()
	b := Batch{ID: NewID(), BootcampID: bootcampID, BatchName: name, StartDate: start, EndDate: end,
		Capacity: capacity, Status: status, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateBatch(ctx, b); err != nil {
		if errors.Is(err, ErrMissingRef) {
			return BatchView{}, errKind(apperr.KindNotFound, msgBootcampNotFound)
		}
		return BatchView{}, internal(err, "create batch")
	}
	return BatchView{Batch: b, Bootcamp: bc.Bootcamp}, nil
}

// BatchQuery is GET /bootcamps/batches.
type BatchQuery struct {
	PageQuery
	BootcampID string
	Status     string
}

// ListBatches pages through batches, latest start first.
func (s *Service) ListBatches(ctx context.Context, p *Principal, q BatchQuery) (Paged[BatchView], error) {
	if err := Can(&p.User, ActReadBootcamps); err != nil {
		return Paged[BatchView]{}, err
	}
	f := BatchFilter{BootcampID: q.BootcampID, Status: BatchStatus(q.Status)}
	if q.Status != "" && !f.Status.Valid() {
		return Paged[BatchView]{}, errValidation(apperr.FieldError{Path: "status", Msg: "Invalid status", Value: q.Status, HasValue: true, Location: "query"})
	}
	items, total, err := s.store.ListBatches(ctx, f, q.store())
	if err != nil {
		return Paged[BatchView]{}, internal(err, "list batches")
	}
	return paged(items, total, q.PageQuery), nil
}

// GetBatch returns a batch with its staff and students.
func (s *Service) GetBatch(ctx context.Context, p *Principal, id string) (BatchDetail, error) {
	if err := Can(&p.User, ActReadBootcamps); err != nil {
		return BatchDetail{}, err
	}
	d, err := s.store.BatchDetail(ctx, id)
	if err != nil {
		return BatchDetail{}, storeErr(err, msgBatchNotFound, "load batch")
	}
	if d.Instructors == nil {
		d.Instructors = []StaffAssignmentView{}
	}
	if d.Mentors == nil {
		d.Mentors = []StaffAssignmentView{}
	}
	if d.Enrollments == nil {
		d.Enrollments = []EnrollmentWithStudent{}
	}
	return d, nil
}

// AssignStaff assigns an instructor (role INSTRUCTOR) or a mentor (role MENTOR) to a batch (ADMIN only).
func (s *Service) AssignStaff(ctx context.Context, p *Principal, batchID string, role Role, userID *string) (StaffAssignmentView, error) {
	if err := Can(&p.User, ActWriteBootcamps); err != nil {
		return StaffAssignmentView{}, err
	}
	field, label := "instructorId", "an instructor"
	if role == RoleMentor {
		field, label = "mentorId", "a mentor"
	}
	if userID == nil || !isUUID(*userID) {
		return StaffAssignmentView{}, errValidation(apperr.FieldError{Path: field, Msg: "Valid " + field + " is required", Value: strOrNil(userID), HasValue: userID != nil, Location: "body"})
	}
	if _, err := s.store.BatchDetail(ctx, batchID); err != nil {
		return StaffAssignmentView{}, storeErr(err, msgBatchNotFound, "load batch")
	}
	u, err := s.store.UserByID(ctx, strings.ToLower(*userID))
	if err != nil {
		return StaffAssignmentView{}, storeErr(err, "User not found", "load user")
	}
	if u.Role != role {
		return StaffAssignmentView{}, errValidation(apperr.FieldError{Path: field, Msg: "User is not " + label, Value: *userID, HasValue: true, Location: "body"})
	}
	a := StaffAssignment{ID: NewID(), BatchID: batchID, UserID: u.ID, AssignedAt: s.Now()}
	if role == RoleMentor {
		err = s.store.AddMentor(ctx, a)
	} else {
		err = s.store.AddInstructor(ctx, a)
	}
	switch {
	case errors.Is(err, ErrConflict):
		what := "Instructor"
		if role == RoleMentor {
			what = "Mentor"
		}
		return StaffAssignmentView{}, errKind(apperr.KindConflict, what+" is already assigned to this batch")
	case errors.Is(err, ErrMissingRef):
		return StaffAssignmentView{}, errKind(apperr.KindNotFound, msgBatchNotFound)
	case err != nil:
		return StaffAssignmentView{}, internal(err, "assign staff")
	}
	return StaffAssignmentView{StaffAssignment: a, User: u.Ref()}, nil
}
