package cli_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/cli"
)

// The test binary doubles as the command: with CLI_TEST_MODE set, TestMain runs cli.Main with a run
// that reports the context's end and then drains (returns 3) or hangs, as the mode says.
func TestMain(m *testing.M) {
	switch os.Getenv("CLI_TEST_MODE") {
	case "":
		os.Exit(m.Run())
	case "drain":
		cli.Main(func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
			fmt.Fprintln(stdout, "ready", getenv("CLI_TEST_MODE"), len(args))
			<-ctx.Done()
			return 3
		})
	case "hang":
		cli.Main(func(ctx context.Context, _ []string, _ func(string) string, stdout, _ io.Writer) int {
			fmt.Fprintln(stdout, "ready")
			<-ctx.Done()
			fmt.Fprintln(stdout, "draining")
			select {} // a drain that never ends
		})
	}
}

func command(t *testing.T, mode string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "extra")
	cmd.Env = append(os.Environ(), "CLI_TEST_MODE="+mode)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A process that ignores the signals would hang the test: kill it after a while instead, which
	// fails the test (the exit is then not the expected one).
	watchdog := time.AfterFunc(30*time.Second, func() { _ = cmd.Process.Kill() })
	t.Cleanup(func() { watchdog.Stop(); _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd, bufio.NewScanner(out)
}

func expectLine(t *testing.T, sc *bufio.Scanner, want string) {
	t.Helper()
	if !sc.Scan() || sc.Text() != want {
		t.Fatalf("output %q, want %q (%v)", sc.Text(), want, sc.Err())
	}
}

// SIGTERM cancels the run's context; its return value is the exit status, and the run got the
// arguments and the environment.
func TestSignalCancelsTheRunAndItsStatusIsTheExitStatus(t *testing.T) {
	cmd, sc := command(t, "drain")
	expectLine(t, sc, "ready drain 2")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var ee *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("exit: %v, want status 3", err)
	}
}

// A second signal during a drain that does not end kills the process instead of being swallowed.
func TestSecondSignalDuringTheDrainKills(t *testing.T) {
	cmd, sc := command(t, "hang")
	expectLine(t, sc, "ready")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	expectLine(t, sc, "draining")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("exit: %v, want killed by SIGTERM", err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("exit: %v, want killed by SIGTERM", err)
	}
}
