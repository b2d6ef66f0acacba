package api

import (
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// The JSON shapes the API sends. Keys are the Prisma field names in model order followed by included
// relations, as the legacy serialised them, then the frontend alias fields (contract §6.2).

// jtime renders as the legacy does: ISO-8601 UTC with milliseconds and Z.
type jtime time.Time

func (t jtime) MarshalJSON() ([]byte, error) {
	return appendTime(make([]byte, 0, 26), time.Time(t)), nil
}

func jt(t time.Time) jtime { return jtime(t) }

func jtp(t *time.Time) *jtime {
	if t == nil {
		return nil
	}
	v := jtime(*t)
	return &v
}

type userRefJSON struct {
	ID       string `json:"id"`
	FullName string `json:"fullName"`
	Email    string `json:"email"`
}

func refJSON(r cohortly.UserRef) userRefJSON {
	return userRefJSON{ID: r.ID, FullName: r.FullName, Email: r.Email}
}

func refPtr(r *cohortly.UserRef) *userRefJSON {
	if r == nil {
		return nil
	}
	v := refJSON(*r)
	return &v
}

// sessionUserJSON is data.user of login and register: the legacy keys plus phone and isActive, which
// the frontend's User type expects.
type sessionUserJSON struct {
	ID       string        `json:"id"`
	Email    string        `json:"email"`
	FullName string        `json:"fullName"`
	Role     cohortly.Role `json:"role"`
	Phone    *string       `json:"phone"`
	IsActive bool          `json:"isActive"`
}

type sessionJSON struct {
	User         sessionUserJSON `json:"user"`
	AccessToken  string          `json:"accessToken"`
	RefreshToken string          `json:"refreshToken"`
}

func sessionView(s cohortly.Session) sessionJSON {
	u := s.User
	return sessionJSON{User: sessionUserJSON{ID: u.ID, Email: u.Email, FullName: u.FullName, Role: u.Role, Phone: u.Phone, IsActive: u.IsActive},
		AccessToken: s.AccessToken, RefreshToken: s.RefreshToken}
}

// meJSON is GET /auth/me: the legacy token keys (id, email, role, iat, exp) and the database's fields.
type meJSON struct {
	ID        string        `json:"id"`
	Email     string        `json:"email"`
	Role      cohortly.Role `json:"role"`
	Iat       int64         `json:"iat"`
	Exp       int64         `json:"exp"`
	FullName  string        `json:"fullName"`
	Phone     *string       `json:"phone"`
	IsActive  bool          `json:"isActive"`
	CreatedAt jtime         `json:"createdAt"`
	UpdatedAt jtime         `json:"updatedAt"`
}

func meView(p *cohortly.Principal, u cohortly.User) meJSON {
	return meJSON{ID: u.ID, Email: u.Email, Role: u.Role, Iat: p.IssuedAt.Unix(), Exp: p.ExpiresAt.Unix(),
		FullName: u.FullName, Phone: u.Phone, IsActive: u.IsActive, CreatedAt: jt(u.CreatedAt), UpdatedAt: jt(u.UpdatedAt)}
}

// userJSON is a user without secrets (PUT /auth/me).
type userJSON struct {
	ID        string        `json:"id"`
	Email     string        `json:"email"`
	Role      cohortly.Role `json:"role"`
	FullName  string        `json:"fullName"`
	Phone     *string       `json:"phone"`
	IsActive  bool          `json:"isActive"`
	CreatedAt jtime         `json:"createdAt"`
	UpdatedAt jtime         `json:"updatedAt"`
}

func userView(u cohortly.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Role: u.Role, FullName: u.FullName, Phone: u.Phone, IsActive: u.IsActive,
		CreatedAt: jt(u.CreatedAt), UpdatedAt: jt(u.UpdatedAt)}
}

// ---- leads

