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
// With -against URL a second server (the legacy one, say) is driven with the same profile: each side
// logs in, is prepared (-prepare) and resolves the ids it is addressed with ({restaurantId},
// {statusId}, {leadId}) through its own API, and the two take turns on every endpoint of every round.
// A side-by-side table then gives per endpoint both rates, p50/p99, CPU per request (-pid and
// -against-pid) and the ratios, each the median of the per-round ratios. -writes adds the profile's
// write endpoints, whose bodies carry unique data ({seq}) where the server requires it.
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
	"sync/atomic"
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
	against     string
	againstPID  int
	names       string
	concurrency int
	duration    time.Duration
	maxRequests int64
	warmup      time.Duration
	timeout     time.Duration
	email       string
	password    string
	endpoints   string
	writes      bool
	register    bool
	prepare     bool
	pid         int
	baseline    bool
	rounds      int
	cpuOf       string
	metricsPath string
	counters    string
}

// side is one server under load: its address, its own login and the ids its endpoints address.
type side struct {
	label   string
	baseURL string
	pid     int
	client  *http.Client
	token   string
	login   []byte // the login answer, where some profiles find ids (Momentum: the restaurant)
	vars    map[string][]string
	cpu     []cpuGroup
	before  []float64 // -counters at the start of the run
	tag     string    // makes {seq} unique to this run and side
	seq     atomic.Uint64
	conns   wirePool // the measured loop's connections, kept from phase to phase
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.service, "service", "momentum", "service profile: momentum or cohortly")
	fs.StringVar(&o.baseURL, "url", "", "server base URL (default http://127.0.0.1:5001 for momentum, :5000 for cohortly)")
	fs.StringVar(&o.against, "against", "", "a second server's base URL (e.g. the legacy one), driven with the same profile, interleaved endpoint by endpoint in every round, and compared")
	fs.IntVar(&o.againstPID, "against-pid", 0, "the -against server's process id (its CPU per request and VmRSS)")
	fs.StringVar(&o.names, "names", "ours,against", "labels of the -url and -against servers in the report")
	fs.IntVar(&o.concurrency, "c", 64, "concurrent workers (connections), 1-10000")
	fs.DurationVar(&o.duration, "d", 10*time.Second, "measured duration per endpoint (at most 1h)")
	fs.Int64Var(&o.maxRequests, "n", 0, "stop an endpoint after this many requests (0: only -d)")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured warm-up per endpoint")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "timeout of one request")
	fs.StringVar(&o.email, "email", "", "login email (default: the profile's test account)")
	fs.StringVar(&o.password, "password", "", "login password (default: the profile's test account)")
	fs.StringVar(&o.endpoints, "endpoints", "", `comma-separated "[METHOD] /path?query" list replacing the profile's endpoints (a write endpoint of the profile may be named as listed by -writes)`)
	fs.BoolVar(&o.writes, "writes", false, "also drive the profile's write endpoints (momentum: checklist update, registration; cohortly: lead create and update)")
	fs.BoolVar(&o.register, "register", false, "create the login account first if the login is refused (momentum; implied by -prepare)")
	fs.BoolVar(&o.prepare, "prepare", false, "create on each server, through its API, what the endpoints need (momentum: the account; cohortly: at least 20 leads)")
	fs.IntVar(&o.pid, "pid", 0, "server process id, to report its CPU per request and VmRSS from /proc")
	fs.BoolVar(&o.baseline, "baseline", false, "also measure a trivial in-process Go handler and report ratios against it")
	fs.StringVar(&o.cpuOf, "cpu-of", "", "comma-separated process names (as in /proc/PID/comm, e.g. postgres) whose CPU time per request is reported, like the server's with -pid")
	fs.IntVar(&o.rounds, "rounds", 1, "measure the baseline and every endpoint this many times in turn and summarise (1-100)")
	fs.StringVar(&o.metricsPath, "metrics-path", "/metrics", "server path of the Prometheus metrics")
	fs.StringVar(&o.counters, "counters", "", `comma-separated metrics of the server (a name, optionally with label matchers: cutover_shadow_total{outcome="dropped"}) whose change over the run is reported, summed over their samples`)
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
	prof, targets, sides, err := o.resolve()
	if err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return 2
	}
	for _, s := range sides {
		s.client = &http.Client{Transport: newTransport(o.concurrency, o.timeout), Timeout: o.timeout}
		defer s.client.CloseIdleConnections()
		defer s.conns.close()
		if err := o.ready(ctx, s, prof, targets); err != nil {
			if len(sides) > 1 {
				err = fmt.Errorf("%s (%s): %w", s.label, s.baseURL, err)
			}
			fmt.Fprintln(stderr, "load:", err)
			return 2
		}
	}

	counters := splitCounters(o.counters)
	for _, s := range sides {
		s.before = readCounters(ctx, s.client, s.baseURL+o.metricsPath, counters)
	}

	fmt.Fprintf(stdout, "load: service=%s url=%s", o.service, o.baseURL)
	if o.against != "" {
		fmt.Fprintf(stdout, " against=%s (%s vs %s)", o.against, sides[0].label, sides[1].label)
	}
	fmt.Fprintf(stdout, " c=%d d=%s warmup=%s", o.concurrency, o.duration, o.warmup)
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
		var bconns wirePool
		defer bconns.close()
		measureBase = func() *result {
			return o.measure(ctx, bclient, phase{Method: http.MethodGet, URL: u, Conns: &bconns}, nil)
		}
		base = &series{name: "baseline (in-process Go handler)"}
	}
	// all[i][j]: endpoint i on side j.
	all := make([][]*series, len(targets))
	for i, ep := range targets {
		for _, s := range sides {
			name := ep.String()
			if len(sides) > 1 {
				name += " [" + s.label + "]"
			}
			all[i] = append(all[i], &series{name: name})
		}
	}
	cpuCols := len(sides[0].cpu)
	for round := 1; round <= o.rounds && ctx.Err() == nil; round++ {
		suffix := ""
		if o.rounds > 1 {
			suffix = fmt.Sprintf(" (round %d)", round)
		}
		// A table per round, printed as the round ends.
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, o.header(sides))
		var baseRate float64
		if base != nil {
			res := measureBase()
			baseRate = res.rate()
			base.add(res, 0)
			printRow(tw, base.name+suffix, res, 0, cpuCols)
		}
		for i, ep := range targets {
			// The sides take turns on each endpoint, so both meet the same machine within seconds.
			for j, s := range sides {
				if ctx.Err() != nil {
					break
				}
				res := o.measure(ctx, s.client, s.phase(ep, &o), s.cpu)
				all[i][j].add(res, baseRate)
				printRow(tw, all[i][j].name+suffix, res, baseRate, cpuCols)
			}
		}
		tw.Flush()
	}
	if o.rounds > 1 {
		fmt.Fprintf(stdout, "\nsummary of %d rounds: median req/s and its range, latency over all rounds, median of the per-round ratios\n", o.rounds)
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "endpoint\trequests\treq/s\tmin\tmax\tp50\tp99\tnon-2xx\terrors\tvs baseline\t"+cpuHeader(sides[0].cpu))
		if base != nil {
			base.summary(tw, cpuCols)
		}
		for _, ss := range all {
			for _, s := range ss {
				s.summary(tw, cpuCols)
			}
		}
		tw.Flush()
	}
	if len(sides) > 1 {
		sideBySide(stdout, o, sides, targets, all)
	}
	failed := false
	for _, ss := range all {
		for _, s := range ss {
			for _, r := range s.results {
				if r.Non2xx > 0 || r.Errors > 0 {
					failed = true
					fmt.Fprintln(stdout, describeFailures(s.name, r))
				}
			}
		}
	}
	for _, s := range sides {
		reportMemory(ctx, stdout, s, o.metricsPath, len(sides) > 1)
		if len(counters) > 0 {
			reportCounters(ctx, stdout, s, o.metricsPath, counters, len(sides) > 1)
		}
	}
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
func (o *options) resolve() (profile, []endpoint, []*side, error) {
	prof, ok := profileFor(o.service)
	if !ok {
		return profile{}, nil, nil, fmt.Errorf("-service %q: want momentum or cohortly", o.service)
	}
	if o.baseURL == "" {
		o.baseURL = prof.URL
	}
	var err error
	if o.baseURL, err = checkURL("-url", o.baseURL); err != nil {
		return profile{}, nil, nil, err
	}
	if o.against != "" {
		if o.against, err = checkURL("-against", o.against); err != nil {
			return profile{}, nil, nil, err
		}
	}
	names := strings.Split(o.names, ",")
	switch {
	case o.concurrency < 1 || o.concurrency > 10000:
		return profile{}, nil, nil, fmt.Errorf("-c %d: want 1 to 10000", o.concurrency)
	case o.duration <= 0 || o.duration > time.Hour:
		return profile{}, nil, nil, fmt.Errorf("-d %s: want more than 0 and at most 1h", o.duration)
	case o.warmup < 0 || o.warmup > 10*time.Minute:
		return profile{}, nil, nil, fmt.Errorf("-warmup %s: want 0 to 10m", o.warmup)
	case o.timeout <= 0:
		return profile{}, nil, nil, fmt.Errorf("-timeout %s: want more than 0", o.timeout)
	case o.maxRequests < 0:
		return profile{}, nil, nil, fmt.Errorf("-n %d: want 0 or more", o.maxRequests)
	case o.rounds < 1 || o.rounds > 100:
		return profile{}, nil, nil, fmt.Errorf("-rounds %d: want 1 to 100", o.rounds)
	case o.againstPID != 0 && o.against == "":
		return profile{}, nil, nil, fmt.Errorf("-against-pid needs -against")
	case len(names) != 2 || strings.TrimSpace(names[0]) == "" || strings.TrimSpace(names[1]) == "" || strings.TrimSpace(names[0]) == strings.TrimSpace(names[1]):
		return profile{}, nil, nil, fmt.Errorf("-names %q: want two different labels, as ours,legacy", o.names)
	}
	tag := strconv.FormatInt(time.Now().UnixNano(), 36)
	sides := []*side{{label: strings.TrimSpace(names[0]), baseURL: o.baseURL, pid: o.pid, tag: tag + "a"}}
	if o.against != "" {
		sides = append(sides, &side{label: strings.TrimSpace(names[1]), baseURL: o.against, pid: o.againstPID, tag: tag + "b"})
	}
	for _, s := range sides {
		if s.cpu, err = cpuGroups(s.pid, o.cpuOf, "/proc"); err != nil {
			return profile{}, nil, nil, err
		}
	}
	if o.email == "" {
		o.email = prof.Email
	}
	if o.password == "" {
		o.password = prof.Password
	}
	known := append(append([]endpoint(nil), prof.Reads...), prof.Writes...)
	var targets []endpoint
	if o.endpoints != "" {
		if targets, err = parseEndpoints(strings.Split(o.endpoints, ","), known); err != nil {
			return profile{}, nil, nil, err
		}
	} else {
		targets = append(targets, prof.Reads...)
		if o.writes {
			targets = append(targets, prof.Writes...)
		}
	}
	for _, ep := range targets {
		for _, v := range ep.vars() {
			if prof.Vars[v] == nil {
				return profile{}, nil, nil, fmt.Errorf("endpoint %q: unknown placeholder {%s}", ep, v)
			}
		}
	}
	return prof, targets, sides, nil
}

