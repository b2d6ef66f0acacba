// Package mongotest gives MongoDB-backed tests a real wire-protocol server: FerretDB v1 (SQLite
// handler, temporary directory, 127.0.0.1 on a free port) in a child process, plus the optional
// external server named by MOMENTUM_TEST_MONGODB_URL.
//
// Only tests import this package. FerretDB itself is imported only by the child's command
// (mongotest/ferretdb), which Start builds without the race detector, so FerretDB never ends up in a
// production binary and its CPU is not multiplied by -race.
//
// Typical use, one server per test package:
//
//	var ferretURI string
//
//	func TestMain(m *testing.M) {
//		uri, stop, err := mongotest.Start()
//		if err != nil {
//			fmt.Fprintln(os.Stderr, err)
//			os.Exit(1)
//		}
//		ferretURI = uri
//		code := m.Run()
//		stop()
//		os.Exit(code)
//	}
//
// and in each test `db := mongotest.DBName(t)` for a database of its own.
package mongotest

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// EnvURL names the environment variable that points the suites at a real MongoDB as well.
const EnvURL = "MOMENTUM_TEST_MONGODB_URL"

// EnvLog, when set to a slog level name (debug, info, warn, error), shows FerretDB's own log on
// stderr at that level. By default only errors are shown: FerretDB logs every failed command
// (including the duplicate-key errors tests provoke on purpose) at WARN.
const EnvLog = "MOMENTUM_TEST_FERRETDB_LOG"

// serverPackage is the command Start builds and runs.
const serverPackage = "github.com/momentum-cohortly/backends/internal/momentum/mongotest/ferretdb"

// stopWait bounds how long stop waits for FerretDB to wind down. Its listener gives open client
// connections 3 s to go away and then closes them, so a caller that disconnected its clients returns
// at once, and one that did not waits at most this long before the process is killed.
const stopWait = 6 * time.Second

// startWait bounds the build (a link when the build cache is warm, a compile of FerretDB when it is
// not) and the start of the server.
const startWait = 5 * time.Minute

// Start builds and runs FerretDB in a child process and returns its mongodb:// URI (no database in
// the path) and a stop function that shuts it down and removes its files. stop is safe to call twice.
// The child also stops when the test process ends without calling stop: it exits when its stdin closes.
func Start() (uri string, stop func(), err error) {
	dir, err := os.MkdirTemp("", "momentum-ferretdb-")
	if err != nil {
		return "", nil, fmt.Errorf("ferretdb dir: %w", err)
	}
	data := filepath.Join(dir, "data")
	bin := filepath.Join(dir, "ferretdb")
	if err := os.Mkdir(data, 0o700); err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, fmt.Errorf("ferretdb data dir: %w", err)
	}
	// The go command of this test run (go test puts its GOROOT/bin first on PATH), without -race.
	build := exec.Command("go", "build", "-o", bin, serverPackage)
	if out, err := build.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, fmt.Errorf("build %s: %w\n%s", serverPackage, err, out)
	}

	level := os.Getenv(EnvLog)
	if level == "" {
		level = "error"
	}
	cmd := exec.Command(bin, "-dir", data, "-log", level)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, fmt.Errorf("start ferretdb: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		_ = stdin.Close()
		select {
		case <-exited:
		case <-time.After(stopWait):
			_ = cmd.Process.Kill()
			<-exited
		}
		_ = os.RemoveAll(dir)
	}

	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			first <- sc.Text()
		}
		close(first)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line, ok := <-first:
		if !ok || !strings.HasPrefix(line, "mongodb://") {
			stop()
			return "", nil, fmt.Errorf("ferretdb did not start (first line %q)", line)
		}
		return line, stop, nil
	case <-time.After(startWait):
		stop()
		return "", nil, errors.New("ferretdb did not start in time")
	}
}

// ExternalURI returns MOMENTUM_TEST_MONGODB_URL, or "" when the suites should run on FerretDB only.
func ExternalURI() string { return strings.TrimSpace(os.Getenv(EnvURL)) }

// Target is one server a suite runs against.
type Target struct {
	Name string // "ferretdb" or "mongodb": a subtest name
	URI  string
}

// Targets lists the embedded server at ferretURI and, when MOMENTUM_TEST_MONGODB_URL is set, the
// external one.
func Targets(ferretURI string) []Target {
	ts := []Target{{Name: "ferretdb", URI: ferretURI}}
	if ext := ExternalURI(); ext != "" {
		ts = append(ts, Target{Name: "mongodb", URI: ext})
	}
	return ts
}

// DBName returns a database name no other test (in this run or an earlier one against the same
// external server) uses: a readable prefix from the test name plus random hex. It fits the limits of
// both MongoDB (64 bytes, no "/\. \"$") and FerretDB's SQLite handler ([a-zA-Z0-9_-], 63 chars).
func DBName(t testing.TB) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("random database name: %v", err)
	}
	return dbName(t.Name(), hex.EncodeToString(b[:]))
}

func dbName(testName, suffix string) string {
	var sb strings.Builder
	sb.WriteString("t_")
	for _, r := range testName {
		if sb.Len() >= 40 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			sb.WriteRune(r)
		default:
			sb.WriteByte('_')
		}
	}
	sb.WriteByte('_')
	sb.WriteString(suffix)
	return sb.String()
}

// RequireExternal returns the external server's URI or skips the test with a clear message.
func RequireExternal(t testing.TB) string {
	t.Helper()
	uri := ExternalURI()
	if uri == "" {
		t.Skip(EnvURL + " is not set: skipping the external MongoDB run")
	}
	return uri
}
