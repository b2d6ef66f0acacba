package ratelimit

import (
	"context"
	"fmt"
	"time"
)

// LoginPolicy is the brute-force guard both services put in front of password checks: an account is
// locked after MaxFailures failed attempts within FailureWindow, and a client address may make at most
// MaxPerAddress attempts (successful or not) per AddressWindow.
//
// Every count is one atomic increment of a shared counter, taken before the password is checked: an
// attempt is counted against its account as a failure until Succeeded clears the account. Checking the
// count first and adding the failure after the (slow, by design) password check let every attempt that
// arrived while others were being checked through: 30 concurrent wrong passwords spread over three
// instances all reached the password check with a limit of 5.
type LoginPolicy struct {
	Store         Store
	MaxFailures   int64
	FailureWindow time.Duration
	MaxPerAddress int64
	AddressWindow time.Duration
}

// DefaultLoginPolicy is the policy of both issues: 10 failures in 15 minutes, 300 attempts a minute.
func DefaultLoginPolicy(s Store) *LoginPolicy {
	return &LoginPolicy{Store: s, MaxFailures: 10, FailureWindow: 15 * time.Minute, MaxPerAddress: 300, AddressWindow: time.Minute}
}

// Decision says whether an attempt may proceed and, if not, when to retry.
type Decision struct {
	Allowed    bool
	RetryAfter time.Duration
	Reason     string // "account" or "address"
}

// Attempt counts an attempt from addr for account (a normalised identifier, may be empty) and decides
// whether it may go on to the password check. The attempt stays counted as a failure of the account
// unless Succeeded follows.
func (p *LoginPolicy) Attempt(ctx context.Context, addr, account string) (Decision, error) {
	if addr != "" {
		n, reset, err := p.Store.Hit(ctx, "addr:"+addr, p.AddressWindow)
		if err != nil {
			return Decision{}, fmt.Errorf("count attempts of %s: %w", addr, err)
		}
		if n > p.MaxPerAddress {
			return Decision{RetryAfter: reset, Reason: "address"}, nil
		}
	}
	if account != "" {
		// The key keeps its name from when only failures were counted, so instances of both
		// versions share one count during a rolling deploy.
		n, reset, err := p.Store.Hit(ctx, "fail:"+account, p.FailureWindow)
		if err != nil {
			return Decision{}, fmt.Errorf("count attempts of account: %w", err)
		}
		if n > p.MaxFailures {
			return Decision{RetryAfter: reset, Reason: "account"}, nil
		}
	}
	return Decision{Allowed: true}, nil
}

// Succeeded clears the account's failures after a correct password.
func (p *LoginPolicy) Succeeded(ctx context.Context, account string) error {
	if account == "" {
		return nil
	}
	return p.Store.Reset(ctx, "fail:"+account)
}

// RetryAfterSeconds renders d for a Retry-After header: whole seconds, rounded up, at least 1.
func RetryAfterSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}
