package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies mws to h so that the first one listed is the outermost.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

type ctxKey int

const requestIDKey ctxKey = 1

// RequestIDFrom returns the request id RequestID stored in ctx, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// RequestID gives every request an id: the caller's X-Request-ID when it is sane, else a new one. It is
// echoed in the response header and available through RequestIDFrom.
func RequestID() Middleware {
	var prefix [6]byte
	_, _ = rand.Read(prefix[:])
	p := hex.EncodeToString(prefix[:])
	var n atomic.Uint64
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.Header.Get("X-Request-ID")
			if !saneID(id) {
				id = p + "-" + strconv.FormatUint(n.Add(1), 36)
			}
			w.Header().Set("X-Request-ID", id)
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
		})
	}
}

func saneID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range id {
		if !(c == '-' || c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// StatusWriter records the status and size a handler wrote (the access log, the metrics, the storage
// health and the cut-over router's access log read it). Unwrap keeps Flush, Hijack and deadlines
// reachable through http.ResponseController.
type StatusWriter struct {
	http.ResponseWriter
	status int
	size   int64
}

func (s *StatusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *StatusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.size += int64(n)
	return n, err
}

// Observe returns the recorder of what is written to w: w itself when an outer middleware recorded it
// already, so a request has one recorder however many middlewares read its status.
func Observe(w http.ResponseWriter) *StatusWriter {
	if sw, ok := w.(*StatusWriter); ok {
		return sw
	}
	return &StatusWriter{ResponseWriter: w}
}

// Unwrap lets http.ResponseController reach the underlying writer (Flush, deadlines).
func (s *StatusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Status is the status written, 200 when the handler wrote none (as net/http then answers).
func (s *StatusWriter) Status() int {
	if s.status == 0 {
		return http.StatusOK
	}
	return s.status
}

// AccessLog logs one structured line per request: method, path, status, duration, size, client
// address and request id.
func AccessLog(logger *slog.Logger, proxies TrustedProxies) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			sw := Observe(w)
			next.ServeHTTP(sw, r)
			status := sw.Status()
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			ctx := r.Context()
			h := logger.Handler()
			if !h.Enabled(ctx, level) {
				return
			}
			// The record is made here, not by LogAttrs, which would also walk the stack for a
			// source position no access line shows (a few % of a small request's CPU).
			rec := slog.NewRecord(time.Now(), level, "request", 0)
			rec.AddAttrs(
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", status),
				slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
				slog.Int64("bytes", sw.size),
				slog.String("ip", proxies.ClientIP(r)),
				slog.String("request_id", RequestIDFrom(ctx)),
			)
			_ = h.Handle(ctx, rec)
		})
	}
}

// Recover turns a panic in a handler into a logged error and onPanic's response, instead of a dropped
// connection. http.ErrAbortHandler keeps its meaning (abort silently).
func Recover(logger *slog.Logger, onPanic func(w http.ResponseWriter, r *http.Request)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sw := Observe(w)
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.ErrorContext(r.Context(), "panic in handler",
					slog.String("panic", fmt.Sprint(v)),
					slog.String("stack", string(debug.Stack())),
					slog.String("request_id", RequestIDFrom(r.Context())))
				if sw.status == 0 {
					onPanic(sw, r)
				}
			}()
			next.ServeHTTP(sw, r)
		})
	}
}

// SecurityHeaders sets the headers every API response should carry.
func SecurityHeaders() Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "no-referrer")
			next.ServeHTTP(w, r)
		})
	}
}

// MaxBody caps the request body at n bytes; reading past it fails with *http.MaxBytesError, which
// DecodeJSON reports as KindTooLarge. A declared Content-Length over the limit is refused by onTooLarge
// before the handler runs, so nothing is read at all.
func MaxBody(n int64, onTooLarge func(w http.ResponseWriter, r *http.Request)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				onTooLarge(w, r)
				return
			}
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
		})
	}
}
