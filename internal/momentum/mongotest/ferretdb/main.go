// Command ferretdb is the MongoDB-compatible server of the tests (FerretDB v1, SQLite handler), run by
// mongotest.Start as a process of its own so that it is built without the race detector: inside a
// -race test binary FerretDB and its SQLite took more than half of the MongoDB tests' CPU.
//
// It listens on 127.0.0.1 on a free port, prints its mongodb:// URI on the first line of stdout, and
// stops when stdin is closed (by mongotest's stop, or by the end of the test process, however it
// ends).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// stopWait bounds the wind-down: FerretDB's listener gives open client connections 3 s to go away.
const stopWait = 5 * time.Second

func main() {
	dir := flag.String("dir", "", "data directory (must exist)")
	level := flag.String("log", "error", "log level on stderr (debug, info, warn, error)")
	flag.Parse()
	if err := run(*dir, *level); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

func run(dir, level string) error {
	if dir == "" {
		return fmt.Errorf("-dir is required")
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		lvl = slog.LevelError
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + filepath.ToSlash(dir) + "/",
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl})),
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()
	// MongoDBURI blocks until the listener is bound, so the port is known and connectable.
	fmt.Println(f.MongoDBURI())

	_, _ = io.Copy(io.Discard, os.Stdin)
	cancel()
	select {
	case <-done:
	case <-time.After(stopWait):
	}
	return nil
}
