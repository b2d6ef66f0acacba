package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// wipeOrder lists the 20 legacy tables children first, so plain DELETEs never trip a RESTRICT key.
var wipeOrder = []string{
	"grades", "submissions", "assignments", "resources", "attendance", "certificates", "payments",
	"enrollments", "instructor_batches", "mentor_batches", "announcements", "notifications", "lessons",
	"modules", "batches", "bootcamps", "lead_logs", "leads", "refresh_tokens", "users",
}

// ReplaceAll wipes the 20 tables and inserts d, in one transaction. DELETE rather than TRUNCATE: it
// needs no ACCESS EXCLUSIVE lock, so a legacy server on the same database is only blocked per row.
func (s *Store) ReplaceAll(ctx context.Context, d cohortly.Dataset) error {
	return s.inTx(ctx, "replace all", func(tx pgx.Tx) error {
		for _, t := range wipeOrder {
			if _, err := tx.Exec(ctx, `DELETE FROM `+t); err != nil {
				return mapErr(err, "replace all: wipe "+t, cohortly.ErrInUse)
			}
		}
		for _, u := range d.Users {
			if _, err := tx.Exec(ctx, `INSERT INTO users (id, email, password_hash, role, full_name, phone, is_active, created_at, updated_at)
				VALUES ($1, $2, $3, $4::"UserRole", $5, $6, $7, $8, $9)`,
				u.ID, u.Email, u.PasswordHash, string(u.Role), u.FullName, u.Phone, u.IsActive, ts(u.CreatedAt), ts(u.UpdatedAt)); err != nil {
				return mapErr(err, "replace all: user", cohortly.ErrMissingRef)
			}
		}
		for _, l := range d.Leads {
			if err := insertLead(ctx, tx, l); err != nil {
				return err
			}
		}
		for _, g := range d.LeadLogs {
			if err := insertLeadLog(ctx, tx, g); err != nil {
				return err
			}
		}
		for _, b := range d.Bootcamps {
			if err := insertBootcamp(ctx, tx, b); err != nil {
				return err
			}
		}
		for _, b := range d.Batches {
			if err := insertBatch(ctx, tx, b); err != nil {
				return err
			}
		}
		for _, a := range d.InstructorBatches {
			if _, err := tx.Exec(ctx, `INSERT INTO instructor_batches (id, batch_id, instructor_id, assigned_at) VALUES ($1, $2, $3, $4)`,
				a.ID, a.BatchID, a.UserID, ts(a.AssignedAt)); err != nil {
				return mapErr(err, "replace all: instructor", cohortly.ErrMissingRef)
			}
		}
		for _, a := range d.MentorBatches {
			if _, err := tx.Exec(ctx, `INSERT INTO mentor_batches (id, batch_id, mentor_id, assigned_at) VALUES ($1, $2, $3, $4)`,
				a.ID, a.BatchID, a.UserID, ts(a.AssignedAt)); err != nil {
				return mapErr(err, "replace all: mentor", cohortly.ErrMissingRef)
			}
		}
		for _, e := range d.Enrollments {
			if _, err := tx.Exec(ctx, `INSERT INTO enrollments (id, student_id, batch_id, status, enrolled_at, completed_at, created_at, updated_at)
				VALUES ($1, $2, $3, $4::"EnrollmentStatus", $5, $6, $7, $8)`,
				e.ID, e.StudentID, e.BatchID, string(e.Status), ts(e.EnrolledAt), tsp(e.CompletedAt), ts(e.CreatedAt), ts(e.UpdatedAt)); err != nil {
				return mapErr(err, "replace all: enrollment", cohortly.ErrMissingRef)
			}
		}
		for _, p := range d.Payments {
			if err := insertPayment(ctx, tx, p); err != nil {
				return err
			}
		}
		for _, m := range d.Modules {
			if err := insertModule(ctx, tx, m); err != nil {
				return err
			}
		}
		for _, l := range d.Lessons {
			if err := insertLesson(ctx, tx, l); err != nil {
				return err
			}
		}
		for _, r := range d.Resources {
			if _, err := tx.Exec(ctx, `INSERT INTO resources (id, lesson_id, title, type, url, created_at) VALUES ($1, $2, $3, $4::"ResourceType", $5, $6)`,
				r.ID, r.LessonID, r.Title, string(r.Type), r.URL, ts(r.CreatedAt)); err != nil {
				return mapErr(err, "replace all: resource", cohortly.ErrMissingRef)
			}
		}
		for _, a := range d.Attendance {
			if _, err := tx.Exec(ctx, `INSERT INTO attendance (id, enrollment_id, batch_id, session_date, present, marked_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				a.ID, a.EnrollmentID, a.BatchID, ts(a.SessionDate), a.Present, ts(a.MarkedAt)); err != nil {
				return mapErr(err, "replace all: attendance", cohortly.ErrMissingRef)
			}
		}
		for _, a := range d.Assignments {
			if err := insertAssignment(ctx, tx, a); err != nil {
				return err
			}
		}
		for _, sub := range d.Submissions {
			if err := insertSubmission(ctx, tx, sub); err != nil {
				return err
			}
		}
		for _, g := range d.Grades {
			if _, err := tx.Exec(ctx, `INSERT INTO grades (id, submission_id, score, feedback, graded_by, graded_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				g.ID, g.SubmissionID, g.Score, g.Feedback, g.GradedBy, ts(g.GradedAt)); err != nil {
				return mapErr(err, "replace all: grade", cohortly.ErrMissingRef)
			}
		}
		for _, a := range d.Announcements {
			if _, err := tx.Exec(ctx, `INSERT INTO announcements (id, batch_id, title, message, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				a.ID, a.BatchID, a.Title, a.Message, a.CreatedBy, ts(a.CreatedAt)); err != nil {
				return mapErr(err, "replace all: announcement", cohortly.ErrMissingRef)
			}
		}
		for _, n := range d.Notifications {
			if _, err := tx.Exec(ctx, `INSERT INTO notifications (id, user_id, title, message, is_read, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				n.ID, n.UserID, n.Title, n.Message, n.IsRead, ts(n.CreatedAt)); err != nil {
				return mapErr(err, "replace all: notification", cohortly.ErrMissingRef)
			}
		}
		for _, c := range d.Certificates {
			if _, err := tx.Exec(ctx, `INSERT INTO certificates (id, enrollment_id, verification_code, issued_by, issued_at) VALUES ($1, $2, $3, $4, $5)`,
				c.ID, c.EnrollmentID, c.VerificationCode, c.IssuedBy, ts(c.IssuedAt)); err != nil {
				return mapErr(err, "replace all: certificate", cohortly.ErrMissingRef)
			}
		}
		return nil
	})
}
