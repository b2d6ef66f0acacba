// Command load measures an API server of this repository under a fixed-concurrency, closed-loop load.
//
//	go run ./cmd/load -service momentum -url http://127.0.0.1:5001 -c 64 -d 10s
//	go run ./cmd/load -service cohortly -url http://127.0.0.1:5000 -c 64 -d 10s -baseline -pid 1234
//
// It logs in once, then drives each endpoint in turn with -c workers (one kept-alive connection each)
// for -d (after a -warmup that is not measured), and prints per endpoint the answers, answers per
// second, latency percentiles, non-2xx answers and transport errors. Then it reports the server's
// resident memory from its /metrics (process_resident_memory_bytes) and, with -pid, from
// /proc/<pid>/status (VmRSS); -pid also adds the server's CPU time per request, and -cpu-of the CPU time
// per request of other processes by name (-cpu-of postgres: all of PostgreSQL's processes together).
// With -baseline it first measures a trivial Go handler served in-process
// on loopback, the ceiling the other figures are compared with. Each run stops by itself: at -d, or
// at -n requests per endpoint, whichever comes first.
//
// With -rounds N the baseline and the endpoints are measured N times in turn, and a summary gives per
// endpoint the median rate, its range, and the median of the per-round ratios, each against the
// baseline measured seconds before it: on a shared machine whose speed drifts, that ratio is steadier
// than a rate.
//
// The exit status is 0 when every answer was 2xx, 1 when some were not or requests failed, 2 for
// usage errors and failed logins.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type options struct {
	service     string
	baseURL     string
	concurrency int
	duration    time.Duration
	maxRequests int64
	warmup      time.Duration
	timeout     time.Duration
	email       string
	password    string
	endpoints   string
	register    bool
	prepare     bool
	pid         int
	baseline    bool
	rounds      int
	cpuOf       string
	metricsPath string
	cpu         []cpuGroup
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.service, "service", "momentum", "service profile: momentum or cohortly")
	fs.StringVar(&o.baseURL, "url", "", "server base URL (default http://127.0.0.1:5001 for momentum, :5000 for cohortly)")
	fs.IntVar(&o.concurrency, "c", 64, "concurrent workers (connections), 1-10000")
	fs.DurationVar(&o.duration, "d", 10*time.Second, "measured duration per endpoint (at most 1h)")
	fs.Int64Var(&o.maxRequests, "n", 0, "stop an endpoint after this many requests (0: only -d)")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured warm-up per endpoint")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "timeout of one request")
	fs.StringVar(&o.email, "email", "", "login email (default: the profile's test account)")
	fs.StringVar(&o.password, "password", "", "login password (default: the profile's test account)")
	fs.StringVar(&o.endpoints, "endpoints", "", `comma-separated "[METHOD] /path?query" list replacing the profile's endpoints`)
	fs.BoolVar(&o.register, "register", false, "create the login account first if the login is refused (momentum)")
	fs.BoolVar(&o.prepare, "prepare", false, "create the data the endpoints read first (cohortly: at least 20 leads)")
	fs.IntVar(&o.pid, "pid", 0, "server process id, to report its VmRSS from /proc")
	fs.BoolVar(&o.baseline, "baseline", false, "also measure a trivial in-process Go handler and report ratios against it")
	fs.StringVar(&o.cpuOf, "cpu-of", "", "comma-separated process names (as in /proc/PID/comm, e.g. postgres) whose CPU time per request is reported, like the server's with -pid")
	fs.IntVar(&o.rounds, "rounds", 1, "measure the baseline and every endpoint this many times in turn and summarise (1-100)")
	fs.StringVar(&o.metricsPath, "metrics-path", "/metrics", "server path of the Prometheus metrics")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "load: unexpected arguments %q\n", fs.Args())
		return 2
	}
	prof, targets, err := o.resolve()
	if err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return 2
	}

	client := &http.Client{Transport: newTransport(o.concurrency, o.timeout), Timeout: o.timeout}
	defer client.CloseIdleConnections()

	token, err := login(ctx, client, o, prof)
	if err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return 2
	}
	if o.prepare && prof.Prepare != nil {
		if err := prof.Prepare(ctx, client, o.baseURL, token); err != nil {
			fmt.Fprintln(stderr, "load: prepare:", err)
			return 2
		}
	}

	fmt.Fprintf(stdout, "load: service=%s url=%s c=%d d=%s warmup=%s", o.service, o.baseURL, o.concurrency, o.duration, o.warmup)
	if o.maxRequests > 0 {
		fmt.Fprintf(stdout, " n=%d", o.maxRequests)
	}
	if o.rounds > 1 {
		fmt.Fprintf(stdout, " rounds=%d", o.rounds)
	}
	fmt.Fprintln(stdout)

	var base *series
	var measureBase func() *result
	if o.baseline {
		u, stop, err := baselineServer()
		if err != nil {
			fmt.Fprintln(stderr, "load: baseline server:", err)
			return 2
		}
		defer stop()
		bclient := &http.Client{Transport: newTransport(o.concurrency, o.timeout), Timeout: o.timeout}
		defer bclient.CloseIdleConnections()
		measureBase = func() *result { return o.measure(ctx, bclient, http.MethodGet, u, "", nil) }
		base = &series{name: "baseline (in-process Go handler)"}
	}
	all := make([]*series, len(targets))
	for i, ep := range targets {
		all[i] = &series{name: ep.String()}
	}
	for round := 1; round <= o.rounds && ctx.Err() == nil; round++ {
		suffix := ""
		if o.rounds > 1 {
			suffix = fmt.Sprintf(" (round %d)", round)
		}
		// A table per round, printed as the round ends.
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, o.header())
		var baseRate float64
		if base != nil {
			res := measureBase()
			baseRate = res.rate()
			base.add(res, 0)
			printRow(tw, base.name+suffix, res, 0, len(o.cpu))
		}
		for i, ep := range targets {
			if ctx.Err() != nil {
				break
			}
			res := o.measure(ctx, client, ep.Method, o.baseURL+ep.Path, token, o.cpu)
			all[i].add(res, baseRate)
			printRow(tw, all[i].name+suffix, res, baseRate, len(o.cpu))
		}
		tw.Flush()
	}
	if o.rounds > 1 {
		fmt.Fprintf(stdout, "\nsummary of %d rounds: median req/s and its range, latency over all rounds, median of the per-round ratios\n", o.rounds)
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "endpoint\trequests\treq/s\tmin\tmax\tp50\tp99\tnon-2xx\terrors\tvs baseline\t"+o.cpuHeader())
		if base != nil {
			base.summary(tw, len(o.cpu))
		}
		for _, s := range all {
			s.summary(tw, len(o.cpu))
		}
		tw.Flush()
	}
	failed := false
	for _, s := range all {
		for _, r := range s.results {
			if r.Non2xx > 0 || r.Errors > 0 {
				failed = true
				fmt.Fprintln(stdout, describeFailures(s.name, r))
			}
		}
	}
	reportMemory(ctx, stdout, client, o)
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "load: interrupted")
		return 1
	}
	if failed {
		return 1
	}
	return 0
}

