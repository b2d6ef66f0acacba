-- Every statement the pgstore adapter ran during the store contract suite, as the engine received it.
-- Regenerate: go test ./internal/cohortly/pgstore -run '^TestContract$' -args -update (TestStatementsPrepare prepares each one.)

DELETE FROM announcements;

DELETE FROM assignments;

DELETE FROM assignments WHERE id = $1;

DELETE FROM attendance;

DELETE FROM batches;

DELETE FROM bootcamps;

DELETE FROM certificates;

DELETE FROM enrollments;

DELETE FROM enrollments WHERE id = $1;

DELETE FROM grades;

DELETE FROM instructor_batches;

DELETE FROM lead_logs;

DELETE FROM leads;

DELETE FROM leads WHERE id = $1;

DELETE FROM lessons;

DELETE FROM mentor_batches;

DELETE FROM modules;

DELETE FROM notifications;

DELETE FROM payments;

DELETE FROM refresh_tokens;

DELETE FROM refresh_tokens WHERE (family_id = $1 OR id = $1) AND rotated_at IS NULL;

DELETE FROM refresh_tokens WHERE expires_at <= $1;

DELETE FROM refresh_tokens WHERE id = $1;

DELETE FROM refresh_tokens WHERE user_id = $1;

DELETE FROM resources;

DELETE FROM submissions;

DELETE FROM users;

DELETE FROM users WHERE id = $1;

INSERT INTO announcements (id, batch_id, title, message, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6);

INSERT INTO assignments (id, lesson_id, title, description, max_score, deadline, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8);

INSERT INTO batches (id, bootcamp_id, batch_name, start_date, end_date, capacity, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);

INSERT INTO bootcamps (id, title, description, mode, price, duration, is_active, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);

INSERT INTO enrollments (id, student_id, batch_id, status, enrolled_at, completed_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8);

INSERT INTO grades (id, submission_id, score, feedback, graded_by, graded_at) VALUES ($1, $2, $3, $4, $5, $6);

INSERT INTO instructor_batches (id, batch_id, instructor_id, assigned_at) VALUES ($1, $2, $3, $4);

INSERT INTO lead_logs (id, lead_id, note, next_follow_up, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6);

INSERT INTO leads (id, full_name, email, phone, source, status, assigned_to, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);

INSERT INTO lessons (id, module_id, title, description, content_type, content_url, duration, order_index, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);

INSERT INTO mentor_batches (id, batch_id, mentor_id, assigned_at) VALUES ($1, $2, $3, $4);

INSERT INTO modules (id, bootcamp_id, title, description, order_index, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7);

INSERT INTO notifications (id, user_id, title, message, is_read, created_at) VALUES ($1, $2, $3, $4, $5, $6);

INSERT INTO payments (id, enrollment_id, amount, method, status, transaction_id, paid_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);

INSERT INTO refresh_tokens (id, user_id, token, expires_at, created_at, family_id)
			VALUES ($1, $2, $3, $4, $5, $6);

INSERT INTO refresh_tokens (id, user_id, token, expires_at, created_at, family_id, rotated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7);

INSERT INTO resources (id, lesson_id, title, type, url, created_at) VALUES ($1, $2, $3, $4, $5, $6);

INSERT INTO submissions (id, assignment_id, student_id, submission_url, content, status, submitted_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);

INSERT INTO users (id, email, password_hash, role, full_name, phone, is_active, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);

SELECT 1 FROM leads WHERE id = $1 FOR KEY SHARE;

SELECT a.id, a.batch_id, a.instructor_id, a.assigned_at, u.id, u.full_name, u.email
		FROM instructor_batches a JOIN users u ON u.id = a.instructor_id WHERE a.batch_id = $1 ORDER BY a.assigned_at, a.id;

SELECT a.id, a.batch_id, a.mentor_id, a.assigned_at, u.id, u.full_name, u.email
		FROM mentor_batches a JOIN users u ON u.id = a.mentor_id WHERE a.batch_id = $1 ORDER BY a.assigned_at, a.id;

SELECT a.id, a.lesson_id, a.title, a.description, a.max_score, a.deadline, a.created_at, a.updated_at, l.id, l.module_id, l.title, l.description, l.content_type, l.content_url, l.duration, l.order_index, l.created_at, l.updated_at, m.id, m.bootcamp_id, m.title, m.description, m.order_index, m.created_at, m.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at, (SELECT count(*) FROM submissions s WHERE s.assignment_id = a.id) FROM assignments a
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id ORDER BY a.created_at DESC, a.id LIMIT 10 OFFSET 0;

SELECT a.id, a.lesson_id, a.title, a.description, a.max_score, a.deadline, a.created_at, a.updated_at, l.id, l.module_id, l.title, l.description, l.content_type, l.content_url, l.duration, l.order_index, l.created_at, l.updated_at, m.id, m.bootcamp_id, m.title, m.description, m.order_index, m.created_at, m.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at, (SELECT count(*) FROM submissions s WHERE s.assignment_id = a.id) FROM assignments a
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id WHERE a.id = $1;

