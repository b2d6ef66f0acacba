// Package apperr is the one error type both services return for failures a client hears about, and
// the classes of failure their HTTP layers map to status codes. Each service keeps only its own
// mapping from Kind to status and envelope.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies a failure; each service's HTTP layer maps every kind to one status code.
type Kind int

const (
	KindInternal        Kind = iota // 500: a bug or an unexpected failure; details logged, never shown
	KindInvalid                     // 400: the request is wrong (Fields says where, when known)
	KindUnauthenticated             // 401: no or bad credentials
	KindForbidden                   // 403: not allowed
	KindNotFound                    // 404
	KindConflict                    // the resource already exists (Momentum: 400, Cohortly: 409)
	KindTooLarge                    // 413
	KindRateLimited                 // 429 with Retry-After
	KindProvider                    // 502: an outside provider failed
	KindUnavailable                 // 503 with Retry-After: a dependency (the database) cannot be reached
	KindNoSpace                     // 507: the storage is full
)

// FieldError says which part of the request a failure is about.
type FieldError struct {
	Path     string // the field name
	Msg      string
	Value    any  // the value as received; ignored when HasValue is false
	HasValue bool // absent fields have no value; passwords are never echoed
	Location string
}

// Error is a failure a client is told about: Message is safe to show as is. The wrapped Err is for
// logs only.
type Error struct {
	Kind       Kind
	Message    string
	Fields     []FieldError
	Details    any // extra client-visible detail a service's envelope carries (Momentum's CSV rows)
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// New is a client error of kind k with a message shown as is.
func New(k Kind, msg string) *Error { return &Error{Kind: k, Message: msg} }

// Names lists fields by name only (for "these fields are required" answers).
func Names(names ...string) []FieldError {
	fs := make([]FieldError, len(names))
	for i, n := range names {
		fs[i] = FieldError{Path: n}
	}
	return fs
}

// As returns err as an *Error when it is one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
