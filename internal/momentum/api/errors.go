package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/momentum-cohortly/backends/internal/momentum"
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

var kindStatus = map[momentum.Kind]int{
	momentum.KindInvalid:         http.StatusBadRequest,
	momentum.KindUnauthenticated: http.StatusUnauthorized,
	momentum.KindForbidden:       http.StatusForbidden,
	momentum.KindNotFound:        http.StatusNotFound,
	momentum.KindConflict:        http.StatusBadRequest, // legacy: 400 "User already exists with this email"
	momentum.KindTooLarge:        http.StatusRequestEntityTooLarge,
	momentum.KindRateLimited:     http.StatusTooManyRequests,
	momentum.KindProvider:        http.StatusBadGateway,
}

// fail is the one place where an error becomes a response. Client errors (*momentum.Error and decode
// errors) are shown; anything else is logged with the request id and answered with a generic 500, so
// no internal detail (SQL, file paths, provider text) reaches the client.
func (a *API) fail(w http.ResponseWriter, r *http.Request, fam family, err error) {
	var de *httpx.DecodeError
	if errors.As(err, &de) {
		err = decodeError(de)
	}
	e, ok := momentum.AsError(err)
	if !ok {
		if r.Context().Err() != nil {
			// The client went away; nobody reads this answer.
			return
		}
		a.log.ErrorContext(r.Context(), "request failed", slog.String("error", err.Error()),
			slog.String("request_id", httpx.RequestIDFrom(r.Context())), slog.String("path", r.URL.Path))
		writeFamily(w, fam, http.StatusInternalServerError, &momentum.Error{Msg: "Internal server error"})
		return
	}
	status := kindStatus[e.Kind]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if e.Kind == momentum.KindRateLimited {
		w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(e.RetryAfter)))
	}
	if e.Kind == momentum.KindProvider {
		a.log.WarnContext(r.Context(), "provider failed", slog.String("error", e.Error()),
			slog.String("request_id", httpx.RequestIDFrom(r.Context())))
	}
	writeFamily(w, fam, status, e)
}

func writeFamily(w http.ResponseWriter, fam family, status int, e *momentum.Error) {
	if fam == famAuth {
		writeJSON(w, status, errBody{Error: e.Msg})
		return
	}
	writeJSON(w, status, apiErrBody{Error: e.Msg, Required: e.Required, Details: e.Details})
}

func decodeError(de *httpx.DecodeError) *momentum.Error {
	switch de.Kind {
	case httpx.KindTooLarge:
		return &momentum.Error{Kind: momentum.KindTooLarge, Msg: "Request body is too large (limit 100kb)"}
	case httpx.KindEmpty:
		return &momentum.Error{Kind: momentum.KindInvalid, Msg: "Request body is required"}
	case httpx.KindMalformed:
		return &momentum.Error{Kind: momentum.KindInvalid, Msg: "Malformed JSON in request body"}
	case httpx.KindContentType:
		return &momentum.Error{Kind: momentum.KindInvalid, Msg: "Unsupported Content-Type: send JSON, a URL-encoded form or multipart/form-data"}
	}
	return &momentum.Error{Kind: momentum.KindInvalid, Msg: de.Msg}
}

func writeJSON(w http.ResponseWriter, status int, v any) { httpx.WriteJSON(w, status, v) }

// notFound answers unknown routes in the JSON error shape (legacy Express sent an HTML page).
func (a *API) notFound(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusNotFound, errBody{Error: "Cannot " + r.Method + " " + r.URL.Path})
}