// leadFieldsJSON is a lead's own columns, in the legacy key order; the views add its users.
type leadFieldsJSON struct {
	ID         string              `json:"id"`
	FullName   string              `json:"fullName"`
	Email      string              `json:"email"`
	Phone      *string             `json:"phone"`
	Source     cohortly.LeadSource `json:"source"`
	Status     cohortly.LeadStatus `json:"status"`
	AssignedTo *string             `json:"assignedTo"`
	CreatedBy  string              `json:"createdBy"`
	CreatedAt  jtime               `json:"createdAt"`
	UpdatedAt  jtime               `json:"updatedAt"`
}

type leadJSON struct {
	leadFieldsJSON
	AssignedToUser *userRefJSON  `json:"assignedToUser,omitempty"`
	CreatedByUser  *userRefJSON  `json:"createdByUser,omitempty"`
	Logs           []leadLogJSON `json:"logs,omitempty"`
}

// leadWithUsersJSON always carries assignedToUser (null when unassigned) and createdByUser.
type leadWithUsersJSON struct {
	leadFieldsJSON
	AssignedToUser *userRefJSON `json:"assignedToUser"`
	CreatedByUser  userRefJSON  `json:"createdByUser"`
}

type leadDetailJSON struct {
	leadWithUsersJSON
	Logs []leadLogJSON `json:"logs"`
}

func leadFields(l cohortly.Lead) leadFieldsJSON {
	return leadFieldsJSON{ID: l.ID, FullName: l.FullName, Email: l.Email, Phone: l.Phone, Source: l.Source, Status: l.Status,
		AssignedTo: l.AssignedTo, CreatedBy: l.CreatedBy, CreatedAt: jt(l.CreatedAt), UpdatedAt: jt(l.UpdatedAt)}
}

func leadScalars(l cohortly.Lead) leadJSON { return leadJSON{leadFieldsJSON: leadFields(l)} }

func leadView(v cohortly.LeadView) leadWithUsersJSON {
	return leadWithUsersJSON{leadFieldsJSON: leadFields(v.Lead), AssignedToUser: refPtr(v.AssignedToUser), CreatedByUser: refJSON(v.CreatedByUser)}
}

type leadLogJSON struct {
	ID            string       `json:"id"`
	LeadID        string       `json:"leadId"`
	Note          string       `json:"note"`
	NextFollowUp  *jtime       `json:"nextFollowUp"`
	CreatedBy     string       `json:"createdBy"`
	CreatedAt     jtime        `json:"createdAt"`
	Lead          *leadJSON    `json:"lead,omitempty"`
	CreatedByUser *userRefJSON `json:"createdByUser,omitempty"`
}

func leadLogView(l cohortly.LeadLog, by cohortly.UserRef) leadLogJSON {
	r := refJSON(by)
	return leadLogJSON{ID: l.ID, LeadID: l.LeadID, Note: l.Note, NextFollowUp: jtp(l.NextFollowUp), CreatedBy: l.CreatedBy,
		CreatedAt: jt(l.CreatedAt), CreatedByUser: &r}
}

// ---- bootcamps and batches

// bootcampScalarsJSON is a bootcamp's own columns plus the name alias (nested in batches, enrollments...).
type bootcampScalarsJSON struct {
	ID          string                `json:"id"`
	Title       string                `json:"title"`
	Description string                `json:"description"`
	Mode        cohortly.BootcampMode `json:"mode"`
	Price       cohortly.Money        `json:"price"`
	Duration    *int                  `json:"duration"`
	IsActive    bool                  `json:"isActive"`
	CreatedBy   string                `json:"createdBy"`
	CreatedAt   jtime                 `json:"createdAt"`
	UpdatedAt   jtime                 `json:"updatedAt"`
	Name        string                `json:"name"`
}

func bootcampScalars(b cohortly.Bootcamp) bootcampScalarsJSON {
	return bootcampScalarsJSON{ID: b.ID, Title: b.Title, Description: b.Description, Mode: b.Mode, Price: b.Price,
		Duration: b.Duration, IsActive: b.IsActive, CreatedBy: b.CreatedBy, CreatedAt: jt(b.CreatedAt), UpdatedAt: jt(b.UpdatedAt), Name: b.Title}
}