SELECT a.id, a.lesson_id, a.title, a.description, a.max_score, a.deadline, a.created_at, a.updated_at, l.id, l.module_id, l.title, l.description, l.content_type, l.content_url, l.duration, l.order_index, l.created_at, l.updated_at, m.id, m.bootcamp_id, m.title, m.description, m.order_index, m.created_at, m.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at, (SELECT count(*) FROM submissions s WHERE s.assignment_id = a.id) FROM assignments a
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id WHERE a.lesson_id = $1 ORDER BY a.created_at DESC, a.id LIMIT 10 OFFSET 0;

SELECT a.id, a.lesson_id, a.title, a.description, a.max_score, a.deadline, a.created_at, a.updated_at, l.id, l.module_id, l.title, l.description, l.content_type, l.content_url, l.duration, l.order_index, l.created_at, l.updated_at, m.id, m.bootcamp_id, m.title, m.description, m.order_index, m.created_at, m.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at, (SELECT count(*) FROM submissions s WHERE s.assignment_id = a.id) FROM assignments a
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id WHERE m.bootcamp_id = $1 ORDER BY a.created_at DESC, a.id LIMIT 1 OFFSET 1;

SELECT b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
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
	) s ORDER BY b.created_at DESC, b.id LIMIT 10 OFFSET 0;

SELECT b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
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
	) s ORDER BY b.created_at DESC, b.id LIMIT 2 OFFSET 0;

SELECT b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
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
	) s ORDER BY b.created_at DESC, b.id LIMIT 2 OFFSET 10;

SELECT b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
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
	) s ORDER BY b.created_at DESC, b.id LIMIT 2 OFFSET 2;

SELECT b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
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
	) s ORDER BY b.created_at DESC, b.id LIMIT 20 OFFSET 0;

SELECT b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
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
	) s WHERE b.id = $1;

SELECT b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
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
	) s WHERE b.is_active = $1 ORDER BY b.created_at DESC, b.id LIMIT 1 OFFSET 1;

SELECT b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
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
	) s WHERE b.is_active = $1 ORDER BY b.created_at DESC, b.id LIMIT 10 OFFSET 0;

SELECT count(*) FROM assignments a
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id;

SELECT count(*) FROM assignments a
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id WHERE a.lesson_id = $1;

SELECT count(*) FROM assignments a
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id WHERE m.bootcamp_id = $1;

SELECT count(*) FROM batches t;

SELECT count(*) FROM batches t WHERE t.bootcamp_id = $1;

SELECT count(*) FROM batches t WHERE t.status = $1;

SELECT count(*) FROM bootcamps b;

SELECT count(*) FROM bootcamps b WHERE b.is_active = $1;

SELECT count(*) FROM enrollments e JOIN batches t ON t.id = e.batch_id;

SELECT count(*) FROM enrollments e JOIN batches t ON t.id = e.batch_id WHERE e.batch_id = $1;

SELECT count(*) FROM enrollments e JOIN batches t ON t.id = e.batch_id WHERE e.status = $1;

SELECT count(*) FROM enrollments e JOIN batches t ON t.id = e.batch_id WHERE e.student_id = $1;

SELECT count(*) FROM enrollments e JOIN batches t ON t.id = e.batch_id WHERE e.student_id = $1 AND t.bootcamp_id = $2;

SELECT count(*) FROM enrollments e JOIN batches t ON t.id = e.batch_id WHERE t.bootcamp_id = $1;

SELECT count(*) FROM leads l;

SELECT count(*) FROM leads l WHERE (l.full_name ILIKE $1 ESCAPE '\' OR l.email ILIKE $1 ESCAPE '\' OR l.phone ILIKE $1 ESCAPE '\');

SELECT count(*) FROM leads l WHERE l.assigned_to = $1;

SELECT count(*) FROM leads l WHERE l.source = $1;

SELECT count(*) FROM leads l WHERE l.status = $1;

SELECT count(*) FROM leads l WHERE l.status = $1 AND l.source = $2;

SELECT count(*) FROM submissions s;

SELECT count(*) FROM submissions s WHERE CAST(s.status AS TEXT) = ANY($1::text[]);

SELECT count(*) FROM submissions s WHERE s.assignment_id = $1 AND s.student_id = $2;

SELECT count(*) FROM submissions s WHERE s.student_id = $1;

SELECT e.id, e.student_id, e.batch_id, e.status, e.enrolled_at, e.completed_at, e.created_at, e.updated_at, u.id, u.full_name, u.email, u.phone
		FROM enrollments e JOIN users u ON u.id = e.student_id WHERE e.batch_id = $1 ORDER BY e.enrolled_at, e.id;

SELECT e.id, e.student_id, e.batch_id, e.status, e.enrolled_at, e.completed_at, e.created_at, e.updated_at, u.id, u.full_name, u.email, u.phone, t.id, t.bootcamp_id, t.batch_name, t.start_date, t.end_date, t.capacity, t.status, t.created_at, t.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id),
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id AND EXISTS (
				SELECT 1 FROM submissions s WHERE s.assignment_id = a.id AND s.student_id = e.student_id AND s.status = 'GRADED'))
	FROM enrollments e
	JOIN users u ON u.id = e.student_id
	JOIN batches t ON t.id = e.batch_id
	JOIN bootcamps b ON b.id = t.bootcamp_id ORDER BY e.created_at DESC, e.id LIMIT 10 OFFSET 0;

