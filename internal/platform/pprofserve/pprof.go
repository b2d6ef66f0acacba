//go:build pprof

package pprofserve

import (
	"log"
	"net/http"
	_ "net/http/pprof" // the profiling handlers, on their own listener only
	"os"
)

// Built with -tags pprof, a binary serves net/http/pprof on PPROF_ADDR (e.g. 127.0.0.1:6060), apart
// from the API, so CPU profiles can be taken during load runs. Production builds do not contain it.
func init() {
	addr := os.Getenv("PPROF_ADDR")
	if addr == "" {
		return
	}
	go func() { log.Println("pprof:", http.ListenAndServe(addr, nil)) }()
}