type bootcampCountJSON struct {
	Batches int `json:"batches"`
	Modules int `json:"modules"`
}

type bootcampJSON struct {
	ID            string                `json:"id"`
	Title         string                `json:"title"`
	Description   string                `json:"description"`
	Mode          cohortly.BootcampMode `json:"mode"`
	Price         cohortly.Money        `json:"price"`
	Duration      *int                  `json:"duration"`
	IsActive      bool                  `json:"isActive"`
	CreatedBy     string                `json:"createdBy"`
	CreatedAt     jtime                 `json:"createdAt"`
	UpdatedAt     jtime                 `json:"updatedAt"`
	CreatedByUser userRefJSON           `json:"createdByUser"`
	Count         bootcampCountJSON     `json:"_count"`
	Name          string                `json:"name"`
	StartDate     jtime                 `json:"startDate"`
	EndDate       jtime                 `json:"endDate"`
	Capacity      int                   `json:"capacity"`
	Status        string                `json:"status"`
}

func bootcampView(v cohortly.BootcampView) bootcampJSON {
	b := v.Bootcamp
	start, end := v.FrontendDates()
	return bootcampJSON{ID: b.ID, Title: b.Title, Description: b.Description, Mode: b.Mode, Price: b.Price, Duration: b.Duration,
		IsActive: b.IsActive, CreatedBy: b.CreatedBy, CreatedAt: jt(b.CreatedAt), UpdatedAt: jt(b.UpdatedAt),
		CreatedByUser: refJSON(v.CreatedByUser), Count: bootcampCountJSON{Batches: v.Batches.Count, Modules: v.ModuleCount},
		Name: b.Title, StartDate: jt(start), EndDate: jt(end), Capacity: v.Batches.CapacitySum,
		Status: v.FrontendStatus()}
}

type bootcampDetailJSON struct {
	bootcampJSON
	Batches []batchJSON  `json:"batches"`
	Modules []moduleJSON `json:"modules"`
}

func bootcampDetailView(d cohortly.BootcampDetail) bootcampDetailJSON {
	out := bootcampDetailJSON{bootcampJSON: bootcampView(d.BootcampView), Batches: make([]batchJSON, len(d.BatchList)), Modules: make([]moduleJSON, len(d.Modules))}
	for i, b := range d.BatchList {
		out.Batches[i] = batchScalars(b.Batch)
		out.Batches[i].Count = &batchCountJSON{Enrollments: b.EnrollmentCount}
	}
	for i, m := range d.Modules {
		out.Modules[i] = moduleView(m.Module)
		out.Modules[i].Lessons = make([]lessonJSON, len(m.Lessons))
		for j, l := range m.Lessons {
			out.Modules[i].Lessons[j] = lessonView(l)
		}
	}
	return out
}

type batchCountJSON struct {
	Enrollments int  `json:"enrollments"`
	Instructors *int `json:"instructors,omitempty"`
	Mentors     *int `json:"mentors,omitempty"`
}

type batchJSON struct {
	ID          string                `json:"id"`
	BootcampID  string                `json:"bootcampId"`
	BatchName   string                `json:"batchName"`
	StartDate   jtime                 `json:"startDate"`
	EndDate     jtime                 `json:"endDate"`
	Capacity    int                   `json:"capacity"`
	Status      cohortly.BatchStatus  `json:"status"`
	CreatedAt   jtime                 `json:"createdAt"`
	UpdatedAt   jtime                 `json:"updatedAt"`
	Bootcamp    *bootcampScalarsJSON  `json:"bootcamp,omitempty"`
	Count       *batchCountJSON       `json:"_count,omitempty"`
	Instructors []staffJSON           `json:"instructors,omitempty"`
	Mentors     []staffJSON           `json:"mentors,omitempty"`
	Enrollments []batchEnrollmentJSON `json:"enrollments,omitempty"`
}

