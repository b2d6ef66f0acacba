package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

const enrollmentCols = `e.id, e.student_id, e.batch_id, e.status::text, e.enrolled_at, e.completed_at, e.created_at, e.updated_at`

type enrollmentScan struct {
	e      *cohortly.Enrollment
	status string
}

func (x *enrollmentScan) dest(d []any) []any {
	return append(d, &x.e.ID, &x.e.StudentID, &x.e.BatchID, &x.status, &x.e.EnrolledAt, &x.e.CompletedAt, &x.e.CreatedAt, &x.e.UpdatedAt)
}

func (x *enrollmentScan) fix() {
	x.e.Status = cohortly.EnrollmentStatus(x.status)
	x.e.EnrolledAt, x.e.CompletedAt, x.e.CreatedAt, x.e.UpdatedAt = utc(x.e.EnrolledAt), utcp(x.e.CompletedAt), utc(x.e.CreatedAt), utc(x.e.UpdatedAt)
}

// enrollmentViewSelect yields everything of an EnrollmentView except payments, which are fetched for a
// whole page at once. The assignment counts go through lessons -> modules of the batch's bootcamp.
const enrollmentViewSelect = `SELECT ` + enrollmentCols + `, u.id, u.full_name, u.email, u.phone, ` + batchCols + `, ` +
	`b.id, b.title, b.description, b.mode::text, b.price::text, b.duration, b.is_active, b.created_by, b.created_at, b.updated_at` + `,
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id),
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id AND EXISTS (
				SELECT 1 FROM submissions s WHERE s.assignment_id = a.id AND s.student_id = e.student_id AND s.status = 'GRADED'))
	FROM enrollments e
	JOIN users u ON u.id = e.student_id
	JOIN batches t ON t.id = e.batch_id
	JOIN bootcamps b ON b.id = t.bootcamp_id`

func scanEnrollmentView(row pgx.Row, v *cohortly.EnrollmentView) error {
	x := enrollmentScan{e: &v.Enrollment}
	y := batchScan{b: &v.Batch}
	z := bootcampScan{b: &v.Bootcamp}
	d := x.dest(make([]any, 0, 33))
	d = append(d, &v.Student.ID, &v.Student.FullName, &v.Student.Email, &v.Student.Phone)
	d = z.dest(y.dest(d))
	d = append(d, &v.AssignmentsTotal, &v.AssignmentsGraded)
	if err := row.Scan(d...); err != nil {
		return err
	}
	x.fix()
	y.fix()
	v.Payments = []cohortly.Payment{}
	return z.fix()
}

const paymentCols = `p.id, p.enrollment_id, p.amount::text, p.method::text, p.status::text, p.transaction_id, p.paid_at, p.created_at, p.updated_at`

// attachPayments loads the payments of every view in one query.
func attachPayments(ctx context.Context, q querier, views []cohortly.EnrollmentView) error {
	if len(views) == 0 {
		return nil
	}
	ids := make([]string, len(views))
	idx := make(map[string]int, len(views))
	for i, v := range views {
		ids[i] = v.ID
		idx[v.ID] = i
	}
	rows, err := q.Query(ctx, `SELECT `+paymentCols+` FROM payments p WHERE p.enrollment_id = ANY($1::text[]) ORDER BY p.created_at, p.id`, ids)
	if err != nil {
		return mapErr(err, "enrollment payments", nil)
	}
	defer rows.Close()
	for rows.Next() {
		var p cohortly.Payment
		var amount, method, status string
		if err := rows.Scan(&p.ID, &p.EnrollmentID, &amount, &method, &status, &p.TransactionID, &p.PaidAt, &p.CreatedAt, &p.UpdatedAt); err != nil {
			return mapErr(err, "enrollment payments", nil)
		}
		m, err := parseMoney(amount, "payment amount")
		if err != nil {
			return err
		}
		p.Amount, p.Method, p.Status = m, cohortly.PaymentMethod(method), cohortly.PaymentStatus(status)
		p.PaidAt, p.CreatedAt, p.UpdatedAt = utcp(p.PaidAt), utc(p.CreatedAt), utc(p.UpdatedAt)
		i := idx[p.EnrollmentID]
		views[i].Payments = append(views[i].Payments, p)
	}
	return mapErr(rows.Err(), "enrollment payments", nil)
}

