package api_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/schema"
)

func TestBootcampListHasLegacyAndFrontendFields(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		r := e.call("GET", "/api/v1/bootcamps", e.student(), nil)
		want(t, r, 200, "Bootcamps retrieved successfully")
		if len(r.list()) != 2 || r.body["pagination"] == nil {
			t.Fatalf("list = %s", r.raw)
		}
		var fs map[string]any
		for _, b := range r.list() {
			if b.(map[string]any)["id"] == schema.DemoFullStackID {
				fs = b.(map[string]any)
			}
		}
		if fs["title"] != "Full Stack Web Development" || fs["name"] != fs["title"] || fs["price"] != 1999.0 || fs["mode"] != "HYBRID" ||
			fs["startDate"] != "2026-02-01T00:00:00.000Z" || fs["endDate"] != "2026-05-31T00:00:00.000Z" || fs["capacity"] != 30.0 ||
			fs["status"] != "PUBLISHED" || fs["duration"] != 16.0 {
			t.Errorf("bootcamp = %v", fs)
		}
		if c := fs["_count"].(map[string]any); c["batches"] != 1.0 || c["modules"] != 1.0 {
			t.Errorf("_count = %v", c)
		}
		if fs["createdByUser"].(map[string]any)["fullName"] != "System Admin" {
			t.Errorf("createdByUser = %v", fs["createdByUser"])
		}

		r = e.call("GET", "/api/v1/bootcamps/"+schema.DemoFullStackID, e.student(), nil)
		want(t, r, 200, "Bootcamp retrieved successfully")
		d := r.data()
		batches, modules := d["batches"].([]any), d["modules"].([]any)
		if len(batches) != 1 || batches[0].(map[string]any)["_count"].(map[string]any)["enrollments"] != 2.0 {
			t.Errorf("batches = %v", batches)
		}
		if len(modules) != 1 || len(modules[0].(map[string]any)["lessons"].([]any)) != 1 {
			t.Errorf("modules = %v", modules)
		}
		want(t, e.call("GET", "/api/v1/bootcamps/00000000-0000-4000-8000-000000000000", e.student(), nil), 404, "Bootcamp not found")
		want(t, e.call("GET", "/api/v1/bootcamps/anything", e.student(), nil), 404, "Bootcamp not found")
	})
}

