// Command cohortly runs the Cohortly API server and its maintenance subcommands.
package main

import (
	"github.com/momentum-cohortly/backends/internal/platform/cli"
	_ "github.com/momentum-cohortly/backends/internal/platform/pprofserve" // profiling, in -tags pprof builds only
)

func main() { cli.Main(run) }