SELECT e.id, e.student_id, e.batch_id, e.status, e.enrolled_at, e.completed_at, e.created_at, e.updated_at, u.id, u.full_name, u.email, u.phone, t.id, t.bootcamp_id, t.batch_name, t.start_date, t.end_date, t.capacity, t.status, t.created_at, t.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id),
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id AND EXISTS (
				SELECT 1 FROM submissions s WHERE s.assignment_id = a.id AND s.student_id = e.student_id AND s.status = 'GRADED'))
	FROM enrollments e
	JOIN users u ON u.id = e.student_id
	JOIN batches t ON t.id = e.batch_id
	JOIN bootcamps b ON b.id = t.bootcamp_id WHERE e.batch_id = $1 ORDER BY e.created_at DESC, e.id LIMIT 10 OFFSET 0;

SELECT e.id, e.student_id, e.batch_id, e.status, e.enrolled_at, e.completed_at, e.created_at, e.updated_at, u.id, u.full_name, u.email, u.phone, t.id, t.bootcamp_id, t.batch_name, t.start_date, t.end_date, t.capacity, t.status, t.created_at, t.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id),
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id AND EXISTS (
				SELECT 1 FROM submissions s WHERE s.assignment_id = a.id AND s.student_id = e.student_id AND s.status = 'GRADED'))
	FROM enrollments e
	JOIN users u ON u.id = e.student_id
	JOIN batches t ON t.id = e.batch_id
	JOIN bootcamps b ON b.id = t.bootcamp_id WHERE e.id = $1;

SELECT e.id, e.student_id, e.batch_id, e.status, e.enrolled_at, e.completed_at, e.created_at, e.updated_at, u.id, u.full_name, u.email, u.phone, t.id, t.bootcamp_id, t.batch_name, t.start_date, t.end_date, t.capacity, t.status, t.created_at, t.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id),
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id AND EXISTS (
				SELECT 1 FROM submissions s WHERE s.assignment_id = a.id AND s.student_id = e.student_id AND s.status = 'GRADED'))
	FROM enrollments e
	JOIN users u ON u.id = e.student_id
	JOIN batches t ON t.id = e.batch_id
	JOIN bootcamps b ON b.id = t.bootcamp_id WHERE e.status = $1 ORDER BY e.created_at DESC, e.id LIMIT 10 OFFSET 0;

SELECT e.id, e.student_id, e.batch_id, e.status, e.enrolled_at, e.completed_at, e.created_at, e.updated_at, u.id, u.full_name, u.email, u.phone, t.id, t.bootcamp_id, t.batch_name, t.start_date, t.end_date, t.capacity, t.status, t.created_at, t.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id),
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id AND EXISTS (
				SELECT 1 FROM submissions s WHERE s.assignment_id = a.id AND s.student_id = e.student_id AND s.status = 'GRADED'))
	FROM enrollments e
	JOIN users u ON u.id = e.student_id
	JOIN batches t ON t.id = e.batch_id
	JOIN bootcamps b ON b.id = t.bootcamp_id WHERE e.student_id = $1 AND t.bootcamp_id = $2 ORDER BY e.created_at DESC, e.id LIMIT 10 OFFSET 0;

SELECT e.id, e.student_id, e.batch_id, e.status, e.enrolled_at, e.completed_at, e.created_at, e.updated_at, u.id, u.full_name, u.email, u.phone, t.id, t.bootcamp_id, t.batch_name, t.start_date, t.end_date, t.capacity, t.status, t.created_at, t.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id),
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id AND EXISTS (
				SELECT 1 FROM submissions s WHERE s.assignment_id = a.id AND s.student_id = e.student_id AND s.status = 'GRADED'))
	FROM enrollments e
	JOIN users u ON u.id = e.student_id
	JOIN batches t ON t.id = e.batch_id
	JOIN bootcamps b ON b.id = t.bootcamp_id WHERE e.student_id = $1 ORDER BY e.created_at DESC, e.id LIMIT 10 OFFSET 0;

