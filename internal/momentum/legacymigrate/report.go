package legacymigrate

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

// Issue kinds.
const (
	IssueBrokenReference = "broken_reference"
	IssueInvalidJSON     = "invalid_json"
	IssueOddTimestamp    = "odd_timestamp"
	IssueOddValue        = "odd_value"
	IssueEmailConflict   = "email_conflict"
	IssueUnkeyedRow      = "unkeyed_row"
	IssueUnknownTable    = "unknown_table"
	IssueUnknownColumn   = "unknown_column"
	// IssuePendingRegistration: the reverse export met a user mongostore marks as a registration
	// in flight (pending_since).
	IssuePendingRegistration = "pending_registration"
)

// Issue is one finding about one legacy row (or the schema). Every broken reference, invalid JSON
// value, odd timestamp and odd value is one Issue.
type Issue struct {
	Kind      string `json:"kind" bson:"kind"`
	Table     string `json:"table" bson:"table"`
	ID        any    `json:"id,omitempty" bson:"id,omitempty"` // the legacy id (integer, or the session id)
	Column    string `json:"column,omitempty" bson:"column,omitempty"`
	Value     string `json:"value,omitempty" bson:"value,omitempty"`
	Reference string `json:"reference,omitempty" bson:"reference,omitempty"`
	Action    string `json:"action" bson:"action"`
}

// issueKey identifies an issue across resumed runs.
func (i Issue) issueKey() string {
	return fmt.Sprintf("%s/%v/%s/%s", i.Table, i.ID, i.Column, i.Kind)
}

// TableReport is one table's line of a forward (or dry) run.
type TableReport struct {
	Table      string `json:"table"`
	SourceRows int64  `json:"source_rows"`
	// Read, Written and Skipped are totals over every run that contributed to this target (a resumed
	// run continues the counts of the interrupted one).
	Read    int64 `json:"read"`
	Written int64 `json:"written"`
	Skipped int64 `json:"skipped"`
	// TargetDocs is the collection's document count after the run (not in a dry run).
	TargetDocs int64 `json:"target_docs"`
	// ThisRun is what this invocation read; ResumedAfter is the rowid it started after.
	ThisRun       int64   `json:"read_this_run"`
	ResumedAfter  int64   `json:"resumed_after_rowid,omitempty"`
	Seconds       float64 `json:"seconds"`
	RowsPerSecond float64 `json:"rows_per_second"`
}

// RawInsertReport is the comparison point for throughput: plain InsertMany of the same documents
// into a scratch collection of the same server.
type RawInsertReport struct {
	Table         string  `json:"table"`
	Docs          int64   `json:"docs"`
	BatchSize     int     `json:"batch_size"`
	Seconds       float64 `json:"seconds"`
	DocsPerSecond float64 `json:"docs_per_second"`
	// ToolRowsPerSecond is the migration's rate on the same table (its time minus the raw inserts');
	// Ratio is tool / raw.
	ToolRowsPerSecond float64 `json:"tool_rows_per_second"`
	Ratio             float64 `json:"ratio"`
	// The same raw inserts into a collection with the unique index on the legacy key, which the
	// migrated collection must have too.
	IndexedDocsPerSecond float64 `json:"indexed_docs_per_second"`
	IndexedRatio         float64 `json:"indexed_ratio"`
}

// Report is what forward, dry-run and reverse print (human summary or --json).
type Report struct {
	Command     string            `json:"command"`
	Source      string            `json:"source,omitempty"`
	Target      string            `json:"target,omitempty"`
	DryRun      bool              `json:"dry_run,omitempty"`
	Orphans     string            `json:"orphans_policy,omitempty"`
	OddTimes    string            `json:"odd_timestamps_policy,omitempty"`
	WriteMode   string            `json:"write_mode,omitempty"`
	StartedAt   time.Time         `json:"started_at"`
	Seconds     float64           `json:"seconds"`
	Tables      []TableReport     `json:"tables"`
	Counters    map[string]int64  `json:"counters,omitempty"`
	IssueCounts map[string]int64  `json:"issue_counts"`
	Issues      []Issue           `json:"issues"`
	Truncated   bool              `json:"issues_truncated,omitempty"`
	Warnings    []string          `json:"warnings,omitempty"`
	RowsRead    int64             `json:"rows_read_this_run"`
	RowsPerSec  float64           `json:"rows_per_second"`
	PeakRSS     int64             `json:"peak_rss_bytes,omitempty"`
	RawInsert   *RawInsertReport  `json:"raw_insert,omitempty"`
	Verify      *VerifyReport     `json:"verify,omitempty"`
	OK          bool              `json:"ok"`
	Error       string            `json:"error,omitempty"`
	Extra       map[string]string `json:"extra,omitempty"`
}

// issueSink collects issues with a cap on the details kept in memory; counts are always complete.
type issueSink struct {
	max       int
	issues    []Issue
	counts    map[string]int64
	truncated bool
}

