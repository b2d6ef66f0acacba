package cohortly

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors every Store adapter returns (wrapped, test with errors.Is) so the service can tell
// cases apart without knowing the database. Adapters never return raw driver errors for these cases.
var (
	// ErrNotFound: the row addressed by id (or the row an operation needs, as documented) does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a UNIQUE constraint would be violated (users.email, enrollments(student_id,batch_id),
	// submissions(assignment_id,student_id), instructor/mentor_batches(batch_id,user), payments.transaction_id,
	// refresh_tokens.token, attendance(enrollment_id,session_date), certificates...).
	ErrConflict = errors.New("conflict")
	// ErrMissingRef: an insert or update names a row (foreign key) that does not exist, e.g. a lead's
	// assigned_to user or an assignment's lesson_id.
	ErrMissingRef = errors.New("referenced row does not exist")
	// ErrInUse: a delete is blocked by an ON DELETE RESTRICT foreign key (e.g. a user who created leads).
	ErrInUse = errors.New("row is still referenced")
	// ErrTokenReused: RotateRefreshToken was handed a token that had already been rotated; its whole
	// family has been revoked. CheckRefreshToken returns it too for a rotated token, revoking nothing.
	ErrTokenReused = errors.New("refresh token reused")
	// ErrTokenExpired: RotateRefreshToken or CheckRefreshToken found the token but it has expired; the
	// row has been deleted.
	ErrTokenExpired = errors.New("refresh token expired")
)

// Page asks for one page of a list: Limit rows (always > 0, the service caps it at 100) after skipping
// Offset rows (>= 0). List methods also return the total number of rows matching the filter, ignoring
// the page.
type Page struct {
	Limit  int
	Offset int
}

// Listed is what a list read returns: one page, the total, and the row of the viewer the read
// named. The viewer's row is read in the same database round trip as the page, so a list request
// authenticates its caller (users are never cached) without a round trip of its own. Items may be
// shared with concurrent reads of the same page (a store may read it once for all of them): callers
// must not modify them.
type Listed[T any] struct {
	Items  []T
	Total  int
	Viewer User
}

// LeadFilter narrows ListLeads. Empty fields do not filter.
type LeadFilter struct {
	Status     LeadStatus
	Source     LeadSource
	AssignedTo string
	// Search is a case-insensitive substring (ASCII case folding at least) OR-ed over full_name, email
	// and phone. It is a literal: % and _ (and \) match only themselves.
	Search string
}

// BootcampFilter narrows ListBootcamps. nil does not filter.
type BootcampFilter struct {
	IsActive *bool
}

// BatchFilter narrows ListBatches. Empty fields do not filter.
type BatchFilter struct {
	BootcampID string
	Status     BatchStatus
}

// EnrollmentFilter narrows ListEnrollments. Empty fields do not filter; BootcampID matches the
// enrollments of every batch of that bootcamp.
type EnrollmentFilter struct {
	StudentID  string
	BatchID    string
	BootcampID string
	Status     EnrollmentStatus
}

// AssignmentFilter narrows ListAssignments. Empty fields do not filter; BootcampID matches through
// lesson -> module -> bootcamp.
type AssignmentFilter struct {
	LessonID   string
	BootcampID string
}

// SubmissionOrder picks the order of ListSubmissions.
type SubmissionOrder int

const (
	// SubmittedNewestFirst: submitted_at DESC, NULLs last, ties created_at DESC, then id ASC.
	SubmittedNewestFirst SubmissionOrder = iota
	// SubmittedOldestFirst: submitted_at ASC, NULLs last, ties created_at ASC, then id ASC (pending grades).
	SubmittedOldestFirst
)

// SubmissionFilter narrows ListSubmissions. Empty fields do not filter; Statuses matches any of them.
type SubmissionFilter struct {
	AssignmentID string
	StudentID    string
	Statuses     []SubmissionStatus
	Order        SubmissionOrder
}