// CreateEnrollment inserts e; a second enrollment of the student in the batch is ErrConflict.
func (s *Store) CreateEnrollment(ctx context.Context, e cohortly.Enrollment) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO enrollments (id, student_id, batch_id, status, enrolled_at, completed_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4::"EnrollmentStatus", $5, $6, $7, $8)`,
		e.ID, e.StudentID, e.BatchID, string(e.Status), ts(e.EnrolledAt), tsp(e.CompletedAt), ts(e.CreatedAt), ts(e.UpdatedAt))
	return mapErr(err, "create enrollment", cohortly.ErrMissingRef)
}

// ListEnrollments returns a page, newest first, each a full view.
func (s *Store) ListEnrollments(ctx context.Context, f cohortly.EnrollmentFilter, p cohortly.Page) ([]cohortly.EnrollmentView, int, error) {
	var w where
	if f.StudentID != "" {
		w.add(`e.student_id = %s`, f.StudentID)
	}
	if f.BatchID != "" {
		w.add(`e.batch_id = %s`, f.BatchID)
	}
	if f.BootcampID != "" {
		w.add(`t.bootcamp_id = %s`, f.BootcampID)
	}
	if f.Status != "" {
		w.add(`e.status = %s::"EnrollmentStatus"`, string(f.Status))
	}
	b := &pgx.Batch{}
	b.Queue(enrollmentViewSelect+w.sql()+` ORDER BY e.created_at DESC, e.id LIMIT `+w.next(1)+` OFFSET `+w.next(2),
		append(append([]any{}, w.args...), p.Limit, p.Offset)...)
	b.Queue(`SELECT count(*) FROM enrollments e JOIN batches t ON t.id = e.batch_id`+w.sql(), w.args...)
	br := s.pool.SendBatch(ctx, b)
	out, total, err := func() ([]cohortly.EnrollmentView, int, error) {
		defer br.Close()
		rows, err := br.Query()
		if err != nil {
			return nil, 0, mapErr(err, "list enrollments", nil)
		}
		out := make([]cohortly.EnrollmentView, 0, p.Limit)
		for rows.Next() {
			var v cohortly.EnrollmentView
			if err := scanEnrollmentView(rows, &v); err != nil {
				rows.Close()
				return nil, 0, mapErr(err, "list enrollments", nil)
			}
			out = append(out, v)
		}
		if err := rows.Err(); err != nil {
			return nil, 0, mapErr(err, "list enrollments", nil)
		}
		var total int
		if err := br.QueryRow().Scan(&total); err != nil {
			return nil, 0, mapErr(err, "count enrollments", nil)
		}
		return out, total, nil
	}()
	if err != nil {
		return nil, 0, err
	}
	if err := attachPayments(ctx, s.pool, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// EnrollmentByID returns the full view.
func (s *Store) EnrollmentByID(ctx context.Context, id string) (cohortly.EnrollmentView, error) {
	return enrollmentByID(ctx, s.pool, id)
}

func enrollmentByID(ctx context.Context, q querier, id string) (cohortly.EnrollmentView, error) {
	var v cohortly.EnrollmentView
	if err := scanEnrollmentView(q.QueryRow(ctx, enrollmentViewSelect+` WHERE e.id = $1`, id), &v); err != nil {
		return v, mapErr(err, "enrollment "+id, nil)
	}
	views := []cohortly.EnrollmentView{v}
	if err := attachPayments(ctx, q, views); err != nil {
		return v, err
	}
	return views[0], nil
}

// UpdateEnrollmentStatus sets the status (and completed_at for COMPLETED) and returns the view.
func (s *Store) UpdateEnrollmentStatus(ctx context.Context, id string, status cohortly.EnrollmentStatus, now time.Time) (cohortly.EnrollmentView, error) {
	var out cohortly.EnrollmentView
	err := s.inTx(ctx, "update enrollment status", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE enrollments SET status = $2::"EnrollmentStatus", updated_at = $3,
			completed_at = CASE WHEN $2 = 'COMPLETED' THEN $3 ELSE completed_at END WHERE id = $1`, id, string(status), ts(now))
		if err != nil {
			return mapErr(err, "update enrollment "+id, cohortly.ErrMissingRef)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("pgstore: update enrollment %s: %w", id, cohortly.ErrNotFound)
		}
		out, err = enrollmentByID(ctx, tx, id)
		return err
	})
	return out, err
}

// DeleteEnrollment hard-deletes it; payments, attendance and certificate cascade.
func (s *Store) DeleteEnrollment(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM enrollments WHERE id = $1`, id)
	if err != nil {
		return mapErr(err, "delete enrollment "+id, cohortly.ErrInUse)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("pgstore: delete enrollment %s: %w", id, cohortly.ErrNotFound)
	}
	return nil
}

// CreatePayment inserts p.
func (s *Store) CreatePayment(ctx context.Context, p cohortly.Payment) error {
	return insertPayment(ctx, s.pool, p)
}

func insertPayment(ctx context.Context, q querier, p cohortly.Payment) error {
	_, err := q.Exec(ctx, `INSERT INTO payments (id, enrollment_id, amount, method, status, transaction_id, paid_at, created_at, updated_at)
		VALUES ($1, $2, $3::numeric, $4::"PaymentMethod", $5::"PaymentStatus", $6, $7, $8, $9)`,
		p.ID, p.EnrollmentID, p.Amount.String(), string(p.Method), string(p.Status), p.TransactionID, tsp(p.PaidAt), ts(p.CreatedAt), ts(p.UpdatedAt))
	return mapErr(err, "create payment", cohortly.ErrMissingRef)
}
