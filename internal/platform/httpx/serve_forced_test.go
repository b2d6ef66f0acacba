package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestShutdownCutsOffARequestThatOutlivesTheTimeoutAndStillEndsCleanly(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{}, 2)
	cutOff := make(chan struct{}, 2)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-r.Context().Done() // never finishes on its own: only the forced close ends it
		cutOff <- struct{}{}
	})
	logs := &syncLog{}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- Serve(ctx, ServeConfig{Listener: ln, Handler: h, Logger: slog.New(slog.NewJSONHandler(logs, nil)),
			ShutdownTimeout: 10 * time.Millisecond})
	}()
	clientErr := make(chan error, 2)
	for range 2 {
		go func() {
			resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
			if err == nil {
				resp.Body.Close()
			}
			clientErr <- err
		}()
	}
	<-started
	<-started
	cancel()
	if err := <-served; err != nil {
		t.Fatalf("Serve after a forced shutdown: %v (the process would exit 1)", err)
	}
	for range 2 {
		<-cutOff // the handlers saw their contexts cancelled and returned before Serve did
		if err := <-clientErr; err == nil {
			t.Fatal("a cut-off request got an answer")
		}
	}
	var forced map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && strings.HasPrefix(m["msg"].(string), "forced shutdown") {
			forced = m
		}
	}
	if forced == nil || forced["level"] != "WARN" || forced["requests_cut_off"] != float64(2) {
		t.Fatalf("no forced-shutdown line with requests_cut_off=2 in:\n%s", logs.String())
	}
}
