package proctest

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
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
