package difflog

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// ReportOptions tune Report.
type ReportOptions struct {
	// Explain returns the explanation of a diff path of a route, given the new side's status (""
	// when there is none). Nil: the explanations recorded in the diff lines are used.
	Explain func(route, path string, newStatus int) string
	// TopPaths is how many paths are listed per route (default 10).
	TopPaths int
}

// Summary is what Report found.
type Summary struct {
	Routes      int
	Compared    int64
	Diffed      int64
	Unexplained int // differing paths (per route) that have no explanation
	BadLines    int // lines that were not records (a torn last line after a crash, another file)
}

type sample struct {
	requestID, method, path string
	diff                    Diff
}

type pathAgg struct {
	lines       int64 // diff lines that carry the path
	sample      *sample
	explained   string
	unexplained int64 // lines where the path had no explanation
}

type routeAgg struct {
	stats     *RouteStats
	fromStats bool
	paths     map[string]*pathAgg
	lines     int64 // diff lines of the route
}

// Report reads diff logs (oldest first: rotated files, then the current one) and writes, per route,
// the requests by side, the comparisons and how many differed, the shadow copies not compared and
// why, the top differing paths with one sample each and their explanation (UNEXPLAINED when the
// config has none), and the noise that was suppressed.
func Report(out io.Writer, logs []io.Reader, opts ReportOptions) (Summary, error) {
	if opts.TopPaths <= 0 {
		opts.TopPaths = 10
	}
	var sum Summary
	lastStats := map[string]map[string]*RouteStats{} // run -> route -> counters (cumulative: keep the last)
	var runs []string
	routes := map[string]*routeAgg{}
	get := func(name string) *routeAgg {
		r := routes[name]
		if r == nil {
			r = &routeAgg{paths: map[string]*pathAgg{}}
			routes[name] = r
		}
		return r
	}
	for _, in := range logs {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		for sc.Scan() {
			line := sc.Bytes()
			if len(strings.TrimSpace(string(line))) == 0 {
				continue
			}
			var rec Record
			if err := json.Unmarshal(line, &rec); err != nil {
				sum.BadLines++
				continue
			}
			switch rec.Kind {
			case KindStats:
				if _, ok := lastStats[rec.Run]; !ok {
					runs = append(runs, rec.Run)
				}
				lastStats[rec.Run] = rec.Routes
			case KindDiff:
				r := get(rec.Route)
				r.lines++
				if opts.Explain != nil {
					status := 0
					if rec.New != nil {
						status = rec.New.Status
					}
					for i, d := range rec.Diffs {
						rec.Diffs[i].Explained = opts.Explain(rec.Route, d.Path, status)
						if rec.Diffs[i].Explained == "" && d.General != "" {
							rec.Diffs[i].Explained = opts.Explain(rec.Route, d.General, status)
						}
					}
					FollowStatus(rec.Diffs)
				}
				for _, d := range rec.Diffs {
					g := d.General
					if g == "" {
						g = d.Path
					}
					p := r.paths[g]
					if p == nil {
						p = &pathAgg{}
						r.paths[g] = p
					}
					p.lines++
					if p.sample == nil {
						p.sample = &sample{requestID: rec.RequestID, method: rec.Method, path: rec.Path, diff: d}
					}
					if d.Explained == "" {
						p.unexplained++
					} else if p.explained == "" {
						p.explained = d.Explained
					}
				}
			default:
				sum.BadLines++
			}
		}
		if err := sc.Err(); err != nil {
			return sum, fmt.Errorf("read diff log: %w", err)
		}
	}
	for _, run := range runs {
		for name, st := range lastStats[run] {
			r := get(name)
			r.fromStats = true
			r.stats = mergeStats(r.stats, st)
		}
	}

	names := make([]string, 0, len(routes))
	for n := range routes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		r := routes[name]
		st := r.stats
		if st == nil {
			st = &RouteStats{}
		}
		if !r.fromStats {
			// No counters (the router died before writing any): count what the lines show.
			st.Diffed = r.lines
			st.Compared = r.lines
		}
		sum.Routes++
		sum.Compared += st.Compared
		sum.Diffed += st.Diffed
		title := name
		if st.Target != "" {
			title += "  [" + st.Target + "]"
		}
		fmt.Fprintf(out, "%s\n", title)
		fmt.Fprintf(out, "  requests %d%s; compared %d, with diffs %d (%s)%s\n",
			total(st.Requests), byKey(st.Requests), st.Compared, st.Diffed, rate(st.Diffed, st.Compared), shadowLine(st.Shadow))
		if !r.fromStats {
			fmt.Fprintf(out, "  (no counters in the log: figures are from the diff lines alone)\n")
		}
		counts := map[string]int64{}
		for g, p := range r.paths {
			counts[g] = p.lines
		}
		if r.fromStats {
			for g, n := range st.Paths {
				counts[g] = max(counts[g], n)
			}
		}
		paths := make([]string, 0, len(counts))
		for g := range counts {
			paths = append(paths, g)
		}
		sort.Slice(paths, func(i, j int) bool {
			if counts[paths[i]] != counts[paths[j]] {
				return counts[paths[i]] > counts[paths[j]]
			}
			return paths[i] < paths[j]
		})
		for i, g := range paths {
			p := r.paths[g]
			expl := ""
			switch {
			case p == nil && opts.Explain != nil:
				// Counted by the stats but its lines rotated away: explain by path alone.
				expl = opts.Explain(name, g, 0)
			case p != nil && p.unexplained == 0:
				expl = p.explained
			case p != nil && p.explained != "":
				// Explained in some comparisons only (another status, say): not explained.
				expl = ""
			}
			if expl == "" {
				sum.Unexplained++
				expl = "UNEXPLAINED"
				if p != nil && p.explained != "" {
					expl += fmt.Sprintf(" in %d of %d (elsewhere: %s)", p.unexplained, p.lines, p.explained)
				}
			} else {
				expl = "explained: " + expl
			}
			if i >= opts.TopPaths {
				continue
			}
			if i == 0 {
				fmt.Fprintf(out, "  differing paths:\n")
			}
			fmt.Fprintf(out, "    %6d  %s  %s\n", counts[g], g, expl)
			if p != nil && p.sample != nil {
				s := p.sample
				fmt.Fprintf(out, "            e.g. request %s %s %s: legacy %s, new %s\n", s.requestID, s.method, s.path,
					shown(s.diff.Legacy), shown(s.diff.New))
			}
		}
		if len(paths) > opts.TopPaths {
			fmt.Fprintf(out, "    ... %d more paths\n", len(paths)-opts.TopPaths)
		}
		if len(st.Suppressed) > 0 {
			fmt.Fprintf(out, "  noise suppressed: %s\n", byKeyList(st.Suppressed))
		}
		fmt.Fprintln(out)
	}
	fmt.Fprintf(out, "%d route(s), %d comparison(s), %d with diffs (%s); unexplained differing paths: %d\n",
		sum.Routes, sum.Compared, sum.Diffed, rate(sum.Diffed, sum.Compared), sum.Unexplained)
	if sum.BadLines > 0 {
		fmt.Fprintf(out, "%d line(s) were not diff log records and were skipped\n", sum.BadLines)
	}
	return sum, nil
}

