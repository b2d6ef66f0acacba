package api_test

import (
	"sync"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly/schema"
)

func TestAssignmentsFrontendCreateUsesFirstLessonOrGeneral(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		// Full Stack has a lesson: the assignment goes there.
		r := e.call("POST", "/api/v1/assignments", e.instructor(), map[string]any{"bootcampId": schema.DemoFullStackID, "title": "CSS",
			"description": "Style it", "dueDate": "2026-02-20T17:00", "maxPoints": 50})
		want(t, r, 201, "Assignment created successfully")
		d := r.data()
		if d["lessonId"] != schema.DemoLessonID || d["maxScore"] != 50.0 || d["maxPoints"] != 50.0 || d["deadline"] != "2026-02-20T17:00:00.000Z" ||
			d["dueDate"] != d["deadline"] || d["bootcampId"] != schema.DemoFullStackID || d["status"] != "PUBLISHED" ||
			d["bootcamp"].(map[string]any)["name"] != "Full Stack Web Development" {
			t.Errorf("assignment = %v", d)
		}
		// Data Science has no curriculum: concurrent creates make exactly one "General" module and lesson.
		var wg sync.WaitGroup
		lessons := make([]string, 4)
		for i := range lessons {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.call("POST", "/api/v1/assignments", e.admin(), map[string]any{"bootcamp_id": schema.DemoDataScienceID, "title": "Intro", "description": "d"})
				if r.status == 201 {
					lessons[i] = str(r.data()["lessonId"])
				}
			}()
		}
		wg.Wait()
		for _, l := range lessons {
			if l == "" || l != lessons[0] {
				t.Fatalf("lessons = %v", lessons)
			}
		}
		bc := e.call("GET", "/api/v1/bootcamps/"+schema.DemoDataScienceID, e.admin(), nil)
		mods := bc.data()["modules"].([]any)
		if len(mods) != 1 || mods[0].(map[string]any)["title"] != "General" || len(mods[0].(map[string]any)["lessons"].([]any)) != 1 {
			t.Errorf("modules = %v", mods)
		}
		r = e.call("GET", "/api/v1/assignments?bootcampId="+schema.DemoDataScienceID, e.student(), nil)
		want(t, r, 200, "Assignments retrieved successfully")
		if len(r.list()) != 4 {
			t.Errorf("by bootcamp = %d", len(r.list()))
		}
		want(t, e.call("POST", "/api/v1/assignments", e.admin(), map[string]any{"bootcampId": "00000000-0000-4000-8000-000000000000", "title": "t", "description": "d"}), 404, "Bootcamp not found")
		want(t, e.call("POST", "/api/v1/assignments", e.admin(), map[string]any{"lessonId": "00000000-0000-4000-8000-000000000000", "title": "t", "description": "d"}), 404, "Lesson not found")
		want(t, e.call("POST", "/api/v1/assignments", e.admin(), map[string]any{"title": "t", "description": "d"}), 400, "Validation failed")
		want(t, e.call("POST", "/api/v1/assignments", e.admin(), map[string]any{"lessonId": schema.DemoLessonID, "title": "t", "description": "d", "maxScore": 0}), 400, "Validation failed")
		want(t, e.call("POST", "/api/v1/assignments", e.admin(), map[string]any{"lessonId": schema.DemoLessonID, "title": "t", "description": "d", "deadline": "tomorrow"}), 400, "Validation failed")
	})
}

func TestAssignmentUpdateDelete(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		r := e.call("PUT", "/api/v1/assignments/"+schema.DemoAssignmentID, e.instructor(), map[string]any{"title": "Portfolio", "maxPoints": 80, "dueDate": nil})
		want(t, r, 200, "Assignment updated successfully")
		if r.data()["title"] != "Portfolio" || r.data()["maxScore"] != 80.0 || r.data()["deadline"] != nil {
			t.Errorf("updated = %v", r.data())
		}
		r = e.call("GET", "/api/v1/assignments/"+schema.DemoAssignmentID, e.instructor(), nil)
		want(t, r, 200, "Assignment retrieved successfully")
		if len(r.data()["submissions"].([]any)) != 1 || r.data()["_count"].(map[string]any)["submissions"] != 1.0 {
			t.Errorf("detail = %s", r.raw)
		}
		// Student 2 does not see student 1's submission.
		s2 := e.login("student2@bootcamp.com", pw)
		r = e.call("GET", "/api/v1/assignments/"+schema.DemoAssignmentID, s2, nil)
		if len(r.data()["submissions"].([]any)) != 0 {
			t.Errorf("student 2 sees %v", r.data()["submissions"])
		}
		want(t, e.call("DELETE", "/api/v1/assignments/"+schema.DemoAssignmentID, e.instructor(), nil), 200, "Assignment deleted successfully")
		want(t, e.call("GET", "/api/v1/assignments/"+schema.DemoAssignmentID, e.instructor(), nil), 404, "Assignment not found")
		want(t, e.call("PUT", "/api/v1/assignments/"+schema.DemoAssignmentID, e.instructor(), map[string]any{"title": "x"}), 404, "Assignment not found")
		want(t, e.call("DELETE", "/api/v1/assignments/"+schema.DemoAssignmentID, e.instructor(), nil), 404, "Assignment not found")
		// Submissions went with it.
		want(t, e.call("GET", "/api/v1/assignments/submissions/"+schema.DemoSubmissionID, e.admin(), nil), 404, "Submission not found")
	})
}

