package momentum

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies a service error; the HTTP layer maps each kind to one status code.
type Kind int

const (
	KindInvalid         Kind = iota + 1 // 400
	KindUnauthenticated                 // 401: no credentials
	KindForbidden                       // 403: bad credentials or not allowed
	KindNotFound                        // 404
	KindConflict                        // 400 in the legacy contract ("User already exists ...")
	KindTooLarge                        // 413
	KindRateLimited                     // 429
	KindProvider                        // 502: an outside provider failed
)

// Error is a failure the client is told about: Msg is shown as-is (the React client displays
// error.response.data.error). Anything that is not an *Error is an internal error: logged, and answered
// with a generic message.
type Error struct {
	Kind       Kind
	Msg        string
	Required   []string // legacy "required" list on missing-field errors
	Details    any      // legacy "details" (CSV error rows)
	RetryAfter time.Duration
	Err        error // cause, for logs only
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Msg, e.Err)
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

func invalid(msg string) *Error   { return &Error{Kind: KindInvalid, Msg: msg} }
func forbidden(msg string) *Error { return &Error{Kind: KindForbidden, Msg: msg} }
func notFound(msg string) *Error  { return &Error{Kind: KindNotFound, Msg: msg} }

// Client-visible messages of the legacy contract (§1.6, §2, §3), kept verbatim.
const (
	MsgTokenRequired      = "Access token required"
	MsgInvalidToken       = "Invalid or expired token"
	MsgAdminRequired      = "Admin access required"
	MsgRestaurantRequired = "Restaurant access required"
	MsgNoRestaurantOfUser = "Restaurant not found for user"
	MsgRestaurantNotFound = "Restaurant not found"
	MsgUserNotFound       = "User not found"
	MsgInvalidCredentials = "Invalid credentials"
	MsgRestaurantDenied   = "You do not have access to this restaurant"
)

// AsError returns err as an *Error when it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
