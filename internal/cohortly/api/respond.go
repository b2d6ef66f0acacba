package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/platform/apperr"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
	"github.com/momentum-cohortly/backends/internal/platform/ratelimit"
)

// envelope is the legacy response wrapper: {success, message, data?, pagination?, errors?}.
type envelope struct {
	Success    bool         `json:"success"`
	Message    string       `json:"message"`
	Data       any          `json:"data,omitempty"`
	Pagination *pagination  `json:"pagination,omitempty"`
	Errors     []fieldError `json:"errors,omitempty"`
}

type pagination struct {
	Page       int `json:"page"`
	Limit      int `json:"limit"`
	Total      int `json:"total"`
	TotalPages int `json:"totalPages"`
}

// fieldError is one express-validator entry; "value" is absent when the field was absent.
type fieldError struct {
	Type     string `json:"type"`
	Value    any    `json:"value,omitempty"`
	Msg      string `json:"msg"`
	Path     string `json:"path"`
	Location string `json:"location"`
}

// fieldErrorWithValue keeps "value" even when it is null or empty (it was sent that way).
type fieldErrorWithValue struct {
	Type     string `json:"type"`
	Value    any    `json:"value"`
	Msg      string `json:"msg"`
	Path     string `json:"path"`
	Location string `json:"location"`
}

// nullData makes "data": null appear (DELETE /enrollments/{id} sends it explicitly, as the legacy did).
var nullData = json.RawMessage("null")

func ok(w http.ResponseWriter, status int, msg string, data any) {
	httpx.WriteJSON(w, status, envelope{Success: true, Message: msg, Data: data})
}

func okPage[T any](w http.ResponseWriter, msg string, data any, p cohortly.Paged[T]) {
	httpx.WriteJSON(w, http.StatusOK, envelope{Success: true, Message: msg, Data: data,
		Pagination: &pagination{Page: p.Page, Limit: p.Limit, Total: p.Total, TotalPages: p.TotalPages}})
}

// statusOf is the one mapping from error kinds to HTTP statuses.
var statusOf = map[apperr.Kind]int{
	apperr.KindInternal:        http.StatusInternalServerError,
	apperr.KindInvalid:         http.StatusBadRequest,
	apperr.KindUnauthenticated: http.StatusUnauthorized,
	apperr.KindForbidden:       http.StatusForbidden,
	apperr.KindNotFound:        http.StatusNotFound,
	apperr.KindConflict:        http.StatusConflict,
	apperr.KindTooLarge:        http.StatusRequestEntityTooLarge,
	apperr.KindRateLimited:     http.StatusTooManyRequests,
	apperr.KindProvider:        http.StatusBadGateway,
	apperr.KindUnavailable:     http.StatusServiceUnavailable,
	apperr.KindNoSpace:         http.StatusInsufficientStorage,
}

// fail writes err as the legacy error envelope. It is the only place errors become responses: a
// database that cannot be reached is a 503 with Retry-After, a full disk a 507, a bug a 500; internal
// details are logged with the request id and never sent.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	e, isErr := apperr.Classify(err)
	if !isErr {
		e = &apperr.Error{Kind: apperr.KindInternal, Message: cohortly.MsgInternal, Err: err}
	}
	status, known := statusOf[e.Kind]
	if !known {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		a.log.ErrorContext(r.Context(), "request failed",
			slog.String("error", err.Error()), slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("request_id", httpx.RequestIDFrom(r.Context())))
	} else if e.Err != nil {
		a.log.WarnContext(r.Context(), "request refused", slog.String("error", e.Err.Error()),
			slog.String("request_id", httpx.RequestIDFrom(r.Context())))
	}
	if e.Kind == apperr.KindNoSpace {
		a.storage.WriteFailed()
	}
	if e.Kind == apperr.KindRateLimited || e.Kind == apperr.KindUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(e.RetryAfter)))
	}
	env := envelope{Message: e.Message}
	var body any = env
	if len(e.Fields) > 0 {
		errs := make([]any, 0, len(e.Fields))
		for _, f := range e.Fields {
			loc := f.Location
			if loc == "" {
				loc = "body"
			}
			if f.HasValue {
				errs = append(errs, fieldErrorWithValue{Type: "field", Value: f.Value, Msg: f.Msg, Path: f.Path, Location: loc})
			} else {
				errs = append(errs, fieldError{Type: "field", Msg: f.Msg, Path: f.Path, Location: loc})
			}
		}
		body = struct {
			Success bool   `json:"success"`
			Message string `json:"message"`
			Errors  []any  `json:"errors"`
		}{false, e.Message, errs}
	}
	httpx.WriteJSON(w, status, body)
}

// decodeFailure turns a body decoding problem into the matching service error.
func decodeFailure(err error) error {
	var de *httpx.DecodeError
	if !errors.As(err, &de) {
		return err
	}
	switch de.Kind {
	case httpx.KindTooLarge:
		return &apperr.Error{Kind: apperr.KindTooLarge, Message: "Request body too large"}
	case httpx.KindContentType:
		return &apperr.Error{Kind: apperr.KindInvalid, Message: "Content-Type must be application/json"}
	case httpx.KindType:
		return &apperr.Error{Kind: apperr.KindInvalid, Message: "Request body must be a JSON object"}
	}
	return &apperr.Error{Kind: apperr.KindInvalid, Message: "Malformed JSON in request body"}
}