func TestSubmissionsAndGrading(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		s2 := e.login("student2@bootcamp.com", pw)
		r := e.call("POST", "/api/v1/assignments/submissions", s2, map[string]any{"assignmentId": schema.DemoAssignmentID, "submissionUrl": "https://github.com/bob/site"})
		want(t, r, 201, "Assignment submitted successfully")
		subID := str(r.data()["id"])
		if r.data()["status"] != "SUBMITTED" || r.data()["studentId"] != schema.DemoStudent2ID || r.data()["submittedAt"] != "2026-01-15T10:00:00.000Z" {
			t.Errorf("submission = %v", r.data())
		}
		want(t, e.call("POST", "/api/v1/assignments/submissions", s2, map[string]any{"assignmentId": schema.DemoAssignmentID, "content": "again"}),
			409, "Submission already exists for this assignment")
		want(t, e.call("POST", "/api/v1/assignments/submissions", s2, map[string]any{"assignmentId": schema.DemoAssignmentID}), 400, "Validation failed")
		want(t, e.call("POST", "/api/v1/assignments/submissions", s2, map[string]any{"assignmentId": "00000000-0000-4000-8000-000000000000", "content": "x"}), 404, "Assignment not found")

		// A student not enrolled in the bootcamp cannot submit.
		reg := e.call("POST", "/api/v1/auth/register", "", map[string]any{"email": "dan@example.com", "password": "longenough", "fullName": "Dan"})
		want(t, e.call("POST", "/api/v1/assignments/submissions", str(reg.data()["accessToken"]), map[string]any{"assignmentId": schema.DemoAssignmentID, "content": "x"}),
			403, "You are not enrolled in this bootcamp")

		// After the deadline a submission is LATE.
		e.clk.Set(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
		e.relogin()
		s2 = e.login("student2@bootcamp.com", pw)
		l := e.call("POST", "/api/v1/assignments", e.admin(), map[string]any{"lessonId": schema.DemoLessonID, "title": "t", "description": "d", "deadline": "2026-02-20"})
		want(t, l, 201, "")
		if l.data()["status"] != "CLOSED" {
			t.Errorf("past-deadline assignment status = %v", l.data()["status"])
		}
		s1 := e.login("student1@bootcamp.com", pw)
		r = e.call("POST", "/api/v1/assignments/submissions", s1, map[string]any{"assignment_id": l.data()["id"], "content": "late work"})
		want(t, r, 201, "")
		if r.data()["status"] != "LATE" {
			t.Errorf("late status = %v", r.data()["status"])
		}

		r = e.call("GET", "/api/v1/assignments/pending-grades", e.tokens["MENTOR"], nil)
		want(t, r, 200, "Pending grades retrieved successfully")
		if len(r.list()) != 3 || r.list()[0].(map[string]any)["id"] != schema.DemoSubmissionID { // oldest first
			t.Errorf("pending = %s", r.raw)
		}

		want(t, e.call("POST", "/api/v1/assignments/submissions/"+subID+"/grade", e.instructor(), map[string]any{"score": 101}), 400, "Score exceeds maximum score")
		want(t, e.call("POST", "/api/v1/assignments/submissions/"+subID+"/grade", e.instructor(), map[string]any{"score": "ten"}), 400, "Validation failed")
		r = e.call("POST", "/api/v1/assignments/submissions/"+subID+"/grade", e.instructor(), map[string]any{"score": 90, "feedback": "Nice"})
		want(t, r, 200, "Submission graded successfully")
		gradeID := str(r.data()["id"])
		if r.data()["score"] != 90.0 || r.data()["gradedByUser"].(map[string]any)["fullName"] != "John Instructor" {
			t.Errorf("grade = %v", r.data())
		}
		r = e.call("POST", "/api/v1/assignments/submissions/"+subID+"/grade", e.admin(), map[string]any{"score": 95})
		want(t, r, 200, "")
		if r.data()["id"] != gradeID || r.data()["score"] != 95.0 || r.data()["gradedBy"] != schema.DemoAdminID {
			t.Errorf("regrade = %v", r.data())
		}
		want(t, e.call("POST", "/api/v1/assignments/submissions/00000000-0000-4000-8000-000000000000/grade", e.admin(), map[string]any{"score": 1}), 404, "Submission not found")

		r = e.call("GET", "/api/v1/assignments/submissions/"+subID, s2, nil)
		want(t, r, 200, "Submission retrieved successfully")
		if r.data()["status"] != "GRADED" || r.data()["grade"].(map[string]any)["score"] != 95.0 {
			t.Errorf("graded submission = %v", r.data())
		}
		want(t, e.call("GET", "/api/v1/assignments/submissions/"+subID, s1, nil), 404, "Submission not found")

		// Bob's enrollment progress: 1 of 2 assignments graded.
		en := e.call("GET", "/api/v1/enrollments/"+schema.DemoEnrollment2ID, e.admin(), nil)
		if en.data()["progress"] != 50.0 {
			t.Errorf("progress = %v", en.data()["progress"])
		}

		r = e.call("GET", "/api/v1/assignments/submissions", s1, nil)
		want(t, r, 200, "Submissions retrieved successfully")
		for _, x := range r.list() {
			if x.(map[string]any)["studentId"] != schema.DemoStudent1ID {
				t.Errorf("student sees %v", x)
			}
		}
		if len(r.list()) != 2 {
			t.Errorf("own submissions = %d", len(r.list()))
		}
		r = e.call("GET", "/api/v1/assignments/submissions?assignmentId="+schema.DemoAssignmentID, e.admin(), nil)
		if len(r.list()) != 2 {
			t.Errorf("by assignment = %d", len(r.list()))
		}
		want(t, e.call("GET", "/api/v1/assignments/submissions?studentId="+schema.DemoStudent2ID, s1, nil), 403, "")
	})
}
