// Command momentum runs the Momentum API server and its maintenance subcommands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	_ "github.com/momentum-cohortly/backends/internal/platform/pprofserve" // profiling, in -tags pprof builds only
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
