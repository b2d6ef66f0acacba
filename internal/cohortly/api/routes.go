package api

import (
	"maps"
	"net/http"
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/platform/apidocs"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
)

// Route is one entry of the surface. Action 0 means the route is public.
type Route struct {
	Method string
	Path   string
	Action cohortly.Action
	h      http.Handler
}

// Public routes have no action.
const public cohortly.Action = 0

// table is the whole API surface in one place. Static sub-paths are listed before {id} siblings for
// the reader; the mux prefers the more specific pattern anyway (the legacy shadowed them: B3).
func (a *API) table() []Route {
	// r: a route for signed-in users whose role the policy allows act (authed).
	r := func(method, path string, act cohortly.Action, h handlerFunc) Route {
		return Route{Method: method, Path: path, Action: act, h: a.authed(act, h)}
	}
	// v: a list route answered from the verified token, with the same refusals as r (viewing).
	v := func(method, path string, act cohortly.Action, h viewFunc) Route {
		return Route{Method: method, Path: path, Action: act, h: a.viewing(act, h)}
	}
	// p: a public route, no token read (public).
	p := func(method, path string, h publicFunc) Route {
		return Route{Method: method, Path: path, Action: public, h: a.public(h)}
	}
	return []Route{
		// meta
		p("GET", "/", a.root),
		p("GET", "/api/v1/health", a.health),
		p("GET", "/health", a.health),

		// auth
		p("POST", "/api/v1/auth/register", a.register),
		p("POST", "/api/v1/auth/login", a.login),
		p("POST", "/api/v1/auth/refresh", a.refresh),
		r("POST", "/api/v1/auth/logout", cohortly.ActSelf, a.logout),
		r("POST", "/api/v1/auth/logout-all", cohortly.ActSelf, a.logoutAll),
		r("GET", "/api/v1/auth/me", cohortly.ActSelf, a.me),
		r("PUT", "/api/v1/auth/me", cohortly.ActSelf, a.updateMe),

		// leads (ADMIN, SALES)
		v("GET", "/api/v1/leads", cohortly.ActLeads, a.listLeads),
		v("POST", "/api/v1/leads", cohortly.ActLeads, a.createLead),
		r("GET", "/api/v1/leads/follow-ups", cohortly.ActLeads, a.followUps),
		r("GET", "/api/v1/leads/{id}", cohortly.ActLeads, a.getLead),
		r("PUT", "/api/v1/leads/{id}", cohortly.ActLeads, a.updateLead),
		r("DELETE", "/api/v1/leads/{id}", cohortly.ActLeads, a.deleteLead),
		r("POST", "/api/v1/leads/{id}/logs", cohortly.ActLeads, a.addLeadLog),
		r("POST", "/api/v1/leads/{id}/convert", cohortly.ActLeads, a.convertLead),

		// bootcamps and batches
		v("GET", "/api/v1/bootcamps", cohortly.ActReadBootcamps, a.listBootcamps),
		r("POST", "/api/v1/bootcamps", cohortly.ActWriteBootcamps, a.createBootcamp),
		r("GET", "/api/v1/bootcamps/batches", cohortly.ActReadBootcamps, a.listBatches),
		r("GET", "/api/v1/bootcamps/batches/{batchId}", cohortly.ActReadBootcamps, a.getBatch),
		r("POST", "/api/v1/bootcamps/batches/{batchId}/instructors", cohortly.ActWriteBootcamps, a.addInstructor),
		r("POST", "/api/v1/bootcamps/batches/{batchId}/mentors", cohortly.ActWriteBootcamps, a.addMentor),
		r("GET", "/api/v1/bootcamps/{id}", cohortly.ActReadBootcamps, a.getBootcamp),
		r("PUT", "/api/v1/bootcamps/{id}", cohortly.ActWriteBootcamps, a.updateBootcamp),
		r("DELETE", "/api/v1/bootcamps/{id}", cohortly.ActWriteBootcamps, a.deleteBootcamp),
		r("POST", "/api/v1/bootcamps/{id}/batches", cohortly.ActWriteBootcamps, a.createBatch),

		// enrollments
		r("GET", "/api/v1/enrollments", cohortly.ActListEnrollments, a.listEnrollments),
		r("POST", "/api/v1/enrollments", cohortly.ActWriteEnrollments, a.createEnrollment),
		r("GET", "/api/v1/enrollments/student/{studentId}", cohortly.ActListEnrollments, a.enrollmentsByStudent),
		r("GET", "/api/v1/enrollments/bootcamp/{bootcampId}", cohortly.ActStaffEnrollments, a.enrollmentsByBootcamp),
		r("GET", "/api/v1/enrollments/{id}", cohortly.ActReadEnrollment, a.getEnrollment),
		r("PUT", "/api/v1/enrollments/{id}", cohortly.ActWriteEnrollments, a.updateEnrollment),
		r("PUT", "/api/v1/enrollments/{id}/status", cohortly.ActEnrollmentAdmin, a.updateEnrollmentStatus),
		r("DELETE", "/api/v1/enrollments/{id}", cohortly.ActEnrollmentAdmin, a.deleteEnrollment),

		// assignments, submissions, grades
		r("GET", "/api/v1/assignments", cohortly.ActReadAssignments, a.listAssignments),
		r("POST", "/api/v1/assignments", cohortly.ActWriteAssignments, a.createAssignment),
		r("GET", "/api/v1/assignments/submissions", cohortly.ActReadAssignments, a.listSubmissions),
		r("POST", "/api/v1/assignments/submissions", cohortly.ActSubmit, a.submit),
		r("GET", "/api/v1/assignments/submissions/{id}", cohortly.ActReadAssignments, a.getSubmission),
		r("POST", "/api/v1/assignments/submissions/{id}/grade", cohortly.ActGrade, a.grade),
		r("GET", "/api/v1/assignments/pending-grades", cohortly.ActGrade, a.pendingGrades),
		r("GET", "/api/v1/assignments/{id}", cohortly.ActReadAssignments, a.getAssignment),
		r("PUT", "/api/v1/assignments/{id}", cohortly.ActWriteAssignments, a.updateAssignment),
		r("DELETE", "/api/v1/assignments/{id}", cohortly.ActWriteAssignments, a.deleteAssignment),

		// student database access (STUDENT)
		r("GET", "/api/v1/student/db-credentials", cohortly.ActStudentDB, a.studentDBCredentials),
		r("GET", "/api/v1/student/db-setup", cohortly.ActStudentDB, a.studentDBSetup),
		r("GET", "/api/v1/student/db-test", cohortly.ActStudentDB, a.studentDBTest),
	}
}

