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
// status. The first SIGTERM or Ctrl-C cancels the context, after the handler is released, so a second
// one during a long drain kills the process the default way instead of being swallowed.
func Main(run Run) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		cancel()
	}()
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	cancel()
	os.Exit(code)
}
