//go:build !linux

package proctest

import "os/exec"

// setParentDeathSignal: only Linux has a parent-death signal; elsewhere a test process that dies
// without its cleanup leaves its servers running.
func setParentDeathSignal(*exec.Cmd) {}
