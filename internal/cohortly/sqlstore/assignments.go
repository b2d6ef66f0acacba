package sqlstore

import (
	"context"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

const lessonCols = `l.id, l.module_id, l.title, l.description, l.content_type, l.content_url, l.duration, l.order_index, l.created_at, l.updated_at`

type lessonScan struct {
	l  *cohortly.Lesson
	ct string
}

func (x *lessonScan) dest(d []any) []any {
	return append(d, &x.l.ID, &x.l.ModuleID, &x.l.Title, &x.l.Description, &x.ct, &x.l.ContentURL, &x.l.Duration, &x.l.OrderIndex, &x.l.CreatedAt, &x.l.UpdatedAt)
}

func (x *lessonScan) fix() {
	x.l.ContentType = cohortly.ContentType(x.ct)
	x.l.CreatedAt, x.l.UpdatedAt = utc(x.l.CreatedAt), utc(x.l.UpdatedAt)
}

func scanLesson(r Row, l *cohortly.Lesson) error {
	x := lessonScan{l: l}
	if err := r.Scan(x.dest(nil)...); err != nil {
		return err
	}
	x.fix()
	return nil
}

const moduleCols = `m.id, m.bootcamp_id, m.title, m.description, m.order_index, m.created_at, m.updated_at`

func moduleDest(d []any, m *cohortly.Module) []any {
	return append(d, &m.ID, &m.BootcampID, &m.Title, &m.Description, &m.OrderIndex, &m.CreatedAt, &m.UpdatedAt)
}

func fixModule(m *cohortly.Module) { m.CreatedAt, m.UpdatedAt = utc(m.CreatedAt), utc(m.UpdatedAt) }

func (s *Store) insertModule(ctx context.Context, q Querier, m cohortly.Module) error {
	_, err := q.Exec(ctx, `INSERT INTO modules (id, bootcamp_id, title, description, order_index, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		m.ID, m.BootcampID, m.Title, m.Description, m.OrderIndex, ts(m.CreatedAt), ts(m.UpdatedAt))
	return s.mapErr(err, "create module", cohortly.ErrMissingRef)
}

func (s *Store) insertLesson(ctx context.Context, q Querier, l cohortly.Lesson) error {
	_, err := q.Exec(ctx, `INSERT INTO lessons (id, module_id, title, description, content_type, content_url, duration, order_index, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		l.ID, l.ModuleID, l.Title, l.Description, string(l.ContentType), l.ContentURL, l.Duration, l.OrderIndex, ts(l.CreatedAt), ts(l.UpdatedAt))
	return s.mapErr(err, "create lesson", cohortly.ErrMissingRef)
}

// CreateModule inserts m.
func (s *Store) CreateModule(ctx context.Context, m cohortly.Module) error {
	return s.insertModule(ctx, s.db.Write, m)
}

// CreateLesson inserts l.
func (s *Store) CreateLesson(ctx context.Context, l cohortly.Lesson) error {
	return s.insertLesson(ctx, s.db.Write, l)
}

// EnsureFirstLesson returns the bootcamp's first lesson, creating the placeholder module and lesson
// when it has none. The bootcamp row is read with the dialect's ForUpdate lock (SQLite: in a
// serialised write transaction), so concurrent calls for one bootcamp queue and at most one of them
// creates the placeholder.
func (s *Store) EnsureFirstLesson(ctx context.Context, bootcampID string, m cohortly.Module, l cohortly.Lesson) (cohortly.Lesson, bool, error) {
	var out cohortly.Lesson
	created := false
	err := s.inTx(ctx, "ensure first lesson", func(tx Querier) error {
		var id string
		if err := tx.QueryRow(ctx, `SELECT id FROM bootcamps WHERE id = $1`+s.d.ForUpdate, bootcampID).Scan(&id); err != nil {
			return s.mapErr(err, "ensure first lesson: bootcamp "+bootcampID, nil)
		}
		err := scanLesson(tx.QueryRow(ctx, `SELECT `+lessonCols+` FROM lessons l JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = $1
			ORDER BY m.order_index, m.created_at, m.id, l.order_index, l.created_at, l.id LIMIT 1`, bootcampID), &out)
		if err == nil {
			return nil
		}
		if !s.isNoRows(err) {
			return s.mapErr(err, "ensure first lesson", nil)
		}
		m.BootcampID = bootcampID
		l.ModuleID = m.ID
		if err := s.insertModule(ctx, tx, m); err != nil {
			return err
		}
		if err := s.insertLesson(ctx, tx, l); err != nil {
			return err
		}
		out = l
		out.CreatedAt, out.UpdatedAt = ts(l.CreatedAt), ts(l.UpdatedAt)
		created = true
		return nil
	})
	if err != nil {
		return cohortly.Lesson{}, false, err
	}
	return out, created, nil
}

const assignmentCols = `a.id, a.lesson_id, a.title, a.description, a.max_score, a.deadline, a.created_at, a.updated_at`

// assignmentViewJoin joins assignment a with its lesson l, module m and bootcamp b.
const assignmentViewJoin = ` FROM assignments a
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id`

type assignmentViewScan struct {
	v  *cohortly.AssignmentView
	ls lessonScan
	bs bootcampScan
}

func newAssignmentViewScan(v *cohortly.AssignmentView) *assignmentViewScan {
	return &assignmentViewScan{v: v, ls: lessonScan{l: &v.Lesson}, bs: bootcampScan{b: &v.Bootcamp}}
}

func (x *assignmentViewScan) dest(d []any) []any {
	a := &x.v.Assignment
	d = append(d, &a.ID, &a.LessonID, &a.Title, &a.Description, &a.MaxScore, &a.Deadline, &a.CreatedAt, &a.UpdatedAt)
	d = x.ls.dest(d)
	d = moduleDest(d, &x.v.Module)
	return x.bs.dest(d)
}

func (x *assignmentViewScan) fix() error {
	a := &x.v.Assignment
	a.Deadline, a.CreatedAt, a.UpdatedAt = utcp(a.Deadline), utc(a.CreatedAt), utc(a.UpdatedAt)
	x.ls.fix()
	fixModule(&x.v.Module)
	return x.bs.fix()
}

// assignmentViewCols are the columns assignmentViewScan reads, over assignmentViewJoin.
var assignmentViewCols = assignmentCols + `, ` + lessonCols + `, ` + moduleCols + `, ` + bootcampCols("b")

// assignmentViewQuery selects AssignmentViews with their submission counts.
var assignmentViewQuery = `SELECT ` + assignmentViewCols + `, (SELECT count(*) FROM submissions s WHERE s.assignment_id = a.id)` + assignmentViewJoin

func scanAssignmentView(r Row, v *cohortly.AssignmentView) error {
	x := newAssignmentViewScan(v)
	if err := r.Scan(append(x.dest(nil), &v.SubmissionCount)...); err != nil {
		return err
	}
	return x.fix()
}

// CreateAssignment inserts a.
func (s *Store) CreateAssignment(ctx context.Context, a cohortly.Assignment) error {
	return s.insertAssignment(ctx, s.db.Write, a)
}

func (s *Store) insertAssignment(ctx context.Context, q Querier, a cohortly.Assignment) error {
	_, err := q.Exec(ctx, `INSERT INTO assignments (id, lesson_id, title, description, max_score, deadline, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		a.ID, a.LessonID, a.Title, a.Description, a.MaxScore, tsp(a.Deadline), ts(a.CreatedAt), ts(a.UpdatedAt))
	return s.mapErr(err, "create assignment", cohortly.ErrMissingRef)
}

// ListAssignments returns a page, newest first, with curriculum and submission counts.
func (s *Store) ListAssignments(ctx context.Context, f cohortly.AssignmentFilter, p cohortly.Page) ([]cohortly.AssignmentView, int, error) {
	var w where
	if f.LessonID != "" {
		w.add(`a.lesson_id = %s`, f.LessonID)
	}
	if f.BootcampID != "" {
		w.add(`m.bootcamp_id = %s`, f.BootcampID)
	}
	limit, args := w.page(p, s.d.InlinePage)
	b := &Batch{}
	b.Queue(assignmentViewQuery+w.sql()+` ORDER BY a.created_at DESC, a.id`+limit, args...)
	b.Queue(`SELECT count(*)`+assignmentViewJoin+w.sql(), w.args...)
	return listPage(ctx, s, "assignments", b, p, scanAssignmentView)
}

// AssignmentByID returns the view.
func (s *Store) AssignmentByID(ctx context.Context, id string) (cohortly.AssignmentView, error) {
	return s.assignmentByID(ctx, s.db.Read, id)
}

func (s *Store) assignmentByID(ctx context.Context, q Querier, id string) (cohortly.AssignmentView, error) {
	var v cohortly.AssignmentView
	err := scanAssignmentView(q.QueryRow(ctx, assignmentViewQuery+` WHERE a.id = $1`, id), &v)
	return v, s.mapErr(err, "assignment "+id, nil)
}

// UpdateAssignment applies p and returns the view afterwards.
func (s *Store) UpdateAssignment(ctx context.Context, id string, p cohortly.AssignmentPatch, now time.Time) (cohortly.AssignmentView, error) {
	var set setList
	set.add("updated_at", ts(now))
	if p.LessonID.Set {
		set.add("lesson_id", p.LessonID.V)
	}
	if p.Title.Set {
		set.add("title", p.Title.V)
	}
	if p.Description.Set {
		set.add("description", p.Description.V)
	}
	if p.MaxScore.Set {
		set.add("max_score", p.MaxScore.V)
	}
	if p.Deadline.Set {
		set.add("deadline", tsp(p.Deadline.V))
	}
	var out cohortly.AssignmentView
	err := s.updateByID(ctx, "assignments", "assignment", id, set, func(tx Querier) (err error) {
		out, err = s.assignmentByID(ctx, tx, id)
		return err
	})
	return out, err
}

// DeleteAssignment hard-deletes it; submissions and grades cascade.
func (s *Store) DeleteAssignment(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "assignments", "assignment", id)
}

// CreateSubmission inserts s; a second submission of the student for the assignment is ErrConflict.
func (s *Store) CreateSubmission(ctx context.Context, sub cohortly.Submission) error {
	return s.insertSubmission(ctx, s.db.Write, sub)
}

func (s *Store) insertSubmission(ctx context.Context, q Querier, sub cohortly.Submission) error {
	_, err := q.Exec(ctx, `INSERT INTO submissions (id, assignment_id, student_id, submission_url, content, status, submitted_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		sub.ID, sub.AssignmentID, sub.StudentID, sub.SubmissionURL, sub.Content, string(sub.Status), tsp(sub.SubmittedAt), ts(sub.CreatedAt), ts(sub.UpdatedAt))
	return s.mapErr(err, "create submission", cohortly.ErrMissingRef)
}

const submissionViewSelect = `SELECT s.id, s.assignment_id, s.student_id, s.submission_url, s.content, s.status, s.submitted_at, s.created_at, s.updated_at, ` +
	`st.id, st.full_name, st.email, g.id, g.submission_id, g.score, g.feedback, g.graded_by, g.graded_at, gu.id, gu.full_name, gu.email, `

const submissionViewJoin = ` FROM submissions s
	JOIN users st ON st.id = s.student_id
	LEFT JOIN grades g ON g.submission_id = s.id
	LEFT JOIN users gu ON gu.id = g.graded_by
	JOIN assignments a ON a.id = s.assignment_id
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id`

func scanSubmissionView(row Row, v *cohortly.SubmissionView) error {
	sub := &v.Submission
	var status string
	var gID, gSub, gFeedback, gBy, guID, guName, guEmail *string
	var gScore *int
	var gAt *time.Time
	d := []any{&sub.ID, &sub.AssignmentID, &sub.StudentID, &sub.SubmissionURL, &sub.Content, &status, &sub.SubmittedAt, &sub.CreatedAt, &sub.UpdatedAt,
		&v.Student.ID, &v.Student.FullName, &v.Student.Email, &gID, &gSub, &gScore, &gFeedback, &gBy, &gAt, &guID, &guName, &guEmail}
	x := newAssignmentViewScan(&v.Assignment)
	if err := row.Scan(x.dest(d)...); err != nil {
		return err
	}
	sub.Status = cohortly.SubmissionStatus(status)
	sub.SubmittedAt, sub.CreatedAt, sub.UpdatedAt = utcp(sub.SubmittedAt), utc(sub.CreatedAt), utc(sub.UpdatedAt)
	v.Grade = nil
	if gID != nil {
		g := &cohortly.GradeView{Grade: cohortly.Grade{ID: *gID, SubmissionID: strOr(gSub), Feedback: gFeedback, GradedBy: strOr(gBy)}}
		if gScore != nil {
			g.Score = *gScore
		}
		if gAt != nil {
			g.GradedAt = gAt.UTC()
		}
		g.GradedByUser = cohortly.UserRef{ID: strOr(guID), FullName: strOr(guName), Email: strOr(guEmail)}
		v.Grade = g
	}
	return x.fix()
}

var submissionViewQuery = submissionViewSelect + assignmentViewCols + submissionViewJoin

// ListSubmissions returns a page in f.Order, each a full view.
func (s *Store) ListSubmissions(ctx context.Context, f cohortly.SubmissionFilter, p cohortly.Page) ([]cohortly.SubmissionView, int, error) {
	var w where
	if f.AssignmentID != "" {
		w.add(`s.assignment_id = %s`, f.AssignmentID)
	}
	if f.StudentID != "" {
		w.add(`s.student_id = %s`, f.StudentID)
	}
	if len(f.Statuses) > 0 {
		st := make([]string, len(f.Statuses))
		for i, x := range f.Statuses {
			st[i] = string(x)
		}
		w.addAny(s.d, "CAST(s.status AS TEXT)", st)
	}
	order := ` ORDER BY s.submitted_at DESC NULLS LAST, s.created_at DESC, s.id`
	if f.Order == cohortly.SubmittedOldestFirst {
		order = ` ORDER BY s.submitted_at ASC NULLS LAST, s.created_at ASC, s.id`
	}
	limit, args := w.page(p, s.d.InlinePage)
	b := &Batch{}
	b.Queue(submissionViewQuery+w.sql()+order+limit, args...)
	b.Queue(`SELECT count(*) FROM submissions s`+w.sql(), w.args...)
	return listPage(ctx, s, "submissions", b, p, scanSubmissionView)
}

// SubmissionByID returns the view.
func (s *Store) SubmissionByID(ctx context.Context, id string) (cohortly.SubmissionView, error) {
	var v cohortly.SubmissionView
	err := scanSubmissionView(s.db.Read.QueryRow(ctx, submissionViewQuery+` WHERE s.id = $1`, id), &v)
	return v, s.mapErr(err, "submission "+id, nil)
}

// GradeSubmission upserts the grade. The submission row is read with the dialect's ForUpdate lock
// (SQLite: in a serialised write transaction), so concurrent first grades queue and exactly one of
// them inserts.
func (s *Store) GradeSubmission(ctx context.Context, g cohortly.Grade) (cohortly.GradeView, bool, error) {
	var out cohortly.GradeView
	created := false
	err := s.inTx(ctx, "grade submission", func(tx Querier) error {
		var id string
		if err := tx.QueryRow(ctx, `SELECT id FROM submissions WHERE id = $1`+s.d.ForUpdate, g.SubmissionID).Scan(&id); err != nil {
			return s.mapErr(err, "grade submission "+g.SubmissionID, nil)
		}
		n, err := tx.Exec(ctx, `UPDATE grades SET score = $2, feedback = $3, graded_by = $4, graded_at = $5 WHERE submission_id = $1`,
			g.SubmissionID, g.Score, g.Feedback, g.GradedBy, ts(g.GradedAt))
		if err != nil {
			return s.mapErr(err, "grade submission", cohortly.ErrMissingRef)
		}
		if n == 0 {
			if err := s.insertGrade(ctx, tx, g, "grade submission"); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE submissions SET status = 'GRADED', updated_at = $2 WHERE id = $1`, g.SubmissionID, ts(g.GradedAt)); err != nil {
				return s.mapErr(err, "grade submission: mark graded", cohortly.ErrMissingRef)
			}
			created = true
		}
		err = tx.QueryRow(ctx, `SELECT g.id, g.submission_id, g.score, g.feedback, g.graded_by, g.graded_at, u.id, u.full_name, u.email
			FROM grades g JOIN users u ON u.id = g.graded_by WHERE g.submission_id = $1`, g.SubmissionID).
			Scan(&out.ID, &out.SubmissionID, &out.Score, &out.Feedback, &out.GradedBy, &out.GradedAt, &out.GradedByUser.ID, &out.GradedByUser.FullName, &out.GradedByUser.Email)
		out.GradedAt = utc(out.GradedAt)
		return s.mapErr(err, "grade submission: read back", nil)
	})
	if err != nil {
		return cohortly.GradeView{}, false, err
	}
	return out, created, nil
}

func (s *Store) insertGrade(ctx context.Context, q Querier, g cohortly.Grade, op string) error {
	_, err := q.Exec(ctx, `INSERT INTO grades (id, submission_id, score, feedback, graded_by, graded_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		g.ID, g.SubmissionID, g.Score, g.Feedback, g.GradedBy, ts(g.GradedAt))
	return s.mapErr(err, op, cohortly.ErrMissingRef)
}