func TestBootcampCreateUpdateDelete(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		// Frontend body: name, dates, capacity -> a bootcamp and its first batch.
		r := e.call("POST", "/api/v1/bootcamps", e.admin(), map[string]any{"name": "Cloud Bootcamp", "description": "AWS and friends",
			"startDate": "2026-03-02", "endDate": "2026-04-27", "price": 1499.5, "capacity": 25})
		want(t, r, 201, "Bootcamp created successfully")
		d := r.data()
		id := str(d["id"])
		if d["title"] != "Cloud Bootcamp" || d["name"] != "Cloud Bootcamp" || d["price"] != 1499.5 || d["mode"] != "HYBRID" || d["duration"] != 8.0 ||
			d["startDate"] != "2026-03-02T00:00:00.000Z" || d["capacity"] != 25.0 || d["status"] != "PUBLISHED" || d["createdBy"] != schema.DemoAdminID {
			t.Errorf("created = %v", d)
		}
		b := e.call("GET", "/api/v1/bootcamps/batches?bootcampId="+id, e.admin(), nil)
		if len(b.list()) != 1 || b.list()[0].(map[string]any)["batchName"] != "Cloud Bootcamp - Mar 2026" || b.list()[0].(map[string]any)["status"] != "UPCOMING" {
			t.Errorf("first batch = %s", b.raw)
		}

		// Legacy body: no batch, DRAFT until one exists. Its dates are its own (created, plus the
		// duration), never null: the frontend card would show 1/1/1970 and 0 weeks.
		r = e.call("POST", "/api/v1/bootcamps", e.admin(), map[string]any{"title": "Legacy", "description": "d", "mode": "LIVE", "price": "10.25", "duration": 4})
		want(t, r, 201, "")
		if d := r.data(); d["status"] != "DRAFT" || d["price"] != 10.25 || d["startDate"] != d["createdAt"] || d["_count"].(map[string]any)["batches"] != 0.0 {
			t.Errorf("legacy create = %v", d)
		}
		if weeks := frontendWeeks(t, r.data()); weeks != 4 {
			t.Errorf("the card's duration of a 4-week bootcamp without batches: %v weeks", weeks)
		}
		legacyID, _ := r.data()["id"].(string)
		r = e.call("POST", "/api/v1/bootcamps", e.admin(), map[string]any{"title": "No duration", "description": "d", "mode": "LIVE", "price": 1})
		want(t, r, 201, "")
		if weeks := frontendWeeks(t, r.data()); r.data()["startDate"] != r.data()["createdAt"] || weeks != 0 {
			t.Errorf("a bootcamp without batches or duration: %v, %v weeks", r.data(), weeks)
		}
		// The list (the page the card is on) and the detail serve the same dates.
		for _, b := range e.call("GET", "/api/v1/bootcamps?limit=100", e.admin(), nil).list() {
			if m := b.(map[string]any); m["id"] == legacyID && (m["startDate"] != m["createdAt"] || frontendWeeks(t, m) != 4) {
				t.Errorf("listed = %v", m)
			}
		}
		if d := e.call("GET", "/api/v1/bootcamps/"+legacyID, e.admin(), nil).data(); d["startDate"] != d["createdAt"] || frontendWeeks(t, d) != 4 {
			t.Errorf("detail = %v", d)
		}

		r = e.call("PUT", "/api/v1/bootcamps/"+id, e.admin(), map[string]any{"name": "Cloud 2", "price": 100, "createdBy": schema.DemoSalesID, "duration": nil})
		want(t, r, 200, "Bootcamp updated successfully")
		if r.data()["title"] != "Cloud 2" || r.data()["price"] != 100.0 || r.data()["createdBy"] != schema.DemoAdminID || r.data()["duration"] != nil {
			t.Errorf("updated = %v", r.data())
		}

		// Soft delete: gone from the list, still readable, status CANCELLED.
		want(t, e.call("DELETE", "/api/v1/bootcamps/"+id, e.admin(), nil), 200, "Bootcamp deleted successfully")
		for _, x := range e.call("GET", "/api/v1/bootcamps?limit=100", e.admin(), nil).list() {
			if x.(map[string]any)["id"] == id {
				t.Error("deleted bootcamp still listed")
			}
		}
		inactive := e.call("GET", "/api/v1/bootcamps?isActive=false", e.admin(), nil)
		if len(inactive.list()) != 1 || inactive.list()[0].(map[string]any)["status"] != "CANCELLED" {
			t.Errorf("inactive list = %s", inactive.raw)
		}
		want(t, e.call("GET", "/api/v1/bootcamps/"+id, e.admin(), nil), 200, "")
		want(t, e.call("DELETE", "/api/v1/bootcamps/00000000-0000-4000-8000-000000000000", e.admin(), nil), 404, "Bootcamp not found")
		want(t, e.call("GET", "/api/v1/bootcamps?isActive=maybe", e.admin(), nil), 400, "Validation failed")
	})
}

func TestBootcampValidation(t *testing.T) {
	e := sqliteOnly(t)
	for name, body := range map[string]map[string]any{
		"no title":            {"description": "d", "price": 1},
		"no description":      {"title": "t", "price": 1},
		"negative price":      {"title": "t", "description": "d", "price": -1},
		"three decimals":      {"title": "t", "description": "d", "price": 1.234},
		"too expensive":       {"title": "t", "description": "d", "price": 1e9},
		"price as text":       {"title": "t", "description": "d", "price": "cheap"},
		"bad mode":            {"title": "t", "description": "d", "price": 1, "mode": "ASYNC"},
		"end before start":    {"name": "t", "description": "d", "price": 1, "startDate": "2026-05-01", "endDate": "2026-04-01", "capacity": 3},
		"capacity missing":    {"name": "t", "description": "d", "price": 1, "startDate": "2026-05-01", "endDate": "2026-06-01"},
		"fractional capacity": {"name": "t", "description": "d", "price": 1, "startDate": "2026-05-01", "endDate": "2026-06-01", "capacity": 2.5},
		"bad date":            {"name": "t", "description": "d", "price": 1, "startDate": "May 1st", "endDate": "2026-06-01", "capacity": 3},
	} {
		t.Run(name, func(t *testing.T) {
			want(t, e.call("POST", "/api/v1/bootcamps", e.admin(), body), 400, "Validation failed")
		})
	}
}

