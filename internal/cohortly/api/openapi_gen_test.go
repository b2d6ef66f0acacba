package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

var updateSpec = flag.Bool("update", false, "rewrite openapi.json from the generator")

// TestOpenAPIDocumentIsGenerated keeps the embedded openapi.json equal to what this generator builds
// (run `go test ./internal/cohortly/api -run TestOpenAPIDocumentIsGenerated -update` after changing it),
// and checks that it documents exactly the routes routes.go serves.
func TestOpenAPIDocumentIsGenerated(t *testing.T) {
	doc := buildSpec()
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *updateSpec {
		if err := os.WriteFile("openapi.json", b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(b, OpenAPI()) {
		t.Fatal("openapi.json is stale: run go test ./internal/cohortly/api -run TestOpenAPIDocumentIsGenerated -update")
	}
	paths := doc["paths"].(obj)
	documented := map[string]bool{}
	for p, item := range paths {
		for m := range item.(obj) {
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	for _, r := range New(Config{}).Routes() {
		key := r.Method + " " + r.Path
		if !documented[key] {
			t.Errorf("route %s is not documented", key)
		}
		delete(documented, key)
	}
	for k := range documented {
		if !strings.Contains(k, "openapi.json") && k != "GET /healthz" && k != "GET /readyz" && k != "GET /metrics" {
			t.Errorf("documented operation %s has no route", k)
		}
	}
}

type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func str() obj           { return obj{"type": "string"} }
func nstr() obj          { return obj{"type": "string", "nullable": true} }
func integer() obj       { return obj{"type": "integer"} }
func nint() obj          { return obj{"type": "integer", "nullable": true} }
func boolean() obj       { return obj{"type": "boolean"} }
func number() obj        { return obj{"type": "number"} }
func ts() obj            { return obj{"type": "string", "format": "date-time"} }
func nts() obj           { return obj{"type": "string", "format": "date-time", "nullable": true} }
func arr(items obj) obj  { return obj{"type": "array", "items": items} }
func nullable(s obj) obj { return obj{"allOf": []any{s}, "nullable": true} }
func enum[T ~string](vals []T) obj {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return obj{"type": "string", "enum": out}
}

// object builds an object schema; every property is required unless its name ends with "?".
func object(props ...any) obj {
	p := obj{}
	var req []any
	for i := 0; i < len(props); i += 2 {
		name := props[i].(string)
		if n, ok := strings.CutSuffix(name, "?"); ok {
			name = n
		} else {
			req = append(req, name)
		}
		p[name] = props[i+1]
	}
	o := obj{"type": "object", "properties": p}
	if len(req) > 0 {
		o["required"] = req
	}
	return o
}

// allOf extends a named schema with more properties.
func extend(base string, props ...any) obj {
	return obj{"allOf": []any{ref(base), object(props...)}}
}

func schemas() obj {
	s := obj{}
	s["Error"] = object("success", obj{"type": "boolean", "enum": []any{false}}, "message", str(),
		"errors?", arr(ref("FieldError")))
	s["FieldError"] = object("type", obj{"type": "string", "enum": []any{"field"}}, "value?", obj{"nullable": true},
		"msg", str(), "path", str(), "location", obj{"type": "string", "enum": []any{"body", "query"}})
	s["Pagination"] = object("page", integer(), "limit", integer(), "total", integer(), "totalPages", integer())
	s["Message"] = object("success", obj{"type": "boolean", "enum": []any{true}}, "message", str())
	s["Root"] = object("success", boolean(), "message", str(), "version", str(), "docs", str(), "apiDocs", str())
	s["Health"] = object("success", boolean(), "message", str(), "timestamp", ts(), "status", obj{"type": "string", "enum": []any{"healthy", "unhealthy"}},
		"version", str(), "database", obj{"type": "string", "enum": []any{"ok", "unreachable"}})

	s["UserRef"] = object("id", str(), "fullName", str(), "email", str())
	s["SessionUser"] = object("id", str(), "email", str(), "fullName", str(), "role", enum(cohortly.Roles), "phone", nstr(), "isActive", boolean())
	s["Session"] = object("user", ref("SessionUser"), "accessToken", str(), "refreshToken", str())
	// refreshToken is absent with REFRESH_TOKEN_ROTATION=off (the legacy answer).
	s["Tokens"] = object("accessToken", str(), "refreshToken?", str())
	s["Me"] = object("id", str(), "email", str(), "role", enum(cohortly.Roles), "iat", integer(), "exp", integer(),
		"fullName", str(), "phone", nstr(), "isActive", boolean(), "createdAt", ts(), "updatedAt", ts())
	s["User"] = object("id", str(), "email", str(), "role", enum(cohortly.Roles), "fullName", str(), "phone", nstr(),
		"isActive", boolean(), "createdAt", ts(), "updatedAt", ts())

	leadScalars := []any{"id", str(), "fullName", str(), "email", str(), "phone", nstr(), "source", enum(cohortly.LeadSources),
		"status", enum(cohortly.LeadStatuses), "assignedTo", nstr(), "createdBy", str(), "createdAt", ts(), "updatedAt", ts()}
	s["LeadScalars"] = object(leadScalars...)
	s["Lead"] = object(append(leadScalars, "assignedToUser", nullable(ref("UserRef")), "createdByUser", ref("UserRef"))...)
	s["LeadLog"] = object("id", str(), "leadId", str(), "note", str(), "nextFollowUp", nts(), "createdBy", str(), "createdAt", ts(),
		"createdByUser", ref("UserRef"))
	s["LeadDetail"] = extend("Lead", "logs", arr(ref("LeadLog")))
	s["FollowUp"] = extend("LeadLog", "lead", ref("LeadScalars"))

	bootcampScalars := []any{"id", str(), "title", str(), "description", str(), "mode", enum(cohortly.BootcampModes),
		"price", obj{"type": "number", "description": "DECIMAL(10,2) as a JSON number"}, "duration", nint(), "isActive", boolean(),
		"createdBy", str(), "createdAt", ts(), "updatedAt", ts()}
	s["BootcampScalars"] = object(append(bootcampScalars, "name", str())...)
	s["Bootcamp"] = object(append(bootcampScalars,
		"createdByUser", ref("UserRef"), "_count", object("batches", integer(), "modules", integer()),
		"name", obj{"type": "string", "description": "alias of title (frontend)"},
		"startDate", obj{"type": "string", "format": "date-time", "description": "earliest batch start; without batches, createdAt (the frontend shows it as a date)"},
		"endDate", obj{"type": "string", "format": "date-time", "description": "latest batch end; without batches, startDate plus duration weeks (0 without a duration)"},
		"capacity", obj{"type": "integer", "description": "sum of the batches' capacities"},
		"status", obj{"type": "string", "enum": []any{"DRAFT", "PUBLISHED", "ONGOING", "COMPLETED", "CANCELLED"}, "description": "derived from isActive and the batches"})...)
	batchScalars := []any{"id", str(), "bootcampId", str(), "batchName", str(), "startDate", ts(), "endDate", ts(), "capacity", integer(),
		"status", enum(cohortly.BatchStatuses), "createdAt", ts(), "updatedAt", ts()}
	s["BatchScalars"] = object(batchScalars...)
	s["Lesson"] = object("id", str(), "moduleId", str(), "title", str(), "description", nstr(), "contentType", enum(cohortly.ContentTypes),
		"contentUrl", nstr(), "duration", nint(), "orderIndex", integer(), "createdAt", ts(), "updatedAt", ts())
	moduleScalars := []any{"id", str(), "bootcampId", str(), "title", str(), "description", nstr(), "orderIndex", integer(), "createdAt", ts(), "updatedAt", ts()}
	s["Module"] = object(moduleScalars...)
	s["BootcampDetail"] = extend("Bootcamp",
		"batches", arr(extend("BatchScalars", "_count", object("enrollments", integer()))),
		"modules", arr(extend("Module", "lessons", arr(ref("Lesson")))))
	s["Batch"] = extend("BatchScalars", "bootcamp", ref("BootcampScalars"),
		"_count?", object("enrollments", integer(), "instructors", integer(), "mentors", integer()))
	s["Staff"] = object("id", str(), "batchId", str(), "instructorId?", str(), "mentorId?", str(), "assignedAt", ts(),
		"instructor?", ref("UserRef"), "mentor?", ref("UserRef"))
	enrollmentScalars := []any{"id", str(), "studentId", str(), "batchId", str(), "status", enum(cohortly.EnrollmentStatuses),
		"enrolledAt", ts(), "completedAt", nts(), "createdAt", ts(), "updatedAt", ts()}
	s["Student"] = object("id", str(), "fullName", str(), "email", str(), "phone", nstr())
	s["BatchDetail"] = extend("BatchScalars", "bootcamp", ref("BootcampScalars"), "instructors", arr(ref("Staff")), "mentors", arr(ref("Staff")),
		"enrollments", arr(object(append(append([]any{}, enrollmentScalars...), "student", ref("Student"))...)))
	s["Payment"] = object("id", str(), "enrollmentId", str(), "amount", number(), "method", enum(cohortly.PaymentMethods),
		"status", enum(cohortly.PaymentStatuses), "transactionId", nstr(), "paidAt", nts(), "createdAt", ts(), "updatedAt", ts())
	s["Enrollment"] = object(append(append([]any{}, enrollmentScalars...),
		"student", ref("Student"), "batch", extend("BatchScalars", "bootcamp", ref("BootcampScalars")),
		"payments", arr(ref("Payment")), "bootcampId", str(), "bootcamp", ref("BootcampScalars"),
		"enrollmentDate", ts(), "completionDate", nts(),
		"paymentStatus", obj{"type": "string", "enum": []any{"PENDING", "PARTIAL", "PAID", "REFUNDED"}, "description": "derived from payments"},
		"progress", obj{"type": "integer", "minimum": 0, "maximum": 100, "description": "percent of the bootcamp's assignments graded"})...)

	s["Assignment"] = object("id", str(), "lessonId", str(), "title", str(), "description", str(), "maxScore", integer(), "deadline", nts(),
		"createdAt", ts(), "updatedAt", ts(),
		"lesson?", extend("Lesson", "module", extend("Module", "bootcamp", ref("BootcampScalars"))),
		"_count?", object("submissions", integer()),
		"bootcampId", str(), "bootcamp", object("id", str(), "name", str(), "title", str()),
		"dueDate", nts(), "maxPoints", integer(), "status", obj{"type": "string", "enum": []any{"PUBLISHED", "CLOSED"}})
	s["Grade"] = object("id", str(), "submissionId", str(), "score", integer(), "feedback", nstr(), "gradedBy", str(), "gradedAt", ts(),
		"gradedByUser", ref("UserRef"))
	s["Submission"] = object("id", str(), "assignmentId", str(), "studentId", str(), "submissionUrl", nstr(), "content", nstr(),
		"status", enum(cohortly.SubmissionStatuses), "submittedAt", nts(), "createdAt", ts(), "updatedAt", ts(),
		"assignment", ref("Assignment"), "student", ref("UserRef"), "grade", nullable(ref("Grade")))
	s["AssignmentDetail"] = extend("Assignment", "submissions", arr(ref("Submission")))

	s["StudentDB"] = object("credentials", object("host", str(), "database", str(), "username", str(), "port", integer(), "sslmode", str(), "connectionString", str()),
		"pgpassContent", str(), "setupInstructions", str())
	s["StudentDBSetup"] = object("instructions", str(), "quickStart", object("windows", str(), "linux", str(), "manual", str()))
	s["StudentDBTest"] = object("connected", boolean(), "timestamp", ts(), "user", ref("UserRef"))
	return s
}

// envelope schemas
func okData(data obj) obj {
	return object("success", obj{"type": "boolean", "enum": []any{true}}, "message", str(), "data", data)
}

func okPaged(item obj) obj {
	return object("success", obj{"type": "boolean", "enum": []any{true}}, "message", str(), "data", arr(item), "pagination", ref("Pagination"))
}

var statusText = map[int]string{
	200: "OK", 201: "Created", 400: "Validation failed (errors array) or a bad request",
	401: "Missing, invalid or expired token; inactive account; bad credentials",
	403: "Access denied: insufficient permissions", 404: "Not found", 409: "Duplicate",
	413: "Request body larger than 100 kB", 429: "Too many requests (Retry-After)", 500: "Internal server error",
	503: "Service temporarily unavailable: the database is out of reach (Retry-After), or the feature is not configured",
	507: "Insufficient storage: the database refused the write for lack of space; nothing was saved",
}

func jsonResponse(desc string, schema obj) obj {
	return obj{"description": desc, "content": obj{"application/json": obj{"schema": schema}}}
}

type op struct {
	summary string
	tag     string
	roles   string
	status  int
	schema  obj
	errs    []int
	body    obj // request body schema, nil for none
	params  []obj
	public  bool
}

// build renders the operation for method m. Every operation reads the database, so each may answer
// 503 while it is out of reach; writes may also answer 507 on a full disk.
func (o op) build(m string) obj {
	resp := obj{}
	resp[itoa(o.status)] = jsonResponse(statusText[o.status], o.schema)
	errs := append([]int{}, o.errs...)
	if !o.public {
		errs = append(errs, 401, 403)
	}
	errs = append(errs, 500)
	if !contains(errs, 503) {
		errs = append(errs, 503)
	}
	if m != "get" {
		errs = append(errs, 507)
	}
	for _, c := range errs {
		resp[itoa(c)] = jsonResponse(statusText[c], ref("Error"))
	}
	if o.status == 429 || contains(errs, 429) {
		r := resp["429"].(obj)
		r["headers"] = obj{"Retry-After": obj{"description": "seconds to wait", "schema": integer()}}
	}
	resp["503"].(obj)["headers"] = obj{"Retry-After": obj{"description": "seconds to wait (database out of reach)", "schema": integer()}}
	desc := o.summary
	if o.roles != "" {
		desc += "\n\nRoles: " + o.roles + "."
	}
	out := obj{"summary": o.summary, "description": desc, "tags": []any{o.tag}, "responses": resp}
	if !o.public {
		out["security"] = []any{obj{"bearerAuth": []any{}}}
	}
	if o.body != nil {
		out["requestBody"] = obj{"required": false, "content": obj{
			"application/json":                  obj{"schema": o.body},
			"application/x-www-form-urlencoded": obj{"schema": o.body},
		}}
	}
	if len(o.params) > 0 {
		ps := make([]any, len(o.params))
		for i, p := range o.params {
			ps[i] = p
		}
		out["parameters"] = ps
	}
	return out
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func pathParam(name string) obj {
	return obj{"name": name, "in": "path", "required": true, "schema": str()}
}

func queryParam(name, desc string, schema obj) obj {
	return obj{"name": name, "in": "query", "required": false, "description": desc, "schema": schema}
}

func pageParams(extra ...obj) []obj {
	return append([]obj{
		queryParam("page", "1-based page (default 1)", integer()),
		queryParam("limit", "page size (default 20, at most 100)", integer()),
		queryParam("page_size", "alias of limit", integer()),
	}, extra...)
}

func props(kv ...any) obj { return object(kv...) }

func buildSpec() obj {
	optional := func(kv ...any) obj {
		for i := 0; i < len(kv); i += 2 {
			kv[i] = kv[i].(string) + "?"
		}
		return props(kv...)
	}
	id := []obj{pathParam("id")}
	staff := "ADMIN, SALES, INSTRUCTOR"
	anyone := "any authenticated user"
	leadBody := optional("fullName", str(), "full_name", str(), "email", str(), "phone", nstr(),
		"source", obj{"type": "string", "description": "WEBSITE, REFERRAL, SOCIAL_MEDIA, ADVERTISEMENT, DIRECT, OTHER; EMAIL and PHONE are stored as OTHER"},
		"status", enum(cohortly.LeadStatuses), "assignedTo", nstr(), "assigned_to_id", nstr(), "notes", str())
	bootcampBody := optional("title", str(), "name", str(), "description", str(), "mode", enum(cohortly.BootcampModes), "price", number(),
		"duration", nint(), "isActive", boolean(), "startDate", str(), "endDate", str(), "capacity", integer(), "batchName", str())
	enrollmentBody := optional("studentId", str(), "student_id", str(), "batchId", str(), "bootcampId", str(), "bootcamp_id", str(),
		"status", enum(cohortly.EnrollmentStatuses))
	assignmentBody := optional("lessonId", str(), "bootcampId", str(), "bootcamp_id", str(), "title", str(), "description", str(),
		"maxScore", integer(), "maxPoints", integer(), "deadline", nstr(), "dueDate", nstr(), "due_date", nstr())

	ops := map[string]map[string]op{
		"/": {"get": {summary: "API banner", tag: "Meta", status: 200, schema: ref("Root"), public: true}},
		"/api/v1/health": {"get": {summary: "Health, with a database check", tag: "Meta", status: 200, schema: ref("Health"), public: true,
			errs: []int{503}}},
		"/health": {"get": {summary: "Health (alias)", tag: "Meta", status: 200, schema: ref("Health"), public: true, errs: []int{503}}},

		"/api/v1/auth/register": {"post": {summary: "Register (public: always a STUDENT; with an ADMIN token: any role)", tag: "Auth", status: 201,
			schema: okData(ref("Session")), public: true, errs: []int{400, 401, 403, 413, 429},
			body: optional("email", str(), "password", str(), "fullName", str(), "full_name", str(), "phone", nstr(), "role", enum(cohortly.Roles))}},
		"/api/v1/auth/login": {"post": {summary: "Log in", tag: "Auth", status: 200, schema: okData(ref("Session")), public: true,
			errs: []int{400, 401, 413, 429}, body: optional("email", str(), "password", str())}},
		"/api/v1/auth/refresh": {"post": {summary: "Exchange a refresh token (rotated: the old one stops working, reuse revokes the family; with REFRESH_TOKEN_ROTATION=off only an access token is returned and the refresh token stays valid)", tag: "Auth",
			status: 200, schema: okData(ref("Tokens")), public: true, errs: []int{400, 401, 413, 429},
			body: optional("refreshToken", str(), "refresh_token", str())}},
		"/api/v1/auth/logout": {"post": {summary: "Log out the given refresh token's session (all sessions without one)", tag: "Auth", roles: anyone,
			status: 200, schema: ref("Message"), errs: []int{400, 413}, body: optional("refreshToken", str(), "refresh_token", str())}},
		"/api/v1/auth/logout-all": {"post": {summary: "Log out everywhere", tag: "Auth", roles: anyone, status: 200, schema: ref("Message")}},
		"/api/v1/auth/me": {
			"get": {summary: "The caller, from the database", tag: "Auth", roles: anyone, status: 200, schema: okData(ref("Me"))},
			"put": {summary: "Update the caller's name, phone or password (needs currentPassword)", tag: "Auth", roles: anyone, status: 200,
				schema: okData(ref("User")), errs: []int{400, 413}, body: optional("fullName", str(), "phone", nstr(), "password", str(), "currentPassword", str())},
		},

		"/api/v1/leads": {
			"get": {summary: "List leads, newest first", tag: "Leads", roles: "ADMIN, SALES", status: 200, schema: okPaged(ref("Lead")), errs: []int{400},
				params: pageParams(queryParam("status", "", enum(cohortly.LeadStatuses)), queryParam("source", "", enum(cohortly.LeadSources)),
					queryParam("assignedTo", "", str()), queryParam("search", "substring of name, email or phone", str()))},
			"post": {summary: "Create a lead", tag: "Leads", roles: "ADMIN, SALES", status: 201, schema: okData(ref("Lead")), errs: []int{400, 413}, body: leadBody},
		},
		"/api/v1/leads/follow-ups": {"get": {summary: "The caller's follow-ups due within 7 days", tag: "Leads", roles: "ADMIN, SALES", status: 200,
			schema: okData(arr(ref("FollowUp")))}},
		"/api/v1/leads/{id}": {
			"get":    {summary: "A lead with its logs", tag: "Leads", roles: "ADMIN, SALES", status: 200, schema: okData(ref("LeadDetail")), errs: []int{404}, params: id},
			"put":    {summary: "Update a lead (whitelisted fields)", tag: "Leads", roles: "ADMIN, SALES", status: 200, schema: okData(ref("Lead")), errs: []int{400, 404, 413}, params: id, body: leadBody},
			"delete": {summary: "Delete a lead", tag: "Leads", roles: "ADMIN, SALES", status: 200, schema: ref("Message"), errs: []int{404}, params: id},
		},
		"/api/v1/leads/{id}/logs": {"post": {summary: "Add a contact note", tag: "Leads", roles: "ADMIN, SALES", status: 201, schema: okData(ref("LeadLog")),
			errs: []int{400, 404, 413}, params: id, body: optional("note", str(), "nextFollowUp", nstr())}},
		"/api/v1/leads/{id}/convert": {"post": {summary: "Mark a lead ENROLLED", tag: "Leads", roles: "ADMIN, SALES", status: 200, schema: okData(ref("Lead")),
			errs: []int{404}, params: id}},

		"/api/v1/bootcamps": {
			"get": {summary: "List bootcamps (active only unless isActive=false)", tag: "Bootcamps", roles: anyone, status: 200, schema: okPaged(ref("Bootcamp")),
				errs: []int{400}, params: pageParams(queryParam("isActive", "", boolean()))},
			"post": {summary: "Create a bootcamp (legacy or frontend body; the frontend body also creates the first batch)", tag: "Bootcamps", roles: "ADMIN",
				status: 201, schema: okData(ref("Bootcamp")), errs: []int{400, 413}, body: bootcampBody},
		},
		"/api/v1/bootcamps/batches": {"get": {summary: "List batches, latest start first", tag: "Bootcamps", roles: anyone, status: 200, schema: okPaged(ref("Batch")),
			errs: []int{400}, params: pageParams(queryParam("bootcampId", "", str()), queryParam("status", "", enum(cohortly.BatchStatuses)))}},
		"/api/v1/bootcamps/batches/{batchId}": {"get": {summary: "A batch with staff and students", tag: "Bootcamps", roles: anyone, status: 200,
			schema: okData(ref("BatchDetail")), errs: []int{404}, params: []obj{pathParam("batchId")}}},
		"/api/v1/bootcamps/batches/{batchId}/instructors": {"post": {summary: "Assign an instructor", tag: "Bootcamps", roles: "ADMIN", status: 201,
			schema: okData(ref("Staff")), errs: []int{400, 404, 409, 413}, params: []obj{pathParam("batchId")}, body: optional("instructorId", str())}},
		"/api/v1/bootcamps/batches/{batchId}/mentors": {"post": {summary: "Assign a mentor", tag: "Bootcamps", roles: "ADMIN", status: 201,
			schema: okData(ref("Staff")), errs: []int{400, 404, 409, 413}, params: []obj{pathParam("batchId")}, body: optional("mentorId", str())}},
		"/api/v1/bootcamps/{id}": {
			"get": {summary: "A bootcamp with batches and curriculum", tag: "Bootcamps", roles: anyone, status: 200, schema: okData(ref("BootcampDetail")),
				errs: []int{404}, params: id},
			"put": {summary: "Update a bootcamp (whitelisted fields)", tag: "Bootcamps", roles: "ADMIN", status: 200, schema: okData(ref("Bootcamp")),
				errs: []int{400, 404, 413}, params: id, body: bootcampBody},
			"delete": {summary: "Soft-delete a bootcamp (isActive = false)", tag: "Bootcamps", roles: "ADMIN", status: 200, schema: ref("Message"),
				errs: []int{404}, params: id},
		},
		"/api/v1/bootcamps/{id}/batches": {"post": {summary: "Create a batch", tag: "Bootcamps", roles: "ADMIN", status: 201, schema: okData(ref("Batch")),
			errs: []int{400, 404, 413}, params: id,
			body: optional("batchName", str(), "startDate", str(), "endDate", str(), "capacity", integer(), "status", enum(cohortly.BatchStatuses))}},

		"/api/v1/enrollments": {
			"get": {summary: "List enrollments (a STUDENT sees only their own)", tag: "Enrollments", roles: staff + ", STUDENT", status: 200,
				schema: okPaged(ref("Enrollment")), errs: []int{400},
				params: pageParams(queryParam("studentId", "", str()), queryParam("batchId", "", str()), queryParam("bootcampId", "", str()),
					queryParam("status", "", enum(cohortly.EnrollmentStatuses)))},
			"post": {summary: "Enroll a student in a batch, or in a bootcamp's current batch", tag: "Enrollments", roles: "ADMIN, SALES", status: 201,
				schema: okData(ref("Enrollment")), errs: []int{400, 404, 409, 413}, body: enrollmentBody},
		},
		"/api/v1/enrollments/student/{studentId}": {"get": {summary: "A student's enrollments", tag: "Enrollments", roles: staff + ", the STUDENT themself",
			status: 200, schema: okPaged(ref("Enrollment")), errs: []int{400, 404}, params: append(pageParams(), pathParam("studentId"))}},
		"/api/v1/enrollments/bootcamp/{bootcampId}": {"get": {summary: "A bootcamp's enrollments", tag: "Enrollments", roles: staff, status: 200,
			schema: okPaged(ref("Enrollment")), errs: []int{400, 404}, params: append(pageParams(), pathParam("bootcampId"))}},
		"/api/v1/enrollments/{id}": {
			"get": {summary: "An enrollment (a STUDENT only their own)", tag: "Enrollments", roles: anyone, status: 200, schema: okData(ref("Enrollment")),
				errs: []int{404}, params: id},
			"put": {summary: "Update an enrollment's status (paymentStatus and progress are derived)", tag: "Enrollments", roles: "ADMIN, SALES", status: 200,
				schema: okData(ref("Enrollment")), errs: []int{400, 404, 413}, params: id, body: enrollmentBody},
			"delete": {summary: "Delete an enrollment", tag: "Enrollments", roles: "ADMIN", status: 200,
				schema: object("success", obj{"type": "boolean", "enum": []any{true}}, "message", str(), "data", obj{"nullable": true, "type": "object"}),
				errs:   []int{404}, params: id},
		},
		"/api/v1/enrollments/{id}/status": {"put": {summary: "Set an enrollment's status", tag: "Enrollments", roles: "ADMIN", status: 200,
			schema: okData(ref("Enrollment")), errs: []int{400, 404, 413}, params: id, body: optional("status", enum(cohortly.EnrollmentStatuses))}},

		"/api/v1/assignments": {
			"get": {summary: "List assignments", tag: "Assignments", roles: anyone, status: 200, schema: okPaged(ref("Assignment")),
				errs: []int{400}, params: pageParams(queryParam("lessonId", "", str()), queryParam("bootcampId", "", str()))},
			"post": {summary: "Create an assignment (lessonId, or bootcampId: the first lesson, a \"General\" one if none)", tag: "Assignments",
				roles: "ADMIN, INSTRUCTOR", status: 201, schema: okData(ref("Assignment")), errs: []int{400, 404, 413}, body: assignmentBody},
		},
		"/api/v1/assignments/submissions": {
			"get": {summary: "List submissions (a STUDENT sees only their own)", tag: "Assignments", roles: anyone, status: 200, schema: okPaged(ref("Submission")),
				errs: []int{400}, params: pageParams(queryParam("assignmentId", "", str()), queryParam("studentId", "", str()))},
			"post": {summary: "Submit an assignment", tag: "Assignments", roles: "STUDENT", status: 201, schema: okData(ref("Submission")),
				errs: []int{400, 404, 409, 413}, body: optional("assignmentId", str(), "submissionUrl", str(), "content", str())},
		},
		"/api/v1/assignments/submissions/{id}": {"get": {summary: "A submission (a STUDENT only their own)", tag: "Assignments", roles: anyone, status: 200,
			schema: okData(ref("Submission")), errs: []int{404}, params: id}},
		"/api/v1/assignments/submissions/{id}/grade": {"post": {summary: "Grade a submission", tag: "Assignments", roles: "ADMIN, INSTRUCTOR, MENTOR",
			status: 200, schema: okData(ref("Grade")), errs: []int{400, 404, 413}, params: id, body: optional("score", integer(), "feedback", nstr())}},
		"/api/v1/assignments/pending-grades": {"get": {summary: "Submissions waiting for a grade, oldest first", tag: "Assignments",
			roles: "ADMIN, INSTRUCTOR, MENTOR", status: 200, schema: okPaged(ref("Submission")), errs: []int{400}, params: pageParams()}},
		"/api/v1/assignments/{id}": {
			"get": {summary: "An assignment with its submissions", tag: "Assignments", roles: anyone, status: 200, schema: okData(ref("AssignmentDetail")),
				errs: []int{404}, params: id},
			"put": {summary: "Update an assignment (whitelisted fields)", tag: "Assignments", roles: "ADMIN, INSTRUCTOR", status: 200,
				schema: okData(ref("Assignment")), errs: []int{400, 404, 413}, params: id, body: assignmentBody},
			"delete": {summary: "Delete an assignment", tag: "Assignments", roles: "ADMIN, INSTRUCTOR", status: 200, schema: ref("Message"),
				errs: []int{404}, params: id},
		},

		"/api/v1/student/db-credentials": {"get": {summary: "Read-only database credentials (STUDENT_DB_URL; 503 when not configured)", tag: "Student",
			roles: "STUDENT", status: 200, schema: okData(ref("StudentDB")), errs: []int{503}}},
		"/api/v1/student/db-setup": {"get": {summary: "Database setup instructions", tag: "Student", roles: "STUDENT", status: 200,
			schema: okData(ref("StudentDBSetup")), errs: []int{503}}},
		"/api/v1/student/db-test": {"get": {summary: "Test the student database connection", tag: "Student", roles: "STUDENT", status: 200,
			schema: okData(ref("StudentDBTest")), errs: []int{503}}},
	}

	paths := obj{}
	keys := make([]string, 0, len(ops))
	for k := range ops {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, p := range keys {
		item := obj{}
		for m, o := range ops[p] {
			item[m] = o.build(m)
		}
		paths[p] = item
	}
	status := object("status", str(), "database?", str())
	paths["/healthz"] = obj{"get": obj{"summary": "Liveness (process up)", "tags": []any{"Meta"},
		"responses": obj{"200": jsonResponse("OK", status)}}}
	paths["/readyz"] = obj{"get": obj{"summary": "Readiness (database reachable)", "tags": []any{"Meta"},
		"responses": obj{"200": jsonResponse("Ready", status), "503": jsonResponse("Database unreachable", status)}}}
	paths["/metrics"] = obj{"get": obj{"summary": "Prometheus metrics", "tags": []any{"Meta"},
		"responses": obj{"200": obj{"description": "Prometheus text format", "content": obj{"text/plain": obj{"schema": str()}}}}}}
	for _, p := range []string{"/api/openapi.json", "/openapi.json"} {
		paths[p] = obj{"get": obj{"summary": "This OpenAPI document", "tags": []any{"Meta"},
			"responses": obj{"200": obj{"description": "OK", "content": obj{"application/json": obj{"schema": obj{"type": "object"}}}}}}}
	}
	return obj{
		"openapi": "3.0.3",
		"info": obj{"title": "Cohortly API", "version": "1.0.0",
			"description": "Bootcamp management API (Go rewrite of the legacy Node server). Every /api/v1 response uses the legacy envelope " +
				"{success, message, data}; lists that page add pagination; validation errors carry an errors array. Times are ISO-8601 UTC " +
				"with milliseconds. Swagger UI: /api/docs, ReDoc: /api/redoc."},
		"servers": []any{obj{"url": "http://localhost:5000"}},
		"tags": []any{obj{"name": "Meta"}, obj{"name": "Auth"}, obj{"name": "Leads"}, obj{"name": "Bootcamps"}, obj{"name": "Enrollments"},
			obj{"name": "Assignments"}, obj{"name": "Student"}},
		"paths": paths,
		"components": obj{
			"schemas":         schemas(),
			"securitySchemes": obj{"bearerAuth": obj{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
		},
	}
}
