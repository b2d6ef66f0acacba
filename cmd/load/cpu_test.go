package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestParseStatTicks(t *testing.T) {
	// The command name may hold spaces and parentheses; utime and stime are fields 14 and 15.
	line := "1234 (my (odd) proc) S 1 2 3 4 5 6 7 8 9 10 111 222 13 14 15 16 17 18 19\n"
	if n, err := parseStatTicks(line); err != nil || n != 333 {
		t.Fatalf("got %d, %v; want 333", n, err)
	}
	for _, bad := range []string{"", "1234 no parentheses", "1 (x) S 1 2 3", "1 (x) S 1 2 3 4 5 6 7 8 9 10 a 2 13"} {
		if _, err := parseStatTicks(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// A group by name sums every process of that name, new ones whole; the server group is one pid.
func TestCPUGroupsChargeTheirProcesses(t *testing.T) {
	proc := t.TempDir()
	put := func(pid int, comm string, utime, stime int) {
		t.Helper()
		dir := filepath.Join(proc, strconv.Itoa(pid))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		stat := fmt.Sprintf("%d (%s) S 1 1 1 0 -1 0 0 0 0 0 %d %d 0 0 20 0 1 0 1 0 0\n", pid, comm, utime, stime)
		if err := os.WriteFile(filepath.Join(dir, "stat"), []byte(stat), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "comm"), []byte(comm+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put(10, "postgres", 100, 50)
	put(11, "postgres", 7, 3)
	put(20, "cohortly", 1000, 500)
	put(30, "other", 1, 1)
	gs, err := cpuGroups(20, "postgres", proc)
	if err != nil || len(gs) != 2 || gs[0].label != "server" || gs[1].label != "postgres" {
		t.Fatalf("groups %+v, %v", gs, err)
	}
	server, pg := gs[0].sample(), gs[1].sample()
	put(10, "postgres", 110, 60) // +20 ticks
	put(12, "postgres", 4, 1)    // started meanwhile: +5
	put(20, "cohortly", 1030, 520)
	put(30, "other", 500, 500)
	if got := used(pg, gs[1].sample()); got != 25*tick {
		t.Errorf("postgres used %s, want %s", got, 25*tick)
	}
	if got := used(server, gs[0].sample()); got != 50*tick {
		t.Errorf("server used %s, want %s", got, 50*tick)
	}
	if _, err := cpuGroups(0, "a/b", proc); err == nil {
		t.Error("a name with a slash was accepted")
	}
}

// With -pid and -cpu-of the tables gain a CPU-per-request column per group: measured for the
// endpoints, "-" for the in-process baseline, medians in the summary.
func TestLoadReportsCPUPerRequest(t *testing.T) {
	fake := httptest.NewServer(&fakeService{})
	t.Cleanup(fake.Close)
	srv := fake.URL
	comm, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Skip("no /proc:", err)
	}
	self := strings.TrimSpace(string(comm))
	code, out, stderr := runLoad(t, "-service", "cohortly", "-url", srv, "-c", "2", "-d", "1m", "-n", "30",
		"-warmup", "0", "-password", "pw", "-baseline", "-rounds", "2", "-endpoints", "/api/v1/auth/me",
		"-pid", strconv.Itoa(os.Getpid()), "-cpu-of", self)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	if !strings.Contains(out, "server cpu/req") || !strings.Contains(out, self+" cpu/req") {
		t.Fatalf("no CPU columns:\n%s", out)
	}
	us := regexp.MustCompile(`^\d+us$`)
	for _, name := range []string{"GET /api/v1/auth/me (round 1)", "GET /api/v1/auth/me (round 2)"} {
		cols := row(t, out, name)
		if len(cols) != 11 || !us.MatchString(cols[9]) || !us.MatchString(cols[10]) {
			t.Errorf("%s: %q", name, cols)
		}
	}
	if cols := row(t, out, "baseline (in-process Go handler) (round 1)"); len(cols) != 11 || cols[9] != "-" || cols[10] != "-" {
		t.Errorf("baseline: %q", cols)
	}
	summary := out[strings.Index(out, "summary of 2 rounds"):]
	if cols := row(t, summary, "GET /api/v1/auth/me"); len(cols) != 11 || !us.MatchString(cols[9]) || !us.MatchString(cols[10]) {
		t.Errorf("summary: %q", cols)
	}
}
