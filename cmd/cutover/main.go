// Command cutover is the cut-over router: a reverse proxy in front of a service's legacy and new
// backends that moves traffic route by route, copies safe requests to the other side and compares
// the answers, and reports what differed. See the README section "Cut-over router".
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	reload := make(chan struct{}, 1)
	go func() {
		for range hup {
			select {
			case reload <- struct{}{}:
			default: // a reload is already pending
			}
		}
	}()
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, reload)
	stop()
	os.Exit(code)
}
