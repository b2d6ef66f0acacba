package cohortly

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies a service error; the API maps each kind to one HTTP status in one place.
type Kind int

const (
	KindInternal     Kind = iota // 500, details logged, never shown
	KindValidation               // 400 "Validation failed" with the errors array
	KindBadRequest               // 400 with Message
	KindUnauthorized             // 401
	KindForbidden                // 403
	KindNotFound                 // 404
	KindConflict                 // 409
	KindTooLarge                 // 413
	KindRateLimited              // 429 with Retry-After
	KindUnavailable              // 503
)

// FieldError is one entry of the legacy validation errors array
// ({"type":"field","value":...,"msg":...,"path":...,"location":"body"}).
type FieldError struct {
	Path     string
	Msg      string
	Value    any  // the value as received; ignored when HasValue is false
	HasValue bool // the legacy omits "value" for absent fields; passwords are never echoed
	Location string
}

// Error is what every Service method returns for a failure a client should hear about. Message is
// safe to show; the wrapped error (if any) is for logs.
type Error struct {
	Kind       Kind
	Message    string
	Fields     []FieldError
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

// Legacy messages the frontend and existing clients see; §7 of the contract wants them kept.
const (
	MsgAuthRequired       = "Authentication required"
	MsgInvalidToken       = "Invalid or expired token"
	MsgForbidden          = "Access denied: insufficient permissions"
	MsgInvalidCredentials = "Invalid credentials"
	MsgInactive           = "Account is inactive"
	MsgValidation         = "Validation failed"
	MsgInternal           = "Internal server error"
	MsgTooManyRequests    = "Too many requests, please try again later"
)

func errValidation(fields ...FieldError) *Error {
	return &Error{Kind: KindValidation, Message: MsgValidation, Fields: fields}
}

func errKind(k Kind, msg string) *Error { return &Error{Kind: k, Message: msg} }

// ErrForbidden is the legacy 403.
func ErrForbidden() *Error { return errKind(KindForbidden, MsgForbidden) }

// internal wraps an unexpected failure (a database error) with context for the log.
func internal(err error, format string, args ...any) *Error {
	return &Error{Kind: KindInternal, Message: MsgInternal, Err: fmt.Errorf(format+": %w", append(args, err)...)}
}

// storeErr turns a Store error into a service error: not found -> 404 with notFoundMsg, anything
// unexpected -> 500.
func storeErr(err error, notFoundMsg, what string) *Error {
	if errors.Is(err, ErrNotFound) {
		return errKind(KindNotFound, notFoundMsg)
	}
	return internal(err, "%s", what)
}

// AsError returns err as a service *Error, wrapping anything else as an internal error.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindInternal, Message: MsgInternal, Err: err}
}

// fieldErrs accumulates validation failures of one request.
type fieldErrs []FieldError

func (f *fieldErrs) add(path, msg string, value any, has bool) {
	*f = append(*f, FieldError{Path: path, Msg: msg, Value: value, HasValue: has, Location: "body"})
}

func (f fieldErrs) err() error {
	if len(f) == 0 {
		return nil
	}
	return errValidation(f...)
}
