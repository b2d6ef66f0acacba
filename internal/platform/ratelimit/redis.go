package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a Store shared by every instance that uses the same Redis and prefix.
type Redis struct {
	client redis.UniversalClient
	prefix string
}

// NewRedis returns a Store on client; keys are namespaced by prefix.
func NewRedis(client redis.UniversalClient, prefix string) *Redis {
	return &Redis{client: client, prefix: prefix}
}

// ConnectRedis opens a client for a redis:// URL and pings it, so that an unreachable or misspelt
// REDIS_URL stops the start-up instead of failing every login afterwards. The caller closes the client.
func ConnectRedis(ctx context.Context, url string) (*redis.Client, error) {
	client, err := newRedisClient(url)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("connect to Redis at %s: %w", client.Options().Addr, err)
	}
	return client, nil
}

// newRedisClient opens a client for a redis:// URL without contacting the server.
func newRedisClient(url string) (*redis.Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("parse Redis URL: %w", err)
	}
	// Deadlines of the caller's context bound each command (Fallback gives every call one), instead
	// of the client's own 3 s read timeout per attempt.
	opt.ContextTimeoutEnabled = true
	// One dial per attempt (the client's default is five, 100 ms apart, for each of its retries): a
	// Redis that refuses connections is noticed in milliseconds, and the counts move to memory.
	if opt.DialerRetries == 0 {
		opt.DialerRetries = 1
	}
	return redis.NewClient(opt), nil
}

// pingTimeout bounds the start-up check: long enough for a Redis across a data centre, short enough
// that a wrong address fails the deployment quickly.
const pingTimeout = 3 * time.Second

// hitScript increments and sets the expiry only on the first hit, atomically, so a window cannot be
// extended by later hits nor left without an expiry by a crash between two commands.
var hitScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`)

func (r *Redis) Hit(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	res, err := hitScript.Run(ctx, r.client, []string{r.prefix + key}, window.Milliseconds()).Int64Slice()
	if err != nil {
		return 0, 0, fmt.Errorf("rate limit hit %q: %w", key, err)
	}
	return res[0], time.Duration(res[1]) * time.Millisecond, nil
}

func (r *Redis) Get(ctx context.Context, key string) (int64, time.Duration, error) {
	pipe := r.client.Pipeline()
	get := pipe.Get(ctx, r.prefix+key)
	ttl := pipe.PTTL(ctx, r.prefix+key)
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return 0, 0, fmt.Errorf("rate limit get %q: %w", key, err)
	}
	n, err := get.Int64()
	if err == redis.Nil {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("rate limit get %q: %w", key, err)
	}
	return n, max(ttl.Val(), 0), nil
}

func (r *Redis) Reset(ctx context.Context, key string) error {
	if err := r.client.Del(ctx, r.prefix+key).Err(); err != nil {
		return fmt.Errorf("rate limit reset %q: %w", key, err)
	}
	return nil
}
