package testenv

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The legacy Node servers are opt-in: they take minutes to build (../shared/legacy/README.md), so a
// test that needs one runs only when the variable names a built copy, and is skipped otherwise, under
// CI=true too.
const (
	// EnvLegacyMomentum is a built WORKDIR of start-momentum.sh (e.g. /work/legacy-build/momentum).
	EnvLegacyMomentum = "LEGACY_MOMENTUM"
	// EnvLegacyCohortly is a built WORKDIR of start-cohortly.sh (e.g. /work/legacy-build/cohortly).
	EnvLegacyCohortly = "LEGACY_COHORTLY"
	// EnvLegacyPort is the port the legacy server listens on (default: a free port). The legacy
	// servers bind every interface; the tests only ever talk to 127.0.0.1.
	EnvLegacyPort = "LEGACY_PORT"
	// EnvLegacyOracles is the folder of the start scripts (default ../shared/legacy/oracles beside the
	// module root).
	EnvLegacyOracles = "LEGACY_ORACLES"
)

// Legacy is a running legacy Node server.
type Legacy struct {
	URL string // http://127.0.0.1:PORT
	Dir string // the test's own copy of the built WORKDIR, where the server runs
	PID int
}

// LegacyKind selects one of the two legacy servers.
type LegacyKind struct {
	env, script, gitDir string
}

var (
	// LegacyMomentum is Final-MVP's server/ (Express 5 + SQLite); its database is Dir/server/database.sqlite.
	LegacyMomentum = LegacyKind{EnvLegacyMomentum, "start-momentum.sh", "Final-MVP.git"}
	// LegacyCohortly is Cohortly's backend/ (Express + Prisma + PostgreSQL).
	LegacyCohortly = LegacyKind{EnvLegacyCohortly, "start-cohortly.sh", "Cohortly.git"}
)

// LegacyBuilt returns the built copy named by the kind's variable, or skips the test.
func LegacyBuilt(tb testing.TB, k LegacyKind) string {
	tb.Helper()
	dir := os.Getenv(k.env)
	if dir == "" {
		tb.Skipf("opt-in: set %s to a built copy of the legacy server (see README, \"Both sides on one database\")", k.env)
	}
	if _, err := os.Stat(dir); err != nil {
		tb.Fatalf("%s: %v", k.env, err)
	}
	return dir
}

// StartLegacy copies the built server named by the kind's variable into the test's temporary
// directory (the build is shared and must not be written to) and starts it with the start script and
// env (on top of this process's environment), e.g. MOMENTUM_DB, JWT_SECRET, DATABASE_URL, INIT_DB.
// The server is killed when the test ends. Without the variable the test is skipped.
func StartLegacy(tb testing.TB, k LegacyKind, env map[string]string) *Legacy {
	tb.Helper()
	built := LegacyBuilt(tb, k)
	scripts, err := oraclesDir()
	if err != nil {
		tb.Fatal(err)
	}
	dir := filepath.Join(tb.TempDir(), "legacy")
	if out, err := exec.Command("cp", "-a", built, dir).CombinedOutput(); err != nil {
		tb.Fatalf("copy %s: %v\n%s", built, err, out)
	}
	port := os.Getenv(EnvLegacyPort)
	if port == "" {
		port = strconv.Itoa(freePort(tb))
	}
	root, _ := ModuleRoot()
	// The git dir is only read when the copy is not built yet; the script refuses to run without it.
	gitDir := filepath.Join(filepath.Dir(root), "legacy-git", k.gitDir)
	cmd := exec.Command("bash", filepath.Join(scripts, k.script), gitDir, port, dir)
	cmd.Env = os.Environ()
	for key, v := range env {
		cmd.Env = append(cmd.Env, key+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("%s: %v\n%s", k.script, err, stderr.String())
	}
	lines := strings.Fields(stdout.String())
	if len(lines) == 0 {
		tb.Fatalf("%s printed no PID:\n%s", k.script, stderr.String())
	}
	pid, err := strconv.Atoi(lines[len(lines)-1])
	if err != nil {
		tb.Fatalf("%s: last line %q is not a PID", k.script, lines[len(lines)-1])
	}
	l := &Legacy{URL: "http://127.0.0.1:" + port, Dir: dir, PID: pid}
	tb.Cleanup(func() { l.Stop(tb) })
	return l
}

// Stop kills the server (its PID only) and waits up to 10 s for it to go away. Calling it twice is
// harmless.
func (l *Legacy) Stop(tb testing.TB) {
	if l.PID == 0 {
		return
	}
	pid := l.PID
	l.PID = 0
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	tb.Logf("legacy server %d did not stop on SIGTERM; killed", pid)
}

// Log returns the server's log so far (WORKDIR/server.log).
func (l *Legacy) Log() string {
	b, _ := os.ReadFile(filepath.Join(l.Dir, "server.log"))
	return string(b)
}

func oraclesDir() (string, error) {
	if d := os.Getenv(EnvLegacyOracles); d != "" {
		return d, nil
	}
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	d := filepath.Join(filepath.Dir(root), "shared", "legacy", "oracles")
	if _, err := os.Stat(d); err != nil {
		return "", fmt.Errorf("legacy start scripts: %w (set %s)", err, EnvLegacyOracles)
	}
	return d, nil
}

func freePort(tb testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