func batchScalars(b cohortly.Batch) batchJSON {
	return batchJSON{ID: b.ID, BootcampID: b.BootcampID, BatchName: b.BatchName, StartDate: jt(b.StartDate), EndDate: jt(b.EndDate),
		Capacity: b.Capacity, Status: b.Status, CreatedAt: jt(b.CreatedAt), UpdatedAt: jt(b.UpdatedAt)}
}

func batchView(v cohortly.BatchView, counts bool) batchJSON {
	out := batchScalars(v.Batch)
	bc := bootcampScalars(v.Bootcamp)
	out.Bootcamp = &bc
	if counts {
		ins, men := v.InstructorCount, v.MentorCount
		out.Count = &batchCountJSON{Enrollments: v.EnrollmentCount, Instructors: &ins, Mentors: &men}
	}
	return out
}

// batchDetailJSON always has the three lists, empty or not.
type batchDetailJSON struct {
	ID          string                `json:"id"`
	BootcampID  string                `json:"bootcampId"`
	BatchName   string                `json:"batchName"`
	StartDate   jtime                 `json:"startDate"`
	EndDate     jtime                 `json:"endDate"`
	Capacity    int                   `json:"capacity"`
	Status      cohortly.BatchStatus  `json:"status"`
	CreatedAt   jtime                 `json:"createdAt"`
	UpdatedAt   jtime                 `json:"updatedAt"`
	Bootcamp    bootcampScalarsJSON   `json:"bootcamp"`
	Instructors []staffJSON           `json:"instructors"`
	Mentors     []staffJSON           `json:"mentors"`
	Enrollments []batchEnrollmentJSON `json:"enrollments"`
}

func batchDetailView(d cohortly.BatchDetail) batchDetailJSON {
	b := d.Batch
	out := batchDetailJSON{ID: b.ID, BootcampID: b.BootcampID, BatchName: b.BatchName, StartDate: jt(b.StartDate), EndDate: jt(b.EndDate),
		Capacity: b.Capacity, Status: b.Status, CreatedAt: jt(b.CreatedAt), UpdatedAt: jt(b.UpdatedAt),
		Bootcamp: bootcampScalars(d.Bootcamp), Instructors: staffList(d.Instructors, "instructor"), Mentors: staffList(d.Mentors, "mentor"),
		Enrollments: make([]batchEnrollmentJSON, len(d.Enrollments))}
	for i, e := range d.Enrollments {
		out.Enrollments[i] = batchEnrollmentJSON{enrollmentScalarsJSON: enrollmentScalars(e.Enrollment), Student: studentView(e.Student)}
	}
	return out
}

// staffJSON is an instructor_batches or mentor_batches row with its user under "instructor"/"mentor".
type staffJSON struct {
	ID           string       `json:"id"`
	BatchID      string       `json:"batchId"`
	InstructorID string       `json:"instructorId,omitempty"`
	MentorID     string       `json:"mentorId,omitempty"`
	AssignedAt   jtime        `json:"assignedAt"`
	Instructor   *userRefJSON `json:"instructor,omitempty"`
	Mentor       *userRefJSON `json:"mentor,omitempty"`
}

func staffView(a cohortly.StaffAssignmentView, kind string) staffJSON {
	out := staffJSON{ID: a.ID, BatchID: a.BatchID, AssignedAt: jt(a.AssignedAt)}
	u := refJSON(a.User)
	if kind == "mentor" {
		out.MentorID, out.Mentor = a.UserID, &u
	} else {
		out.InstructorID, out.Instructor = a.UserID, &u
	}
	return out
}

func staffList(items []cohortly.StaffAssignmentView, kind string) []staffJSON {
	out := make([]staffJSON, len(items))
	for i, a := range items {
		out[i] = staffView(a, kind)
	}
	return out
}

