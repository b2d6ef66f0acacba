package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// bootcampCols must be scanned with bootcampDest + fixBootcamp (price travels as text: exact).
func bootcampCols(a string) string {
	return a + `.id, ` + a + `.title, ` + a + `.description, ` + a + `.mode::text, ` + a + `.price::text, ` + a + `.duration, ` +
		a + `.is_active, ` + a + `.created_by, ` + a + `.created_at, ` + a + `.updated_at`
}

type bootcampScan struct {
	b     *cohortly.Bootcamp
	mode  string
	price string
}

func (x *bootcampScan) dest(d []any) []any {
	return append(d, &x.b.ID, &x.b.Title, &x.b.Description, &x.mode, &x.price, &x.b.Duration, &x.b.IsActive, &x.b.CreatedBy, &x.b.CreatedAt, &x.b.UpdatedAt)
}

func (x *bootcampScan) fix() error {
	x.b.Mode = cohortly.BootcampMode(x.mode)
	m, err := parseMoney(x.price, "bootcamp price")
	if err != nil {
		return err
	}
	x.b.Price = m
	x.b.CreatedAt, x.b.UpdatedAt = utc(x.b.CreatedAt), utc(x.b.UpdatedAt)
	return nil
}

const bootcampViewSelect = `SELECT ` + `b.id, b.title, b.description, b.mode::text, b.price::text, b.duration, b.is_active, b.created_by, b.created_at, b.updated_at` + `,
		u.id, u.full_name, u.email,
		(SELECT count(*) FROM modules m WHERE m.bootcamp_id = b.id),
		s.cnt, s.min_start, s.max_end, s.cap, s.up, s.ongoing, s.done, s.cancelled
	FROM bootcamps b
	JOIN users u ON u.id = b.created_by
	CROSS JOIN LATERAL (
		SELECT count(*) AS cnt, min(start_date) AS min_start, max(end_date) AS max_end,
			COALESCE(sum(capacity), 0) AS cap,
			count(*) FILTER (WHERE status = 'UPCOMING') AS up,
			count(*) FILTER (WHERE status = 'ONGOING') AS ongoing,
			count(*) FILTER (WHERE status = 'COMPLETED') AS done,
			count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled
		FROM batches WHERE bootcamp_id = b.id
	) s`

func scanBootcampView(row pgx.Row, v *cohortly.BootcampView) error {
	x := bootcampScan{b: &v.Bootcamp}
	st := &v.Batches
	d := x.dest(make([]any, 0, 22))
	d = append(d, &v.CreatedByUser.ID, &v.CreatedByUser.FullName, &v.CreatedByUser.Email, &v.ModuleCount,
		&st.Count, &st.MinStart, &st.MaxEnd, &st.CapacitySum, &st.Upcoming, &st.Ongoing, &st.Completed, &st.Cancelled)
	if err := row.Scan(d...); err != nil {
		return err
	}
	st.MinStart, st.MaxEnd = utcp(st.MinStart), utcp(st.MaxEnd)
	return x.fix()
}

func insertBootcamp(ctx context.Context, q querier, b cohortly.Bootcamp) error {
	_, err := q.Exec(ctx, `INSERT INTO bootcamps (id, title, description, mode, price, duration, is_active, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4::"BootcampMode", $5::numeric, $6, $7, $8, $9, $10)`,
		b.ID, b.Title, b.Description, string(b.Mode), b.Price.String(), b.Duration, b.IsActive, b.CreatedBy, ts(b.CreatedAt), ts(b.UpdatedAt))
	return mapErr(err, "create bootcamp", cohortly.ErrMissingRef)
}

func insertBatch(ctx context.Context, q querier, b cohortly.Batch) error {
	_, err := q.Exec(ctx, `INSERT INTO batches (id, bootcamp_id, batch_name, start_date, end_date, capacity, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7::"BatchStatus", $8, $9)`,
		b.ID, b.BootcampID, b.BatchName, ts(b.StartDate), ts(b.EndDate), b.Capacity, string(b.Status), ts(b.CreatedAt), ts(b.UpdatedAt))
	return mapErr(err, "create batch", cohortly.ErrMissingRef)
}