// UserPatch changes some columns of a user; unset fields are left as they are. UpdatedAt is always set.
type UserPatch struct {
	FullName     Opt[string]
	Phone        Opt[*string]
	PasswordHash Opt[string]
	Role         Opt[Role]
	IsActive     Opt[bool]
}

// LeadPatch changes some columns of a lead (the whitelist of PUT /leads/{id}).
type LeadPatch struct {
	FullName   Opt[string]
	Email      Opt[string]
	Phone      Opt[*string]
	Source     Opt[LeadSource]
	Status     Opt[LeadStatus]
	AssignedTo Opt[*string]
}

// BootcampPatch changes some columns of a bootcamp.
type BootcampPatch struct {
	Title       Opt[string]
	Description Opt[string]
	Mode        Opt[BootcampMode]
	Price       Opt[Money]
	Duration    Opt[*int]
	IsActive    Opt[bool]
}

// AssignmentPatch changes some columns of an assignment.
type AssignmentPatch struct {
	LessonID    Opt[string]
	Title       Opt[string]
	Description Opt[string]
	MaxScore    Opt[int]
	Deadline    Opt[*time.Time]
}

// RotateRequest is one refresh: exchange the presented token for Next.
type RotateRequest struct {
	UserID string
	// Keys are the values the presented token may be stored under, in order: RefreshTokenKeys(token),
	// i.e. its hash first, then the plaintext (legacy rows).
	Keys []string
	// Next is the successor row (ID, UserID, Token = hash, ExpiresAt, CreatedAt set by the caller);
	// the store sets Next.FamilyID to the family of the presented row.
	Next RefreshToken
	Now  time.Time
}