type moduleJSON struct {
	ID          string       `json:"id"`
	BootcampID  string       `json:"bootcampId"`
	Title       string       `json:"title"`
	Description *string      `json:"description"`
	OrderIndex  int          `json:"orderIndex"`
	CreatedAt   jtime        `json:"createdAt"`
	UpdatedAt   jtime        `json:"updatedAt"`
	Lessons     []lessonJSON `json:"lessons,omitempty"`
}

func moduleView(m cohortly.Module) moduleJSON {
	return moduleJSON{ID: m.ID, BootcampID: m.BootcampID, Title: m.Title, Description: m.Description, OrderIndex: m.OrderIndex,
		CreatedAt: jt(m.CreatedAt), UpdatedAt: jt(m.UpdatedAt)}
}

type lessonJSON struct {
	ID          string               `json:"id"`
	ModuleID    string               `json:"moduleId"`
	Title       string               `json:"title"`
	Description *string              `json:"description"`
	ContentType cohortly.ContentType `json:"contentType"`
	ContentURL  *string              `json:"contentUrl"`
	Duration    *int                 `json:"duration"`
	OrderIndex  int                  `json:"orderIndex"`
	CreatedAt   jtime                `json:"createdAt"`
	UpdatedAt   jtime                `json:"updatedAt"`
}

func lessonView(l cohortly.Lesson) lessonJSON {
	return lessonJSON{ID: l.ID, ModuleID: l.ModuleID, Title: l.Title, Description: l.Description, ContentType: l.ContentType,
		ContentURL: l.ContentURL, Duration: l.Duration, OrderIndex: l.OrderIndex, CreatedAt: jt(l.CreatedAt), UpdatedAt: jt(l.UpdatedAt)}
}

// ---- enrollments

type enrollmentScalarsJSON struct {
	ID          string                    `json:"id"`
	StudentID   string                    `json:"studentId"`
	BatchID     string                    `json:"batchId"`
	Status      cohortly.EnrollmentStatus `json:"status"`
	EnrolledAt  jtime                     `json:"enrolledAt"`
	CompletedAt *jtime                    `json:"completedAt"`
	CreatedAt   jtime                     `json:"createdAt"`
	UpdatedAt   jtime                     `json:"updatedAt"`
}

func enrollmentScalars(e cohortly.Enrollment) enrollmentScalarsJSON {
	return enrollmentScalarsJSON{ID: e.ID, StudentID: e.StudentID, BatchID: e.BatchID, Status: e.Status, EnrolledAt: jt(e.EnrolledAt),
		CompletedAt: jtp(e.CompletedAt), CreatedAt: jt(e.CreatedAt), UpdatedAt: jt(e.UpdatedAt)}
}

type studentJSON struct {
	ID       string  `json:"id"`
	FullName string  `json:"fullName"`
	Email    string  `json:"email"`
	Phone    *string `json:"phone"`
}

func studentView(s cohortly.StudentRef) studentJSON {
	return studentJSON{ID: s.ID, FullName: s.FullName, Email: s.Email, Phone: s.Phone}
}

type batchEnrollmentJSON struct {
	enrollmentScalarsJSON
	Student studentJSON `json:"student"`
}

type paymentJSON struct {
	ID            string                 `json:"id"`
	EnrollmentID  string                 `json:"enrollmentId"`
	Amount        cohortly.Money         `json:"amount"`
	Method        cohortly.PaymentMethod `json:"method"`
	Status        cohortly.PaymentStatus `json:"status"`
	TransactionID *string                `json:"transactionId"`
	PaidAt        *jtime                 `json:"paidAt"`
	CreatedAt     jtime                  `json:"createdAt"`
	UpdatedAt     jtime                  `json:"updatedAt"`
}

