package logx

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
	n  int
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	return l.b.Write(p)
}

func TestBufferedWriterBatchesAndFlushesOnClose(t *testing.T) {
	var out lockedBuf
	// An interval no test waits for: only Close may flush here.
	w := NewBufferedWriter(&out, time.Hour)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				w.Write([]byte("line\n"))
			}
		}()
	}
	wg.Wait()
	out.mu.Lock()
	before := out.n
	out.mu.Unlock()
	if before != 0 {
		t.Fatalf("%d writes reached the output before a flush", before)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out.b.String(), "line\n"); got != 800 {
		t.Fatalf("%d lines after Close, want 800", got)
	}
	if out.n > 1 {
		t.Fatalf("800 lines took %d writes, want 1", out.n)
	}
	_ = w.Close() // a second Close is harmless
}

func TestBufferedWriterClosesTwiceAtOnce(t *testing.T) {
	// The old Close checked and closed its stop channel in two steps; two Closes at once both closed
	// it and panicked. Many rounds with all closers released together make that window likely.
	for range 2000 {
		w := NewBufferedWriter(&lockedBuf{}, time.Hour)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if err := w.Close(); err != nil {
					t.Error(err)
				}
			}()
		}
		close(start)
		wg.Wait()
	}
}

func TestBufferedWriterWritesThroughAfterClose(t *testing.T) {
	var out lockedBuf
	w := NewBufferedWriter(&out, time.Hour)
	w.Write([]byte("before\n"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("after\n")) // e.g. the "stopped" line logged after the deferred Close ran
	out.mu.Lock()
	defer out.mu.Unlock()
	if got := out.b.String(); got != "before\nafter\n" {
		t.Fatalf("output %q, want both lines without another Flush", got)
	}
}