// Store is everything Cohortly persists. Adapters: sqlitestore (embedded default) and pgstore (the
// legacy Prisma schema on PostgreSQL, exactly). Both pass the one contract suite in storetest.
//
// Conventions every adapter follows:
//   - ids are TEXT UUID strings generated by the caller (NewID); adapters never invent ids;
//   - every time is written and returned in UTC with millisecond precision (callers pass Millis(t));
//     updated_at is whatever the caller put in the record or the `now` argument; adapters do not read
//     the wall clock;
//   - not found wraps ErrNotFound, unique violations wrap ErrConflict, missing foreign rows wrap
//     ErrMissingRef, RESTRICT-blocked deletes wrap ErrInUse; no raw database text is meant for clients;
//   - list orders are as documented per method; ties are always broken by id ASC so pages are stable;
//   - "atomic" means one transaction: afterwards either every write of the call exists or none does;
//   - slices in results are never nil when empty (they serialise as []).
type Store interface {
	// Ping reports whether the database is reachable (readiness, /health).
	Ping(ctx context.Context) error
	Close() error

	// ---- users

	// CreateUser inserts u. An existing users.email (compared exactly; emails are stored normalised)
	// gives ErrConflict; of two concurrent creates with one email exactly one succeeds.
	CreateUser(ctx context.Context, u User) error
	// UserByID is the hot path of every authenticated request: a primary-key lookup.
	UserByID(ctx context.Context, id string) (User, error)
	// UserByEmail matches users.email exactly (the caller normalises).
	UserByEmail(ctx context.Context, email string) (User, error)
	// UpdateUser applies p and sets updated_at = now; returns the row after the update. ErrNotFound.
	UpdateUser(ctx context.Context, id string, p UserPatch, now time.Time) (User, error)
	// DeleteUser hard-deletes a user (refresh tokens and notifications cascade). ErrNotFound; ErrInUse
	// when RESTRICT rows (leads created, enrollments, ...) exist.
	DeleteUser(ctx context.Context, id string) error
	// EnrollLeadsByEmail sets status ENROLLED (updated_at = now) on every lead with this exact email
	// whose status is not ENROLLED; returns how many changed.
	EnrollLeadsByEmail(ctx context.Context, email string, now time.Time) (int64, error)

	// ---- refresh tokens

	// CreateRefreshToken inserts t (Token already hashed; FamilyID set, normally to t.ID for a new
	// login). ErrConflict on a duplicate token; ErrMissingRef for an unknown user.
	CreateRefreshToken(ctx context.Context, t RefreshToken) error
	// RotateRefreshToken atomically exchanges a presented refresh token for r.Next:
	//  1. find the row with user_id = r.UserID and token IN r.Keys; none -> ErrNotFound (nothing changes);
	//  2. row already rotated (rotated_at NOT NULL) -> delete every LIVE row of its family (rotated_at IS
	//     NULL and family_id = F or id = F, F = row.Family()), commit, return ErrTokenReused; rotated rows
	//     stay as tombstones until they expire, so every later replay also answers ErrTokenReused;
	//  3. row expired (expires_at <= r.Now) -> delete that row, commit, return ErrTokenExpired;
	//  4. otherwise set rotated_at = r.Now and family_id = F on the row, and if it was found under a key
	//     other than r.Keys[0] (a legacy plaintext row) set its token to r.Keys[0] (upgrade: no plaintext
	//     left behind); insert r.Next with family_id = F; return r.Next as stored.
	// Step 4's update must be conditional (WHERE rotated_at IS NULL): of two concurrent rotations of one
	// token exactly one succeeds; the loser behaves as step 2 (ErrTokenReused, family revoked).
	RotateRefreshToken(ctx context.Context, r RotateRequest) (RefreshToken, error)
	// CheckRefreshToken is the refresh without rotation (REFRESH_TOKEN_ROTATION=off): the presented token
	// stays valid until it expires or is revoked.
	//  1. find the row with user_id = userID and token IN keys (keys as in RotateRequest.Keys); none ->
	//     ErrNotFound;
	//  2. row already rotated (written while rotation was on) -> ErrTokenReused, nothing changes;
	//  3. row expired (expires_at <= now) -> delete that row, return ErrTokenExpired;
	//  4. otherwise, if it was found under a key other than keys[0] (a legacy plaintext row), set its
	//     token to keys[0]; return the row as stored.
	CheckRefreshToken(ctx context.Context, userID string, keys []string, now time.Time) (RefreshToken, error)
	// RevokeRefreshToken deletes, for that user only, the whole family of the row stored under any of
	// keys (logout). Returns the number of rows deleted; no match is 0, not an error.
	RevokeRefreshToken(ctx context.Context, userID string, keys []string) (int64, error)
	// RevokeUserRefreshTokens deletes every refresh token of the user (logout-all, deactivation).
	RevokeUserRefreshTokens(ctx context.Context, userID string) (int64, error)
	// DeleteExpiredRefreshTokens deletes rows with expires_at <= now (housekeeping).
	DeleteExpiredRefreshTokens(ctx context.Context, now time.Time) (int64, error)

	// ---- leads

	// CreateLead inserts l and then logs (their LeadID = l.ID) atomically. ErrMissingRef when
	// assigned_to or created_by names no user.
	CreateLead(ctx context.Context, l Lead, logs []LeadLog) error
	// CreateLeadAs is CreateLead for a request: it also reads the row of the creator, l.CreatedBy
	// (ErrNotFound, and nothing written, when there is none), and writes only when that row may
	// create leads (IsActive, and a role Allowed ActLeads); created says whether it wrote. The read
	// and the write see one state of the row, so a refused caller never writes. On PostgreSQL a lead
	// without logs is one statement (one round trip, no BEGIN/COMMIT).
	CreateLeadAs(ctx context.Context, l Lead, logs []LeadLog) (creator User, created bool, err error)
	// ListLeads: created_at DESC, ties id ASC, with both referenced users, and the total count. When
	// viewerID is not empty that user's row is read in the same round trip: ErrNotFound, and no
	// page, when there is no such user.
	ListLeads(ctx context.Context, viewerID string, f LeadFilter, p Page) (Listed[LeadView], error)
	// LeadByID returns the lead with its users. ErrNotFound.
	LeadByID(ctx context.Context, id string) (LeadView, error)
	// UpdateLead applies p, sets updated_at = now, returns the row afterwards with its users.
	// ErrNotFound; ErrMissingRef for an unknown assigned_to.
	UpdateLead(ctx context.Context, id string, p LeadPatch, now time.Time) (LeadView, error)
	// DeleteLead hard-deletes the lead (its logs cascade). ErrNotFound.
	DeleteLead(ctx context.Context, id string) error
	// AddLeadLog inserts a log. ErrNotFound when the lead does not exist (checked in the same
	// transaction), ErrMissingRef when created_by names no user.
	AddLeadLog(ctx context.Context, l LeadLog) error
	// LeadLogs lists a lead's logs with their authors, created_at DESC, ties id ASC (empty for unknown).
	LeadLogs(ctx context.Context, leadID string) ([]LeadLogView, error)
	// FollowUps lists logs created by createdBy with from <= next_follow_up <= to, next_follow_up ASC,
	// ties id ASC, each with its lead and author.
	FollowUps(ctx context.Context, createdBy string, from, to time.Time) ([]FollowUp, error)

	// ---- bootcamps and batches

	// CreateBootcamp inserts b and, when first is not nil, that batch (BootcampID = b.ID) atomically.
	// ErrMissingRef for an unknown created_by.
	CreateBootcamp(ctx context.Context, b Bootcamp, first *Batch) error
	// ListBootcamps: created_at DESC, ties id ASC; each with creator, module count and batch stats.
	// viewerID as for ListLeads.
	ListBootcamps(ctx context.Context, viewerID string, f BootcampFilter, p Page) (Listed[BootcampView], error)
	// BootcampByID returns the view (soft-deleted bootcamps too). ErrNotFound.
	BootcampByID(ctx context.Context, id string) (BootcampView, error)
	// BootcampDetail returns the view with batches (each with its enrollment count) and modules with
	// their lessons, orders as documented on BootcampDetail. ErrNotFound.
	BootcampDetail(ctx context.Context, id string) (BootcampDetail, error)
	// UpdateBootcamp applies p, sets updated_at = now, returns the view afterwards. ErrNotFound.
	// Soft delete is UpdateBootcamp with IsActive = false.
	UpdateBootcamp(ctx context.Context, id string, p BootcampPatch, now time.Time) (BootcampView, error)

	// CreateBatch inserts b. ErrMissingRef for an unknown bootcamp.
	CreateBatch(ctx context.Context, b Batch) error
	// ListBatches: start_date DESC, ties id ASC; each with its bootcamp and counts.
	ListBatches(ctx context.Context, f BatchFilter, p Page) ([]BatchView, int, error)
	// BatchDetail returns the batch with bootcamp, instructors, mentors and enrollments. ErrNotFound.
	BatchDetail(ctx context.Context, id string) (BatchDetail, error)
	// CurrentBatch returns the bootcamp's UPCOMING or ONGOING batch with the latest start_date (ties:
	// id ASC). ErrNotFound when there is none (or no such bootcamp).
	CurrentBatch(ctx context.Context, bootcampID string) (Batch, error)
	// AddInstructor inserts an instructor_batches row (a.UserID = instructor_id). ErrConflict when the
	// pair exists (exactly one of concurrent duplicates wins); ErrMissingRef for unknown batch or user.
	AddInstructor(ctx context.Context, a StaffAssignment) error
	// AddMentor is AddInstructor for mentor_batches.
	AddMentor(ctx context.Context, a StaffAssignment) error

	// ---- enrollments and payments

	// CreateEnrollment inserts e. ErrConflict when (student_id, batch_id) exists (exactly one of
	// concurrent duplicates wins); ErrMissingRef for an unknown student or batch.
	CreateEnrollment(ctx context.Context, e Enrollment) error
	// ListEnrollments: created_at DESC, ties id ASC; each as a full EnrollmentView.
	ListEnrollments(ctx context.Context, f EnrollmentFilter, p Page) ([]EnrollmentView, int, error)
	// EnrollmentByID returns the view. ErrNotFound.
	EnrollmentByID(ctx context.Context, id string) (EnrollmentView, error)
	// UpdateEnrollmentStatus sets status and updated_at = now; when status is COMPLETED it also sets
	// completed_at = now (otherwise completed_at is left as it is). Returns the view afterwards. ErrNotFound.
	UpdateEnrollmentStatus(ctx context.Context, id string, status EnrollmentStatus, now time.Time) (EnrollmentView, error)
	// DeleteEnrollment hard-deletes it; payments, attendance and certificate cascade. ErrNotFound.
	DeleteEnrollment(ctx context.Context, id string) error
	// CreatePayment inserts p. ErrMissingRef for an unknown enrollment; ErrConflict on transaction_id.
	CreatePayment(ctx context.Context, p Payment) error

	// ---- curriculum

	// CreateModule inserts m. ErrMissingRef for an unknown bootcamp.
	CreateModule(ctx context.Context, m Module) error
	// CreateLesson inserts l. ErrMissingRef for an unknown module.
	CreateLesson(ctx context.Context, l Lesson) error
	// EnsureFirstLesson returns the bootcamp's first lesson: over all its modules' lessons ordered by
	// (module order_index, module created_at, module id, lesson order_index, lesson created_at, lesson id).
	// When the bootcamp has no lesson at all it inserts module m and lesson l (the caller fills them in:
	// the "General" placeholders, with m.BootcampID = bootcampID and l.ModuleID = m.ID) and returns l with
	// created = true. Atomic and serialised per bootcamp: concurrent calls create at most one placeholder
	// (PostgreSQL: lock the bootcamp row FOR UPDATE first). ErrNotFound for an unknown bootcamp.
	EnsureFirstLesson(ctx context.Context, bootcampID string, m Module, l Lesson) (lesson Lesson, created bool, err error)

	// ---- assignments, submissions and grades

	// CreateAssignment inserts a. ErrMissingRef for an unknown lesson.
	CreateAssignment(ctx context.Context, a Assignment) error
	// ListAssignments: created_at DESC, ties id ASC; each with lesson, module, bootcamp and submission count.
	ListAssignments(ctx context.Context, f AssignmentFilter, p Page) ([]AssignmentView, int, error)
	// AssignmentByID returns the view. ErrNotFound.
	AssignmentByID(ctx context.Context, id string) (AssignmentView, error)
	// UpdateAssignment applies p, sets updated_at = now, returns the view afterwards. ErrNotFound;
	// ErrMissingRef for an unknown lesson.
	UpdateAssignment(ctx context.Context, id string, p AssignmentPatch, now time.Time) (AssignmentView, error)
	// DeleteAssignment hard-deletes it; submissions and grades cascade. ErrNotFound.
	DeleteAssignment(ctx context.Context, id string) error

	// CreateSubmission inserts s. ErrConflict when (assignment_id, student_id) exists (exactly one of
	// concurrent duplicates wins); ErrMissingRef for an unknown assignment or student.
	CreateSubmission(ctx context.Context, s Submission) error
	// ListSubmissions in f.Order; each as a SubmissionView.
	ListSubmissions(ctx context.Context, f SubmissionFilter, p Page) ([]SubmissionView, int, error)
	// SubmissionByID returns the view. ErrNotFound.
	SubmissionByID(ctx context.Context, id string) (SubmissionView, error)
	// GradeSubmission upserts the grade of g.SubmissionID atomically: when none exists it inserts g and
	// sets the submission's status to GRADED (updated_at = g.GradedAt), created = true; when one exists it
	// updates score, feedback, graded_by and graded_at (keeping its id), created = false. Of concurrent
	// first grades exactly one reports created. Returns the stored grade with its grader. ErrNotFound for
	// an unknown submission; ErrMissingRef for an unknown grader.
	GradeSubmission(ctx context.Context, g Grade) (grade GradeView, created bool, err error)

	// ---- whole database

	// ReplaceAll deletes every row of the 20 tables (children first) and inserts d in foreign-key order,
	// atomically (`cohortly seed`, tests). Rows keep the ids and times given.
	ReplaceAll(ctx context.Context, d Dataset) error
}
