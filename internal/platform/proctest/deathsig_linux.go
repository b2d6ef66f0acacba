package proctest

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal makes the kernel stop the child when the test process dies without its
// cleanup (a panic, a test timeout, kill -9), so no server outlives its test.
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
