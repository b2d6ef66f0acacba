package ratelimit

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
	"github.com/momentum-cohortly/backends/internal/platform/config"
)

// Config is how a service keeps its rate-limit counters.
type Config struct {
	// RedisURL shares the counters between every instance using the same Redis and Prefix. Empty:
	// each instance counts in its own memory.
	RedisURL string
	// Prefix namespaces the service's keys in Redis.
	Prefix string
	// Production makes a missing RedisURL a warning at start-up: behind a load balancer, N
	// instances then allow N times the attempts.
	Production bool
	Logger     *slog.Logger
	Clock      clock.Clock
}

// Open returns the rate-limit store of a service, and the function that closes it. With a Redis URL
// it pings Redis first, so an unreachable or misspelt URL stops the start-up; afterwards a Redis that
// cannot be reached is survived by counting in memory (Fallback).
func Open(ctx context.Context, c Config) (Store, func(), error) {
	local := NewMemory(c.Clock)
	if c.RedisURL == "" {
		if c.Production {
			c.Logger.Warn("REDIS_URL is not set: login rate limits are counted per instance, so N instances allow N times the attempts; set REDIS_URL when more than one instance runs")
		}
		return local, func() {}, nil
	}
	client, err := ConnectRedis(ctx, c.RedisURL)
	if err != nil {
		return nil, func() {}, err
	}
	c.Logger.Info("rate limits shared through Redis", slog.String("url", config.MaskURL(c.RedisURL)))
	return NewFallback(NewRedis(client, c.Prefix), local, c.Clock, c.Logger), func() { _ = client.Close() }, nil
}

// Defaults of a Fallback.
const (
	// DefaultSharedTimeout bounds one call to the shared store, so a Redis that stopped answering (a
	// network partition, not a refused connection) delays a login by at most this much.
	DefaultSharedTimeout = time.Second
	// DefaultSharedRetry is how long the counts stay in memory after the shared store failed before
	// it is tried again.
	DefaultSharedRetry = 5 * time.Second
)

// Fallback is a Store that counts in a shared store (Redis) and, while that cannot be reached, in
// process memory: logins go on, limited per instance (N instances allow N times the attempts, as
// without Redis), instead of every login failing for as long as Redis is away. See the README ("Many
// instances") for why this is the choice between failing open and failing closed.
//
// After a failure the shared store is left alone for Retry, then tried again by the next call. Counts
// made in memory meanwhile stay there: they are not carried over when the shared store comes back.
type Fallback struct {
	shared, local Store
	clk           clock.Clock
	log           *slog.Logger
	// Timeout bounds each call to the shared store; Retry is how long it is skipped after a failure.
	Timeout, Retry time.Duration

	mu      sync.Mutex
	down    bool
	retryAt time.Time
}

// NewFallback counts in shared, and in local while shared fails.
func NewFallback(shared, local Store, clk clock.Clock, log *slog.Logger) *Fallback {
	return &Fallback{shared: shared, local: local, clk: clk, log: log, Timeout: DefaultSharedTimeout, Retry: DefaultSharedRetry}
}

// Shared reports whether the counts currently go to the shared store.
func (f *Fallback) Shared() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return !f.down
}

// useShared says whether to try the shared store now.
func (f *Fallback) useShared() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return !f.down || !f.clk.Now().Before(f.retryAt)
}

func (f *Fallback) failed(err error) {
	f.mu.Lock()
	was := f.down
	f.down, f.retryAt = true, f.clk.Now().Add(f.Retry)
	f.mu.Unlock()
	if !was {
		f.log.Warn("rate-limit store unreachable: counting per instance until it is back (N instances allow N times the attempts)",
			slog.String("error", err.Error()), slog.Duration("retry_every", f.Retry))
	}
}

func (f *Fallback) worked() {
	f.mu.Lock()
	was := f.down
	f.down = false
	f.mu.Unlock()
	if was {
		f.log.Info("rate-limit store reachable again: counts are shared between instances again")
	}
}

// call runs op on the shared store when it is usable and reports whether it did (err is then its
// result); false means the caller counts locally.
func (f *Fallback) call(ctx context.Context, op func(ctx context.Context, s Store) error) (bool, error) {
	if !f.useShared() {
		return false, nil
	}
	cctx, cancel := context.WithTimeout(ctx, f.Timeout)
	defer cancel()
	err := op(cctx, f.shared)
	switch {
	case err == nil:
		f.worked()
		return true, nil
	case ctx.Err() != nil:
		// The request itself ended (the client went away): not the shared store's fault.
		return true, err
	default:
		f.failed(err)
		return false, nil
	}
}

func (f *Fallback) Hit(ctx context.Context, key string, window time.Duration) (n int64, reset time.Duration, err error) {
	ok, err := f.call(ctx, func(ctx context.Context, s Store) error {
		var herr error
		n, reset, herr = s.Hit(ctx, key, window)
		return herr
	})
	if ok {
		return n, reset, err
	}
	return f.local.Hit(ctx, key, window)
}

func (f *Fallback) Get(ctx context.Context, key string) (n int64, reset time.Duration, err error) {
	ok, err := f.call(ctx, func(ctx context.Context, s Store) error {
		var gerr error
		n, reset, gerr = s.Get(ctx, key)
		return gerr
	})
	if ok {
		return n, reset, err
	}
	return f.local.Get(ctx, key)
}

// Reset forgets key in both stores: a success during an outage must not leave the account locked in
// this instance's memory for the next outage.
func (f *Fallback) Reset(ctx context.Context, key string) error {
	lerr := f.local.Reset(ctx, key)
	_, err := f.call(ctx, func(ctx context.Context, s Store) error { return s.Reset(ctx, key) })
	return errors.Join(err, lerr)
}
