// Package cli is the process entry of every command of the module: a run function that takes the
// process's arguments, environment and output as parameters (so tests call it in-process), a context
// that SIGTERM or Ctrl-C cancels (the start of a graceful shutdown), and its result as exit status.
package cli

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Run is a command's body: it returns the process exit status.
type Run func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int

// Main runs run with the process's arguments, environment and standard streams and exits with its
// status. The first signal only cancels the context; the handler is then released, so a second
// Ctrl-C (or SIGTERM) during a long drain kills the process the default way instead of being ignored.
func Main(run Run) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
