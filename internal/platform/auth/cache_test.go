package auth

import (
	"testing"
	"time"
)

func TestVerifiedCacheHonoursExpiryAndBound(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	c := NewVerifiedCache[int](2)
	c.Put("a", 1, now.Add(time.Minute))
	if v, ok := c.Get("a", now); !ok || v != 1 {
		t.Fatalf("Get(a) = %v, %v", v, ok)
	}
	if _, ok := c.Get("a", now.Add(time.Minute)); ok {
		t.Fatal("an expired token must not be served from the cache")
	}
	if _, ok := c.Get("missing", now); ok {
		t.Fatal("unknown token found")
	}
	c.Put("b", 2, now.Add(time.Hour))
	c.Put("c", 3, now.Add(time.Hour)) // full: starts over
	if _, ok := c.Get("a", now); ok {
		t.Fatal("the cache grew past its bound")
	}
	if v, ok := c.Get("c", now); !ok || v != 3 {
		t.Fatalf("Get(c) = %v, %v", v, ok)
	}
}
