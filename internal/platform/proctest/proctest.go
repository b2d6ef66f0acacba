// Package proctest runs the project's commands as real child processes in tests: several instances of
// a service on one database, each a process of the built binary with its own pool, caches and memory,
// as a load balancer would see them. Only tests import it.
//
// A Binary is built once per test process, on first use, without the race detector (the handlers run
// under -race in the in-process tests already; six race-instrumented servers on a 2-core machine would
// cost more CPU than the tests themselves). The test package removes it in TestMain:
//
//	var cohortlyBin = proctest.NewBinary("github.com/momentum-cohortly/backends/cmd/cohortly")
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		cohortlyBin.Remove()
//		os.Exit(code)
//	}
//
// Start runs one instance on a kernel-chosen port and returns once its log says it is listening; the
// test's cleanup stops it with SIGTERM and fails the test unless it exits 0.
package proctest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Binary is a command of this module, built on first use.
type Binary struct {
	pkg string

	once sync.Once
	dir  string
	path string
	err  error
}

// NewBinary names the command by import path; nothing is built yet.
func NewBinary(pkg string) *Binary { return &Binary{pkg: pkg} }

// buildWait bounds the build: a link when the build cache is warm, a compile of the dependencies
// without -race when it is not.
const buildWait = 5 * time.Minute

// Path builds the command (once) and returns the executable's path; a failed build fails the test.
func (b *Binary) Path(tb testing.TB) string {
	tb.Helper()
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", "proctest-")
		if err != nil {
			b.err = err
			return
		}
		b.dir = dir
		b.path = filepath.Join(dir, filepath.Base(b.pkg))
		start := time.Now()
		// The go command of this test run (go test puts its GOROOT/bin first on PATH).
		ctx, cancel := context.WithTimeout(context.Background(), buildWait)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", b.path, b.pkg)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("build %s: %w\n%s", b.pkg, err, out)
			return
		}
		tb.Logf("built %s in %v", b.pkg, time.Since(start).Round(time.Millisecond))
	})
	if b.err != nil {
		tb.Fatal(b.err)
	}
	return b.path
}

// Remove deletes the built executable (TestMain, after the tests).
func (b *Binary) Remove() {
	if b.dir != "" {
		_ = os.RemoveAll(b.dir)
	}
}

// Config is how one instance is started.
type Config struct {
	// Args are the command's arguments (for example "serve").
	Args []string
	// Env is the whole environment of the process: nothing of the test's own environment leaks in, so
	// a DATABASE_URL in the developer's shell cannot point a test at the wrong database.
	Env map[string]string
	// ReadyMsg is the "msg" of the JSON log line that carries the listening address ("addr").
	ReadyMsg string
	// Name labels the instance in failure messages (default: the executable's name).
	Name string
}

// readyWait bounds the start-up: migrations on a fresh database, index creation, the catalogue seed.
const readyWait = 60 * time.Second

// stopWait bounds the graceful shutdown after SIGTERM.
const stopWait = 30 * time.Second

// Process is one running instance.
type Process struct {
	// URL is the instance's base URL, http://127.0.0.1:PORT.
	URL  string
	name string
	cmd  *exec.Cmd

	exited chan struct{}
	logs   *logBuffer

	stopOnce sync.Once
	stopErr  error
}

// Start runs bin with cfg and waits until it is ready. The test's cleanup stops it.
func Start(tb testing.TB, bin string, cfg Config) *Process {
	tb.Helper()
	p, err := start(bin, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := p.Stop(); err != nil {
			tb.Error(err)
		}
	})
	return p
}

// StartN starts n instances of bin at once (as a deployment does) and returns them once all are
// ready. Instance i is named name-i.
func StartN(tb testing.TB, bin string, n int, cfg Config) []*Process {
	tb.Helper()
	if cfg.Name == "" {
		cfg.Name = filepath.Base(bin)
	}
	ps := make([]*Process, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		c := cfg
		c.Name = fmt.Sprintf("%s-%d", cfg.Name, i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			ps[i], errs[i] = start(bin, c)
		}()
	}
	wg.Wait()
	for _, p := range ps {
		if p != nil {
			tb.Cleanup(func() {
				if err := p.Stop(); err != nil {
					tb.Error(err)
				}
			})
		}
	}
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
	return ps
}

func start(bin string, cfg Config) (*Process, error) {
	name := cfg.Name
	if name == "" {
		name = filepath.Base(bin)
	}
	cmd := exec.Command(bin, cfg.Args...)
	cmd.Env = []string{}
	for k, v := range cfg.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Dir = os.TempDir()
	setParentDeathSignal(cmd)
	logs := &logBuffer{}
	cmd.Stderr = logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: start: %w", name, err)
	}
	p := &Process{name: name, cmd: cmd, exited: make(chan struct{}), logs: logs}
	ready := make(chan string, 1)
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			_, _ = logs.Write([]byte(line + "\n"))
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == cfg.ReadyMsg && rec.Addr != "" {
				select {
				case ready <- rec.Addr:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() {
		<-scanned // Wait closes the pipe: read it to the end first
		_ = cmd.Wait()
		close(p.exited)
	}()
	select {
	case addr := <-ready:
		p.URL = "http://" + addr
		return p, nil
	case <-p.exited:
		return nil, fmt.Errorf("%s exited (%v) before it was ready:\n%s", name, cmd.ProcessState, logs.String())
	case <-time.After(readyWait):
		_ = p.Stop()
		return nil, fmt.Errorf("%s not ready after %v:\n%s", name, readyWait, logs.String())
	}
}

// Logs returns everything the process wrote so far (stdout and stderr).
func (p *Process) Logs() string { return p.logs.String() }

// LogLines returns the JSON log records whose "msg" is msg.
func (p *Process) LogLines(msg string) []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(p.logs.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

// Stop sends SIGTERM and waits for the exit; an exit status other than 0 (or no exit in time) is the
// error. Calling it again returns the first result.
func (p *Process) Stop() error {
	p.stopOnce.Do(func() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(stopWait):
			_ = p.cmd.Process.Kill()
			<-p.exited
			p.stopErr = fmt.Errorf("%s did not stop within %v of SIGTERM:\n%s", p.name, stopWait, p.logs.String())
			return
		}
		if code := p.cmd.ProcessState.ExitCode(); code != 0 {
			p.stopErr = fmt.Errorf("%s exited with %d after SIGTERM:\n%s", p.name, code, p.logs.String())
		}
	})
	return p.stopErr
}

// logBuffer collects a process's output for failure messages and log assertions.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
