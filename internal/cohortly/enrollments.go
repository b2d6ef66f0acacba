package cohortly

import (
	"context"
	"errors"
	"strings"

	"github.com/momentum-cohortly/backends/internal/platform/apperr"
)

const msgEnrollmentNotFound = "Enrollment not found"

// Frontend payment statuses derived from payments (contract §6.2).
const (
	PayStatusPending  = "PENDING"
	PayStatusPartial  = "PARTIAL"
	PayStatusPaid     = "PAID"
	PayStatusRefunded = "REFUNDED"
)

// PaymentStatus derives the frontend's paymentStatus: any REFUNDED payment -> REFUNDED; completed
// payments covering the bootcamp price -> PAID; some completed amount -> PARTIAL; else PENDING.
func (v EnrollmentView) PaymentStatus() string {
	var paid Money
	for _, p := range v.Payments {
		switch p.Status {
		case PaymentRefunded:
			return PayStatusRefunded
		case PaymentCompleted:
			paid += p.Amount
		}
	}
	switch {
	case paid >= v.Bootcamp.Price && (paid > 0 || v.Bootcamp.Price == 0):
		return PayStatusPaid
	case paid > 0:
		return PayStatusPartial
	}
	return PayStatusPending
}

// Progress derives the frontend's progress: the percentage (0-100, rounded down) of the bootcamp's
// assignments the student has a graded submission for; 100 once the enrollment is COMPLETED.
func (v EnrollmentView) Progress() int {
	if v.Status == EnrollmentCompleted {
		return 100
	}
	if v.AssignmentsTotal <= 0 {
		return 0
	}
	return min(100, v.AssignmentsGraded*100/v.AssignmentsTotal)
}

// EnrollmentInput is the body of POST and PUT /enrollments.
type EnrollmentInput struct {
	StudentID  *string
	BatchID    *string
	BootcampID *string
	Status     *string
}

// CreateEnrollment enrolls a student in a batch, or in a bootcamp's current batch (the UPCOMING or
// ONGOING batch with the latest start) when the frontend sends bootcampId.
func (s *Service) CreateEnrollment(ctx context.Context, p *Principal, in EnrollmentInput) (EnrollmentView, error) {
	if err := Can(&p.User, ActWriteEnrollments); err != nil {
		return EnrollmentView{}, err
	}
	var fe fieldErrs
	if in.StudentID == nil || !isUUID(*in.StudentID) {
		fe.add("studentId", "Valid studentId is required", strOrNil(in.StudentID), in.StudentID != nil)
	}
	switch {
	case in.BatchID != nil:
		if !isUUID(*in.BatchID) {
			fe.add("batchId", "Valid batchId is required", *in.BatchID, true)
		}
	case in.BootcampID != nil:
		if !isUUID(*in.BootcampID) {
			fe.add("bootcampId", "Valid bootcampId is required", *in.BootcampID, true)
		}
	default:
		fe.add("batchId", "batchId or bootcampId is required", nil, false)
	}
	status := EnrollmentPending
	if in.Status != nil {
		if st := EnrollmentStatus(*in.Status); st.Valid() {
			status = st
		} else {
			fe.add("status", "Invalid status", *in.Status, true)
		}
	}
	if err := fe.err(); err != nil {
		return EnrollmentView{}, err
	}
	student, err := s.store.UserByID(ctx, strings.ToLower(*in.StudentID))
	if err != nil {
		return EnrollmentView{}, storeErr(err, "Student not found", "load student")
	}
	if student.Role != RoleStudent {
		return EnrollmentView{}, errValidation(apperr.FieldError{Path: "studentId", Msg: "User is not a student", Value: *in.StudentID, HasValue: true, Location: "body"})
	}
	var batchID string
	if in.BatchID != nil {
		batchID = strings.ToLower(*in.BatchID)
	} else {
		bcID := strings.ToLower(*in.BootcampID)
		bc, err := s.store.BootcampByID(ctx, bcID)
		if err != nil {
			return EnrollmentView{}, storeErr(err, msgBootcampNotFound, "load bootcamp")
		}
		if !bc.IsActive {
			return EnrollmentView{}, errKind(apperr.KindInvalid, "Bootcamp is not active")
		}
		b, err := s.store.CurrentBatch(ctx, bcID)
		if errors.Is(err, ErrNotFound) {
			return EnrollmentView{}, errKind(apperr.KindInvalid, "Bootcamp has no upcoming or ongoing batch to enroll in")
		}
		if err != nil {
			return EnrollmentView{}, internal(err, "find current batch")
		}
		batchID = b.ID
	}
	now := s.Now()
	e := Enrollment{ID: NewID(), StudentID: student.ID, BatchID: batchID, Status: status, EnrolledAt: now, CreatedAt: now, UpdatedAt: now}
	if status == EnrollmentCompleted {
		e.CompletedAt = &now
	}
	switch err := s.store.CreateEnrollment(ctx, e); {
	case errors.Is(err, ErrConflict):
		return EnrollmentView{}, errKind(apperr.KindConflict, "Student is already enrolled in this batch")
	case errors.Is(err, ErrMissingRef):
		return EnrollmentView{}, errKind(apperr.KindNotFound, msgBatchNotFound)
	case err != nil:
		return EnrollmentView{}, internal(err, "create enrollment")
	}
	v, err := s.store.EnrollmentByID(ctx, e.ID)
	if err != nil {
		return EnrollmentView{}, storeErr(err, msgEnrollmentNotFound, "reload enrollment")
	}
	return v, nil
}

