package cohortly

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/apperr"
)

const (
	msgAssignmentNotFound = "Assignment not found"
	msgSubmissionNotFound = "Submission not found"
)

// Frontend assignment statuses.
const (
	AssignmentPublished = "PUBLISHED"
	AssignmentClosed    = "CLOSED"
)

// FrontendStatus is CLOSED once the deadline has passed, else PUBLISHED.
func (a Assignment) FrontendStatus(now time.Time) string {
	if a.Deadline != nil && now.After(*a.Deadline) {
		return AssignmentClosed
	}
	return AssignmentPublished
}

// AssignmentInput is the body of POST and PUT /assignments: the legacy fields and the frontend's.
type AssignmentInput struct {
	LessonID    *string
	BootcampID  *string // frontend: attach to the bootcamp's first lesson
	Title       *string
	Description *string
	MaxScore    *int
	MaxPoints   *int // frontend alias of MaxScore
	Deadline    Opt[*string]
	DueDate     Opt[*string] // frontend alias of Deadline
}

func (in AssignmentInput) maxScore() (*int, string) {
	if in.MaxScore != nil {
		return in.MaxScore, "maxScore"
	}
	return in.MaxPoints, "maxPoints"
}

func (in AssignmentInput) deadline() (Opt[*string], string) {
	if in.Deadline.Set {
		return in.Deadline, "deadline"
	}
	return in.DueDate, "dueDate"
}

