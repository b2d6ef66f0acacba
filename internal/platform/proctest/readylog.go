package proctest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// ReadyLog is an io.Writer for a command's JSON log, run in-process: it keeps the whole log and
// sends, once, on Ready the "addr" of the first line whose "msg" is the start-up message it waits
// for. Writes are synchronous, so once the command has returned every line it wrote is here.
type ReadyLog struct {
	Ready chan string
	msg   string
	mu    sync.Mutex
	buf   bytes.Buffer
	seen  bool
}

// NewReadyLog waits for the line whose msg is msg ("ready", "cohortly listening", ...).
func NewReadyLog(msg string) *ReadyLog { return &ReadyLog{Ready: make(chan string, 1), msg: msg} }

func (l *ReadyLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	if !l.seen {
		for _, line := range strings.Split(l.buf.String(), "\n") {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == l.msg {
				l.seen = true
				l.Ready <- rec.Addr
				break
			}
		}
	}
	return len(p), nil
}

// String is the log so far.
func (l *ReadyLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Lines decodes the log so far, one JSON object a line, failing the test on a line that is not one.
func (l *ReadyLog) Lines(t testing.TB) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, s := range strings.Split(strings.TrimSpace(l.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatalf("log line %q: %v", s, err)
		}
		out = append(out, m)
	}
	return out
}

// Serve runs a command in-process (run with args and getenv, its log to a ReadyLog waiting for the
// ready message) and returns the base URL from that line, the log, and a stop function that cancels
// the command's context and returns its exit status; the test's cleanup stops it too. Nothing waits
// on a clock except the bounds on start-up (60 s) and stop (30 s).
func Serve(t testing.TB, run func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int,
	args []string, getenv func(string) string, ready string) (string, *ReadyLog, func() int) {
	t.Helper()
	logs := NewReadyLog(ready)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, getenv, logs, logs) }()
	var addr string
	select {
	case addr = <-logs.Ready:
	case code := <-done:
		cancel()
		t.Fatalf("run exited with %d before it was ready:\n%s", code, logs)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("server not ready:\n%s", logs)
	}
	stopped := false
	stop := func() int {
		if stopped {
			return 0
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(30 * time.Second):
			t.Fatal("run did not stop after its context was cancelled")
			return -1
		}
	}
	t.Cleanup(func() { stop() })
	return "http://" + addr, logs, stop
}