func mergeStats(a, b *RouteStats) *RouteStats {
	if b == nil {
		return a
	}
	if a == nil {
		a = &RouteStats{}
	}
	if b.Target != "" {
		a.Target = b.Target
	}
	a.Compared += b.Compared
	a.Diffed += b.Diffed
	a.Requests = addMap(a.Requests, b.Requests)
	a.Shadow = addMap(a.Shadow, b.Shadow)
	a.Paths = addMap(a.Paths, b.Paths)
	a.Suppressed = addMap(a.Suppressed, b.Suppressed)
	return a
}

func addMap(a, b map[string]int64) map[string]int64 {
	if len(b) == 0 {
		return a
	}
	if a == nil {
		a = map[string]int64{}
	}
	for k, v := range b {
		a[k] += v
	}
	return a
}

func total(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

func byKey(m map[string]int64) string {
	if len(m) == 0 {
		return ""
	}
	return " (" + byKeyList(m) + ")"
}

func byKeyList(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func shadowLine(m map[string]int64) string {
	if len(m) == 0 {
		return ""
	}
	return "; not compared: " + byKeyList(m)
}

func rate(n, of int64) string {
	if of == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f%%", 100*float64(n)/float64(of))
}

// shown prints a sample value, shortened.
func shown(v json.RawMessage) string {
	if v == nil {
		return "(absent)"
	}
	s := string(v)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