// resolve fills defaults from the service profile and checks the options.
func (o *options) resolve() (profile, []endpoint, error) {
	prof, ok := profileFor(o.service)
	if !ok {
		return profile{}, nil, fmt.Errorf("-service %q: want momentum or cohortly", o.service)
	}
	if o.baseURL == "" {
		o.baseURL = prof.URL
	}
	u, err := url.Parse(o.baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return profile{}, nil, fmt.Errorf("-url %q: want http(s)://host:port", o.baseURL)
	}
	o.baseURL = strings.TrimRight(o.baseURL, "/")
	switch {
	case o.concurrency < 1 || o.concurrency > 10000:
		return profile{}, nil, fmt.Errorf("-c %d: want 1 to 10000", o.concurrency)
	case o.duration <= 0 || o.duration > time.Hour:
		return profile{}, nil, fmt.Errorf("-d %s: want more than 0 and at most 1h", o.duration)
	case o.warmup < 0 || o.warmup > 10*time.Minute:
		return profile{}, nil, fmt.Errorf("-warmup %s: want 0 to 10m", o.warmup)
	case o.timeout <= 0:
		return profile{}, nil, fmt.Errorf("-timeout %s: want more than 0", o.timeout)
	case o.maxRequests < 0:
		return profile{}, nil, fmt.Errorf("-n %d: want 0 or more", o.maxRequests)
	case o.rounds < 1 || o.rounds > 100:
		return profile{}, nil, fmt.Errorf("-rounds %d: want 1 to 100", o.rounds)
	}
	if o.cpu, err = cpuGroups(o.pid, o.cpuOf, "/proc"); err != nil {
		return profile{}, nil, err
	}
	if o.email == "" {
		o.email = prof.Email
	}
	if o.password == "" {
		o.password = prof.Password
	}
	list := prof.Endpoints
	if o.endpoints != "" {
		list = strings.Split(o.endpoints, ",")
	}
	targets, err := parseEndpoints(list)
	return prof, targets, err
}

