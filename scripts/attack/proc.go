package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// server is one real process of a service binary, on a fixed loopback port.
type server struct {
	name string
	base string
	cmd  *exec.Cmd
	log  *bytes.Buffer
	mu   *sync.Mutex
	done chan error
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// start runs bin with env on port and waits until /healthz answers.
func start(name, bin string, port int, env ...string) (*server, error) {
	s := &server{name: name, base: fmt.Sprintf("http://127.0.0.1:%d", port), log: &bytes.Buffer{}, mu: &sync.Mutex{}, done: make(chan error, 1)}
	s.cmd = exec.Command(bin)
	s.cmd.Env = append(os.Environ(), append([]string{"HOST=127.0.0.1", "PORT=" + strconv.Itoa(port), "LOG_LEVEL=warn"}, env...)...)
	s.cmd.Stdout = lockedWriter{s.mu, s.log}
	s.cmd.Stderr = lockedWriter{s.mu, s.log}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("%s exited at start-up (%v): %s", name, err, s.logText())
		default:
		}
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.kill()
	return nil, fmt.Errorf("%s not healthy after 60 s: %s", name, s.logText())
}

func (s *server) logText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// stop sends SIGTERM and returns the exit status (-1 when killed after timeout).
func (s *server) stop(timeout time.Duration) (int, error) {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		return exitCode(err), nil
	case <-time.After(timeout):
		s.kill()
		return -1, fmt.Errorf("%s still running %s after SIGTERM", s.name, timeout)
	}
}

func (s *server) kill() {
	_ = s.cmd.Process.Kill()
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
	}
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

func build(ctx context.Context, dir string) (momentum, cohortly string, err error) {
	momentum, cohortly = filepath.Join(dir, "momentum"), filepath.Join(dir, "cohortly")
	for _, b := range [][2]string{{momentum, "./cmd/momentum"}, {cohortly, "./cmd/cohortly"}} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", b[0], b[1])
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", "", fmt.Errorf("go build %s: %w: %s", b[1], err, out)
		}
	}
	return momentum, cohortly, nil
}

// pgCluster is a PostgreSQL server of the attack's own, so that it can be stopped and started without
// touching the machine's server.
type pgCluster struct {
	bin, dir, sock string
	port           int
}

func pgBinDir() (string, error) {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(matches) == 0 {
		return "", errors.New("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
	}
	return filepath.Dir(matches[len(matches)-1]), nil
}

// asPostgres runs a PostgreSQL tool as the postgres user when we are root (initdb refuses root).
func asPostgres(name string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

func newPGCluster(dir string, port int) (*pgCluster, error) {
	bin, err := pgBinDir()
	if err != nil {
		return nil, err
	}
	c := &pgCluster{bin: bin, dir: filepath.Join(dir, "pgdata"), sock: dir, port: port}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("look up the postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		for _, p := range []string{dir, c.dir} {
			if err := os.Chown(p, uid, gid); err != nil {
				return nil, err
			}
		}
	}
	if out, err := asPostgres(filepath.Join(bin, "initdb"), "-D", c.dir, "-A", "trust", "-U", "postgres", "--no-sync").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %w: %s", err, out)
	}
	return c, c.start()
}

func (c *pgCluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

func (c *pgCluster) start() error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", c.port, c.sock)
	out, err := asPostgres(filepath.Join(c.bin, "pg_ctl"), "-D", c.dir, "-o", opts, "-l", filepath.Join(c.sock, "pg.log"), "-w", "start").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl start: %w: %s", err, out)
	}
	return nil
}

// stopNow is PostgreSQL going away the hard way: every backend killed, no checkpoint.
func (c *pgCluster) stopNow() error {
	out, err := asPostgres(filepath.Join(c.bin, "pg_ctl"), "-D", c.dir, "-m", "immediate", "-w", "stop").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %w: %s", err, out)
	}
	return nil
}

func (c *pgCluster) createDB(name string) error {
	out, err := exec.Command(filepath.Join(c.bin, "psql"), c.url("postgres"), "-qc", "CREATE DATABASE "+name).CombinedOutput()
	if err != nil {
		return fmt.Errorf("create database %s: %w: %s", name, err, out)
	}
	return nil
}

// logLines returns the JSON log lines of s that contain every one of parts.
func logLines(s *server, parts ...string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s.logText()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
next:
	for sc.Scan() {
		for _, p := range parts {
			if !strings.Contains(sc.Text(), p) {
				continue next
			}
		}
		out = append(out, sc.Text())
	}
	return out
}