// CreateBootcamp inserts the bootcamp and its optional first batch atomically.
func (s *Store) CreateBootcamp(ctx context.Context, b cohortly.Bootcamp, first *cohortly.Batch) error {
	return s.inTx(ctx, "create bootcamp", func(tx pgx.Tx) error {
		if err := insertBootcamp(ctx, tx, b); err != nil {
			return err
		}
		if first != nil {
			fb := *first
			fb.BootcampID = b.ID
			return insertBatch(ctx, tx, fb)
		}
		return nil
	})
}

// ListBootcamps returns a page, newest first, with the total.
func (s *Store) ListBootcamps(ctx context.Context, f cohortly.BootcampFilter, p cohortly.Page) ([]cohortly.BootcampView, int, error) {
	var w where
	if f.IsActive != nil {
		w.add(`b.is_active = %s`, *f.IsActive)
	}
	b := &pgx.Batch{}
	b.Queue(bootcampViewSelect+w.sql()+` ORDER BY b.created_at DESC, b.id LIMIT `+w.next(1)+` OFFSET `+w.next(2),
		append(append([]any{}, w.args...), p.Limit, p.Offset)...)
	b.Queue(`SELECT count(*) FROM bootcamps b`+w.sql(), w.args...)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	rows, err := br.Query()
	if err != nil {
		return nil, 0, mapErr(err, "list bootcamps", nil)
	}
	out := make([]cohortly.BootcampView, 0, p.Limit)
	for rows.Next() {
		var v cohortly.BootcampView
		if err := scanBootcampView(rows, &v); err != nil {
			rows.Close()
			return nil, 0, mapErr(err, "list bootcamps", nil)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, mapErr(err, "list bootcamps", nil)
	}
	var total int
	if err := br.QueryRow().Scan(&total); err != nil {
		return nil, 0, mapErr(err, "count bootcamps", nil)
	}
	return out, total, nil
}

// BootcampByID returns the view, soft-deleted bootcamps included.
func (s *Store) BootcampByID(ctx context.Context, id string) (cohortly.BootcampView, error) {
	return bootcampByID(ctx, s.pool, id)
}

func bootcampByID(ctx context.Context, q querier, id string) (cohortly.BootcampView, error) {
	var v cohortly.BootcampView
	err := scanBootcampView(q.QueryRow(ctx, bootcampViewSelect+` WHERE b.id = $1`, id), &v)
	return v, mapErr(err, "bootcamp "+id, nil)
}

const batchCols = `t.id, t.bootcamp_id, t.batch_name, t.start_date, t.end_date, t.capacity, t.status::text, t.created_at, t.updated_at`

type batchScan struct {
	b      *cohortly.Batch
	status string
}

func (x *batchScan) dest(d []any) []any {
	return append(d, &x.b.ID, &x.b.BootcampID, &x.b.BatchName, &x.b.StartDate, &x.b.EndDate, &x.b.Capacity, &x.status, &x.b.CreatedAt, &x.b.UpdatedAt)
}

func (x *batchScan) fix() {
	x.b.Status = cohortly.BatchStatus(x.status)
	x.b.StartDate, x.b.EndDate, x.b.CreatedAt, x.b.UpdatedAt = utc(x.b.StartDate), utc(x.b.EndDate), utc(x.b.CreatedAt), utc(x.b.UpdatedAt)
}

// BootcampDetail returns the view with its batches and curriculum (three queries in one round trip).
func (s *Store) BootcampDetail(ctx context.Context, id string) (cohortly.BootcampDetail, error) {
	var d cohortly.BootcampDetail
	b := &pgx.Batch{}
	b.Queue(bootcampViewSelect+` WHERE b.id = $1`, id)
	b.Queue(`SELECT `+batchCols+`, (SELECT count(*) FROM enrollments e WHERE e.batch_id = t.id)
		FROM batches t WHERE t.bootcamp_id = $1 ORDER BY t.start_date, t.id`, id)
	b.Queue(`SELECT m.id, m.bootcamp_id, m.title, m.description, m.order_index, m.created_at, m.updated_at
		FROM modules m WHERE m.bootcamp_id = $1 ORDER BY m.order_index, m.created_at, m.id`, id)
	b.Queue(`SELECT `+lessonCols+` FROM lessons l JOIN modules m ON m.id = l.module_id
		WHERE m.bootcamp_id = $1 ORDER BY l.order_index, l.created_at, l.id`, id)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	if err := scanBootcampView(br.QueryRow(), &d.BootcampView); err != nil {
		return d, mapErr(err, "bootcamp detail "+id, nil)
	}
	rows, err := br.Query()
	if err != nil {
		return d, mapErr(err, "bootcamp detail batches", nil)
	}
	d.BatchList = []cohortly.BatchWithCount{}
	for rows.Next() {
		var v cohortly.BatchWithCount
		x := batchScan{b: &v.Batch}
		if err := rows.Scan(append(x.dest(nil), &v.EnrollmentCount)...); err != nil {
			rows.Close()
			return d, mapErr(err, "bootcamp detail batches", nil)
		}
		x.fix()
		d.BatchList = append(d.BatchList, v)
	}
	if err := rows.Err(); err != nil {
		return d, mapErr(err, "bootcamp detail batches", nil)
	}
	rows, err = br.Query()
	if err != nil {
		return d, mapErr(err, "bootcamp detail modules", nil)
	}
	d.Modules = []cohortly.ModuleWithLessons{}
	idx := map[string]int{}
	for rows.Next() {
		var m cohortly.ModuleWithLessons
		if err := rows.Scan(&m.ID, &m.BootcampID, &m.Title, &m.Description, &m.OrderIndex, &m.CreatedAt, &m.UpdatedAt); err != nil {
			rows.Close()
			return d, mapErr(err, "bootcamp detail modules", nil)
		}
		m.CreatedAt, m.UpdatedAt = utc(m.CreatedAt), utc(m.UpdatedAt)
		m.Lessons = []cohortly.Lesson{}
		idx[m.ID] = len(d.Modules)
		d.Modules = append(d.Modules, m)
	}
	if err := rows.Err(); err != nil {
		return d, mapErr(err, "bootcamp detail modules", nil)
	}
	rows, err = br.Query()
	if err != nil {
		return d, mapErr(err, "bootcamp detail lessons", nil)
	}
	defer rows.Close()
	for rows.Next() {
		var l cohortly.Lesson
		x := lessonScan{l: &l}
		if err := rows.Scan(x.dest(nil)...); err != nil {
			return d, mapErr(err, "bootcamp detail lessons", nil)
		}
		x.fix()
		if i, ok := idx[l.ModuleID]; ok {
			d.Modules[i].Lessons = append(d.Modules[i].Lessons, l)
		}
	}
	return d, mapErr(rows.Err(), "bootcamp detail lessons", nil)
}

// UpdateBootcamp applies p and returns the view afterwards.
func (s *Store) UpdateBootcamp(ctx context.Context, id string, p cohortly.BootcampPatch, now time.Time) (cohortly.BootcampView, error) {
	var set setList
	set.add("updated_at", ts(now))
	if p.Title.Set {
		set.add("title", p.Title.V)
	}
	if p.Description.Set {
		set.add("description", p.Description.V)
	}
	if p.Mode.Set {
		set.addCast("mode", `"BootcampMode"`, string(p.Mode.V))
	}
	if p.Price.Set {
		set.addCast("price", "numeric", p.Price.V.String())
	}
	if p.Duration.Set {
		set.add("duration", p.Duration.V)
	}
	if p.IsActive.Set {
		set.add("is_active", p.IsActive.V)
	}
	args := append(set.args, id)
	var out cohortly.BootcampView
	err := s.inTx(ctx, "update bootcamp", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE bootcamps SET %s WHERE id = $%d`, set.sql(), len(args)), args...)
		if err != nil {
			return mapErr(err, "update bootcamp "+id, cohortly.ErrMissingRef)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("pgstore: update bootcamp %s: %w", id, cohortly.ErrNotFound)
		}
		out, err = bootcampByID(ctx, tx, id)
		return err
	})
	return out, err
}

// CreateBatch inserts b.
func (s *Store) CreateBatch(ctx context.Context, b cohortly.Batch) error {
	return insertBatch(ctx, s.pool, b)
}

// ListBatches returns a page, latest start first, with each batch's bootcamp and counts.
func (s *Store) ListBatches(ctx context.Context, f cohortly.BatchFilter, p cohortly.Page) ([]cohortly.BatchView, int, error) {
	var w where
	if f.BootcampID != "" {
		w.add(`t.bootcamp_id = %s`, f.BootcampID)
	}
	if f.Status != "" {
		w.add(`t.status = %s::"BatchStatus"`, string(f.Status))
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT `+batchCols+`, `+bootcampCols("b")+`,
			(SELECT count(*) FROM enrollments e WHERE e.batch_id = t.id),
			(SELECT count(*) FROM instructor_batches i WHERE i.batch_id = t.id),
			(SELECT count(*) FROM mentor_batches m WHERE m.batch_id = t.id)
		FROM batches t JOIN bootcamps b ON b.id = t.bootcamp_id`+w.sql()+
		` ORDER BY t.start_date DESC, t.id LIMIT `+w.next(1)+` OFFSET `+w.next(2),
		append(append([]any{}, w.args...), p.Limit, p.Offset)...)
	b.Queue(`SELECT count(*) FROM batches t`+w.sql(), w.args...)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	rows, err := br.Query()
	if err != nil {
		return nil, 0, mapErr(err, "list batches", nil)
	}
	out := make([]cohortly.BatchView, 0, p.Limit)
	for rows.Next() {
		var v cohortly.BatchView
		x := batchScan{b: &v.Batch}
		y := bootcampScan{b: &v.Bootcamp}
		d := y.dest(x.dest(nil))
		d = append(d, &v.EnrollmentCount, &v.InstructorCount, &v.MentorCount)
		if err := rows.Scan(d...); err != nil {
			rows.Close()
			return nil, 0, mapErr(err, "list batches", nil)
		}
		x.fix()
		if err := y.fix(); err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, mapErr(err, "list batches", nil)
	}
	var total int
	if err := br.QueryRow().Scan(&total); err != nil {
		return nil, 0, mapErr(err, "count batches", nil)
	}
	return out, total, nil
}

// BatchDetail returns the batch with bootcamp, staff and enrollments (one round trip).
func (s *Store) BatchDetail(ctx context.Context, id string) (cohortly.BatchDetail, error) {
	var d cohortly.BatchDetail
	b := &pgx.Batch{}
	b.Queue(`SELECT `+batchCols+`, `+bootcampCols("b")+` FROM batches t JOIN bootcamps b ON b.id = t.bootcamp_id WHERE t.id = $1`, id)
	b.Queue(`SELECT a.id, a.batch_id, a.instructor_id, a.assigned_at, u.id, u.full_name, u.email
		FROM instructor_batches a JOIN users u ON u.id = a.instructor_id WHERE a.batch_id = $1 ORDER BY a.assigned_at, a.id`, id)
	b.Queue(`SELECT a.id, a.batch_id, a.mentor_id, a.assigned_at, u.id, u.full_name, u.email
		FROM mentor_batches a JOIN users u ON u.id = a.mentor_id WHERE a.batch_id = $1 ORDER BY a.assigned_at, a.id`, id)
	b.Queue(`SELECT `+enrollmentCols+`, u.id, u.full_name, u.email, u.phone
		FROM enrollments e JOIN users u ON u.id = e.student_id WHERE e.batch_id = $1 ORDER BY e.enrolled_at, e.id`, id)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	x := batchScan{b: &d.Batch}
	y := bootcampScan{b: &d.Bootcamp}
	if err := br.QueryRow().Scan(y.dest(x.dest(nil))...); err != nil {
		return d, mapErr(err, "batch "+id, nil)
	}
	x.fix()
	if err := y.fix(); err != nil {
		return d, err
	}
	var err error
	if d.Instructors, err = scanStaff(br); err != nil {
		return d, mapErr(err, "batch instructors", nil)
	}
	if d.Mentors, err = scanStaff(br); err != nil {
		return d, mapErr(err, "batch mentors", nil)
	}
	rows, err := br.Query()
	if err != nil {
		return d, mapErr(err, "batch enrollments", nil)
	}
	defer rows.Close()
	d.Enrollments = []cohortly.EnrollmentWithStudent{}
	for rows.Next() {
		var v cohortly.EnrollmentWithStudent
		x := enrollmentScan{e: &v.Enrollment}
		dd := append(x.dest(nil), &v.Student.ID, &v.Student.FullName, &v.Student.Email, &v.Student.Phone)
		if err := rows.Scan(dd...); err != nil {
			return d, mapErr(err, "batch enrollments", nil)
		}
		x.fix()
		d.Enrollments = append(d.Enrollments, v)
	}
	return d, mapErr(rows.Err(), "batch enrollments", nil)
}

func scanStaff(br pgx.BatchResults) ([]cohortly.StaffAssignmentView, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []cohortly.StaffAssignmentView{}
	for rows.Next() {
		var v cohortly.StaffAssignmentView
		if err := rows.Scan(&v.ID, &v.BatchID, &v.UserID, &v.AssignedAt, &v.User.ID, &v.User.FullName, &v.User.Email); err != nil {
			return nil, err
		}
		v.AssignedAt = utc(v.AssignedAt)
		out = append(out, v)
	}
	return out, rows.Err()
}

// CurrentBatch returns the bootcamp's upcoming or ongoing batch that starts last.
func (s *Store) CurrentBatch(ctx context.Context, bootcampID string) (cohortly.Batch, error) {
	var b cohortly.Batch
	x := batchScan{b: &b}
	err := s.pool.QueryRow(ctx, `SELECT `+batchCols+` FROM batches t
		WHERE t.bootcamp_id = $1 AND t.status IN ('UPCOMING', 'ONGOING')
		ORDER BY t.start_date DESC, t.id LIMIT 1`, bootcampID).Scan(x.dest(nil)...)
	if err != nil {
		return b, mapErr(err, "current batch of "+bootcampID, nil)
	}
	x.fix()
	return b, nil
}

// AddInstructor inserts an instructor_batches row.
func (s *Store) AddInstructor(ctx context.Context, a cohortly.StaffAssignment) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO instructor_batches (id, batch_id, instructor_id, assigned_at) VALUES ($1, $2, $3, $4)`,
		a.ID, a.BatchID, a.UserID, ts(a.AssignedAt))
	return mapErr(err, "add instructor", cohortly.ErrMissingRef)
}

// AddMentor inserts a mentor_batches row.
func (s *Store) AddMentor(ctx context.Context, a cohortly.StaffAssignment) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO mentor_batches (id, batch_id, mentor_id, assigned_at) VALUES ($1, $2, $3, $4)`,
		a.ID, a.BatchID, a.UserID, ts(a.AssignedAt))
	return mapErr(err, "add mentor", cohortly.ErrMissingRef)
}