// measure warms up (unmeasured), then runs the measured phase, charging the CPU time each group used
// meanwhile to its requests.
func (o *options) measure(ctx context.Context, client *http.Client, method, u, token string, cpu []cpuGroup) *result {
	p := phase{Method: method, URL: u, Token: token, Concurrency: o.concurrency, MaxRequests: o.maxRequests}
	if o.warmup > 0 {
		w := p
		w.Duration = o.warmup
		drive(ctx, client, w)
	}
	p.Duration = o.duration
	before := make([]map[int]uint64, len(cpu))
	for i, g := range cpu {
		before[i] = g.sample()
	}
	r := drive(ctx, client, p)
	for i, g := range cpu {
		var per time.Duration
		if r.Requests > 0 {
			per = used(before[i], g.sample()) / time.Duration(r.Requests)
		}
		r.CPU = append(r.CPU, per)
	}
	return r
}

func (o *options) header() string {
	return "endpoint\trequests\treq/s\tp50\tp90\tp99\tmax\tnon-2xx\terrors\tvs baseline\t" + o.cpuHeader()
}

func (o *options) cpuHeader() string {
	var b strings.Builder
	for _, g := range o.cpu {
		b.WriteString(g.label + " cpu/req\t")
	}
	return b.String()
}

// cpuCells renders per-request CPU times, "-" where none was measured (the in-process baseline).
func cpuCells(per []time.Duration, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i < len(per) {
			b.WriteString(micros(per[i]))
		} else {
			b.WriteString("-")
		}
		b.WriteByte('\t')
	}
	return b.String()
}

// series is one endpoint's results over the rounds, with each round's ratio against that round's
// baseline (none when there is no baseline).
type series struct {
	name    string
	results []*result
	ratios  []float64
}

func (s *series) add(r *result, baseRate float64) {
	s.results = append(s.results, r)
	if baseRate > 0 {
		s.ratios = append(s.ratios, r.rate()/baseRate)
	}
}

// summary prints the median rate with its range, percentiles over every round's answers, the failures
// summed, the median ratio and the median CPU times per request.
func (s *series) summary(w io.Writer, groups int) {
	if len(s.results) == 0 {
		return
	}
	var all result
	rates := make([]float64, len(s.results))
	for i, r := range s.results {
		rates[i] = r.rate()
		all.Requests += r.Requests
		all.Non2xx += r.Non2xx
		all.Errors += r.Errors
		all.Hist.merge(&r.Hist)
	}
	sort.Float64s(rates)
	ratio := "-"
	if len(s.ratios) > 0 {
		ratio = fmt.Sprintf("%.1f%%", 100*median(s.ratios))
	}
	var cpu []time.Duration
	for g := 0; g < groups && len(s.results[0].CPU) > g; g++ {
		v := make([]float64, len(s.results))
		for i, r := range s.results {
			v[i] = float64(r.CPU[g])
		}
		cpu = append(cpu, time.Duration(median(v)))
	}
	fmt.Fprintf(w, "%s\t%d\t%.0f\t%.0f\t%.0f\t%s\t%s\t%d\t%d\t%s\t%s\n", s.name, all.Requests, median(rates), rates[0], rates[len(rates)-1],
		ms(all.Hist.percentile(0.50)), ms(all.Hist.percentile(0.99)), all.Non2xx, all.Errors, ratio, cpuCells(cpu, groups))
}

