package apperr

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

type codeErr int

func (c codeErr) Error() string { return fmt.Sprintf("sqlite code %d", int(c)) }
func (c codeErr) Code() int     { return int(c) }

type labelErr string

func (l labelErr) Error() string               { return "mongo: " + string(l) }
func (l labelErr) HasErrorLabel(s string) bool { return s == string(l) }

func TestClassifyTellsOutagesAndFullDisksFromBugs(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("load user 7: %w", err) }
	cases := []struct {
		name string
		err  error
		kind Kind
		ok   bool
	}{
		{"a bug", errors.New("nil map"), KindInternal, false},
		{"client went away", wrap(context.Canceled), KindInternal, false},
		{"client error kept", New(KindNotFound, "Lead not found"), KindNotFound, true},
		{"connection refused", wrap(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), KindUnavailable, true},
		{"connection reset", wrap(syscall.ECONNRESET), KindUnavailable, true},
		{"timeout reaching the database", wrap(context.DeadlineExceeded), KindUnavailable, true},
		{"sentinel", wrap(ErrUnavailable), KindUnavailable, true},
		{"internal error around an outage", &Error{Kind: KindInternal, Message: "Internal server error", Err: wrap(ErrUnavailable)}, KindUnavailable, true},
		{"postgres shutting down", wrap(&pgconn.PgError{Code: "57P01"}), KindUnavailable, true},
		{"postgres connection failure", wrap(&pgconn.PgError{Code: "08006"}), KindUnavailable, true},
		{"postgres too many connections", wrap(&pgconn.PgError{Code: "53300"}), KindUnavailable, true},
		{"postgres unique violation is a bug here", wrap(&pgconn.PgError{Code: "23505"}), KindInternal, false},
		{"postgres disk full", wrap(&pgconn.PgError{Code: "53100"}), KindNoSpace, true},
		{"sqlite full", wrap(codeErr(13)), KindNoSpace, true},
		{"sqlite busy", wrap(codeErr(5)), KindUnavailable, true},
		{"sqlite busy snapshot (extended)", wrap(codeErr(5 | 2<<8)), KindUnavailable, true},
		{"sqlite constraint is a bug here", wrap(codeErr(19)), KindInternal, false},
		{"ENOSPC", wrap(syscall.ENOSPC), KindNoSpace, true},
		{"mongo network error", wrap(labelErr("NetworkError")), KindUnavailable, true},
		{"mongo other label", wrap(labelErr("TransientTransactionError")), KindInternal, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, ok := Classify(tc.err)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			if e.Kind != tc.kind {
				t.Fatalf("kind %d, want %d", e.Kind, tc.kind)
			}
			if e.Kind == KindUnavailable && (e.Message != MsgUnavailable || e.RetryAfter <= 0) {
				t.Fatalf("unavailable without its message or Retry-After: %+v", e)
			}
			if e.Kind == KindUnavailable || e.Kind == KindNoSpace {
				if !errors.Is(e, tc.err) && !errors.Is(e.Err, tc.err) {
					t.Fatal("the cause is lost for the log")
				}
			}
		})
	}
}
