package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// tick is the unit of utime and stime in /proc/PID/stat (USER_HZ, 100 per second on Linux).
const tick = 10 * time.Millisecond

// cpuGroup is a set of processes whose CPU time is charged to the requests measured meanwhile: the
// server (-pid), or every process with one name (-cpu-of postgres counts all of PostgreSQL's
// backends together). CPU per request is steadier than a rate on a machine whose speed drifts, and
// it says where the time goes when the server and its database share the machine.
type cpuGroup struct {
	label string
	pid   int    // one process, or
	comm  string // every process whose /proc/PID/comm is this
	proc  string // the proc file system's root
}

func cpuGroups(pid int, names, proc string) ([]cpuGroup, error) {
	var gs []cpuGroup
	if pid > 0 {
		gs = append(gs, cpuGroup{label: "server", pid: pid, proc: proc})
	}
	if names == "" {
		return gs, nil
	}
	for _, n := range strings.Split(names, ",") {
		n = strings.TrimSpace(n)
		if n == "" || strings.ContainsAny(n, "/\x00") || len(n) > 15 {
			return nil, fmt.Errorf("-cpu-of %q: want comma-separated process names as in /proc/PID/comm (at most 15 bytes)", names)
		}
		gs = append(gs, cpuGroup{label: n, comm: n, proc: proc})
	}
	return gs, nil
}

// sample returns the CPU ticks used so far by each process of the group.
func (g cpuGroup) sample() map[int]uint64 {
	out := map[int]uint64{}
	if g.pid > 0 {
		if t, err := procTicks(filepath.Join(g.proc, strconv.Itoa(g.pid), "stat")); err == nil {
			out[g.pid] = t
		}
		return out
	}
	dirs, _ := os.ReadDir(g.proc)
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		comm, err := os.ReadFile(filepath.Join(g.proc, d.Name(), "comm"))
		if err != nil || string(bytes.TrimSpace(comm)) != g.comm {
			continue
		}
		if t, err := procTicks(filepath.Join(g.proc, d.Name(), "stat")); err == nil {
			out[pid] = t
		}
	}
	return out
}

// used is the CPU time between two samples. A process seen only in the second started meanwhile and
// counts whole; one that exited meanwhile is lost (PostgreSQL's pooled backends live on).
func used(before, after map[int]uint64) time.Duration {
	var n uint64
	for pid, t := range after {
		if b := before[pid]; t >= b {
			n += t - b
		}
	}
	return time.Duration(n) * tick
}

func procTicks(path string) (uint64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return parseStatTicks(string(b))
}

// parseStatTicks returns utime+stime from a /proc/PID/stat line. The command name, field 2, is in
// parentheses and may itself hold spaces and parentheses, so fields are counted after the last ')'.
func parseStatTicks(line string) (uint64, error) {
	i := strings.LastIndexByte(line, ')')
	if i < 0 {
		return 0, fmt.Errorf("stat line without a command name: %q", line)
	}
	f := strings.Fields(line[i+1:])
	// f[0] is field 3 (state), so utime (field 14) is f[11] and stime (15) is f[12].
	if len(f) < 13 {
		return 0, fmt.Errorf("short stat line: %q", line)
	}
	u, err1 := strconv.ParseUint(f[11], 10, 64)
	s, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("stat line with bad times: %q", line)
	}
	return u + s, nil
}

func micros(d time.Duration) string {
	return fmt.Sprintf("%.0fus", float64(d)/float64(time.Microsecond))
}
