package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/momentum-cohortly/backends/internal/platform/apperr"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
	"github.com/momentum-cohortly/backends/internal/platform/ratelimit"
)

// family is a legacy error body shape.
type family int

const (
	famAuth family = iota // {"error": "..."}
	famAPI                // {"success": false, "error": "..."}
)

type errBody struct {
	Error string `json:"error"`
}

type apiErrBody struct {
	Success  bool     `json:"success"`
	Error    string   `json:"error"`
	Required []string `json:"required,omitempty"`
	Details  any      `json:"details,omitempty"`
}

var kindStatus = map[apperr.Kind]int{
	apperr.KindInvalid:         http.StatusBadRequest,
	apperr.KindUnauthenticated: http.StatusUnauthorized,
	apperr.KindForbidden:       http.StatusForbidden,
	apperr.KindNotFound:        http.StatusNotFound,
	apperr.KindConflict:        http.StatusBadRequest, // legacy: 400 "User already exists with this email"
	apperr.KindTooLarge:        http.StatusRequestEntityTooLarge,
	apperr.KindRateLimited:     http.StatusTooManyRequests,
	apperr.KindProvider:        http.StatusBadGateway,
	apperr.KindUnavailable:     http.StatusServiceUnavailable,
	apperr.KindNoSpace:         http.StatusInsufficientStorage,
}

// fail is the one place where an error becomes a response. Client errors (*apperr.Error and decode
// errors) are shown; a database that cannot be reached is a 503 with Retry-After, a full disk a 507;
// anything else is logged with the request id and answered with a generic 500, so no internal detail
// (SQL, file paths, provider text) reaches the client.
func (a *API) fail(w http.ResponseWriter, r *http.Request, fam family, err error) {
	var de *httpx.DecodeError
	if errors.As(err, &de) {
		err = decodeError(de)
	}
	if r.Context().Err() != nil {
		if _, client := apperr.As(err); !client {
			// The client went away; nobody reads this answer.
			return
		}
	}
	e, ok := apperr.Classify(err)
	if !ok {
		a.log.ErrorContext(r.Context(), "request failed", slog.String("error", err.Error()),
			slog.String("request_id", httpx.RequestIDFrom(r.Context())), slog.String("path", r.URL.Path))
		writeFamily(w, fam, http.StatusInternalServerError, &apperr.Error{Message: "Internal server error"})
		return
	}
	status := kindStatus[e.Kind]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	switch e.Kind {
	case apperr.KindRateLimited, apperr.KindUnavailable:
		w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(e.RetryAfter)))
	}
	switch e.Kind {
	case apperr.KindProvider:
		a.log.WarnContext(r.Context(), "provider failed", slog.String("error", e.Error()),
			slog.String("request_id", httpx.RequestIDFrom(r.Context())))
	case apperr.KindNoSpace:
		a.storage.WriteFailed()
		fallthrough
	case apperr.KindUnavailable:
		a.log.ErrorContext(r.Context(), "database failed", slog.String("error", e.Error()),
			slog.String("request_id", httpx.RequestIDFrom(r.Context())), slog.String("path", r.URL.Path))
	}
	writeFamily(w, fam, status, e)
}

func writeFamily(w http.ResponseWriter, fam family, status int, e *apperr.Error) {
	if fam == famAuth {
		writeJSON(w, status, errBody{Error: e.Message})
		return
	}
	writeJSON(w, status, apiErrBody{Error: e.Message, Required: fieldNames(e.Fields), Details: e.Details})
}

func decodeError(de *httpx.DecodeError) *apperr.Error {
	switch de.Kind {
	case httpx.KindTooLarge:
		return &apperr.Error{Kind: apperr.KindTooLarge, Message: "Request body is too large (limit 100kb)"}
	case httpx.KindEmpty:
		return &apperr.Error{Kind: apperr.KindInvalid, Message: "Request body is required"}
	case httpx.KindMalformed:
		return &apperr.Error{Kind: apperr.KindInvalid, Message: "Malformed JSON in request body"}
	case httpx.KindContentType:
		return &apperr.Error{Kind: apperr.KindInvalid, Message: "Unsupported Content-Type: send JSON, a URL-encoded form or multipart/form-data"}
	}
	return &apperr.Error{Kind: apperr.KindInvalid, Message: de.Msg}
}

func writeJSON(w http.ResponseWriter, status int, v any) { httpx.WriteJSON(w, status, v) }

// notFound answers unknown routes in the JSON error shape (legacy Express sent an HTML page).
func (a *API) notFound(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusNotFound, errBody{Error: "Cannot " + r.Method + " " + r.URL.Path})
}

// fieldNames is the legacy "required" list: the names of the fields a failure is about.
func fieldNames(fs []apperr.FieldError) []string {
	if len(fs) == 0 {
		return nil
	}
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Path
	}
	return names
}
