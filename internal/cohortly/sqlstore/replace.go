package sqlstore

import (
	"context"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// wipeOrder lists the 20 legacy tables children first, so plain DELETEs never trip a RESTRICT key.
var wipeOrder = []string{
	"grades", "submissions", "assignments", "resources", "attendance", "certificates", "payments",
	"enrollments", "instructor_batches", "mentor_batches", "announcements", "notifications", "lessons",
	"modules", "batches", "bootcamps", "lead_logs", "leads", "refresh_tokens", "users",
}

// ReplaceAll wipes the 20 tables and inserts d, parents first, in one transaction. DELETE rather than
// TRUNCATE: it needs no ACCESS EXCLUSIVE lock on PostgreSQL, so a legacy server on the same database
// is only blocked per row.
func (s *Store) ReplaceAll(ctx context.Context, d cohortly.Dataset) error {
	return s.inTx(ctx, "replace all", func(tx Querier) error {
		for _, t := range wipeOrder {
			if _, err := tx.Exec(ctx, `DELETE FROM `+t); err != nil {
				return s.mapErr(err, "replace all: wipe "+t, cohortly.ErrInUse)
			}
		}
		// exec inserts one row of a table only the seed writes.
		exec := func(what, sql string, args ...any) error {
			_, err := tx.Exec(ctx, sql, args...)
			return s.mapErr(err, "replace all: "+what, cohortly.ErrMissingRef)
		}
		for _, u := range d.Users {
			if err := s.insertUser(ctx, tx, u, "replace all: user"); err != nil {
				return err
			}
		}
		for _, l := range d.Leads {
			if err := s.insertLead(ctx, tx, l); err != nil {
				return err
			}
		}
		for _, g := range d.LeadLogs {
			if err := s.insertLeadLog(ctx, tx, g); err != nil {
				return err
			}
		}
		for _, b := range d.Bootcamps {
			if err := s.insertBootcamp(ctx, tx, b); err != nil {
				return err
			}
		}
		for _, b := range d.Batches {
			if err := s.insertBatch(ctx, tx, b); err != nil {
				return err
			}
		}
		for _, a := range d.InstructorBatches {
			if err := s.insertStaff(ctx, tx, "instructor_batches", "instructor_id", a, "replace all: instructor"); err != nil {
				return err
			}
		}
		for _, a := range d.MentorBatches {
			if err := s.insertStaff(ctx, tx, "mentor_batches", "mentor_id", a, "replace all: mentor"); err != nil {
				return err
			}
		}
		for _, e := range d.Enrollments {
			if err := s.insertEnrollment(ctx, tx, e, "replace all: enrollment"); err != nil {
				return err
			}
		}
		for _, p := range d.Payments {
			if err := s.insertPayment(ctx, tx, p); err != nil {
				return err
			}
		}
		for _, m := range d.Modules {
			if err := s.insertModule(ctx, tx, m); err != nil {
				return err
			}
		}
		for _, l := range d.Lessons {
			if err := s.insertLesson(ctx, tx, l); err != nil {
				return err
			}
		}
		for _, r := range d.Resources {
			if err := exec("resource", `INSERT INTO resources (id, lesson_id, title, type, url, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				r.ID, r.LessonID, r.Title, string(r.Type), r.URL, ts(r.CreatedAt)); err != nil {
				return err
			}
		}
		for _, a := range d.Attendance {
			if err := exec("attendance", `INSERT INTO attendance (id, enrollment_id, batch_id, session_date, present, marked_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				a.ID, a.EnrollmentID, a.BatchID, ts(a.SessionDate), a.Present, ts(a.MarkedAt)); err != nil {
				return err
			}
		}
		for _, a := range d.Assignments {
			if err := s.insertAssignment(ctx, tx, a); err != nil {
				return err
			}
		}
		for _, sub := range d.Submissions {
			if err := s.insertSubmission(ctx, tx, sub); err != nil {
				return err
			}
		}
		for _, g := range d.Grades {
			if err := s.insertGrade(ctx, tx, g, "replace all: grade"); err != nil {
				return err
			}
		}
		for _, a := range d.Announcements {
			if err := exec("announcement", `INSERT INTO announcements (id, batch_id, title, message, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				a.ID, a.BatchID, a.Title, a.Message, a.CreatedBy, ts(a.CreatedAt)); err != nil {
				return err
			}
		}
		for _, n := range d.Notifications {
			if err := exec("notification", `INSERT INTO notifications (id, user_id, title, message, is_read, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				n.ID, n.UserID, n.Title, n.Message, n.IsRead, ts(n.CreatedAt)); err != nil {
				return err
			}
		}
		for _, c := range d.Certificates {
			if err := exec("certificate", `INSERT INTO certificates (id, enrollment_id, verification_code, issued_by, issued_at) VALUES ($1, $2, $3, $4, $5)`,
				c.ID, c.EnrollmentID, c.VerificationCode, c.IssuedBy, ts(c.IssuedAt)); err != nil {
				return err
			}
		}
		return nil
	})
}
