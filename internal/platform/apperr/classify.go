package apperr

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"
)

// Sentinels a store adapter wraps into its errors when it knows the class of a driver failure.
var (
	// ErrUnavailable: the database could not be reached or refused service for now (connection
	// refused or lost, pool exhausted, server shutting down, lock timeout). A retry may succeed.
	ErrUnavailable = errors.New("database unavailable")
	// ErrNoSpace: the database could not write for lack of storage.
	ErrNoSpace = errors.New("database storage full")
)

// Client-visible messages of the two classes.
const (
	MsgUnavailable = "Service temporarily unavailable"
	MsgNoSpace     = "Insufficient storage: the service cannot save data right now"
)

// RetryAfterUnavailable is what a 503 tells clients and load balancers to wait before retrying: the
// services reconnect on the next request, within a second of the database coming back.
const RetryAfterUnavailable = time.Second

// Classify returns the client error err stands for. A client error (*Error of any kind but internal)
// is returned as is. An unexpected failure is looked at once more: a database that cannot be reached
// becomes KindUnavailable, a full disk KindNoSpace, keeping err for the log. Anything else is internal
// (ok false when err carries no *Error at all): a bug stays a 500.
func Classify(err error) (e *Error, ok bool) {
	e, ok = As(err)
	if ok && e.Kind != KindInternal {
		return e, true
	}
	switch {
	case IsNoSpace(err):
		return &Error{Kind: KindNoSpace, Message: MsgNoSpace, Err: err}, true
	case IsUnavailable(err):
		return &Error{Kind: KindUnavailable, Message: MsgUnavailable, RetryAfter: RetryAfterUnavailable, Err: err}, true
	}
	return e, ok
}

// IsNoSpace tells whether err says the storage is full: the sentinel, an SQLite SQLITE_FULL, a
// PostgreSQL disk_full (53100), or ENOSPC from the operating system.
func IsNoSpace(err error) bool {
	if errors.Is(err, ErrNoSpace) || errors.Is(err, syscall.ENOSPC) {
		return true
	}
	if c, ok := sqliteCode(err); ok && c&0xff == sqliteFull {
		return true
	}
	if s, ok := sqlState(err); ok && s == "53100" {
		return true
	}
	return false
}

// IsUnavailable tells whether err says the database cannot be reached now. Drivers are recognised by
// the methods their error types have (pgx's SQLState, modernc SQLite's Code, the MongoDB driver's
// error labels) so that this one place needs none of them imported.
func IsUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	if c, ok := sqliteCode(err); ok {
		switch c & 0xff {
		case sqliteBusy, sqliteLocked:
			return true
		}
	}
	if s, ok := sqlState(err); ok {
		// Class 08: connection exception; 57P01-57P03: the server is shutting down or starting;
		// 53300: too many connections.
		return strings.HasPrefix(s, "08") || s == "57P01" || s == "57P02" || s == "57P03" || s == "53300"
	}
	var le interface{ HasErrorLabel(string) bool }
	if errors.As(err, &le) && le.HasErrorLabel("NetworkError") {
		return true
	}
	return false
}

// SQLite primary result codes (the low byte of an extended code).
const (
	sqliteBusy   = 5
	sqliteLocked = 6
	sqliteFull   = 13
)

func sqliteCode(err error) (int, bool) {
	var se interface {
		error
		Code() int
	}
	if errors.As(err, &se) {
		return se.Code(), true
	}
	return 0, false
}

func sqlState(err error) (string, bool) {
	var pe interface {
		error
		SQLState() string
	}
	if errors.As(err, &pe) {
		return pe.SQLState(), true
	}
	return "", false
}
