package ratelimit

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
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

// TestConcurrentAttemptsOnOneAccountAreLimited: attempts that arrive together, as from an attacker
// with many connections, get exactly MaxFailures password checks, on one shared store as on Redis.
func TestConcurrentAttemptsOnOneAccountAreLimited(t *testing.T) {
	client, prefix := testenv.Redis(t)
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	for name, store := range map[string]Store{"memory": NewMemory(clk), "redis": NewRedis(client, prefix)} {
		t.Run(name, func(t *testing.T) {
			p := DefaultLoginPolicy(store)
			var allowed atomic.Int64
			var wg sync.WaitGroup
			for i := range 50 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					d, err := p.Attempt(t.Context(), fmt.Sprintf("10.0.1.%d", i), "victim@x.com")
					if err != nil {
						t.Error(err)
					}
					if d.Allowed {
						allowed.Add(1)
					}
				}()
			}
			wg.Wait()
			if n := allowed.Load(); n != p.MaxFailures {
				t.Fatalf("%d of 50 concurrent attempts allowed, want %d", n, p.MaxFailures)
			}
		})
	}
}

// TestRedisStore runs against the test Redis server (testenv.Redis).
func TestRedisStore(t *testing.T) {
	client, prefix := testenv.Redis(t)
	ctx := context.Background()
	s := NewRedis(client, prefix)
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

func TestConnectRedisPingsAtOnce(t *testing.T) {
	testenv.Redis(t) // the server must be there for the good case to mean anything
	client, err := ConnectRedis(context.Background(), testenv.RedisURL())
	if err != nil {
		t.Fatalf("ConnectRedis(test server): %v", err)
	}
	client.Close()
	// Nothing listens on this port (the range of this package's tests on the dev machine).
	if _, err := ConnectRedis(context.Background(), "redis://:secret@127.0.0.1:23201/0"); err == nil ||
		!strings.Contains(err.Error(), "127.0.0.1:23201") || strings.Contains(err.Error(), "secret") {
		t.Fatalf("ConnectRedis(nothing listening) = %v, want an error naming the address without the password", err)
	}
	if _, err := ConnectRedis(context.Background(), "http://127.0.0.1:6379"); err == nil {
		t.Fatal("a URL that is not redis:// must be refused")
	}
}