type enrollmentBatchJSON struct {
	ID         string               `json:"id"`
	BootcampID string               `json:"bootcampId"`
	BatchName  string               `json:"batchName"`
	StartDate  jtime                `json:"startDate"`
	EndDate    jtime                `json:"endDate"`
	Capacity   int                  `json:"capacity"`
	Status     cohortly.BatchStatus `json:"status"`
	CreatedAt  jtime                `json:"createdAt"`
	UpdatedAt  jtime                `json:"updatedAt"`
	Bootcamp   bootcampScalarsJSON  `json:"bootcamp"`
}

type enrollmentJSON struct {
	enrollmentScalarsJSON
	Student        studentJSON         `json:"student"`
	Batch          enrollmentBatchJSON `json:"batch"`
	Payments       []paymentJSON       `json:"payments"`
	BootcampID     string              `json:"bootcampId"`
	Bootcamp       bootcampScalarsJSON `json:"bootcamp"`
	EnrollmentDate jtime               `json:"enrollmentDate"`
	CompletionDate *jtime              `json:"completionDate"`
	PaymentStatus  string              `json:"paymentStatus"`
	Progress       int                 `json:"progress"`
}

func enrollmentView(v cohortly.EnrollmentView) enrollmentJSON {
	b := v.Batch
	bc := bootcampScalars(v.Bootcamp)
	out := enrollmentJSON{
		enrollmentScalarsJSON: enrollmentScalars(v.Enrollment),
		Student:               studentView(v.Student),
		Batch: enrollmentBatchJSON{ID: b.ID, BootcampID: b.BootcampID, BatchName: b.BatchName, StartDate: jt(b.StartDate), EndDate: jt(b.EndDate),
			Capacity: b.Capacity, Status: b.Status, CreatedAt: jt(b.CreatedAt), UpdatedAt: jt(b.UpdatedAt), Bootcamp: bc},
		Payments:       make([]paymentJSON, len(v.Payments)),
		BootcampID:     v.Bootcamp.ID,
		Bootcamp:       bc,
		EnrollmentDate: jt(v.EnrolledAt),
		CompletionDate: jtp(v.CompletedAt),
		PaymentStatus:  v.PaymentStatus(),
		Progress:       v.Progress(),
	}
	for i, p := range v.Payments {
		out.Payments[i] = paymentJSON{ID: p.ID, EnrollmentID: p.EnrollmentID, Amount: p.Amount, Method: p.Method, Status: p.Status,
			TransactionID: p.TransactionID, PaidAt: jtp(p.PaidAt), CreatedAt: jt(p.CreatedAt), UpdatedAt: jt(p.UpdatedAt)}
	}
	return out
}

func enrollmentList(items []cohortly.EnrollmentView) []enrollmentJSON {
	out := make([]enrollmentJSON, len(items))
	for i, v := range items {
		out[i] = enrollmentView(v)
	}
	return out
}

// ---- assignments

type assignmentModuleJSON struct {
	moduleJSON
	Bootcamp bootcampScalarsJSON `json:"bootcamp"`
}

type assignmentLessonJSON struct {
	lessonJSON
	Module assignmentModuleJSON `json:"module"`
}

type bootcampBriefJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Title string `json:"title"`
}

type submissionCountJSON struct {
	Submissions int `json:"submissions"`
}

type assignmentJSON struct {
	ID          string                `json:"id"`
	LessonID    string                `json:"lessonId"`
	Title       string                `json:"title"`
	Description string                `json:"description"`
	MaxScore    int                   `json:"maxScore"`
	Deadline    *jtime                `json:"deadline"`
	CreatedAt   jtime                 `json:"createdAt"`
	UpdatedAt   jtime                 `json:"updatedAt"`
	Lesson      *assignmentLessonJSON `json:"lesson,omitempty"`
	Count       *submissionCountJSON  `json:"_count,omitempty"`
	BootcampID  string                `json:"bootcampId"`
	Bootcamp    bootcampBriefJSON     `json:"bootcamp"`
	DueDate     *jtime                `json:"dueDate"`
	MaxPoints   int                   `json:"maxPoints"`
	Status      string                `json:"status"`
}