SELECT e.id, e.student_id, e.batch_id, e.status, e.enrolled_at, e.completed_at, e.created_at, e.updated_at, u.id, u.full_name, u.email, u.phone, t.id, t.bootcamp_id, t.batch_name, t.start_date, t.end_date, t.capacity, t.status, t.created_at, t.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id),
		(SELECT count(*) FROM assignments a JOIN lessons l ON l.id = a.lesson_id JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = b.id AND EXISTS (
				SELECT 1 FROM submissions s WHERE s.assignment_id = a.id AND s.student_id = e.student_id AND s.status = 'GRADED'))
	FROM enrollments e
	JOIN users u ON u.id = e.student_id
	JOIN batches t ON t.id = e.batch_id
	JOIN bootcamps b ON b.id = t.bootcamp_id WHERE t.bootcamp_id = $1 ORDER BY e.created_at DESC, e.id LIMIT 10 OFFSET 0;

SELECT g.id, g.lead_id, g.note, g.next_follow_up, g.created_by, g.created_at, l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at, u.id, u.full_name, u.email
		FROM lead_logs g
		JOIN leads l ON l.id = g.lead_id
		JOIN users u ON u.id = g.created_by
		WHERE g.created_by = $1 AND g.next_follow_up >= $2 AND g.next_follow_up <= $3
		ORDER BY g.next_follow_up, g.id;

SELECT g.id, g.lead_id, g.note, g.next_follow_up, g.created_by, g.created_at, u.id, u.full_name, u.email
		FROM lead_logs g JOIN users u ON u.id = g.created_by
		WHERE g.lead_id = $1 ORDER BY g.created_at DESC, g.id;

SELECT g.id, g.submission_id, g.score, g.feedback, g.graded_by, g.graded_at, u.id, u.full_name, u.email
			FROM grades g JOIN users u ON u.id = g.graded_by WHERE g.submission_id = $1;

SELECT id FROM bootcamps WHERE id = $1 FOR UPDATE;

SELECT id FROM submissions WHERE id = $1 FOR UPDATE;

SELECT id, user_id, token, expires_at, created_at, family_id, rotated_at FROM refresh_tokens
			WHERE user_id = $1 AND token = ANY($2::text[])
			ORDER BY array_position($2::text[], token) LIMIT 1 FOR UPDATE;

SELECT id, user_id, token, expires_at, created_at, family_id, rotated_at FROM refresh_tokens
		WHERE user_id = $1 AND token = ANY($2::text[])
		ORDER BY array_position($2::text[], token) LIMIT 1;

SELECT l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at, au.id, au.full_name, au.email, cu.id, cu.full_name, cu.email
	FROM leads l
	LEFT JOIN users au ON au.id = l.assigned_to
	JOIN users cu ON cu.id = l.created_by ORDER BY l.created_at DESC, l.id LIMIT 10 OFFSET 0;

SELECT l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at, au.id, au.full_name, au.email, cu.id, cu.full_name, cu.email
	FROM leads l
	LEFT JOIN users au ON au.id = l.assigned_to
	JOIN users cu ON cu.id = l.created_by ORDER BY l.created_at DESC, l.id LIMIT 20 OFFSET 0;

SELECT l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at, au.id, au.full_name, au.email, cu.id, cu.full_name, cu.email
	FROM leads l
	LEFT JOIN users au ON au.id = l.assigned_to
	JOIN users cu ON cu.id = l.created_by ORDER BY l.created_at DESC, l.id LIMIT 20 OFFSET 100;

SELECT l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at, au.id, au.full_name, au.email, cu.id, cu.full_name, cu.email
	FROM leads l
	LEFT JOIN users au ON au.id = l.assigned_to
	JOIN users cu ON cu.id = l.created_by ORDER BY l.created_at DESC, l.id LIMIT 20 OFFSET 20;

