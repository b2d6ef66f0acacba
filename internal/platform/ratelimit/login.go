package ratelimit

import (
	"context"
	"fmt"
	"time"
)

// LoginPolicy is the brute-force guard both services put in front of password checks: an account is
// locked after MaxFailures failed attempts within FailureWindow, and a client address may make at most
// MaxPerAddress attempts (successful or not) per AddressWindow.
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

// Attempt records an attempt from addr for account (a normalised identifier, may be empty) and decides
// whether it may go on to the password check.
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
		n, reset, err := p.Store.Get(ctx, "fail:"+account)
		if err != nil {
			return Decision{}, fmt.Errorf("count failures of account: %w", err)
		}
		if n >= p.MaxFailures {
			return Decision{RetryAfter: reset, Reason: "account"}, nil
		}
	}
	return Decision{Allowed: true}, nil
}

// Failed records a failed password check for account.
func (p *LoginPolicy) Failed(ctx context.Context, account string) error {
	if account == "" {
		return nil
	}
	if _, _, err := p.Store.Hit(ctx, "fail:"+account, p.FailureWindow); err != nil {
		return fmt.Errorf("record failed login: %w", err)
	}
	return nil
}

// Succeeded clears the account's failures.
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