// EnrollmentQuery is GET /enrollments and its by-student and by-bootcamp forms.
type EnrollmentQuery struct {
	PageQuery
	StudentID  string
	BatchID    string
	BootcampID string
	Status     string
}

// ListEnrollments pages through enrollments, newest first. A STUDENT only ever sees their own.
func (s *Service) ListEnrollments(ctx context.Context, p *Principal, q EnrollmentQuery) (Paged[EnrollmentView], error) {
	if err := Can(&p.User, ActListEnrollments); err != nil {
		return Paged[EnrollmentView]{}, err
	}
	if p.User.Role == RoleStudent {
		if q.StudentID != "" && q.StudentID != p.User.ID {
			return Paged[EnrollmentView]{}, ErrForbidden()
		}
		q.StudentID = p.User.ID
	}
	return s.listEnrollments(ctx, q)
}

// EnrollmentsByBootcamp lists the enrollments of every batch of a bootcamp (staff only).
func (s *Service) EnrollmentsByBootcamp(ctx context.Context, p *Principal, bootcampID string, q EnrollmentQuery) (Paged[EnrollmentView], error) {
	if err := Can(&p.User, ActStaffEnrollments); err != nil {
		return Paged[EnrollmentView]{}, err
	}
	if _, err := s.store.BootcampByID(ctx, bootcampID); err != nil {
		return Paged[EnrollmentView]{}, storeErr(err, msgBootcampNotFound, "load bootcamp")
	}
	q.BootcampID = bootcampID
	return s.listEnrollments(ctx, q)
}

func (s *Service) listEnrollments(ctx context.Context, q EnrollmentQuery) (Paged[EnrollmentView], error) {
	f := EnrollmentFilter{StudentID: q.StudentID, BatchID: q.BatchID, BootcampID: q.BootcampID, Status: EnrollmentStatus(q.Status)}
	if q.Status != "" && !f.Status.Valid() {
		return Paged[EnrollmentView]{}, errValidation(apperr.FieldError{Path: "status", Msg: "Invalid status", Value: q.Status, HasValue: true, Location: "query"})
	}
	items, total, err := s.store.ListEnrollments(ctx, f, q.store())
	if err != nil {
		return Paged[EnrollmentView]{}, internal(err, "list enrollments")
	}
	return paged(items, total, q.PageQuery), nil
}

// GetEnrollment returns one enrollment; a STUDENT gets 404 for anyone else's (fixes the legacy IDOR
// without confirming that the id exists).
func (s *Service) GetEnrollment(ctx context.Context, p *Principal, id string) (EnrollmentView, error) {
	if err := Can(&p.User, ActReadEnrollment); err != nil {
		return EnrollmentView{}, err
	}
	v, err := s.store.EnrollmentByID(ctx, id)
	if err != nil {
		return EnrollmentView{}, storeErr(err, msgEnrollmentNotFound, "load enrollment")
	}
	if p.User.Role == RoleStudent && v.StudentID != p.User.ID {
		return EnrollmentView{}, errKind(apperr.KindNotFound, msgEnrollmentNotFound)
	}
	return v, nil
}

// UpdateEnrollment sets the status (PUT /enrollments/{id}: ADMIN, SALES; PUT .../status: ADMIN).
// paymentStatus and progress are derived, never stored, so they are ignored in the body.
func (s *Service) UpdateEnrollment(ctx context.Context, p *Principal, id string, in EnrollmentInput, statusRoute bool) (EnrollmentView, error) {
	act := ActWriteEnrollments
	if statusRoute {
		act = ActEnrollmentAdmin
	}
	if err := Can(&p.User, act); err != nil {
		return EnrollmentView{}, err
	}
	if in.Status == nil || !EnrollmentStatus(*in.Status).Valid() {
		return EnrollmentView{}, errValidation(apperr.FieldError{Path: "status", Msg: "Invalid status", Value: strOrNil(in.Status), HasValue: in.Status != nil, Location: "body"})
	}
	v, err := s.store.UpdateEnrollmentStatus(ctx, id, EnrollmentStatus(*in.Status), s.Now())
	if err != nil {
		return EnrollmentView{}, storeErr(err, msgEnrollmentNotFound, "update enrollment")
	}
	return v, nil
}

// DeleteEnrollment removes an enrollment with its payments, attendance and certificate (ADMIN only).
func (s *Service) DeleteEnrollment(ctx context.Context, p *Principal, id string) error {
	if err := Can(&p.User, ActEnrollmentAdmin); err != nil {
		return err
	}
	if err := s.store.DeleteEnrollment(ctx, id); err != nil {
		return storeErr(err, msgEnrollmentNotFound, "delete enrollment")
	}
	return nil
}
