package auth

import (
	"sync"
	"time"
)

// VerifiedCache remembers tokens whose signature was already verified, with their decoded claims, so a
// client that sends the same token on every request pays for the HMAC and the claim decoding once (it
// was a quarter of the CPU of a simple authenticated GET). Only verification is cached: expiry is checked
// on every hit, and callers still load the user per request, so revocation keeps working. The cache is
// bounded; when full it starts over.
type VerifiedCache[C any] struct {
	mu  sync.RWMutex
	m   map[string]verified[C]
	max int
}

type verified[C any] struct {
	claims C
	exp    time.Time
}

// NewVerifiedCache returns a cache holding at most max tokens.
func NewVerifiedCache[C any](max int) *VerifiedCache[C] {
	return &VerifiedCache[C]{m: make(map[string]verified[C], 64), max: max}
}

// Get returns the claims of a verified token that has not expired at now.
func (c *VerifiedCache[C]) Get(token string, now time.Time) (C, bool) {
	c.mu.RLock()
	v, ok := c.m[token]
	c.mu.RUnlock()
	if !ok || !now.Before(v.exp) {
		var zero C
		return zero, false
	}
	return v.claims, true
}

// Put records a token verified by Parse, valid until exp.
func (c *VerifiedCache[C]) Put(token string, claims C, exp time.Time) {
	c.mu.Lock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[token] = verified[C]{claims: claims, exp: exp}
	c.mu.Unlock()
}
