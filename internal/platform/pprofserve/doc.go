// Package pprofserve serves net/http/pprof on PPROF_ADDR in binaries built with -tags pprof, for CPU
// profiles during load runs. Both commands import it for that side effect; in a build without the tag
// the package is empty, so production binaries neither contain the handlers nor read the variable.
package pprofserve
