package main

import (
	"bufio"
	"context"
	"io"
	"sync"
	"time"
)

// logWriter batches log lines: one write(2) per request line costs as much as a fast request, so the
// access log is buffered and flushed every flushEvery (and when 64 kB fill up, and at exit). A crash
// loses at most flushEvery of log lines.
type logWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

const flushEvery = 200 * time.Millisecond

func newLogWriter(w io.Writer) *logWriter { return &logWriter{w: bufio.NewWriterSize(w, 64<<10)} }

func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Flush writes out what is buffered.
func (l *logWriter) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Flush()
}

// run flushes periodically until ctx ends, then once more.
func (l *logWriter) run(ctx context.Context) {
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			_ = l.Flush()
			return
		case <-t.C:
			_ = l.Flush()
		}
	}
}
