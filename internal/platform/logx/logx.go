// Package logx holds logging plumbing shared by the services.
package logx

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// BufferedWriter batches log lines into few large writes: one access-log line per request would
// otherwise cost one write system call per request, a visible share of a busy server's CPU. Lines are
// flushed every interval, when the buffer fills, and on Close, so at most one interval of log lines is
// lost if the process is killed.
type BufferedWriter struct {
	mu     sync.Mutex
	buf    *bufio.Writer
	closed bool // no flusher any more: writes go straight through
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
}

// NewBufferedWriter buffers writes to w and flushes them every interval.
func NewBufferedWriter(w io.Writer, interval time.Duration) *BufferedWriter {
	b := &BufferedWriter{buf: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				_ = b.Flush()
			case <-b.stop:
				return
			}
		}
	}()
	return b
}

// Write appends p (one or more whole log lines) to the buffer. After Close nothing flushes any more,
// so p is written through at once (the last lines of a shutdown must not be lost).
func (b *BufferedWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if err == nil && b.closed {
		err = b.buf.Flush()
	}
	return n, err
}

// Flush writes out what is buffered.
func (b *BufferedWriter) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Flush()
}

// Close stops the flusher and flushes what is left; writes after Close go straight to the underlying
// writer. Close may be called more than once, concurrently too.
func (b *BufferedWriter) Close() error {
	b.once.Do(func() {
		close(b.stop)
		<-b.done
	})
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	return b.buf.Flush()
}