func checkURL(flag, raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return "", fmt.Errorf("%s %q: want http(s)://host:port", flag, raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

// ready logs in on one side, prepares its data with -prepare and resolves the placeholders the
// endpoints use.
func (o *options) ready(ctx context.Context, s *side, prof profile, targets []endpoint) error {
	var err error
	if s.token, s.login, err = login(ctx, s, *o, prof); err != nil {
		return err
	}
	if o.prepare && prof.Prepare != nil {
		if err := prof.Prepare(ctx, s); err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
	}
	s.vars = map[string][]string{}
	for _, ep := range targets {
		for _, v := range ep.vars() {
			if _, done := s.vars[v]; done {
				continue
			}
			vals, err := prof.Vars[v](ctx, s)
			if err != nil {
				return fmt.Errorf("endpoint %s: {%s}: %w", ep, v, err)
			}
			s.vars[v] = vals
		}
	}
	return nil
}

// phase is the measured run of ep on this side.
func (s *side) phase(ep endpoint, o *options) phase {
	return phase{Method: ep.Method, URL: s.baseURL + ep.Path, Token: s.token, Concurrency: ep.MaxWorkers,
		MaxRequests: o.maxRequests, Body: ep.Body, Templated: ep.templated(), Vars: s.vars, Tag: s.tag, Seq: &s.seq,
		Conns: &s.conns}
}

// measure warms up (unmeasured), then runs the measured phase, charging the CPU time each group used
// meanwhile to its requests.
func (o *options) measure(ctx context.Context, client *http.Client, p phase, cpu []cpuGroup) *result {
	p.MaxRequests = o.maxRequests
	if p.Concurrency <= 0 || p.Concurrency > o.concurrency {
		p.Concurrency = o.concurrency
	}
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

func (o *options) header(sides []*side) string {
	return "endpoint\trequests\treq/s\tp50\tp90\tp99\tmax\tnon-2xx\terrors\tvs baseline\t" + cpuHeader(sides[0].cpu)
}

func cpuHeader(cpu []cpuGroup) string {
	var b strings.Builder
	for _, g := range cpu {
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

// sideBySide prints, per endpoint, both servers' median rates, latencies over all rounds and median
// CPU per request, with the headline ratios: the median of the per-round ratios (the first server's
// rate over the second's, the second's CPU per request over the first's), each round's two runs
// being seconds apart.
func sideBySide(w io.Writer, o options, sides []*side, targets []endpoint, all [][]*series) {
	a, b := sides[0].label, sides[1].label
	fmt.Fprintf(w, "\nside by side over %d round(s): %s = %s, %s = %s; ratios are medians of the per-round ratios (throughput %s/%s, CPU per request %s/%s)\n",
		o.rounds, a, sides[0].baseURL, b, sides[1].baseURL, a, b, b, a)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	hdr := fmt.Sprintf("endpoint\t%[1]s req/s\t%[2]s req/s\tthroughput x\t%[1]s p50\t%[1]s p99\t%[2]s p50\t%[2]s p99\t", a, b)
	// CPU columns for the groups both sides measure (the servers with -pid and -against-pid, and the
	// -cpu-of groups, which are charged to whichever side ran at the time).
	type pair struct{ i, j int }
	var groups []pair
	for i, ga := range sides[0].cpu {
		for j, gb := range sides[1].cpu {
			if ga.label == gb.label {
				groups = append(groups, pair{i, j})
				hdr += fmt.Sprintf("%[1]s %[2]s cpu/req\t%[1]s %[3]s cpu/req\t%[1]s cpu x\t", ga.label, a, b)
			}
		}
	}
	fmt.Fprintln(tw, hdr+"non-2xx\terrors")
	for i, ep := range targets {
		sa, sb := all[i][0], all[i][1]
		n := min(len(sa.results), len(sb.results))
		if n == 0 {
			continue
		}
		var rates, rateA, rateB []float64
		var non2xx, errs uint64
		var ha, hb histogram
		for r := 0; r < n; r++ {
			ra, rb := sa.results[r], sb.results[r]
			rateA, rateB = append(rateA, ra.rate()), append(rateB, rb.rate())
			if rb.rate() > 0 {
				rates = append(rates, ra.rate()/rb.rate())
			}
			ha.merge(&ra.Hist)
			hb.merge(&rb.Hist)
			non2xx += ra.Non2xx + rb.Non2xx
			errs += ra.Errors + rb.Errors
		}
		line := fmt.Sprintf("%s\t%.0f\t%.0f\t%s\t%s\t%s\t%s\t%s\t", ep, median(rateA), median(rateB), times(rates),
			ms(ha.percentile(0.50)), ms(ha.percentile(0.99)), ms(hb.percentile(0.50)), ms(hb.percentile(0.99)))
		for _, g := range groups {
			var ca, cb, ratio []float64
			for r := 0; r < n; r++ {
				x, y := float64(sa.results[r].CPU[g.i]), float64(sb.results[r].CPU[g.j])
				ca, cb = append(ca, x), append(cb, y)
				if x > 0 {
					ratio = append(ratio, y/x)
				}
			}
			line += fmt.Sprintf("%s\t%s\t%s\t", micros(time.Duration(median(ca))), micros(time.Duration(median(cb))), times(ratio))
		}
		fmt.Fprintf(tw, "%s%d\t%d\n", line, non2xx, errs)
	}
	tw.Flush()
}

// times renders the median of ratios as "12.3x", "-" when there is none.
func times(v []float64) string {
	if len(v) == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fx", median(v))
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

// login posts the credentials and returns the access token and the whole answer. With -register or
// -prepare, a refused login creates the account (where the profile knows how) and tries once more.
func login(ctx context.Context, s *side, o options, prof profile) (string, []byte, error) {
	creds := map[string]string{"email": o.email, "password": o.password}
	status, body, err := postJSON(ctx, s.client, s.baseURL+prof.LoginPath, creds)
	if err != nil {
		return "", nil, fmt.Errorf("login: %w", err)
	}
	signup := o.register || o.prepare
	if (status == http.StatusUnauthorized || status == http.StatusBadRequest) && signup && prof.RegisterBody != nil {
		rs, rb, err := postJSON(ctx, s.client, s.baseURL+prof.RegisterPath, prof.RegisterBody(o.email, o.password))
		if err != nil {
			return "", nil, fmt.Errorf("register: %w", err)
		}
		if rs < 200 || rs > 299 {
			return "", nil, fmt.Errorf("register %s: HTTP %d: %s", o.email, rs, snippet(rb))
		}
		if status, body, err = postJSON(ctx, s.client, s.baseURL+prof.LoginPath, creds); err != nil {
			return "", nil, fmt.Errorf("login: %w", err)
		}
	}
	if status < 200 || status > 299 {
		hint := ""
		if prof.RegisterBody != nil && !signup {
			hint = " (use -prepare to create the account, or -email/-password)"
		}
		return "", nil, fmt.Errorf("login as %s: HTTP %d: %s%s", o.email, status, snippet(body), hint)
	}
	tok, err := extractToken(body, prof.TokenPath)
	return tok, body, err
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

// reportMemory prints the server's resident memory from its metrics and, with its pid, from /proc.
func reportMemory(ctx context.Context, w io.Writer, s *side, metricsPath string, labelled bool) {
	who := "server"
	if labelled {
		who = s.label + " server"
	}
	if rss, err := metricsRSS(ctx, s.client, s.baseURL+metricsPath); err != nil {
		fmt.Fprintf(w, "%s memory (%s): n/a: %v\n", who, metricsPath, err)
	} else {
		fmt.Fprintf(w, "%s memory (%s process_resident_memory_bytes): %s\n", who, metricsPath, mib(rss))
	}
	if s.pid > 0 {
		if rss, err := procRSS(s.pid); err != nil {
			fmt.Fprintf(w, "%s memory (/proc/%d/status VmRSS): n/a: %v\n", who, s.pid, err)
		} else {
			fmt.Fprintf(w, "%s memory (/proc/%d/status VmRSS): %s\n", who, s.pid, mib(rss))
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

// counter is one -counters entry: a metric name and the label pairs a sample must carry.
type counter struct {
	text   string
	name   string
	labels []string // `k="v"`, each required in the sample's label set
}

// splitCounters reads -counters: entries separated by commas outside braces.
func splitCounters(s string) []counter {
	var out []counter
	depth, start := 0, 0
	add := func(e string) {
		e = strings.TrimSpace(e)
		if e == "" {
			return
		}
		c := counter{text: e, name: e}
		if i := strings.IndexByte(e, '{'); i >= 0 {
			c.name = e[:i]
			for _, l := range strings.Split(strings.TrimSuffix(e[i+1:], "}"), ",") {
				if l = strings.TrimSpace(l); l != "" {
					c.labels = append(c.labels, l)
				}
			}
		}
		out = append(out, c)
	}
	for i, r := range s {
		switch r {
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				add(s[start:i])
				start = i + 1
			}
		}
	}
	add(s[start:])
	return out
}

// sumCounter adds up the samples of c in a Prometheus text exposition (0 when there are none).
func sumCounter(r io.Reader, c counter) (float64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var sum float64
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), c.name)
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '{') {
			continue
		}
		labels := ""
		if rest[0] == '{' {
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				continue
			}
			labels, rest = rest[1:end], rest[end+1:]
		}
		match := true
		for _, l := range c.labels {
			if !strings.Contains(","+labels+",", ","+l+",") {
				match = false
			}
		}
		f := strings.Fields(rest)
		if !match || len(f) == 0 {
			continue
		}
		v, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", c.text, err)
		}
		sum += v
	}
	return sum, sc.Err()
}

func readCounters(ctx context.Context, client *http.Client, u string, cs []counter) []float64 {
	out := make([]float64, len(cs))
	if len(cs) == 0 {
		return out
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil
	}
	for i, c := range cs {
		if out[i], err = sumCounter(bytes.NewReader(b), c); err != nil {
			return nil
		}
	}
	return out
}

// reportCounters prints how much each -counters metric changed over the run.
func reportCounters(ctx context.Context, w io.Writer, s *side, metricsPath string, cs []counter, labelled bool) {
	who := "server"
	if labelled {
		who = s.label + " server"
	}
	after := readCounters(ctx, s.client, s.baseURL+metricsPath, cs)
	if after == nil || s.before == nil {
		fmt.Fprintf(w, "%s counters (%s): n/a\n", who, metricsPath)
		return
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s %+.0f", c.text, after[i]-s.before[i])
	}
	fmt.Fprintf(w, "%s counters over the run: %s\n", who, strings.Join(parts, ", "))
}
