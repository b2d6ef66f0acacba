package api_test

import (
	"testing"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/schema"
)

func (e *env) instructor() string { return e.tokens[cohortly.RoleInstructor] }

func TestEnrollmentListHasAliases(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		r := e.call("GET", "/api/v1/enrollments", e.admin(), nil)
		want(t, r, 200, "Enrollments retrieved successfully")
		if len(r.list()) != 2 {
			t.Fatalf("list = %s", r.raw)
		}
		byStudent := map[string]map[string]any{}
		for _, x := range r.list() {
			m := x.(map[string]any)
			byStudent[str(m["studentId"])] = m
		}
		alice, bob := byStudent[schema.DemoStudent1ID], byStudent[schema.DemoStudent2ID]
		if alice["paymentStatus"] != "PAID" || bob["paymentStatus"] != "PARTIAL" {
			t.Errorf("paymentStatus: alice %v, bob %v", alice["paymentStatus"], bob["paymentStatus"])
		}
		if alice["bootcampId"] != schema.DemoFullStackID || alice["bootcamp"].(map[string]any)["name"] != "Full Stack Web Development" ||
			alice["enrollmentDate"] != alice["enrolledAt"] || alice["completionDate"] != nil || alice["progress"] != 0.0 {
			t.Errorf("aliases = %v", alice)
		}
		if alice["student"].(map[string]any)["fullName"] != "Alice Student" || alice["batch"].(map[string]any)["bootcamp"] == nil ||
			len(alice["payments"].([]any)) != 1 || alice["payments"].([]any)[0].(map[string]any)["amount"] != 1999.0 {
			t.Errorf("relations = %v", alice)
		}

		// A STUDENT sees only their own, whatever they ask for.
		r = e.call("GET", "/api/v1/enrollments", e.student(), nil)
		if len(r.list()) != 1 || r.list()[0].(map[string]any)["studentId"] != schema.DemoStudent1ID {
			t.Errorf("student list = %s", r.raw)
		}
		want(t, e.call("GET", "/api/v1/enrollments?studentId="+schema.DemoStudent2ID, e.student(), nil), 403, "")
		want(t, e.call("GET", "/api/v1/enrollments/student/"+schema.DemoStudent2ID, e.student(), nil), 403, "")
		want(t, e.call("GET", "/api/v1/enrollments/student/"+schema.DemoStudent1ID, e.student(), nil), 200, "Student enrollments retrieved successfully")
		want(t, e.call("GET", "/api/v1/enrollments/"+schema.DemoEnrollment2ID, e.student(), nil), 404, "Enrollment not found") // IDOR fixed
		want(t, e.call("GET", "/api/v1/enrollments/"+schema.DemoEnrollment1ID, e.student(), nil), 200, "Enrollment retrieved successfully")

		r = e.call("GET", "/api/v1/enrollments/bootcamp/"+schema.DemoFullStackID, e.instructor(), nil)
		want(t, r, 200, "Bootcamp enrollments retrieved successfully")
		if len(r.list()) != 2 {
			t.Errorf("by bootcamp = %d", len(r.list()))
		}
		want(t, e.call("GET", "/api/v1/enrollments/bootcamp/00000000-0000-4000-8000-000000000000", e.instructor(), nil), 404, "Bootcamp not found")
		r = e.call("GET", "/api/v1/enrollments?status=ACTIVE&bootcampId="+schema.DemoDataScienceID, e.sales(), nil)
		if len(r.list()) != 0 {
			t.Errorf("filtered = %s", r.raw)
		}
		want(t, e.call("GET", "/api/v1/enrollments?status=NOPE", e.sales(), nil), 400, "Validation failed")
	})
}

