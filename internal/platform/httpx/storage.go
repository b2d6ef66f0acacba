package httpx

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/apperr"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

// DefaultNoSpaceHold is how long one write failing for lack of space keeps the instance not ready when
// no write succeeds meanwhile (see StorageHealth).
const DefaultNoSpaceHold = 30 * time.Second

// StorageHealth feeds readiness with what writes report: not ready while the last write failed for lack
// of space, ready again after a write succeeds. A load balancer that takes the instance out sends it no
// writes that could succeed, so the failure also expires after hold: the instance gets traffic again
// and finds out (the next failure takes it out again).
type StorageHealth struct {
	clk  clock.Clock
	hold time.Duration

	mu       sync.Mutex
	full     bool
	failedAt time.Time
}

// NewStorageHealth returns a StorageHealth on clk (nil: the system clock); hold <= 0 means
// DefaultNoSpaceHold.
func NewStorageHealth(clk clock.Clock, hold time.Duration) *StorageHealth {
	if clk == nil {
		clk = clock.System()
	}
	if hold <= 0 {
		hold = DefaultNoSpaceHold
	}
	return &StorageHealth{clk: clk, hold: hold}
}

// WriteFailed records a write refused for lack of space.
func (s *StorageHealth) WriteFailed() {
	s.mu.Lock()
	s.full, s.failedAt = true, s.clk.Now()
	s.mu.Unlock()
}

// WriteSucceeded records a write that went through.
func (s *StorageHealth) WriteSucceeded() {
	s.mu.Lock()
	s.full = false
	s.mu.Unlock()
}

// Check is a readiness check: apperr.ErrNoSpace while the last write failed for lack of space.
func (s *StorageHealth) Check(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.full && s.clk.Now().Sub(s.failedAt) < s.hold {
		return apperr.ErrNoSpace
	}
	return nil
}

// Middleware records a write request (POST, PUT, PATCH, DELETE) answered with a success as a write that
// went through.
func (s *StorageHealth) Middleware() Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.Method {
			case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
			default:
				next.ServeHTTP(w, r)
				return
			}
			sw := Observe(w)
			next.ServeHTTP(sw, r)
			if c := sw.Status(); c >= 200 && c < 300 {
				s.WriteSucceeded()
			}
		})
	}
}