func TestBatchesAndStaff(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		r := e.call("POST", "/api/v1/bootcamps/"+schema.DemoDataScienceID+"/batches", e.admin(), map[string]any{"batchName": "DS-1",
			"startDate": "2026-02-10T00:00:00Z", "endDate": "2026-06-10T00:00:00Z", "capacity": 20})
		want(t, r, 201, "Batch created successfully")
		batchID := str(r.data()["id"])
		if r.data()["bootcamp"].(map[string]any)["id"] != schema.DemoDataScienceID || r.data()["status"] != "UPCOMING" {
			t.Errorf("batch = %v", r.data())
		}
		want(t, e.call("POST", "/api/v1/bootcamps/00000000-0000-4000-8000-000000000000/batches", e.admin(), map[string]any{"batchName": "x",
			"startDate": "2026-02-10", "endDate": "2026-06-10", "capacity": 20}), 404, "Bootcamp not found")

		r = e.call("GET", "/api/v1/bootcamps/batches", e.mentor(), nil)
		want(t, r, 200, "Batches retrieved successfully")
		if len(r.list()) != 2 || r.list()[0].(map[string]any)["id"] != batchID { // start_date DESC: DS-1 starts later
			t.Errorf("batches = %s", r.raw)
		}
		c := r.list()[1].(map[string]any)["_count"].(map[string]any)
		if c["enrollments"] != 2.0 || c["instructors"] != 1.0 || c["mentors"] != 1.0 {
			t.Errorf("_count = %v", c)
		}

		r = e.call("POST", "/api/v1/bootcamps/batches/"+batchID+"/instructors", e.admin(), map[string]any{"instructorId": schema.DemoInstructorID})
		want(t, r, 201, "Instructor assigned successfully")
		if r.data()["instructor"].(map[string]any)["fullName"] != "John Instructor" {
			t.Errorf("staff = %v", r.data())
		}
		want(t, e.call("POST", "/api/v1/bootcamps/batches/"+batchID+"/instructors", e.admin(), map[string]any{"instructorId": schema.DemoInstructorID}),
			409, "Instructor is already assigned to this batch")
		want(t, e.call("POST", "/api/v1/bootcamps/batches/"+batchID+"/instructors", e.admin(), map[string]any{"instructorId": schema.DemoMentorID}),
			400, "Validation failed")
		want(t, e.call("POST", "/api/v1/bootcamps/batches/"+batchID+"/mentors", e.admin(), map[string]any{"mentorId": schema.DemoMentorID}), 201, "Mentor assigned successfully")
		want(t, e.call("POST", "/api/v1/bootcamps/batches/"+batchID+"/mentors", e.admin(), map[string]any{"mentorId": "00000000-0000-4000-8000-000000000000"}), 404, "User not found")
		want(t, e.call("POST", "/api/v1/bootcamps/batches/00000000-0000-4000-8000-000000000000/mentors", e.admin(), map[string]any{"mentorId": schema.DemoMentorID}), 404, "Batch not found")

		r = e.call("GET", "/api/v1/bootcamps/batches/"+schema.DemoBatchID, e.student(), nil)
		want(t, r, 200, "Batch retrieved successfully")
		d := r.data()
		if len(d["instructors"].([]any)) != 1 || len(d["mentors"].([]any)) != 1 || len(d["enrollments"].([]any)) != 2 || d["bootcamp"] == nil {
			t.Errorf("batch detail = %s", r.raw)
		}
		want(t, e.call("GET", "/api/v1/bootcamps/batches/nope", e.student(), nil), 404, "Batch not found")
	})
}

func (e *env) mentor() string { return e.tokens[cohortly.RoleMentor] }

// frontendWeeks is the card's "Duration: N weeks": Math.ceil((endDate - startDate) / 1 week).
func frontendWeeks(t *testing.T, bootcamp map[string]any) float64 {
	t.Helper()
	start, err1 := time.Parse(time.RFC3339, fmt.Sprint(bootcamp["startDate"]))
	end, err2 := time.Parse(time.RFC3339, fmt.Sprint(bootcamp["endDate"]))
	if err1 != nil || err2 != nil {
		t.Fatalf("startDate %v, endDate %v: not dates", bootcamp["startDate"], bootcamp["endDate"])
	}
	return math.Ceil(end.Sub(start).Hours() / (24 * 7))
}
