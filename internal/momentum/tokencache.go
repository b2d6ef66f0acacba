package momentum

import (
	"sync"
	"time"
)

// tokenCache remembers tokens whose signature was already verified, so a client that sends the same
// token on every request pays for HMAC and claim decoding once. Only the verification is cached: expiry
// is checked on every use, and the user and session are still loaded per request, so revocation keeps
// working. The cache is bounded; when full it starts over.
type tokenCache struct {
	mu  sync.RWMutex
	m   map[string]Claims
	max int
}

func newTokenCache(max int) *tokenCache {
	return &tokenCache{m: make(map[string]Claims, max), max: max}
}

func (c *tokenCache) get(token string, now time.Time) (Claims, bool) {
	c.mu.RLock()
	cl, ok := c.m[token]
	c.mu.RUnlock()
	if !ok || cl.ExpiresAt == nil || !now.Before(cl.ExpiresAt.Time) {
		return Claims{}, false
	}
	return cl, true
}

func (c *tokenCache) put(token string, cl Claims) {
	c.mu.Lock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[token] = cl
	c.mu.Unlock()
}