// median of a non-empty slice (sorted in place).
func median(v []float64) float64 {
	sort.Float64s(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

func printRow(w io.Writer, name string, r *result, baseRate float64, groups int) {
	ratio := "-"
	if baseRate > 0 {
		ratio = fmt.Sprintf("%.1f%%", 100*r.rate()/baseRate)
	}
	fmt.Fprintf(w, "%s\t%d\t%.0f\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", name, r.Requests, r.rate(),
		ms(r.Hist.percentile(0.50)), ms(r.Hist.percentile(0.90)), ms(r.Hist.percentile(0.99)), ms(r.Hist.max),
		r.Non2xx, r.Errors, ratio, cpuCells(r.CPU, groups))
}

func describeFailures(name string, r *result) string {
	var parts []string
	for _, c := range r.statusList() {
		parts = append(parts, fmt.Sprintf("HTTP %d ×%d", c, r.Statuses[c]))
	}
	if r.Errors > 0 {
		parts = append(parts, fmt.Sprintf("%d transport errors (first: %s)", r.Errors, r.FirstErr))
	}
	return "  " + name + ": " + strings.Join(parts, ", ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// login posts the credentials and returns the access token. With -register, a refused login creates
// the account (where the profile knows how) and tries once more.
func login(ctx context.Context, client *http.Client, o options, prof profile) (string, error) {
	creds := map[string]string{"email": o.email, "password": o.password}
	status, body, err := postJSON(ctx, client, o.baseURL+prof.LoginPath, creds)
	if err != nil {
		return "", fmt.Errorf("login: %w", err)
	}
	if (status == http.StatusUnauthorized || status == http.StatusBadRequest) && o.register && prof.RegisterBody != nil {
		rs, rb, err := postJSON(ctx, client, o.baseURL+prof.RegisterPath, prof.RegisterBody(o.email, o.password))
		if err != nil {
			return "", fmt.Errorf("register: %w", err)
		}
		if rs < 200 || rs > 299 {
			return "", fmt.Errorf("register %s: HTTP %d: %s", o.email, rs, snippet(rb))
		}
		if status, body, err = postJSON(ctx, client, o.baseURL+prof.LoginPath, creds); err != nil {
			return "", fmt.Errorf("login: %w", err)
		}
	}
	if status < 200 || status > 299 {
		hint := ""
		if prof.RegisterBody != nil && !o.register {
			hint = " (use -register to create the account, or -email/-password)"
		}
		return "", fmt.Errorf("login as %s: HTTP %d: %s%s", o.email, status, snippet(body), hint)
	}
	return extractToken(body, prof.TokenPath)
}

func postJSON(ctx context.Context, client *http.Client, u string, v any) (int, []byte, error) {
	payload, err := json.Marshal(v)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(payload))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, body, err
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

// reportMemory prints the server's resident memory from its metrics and, with -pid, from /proc.
func reportMemory(ctx context.Context, w io.Writer, client *http.Client, o options) {
	if rss, err := metricsRSS(ctx, client, o.baseURL+o.metricsPath); err != nil {
		fmt.Fprintf(w, "server memory (%s): n/a: %v\n", o.metricsPath, err)
	} else {
		fmt.Fprintf(w, "server memory (%s process_resident_memory_bytes): %s\n", o.metricsPath, mib(rss))
	}
	if o.pid > 0 {
		if rss, err := procRSS(o.pid); err != nil {
			fmt.Fprintf(w, "server memory (/proc/%d/status VmRSS): n/a: %v\n", o.pid, err)
		} else {
			fmt.Fprintf(w, "server memory (/proc/%d/status VmRSS): %s\n", o.pid, mib(rss))
		}
	}
}

func mib(b float64) string { return fmt.Sprintf("%.1f MiB (%.0f bytes)", b/(1<<20), b) }

// metricsRSS reads process_resident_memory_bytes from a Prometheus text exposition.
func metricsRSS(ctx context.Context, client *http.Client, u string) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", "text/plain")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return parseMetric(io.LimitReader(resp.Body, 8<<20), "process_resident_memory_bytes")
}

func parseMetric(r io.Reader, name string) (float64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, name)
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '{') {
			continue
		}
		if rest[0] == '{' {
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				continue
			}
			rest = rest[end+1:]
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			continue
		}
		return strconv.ParseFloat(fields[0], 64)
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no %s metric", name)
}

// procRSS reads VmRSS (kB) from /proc/<pid>/status, in bytes.
func procRSS(pid int) (float64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return parseVmRSS(f)
}

func parseVmRSS(r io.Reader) (float64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) != 2 || f[1] != "kB" {
				return 0, fmt.Errorf("unexpected VmRSS line %q", sc.Text())
			}
			kb, err := strconv.ParseFloat(f[0], 64)
			return kb * 1024, err
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("no VmRSS (kernel thread or exited process?)")
}
