package schema

import (
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// Demo ids are those of shared/fixtures/cohortly-legacy-seed.sql, so demo data, fixtures and
// recorded examples agree. Fixed ids also make `cohortly seed` repeatable: a second run produces the
// same rows.
const (
	DemoAdminID       = "fb58953b-d06d-451e-b2ea-795cc55ac7b2"
	DemoSalesID       = "115e59c5-6a0e-45f7-ad16-272e3b158ece"
	DemoInstructorID  = "0321697d-d5c3-4da3-8e4f-9821ceca55bf"
	DemoMentorID      = "c9efbec8-450d-4a0e-85cb-1bae6eb06ced"
	DemoStudent1ID    = "cb2bf272-11d6-4d99-b71b-dd144a45b61a"
	DemoStudent2ID    = "38c6d4f9-55f2-47d3-aa45-edb4d17ba9ee"
	DemoLeadID        = "633dc1d9-b35a-440a-9758-07f890e23f5a"
	DemoFullStackID   = "a8650cad-f124-42f4-9262-b5323e38ecdf"
	DemoDataScienceID = "18c99181-05b4-4217-a004-d5664771d0a2"
	DemoBatchID       = "ae209b2e-c79a-4762-b3b0-989edf53cc0a"
	DemoModuleID      = "b9d1e19d-705f-4af1-aaab-a2f7029a48ac"
	DemoLessonID      = "335526ec-8abf-468f-8faf-45a7aa1057f6"
	DemoAssignmentID  = "baa2da3e-42e1-444f-a786-bcd359859799"
	DemoEnrollment1ID = "d5681c2e-70bb-4d27-b6c8-d389474f9b96"
	DemoEnrollment2ID = "8f376908-52d1-49bb-af48-3242d848e5e9"
	DemoSubmissionID  = "6ac239d3-fc6c-4733-940a-0a3c46d66b77"
)

// DemoPassword is the password of every demo user (legacy seed, contract §4.4).
const DemoPassword = "Password123!"

// DemoDataset is the legacy seed (contract §4.4) as a Dataset: six users sharing passwordHash (the
// bcrypt hash of DemoPassword; the caller hashes, so this package needs no crypto), a lead with a log,
// two bootcamps, a batch with instructor and mentor, two enrollments with payments, a module, lesson,
// resource and assignment, a submission, an announcement and a notification. Times are derived from
// now the way the legacy seed derives them from its clock (rows a few milliseconds apart, the follow-up
// two days ahead); the batch and deadline dates are the legacy seed's fixed dates.
//
// Store.ReplaceAll(ctx, DemoDataset(now, hash)) is `cohortly seed`: it wipes first, as the legacy seed
// does, so running it twice leaves the same data.
func DemoDataset(now time.Time, passwordHash string) cohortly.Dataset {
	now = cohortly.Millis(now)
	at := func(ms int) time.Time { return now.Add(time.Duration(ms) * time.Millisecond) }
	ptr := func(s string) *string { return &s }
	intp := func(n int) *int { return &n }
	tp := func(t time.Time) *time.Time { return &t }
	date := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

	user := func(id, email, name string, role cohortly.Role, phone string, ms int) cohortly.User {
		return cohortly.User{ID: id, Email: email, PasswordHash: passwordHash, Role: role, FullName: name,
			Phone: ptr(phone), IsActive: true, CreatedAt: at(ms), UpdatedAt: at(ms)}
	}
	d := cohortly.Dataset{
		Users: []cohortly.User{
			user(DemoAdminID, "admin@bootcamp.com", "System Admin", cohortly.RoleAdmin, "+1234567890", 0),
			user(DemoSalesID, "sales1@bootcamp.com", "Sarah Sales", cohortly.RoleSales, "+1234567891", 9),
			user(DemoInstructorID, "instructor1@bootcamp.com", "John Instructor", cohortly.RoleInstructor, "+1234567892", 11),
			user(DemoMentorID, "mentor1@bootcamp.com", "Mike Mentor", cohortly.RoleMentor, "+1234567893", 12),
			user(DemoStudent1ID, "student1@bootcamp.com", "Alice Student", cohortly.RoleStudent, "+1234567894", 13),
			user(DemoStudent2ID, "student2@bootcamp.com", "Bob Student", cohortly.RoleStudent, "+1234567895", 22),
		},
		Leads: []cohortly.Lead{{
			ID: DemoLeadID, FullName: "Charlie Prospect", Email: "charlie@example.com", Phone: ptr("+1234567896"),
			Source: cohortly.SourceWebsite, Status: cohortly.LeadNew, AssignedTo: ptr(DemoSalesID), CreatedBy: DemoSalesID,
			CreatedAt: at(26), UpdatedAt: at(26),
		}},
		LeadLogs: []cohortly.LeadLog{{
			ID: "0e0e923a-de96-4143-aace-97758fd1ecbc", LeadID: DemoLeadID, Note: "Initial contact made via phone",
			NextFollowUp: tp(at(29).Add(48 * time.Hour)), CreatedBy: DemoSalesID, CreatedAt: at(29),
		}},
		Bootcamps: []cohortly.Bootcamp{
			{ID: DemoFullStackID, Title: "Full Stack Web Development",
				Description: "Complete full stack development bootcamp covering MERN stack, databases, and deployment.",
				Mode:        cohortly.ModeHybrid, Price: 199900, Duration: intp(16), IsActive: true, CreatedBy: DemoAdminID,
				CreatedAt: at(37), UpdatedAt: at(37)},
			{ID: DemoDataScienceID, Title: "Data Science & Machine Learning",
				Description: "Comprehensive data science bootcamp with Python, ML algorithms, and real projects.",
				Mode:        cohortly.ModeLive, Price: 249900, Duration: intp(20), IsActive: true, CreatedBy: DemoAdminID,
				CreatedAt: at(42), UpdatedAt: at(42)},
		},
		Batches: []cohortly.Batch{{
			ID: DemoBatchID, BootcampID: DemoFullStackID, BatchName: "FS-2026-JAN",
			StartDate: date(2026, time.February, 1), EndDate: date(2026, time.May, 31), Capacity: 30,
			Status: cohortly.BatchUpcoming, CreatedAt: at(43), UpdatedAt: at(43),
		}},
		InstructorBatches: []cohortly.StaffAssignment{{ID: "6ffaec13-5b5a-42b2-9208-e673675e42bf", BatchID: DemoBatchID, UserID: DemoInstructorID, AssignedAt: at(48)}},
		MentorBatches:     []cohortly.StaffAssignment{{ID: "616f96ff-c9a0-4fa1-b17b-d25add049996", BatchID: DemoBatchID, UserID: DemoMentorID, AssignedAt: at(49)}},
		Enrollments: []cohortly.Enrollment{
			{ID: DemoEnrollment1ID, StudentID: DemoStudent1ID, BatchID: DemoBatchID, Status: cohortly.EnrollmentActive,
				EnrolledAt: at(51), CreatedAt: at(51), UpdatedAt: at(51)},
			{ID: DemoEnrollment2ID, StudentID: DemoStudent2ID, BatchID: DemoBatchID, Status: cohortly.EnrollmentActive,
				EnrolledAt: at(54), CreatedAt: at(54), UpdatedAt: at(54)},
		},
		Payments: []cohortly.Payment{
			{ID: "d3259732-5c1b-4e60-94b2-4b6cf4a22aef", EnrollmentID: DemoEnrollment1ID, Amount: 199900, Method: cohortly.PayCreditCard,
				Status: cohortly.PaymentCompleted, TransactionID: ptr("TXN123456"), PaidAt: tp(at(56)), CreatedAt: at(57), UpdatedAt: at(57)},
			{ID: "c8b75226-5b64-47c6-b578-046df5cf9fde", EnrollmentID: DemoEnrollment2ID, Amount: 99900, Method: cohortly.PayUPI,
				Status: cohortly.PaymentCompleted, TransactionID: ptr("TXN123457"), PaidAt: tp(at(62)), CreatedAt: at(62), UpdatedAt: at(62)},
		},
		Modules: []cohortly.Module{{ID: DemoModuleID, BootcampID: DemoFullStackID, Title: "Introduction to Web Development",
			Description: ptr("Basics of HTML, CSS, and JavaScript"), OrderIndex: 1, CreatedAt: at(65), UpdatedAt: at(65)}},
		Lessons: []cohortly.Lesson{{ID: DemoLessonID, ModuleID: DemoModuleID, Title: "HTML Fundamentals",
			Description: ptr("Learn the basics of HTML5"), ContentType: cohortly.ContentVideo,
			ContentURL: ptr("https://example.com/videos/html-basics.mp4"), Duration: intp(45), OrderIndex: 1,
			CreatedAt: at(66), UpdatedAt: at(66)}},
		Resources: []cohortly.Resource{{ID: "a1deaba1-02b5-42f4-b874-eaf7c12aee16", LessonID: DemoLessonID, Title: "HTML Cheat Sheet",
			Type: cohortly.ResourcePDF, URL: "https://example.com/resources/html-cheatsheet.pdf", CreatedAt: at(68)}},
		Assignments: []cohortly.Assignment{{ID: DemoAssignmentID, LessonID: DemoLessonID, Title: "Build Your First Webpage",
			Description: "Create a personal portfolio page using HTML and CSS", MaxScore: 100,
			Deadline: tp(date(2026, time.February, 15)), CreatedAt: at(74), UpdatedAt: at(74)}},
		Submissions: []cohortly.Submission{{ID: DemoSubmissionID, AssignmentID: DemoAssignmentID, StudentID: DemoStudent1ID,
			SubmissionURL: ptr("https://github.com/student1/portfolio"), Status: cohortly.SubmissionSubmitted,
			SubmittedAt: tp(at(79)), CreatedAt: at(79), UpdatedAt: at(79)}},
		Announcements: []cohortly.Announcement{{ID: "40cf8176-a35a-40ca-b581-1ae334a9b179", BatchID: DemoBatchID,
			Title:     "Welcome to the Bootcamp!",
			Message:   "Welcome everyone! Classes start on February 1st. Please check your email for the orientation schedule.",
			CreatedBy: DemoInstructorID, CreatedAt: at(81)}},
		Notifications: []cohortly.Notification{{ID: "3f90b601-10e4-4236-8582-c6b50319f8f2", UserID: DemoStudent1ID,
			Title: "Enrollment Confirmed", Message: "Your enrollment in Full Stack Web Development has been confirmed!",
			CreatedAt: at(84)}},
	}
	return d
}