func newIssueSink(max int) *issueSink {
	return &issueSink{max: max, counts: map[string]int64{}}
}

func (s *issueSink) add(is ...Issue) {
	for _, i := range is {
		s.counts[i.Kind]++
		if len(s.issues) < s.max {
			s.issues = append(s.issues, i)
		} else {
			s.truncated = true
		}
	}
}

// peakRSS returns the process's peak resident set size (VmHWM) in bytes, or 0 where unknown.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, err := strconv.ParseInt(f[1], 10, 64)
				if err == nil {
					return kb * 1024
				}
			}
		}
	}
	return 0
}

func writeJSONReport(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// maxHumanIssues bounds how many issues the human summary lists; --json has them all.
const maxHumanIssues = 50

func (r *Report) writeHuman(w io.Writer) {
	title := r.Command
	if r.DryRun {
		title += " (dry run: nothing written)"
	}
	fmt.Fprintf(w, "momentum migrate %s\n", title)
	if r.Source != "" {
		fmt.Fprintf(w, "  source: %s\n", r.Source)
	}
	if r.Target != "" {
		fmt.Fprintf(w, "  target: %s\n", r.Target)
	}
	if r.Orphans != "" {
		fmt.Fprintf(w, "  policy: orphans=%s odd-timestamps=%s\n", r.Orphans, r.OddTimes)
	}
	if len(r.Tables) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "table\tsource rows\tread\twritten\tskipped\ttarget docs\trows/s\t")
		for _, t := range r.Tables {
			target := strconv.FormatInt(t.TargetDocs, 10)
			if r.DryRun {
				target = "-"
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%.0f\t\n", t.Table, t.SourceRows, t.Read, t.Written, t.Skipped, target, t.RowsPerSecond)
		}
		tw.Flush()
	}
	if len(r.Counters) > 0 {
		names := make([]string, 0, len(r.Counters))
		for n := range r.Counters {
			names = append(names, n)
		}
		sort.Strings(names)
		var parts []string
		for _, n := range names {
			parts = append(parts, fmt.Sprintf("%s=%d", n, r.Counters[n]))
		}
		fmt.Fprintf(w, "  counters: %s\n", strings.Join(parts, " "))
	}
	fmt.Fprintf(w, "  %d rows read in %.1fs (%.0f rows/s)", r.RowsRead, r.Seconds, r.RowsPerSec)
	if r.PeakRSS > 0 {
		fmt.Fprintf(w, ", peak RSS %.1f MiB", float64(r.PeakRSS)/(1<<20))
	}
	fmt.Fprintln(w)
	if ri := r.RawInsert; ri != nil {
		fmt.Fprintf(w, "  raw InsertMany on %s: %d docs in %.1fs = %.0f docs/s (%.0f docs/s with the unique key index); migration of %s: %.0f rows/s; ratio %.0f%% (%.0f%%)\n",
			ri.Table, ri.Docs, ri.Seconds, ri.DocsPerSecond, ri.IndexedDocsPerSecond, ri.Table, ri.ToolRowsPerSecond, ri.Ratio*100, ri.IndexedRatio*100)
	}
	writeIssuesHuman(w, r.IssueCounts, r.Issues)
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", wn)
	}
	if r.Verify != nil {
		r.Verify.writeHuman(w)
	}
	if r.OK {
		fmt.Fprintln(w, "OK")
	} else {
		fmt.Fprintf(w, "FAILED: %s\n", r.Error)
	}
}

func writeIssuesHuman(w io.Writer, counts map[string]int64, issues []Issue) {
	if len(counts) == 0 {
		fmt.Fprintln(w, "  issues: none")
		return
	}
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var parts []string
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%s=%d", k, counts[k]))
	}
	fmt.Fprintf(w, "  issues: %s\n", strings.Join(parts, " "))
	for i, is := range issues {
		if i == maxHumanIssues {
			fmt.Fprintf(w, "    ... %d more (see --json)\n", len(issues)-maxHumanIssues)
			break
		}
		fmt.Fprintf(w, "    %s %s %v", is.Kind, is.Table, is.ID)
		if is.Column != "" {
			fmt.Fprintf(w, " %s", is.Column)
		}
		if is.Value != "" {
			fmt.Fprintf(w, " value %s", is.Value)
		}
		if is.Reference != "" {
			fmt.Fprintf(w, " -> %s", is.Reference)
		}
		fmt.Fprintf(w, ": %s\n", is.Action)
	}
}

// timed stamps the start of a run and returns what stamps its end: duration, rate and peak RSS.
func (r *Report) timed(c clock.Clock) func() {
	started := c.Now()
	r.StartedAt = started.UTC()
	return func() {
		r.Seconds = c.Now().Sub(started).Seconds()
		if r.Seconds > 0 {
			r.RowsPerSec = float64(r.RowsRead) / r.Seconds
		}
		r.PeakRSS = peakRSS()
	}
}
