package ratelimit

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

func TestMemoryWindow(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	m := NewMemory(clk)
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		n, reset, _ := m.Hit(ctx, "k", time.Minute)
		if n != int64(i) || reset != time.Minute {
			t.Fatalf("hit %d: n=%d reset=%v", i, n, reset)
		}
	}
	clk.Advance(59 * time.Second)
	if n, reset, _ := m.Get(ctx, "k"); n != 3 || reset != time.Second {
		t.Fatalf("Get = %d, %v", n, reset)
	}
	clk.Advance(time.Second)
	if n, _, _ := m.Hit(ctx, "k", time.Minute); n != 1 {
		t.Fatalf("after the window the count restarts, got %d", n)
	}
	_ = m.Reset(ctx, "k")
	if n, _, _ := m.Get(ctx, "k"); n != 0 {
		t.Fatalf("after Reset: %d", n)
	}
}

func TestLoginPolicyLocksAccountAndAddress(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	p := DefaultLoginPolicy(NewMemory(clk))
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		d, _ := p.Attempt(ctx, "10.0.0.1", "a@x.com")
		if !d.Allowed {
			t.Fatalf("attempt %d refused", i+1)
		}
		_ = p.Failed(ctx, "a@x.com")
	}
	d, _ := p.Attempt(ctx, "10.0.0.2", "a@x.com")
	if d.Allowed || d.Reason != "account" || d.RetryAfter <= 0 || d.RetryAfter > 15*time.Minute {
		t.Fatalf("11th attempt on a locked account: %+v", d)
	}
	if d, _ := p.Attempt(ctx, "10.0.0.2", "b@x.com"); !d.Allowed {
		t.Fatal("another account must not be locked")
	}
	clk.Advance(15 * time.Minute)
	if d, _ := p.Attempt(ctx, "10.0.0.3", "a@x.com"); !d.Allowed {
		t.Fatal("the lock must end after the window")
	}
	_ = p.Failed(ctx, "a@x.com")
	_ = p.Succeeded(ctx, "a@x.com")
	if n, _, _ := p.Store.Get(ctx, "fail:a@x.com"); n != 0 {
		t.Fatal("success must clear failures")
	}
	for i := 0; i < 300; i++ {
		p.Attempt(ctx, "10.9.9.9", "")
	}
	if d, _ := p.Attempt(ctx, "10.9.9.9", ""); d.Allowed || d.Reason != "address" {
		t.Fatalf("301st attempt from one address: %+v", d)
	}
	if got := RetryAfterSeconds(1500 * time.Millisecond); got != 2 {
		t.Errorf("RetryAfterSeconds(1.5s) = %d", got)
	}
}

// TestRedisStore runs against the Redis server of the dev and CI machines (127.0.0.1:6379, or
// TEST_REDIS_URL). Under CI it must be there; elsewhere the test is skipped when it is not.
func TestRedisStore(t *testing.T) {
	url := os.Getenv("TEST_REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	client := redis.NewClient(opt)
	defer client.Close()
	ctx := context.Background()
	if err := client.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Redis at %s is required under CI: %v", url, err)
		}
		t.Skipf("Redis at %s not reachable: %v", url, err)
	}
	s := NewRedis(client, fmt.Sprintf("test:%d:", time.Now().UnixNano()))
	for i := 1; i <= 3; i++ {
		n, reset, err := s.Hit(ctx, "k", time.Minute)
		if err != nil || n != int64(i) || reset <= 0 || reset > time.Minute {
			t.Fatalf("hit %d: %d %v %v", i, n, reset, err)
		}
	}
	if n, _, err := s.Get(ctx, "k"); err != nil || n != 3 {
		t.Fatalf("Get = %d, %v", n, err)
	}
	if n, _, err := s.Get(ctx, "absent"); err != nil || n != 0 {
		t.Fatalf("Get(absent) = %d, %v", n, err)
	}
	if err := s.Reset(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := s.Get(ctx, "k"); n != 0 {
		t.Fatalf("after Reset: %d", n)
	}
	// Two instances sharing Redis see one count.
	other := NewRedis(client, s.prefix)
	s.Hit(ctx, "shared", time.Minute)
	if n, _, _ := other.Hit(ctx, "shared", time.Minute); n != 2 {
		t.Fatalf("shared count = %d, want 2", n)
	}
	_ = s.Reset(ctx, "shared")
}