SELECT l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at, au.id, au.full_name, au.email, cu.id, cu.full_name, cu.email
	FROM leads l
	LEFT JOIN users au ON au.id = l.assigned_to
	JOIN users cu ON cu.id = l.created_by WHERE (l.full_name ILIKE $1 ESCAPE '\' OR l.email ILIKE $1 ESCAPE '\' OR l.phone ILIKE $1 ESCAPE '\') ORDER BY l.created_at DESC, l.id LIMIT 10 OFFSET 0;

SELECT l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at, au.id, au.full_name, au.email, cu.id, cu.full_name, cu.email
	FROM leads l
	LEFT JOIN users au ON au.id = l.assigned_to
	JOIN users cu ON cu.id = l.created_by WHERE (l.full_name ILIKE $1 ESCAPE '\' OR l.email ILIKE $1 ESCAPE '\' OR l.phone ILIKE $1 ESCAPE '\') ORDER BY l.created_at DESC, l.id LIMIT 100 OFFSET 0;

SELECT l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at, au.id, au.full_name, au.email, cu.id, cu.full_name, cu.email
	FROM leads l
	LEFT JOIN users au ON au.id = l.assigned_to
	JOIN users cu ON cu.id = l.created_by WHERE l.assigned_to = $1 ORDER BY l.created_at DESC, l.id LIMIT 100 OFFSET 0;

SELECT l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at, au.id, au.full_name, au.email, cu.id, cu.full_name, cu.email
	FROM leads l
	LEFT JOIN users au ON au.id = l.assigned_to
	JOIN users cu ON cu.id = l.created_by WHERE l.id = $1;

SELECT l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at, au.id, au.full_name, au.email, cu.id, cu.full_name, cu.email
	FROM leads l
	LEFT JOIN users au ON au.id = l.assigned_to
	JOIN users cu ON cu.id = l.created_by WHERE l.source = $1 ORDER BY l.created_at DESC, l.id LIMIT 100 OFFSET 0;

SELECT l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at, au.id, au.full_name, au.email, cu.id, cu.full_name, cu.email
	FROM leads l
	LEFT JOIN users au ON au.id = l.assigned_to
	JOIN users cu ON cu.id = l.created_by WHERE l.status = $1 AND l.source = $2 ORDER BY l.created_at DESC, l.id LIMIT 100 OFFSET 0;

SELECT l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at, au.id, au.full_name, au.email, cu.id, cu.full_name, cu.email
	FROM leads l
	LEFT JOIN users au ON au.id = l.assigned_to
	JOIN users cu ON cu.id = l.created_by WHERE l.status = $1 ORDER BY l.created_at DESC, l.id LIMIT 100 OFFSET 0;

SELECT l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at, au.id, au.full_name, au.email, cu.id, cu.full_name, cu.email
	FROM leads l
	LEFT JOIN users au ON au.id = l.assigned_to
	JOIN users cu ON cu.id = l.created_by WHERE l.status = $1 ORDER BY l.created_at DESC, l.id LIMIT 20 OFFSET 0;

SELECT l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at, au.id, au.full_name, au.email, cu.id, cu.full_name, cu.email
	FROM leads l
	LEFT JOIN users au ON au.id = l.assigned_to
	JOIN users cu ON cu.id = l.created_by WHERE l.status = $1 ORDER BY l.created_at DESC, l.id LIMIT 5 OFFSET 10;

SELECT l.id, l.module_id, l.title, l.description, l.content_type, l.content_url, l.duration, l.order_index, l.created_at, l.updated_at FROM lessons l JOIN modules m ON m.id = l.module_id
			WHERE m.bootcamp_id = $1
			ORDER BY m.order_index, m.created_at, m.id, l.order_index, l.created_at, l.id LIMIT 1;

SELECT l.id, l.module_id, l.title, l.description, l.content_type, l.content_url, l.duration, l.order_index, l.created_at, l.updated_at FROM lessons l JOIN modules m ON m.id = l.module_id
		WHERE m.bootcamp_id = $1 ORDER BY l.order_index, l.created_at, l.id;

SELECT m.id, m.bootcamp_id, m.title, m.description, m.order_index, m.created_at, m.updated_at FROM modules m WHERE m.bootcamp_id = $1 ORDER BY m.order_index, m.created_at, m.id;

SELECT p.id, p.enrollment_id, CAST(p.amount AS TEXT), p.method, p.status, p.transaction_id, p.paid_at, p.created_at, p.updated_at FROM payments p WHERE p.enrollment_id = ANY($1::text[]) ORDER BY p.created_at, p.id;

SELECT s.id, s.assignment_id, s.student_id, s.submission_url, s.content, s.status, s.submitted_at, s.created_at, s.updated_at, st.id, st.full_name, st.email, g.id, g.submission_id, g.score, g.feedback, g.graded_by, g.graded_at, gu.id, gu.full_name, gu.email, a.id, a.lesson_id, a.title, a.description, a.max_score, a.deadline, a.created_at, a.updated_at, l.id, l.module_id, l.title, l.description, l.content_type, l.content_url, l.duration, l.order_index, l.created_at, l.updated_at, m.id, m.bootcamp_id, m.title, m.description, m.order_index, m.created_at, m.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at FROM submissions s
	JOIN users st ON st.id = s.student_id
	LEFT JOIN grades g ON g.submission_id = s.id
	LEFT JOIN users gu ON gu.id = g.graded_by
	JOIN assignments a ON a.id = s.assignment_id
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id ORDER BY s.submitted_at DESC NULLS LAST, s.created_at DESC, s.id LIMIT 10 OFFSET 0;

SELECT s.id, s.assignment_id, s.student_id, s.submission_url, s.content, s.status, s.submitted_at, s.created_at, s.updated_at, st.id, st.full_name, st.email, g.id, g.submission_id, g.score, g.feedback, g.graded_by, g.graded_at, gu.id, gu.full_name, gu.email, a.id, a.lesson_id, a.title, a.description, a.max_score, a.deadline, a.created_at, a.updated_at, l.id, l.module_id, l.title, l.description, l.content_type, l.content_url, l.duration, l.order_index, l.created_at, l.updated_at, m.id, m.bootcamp_id, m.title, m.description, m.order_index, m.created_at, m.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at FROM submissions s
	JOIN users st ON st.id = s.student_id
	LEFT JOIN grades g ON g.submission_id = s.id
	LEFT JOIN users gu ON gu.id = g.graded_by
	JOIN assignments a ON a.id = s.assignment_id
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id ORDER BY s.submitted_at DESC NULLS LAST, s.created_at DESC, s.id LIMIT 20 OFFSET 0;

SELECT s.id, s.assignment_id, s.student_id, s.submission_url, s.content, s.status, s.submitted_at, s.created_at, s.updated_at, st.id, st.full_name, st.email, g.id, g.submission_id, g.score, g.feedback, g.graded_by, g.graded_at, gu.id, gu.full_name, gu.email, a.id, a.lesson_id, a.title, a.description, a.max_score, a.deadline, a.created_at, a.updated_at, l.id, l.module_id, l.title, l.description, l.content_type, l.content_url, l.duration, l.order_index, l.created_at, l.updated_at, m.id, m.bootcamp_id, m.title, m.description, m.order_index, m.created_at, m.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at FROM submissions s
	JOIN users st ON st.id = s.student_id
	LEFT JOIN grades g ON g.submission_id = s.id
	LEFT JOIN users gu ON gu.id = g.graded_by
	JOIN assignments a ON a.id = s.assignment_id
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id WHERE CAST(s.status AS TEXT) = ANY($1::text[]) ORDER BY s.submitted_at ASC NULLS LAST, s.created_at ASC, s.id LIMIT 10 OFFSET 0;

SELECT s.id, s.assignment_id, s.student_id, s.submission_url, s.content, s.status, s.submitted_at, s.created_at, s.updated_at, st.id, st.full_name, st.email, g.id, g.submission_id, g.score, g.feedback, g.graded_by, g.graded_at, gu.id, gu.full_name, gu.email, a.id, a.lesson_id, a.title, a.description, a.max_score, a.deadline, a.created_at, a.updated_at, l.id, l.module_id, l.title, l.description, l.content_type, l.content_url, l.duration, l.order_index, l.created_at, l.updated_at, m.id, m.bootcamp_id, m.title, m.description, m.order_index, m.created_at, m.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at FROM submissions s
	JOIN users st ON st.id = s.student_id
	LEFT JOIN grades g ON g.submission_id = s.id
	LEFT JOIN users gu ON gu.id = g.graded_by
	JOIN assignments a ON a.id = s.assignment_id
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id WHERE s.assignment_id = $1 AND s.student_id = $2 ORDER BY s.submitted_at DESC NULLS LAST, s.created_at DESC, s.id LIMIT 10 OFFSET 0;

SELECT s.id, s.assignment_id, s.student_id, s.submission_url, s.content, s.status, s.submitted_at, s.created_at, s.updated_at, st.id, st.full_name, st.email, g.id, g.submission_id, g.score, g.feedback, g.graded_by, g.graded_at, gu.id, gu.full_name, gu.email, a.id, a.lesson_id, a.title, a.description, a.max_score, a.deadline, a.created_at, a.updated_at, l.id, l.module_id, l.title, l.description, l.content_type, l.content_url, l.duration, l.order_index, l.created_at, l.updated_at, m.id, m.bootcamp_id, m.title, m.description, m.order_index, m.created_at, m.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at FROM submissions s
	JOIN users st ON st.id = s.student_id
	LEFT JOIN grades g ON g.submission_id = s.id
	LEFT JOIN users gu ON gu.id = g.graded_by
	JOIN assignments a ON a.id = s.assignment_id
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id WHERE s.id = $1;

SELECT s.id, s.assignment_id, s.student_id, s.submission_url, s.content, s.status, s.submitted_at, s.created_at, s.updated_at, st.id, st.full_name, st.email, g.id, g.submission_id, g.score, g.feedback, g.graded_by, g.graded_at, gu.id, gu.full_name, gu.email, a.id, a.lesson_id, a.title, a.description, a.max_score, a.deadline, a.created_at, a.updated_at, l.id, l.module_id, l.title, l.description, l.content_type, l.content_url, l.duration, l.order_index, l.created_at, l.updated_at, m.id, m.bootcamp_id, m.title, m.description, m.order_index, m.created_at, m.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at FROM submissions s
	JOIN users st ON st.id = s.student_id
	LEFT JOIN grades g ON g.submission_id = s.id
	LEFT JOIN users gu ON gu.id = g.graded_by
	JOIN assignments a ON a.id = s.assignment_id
	JOIN lessons l ON l.id = a.lesson_id
	JOIN modules m ON m.id = l.module_id
	JOIN bootcamps b ON b.id = m.bootcamp_id WHERE s.student_id = $1 ORDER BY s.submitted_at DESC NULLS LAST, s.created_at DESC, s.id LIMIT 1 OFFSET 1;

SELECT t.id, t.bootcamp_id, t.batch_name, t.start_date, t.end_date, t.capacity, t.status, t.created_at, t.updated_at FROM batches t
		WHERE t.bootcamp_id = $1 AND t.status IN ('UPCOMING', 'ONGOING')
		ORDER BY t.start_date DESC, t.id LIMIT 1;

SELECT t.id, t.bootcamp_id, t.batch_name, t.start_date, t.end_date, t.capacity, t.status, t.created_at, t.updated_at, (SELECT count(*) FROM enrollments e WHERE e.batch_id = t.id)
		FROM batches t WHERE t.bootcamp_id = $1 ORDER BY t.start_date, t.id;

SELECT t.id, t.bootcamp_id, t.batch_name, t.start_date, t.end_date, t.capacity, t.status, t.created_at, t.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at FROM batches t JOIN bootcamps b ON b.id = t.bootcamp_id WHERE t.id = $1;

SELECT t.id, t.bootcamp_id, t.batch_name, t.start_date, t.end_date, t.capacity, t.status, t.created_at, t.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
			(SELECT count(*) FROM enrollments e WHERE e.batch_id = t.id),
			(SELECT count(*) FROM instructor_batches i WHERE i.batch_id = t.id),
			(SELECT count(*) FROM mentor_batches m WHERE m.batch_id = t.id)
		FROM batches t JOIN bootcamps b ON b.id = t.bootcamp_id ORDER BY t.start_date DESC, t.id LIMIT 10 OFFSET 0;

SELECT t.id, t.bootcamp_id, t.batch_name, t.start_date, t.end_date, t.capacity, t.status, t.created_at, t.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
			(SELECT count(*) FROM enrollments e WHERE e.batch_id = t.id),
			(SELECT count(*) FROM instructor_batches i WHERE i.batch_id = t.id),
			(SELECT count(*) FROM mentor_batches m WHERE m.batch_id = t.id)
		FROM batches t JOIN bootcamps b ON b.id = t.bootcamp_id WHERE t.bootcamp_id = $1 ORDER BY t.start_date DESC, t.id LIMIT 10 OFFSET 0;

SELECT t.id, t.bootcamp_id, t.batch_name, t.start_date, t.end_date, t.capacity, t.status, t.created_at, t.updated_at, b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
			(SELECT count(*) FROM enrollments e WHERE e.batch_id = t.id),
			(SELECT count(*) FROM instructor_batches i WHERE i.batch_id = t.id),
			(SELECT count(*) FROM mentor_batches m WHERE m.batch_id = t.id)
		FROM batches t JOIN bootcamps b ON b.id = t.bootcamp_id WHERE t.status = $1 ORDER BY t.start_date DESC, t.id LIMIT 1 OFFSET 0;

SELECT u.id, u.email, u.password_hash, u.role, u.full_name, u.phone, u.is_active, u.created_at, u.updated_at FROM users u WHERE u.email = $1;

SELECT u.id, u.email, u.password_hash, u.role, u.full_name, u.phone, u.is_active, u.created_at, u.updated_at FROM users u WHERE u.id = $1;

SELECT u.id, u.email, u.password_hash, u.role, u.full_name, u.phone, u.is_active, u.created_at, u.updated_at FROM users u WHERE u.id = ANY($1::text[]);

UPDATE assignments SET updated_at = $1, lesson_id = $2 WHERE id = $3;

UPDATE assignments SET updated_at = $1, lesson_id = $2, title = $3, max_score = $4, deadline = $5 WHERE id = $6;

UPDATE assignments SET updated_at = $1, title = $2 WHERE id = $3;

UPDATE bootcamps SET updated_at = $1, is_active = $2 WHERE id = $3;

UPDATE bootcamps SET updated_at = $1, title = $2 WHERE id = $3;

UPDATE bootcamps SET updated_at = $1, title = $2, description = $3, mode = $4, price = $5, duration = $6 WHERE id = $7;

UPDATE enrollments SET status = $2, updated_at = $3, completed_at = COALESCE($4, completed_at) WHERE id = $1;

UPDATE grades SET score = $2, feedback = $3, graded_by = $4, graded_at = $5 WHERE submission_id = $1;

UPDATE leads SET status = 'ENROLLED', updated_at = $2 WHERE email = $1 AND status <> 'ENROLLED';

UPDATE leads SET updated_at = $1, assigned_to = $2 WHERE id = $3;

UPDATE leads SET updated_at = $1, full_name = $2 WHERE id = $3;

UPDATE leads SET updated_at = $1, full_name = $2, email = $3, source = $4, assigned_to = $5 WHERE id = $6;

UPDATE leads SET updated_at = $1, phone = $2, status = $3, assigned_to = $4 WHERE id = $5;

UPDATE refresh_tokens SET rotated_at = $2, family_id = $3, token = $4
			WHERE id = $1 AND rotated_at IS NULL;

UPDATE refresh_tokens SET token = $2 WHERE id = $1 AND token = $3;

UPDATE submissions SET status = 'GRADED', updated_at = $2 WHERE id = $1;

UPDATE users SET updated_at = $1, full_name = $2 WHERE id = $3 RETURNING id, email, password_hash, role, full_name, phone, is_active, created_at, updated_at;

UPDATE users SET updated_at = $1, full_name = $2, phone = $3, role = $4, is_active = $5 WHERE id = $6 RETURNING id, email, password_hash, role, full_name, phone, is_active, created_at, updated_at;

UPDATE users SET updated_at = $1, is_active = $2 WHERE id = $3 RETURNING id, email, password_hash, role, full_name, phone, is_active, created_at, updated_at;

UPDATE users SET updated_at = $1, password_hash = $2 WHERE id = $3 RETURNING id, email, password_hash, role, full_name, phone, is_active, created_at, updated_at;

UPDATE users SET updated_at = $1, role = $2, is_active = $3 WHERE id = $4 RETURNING id, email, password_hash, role, full_name, phone, is_active, created_at, updated_at;

WITH hit AS (
			SELECT COALESCE(family_id, id) AS fam FROM refresh_tokens WHERE user_id = $1 AND token = ANY($2::text[])
		)
		DELETE FROM refresh_tokens WHERE user_id = $1
		  AND (id IN (SELECT fam FROM hit) OR family_id IN (SELECT fam FROM hit));

WITH p AS (SELECT b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
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
	) s ORDER BY b.created_at DESC, b.id LIMIT 2 OFFSET 0), c AS (SELECT count(*) FROM bootcamps b), v AS (SELECT u.id, u.email, u.password_hash, u.role, u.full_name, u.phone, u.is_active, u.created_at, u.updated_at FROM users u WHERE u.id = $1)
	SELECT v.*, c.*, p.* FROM v, c, p ORDER BY 19 DESC, 11;

WITH p AS (SELECT b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
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
	) s ORDER BY b.created_at DESC, b.id LIMIT 2 OFFSET 10), c AS (SELECT count(*) FROM bootcamps b), v AS (SELECT u.id, u.email, u.password_hash, u.role, u.full_name, u.phone, u.is_active, u.created_at, u.updated_at FROM users u WHERE u.id = $1)
	SELECT v.*, c.*, p.* FROM v, c, p ORDER BY 19 DESC, 11;

