// Package mongotest gives MongoDB-backed tests a real wire-protocol server: an embedded FerretDB v1
// (SQLite handler, temporary directory, 127.0.0.1 on a free port), plus the optional external server
// named by MOMENTUM_TEST_MONGODB_URL.
//
// Only tests import this package; it is the one non-test package allowed to import FerretDB, so
// FerretDB never ends up in a production binary.
//
// Typical use, one embedded server per test package:
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
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// EnvURL names the environment variable that points the suites at a real MongoDB as well.
const EnvURL = "MOMENTUM_TEST_MONGODB_URL"

// EnvLog, when set to a slog level name (debug, info, warn, error), shows FerretDB's own log on
// stderr at that level. By default only errors are shown: FerretDB logs every failed command
// (including the duplicate-key errors tests provoke on purpose) at WARN.
const EnvLog = "MOMENTUM_TEST_FERRETDB_LOG"

// stopWait bounds how long stop waits for FerretDB to wind down. Its listener gives open client
// connections 3 s to go away and then closes them, so a caller that disconnected its clients returns
// at once, and one that did not waits at most this long; a test process exits right after anyway.
const stopWait = 5 * time.Second

// Start runs an embedded FerretDB and returns its mongodb:// URI (no database in the path) and a
// stop function that shuts it down and removes its data directory. stop is safe to call twice.
func Start() (uri string, stop func(), err error) {
	dir, err := os.MkdirTemp("", "momentum-ferretdb-")
	if err != nil {
		return "", nil, fmt.Errorf("ferretdb data dir: %w", err)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + filepath.ToSlash(dir) + "/",
		Logger:    logger(os.Getenv(EnvLog), os.Stderr),
	})
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, fmt.Errorf("start ferretdb: %w", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()

	// MongoDBURI blocks until the listener is bound, so the port is known and connectable.
	uri = f.MongoDBURI()

	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case <-done:
		case <-time.After(stopWait):
		}
		_ = os.RemoveAll(dir)
	}
	return uri, stop, nil
}

func logger(level string, w io.Writer) *slog.Logger {
	lvl := slog.LevelError
	if level != "" {
		if err := lvl.UnmarshalText([]byte(level)); err != nil {
			lvl = slog.LevelError
		}
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl}))
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
