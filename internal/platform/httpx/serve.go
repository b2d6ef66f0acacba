package httpx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// ServeConfig configures Serve.
type ServeConfig struct {
	// Addr to listen on (e.g. ":5001"), used when Listener is nil.
	Addr     string
	Listener net.Listener
	Handler  http.Handler
	Logger   *slog.Logger
	// ShutdownTimeout bounds how long in-flight requests may take to finish after ctx is cancelled;
	// those still running then are cut off (a forced shutdown, still a clean exit).
	ShutdownTimeout time.Duration
	// CutOffGrace bounds how long a forced shutdown waits for the handlers it cut off to return
	// (their request contexts are cancelled), so the caller does not close the database under them.
	// Default 1 s.
	CutOffGrace time.Duration
	// OnReady is called once the listener accepts connections, with its address.
	OnReady func(addr net.Addr)
}

// Serve runs an HTTP server until ctx is cancelled, then stops accepting connections and waits (up to
// ShutdownTimeout) for in-flight requests to finish. Requests still running then are cut off and logged
// as a forced shutdown with their count. Either way the shutdown was asked for, so Serve returns nil:
// a routine deploy with a slow request must not look like a crash.
func Serve(ctx context.Context, cfg ServeConfig) error {
	ln := cfg.Listener
	if ln == nil {
		var err error
		ln, err = net.Listen("tcp", cfg.Addr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
		}
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 20 * time.Second
	}
	if cfg.CutOffGrace <= 0 {
		cfg.CutOffGrace = time.Second
	}
	var inflight sync.WaitGroup
	var running atomic.Int64
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inflight.Add(1)
		running.Add(1)
		defer func() {
			running.Add(-1)
			inflight.Done()
		}()
		cfg.Handler.ServeHTTP(w, r)
	})
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      90 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if cfg.OnReady != nil {
		cfg.OnReady(ln.Addr())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	cfg.Logger.Info("shutting down", slog.Duration("timeout", cfg.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("graceful shutdown: %w", err)
		}
		cut := running.Load()
		_ = srv.Close()
		cfg.Logger.Warn("forced shutdown: requests cut off after the shutdown timeout",
			slog.Int64("requests_cut_off", cut), slog.Duration("timeout", cfg.ShutdownTimeout))
		done := make(chan struct{})
		go func() { inflight.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(cfg.CutOffGrace):
			cfg.Logger.Warn("forced shutdown: handlers still running after the grace", slog.Int64("handlers", running.Load()))
		}
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