func assignmentView(v cohortly.AssignmentView, now time.Time, full bool) assignmentJSON {
	a := v.Assignment
	out := assignmentJSON{ID: a.ID, LessonID: a.LessonID, Title: a.Title, Description: a.Description, MaxScore: a.MaxScore,
		Deadline: jtp(a.Deadline), CreatedAt: jt(a.CreatedAt), UpdatedAt: jt(a.UpdatedAt),
		BootcampID: v.Bootcamp.ID, Bootcamp: bootcampBriefJSON{ID: v.Bootcamp.ID, Name: v.Bootcamp.Title, Title: v.Bootcamp.Title},
		DueDate: jtp(a.Deadline), MaxPoints: a.MaxScore, Status: a.FrontendStatus(now)}
	if full {
		out.Lesson = &assignmentLessonJSON{lessonJSON: lessonView(v.Lesson),
			Module: assignmentModuleJSON{moduleJSON: moduleView(v.Module), Bootcamp: bootcampScalars(v.Bootcamp)}}
		out.Count = &submissionCountJSON{Submissions: v.SubmissionCount}
	}
	return out
}

func assignmentList(items []cohortly.AssignmentView, now time.Time) []assignmentJSON {
	out := make([]assignmentJSON, len(items))
	for i, v := range items {
		out[i] = assignmentView(v, now, true)
	}
	return out
}

type assignmentDetailJSON struct {
	assignmentJSON
	Submissions []submissionJSON `json:"submissions"`
}

type gradeJSON struct {
	ID           string      `json:"id"`
	SubmissionID string      `json:"submissionId"`
	Score        int         `json:"score"`
	Feedback     *string     `json:"feedback"`
	GradedBy     string      `json:"gradedBy"`
	GradedAt     jtime       `json:"gradedAt"`
	GradedByUser userRefJSON `json:"gradedByUser"`
}

func gradeView(g cohortly.GradeView) gradeJSON {
	return gradeJSON{ID: g.ID, SubmissionID: g.SubmissionID, Score: g.Score, Feedback: g.Feedback, GradedBy: g.GradedBy,
		GradedAt: jt(g.GradedAt), GradedByUser: refJSON(g.GradedByUser)}
}

type submissionJSON struct {
	ID            string                    `json:"id"`
	AssignmentID  string                    `json:"assignmentId"`
	StudentID     string                    `json:"studentId"`
	SubmissionURL *string                   `json:"submissionUrl"`
	Content       *string                   `json:"content"`
	Status        cohortly.SubmissionStatus `json:"status"`
	SubmittedAt   *jtime                    `json:"submittedAt"`
	CreatedAt     jtime                     `json:"createdAt"`
	UpdatedAt     jtime                     `json:"updatedAt"`
	Assignment    assignmentJSON            `json:"assignment"`
	Student       userRefJSON               `json:"student"`
	Grade         *gradeJSON                `json:"grade"`
}

func submissionView(v cohortly.SubmissionView, now time.Time) submissionJSON {
	s := v.Submission
	out := submissionJSON{ID: s.ID, AssignmentID: s.AssignmentID, StudentID: s.StudentID, SubmissionURL: s.SubmissionURL, Content: s.Content,
		Status: s.Status, SubmittedAt: jtp(s.SubmittedAt), CreatedAt: jt(s.CreatedAt), UpdatedAt: jt(s.UpdatedAt),
		Assignment: assignmentView(v.Assignment, now, true), Student: refJSON(v.Student)}
	out.Assignment.Count = nil
	if v.Grade != nil {
		g := gradeView(*v.Grade)
		out.Grade = &g
	}
	return out
}

func submissionList(items []cohortly.SubmissionView, now time.Time) []submissionJSON {
	out := make([]submissionJSON, len(items))
	for i, v := range items {
		out[i] = submissionView(v, now)
	}
	return out
}
