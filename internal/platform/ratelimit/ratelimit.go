// Package ratelimit counts events per key in fixed time windows, in process memory or in Redis when
// several instances must share the counts.
package ratelimit

import (
	"context"
	"sync"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

// Store counts hits per key. A key's window starts at its first hit and lasts `window`; the count resets
// when it ends.
type Store interface {
	// Hit adds one to key and returns the new count and the time until the window ends.
	Hit(ctx context.Context, key string, window time.Duration) (count int64, resetIn time.Duration, err error)
	// Get returns the current count of key without changing it.
	Get(ctx context.Context, key string) (count int64, resetIn time.Duration, err error)
	// Reset forgets key (e.g. after a successful login).
	Reset(ctx context.Context, key string) error
}

// Memory is a Store in process memory. Counts are per instance.
type Memory struct {
	clk clock.Clock

	mu      sync.Mutex
	entries map[string]*entry
	lastGC  time.Time
}

type entry struct {
	count int64
	end   time.Time
}

// NewMemory returns an empty in-memory store.
func NewMemory(clk clock.Clock) *Memory {
	return &Memory{clk: clk, entries: map[string]*entry{}, lastGC: clk.Now()}
}

// gcEvery bounds how often expired keys are swept, so memory stays proportional to active keys without
// a background goroutine.
const gcEvery = time.Minute

func (m *Memory) Hit(_ context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	now := m.clk.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.Sub(m.lastGC) >= gcEvery {
		for k, e := range m.entries {
			if !now.Before(e.end) {
				delete(m.entries, k)
			}
		}
		m.lastGC = now
	}
	e, ok := m.entries[key]
	if !ok || !now.Before(e.end) {
		e = &entry{end: now.Add(window)}
		m.entries[key] = e
	}
	e.count++
	return e.count, e.end.Sub(now), nil
}

func (m *Memory) Get(_ context.Context, key string) (int64, time.Duration, error) {
	now := m.clk.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok || !now.Before(e.end) {
		return 0, 0, nil
	}
	return e.count, e.end.Sub(now), nil
}

func (m *Memory) Reset(_ context.Context, key string) error {
	m.mu.Lock()
	delete(m.entries, key)
	m.mu.Unlock()
	return nil
}
