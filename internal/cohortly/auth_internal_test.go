package cohortly

import (
	"testing"
	"time"
)

func TestTokenCacheExpiresAndStaysBounded(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newTokenCache(3)
	c.put("a", verifiedToken{userID: "u", exp: now.Add(time.Minute)})
	if v, ok := c.get("a", now); !ok || v.userID != "u" {
		t.Fatal("miss on a fresh entry")
	}
	if _, ok := c.get("a", now.Add(time.Minute)); ok {
		t.Fatal("hit at exp: an expired token must be parsed (and refused) again")
	}
	for _, k := range []string{"b", "c", "d"} {
		c.put(k, verifiedToken{exp: now.Add(time.Hour)})
	}
	if len(c.m) > 3 {
		t.Fatalf("cache grew to %d", len(c.m))
	}
}