// CreateAssignment adds an assignment to a lesson, or (frontend body) to the first lesson of a
// bootcamp's first module, creating a "General" module and lesson when the bootcamp has none.
func (s *Service) CreateAssignment(ctx context.Context, p *Principal, in AssignmentInput) (AssignmentView, error) {
	if err := Can(&p.User, ActWriteAssignments); err != nil {
		return AssignmentView{}, err
	}
	var fe fieldErrs
	switch {
	case in.LessonID != nil:
		if !isUUID(*in.LessonID) {
			fe.add("lessonId", "Valid lessonId is required", *in.LessonID, true)
		}
	case in.BootcampID != nil:
		if !isUUID(*in.BootcampID) {
			fe.add("bootcampId", "Valid bootcampId is required", *in.BootcampID, true)
		}
	default:
		fe.add("lessonId", "lessonId or bootcampId is required", nil, false)
	}
	title, _ := trimmed(in.Title)
	if title == "" {
		fe.add("title", "Title is required", strOrNil(in.Title), in.Title != nil)
	}
	desc, _ := trimmed(in.Description)
	if desc == "" {
		fe.add("description", "Description is required", strOrNil(in.Description), in.Description != nil)
	}
	maxScore := 100
	if ms, path := in.maxScore(); ms != nil {
		if *ms < 1 || *ms > 10000 {
			fe.add(path, "Maximum score must be an integer between 1 and 10000", *ms, true)
		} else {
			maxScore = *ms
		}
	}
	dl, path := in.deadline()
	deadline := validDeadline(&fe, path, dl)
	if err := fe.err(); err != nil {
		return AssignmentView{}, err
	}
	now := s.Now()
	var lessonID string
	if in.LessonID != nil {
		lessonID = strings.ToLower(*in.LessonID)
	} else {
		bcID := strings.ToLower(*in.BootcampID)
		m := Module{ID: NewID(), BootcampID: bcID, Title: "General", OrderIndex: 0, CreatedAt: now, UpdatedAt: now}
		l := Lesson{ID: NewID(), ModuleID: m.ID, Title: "General", ContentType: ContentText, OrderIndex: 0, CreatedAt: now, UpdatedAt: now}
		got, _, err := s.store.EnsureFirstLesson(ctx, bcID, m, l)
		if err != nil {
			return AssignmentView{}, storeErr(err, msgBootcampNotFound, "find first lesson")
		}
		lessonID = got.ID
	}
	a := Assignment{ID: NewID(), LessonID: lessonID, Title: title, Description: desc, MaxScore: maxScore,
		Deadline: deadline, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateAssignment(ctx, a); err != nil {
		if errors.Is(err, ErrMissingRef) {
			return AssignmentView{}, errKind(apperr.KindNotFound, "Lesson not found")
		}
		return AssignmentView{}, internal(err, "create assignment")
	}
	v, err := s.store.AssignmentByID(ctx, a.ID)
	if err != nil {
		return AssignmentView{}, storeErr(err, msgAssignmentNotFound, "reload assignment")
	}
	return v, nil
}

func validDeadline(fe *fieldErrs, path string, in Opt[*string]) *time.Time {
	if !in.Set || in.V == nil || *in.V == "" {
		return nil
	}
	t, ok := ParseTime(*in.V)
	if !ok {
		fe.add(path, "Invalid date", *in.V, true)
		return nil
	}
	return &t
}

// AssignmentQuery is GET /assignments.
type AssignmentQuery struct {
	PageQuery
	LessonID   string
	BootcampID string
}

// ListAssignments pages through assignments, newest first.
func (s *Service) ListAssignments(ctx context.Context, p *Principal, q AssignmentQuery) (Paged[AssignmentView], error) {
	if err := Can(&p.User, ActReadAssignments); err != nil {
		return Paged[AssignmentView]{}, err
	}
	items, total, err := s.store.ListAssignments(ctx, AssignmentFilter{LessonID: q.LessonID, BootcampID: q.BootcampID}, q.store())
	if err != nil {
		return Paged[AssignmentView]{}, internal(err, "list assignments")
	}
	return paged(items, total, q.PageQuery), nil
}

// AssignmentDetail is an assignment with the submissions the caller may see.
type AssignmentDetail struct {
	AssignmentView
	Submissions []SubmissionView
}

// GetAssignment returns an assignment and its submissions (a STUDENT sees only their own).
func (s *Service) GetAssignment(ctx context.Context, p *Principal, id string) (AssignmentDetail, error) {
	if err := Can(&p.User, ActReadAssignments); err != nil {
		return AssignmentDetail{}, err
	}
	v, err := s.store.AssignmentByID(ctx, id)
	if err != nil {
		return AssignmentDetail{}, storeErr(err, msgAssignmentNotFound, "load assignment")
	}
	f := SubmissionFilter{AssignmentID: id}
	if p.User.Role == RoleStudent {
		f.StudentID = p.User.ID
	}
	subs, _, err := s.store.ListSubmissions(ctx, f, Page{Limit: 1000})
	if err != nil {
		return AssignmentDetail{}, internal(err, "list submissions")
	}
	if subs == nil {
		subs = []SubmissionView{}
	}
	return AssignmentDetail{AssignmentView: v, Submissions: subs}, nil
}

// UpdateAssignment changes the whitelisted fields.
func (s *Service) UpdateAssignment(ctx context.Context, p *Principal, id string, in AssignmentInput) (AssignmentView, error) {
	if err := Can(&p.User, ActWriteAssignments); err != nil {
		return AssignmentView{}, err
	}
	var fe fieldErrs
	var patch AssignmentPatch
	if in.LessonID != nil {
		if !isUUID(*in.LessonID) {
			fe.add("lessonId", "Valid lessonId is required", *in.LessonID, true)
		} else {
			patch.LessonID = Some(strings.ToLower(*in.LessonID))
		}
	}
	if in.Title != nil {
		if t := strings.TrimSpace(*in.Title); t == "" {
			fe.add("title", "Title is required", *in.Title, true)
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
	if ms, path := in.maxScore(); ms != nil {
		if *ms < 1 || *ms > 10000 {
			fe.add(path, "Maximum score must be an integer between 1 and 10000", *ms, true)
		} else {
			patch.MaxScore = Some(*ms)
		}
	}
	if dl, path := in.deadline(); dl.Set {
		patch.Deadline = Some(validDeadline(&fe, path, dl))
	}
	if err := fe.err(); err != nil {
		return AssignmentView{}, err
	}
	v, err := s.store.UpdateAssignment(ctx, id, patch, s.Now())
	if errors.Is(err, ErrMissingRef) {
		return AssignmentView{}, errKind(apperr.KindNotFound, "Lesson not found")
	}
	if err != nil {
		return AssignmentView{}, storeErr(err, msgAssignmentNotFound, "update assignment")
	}
	return v, nil
}

// DeleteAssignment removes an assignment with its submissions and grades.
func (s *Service) DeleteAssignment(ctx context.Context, p *Principal, id string) error {
	if err := Can(&p.User, ActWriteAssignments); err != nil {
		return err
	}
	if err := s.store.DeleteAssignment(ctx, id); err != nil {
		return storeErr(err, msgAssignmentNotFound, "delete assignment")
	}
	return nil
}

// SubmissionInput is the body of POST /assignments/submissions.
type SubmissionInput struct {
	AssignmentID  *string
	SubmissionURL *string
	Content       *string
}

// Submit records the caller's (a STUDENT's) submission: LATE after the deadline, else SUBMITTED. One
// per assignment and student. Only students enrolled in the assignment's bootcamp may submit.
func (s *Service) Submit(ctx context.Context, p *Principal, in SubmissionInput) (SubmissionView, error) {
	if err := Can(&p.User, ActSubmit); err != nil {
		return SubmissionView{}, err
	}
	var fe fieldErrs
	if in.AssignmentID == nil || !isUUID(*in.AssignmentID) {
		fe.add("assignmentId", "Valid assignmentId is required", strOrNil(in.AssignmentID), in.AssignmentID != nil)
	}
	url, _ := trimmed(in.SubmissionURL)
	content, _ := trimmed(in.Content)
	if url == "" && content == "" {
		fe.add("submissionUrl", "Submission URL or content is required", strOrNil(in.SubmissionURL), in.SubmissionURL != nil)
	}
	if len(url) > 2048 {
		fe.add("submissionUrl", "Submission URL is too long", nil, false)
	}
	if err := fe.err(); err != nil {
		return SubmissionView{}, err
	}
	a, err := s.store.AssignmentByID(ctx, strings.ToLower(*in.AssignmentID))
	if err != nil {
		return SubmissionView{}, storeErr(err, msgAssignmentNotFound, "load assignment")
	}
	_, n, err := s.store.ListEnrollments(ctx, EnrollmentFilter{StudentID: p.User.ID, BootcampID: a.Bootcamp.ID}, Page{Limit: 1})
	if err != nil {
		return SubmissionView{}, internal(err, "check enrollment")
	}
	if n == 0 {
		return SubmissionView{}, errKind(apperr.KindForbidden, "You are not enrolled in this bootcamp")
	}
	now := s.Now()
	sub := Submission{ID: NewID(), AssignmentID: a.ID, StudentID: p.User.ID, Status: SubmissionSubmitted,
		SubmittedAt: &now, CreatedAt: now, UpdatedAt: now}
	if url != "" {
		sub.SubmissionURL = &url
	}
	if content != "" {
		sub.Content = &content
	}
	if a.Deadline != nil && now.After(*a.Deadline) {
		sub.Status = SubmissionLate
	}
	switch err := s.store.CreateSubmission(ctx, sub); {
	case errors.Is(err, ErrConflict):
		return SubmissionView{}, errKind(apperr.KindConflict, "Submission already exists for this assignment")
	case errors.Is(err, ErrMissingRef):
		return SubmissionView{}, errKind(apperr.KindNotFound, msgAssignmentNotFound)
	case err != nil:
		return SubmissionView{}, internal(err, "create submission")
	}
	return SubmissionView{Submission: sub, Assignment: a, Student: p.User.Ref()}, nil
}

// SubmissionQuery is GET /assignments/submissions.
type SubmissionQuery struct {
	PageQuery
	AssignmentID string
	StudentID    string
}

// ListSubmissions pages through submissions, latest first; a STUDENT sees only their own.
func (s *Service) ListSubmissions(ctx context.Context, p *Principal, q SubmissionQuery) (Paged[SubmissionView], error) {
	if err := Can(&p.User, ActReadAssignments); err != nil {
		return Paged[SubmissionView]{}, err
	}
	f := SubmissionFilter{AssignmentID: q.AssignmentID, StudentID: q.StudentID}
	if p.User.Role == RoleStudent {
		if q.StudentID != "" && q.StudentID != p.User.ID {
			return Paged[SubmissionView]{}, ErrForbidden()
		}
		f.StudentID = p.User.ID
	}
	items, total, err := s.store.ListSubmissions(ctx, f, q.store())
	if err != nil {
		return Paged[SubmissionView]{}, internal(err, "list submissions")
	}
	return paged(items, total, q.PageQuery), nil
}

// PendingGrades pages through submissions waiting for a grade (SUBMITTED or LATE), oldest first.
func (s *Service) PendingGrades(ctx context.Context, p *Principal, q PageQuery) (Paged[SubmissionView], error) {
	if err := Can(&p.User, ActGrade); err != nil {
		return Paged[SubmissionView]{}, err
	}
	items, total, err := s.store.ListSubmissions(ctx, SubmissionFilter{
		Statuses: []SubmissionStatus{SubmissionSubmitted, SubmissionLate}, Order: SubmittedOldestFirst}, q.store())
	if err != nil {
		return Paged[SubmissionView]{}, internal(err, "list pending grades")
	}
	return paged(items, total, q), nil
}

// GetSubmission returns one submission; a STUDENT gets 404 for anyone else's.
func (s *Service) GetSubmission(ctx context.Context, p *Principal, id string) (SubmissionView, error) {
	if err := Can(&p.User, ActReadAssignments); err != nil {
		return SubmissionView{}, err
	}
	v, err := s.store.SubmissionByID(ctx, id)
	if err != nil {
		return SubmissionView{}, storeErr(err, msgSubmissionNotFound, "load submission")
	}
	if p.User.Role == RoleStudent && v.StudentID != p.User.ID {
		return SubmissionView{}, errKind(apperr.KindNotFound, msgSubmissionNotFound)
	}
	return v, nil
}

// GradeInput is the body of POST /assignments/submissions/{id}/grade.
type GradeInput struct {
	Score    *int
	Feedback Opt[*string]
}

// Grade sets (or replaces) the grade of a submission.
func (s *Service) Grade(ctx context.Context, p *Principal, submissionID string, in GradeInput) (GradeView, error) {
	if err := Can(&p.User, ActGrade); err != nil {
		return GradeView{}, err
	}
	if in.Score == nil || *in.Score < 0 {
		var v any
		if in.Score != nil {
			v = *in.Score
		}
		return GradeView{}, errValidation(apperr.FieldError{Path: "score", Msg: "Score must be a non-negative integer", Value: v, HasValue: in.Score != nil, Location: "body"})
	}
	sub, err := s.store.SubmissionByID(ctx, submissionID)
	if err != nil {
		return GradeView{}, storeErr(err, msgSubmissionNotFound, "load submission")
	}
	if *in.Score > sub.Assignment.MaxScore {
		return GradeView{}, errKind(apperr.KindInvalid, "Score exceeds maximum score")
	}
	var feedback *string
	if in.Feedback.V != nil {
		if f := strings.TrimSpace(*in.Feedback.V); f != "" {
			feedback = &f
		}
	}
	g := Grade{ID: NewID(), SubmissionID: sub.ID, Score: *in.Score, Feedback: feedback, GradedBy: p.User.ID, GradedAt: s.Now()}
	gv, _, err := s.store.GradeSubmission(ctx, g)
	if err != nil {
		return GradeView{}, storeErr(err, msgSubmissionNotFound, "grade submission")
	}
	return gv, nil
}
