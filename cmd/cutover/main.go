// Command cutover is the cut-over router: a reverse proxy in front of a service's legacy and new
// backends that moves traffic route by route, copies safe requests to the other side and compares
// the answers, and reports what differed. See the README section "Cut-over router".
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/momentum-cohortly/backends/internal/platform/cli"
	_ "github.com/momentum-cohortly/backends/internal/platform/pprofserve" // profiling, in -tags pprof builds only
)

func main() {
	cli.Main(func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
		return run(ctx, args, getenv, stdout, stderr, hangups())
	})
}

// hangups turns SIGHUP into reload requests; signals that arrive while one is pending are one reload.
func hangups() <-chan struct{} {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	reload := make(chan struct{}, 1)
	go func() {
		for range hup {
			select {
			case reload <- struct{}{}:
			default:
			}
		}
	}()
	return reload
}
