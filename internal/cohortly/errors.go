package cohortly

import (
	"errors"
	"fmt"

	"github.com/momentum-cohortly/backends/internal/platform/apperr"
)

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

func errValidation(fields ...apperr.FieldError) *apperr.Error {
	return &apperr.Error{Kind: apperr.KindInvalid, Message: MsgValidation, Fields: fields}
}

func errKind(k apperr.Kind, msg string) *apperr.Error { return &apperr.Error{Kind: k, Message: msg} }

// ErrForbidden is the legacy 403.
func ErrForbidden() *apperr.Error { return errKind(apperr.KindForbidden, MsgForbidden) }

// internal wraps an unexpected failure (a database error) with context for the log.
func internal(err error, format string, args ...any) *apperr.Error {
	return &apperr.Error{Kind: apperr.KindInternal, Message: MsgInternal, Err: fmt.Errorf(format+": %w", append(args, err)...)}
}

// storeErr turns a Store error into a service error: not found -> 404 with notFoundMsg, anything
// unexpected -> 500.
func storeErr(err error, notFoundMsg, what string) *apperr.Error {
	if errors.Is(err, ErrNotFound) {
		return errKind(apperr.KindNotFound, notFoundMsg)
	}
	return internal(err, "%s", what)
}

// fieldErrs accumulates validation failures of one request.
type fieldErrs []apperr.FieldError

func (f *fieldErrs) add(path, msg string, value any, has bool) {
	*f = append(*f, apperr.FieldError{Path: path, Msg: msg, Value: value, HasValue: has, Location: "body"})
}

func (f fieldErrs) err() error {
	if len(f) == 0 {
		return nil
	}
	return errValidation(f...)
}
