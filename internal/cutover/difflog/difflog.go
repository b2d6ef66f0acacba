// Package difflog is the cut-over router's record of what it compared: a JSON-lines file, bounded in
// size by rotation, holding one line per answer pair that differed (with the request id, both
// statuses and content types, and every differing JSON path with both values, already redacted) and,
// every few seconds and at shutdown, one line of cumulative counters per route. The report reads both:
// the counters for requests and diff rates (exact even after rotation dropped old diff lines), the diff
// lines for samples.
package difflog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

// Record kinds.
const (
	KindDiff  = "diff"
	KindStats = "stats"
)

// Record is one line of the log.
type Record struct {
	Kind      string    `json:"kind"`
	Time      time.Time `json:"time"`
	Run       string    `json:"run"` // one id per router process: counters are cumulative within a run
	RequestID string    `json:"request_id,omitempty"`
	Route     string    `json:"route,omitempty"`
	Method    string    `json:"method,omitempty"`
	Path      string    `json:"path,omitempty"` // as sent, query redacted
	Primary   string    `json:"primary,omitempty"`
	Legacy    *Answer   `json:"legacy,omitempty"`
	New       *Answer   `json:"new,omitempty"`
	Diffs     []Diff    `json:"diffs,omitempty"`
	// Suppressed are paths that differed but are noise (declared in the config, or learned from two
	// answers of the primary), with the reason.
	Suppressed []Suppressed `json:"suppressed,omitempty"`
	// RequestHeaders and RequestBody (small JSON bodies of side-effect-free routes) reproduce the
	// request, redacted.
	RequestHeaders map[string][]string `json:"request_headers,omitempty"`
	RequestBody    json.RawMessage     `json:"request_body,omitempty"`
	// Routes holds the counters of a stats line.
	Routes map[string]*RouteStats `json:"routes,omitempty"`
}

// Answer sums up one side's answer.
type Answer struct {
	Status      int    `json:"status"`
	ContentType string `json:"content_type,omitempty"`
	Bytes       int    `json:"bytes"`
}

// Diff is one differing path. A side where the path is absent has no value (the key is left out); a
// JSON null is written as null.
type Diff struct {
	Path      string          `json:"path"`
	General   string          `json:"general"` // the path with array indices as [*]
	Legacy    json.RawMessage `json:"legacy,omitempty"`
	New       json.RawMessage `json:"new,omitempty"`
	Explained string          `json:"explained,omitempty"` // the config's explanation, when it has one
}

// Suppressed is a path left out of Diffs.
type Suppressed struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// RouteStats are a route's counters since the router started.
type RouteStats struct {
	Target string `json:"target,omitempty"` // the rule's target when the counters were written
	// Requests by the side (or hold) that answered.
	Requests map[string]int64 `json:"requests,omitempty"`
	Compared int64            `json:"compared"`
	Diffed   int64            `json:"diffed"` // comparisons with at least one reported diff
	// Shadow outcomes other than a comparison: dropped (queue full), unsafe (method not copied),
	// too_large, error, timeout.
	Shadow     map[string]int64 `json:"shadow,omitempty"`
	Paths      map[string]int64 `json:"paths,omitempty"`      // reported diffs by general path
	Suppressed map[string]int64 `json:"suppressed,omitempty"` // suppressed diffs by general path
}

// Writer appends records to a file and rotates it when it would grow past MaxBytes: FILE becomes
// FILE.1, FILE.1 becomes FILE.2, ..., and the oldest beyond Keep is removed. At most
// (Keep+1) x MaxBytes are on disk. Safe for concurrent use.
type Writer struct {
	path     string
	maxBytes int64
	keep     int

	mu   sync.Mutex
	f    *os.File
	w    *bufio.Writer
	size int64
}

// Open opens (appending) or creates path.
func Open(path string, maxBytes int64, keep int) (*Writer, error) {
	if maxBytes <= 0 {
		return nil, errors.New("difflog: max bytes must be positive")
	}
	if keep < 0 {
		keep = 0
	}
	w := &Writer{path: path, maxBytes: maxBytes, keep: keep}
	if err := w.open(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Writer) open() error {
	f, err := os.OpenFile(w.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("difflog: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("difflog: %w", err)
	}
	w.f, w.w, w.size = f, bufio.NewWriterSize(f, 32<<10), st.Size()
	return nil
}

// Write appends rec as one line. The line reaches the file at the next Flush, rotation or Close.
func (w *Writer) Write(rec *Record) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // values are read by people: `<pre>` stays `<pre>`
	if err := enc.Encode(rec); err != nil {
		return fmt.Errorf("difflog: encode: %w", err)
	}
	b := buf.Bytes() // Encode ends the line
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return errors.New("difflog: closed")
	}
	if w.size > 0 && w.size+int64(len(b)) > w.maxBytes {
		if err := w.rotate(); err != nil {
			return err
		}
	}
	n, err := w.w.Write(b)
	w.size += int64(n)
	return err
}

func (w *Writer) rotate() error {
	if err := w.w.Flush(); err != nil {
		return fmt.Errorf("difflog: %w", err)
	}
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("difflog: %w", err)
	}
	if w.keep == 0 {
		if err := os.Remove(w.path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("difflog: %w", err)
		}
	} else {
		_ = os.Remove(w.path + "." + strconv.Itoa(w.keep))
		for i := w.keep - 1; i >= 1; i-- {
			_ = os.Rename(w.path+"."+strconv.Itoa(i), w.path+"."+strconv.Itoa(i+1))
		}
		if err := os.Rename(w.path, w.path+".1"); err != nil {
			return fmt.Errorf("difflog: %w", err)
		}
	}
	return w.open()
}

// Flush writes buffered lines to the file.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	return w.w.Flush()
}

// Close flushes and closes the file.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := errors.Join(w.w.Flush(), w.f.Close())
	w.f = nil
	return err
}

// FollowStatus gives the other diffs of one comparison the explanation of its status difference,
// when that is explained: a different status means a different body, and the report must not call
// the body's paths unexplained when the reason for the status is known.
func FollowStatus(diffs []Diff) {
	status := ""
	for _, d := range diffs {
		if d.Path == "status" {
			status = d.Explained
		}
	}
	if status == "" {
		return
	}
	for i := range diffs {
		if diffs[i].Explained == "" {
			diffs[i].Explained = "with the status difference: " + status
		}
	}
}
