package api

import (
	"context"
	"net/http"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
)

type rootJSON struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
	Version string `json:"version"`
	Docs    string `json:"docs"`
	APIDocs string `json:"apiDocs"`
}

// root is GET /: the legacy body (not enveloped), plus where the documentation is.
func (a *API) root(w http.ResponseWriter, r *http.Request) error {
	httpx.WriteJSON(w, http.StatusOK, rootJSON{Success: true, Message: "Bootcamp Management System API", Version: a.version,
		Docs: "/api/v1/health", APIDocs: "/api/docs"})
	return nil
}

type healthJSON struct {
	Success   bool   `json:"success"`
	Message   string `json:"message"`
	Timestamp jtime  `json:"timestamp"`
	Status    string `json:"status"`
	Version   string `json:"version"`
	Database  string `json:"database"`
}

// health is GET /api/v1/health and /health: the legacy body and the plan's, with a real database check
// (503 while the database is unreachable, so a load balancer takes the instance out).
func (a *API) health(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	now := jt(cohortly.Millis(a.clk.Now()))
	if err := a.svc.Ping(ctx); err != nil {
		a.log.WarnContext(ctx, "health check failed", "error", err.Error())
		httpx.WriteJSON(w, http.StatusServiceUnavailable, healthJSON{Success: false, Message: "API is unhealthy", Timestamp: now,
			Status: "unhealthy", Version: a.version, Database: "unreachable"})
		return nil
	}
	httpx.WriteJSON(w, http.StatusOK, healthJSON{Success: true, Message: "API is healthy", Timestamp: now,
		Status: "healthy", Version: a.version, Database: "ok"})
	return nil
}