// Routes lists the surface this API serves (method, path, action), for tests and documentation checks.
func (a *API) Routes() []Route { return slices.Clone(a.surface) }

func (a *API) routes(mux *http.ServeMux, reg *prometheus.Registry) {
	a.surface = a.table()
	a.literals = httpx.Literals{}
	for _, rt := range a.surface {
		maps.Copy(a.literals, httpx.NewLiterals(rt.Path))
		path := rt.Path
		if path == "/" {
			path = "/{$}" // exactly the root; a bare "/" pattern would match every path
		}
		mux.Handle(rt.Method+" "+path, rt.h)
	}
	// Operations: liveness, readiness (database), Prometheus metrics.
	mux.Handle("GET /healthz", httpx.Healthz())
	mux.Handle("GET /readyz", httpx.Readyz(a.log, a.ping))
	mux.Handle("GET /metrics", httpx.MetricsHandler(reg))
	// Documentation: the OpenAPI document, Swagger UI (/api/docs) and ReDoc (/api/redoc), offline.
	apidocs.Mount(mux, apidocs.Config{Spec: OpenAPI(), Title: "Cohortly API", SpecPaths: []string{"/api/openapi.json", "/openapi.json"}})
	// Everything else: the legacy 404 (after authentication below the guarded routers).
	mux.HandleFunc("/", a.notFound)
}
