// Package cohortly holds the Cohortly domain: the records of the legacy Prisma schema, the Store they
// live in, and the Service that applies the business and authorization rules on top of a Store. It
// knows nothing of HTTP or of any particular database.
package cohortly

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/google/uuid"
)

// NewID returns a new record id the way Prisma's @default(uuid()) does: a lower-case hyphenated UUID v4
// string. Ids are generated in Go because no legacy column has a database default.
func NewID() string { return uuid.NewString() }

// Millis normalises a time the way every timestamp(3) column holds it: UTC, truncated to milliseconds.
// Every time handed to a Store goes through it, so what is read back equals what was written.
func Millis(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// TimeLayout renders times as the legacy API does (Prisma DateTime -> JSON): ISO-8601, milliseconds, Z.
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// FormatTime renders t as the legacy API does, e.g. "2026-11-21T21:27:22.379Z".
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// Role is the Postgres enum "UserRole".
type Role string

const (
	RoleAdmin      Role = "ADMIN"
	RoleSales      Role = "SALES"
	RoleInstructor Role = "INSTRUCTOR"
	RoleMentor     Role = "MENTOR"
	RoleStudent    Role = "STUDENT"
)

// Roles lists every role in enum order.
var Roles = []Role{RoleAdmin, RoleSales, RoleInstructor, RoleMentor, RoleStudent}

// Valid reports whether r is one of the enum's values.
func (r Role) Valid() bool { return oneOf(r, Roles) }

// LeadStatus is the Postgres enum "LeadStatus".
type LeadStatus string

const (
	LeadNew        LeadStatus = "NEW"
	LeadContacted  LeadStatus = "CONTACTED"
	LeadFollowUp   LeadStatus = "FOLLOWUP"
	LeadInterested LeadStatus = "INTERESTED"
	LeadEnrolled   LeadStatus = "ENROLLED"
	LeadLost       LeadStatus = "LOST"
)

var LeadStatuses = []LeadStatus{LeadNew, LeadContacted, LeadFollowUp, LeadInterested, LeadEnrolled, LeadLost}

func (s LeadStatus) Valid() bool { return oneOf(s, LeadStatuses) }

// LeadSource is the Postgres enum "LeadSource".
type LeadSource string

const (
	SourceWebsite       LeadSource = "WEBSITE"
	SourceReferral      LeadSource = "REFERRAL"
	SourceSocialMedia   LeadSource = "SOCIAL_MEDIA"
	SourceAdvertisement LeadSource = "ADVERTISEMENT"
	SourceDirect        LeadSource = "DIRECT"
	SourceOther         LeadSource = "OTHER"
)

var LeadSources = []LeadSource{SourceWebsite, SourceReferral, SourceSocialMedia, SourceAdvertisement, SourceDirect, SourceOther}

func (s LeadSource) Valid() bool { return oneOf(s, LeadSources) }

// BootcampMode is the Postgres enum "BootcampMode".
type BootcampMode string

const (
	ModeLive     BootcampMode = "LIVE"
	ModeRecorded BootcampMode = "RECORDED"
	ModeHybrid   BootcampMode = "HYBRID"
)

var BootcampModes = []BootcampMode{ModeLive, ModeRecorded, ModeHybrid}

func (m BootcampMode) Valid() bool { return oneOf(m, BootcampModes) }

// BatchStatus is the Postgres enum "BatchStatus".
type BatchStatus string

const (
	BatchUpcoming  BatchStatus = "UPCOMING"
	BatchOngoing   BatchStatus = "ONGOING"
	BatchCompleted BatchStatus = "COMPLETED"
	BatchCancelled BatchStatus = "CANCELLED"
)

var BatchStatuses = []BatchStatus{BatchUpcoming, BatchOngoing, BatchCompleted, BatchCancelled}

func (s BatchStatus) Valid() bool { return oneOf(s, BatchStatuses) }

// EnrollmentStatus is the Postgres enum "EnrollmentStatus".
type EnrollmentStatus string

const (
	EnrollmentPending   EnrollmentStatus = "PENDING"
	EnrollmentActive    EnrollmentStatus = "ACTIVE"
	EnrollmentCompleted EnrollmentStatus = "COMPLETED"
	EnrollmentDropped   EnrollmentStatus = "DROPPED"
	EnrollmentSuspended EnrollmentStatus = "SUSPENDED"
)

var EnrollmentStatuses = []EnrollmentStatus{EnrollmentPending, EnrollmentActive, EnrollmentCompleted, EnrollmentDropped, EnrollmentSuspended}

func (s EnrollmentStatus) Valid() bool { return oneOf(s, EnrollmentStatuses) }

// PaymentMethod is the Postgres enum "PaymentMethod".
type PaymentMethod string

const (
	PayCreditCard PaymentMethod = "CREDIT_CARD"
	PayDebitCard  PaymentMethod = "DEBIT_CARD"
	PayUPI        PaymentMethod = "UPI"
	PayNetBanking PaymentMethod = "NET_BANKING"
	PayCash       PaymentMethod = "CASH"
	PayOther      PaymentMethod = "OTHER"
)

var PaymentMethods = []PaymentMethod{PayCreditCard, PayDebitCard, PayUPI, PayNetBanking, PayCash, PayOther}

func (m PaymentMethod) Valid() bool { return oneOf(m, PaymentMethods) }

// PaymentStatus is the Postgres enum "PaymentStatus".
type PaymentStatus string

const (
	PaymentPending   PaymentStatus = "PENDING"
	PaymentCompleted PaymentStatus = "COMPLETED"
	PaymentFailed    PaymentStatus = "FAILED"
	PaymentRefunded  PaymentStatus = "REFUNDED"
)

var PaymentStatuses = []PaymentStatus{PaymentPending, PaymentCompleted, PaymentFailed, PaymentRefunded}

func (s PaymentStatus) Valid() bool { return oneOf(s, PaymentStatuses) }

// ContentType is the Postgres enum "ContentType".
type ContentType string

const (
	ContentVideo    ContentType = "VIDEO"
	ContentDocument ContentType = "DOCUMENT"
	ContentLink     ContentType = "LINK"
	ContentQuiz     ContentType = "QUIZ"
	ContentText     ContentType = "TEXT"
)

var ContentTypes = []ContentType{ContentVideo, ContentDocument, ContentLink, ContentQuiz, ContentText}

func (c ContentType) Valid() bool { return oneOf(c, ContentTypes) }

// ResourceType is the Postgres enum "ResourceType".
type ResourceType string

const (
	ResourcePDF   ResourceType = "PDF"
	ResourceVideo ResourceType = "VIDEO"
	ResourceLink  ResourceType = "LINK"
	ResourceCode  ResourceType = "CODE"
	ResourceImage ResourceType = "IMAGE"
	ResourceOther ResourceType = "OTHER"
)

var ResourceTypes = []ResourceType{ResourcePDF, ResourceVideo, ResourceLink, ResourceCode, ResourceImage, ResourceOther}

func (r ResourceType) Valid() bool { return oneOf(r, ResourceTypes) }

// SubmissionStatus is the Postgres enum "SubmissionStatus".
type SubmissionStatus string

const (
	SubmissionPending   SubmissionStatus = "PENDING"
	SubmissionSubmitted SubmissionStatus = "SUBMITTED"
	SubmissionGraded    SubmissionStatus = "GRADED"
	SubmissionLate      SubmissionStatus = "LATE"
)

var SubmissionStatuses = []SubmissionStatus{SubmissionPending, SubmissionSubmitted, SubmissionGraded, SubmissionLate}

func (s SubmissionStatus) Valid() bool { return oneOf(s, SubmissionStatuses) }

func oneOf[T comparable](v T, all []T) bool {
	for _, a := range all {
		if a == v {
			return true
		}
	}
	return false
}

// HashRefreshToken is what refresh_tokens.token holds for every token this server issues: the SHA-256
// of the token, hex encoded, behind a "sha256:" prefix. The prefix can never begin a legacy row (those
// hold the JWT itself, "eyJ..."), so both kinds live in the one UNIQUE column without ambiguity.
func HashRefreshToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// RefreshTokenKeys are the values a presented refresh token may be stored under, in lookup order:
// its hash (rows this server wrote) and the token itself (plaintext rows the legacy server wrote).
func RefreshTokenKeys(token string) []string { return []string{HashRefreshToken(token), token} }

// Opt is a field of a partial update: Set says whether the request touched it at all. For nullable
// columns V is a pointer and Set with V == nil means "set to NULL".
type Opt[T any] struct {
	Set bool
	V   T
}

// Some returns a set Opt.
func Some[T any](v T) Opt[T] { return Opt[T]{Set: true, V: v} }

// ---- records, one per legacy table (Prisma field names; column names in the comments where they differ)

// User is a row of users. Email is stored normalised (NormalizeEmail); PasswordHash is bcrypt.
type User struct {
	ID           string
	Email        string
	PasswordHash string // password_hash
	Role         Role
	FullName     string  // full_name
	Phone        *string // nullable
	IsActive     bool    // is_active
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Ref is the compact user projection the legacy API nests as assignedToUser, createdByUser, student...
func (u User) Ref() UserRef { return UserRef{ID: u.ID, FullName: u.FullName, Email: u.Email} }

// UserRef is {id, fullName, email}.
type UserRef struct {
	ID       string
	FullName string
	Email    string
}

// StudentRef is {id, fullName, email, phone}, as enrollments nest the student.
type StudentRef struct {
	ID       string
	FullName string
	Email    string
	Phone    *string
}

// RefreshToken is a row of refresh_tokens.
//
// Token holds HashRefreshToken(token) for rows this server writes and the JWT itself for rows the legacy
// server wrote. FamilyID and RotatedAt are additive nullable columns (legacy rows have them NULL):
// a family is the chain of tokens minted from one login; a legacy row with no family is its own family
// (FamilyID == "" means "the row's ID"). RotatedAt is set when the token was exchanged for its successor;
// a rotated row is kept until it expires so that its reuse can be detected.
type RefreshToken struct {
	ID        string
	UserID    string // user_id
	Token     string
	ExpiresAt time.Time // expires_at
	CreatedAt time.Time
	FamilyID  string     // family_id, "" when NULL
	RotatedAt *time.Time // rotated_at
}

// Family returns the family the row belongs to.
func (t RefreshToken) Family() string {
	if t.FamilyID == "" {
		return t.ID
	}
	return t.FamilyID
}

// Lead is a row of leads.
type Lead struct {
	ID         string
	FullName   string // full_name
	Email      string
	Phone      *string
	Source     LeadSource
	Status     LeadStatus
	AssignedTo *string // assigned_to, FK users SET NULL
	CreatedBy  string  // created_by, FK users RESTRICT
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// LeadView is a lead with the users it references (assignedToUser, createdByUser).
type LeadView struct {
	Lead
	AssignedToUser *UserRef // nil when AssignedTo is NULL
	CreatedByUser  UserRef
}

// LeadLog is a row of lead_logs.
type LeadLog struct {
	ID           string
	LeadID       string // lead_id, FK leads CASCADE
	Note         string
	NextFollowUp *time.Time // next_follow_up
	CreatedBy    string     // created_by
	CreatedAt    time.Time
}

// LeadLogView is a lead log with its author.
type LeadLogView struct {
	LeadLog
	CreatedByUser UserRef
}

// FollowUp is a lead log with its author and its lead (GET /leads/follow-ups).
type FollowUp struct {
	LeadLog
	Lead          Lead
	CreatedByUser UserRef
}

// Bootcamp is a row of bootcamps. Price is DECIMAL(10,2).
type Bootcamp struct {
	ID          string
	Title       string
	Description string
	Mode        BootcampMode
	Price       Money
	Duration    *int // weeks
	IsActive    bool // is_active
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// BatchStats summarises a bootcamp's batches; the frontend alias fields (startDate, endDate, capacity,
// status) are derived from it.
type BatchStats struct {
	Count       int
	MinStart    *time.Time // earliest start_date, nil without batches
	MaxEnd      *time.Time // latest end_date, nil without batches
	CapacitySum int
	Upcoming    int // number of batches per status
	Ongoing     int
	Completed   int
	Cancelled   int
}

// BootcampView is a bootcamp as lists and reads return it.
type BootcampView struct {
	Bootcamp
	CreatedByUser UserRef
	ModuleCount   int // _count.modules
	Batches       BatchStats
}

// BootcampDetail is GET /bootcamps/{id}: the view plus batches and curriculum.
type BootcampDetail struct {
	BootcampView
	BatchList []BatchWithCount    // start_date ASC, ties id ASC
	Modules   []ModuleWithLessons // order_index ASC, ties created_at, id
}

// Batch is a row of batches.
type Batch struct {
	ID         string
	BootcampID string // bootcamp_id, FK CASCADE
	BatchName  string // batch_name
	StartDate  time.Time
	EndDate    time.Time
	Capacity   int
	Status     BatchStatus
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// BatchWithCount is a batch with _count.enrollments.
type BatchWithCount struct {
	Batch
	EnrollmentCount int
}

// BatchView is a batch in GET /bootcamps/batches: its bootcamp and counts.
type BatchView struct {
	Batch
	Bootcamp        Bootcamp
	EnrollmentCount int
	InstructorCount int
	MentorCount     int
}

// BatchDetail is GET /bootcamps/batches/{id}.
type BatchDetail struct {
	Batch
	Bootcamp    Bootcamp
	Instructors []StaffAssignmentView   // assigned_at ASC, ties id
	Mentors     []StaffAssignmentView   // assigned_at ASC, ties id
	Enrollments []EnrollmentWithStudent // enrolled_at ASC, ties id
}

// StaffAssignment is a row of instructor_batches (UserID = instructor_id) or mentor_batches
// (UserID = mentor_id).
type StaffAssignment struct {
	ID         string
	BatchID    string
	UserID     string
	AssignedAt time.Time
}

// StaffAssignmentView carries the assigned user.
type StaffAssignmentView struct {
	StaffAssignment
	User UserRef
}

// Enrollment is a row of enrollments. UNIQUE(student_id, batch_id).
type Enrollment struct {
	ID          string
	StudentID   string // FK users RESTRICT
	BatchID     string // FK batches RESTRICT
	Status      EnrollmentStatus
	EnrolledAt  time.Time
	CompletedAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// EnrollmentWithStudent is an enrollment with its student.
type EnrollmentWithStudent struct {
	Enrollment
	Student StudentRef
}

// EnrollmentView is an enrollment with everything the API derives the frontend aliases from.
type EnrollmentView struct {
	Enrollment
	Student  StudentRef
	Batch    Batch
	Bootcamp Bootcamp
	Payments []Payment // created_at ASC, ties id
	// AssignmentsTotal counts the assignments of the bootcamp (through modules and lessons);
	// AssignmentsGraded counts those of them with a GRADED submission by this student.
	AssignmentsTotal  int
	AssignmentsGraded int
}

// Payment is a row of payments. transaction_id is UNIQUE when not NULL.
type Payment struct {
	ID            string
	EnrollmentID  string
	Amount        Money
	Method        PaymentMethod
	Status        PaymentStatus
	TransactionID *string
	PaidAt        *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Module is a row of modules.
type Module struct {
	ID          string
	BootcampID  string
	Title       string
	Description *string
	OrderIndex  int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// ModuleWithLessons is a module and its lessons (order_index ASC, ties created_at, id).
type ModuleWithLessons struct {
	Module
	Lessons []Lesson
}

// Lesson is a row of lessons.
type Lesson struct {
	ID          string
	ModuleID    string
	Title       string
	Description *string
	ContentType ContentType
	ContentURL  *string
	Duration    *int // minutes
	OrderIndex  int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Resource is a row of resources.
type Resource struct {
	ID        string
	LessonID  string
	Title     string
	Type      ResourceType
	URL       string
	CreatedAt time.Time
}

// Attendance is a row of attendance. UNIQUE(enrollment_id, session_date).
type Attendance struct {
	ID           string
	EnrollmentID string
	BatchID      string
	SessionDate  time.Time
	Present      bool
	MarkedAt     time.Time
}

// Assignment is a row of assignments.
type Assignment struct {
	ID          string
	LessonID    string
	Title       string
	Description string
	MaxScore    int // max_score
	Deadline    *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// AssignmentView is an assignment with its place in the curriculum.
type AssignmentView struct {
	Assignment
	Lesson          Lesson
	Module          Module
	Bootcamp        Bootcamp
	SubmissionCount int // _count.submissions
}

// Submission is a row of submissions. UNIQUE(assignment_id, student_id).
type Submission struct {
	ID            string
	AssignmentID  string
	StudentID     string
	SubmissionURL *string
	Content       *string
	Status        SubmissionStatus
	SubmittedAt   *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// SubmissionView is a submission with its assignment (and curriculum), student and grade.
type SubmissionView struct {
	Submission
	Assignment AssignmentView // SubmissionCount may be left 0 here
	Student    UserRef
	Grade      *GradeView // nil when ungraded
}

// Grade is a row of grades. UNIQUE(submission_id).
type Grade struct {
	ID           string
	SubmissionID string
	Score        int
	Feedback     *string
	GradedBy     string
	GradedAt     time.Time
}

// GradeView carries the grader.
type GradeView struct {
	Grade
	GradedByUser UserRef
}

// Announcement is a row of announcements.
type Announcement struct {
	ID        string
	BatchID   string
	Title     string
	Message   string
	CreatedBy string
	CreatedAt time.Time
}

// Notification is a row of notifications.
type Notification struct {
	ID        string
	UserID    string
	Title     string
	Message   string
	IsRead    bool
	CreatedAt time.Time
}

// Certificate is a row of certificates.
type Certificate struct {
	ID               string
	EnrollmentID     string
	VerificationCode string
	IssuedBy         string
	IssuedAt         time.Time
}

// Dataset is a whole database's worth of rows, for `cohortly seed` and for tests: Store.ReplaceAll writes
// it in foreign-key order.
type Dataset struct {
	Users             []User
	Leads             []Lead
	LeadLogs          []LeadLog
	Bootcamps         []Bootcamp
	Batches           []Batch
	InstructorBatches []StaffAssignment
	MentorBatches     []StaffAssignment
	Enrollments       []Enrollment
	Payments          []Payment
	Modules           []Module
	Lessons           []Lesson
	Resources         []Resource
	Attendance        []Attendance
	Assignments       []Assignment
	Submissions       []Submission
	Grades            []Grade
	Announcements     []Announcement
	Notifications     []Notification
	Certificates      []Certificate
}
