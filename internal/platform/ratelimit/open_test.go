package ratelimit

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/faultnet"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// logSink collects JSON log records.
type logSink struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// records returns the records at level whose message starts with prefix.
func (l *logSink) records(level, prefix string) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(l.b.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["level"] == level && strings.HasPrefix(rec["msg"].(string), prefix) {
			out = append(out, rec)
		}
	}
	return out
}

func sinkLogger() (*slog.Logger, *logSink) {
	s := &logSink{}
	return slog.New(slog.NewJSONHandler(s, nil)), s
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestOpenWarnsInProductionWithoutRedis(t *testing.T) {
	for _, tc := range []struct {
		name       string
		production bool
		warn       bool
	}{
		{"production", true, true},
		{"development", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log, sink := sinkLogger()
			s, closeFn, err := Open(t.Context(), Config{Production: tc.production, Logger: log, Clock: clock.NewFake(t0)})
			if err != nil {
				t.Fatal(err)
			}
			defer closeFn()
			if _, ok := s.(*Memory); !ok {
				t.Fatalf("without REDIS_URL the store is %T, want *Memory", s)
			}
			if got := len(sink.records("WARN", "REDIS_URL is not set")); got != map[bool]int{true: 1, false: 0}[tc.warn] {
				t.Fatalf("%d warnings about REDIS_URL, want warn=%v", got, tc.warn)
			}
		})
	}
	t.Run("production with Redis", func(t *testing.T) {
		testenv.Redis(t)
		log, sink := sinkLogger()
		s, closeFn, err := Open(t.Context(), Config{RedisURL: testenv.RedisURL(), Prefix: "x:", Production: true, Logger: log, Clock: clock.NewFake(t0)})
		if err != nil {
			t.Fatal(err)
		}
		defer closeFn()
		if _, ok := s.(*Fallback); !ok {
			t.Fatalf("with REDIS_URL the store is %T, want *Fallback", s)
		}
		if len(sink.records("WARN", "")) != 0 || len(sink.records("INFO", "rate limits shared through Redis")) != 1 {
			t.Fatalf("log: %s", sink.b.String())
		}
	})
}

// throughProxy returns a Redis store whose connections go through a faultnet proxy, a client of the
// test server for checking what reached it, and the key prefix.
func throughProxy(t *testing.T) (*faultnet.Proxy, *Redis, *Redis) {
	t.Helper()
	direct, prefix := testenv.Redis(t)
	u, err := url.Parse(testenv.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	px, err := faultnet.Start(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = px.Close() })
	u.Host = px.Addr()
	client, err := ConnectRedis(t.Context(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return px, NewRedis(client, prefix), NewRedis(direct, prefix)
}

// TestFallbackCountsLocallyWhileRedisIsDown cuts the connection to Redis: counting goes on in memory
// without an error (one warning), Redis is tried again only after Retry, and from then on the shared
// count continues where Redis left it.
func TestFallbackCountsLocallyWhileRedisIsDown(t *testing.T) {
	px, viaProxy, direct := throughProxy(t)
	clk := clock.NewFake(t0)
	log, sink := sinkLogger()
	f := NewFallback(viaProxy, NewMemory(clk), clk, log)
	ctx := t.Context()
	hit := func(want int64, shared bool) {
		t.Helper()
		n, reset, err := f.Hit(ctx, "k", time.Minute)
		if err != nil || n != want || reset <= 0 || f.Shared() != shared {
			t.Fatalf("Hit = %d, %v, %v, shared %v; want %d, shared %v", n, reset, err, f.Shared(), want, shared)
		}
	}
	hit(1, true)
	hit(2, true)
	if n, _, _ := direct.Get(ctx, "k"); n != 2 {
		t.Fatalf("Redis holds %d, want 2", n)
	}

	px.Cut()
	hit(1, false) // in memory now
	hit(2, false)
	if n, _, err := f.Get(ctx, "k"); err != nil || n != 2 {
		t.Fatalf("Get during the outage = %d, %v", n, err)
	}
	if err := f.Reset(ctx, "other"); err != nil {
		t.Fatalf("Reset during the outage: %v", err)
	}
	if w := sink.records("WARN", "rate-limit store unreachable"); len(w) != 1 {
		t.Fatalf("%d warnings for one outage, want 1: %s", len(w), sink.b.String())
	}

	if err := px.Restore(); err != nil {
		t.Fatal(err)
	}
	hit(3, false) // Redis is not tried again before Retry has passed
	clk.Advance(f.Retry)
	hit(3, true) // Redis had 2
	if len(sink.records("INFO", "rate-limit store reachable again")) != 1 {
		t.Fatalf("no recovery line: %s", sink.b.String())
	}
	// A success clears the account in both stores.
	if err := f.Reset(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := direct.Get(ctx, "k"); n != 0 {
		t.Fatalf("Redis still holds %d after Reset", n)
	}
	px.Cut()
	hit(1, false) // the memory count was reset too
}

// TestFallbackBoundsACallToAnUnansweringRedis: a Redis that accepts connections and never answers
// (a partition, not a refusal) costs one call its Timeout, not the client's read timeout per retry.
func TestFallbackBoundsACallToAnUnansweringRedis(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go func() {
				buf := make([]byte, 1024)
				for {
					if _, err := c.Read(buf); err != nil {
						return
					}
				}
			}()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}()
	client, err := newRedisClient("redis://" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	clk := clock.NewFake(t0)
	log, _ := sinkLogger()
	f := NewFallback(NewRedis(client, "x:"), NewMemory(clk), clk, log)
	f.Timeout = 100 * time.Millisecond
	start := time.Now()
	n, _, err := f.Hit(t.Context(), "k", time.Minute)
	took := time.Since(start)
	if err != nil || n != 1 || f.Shared() {
		t.Fatalf("Hit = %d, %v, shared %v", n, err, f.Shared())
	}
	// The client alone would wait its 3 s read timeout on each of its retries.
	if took > 2*time.Second {
		t.Fatalf("one Hit against an unanswering Redis took %v", took)
	}
}

// TestFallbackIgnoresTheCallersCancellation: a request that ends (its client went away) is not a
// Redis outage.
func TestFallbackIgnoresTheCallersCancellation(t *testing.T) {
	_, viaProxy, _ := throughProxy(t)
	clk := clock.NewFake(t0)
	log, _ := sinkLogger()
	f := NewFallback(viaProxy, NewMemory(clk), clk, log)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := f.Hit(ctx, "k", time.Minute); err == nil {
		t.Fatal("a cancelled request's Hit succeeded")
	}
	if !f.Shared() {
		t.Fatal("a cancelled request switched the counts to memory")
	}
}
