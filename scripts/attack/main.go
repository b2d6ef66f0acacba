// Command attack re-runs, against real processes of both services built from this tree, the attacks of
// the "hostile paths and outages" review: encoded slashes in path parameters, a forged
// X-Forwarded-For, PostgreSQL stopped mid-write, a full disk, a whole oversized body sent before
// reading, a request that outlives SHUTDOWN_TIMEOUT, and kill -9 during writes. It prints one line per
// attack (requests sent, answers by status, writes acknowledged and found afterwards) and exits 1 when
// any promise is broken.
//
//	go run ./scripts/attack            # needs root for the tmpfs (full disk) and the own PostgreSQL cluster
//
// It listens on 127.0.0.1:23000-23099 only and sends nothing anywhere else.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

type result struct {
	attack, service string
	sent            int
	statuses        tally
	writes          string
	ok              bool
	note            string
}

type attackFunc func(e *env) []result

type env struct {
	dir                string
	momentum, cohortly string
	port               int
}

// nextPort hands out the attack's loopback ports, one range for the whole run.
func (e *env) nextPort() int {
	e.port++
	return e.port
}

func main() {
	only := flag.String("only", "", "comma-separated attacks to run (paths,xff,pg-outage,full-disk,big-body,shutdown,kill9); default all")
	flag.Parse()
	dir, err := os.MkdirTemp("", "attack-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer os.RemoveAll(dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	m, c, err := build(ctx, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	e := &env{dir: dir, momentum: m, cohortly: c, port: 23000}
	attacks := []struct {
		name string
		run  attackFunc
	}{
		{"paths", attackPaths},
		{"xff", attackForwardedFor},
		{"pg-outage", attackPostgresOutage},
		{"full-disk", attackFullDisk},
		{"big-body", attackBigBody},
		{"shutdown", attackShutdown},
		{"kill9", attackKill9},
	}
	var all []result
	for _, a := range attacks {
		if *only != "" && !strings.Contains(","+*only+",", ","+a.name+",") {
			continue
		}
		t0 := time.Now()
		rs := a.run(e)
		for i := range rs {
			rs[i].note = strings.TrimSpace(rs[i].note + fmt.Sprintf(" (%.1f s)", time.Since(t0).Seconds()))
			printResult(rs[i])
		}
		all = append(all, rs...)
	}
	passed, failed := 0, 0
	for _, r := range all {
		if r.ok {
			passed++
		} else {
			failed++
		}
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

func printResult(r result) {
	verdict := "PASS"
	if !r.ok {
		verdict = "FAIL"
	}
	writes := r.writes
	if writes == "" {
		writes = "-"
	}
	fmt.Printf("%s %-10s %-9s sent %-5d answers [%s] writes [%s] %s\n", verdict, r.attack, r.service, r.sent, r.statuses, writes, r.note)
}

// failed is the result of an attack that could not be set up.
func failed(attack, service string, err error) []result {
	return []result{{attack: attack, service: service, statuses: tally{}, note: "could not run: " + err.Error()}}
}