func TestEnrollmentCreateUpdateDelete(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		reg := e.call("POST", "/api/v1/auth/register", "", map[string]any{"email": "carol@example.com", "password": "longenough", "fullName": "Carol"})
		carol := str(reg.data()["user"].(map[string]any)["id"])

		// Frontend body: bootcampId -> the bootcamp's current batch.
		r := e.call("POST", "/api/v1/enrollments", e.sales(), map[string]any{"studentId": carol, "bootcampId": schema.DemoFullStackID, "paymentStatus": "PAID"})
		want(t, r, 201, "Enrollment created successfully")
		id := str(r.data()["id"])
		if r.data()["batchId"] != schema.DemoBatchID || r.data()["status"] != "PENDING" || r.data()["paymentStatus"] != "PENDING" {
			t.Errorf("created = %v", r.data())
		}
		want(t, e.call("POST", "/api/v1/enrollments", e.sales(), map[string]any{"student_id": carol, "batchId": schema.DemoBatchID}),
			409, "Student is already enrolled in this batch")
		// No open batch: the Data Science bootcamp has none.
		want(t, e.call("POST", "/api/v1/enrollments", e.sales(), map[string]any{"studentId": carol, "bootcamp_id": schema.DemoDataScienceID}),
			400, "Bootcamp has no upcoming or ongoing batch to enroll in")
		want(t, e.call("POST", "/api/v1/enrollments", e.sales(), map[string]any{"studentId": schema.DemoSalesID, "batchId": schema.DemoBatchID}), 400, "Validation failed")
		want(t, e.call("DELETE", "/api/v1/bootcamps/"+schema.DemoDataScienceID, e.admin(), nil), 200, "")
		want(t, e.call("POST", "/api/v1/enrollments", e.sales(), map[string]any{"studentId": carol, "bootcampId": schema.DemoDataScienceID}), 400, "Bootcamp is not active")
		want(t, e.call("POST", "/api/v1/enrollments", e.sales(), map[string]any{"studentId": carol}), 400, "Validation failed")
		want(t, e.call("POST", "/api/v1/enrollments", e.sales(), map[string]any{"studentId": "00000000-0000-4000-8000-000000000000", "batchId": schema.DemoBatchID}), 404, "Student not found")
		want(t, e.call("POST", "/api/v1/enrollments", e.sales(), map[string]any{"studentId": carol, "batchId": "00000000-0000-4000-8000-000000000000"}), 404, "Batch not found")

		r = e.call("PUT", "/api/v1/enrollments/"+id, e.sales(), map[string]any{"status": "ACTIVE", "progress": 99})
		want(t, r, 200, "Enrollment updated successfully")
		if r.data()["status"] != "ACTIVE" || r.data()["progress"] != 0.0 {
			t.Errorf("updated = %v", r.data())
		}
		r = e.call("PUT", "/api/v1/enrollments/"+id+"/status", e.admin(), map[string]any{"status": "COMPLETED"})
		want(t, r, 200, "Enrollment status updated successfully")
		if r.data()["completedAt"] != "2026-01-15T10:00:00.000Z" || r.data()["completionDate"] != r.data()["completedAt"] || r.data()["progress"] != 100.0 {
			t.Errorf("completed = %v", r.data())
		}
		want(t, e.call("PUT", "/api/v1/enrollments/"+id, e.sales(), map[string]any{"status": "DONE"}), 400, "Validation failed")
		want(t, e.call("PUT", "/api/v1/enrollments/00000000-0000-4000-8000-000000000000", e.sales(), map[string]any{"status": "ACTIVE"}), 404, "Enrollment not found")

		r = e.call("DELETE", "/api/v1/enrollments/"+id, e.admin(), nil)
		want(t, r, 200, "Enrollment deleted successfully")
		if v, has := r.body["data"]; !has || v != nil {
			t.Errorf(`want "data": null, got %s`, r.raw)
		}
		want(t, e.call("DELETE", "/api/v1/enrollments/"+id, e.admin(), nil), 404, "Enrollment not found")
		// Payments cascade with the enrollment.
		want(t, e.call("DELETE", "/api/v1/enrollments/"+schema.DemoEnrollment1ID, e.admin(), nil), 200, "")
	})
}
