package cohortly

import (
	"context"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/auth"
)

// DemoPassword is the password of every demo user, as in the legacy seed.
const DemoPassword = "Password123!"

// Seed replaces the whole database with the legacy demo data (prisma/seed.ts, contract §4.4).
func (s *Service) Seed(ctx context.Context) (Dataset, error) {
	hash, err := auth.HashPassword(DemoPassword, s.cost)
	if err != nil {
		return Dataset{}, internal(err, "hash demo password")
	}
	d := DemoDataset(s.Now(), hash)
	if err := s.store.ReplaceAll(ctx, d); err != nil {
		return Dataset{}, internal(err, "replace database with demo data")
	}
	return d, nil
}

// DemoDataset builds the legacy seed's rows with fresh ids, every user with passwordHash.
func DemoDataset(now time.Time, passwordHash string) Dataset {
	now = Millis(now)
	at := func(i int) time.Time { return now.Add(time.Duration(i) * time.Millisecond) }
	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

	user := func(i int, email, name string, role Role, phone string) User {
		return User{ID: NewID(), Email: email, PasswordHash: passwordHash, Role: role, FullName: name,
			Phone: str(phone), IsActive: true, CreatedAt: at(i), UpdatedAt: at(i)}
	}
	admin := user(0, "admin@bootcamp.com", "System Admin", RoleAdmin, "+1234567890")
	sales := user(1, "sales1@bootcamp.com", "Sarah Sales", RoleSales, "+1234567891")
	instructor := user(2, "instructor1@bootcamp.com", "John Instructor", RoleInstructor, "+1234567892")
	mentor := user(3, "mentor1@bootcamp.com", "Mike Mentor", RoleMentor, "+1234567893")
	student1 := user(4, "student1@bootcamp.com", "Alice Student", RoleStudent, "+1234567894")
	student2 := user(5, "student2@bootcamp.com", "Bob Student", RoleStudent, "+1234567895")

	lead := Lead{ID: NewID(), FullName: "Charlie Prospect", Email: "charlie@example.com", Phone: str("+1234567896"),
		Source: SourceWebsite, Status: LeadNew, AssignedTo: &sales.ID, CreatedBy: sales.ID, CreatedAt: at(6), UpdatedAt: at(6)}
	follow := now.Add(48 * time.Hour)
	leadLog := LeadLog{ID: NewID(), LeadID: lead.ID, Note: "Initial contact made via phone", NextFollowUp: &follow,
		CreatedBy: sales.ID, CreatedAt: at(7)}

	fullStack := Bootcamp{ID: NewID(), Title: "Full Stack Web Development",
		Description: "Complete full stack development bootcamp covering MERN stack, databases, and deployment.",
		Mode:        ModeHybrid, Price: 199900, Duration: num(16), IsActive: true, CreatedBy: admin.ID, CreatedAt: at(8), UpdatedAt: at(8)}
	dataSci := Bootcamp{ID: NewID(), Title: "Data Science & Machine Learning",
		Description: "Comprehensive data science bootcamp with Python, ML algorithms, and real projects.",
		Mode:        ModeLive, Price: 249900, Duration: num(20), IsActive: true, CreatedBy: admin.ID, CreatedAt: at(9), UpdatedAt: at(9)}
	batch := Batch{ID: NewID(), BootcampID: fullStack.ID, BatchName: "FS-2026-JAN", StartDate: day(2026, 2, 1),
		EndDate: day(2026, 5, 31), Capacity: 30, Status: BatchUpcoming, CreatedAt: at(10), UpdatedAt: at(10)}
	e1 := Enrollment{ID: NewID(), StudentID: student1.ID, BatchID: batch.ID, Status: EnrollmentActive, EnrolledAt: at(13), CreatedAt: at(13), UpdatedAt: at(13)}
	e2 := Enrollment{ID: NewID(), StudentID: student2.ID, BatchID: batch.ID, Status: EnrollmentActive, EnrolledAt: at(14), CreatedAt: at(14), UpdatedAt: at(14)}
	paid := at(15)
	module := Module{ID: NewID(), BootcampID: fullStack.ID, Title: "Introduction to Web Development",
		Description: str("Basics of HTML, CSS, and JavaScript"), OrderIndex: 1, CreatedAt: at(17), UpdatedAt: at(17)}
	lesson := Lesson{ID: NewID(), ModuleID: module.ID, Title: "HTML Fundamentals", Description: str("Learn the basics of HTML5"),
		ContentType: ContentVideo, ContentURL: str("https://example.com/videos/html-basics.mp4"), Duration: num(45),
		OrderIndex: 1, CreatedAt: at(18), UpdatedAt: at(18)}
	deadline := day(2026, 2, 15)
	assignment := Assignment{ID: NewID(), LessonID: lesson.ID, Title: "Build Your First Webpage",
		Description: "Create a personal portfolio page using HTML and CSS", MaxScore: 100, Deadline: &deadline,
		CreatedAt: at(20), UpdatedAt: at(20)}
	submitted := at(21)

	return Dataset{
		Users:             []User{admin, sales, instructor, mentor, student1, student2},
		Leads:             []Lead{lead},
		LeadLogs:          []LeadLog{leadLog},
		Bootcamps:         []Bootcamp{fullStack, dataSci},
		Batches:           []Batch{batch},
		InstructorBatches: []StaffAssignment{{ID: NewID(), BatchID: batch.ID, UserID: instructor.ID, AssignedAt: at(11)}},
		MentorBatches:     []StaffAssignment{{ID: NewID(), BatchID: batch.ID, UserID: mentor.ID, AssignedAt: at(12)}},
		Enrollments:       []Enrollment{e1, e2},
		Payments: []Payment{
			{ID: NewID(), EnrollmentID: e1.ID, Amount: 199900, Method: PayCreditCard, Status: PaymentCompleted,
				TransactionID: str("TXN123456"), PaidAt: &paid, CreatedAt: at(15), UpdatedAt: at(15)},
			{ID: NewID(), EnrollmentID: e2.ID, Amount: 99900, Method: PayUPI, Status: PaymentCompleted,
				TransactionID: str("TXN123457"), PaidAt: &paid, CreatedAt: at(16), UpdatedAt: at(16)},
		},
		Modules: []Module{module},
		Lessons: []Lesson{lesson},
		Resources: []Resource{{ID: NewID(), LessonID: lesson.ID, Title: "HTML Cheat Sheet", Type: ResourcePDF,
			URL: "https://example.com/resources/html-cheatsheet.pdf", CreatedAt: at(19)}},
		Attendance:  []Attendance{},
		Assignments: []Assignment{assignment},
		Submissions: []Submission{{ID: NewID(), AssignmentID: assignment.ID, StudentID: student1.ID,
			SubmissionURL: str("https://github.com/student1/portfolio"), Status: SubmissionSubmitted,
			SubmittedAt: &submitted, CreatedAt: submitted, UpdatedAt: submitted}},
		Grades: []Grade{},
		Announcements: []Announcement{{ID: NewID(), BatchID: batch.ID, Title: "Welcome to the Bootcamp!",
			Message:   "Welcome everyone! Classes start on February 1st. Please check your email for the orientation schedule.",
			CreatedBy: instructor.ID, CreatedAt: at(22)}},
		Notifications: []Notification{{ID: NewID(), UserID: student1.ID, Title: "Enrollment Confirmed",
			Message: "Your enrollment in Full Stack Web Development has been confirmed!", CreatedAt: at(23)}},
		Certificates: []Certificate{},
	}
}
