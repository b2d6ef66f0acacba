package httpx

import "testing"

func TestFoldLiteralsFoldsRouteWordsOnly(t *testing.T) {
	l := NewLiterals("/api/v1/leads/{id}", "/api/v1/leads/follow-ups", "/api/v1/bootcamps/batches/{batchId}")
	for in, want := range map[string]string{
		"/api/v1/leads":                  "/api/v1/leads",
		"/API/V1/LEADS/":                 "/api/v1/leads/",
		"/api/v1/Leads/AbC":              "/api/v1/leads/AbC",
		"/api/v1/leads/Follow-Ups":       "/api/v1/leads/follow-ups",
		"/api/v1/Bootcamps/Batches/X%2F": "/api/v1/bootcamps/batches/X%2F",
		"/api/v1/Unknown":                "/api/v1/Unknown",
	} {
		if got := l.FoldLiterals(in); got != want {
			t.Errorf("FoldLiterals(%q) = %q, want %q", in, got, want)
		}
	}
}
