package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cutover/config"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

type syncBuffer = testenv.SyncBuffer

func side(t *testing.T, name string) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, name) }))
	t.Cleanup(s.Close)
	return s
}

func TestReloadKeepsConnectionsAndRefusesABadFile(t *testing.T) {
	legacy, newB := side(t, "legacy"), side(t, "new")
	dir := t.TempDir()
	path := filepath.Join(dir, "cutover.yaml")
	write := func(def string) string {
		body := fmt.Sprintf("listen: 127.0.0.1:0\nbackends:\n  legacy: {urls: [%s]}\n  new: {urls: [%s]}\ndefault: %s\n", legacy.URL, newB.URL, def)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(body))
		return hex.EncodeToString(sum[:])
	}
	write("legacy")
	load := func() (*config.Config, error) { return config.Load(path) }
	cfg, err := load()
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	reload := make(chan struct{})
	reloaded := make(chan error, 1)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, cfg, load, logger, nil, reload, 5*time.Second, serveOpts{
			onReady:  func(a, _ net.Addr) { ready <- a.String() },
			onReload: func(err error) { reloaded <- err },
		})
	}()
	addr := <-ready
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	var conns []net.Conn
	get := func(path string) (string, bool) {
		t.Helper()
		reused := false
		trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { reused = i.Reused; conns = append(conns, i.Conn) }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", "http://"+addr+path, nil)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b), reused
	}
	if body, _ := get("/api/x"); body != "legacy" {
		t.Fatalf("before reload: %q", body)
	}
	goodSum := write("new")
	reload <- struct{}{}
	if err := <-reloaded; err != nil {
		t.Fatalf("good file refused: %v", err)
	}
	if body, reused := get("/api/x"); body != "new" || !reused {
		t.Errorf("after reload: %q, connection reused %v", body, reused)
	}
	write("sideways")
	reload <- struct{}{}
	if err := <-reloaded; err == nil || !strings.Contains(err.Error(), "unknown target") {
		t.Fatalf("bad file: %v", err)
	}
	if body, reused := get("/api/x"); body != "new" || !reused {
		t.Errorf("after a refused reload: %q (the old table must stay), connection reused %v", body, reused)
	}
	if !strings.Contains(logs.String(), "config reload refused: the table in force is kept") || !strings.Contains(logs.String(), "unknown target") {
		t.Errorf("no log line saying why:\n%s", logs.String())
	}
	routes, _ := get("/cutover/routes")
	var table struct {
		SHA256 string `json:"sha256"`
	}
	if err := json.Unmarshal([]byte(routes), &table); err != nil || table.SHA256 != goodSum {
		t.Errorf("/cutover/routes shows %q, want the good file's %s (%v)", table.SHA256, goodSum, err)
	}
	if len(conns) != 4 || conns[0] != conns[3] {
		t.Errorf("requests used %d connections, want one kept throughout", len(conns))
	}
}

func TestCommands(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"check", "-preset", "momentum"}, os.Getenv, &out, &errb, nil); code != 0 ||
		!strings.Contains(out.String(), "POST /api/sms-campaigns/preview") || !strings.Contains(out.String(), "side-effect free") {
		t.Errorf("check: %d %s %s", code, out.String(), errb.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"preset", "cohortly"}, os.Getenv, &out, &errb, nil); code != 0 || !strings.Contains(out.String(), "service: cohortly") {
		t.Errorf("preset: %d", code)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	_ = os.WriteFile(bad, []byte("backends: {legacy: {urls: [x]}}\nroutes:\n  - GET /api -> mirror\nsurprise: 1\n"), 0o600)
	errb.Reset()
	if code := run(context.Background(), []string{"check", "-config", bad}, os.Getenv, &out, &errb, nil); code != 2 || !strings.Contains(errb.String(), "surprise") {
		t.Errorf("a config with an unknown key: %d %s", code, errb.String())
	}
	// report: a log with one unexplained path; -strict fails on it; a config explaining it passes.
	log := filepath.Join(dir, "diffs.jsonl")
	_ = os.WriteFile(log, []byte(`{"kind":"diff","time":"2026-12-01T00:00:00Z","run":"r","request_id":"id1","route":"/api/","method":"GET","path":"/api/x","primary":"legacy","diffs":[{"path":"$.n","general":"$.n","legacy":1,"new":2}]}
{"kind":"stats","time":"2026-12-01T00:00:10Z","run":"r","routes":{"/api/":{"target":"shadow legacy","requests":{"legacy":10},"compared":8,"diffed":1,"paths":{"$.n":1}}}}
`), 0o600)
	out.Reset()
	if code := run(context.Background(), []string{"report", "-strict", log}, os.Getenv, &out, &errb, nil); code != 1 ||
		!strings.Contains(out.String(), "compared 8, with diffs 1 (12.50%)") || !strings.Contains(out.String(), "UNEXPLAINED") {
		t.Errorf("report -strict: %d\n%s", code, out.String())
	}
	explain := filepath.Join(dir, "explain.yaml")
	_ = os.WriteFile(explain, []byte("routes: ['/api/ -> shadow legacy']\nexplain:\n  - {route: /api/, path: $.n, reason: counted twice by legacy}\n"), 0o600)
	out.Reset()
	if code := run(context.Background(), []string{"report", "-strict", "-config", explain, log}, os.Getenv, &out, &errb, nil); code != 0 ||
		!strings.Contains(out.String(), "explained: counted twice by legacy") {
		t.Errorf("report with explanations: %d\n%s%s", code, out.String(), errb.String())
	}
}
