package httpx

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/apperr"
)

// Healthz answers 200 while the process is up (liveness).
func Healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// Readyz answers 200 when check passes within two seconds, else 503 (readiness: take the instance out of
// the load balancer while its database is unreachable). The check's error is logged, not shown.
func Readyz(logger *slog.Logger, check func(ctx context.Context) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := check(ctx); err != nil {
			logger.WarnContext(ctx, "readiness check failed", slog.String("error", err.Error()))
			db := "unreachable"
			if errors.Is(err, apperr.ErrNoSpace) {
				db = "storage full"
			}
			WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": db})
			return
		}
		WriteJSON(w, http.StatusOK, map[string]string{"status": "ready", "database": "ok"})
	})
}
