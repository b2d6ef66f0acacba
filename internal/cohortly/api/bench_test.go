package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// Benchmarks of the load-test hot paths, in process (no network), on SQLite. They only report.
func benchGET(b *testing.B, path string, token func(e *env) string) {
	benchGETOn(b, sqliteOnly(b), path, token)
}

func benchGETOn(b *testing.B, e *env, path string, token func(e *env) string) {
	h := e.srv.Config.Handler
	auth := "Bearer " + token(e)
	b.ReportAllocs()
	// Many requests in flight, as under the load profile's 64 connections: on PostgreSQL concurrent
	// reads of callers and pages share statements.
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Authorization", auth)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%d %s", w.Code, w.Body.Bytes())
			}
		}
	})
}

func BenchmarkMe(b *testing.B)        { benchGET(b, "/api/v1/auth/me", (*env).admin) }
func BenchmarkLeads(b *testing.B)     { benchGET(b, "/api/v1/leads", (*env).admin) }
func BenchmarkBootcamps(b *testing.B) { benchGET(b, "/api/v1/bootcamps", (*env).admin) }

// BenchmarkLeadsPostgres is the load profile's PostgreSQL case: a page of 20 leads with their users.
func BenchmarkLeadsPostgres(b *testing.B) {
	e := newEnv(b, openPostgres(b))
	for i := 0; i < 19; i++ {
		e.call("POST", "/api/v1/leads", e.admin(), map[string]any{"fullName": "Lead", "email": "lead@example.com", "source": "WEBSITE",
			"assignedTo": "fb58953b-d06d-451e-b2ea-795cc55ac7b2"})
	}
	benchGETOn(b, e, "/api/v1/leads", (*env).admin)
}

// BenchmarkBootcampsPostgres is the read profile's bootcamp list on PostgreSQL (the seeded bootcamps).
func BenchmarkBootcampsPostgres(b *testing.B) {
	benchGETOn(b, newEnv(b, openPostgres(b)), "/api/v1/bootcamps", (*env).admin)
}

func BenchmarkMePostgres(b *testing.B) {
	benchGETOn(b, newEnv(b, openPostgres(b)), "/api/v1/auth/me", (*env).admin)
}

// The write profile's lead creation: body decoding, validation, the caller's row read by the insert
// (on PostgreSQL shared by concurrent requests), the answer built from what was written.
func benchCreateLead(b *testing.B, e *env) {
	h := e.srv.Config.Handler
	auth := "Bearer " + e.admin()
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(16) // many requests in flight, as under the load profile's 64 connections
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body := fmt.Sprintf(`{"fullName":"Load Lead","email":"load-%d@example.com","phone":"+14155550123","source":"WEBSITE"}`, n.Add(1))
			req := httptest.NewRequest("POST", "/api/v1/leads", strings.NewReader(body))
			req.Header.Set("Authorization", auth)
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusCreated {
				b.Fatalf("%d %s", w.Code, w.Body.Bytes())
			}
		}
	})
}

func BenchmarkCreateLead(b *testing.B)         { benchCreateLead(b, sqliteOnly(b)) }
func BenchmarkCreateLeadPostgres(b *testing.B) { benchCreateLead(b, newEnv(b, openPostgres(b))) }