WITH p AS (SELECT b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
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
	) s ORDER BY b.created_at DESC, b.id LIMIT 2 OFFSET 2), c AS (SELECT count(*) FROM bootcamps b), v AS (SELECT u.id, u.email, u.password_hash, u.role, u.full_name, u.phone, u.is_active, u.created_at, u.updated_at FROM users u WHERE u.id = $1)
	SELECT v.*, c.*, p.* FROM v, c, p ORDER BY 19 DESC, 11;

WITH p AS (SELECT b.id, b.title, b.description, b.mode, CAST(b.price AS TEXT), b.duration, b.is_active, b.created_by, b.created_at, b.updated_at,
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
	) s ORDER BY b.created_at DESC, b.id LIMIT 20 OFFSET 0), c AS (SELECT count(*) FROM bootcamps b), v AS (SELECT u.id, u.email, u.password_hash, u.role, u.full_name, u.phone, u.is_active, u.created_at, u.updated_at FROM users u WHERE u.id = $1)
	SELECT v.*, c.*, p.* FROM v, c, p ORDER BY 19 DESC, 11;

WITH v AS (
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamp[], $10::timestamp[])
			WITH ORDINALITY AS v(id, full_name, email, phone, source, status, assigned_to, created_by, created_at, updated_at, n)),
	u AS (SELECT u.id, u.email, u.password_hash, u.role, u.full_name, u.phone, u.is_active, u.created_at, u.updated_at FROM users u WHERE u.id IN (SELECT created_by FROM v)),
	ins AS (INSERT INTO leads (id, full_name, email, phone, source, status, assigned_to, created_by, created_at, updated_at)
		SELECT v.id, v.full_name, v.email, v.phone, v.source::"LeadSource", v.status::"LeadStatus", v.assigned_to, u.id, v.created_at, v.updated_at
		FROM v JOIN u ON u.id = v.created_by
		WHERE u.is_active AND u.role IN ('ADMIN', 'SALES')
		RETURNING id)
	SELECT v.n, u.id, u.email, u.password_hash, u.role, u.full_name, u.phone, u.is_active, u.created_at, u.updated_at, v.id IN (SELECT id FROM ins) FROM v LEFT JOIN u ON u.id = v.created_by ORDER BY v.n;

