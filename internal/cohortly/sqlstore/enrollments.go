package sqlstore

import (
	"context"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

const enrollmentCols = `e.id, e.student_id, e.batch_id, e.status, e.enrolled_at, e.completed_at, e.created_at, e.updated_at`

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
var enrollmentViewSelect = `SELECT ` + enrollmentCols + `, u.id, u.full_name, u.email, u.phone, ` + batchCols + `, ` + bootcampCols("b") + `,
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id),
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id AND EXISTS (
				SELECT 1 FROM submissions s WHERE s.assignment_id = a.id AND s.student_id = e.student_id AND s.status = 'GRADED'))
	FROM enrollments e
	JOIN users u ON u.id = e.student_id
	JOIN batches t ON t.id = e.batch_id
	JOIN bootcamps b ON b.id = t.bootcamp_id`

func scanEnrollmentView(row Row, v *cohortly.EnrollmentView) error {
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

const paymentCols = `p.id, p.enrollment_id, CAST(p.amount AS TEXT), p.method, p.status, p.transaction_id, p.paid_at, p.created_at, p.updated_at`

func scanPayment(r Row, p *cohortly.Payment) error {
	var amount, method, status string
	if err := r.Scan(&p.ID, &p.EnrollmentID, &amount, &method, &status, &p.TransactionID, &p.PaidAt, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return err
	}
	m, err := parseMoney(amount, "payment amount")
	if err != nil {
		return err
	}
	p.Amount, p.Method, p.Status = m, cohortly.PaymentMethod(method), cohortly.PaymentStatus(status)
	p.PaidAt, p.CreatedAt, p.UpdatedAt = utcp(p.PaidAt), utc(p.CreatedAt), utc(p.UpdatedAt)
	return nil
}

// attachPayments loads the payments of every view in one query.
func (s *Store) attachPayments(ctx context.Context, q Querier, views []cohortly.EnrollmentView) error {
	if len(views) == 0 {
		return nil
	}
	ids := make([]string, len(views))
	idx := make(map[string]int, len(views))
	for i, v := range views {
		ids[i] = v.ID
		idx[v.ID] = i
	}
	match, args := s.d.AnyOf("p.enrollment_id", 1, ids)
	rows, err := q.Query(ctx, `SELECT `+paymentCols+` FROM payments p WHERE `+match+` ORDER BY p.created_at, p.id`, args...)
	if err != nil {
		return s.mapErr(err, "enrollment payments", nil)
	}
	payments, err := scanAll(rows, scanPayment)
	if err != nil {
		return s.mapErr(err, "enrollment payments", nil)
	}
	for _, p := range payments {
		i := idx[p.EnrollmentID]
		views[i].Payments = append(views[i].Payments, p)
	}
	return nil
}

func (s *Store) insertEnrollment(ctx context.Context, q Querier, e cohortly.Enrollment, op string) error {
	_, err := q.Exec(ctx, `INSERT INTO enrollments (id, student_id, batch_id, status, enrolled_at, completed_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.ID, e.StudentID, e.BatchID, string(e.Status), ts(e.EnrolledAt), tsp(e.CompletedAt), ts(e.CreatedAt), ts(e.UpdatedAt))
	return s.mapErr(err, op, cohortly.ErrMissingRef)
}

// CreateEnrollment inserts e; a second enrollment of the student in the batch is ErrConflict.
func (s *Store) CreateEnrollment(ctx context.Context, e cohortly.Enrollment) error {
	return s.insertEnrollment(ctx, s.db.Write, e, "create enrollment")
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
		w.add(`e.status = %s`, string(f.Status))
	}
	limit, args := w.page(p, s.d.InlinePage)
	b := &Batch{}
	b.Queue(enrollmentViewSelect+w.sql()+` ORDER BY e.created_at DESC, e.id`+limit, args...)
	b.Queue(`SELECT count(*) FROM enrollments e JOIN batches t ON t.id = e.batch_id`+w.sql(), w.args...)
	out, total, err := listPage(ctx, s, "enrollments", b, p, scanEnrollmentView)
	if err != nil {
		return nil, 0, err
	}
	if err := s.attachPayments(ctx, s.db.Read, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// EnrollmentByID returns the full view.
func (s *Store) EnrollmentByID(ctx context.Context, id string) (cohortly.EnrollmentView, error) {
	return s.enrollmentByID(ctx, s.db.Read, id)
}

func (s *Store) enrollmentByID(ctx context.Context, q Querier, id string) (cohortly.EnrollmentView, error) {
	var v cohortly.EnrollmentView
	if err := scanEnrollmentView(q.QueryRow(ctx, enrollmentViewSelect+` WHERE e.id = $1`, id), &v); err != nil {
		return v, s.mapErr(err, "enrollment "+id, nil)
	}
	views := []cohortly.EnrollmentView{v}
	if err := s.attachPayments(ctx, q, views); err != nil {
		return v, err
	}
	return views[0], nil
}

// UpdateEnrollmentStatus sets the status (and completed_at for COMPLETED) and returns the view.
func (s *Store) UpdateEnrollmentStatus(ctx context.Context, id string, status cohortly.EnrollmentStatus, now time.Time) (cohortly.EnrollmentView, error) {
	var out cohortly.EnrollmentView
	err := s.inTx(ctx, "update enrollment status", func(tx Querier) error {
		// completed_at is set in Go: PostgreSQL cannot type one parameter both as the enum (SET) and
		// in a comparison with a literal.
		var completed *time.Time
		if status == cohortly.EnrollmentCompleted {
			completed = tsp(&now)
		}
		n, err := tx.Exec(ctx, `UPDATE enrollments SET status = $2, updated_at = $3, completed_at = COALESCE($4, completed_at) WHERE id = $1`,
			id, string(status), ts(now), completed)
		if err != nil {
			return s.mapErr(err, "update enrollment "+id, cohortly.ErrMissingRef)
		}
		if n == 0 {
			return s.fail("update enrollment "+id, cohortly.ErrNotFound)
		}
		out, err = s.enrollmentByID(ctx, tx, id)
		return err
	})
	return out, err
}

// DeleteEnrollment hard-deletes it; payments, attendance and certificate cascade.
func (s *Store) DeleteEnrollment(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "enrollments", "enrollment", id)
}

// CreatePayment inserts p.
func (s *Store) CreatePayment(ctx context.Context, p cohortly.Payment) error {
	return s.insertPayment(ctx, s.db.Write, p)
}

func (s *Store) insertPayment(ctx context.Context, q Querier, p cohortly.Payment) error {
	_, err := q.Exec(ctx, `INSERT INTO payments (id, enrollment_id, amount, method, status, transaction_id, paid_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		p.ID, p.EnrollmentID, p.Amount.String(), string(p.Method), string(p.Status), p.TransactionID, tsp(p.PaidAt), ts(p.CreatedAt), ts(p.UpdatedAt))
	return s.mapErr(err, "create payment", cohortly.ErrMissingRef)
}
