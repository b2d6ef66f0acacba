-- A new Cohortly SQLite file, made by the migration runner of commit 08a6a61 (before the shared runner): an upgrade must apply nothing and record nothing new.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE cohortly_schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	);
INSERT INTO cohortly_schema_migrations VALUES(1,'baseline','2026-12-02T06:52:54.298Z');
INSERT INTO cohortly_schema_migrations VALUES(2,'refresh_token_rotation','2026-12-02T06:52:54.300Z');
INSERT INTO cohortly_schema_migrations VALUES(3,'list_indexes','2026-12-02T06:52:54.301Z');
CREATE TABLE users (
    id            TEXT NOT NULL PRIMARY KEY,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('ADMIN', 'SALES', 'INSTRUCTOR', 'MENTOR', 'STUDENT')),
    full_name     TEXT NOT NULL,
    phone         TEXT,
    is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL
);
CREATE TABLE refresh_tokens (
    id         TEXT NOT NULL PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
    token      TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
, family_id TEXT, rotated_at TEXT);
CREATE TABLE leads (
    id          TEXT NOT NULL PRIMARY KEY,
    full_name   TEXT NOT NULL,
    email       TEXT NOT NULL,
    phone       TEXT,
    source      TEXT NOT NULL CHECK (source IN ('WEBSITE', 'REFERRAL', 'SOCIAL_MEDIA', 'ADVERTISEMENT', 'DIRECT', 'OTHER')),
    status      TEXT NOT NULL DEFAULT 'NEW' CHECK (status IN ('NEW', 'CONTACTED', 'FOLLOWUP', 'INTERESTED', 'ENROLLED', 'LOST')),
    assigned_to TEXT REFERENCES users (id) ON DELETE SET NULL ON UPDATE CASCADE,
    created_by  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT ON UPDATE CASCADE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL
);
CREATE TABLE lead_logs (
    id             TEXT NOT NULL PRIMARY KEY,
    lead_id        TEXT NOT NULL REFERENCES leads (id) ON DELETE CASCADE ON UPDATE CASCADE,
    note           TEXT NOT NULL,
    next_follow_up TEXT,
    created_by     TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT ON UPDATE CASCADE,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE bootcamps (
    id          TEXT NOT NULL PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('LIVE', 'RECORDED', 'HYBRID')),
    price       TEXT NOT NULL,
    duration    INTEGER,
    is_active   INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_by  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT ON UPDATE CASCADE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL
);
CREATE TABLE batches (
    id          TEXT NOT NULL PRIMARY KEY,
    bootcamp_id TEXT NOT NULL REFERENCES bootcamps (id) ON DELETE CASCADE ON UPDATE CASCADE,
    batch_name  TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    capacity    INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'UPCOMING' CHECK (status IN ('UPCOMING', 'ONGOING', 'COMPLETED', 'CANCELLED')),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL
);
CREATE TABLE instructor_batches (
    id            TEXT NOT NULL PRIMARY KEY,
    batch_id      TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE ON UPDATE CASCADE,
    instructor_id TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT ON UPDATE CASCADE,
    assigned_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE mentor_batches (
    id          TEXT NOT NULL PRIMARY KEY,
    batch_id    TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE ON UPDATE CASCADE,
    mentor_id   TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT ON UPDATE CASCADE,
    assigned_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE enrollments (
    id           TEXT NOT NULL PRIMARY KEY,
    student_id   TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT ON UPDATE CASCADE,
    batch_id     TEXT NOT NULL REFERENCES batches (id) ON DELETE RESTRICT ON UPDATE CASCADE,
    status       TEXT NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'ACTIVE', 'COMPLETED', 'DROPPED', 'SUSPENDED')),
    enrolled_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    completed_at TEXT,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT NOT NULL
);
CREATE TABLE payments (
    id             TEXT NOT NULL PRIMARY KEY,
    enrollment_id  TEXT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE ON UPDATE CASCADE,
    amount         TEXT NOT NULL,
    method         TEXT NOT NULL CHECK (method IN ('CREDIT_CARD', 'DEBIT_CARD', 'UPI', 'NET_BANKING', 'CASH', 'OTHER')),
    status         TEXT NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED', 'REFUNDED')),
    transaction_id TEXT,
    paid_at        TEXT,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     TEXT NOT NULL
);
CREATE TABLE modules (
    id          TEXT NOT NULL PRIMARY KEY,
    bootcamp_id TEXT NOT NULL REFERENCES bootcamps (id) ON DELETE CASCADE ON UPDATE CASCADE,
    title       TEXT NOT NULL,
    description TEXT,
    order_index INTEGER NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL
);
CREATE TABLE lessons (
    id           TEXT NOT NULL PRIMARY KEY,
    module_id    TEXT NOT NULL REFERENCES modules (id) ON DELETE CASCADE ON UPDATE CASCADE,
    title        TEXT NOT NULL,
    description  TEXT,
    content_type TEXT NOT NULL CHECK (content_type IN ('VIDEO', 'DOCUMENT', 'LINK', 'QUIZ', 'TEXT')),
    content_url  TEXT,
    duration     INTEGER,
    order_index  INTEGER NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT NOT NULL
);
CREATE TABLE resources (
    id         TEXT NOT NULL PRIMARY KEY,
    lesson_id  TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE ON UPDATE CASCADE,
    title      TEXT NOT NULL,
    type       TEXT NOT NULL CHECK (type IN ('PDF', 'VIDEO', 'LINK', 'CODE', 'IMAGE', 'OTHER')),
    url        TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE attendance (
    id            TEXT NOT NULL PRIMARY KEY,
    enrollment_id TEXT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE ON UPDATE CASCADE,
    batch_id      TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE ON UPDATE CASCADE,
    session_date  TEXT NOT NULL,
    present       INTEGER NOT NULL DEFAULT 0 CHECK (present IN (0, 1)),
    marked_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE assignments (
    id          TEXT NOT NULL PRIMARY KEY,
    lesson_id   TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE ON UPDATE CASCADE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    max_score   INTEGER NOT NULL DEFAULT 100,
    deadline    TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL
);
CREATE TABLE submissions (
    id             TEXT NOT NULL PRIMARY KEY,
    assignment_id  TEXT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE ON UPDATE CASCADE,
    student_id     TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT ON UPDATE CASCADE,
    submission_url TEXT,
    content        TEXT,
    status         TEXT NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUBMITTED', 'GRADED', 'LATE')),
    submitted_at   TEXT,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     TEXT NOT NULL
);
CREATE TABLE grades (
    id            TEXT NOT NULL PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE ON UPDATE CASCADE,
    score         INTEGER NOT NULL,
    feedback      TEXT,
    graded_by     TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT ON UPDATE CASCADE,
    graded_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE announcements (
    id         TEXT NOT NULL PRIMARY KEY,
    batch_id   TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE ON UPDATE CASCADE,
    title      TEXT NOT NULL,
    message    TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT ON UPDATE CASCADE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE notifications (
    id         TEXT NOT NULL PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
    title      TEXT NOT NULL,
    message    TEXT NOT NULL,
    is_read    INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE certificates (
    id                TEXT NOT NULL PRIMARY KEY,
    enrollment_id     TEXT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE ON UPDATE CASCADE,
    verification_code TEXT NOT NULL,
    issued_by         TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT ON UPDATE CASCADE,
    issued_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX users_email_key ON users(email);
CREATE INDEX users_email_idx ON users(email);
CREATE INDEX users_role_idx ON users(role);
CREATE UNIQUE INDEX refresh_tokens_token_key ON refresh_tokens(token);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens(user_id);
CREATE INDEX refresh_tokens_token_idx ON refresh_tokens(token);
CREATE INDEX leads_email_idx ON leads(email);
CREATE INDEX leads_status_idx ON leads(status);
CREATE INDEX leads_assigned_to_idx ON leads(assigned_to);
CREATE INDEX lead_logs_lead_id_idx ON lead_logs(lead_id);
CREATE INDEX lead_logs_next_follow_up_idx ON lead_logs(next_follow_up);
CREATE INDEX bootcamps_is_active_idx ON bootcamps(is_active);
CREATE INDEX batches_bootcamp_id_idx ON batches(bootcamp_id);
CREATE INDEX batches_status_idx ON batches(status);
CREATE INDEX batches_start_date_idx ON batches(start_date);
CREATE INDEX instructor_batches_batch_id_idx ON instructor_batches(batch_id);
CREATE INDEX instructor_batches_instructor_id_idx ON instructor_batches(instructor_id);
CREATE UNIQUE INDEX instructor_batches_batch_id_instructor_id_key ON instructor_batches(batch_id, instructor_id);
CREATE INDEX mentor_batches_batch_id_idx ON mentor_batches(batch_id);
CREATE INDEX mentor_batches_mentor_id_idx ON mentor_batches(mentor_id);
CREATE UNIQUE INDEX mentor_batches_batch_id_mentor_id_key ON mentor_batches(batch_id, mentor_id);
CREATE INDEX enrollments_student_id_idx ON enrollments(student_id);
CREATE INDEX enrollments_batch_id_idx ON enrollments(batch_id);
CREATE INDEX enrollments_status_idx ON enrollments(status);
CREATE UNIQUE INDEX enrollments_student_id_batch_id_key ON enrollments(student_id, batch_id);
CREATE UNIQUE INDEX payments_transaction_id_key ON payments(transaction_id);
CREATE INDEX payments_enrollment_id_idx ON payments(enrollment_id);
CREATE INDEX payments_status_idx ON payments(status);
CREATE INDEX modules_bootcamp_id_idx ON modules(bootcamp_id);
CREATE INDEX modules_order_index_idx ON modules(order_index);
CREATE INDEX lessons_module_id_idx ON lessons(module_id);
CREATE INDEX lessons_order_index_idx ON lessons(order_index);
CREATE INDEX resources_lesson_id_idx ON resources(lesson_id);
CREATE INDEX attendance_enrollment_id_idx ON attendance(enrollment_id);
CREATE INDEX attendance_session_date_idx ON attendance(session_date);
CREATE UNIQUE INDEX attendance_enrollment_id_session_date_key ON attendance(enrollment_id, session_date);
CREATE INDEX assignments_lesson_id_idx ON assignments(lesson_id);
CREATE INDEX assignments_deadline_idx ON assignments(deadline);
CREATE INDEX submissions_assignment_id_idx ON submissions(assignment_id);
CREATE INDEX submissions_student_id_idx ON submissions(student_id);
CREATE INDEX submissions_status_idx ON submissions(status);
CREATE UNIQUE INDEX submissions_assignment_id_student_id_key ON submissions(assignment_id, student_id);
CREATE UNIQUE INDEX grades_submission_id_key ON grades(submission_id);
CREATE INDEX grades_submission_id_idx ON grades(submission_id);
CREATE INDEX announcements_batch_id_idx ON announcements(batch_id);
CREATE INDEX announcements_created_at_idx ON announcements(created_at);
CREATE INDEX notifications_user_id_idx ON notifications(user_id);
CREATE INDEX notifications_is_read_idx ON notifications(is_read);
CREATE INDEX notifications_created_at_idx ON notifications(created_at);
CREATE UNIQUE INDEX certificates_enrollment_id_key ON certificates(enrollment_id);
CREATE UNIQUE INDEX certificates_verification_code_key ON certificates(verification_code);
CREATE INDEX certificates_verification_code_idx ON certificates(verification_code);
CREATE INDEX cohortly_refresh_tokens_family_id_idx ON refresh_tokens (family_id);
CREATE INDEX cohortly_leads_created_at_id_idx ON leads (created_at DESC, id);
CREATE INDEX cohortly_enrollments_created_at_id_idx ON enrollments (created_at DESC, id);
CREATE INDEX cohortly_assignments_created_at_id_idx ON assignments (created_at DESC, id);
CREATE INDEX cohortly_lead_logs_created_by_follow_up_idx ON lead_logs (created_by, next_follow_up);
COMMIT;
