package difflog

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRotationBoundsTheLog(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.jsonl")
	w, err := Open(path, 4096, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 500; i++ {
		if err := w.Write(&Record{Kind: KindDiff, Time: time.Unix(0, 0).UTC(), Run: "r", Route: "/api/", RequestID: strings.Repeat("x", 40)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	var total int64
	for _, e := range ents {
		names = append(names, e.Name())
		fi, _ := e.Info()
		if fi.Size() > 4096 {
			t.Errorf("%s is %d bytes, over the limit", e.Name(), fi.Size())
		}
		total += fi.Size()
	}
	if strings.Join(names, " ") != "d.jsonl d.jsonl.1 d.jsonl.2" {
		t.Errorf("files %v, want the current one and two rotated", names)
	}
	// Every kept line is whole.
	for _, n := range names {
		b, _ := os.ReadFile(filepath.Join(dir, n))
		var buf bytes.Buffer
		if _, err := Report(&buf, []io.Reader{bytes.NewReader(b)}, ReportOptions{}); err != nil || strings.Contains(buf.String(), "were not diff log records") {
			t.Errorf("%s: %v %s", n, err, buf.String())
		}
	}
	// Reopening appends.
	w, _ = Open(path, 4096, 2)
	_ = w.Write(&Record{Kind: KindStats, Run: "r"})
	_ = w.Close()
}

func TestReportSumsRunsAndSkipsTornLines(t *testing.T) {
	log := `{"kind":"stats","run":"a","routes":{"r":{"requests":{"legacy":5},"compared":4,"diffed":1}}}
{"kind":"stats","run":"a","routes":{"r":{"requests":{"legacy":10},"compared":8,"diffed":2}}}
{"kind":"stats","run":"b","routes":{"r":{"requests":{"new":3},"compared":2,"diffed":0}}}
{"kind":"diff","run":"b","route":"r","diffs":[{"path":"status","general":"status","legacy":200,"new":500,"explained":"known"}]}
{"kind":"di`
	var out bytes.Buffer
	sum, err := Report(&out, []io.Reader{strings.NewReader(log)}, ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Run a's last line counts (counters are cumulative), plus run b.
	if sum.Compared != 10 || sum.Diffed != 2 || sum.BadLines != 1 || sum.Unexplained != 0 {
		t.Errorf("summary %+v\n%s", sum, out.String())
	}
	if !strings.Contains(out.String(), "requests 13 (legacy 10, new 3); compared 10, with diffs 2 (20.00%)") ||
		!strings.Contains(out.String(), "status  explained: known") {
		t.Errorf("report:\n%s", out.String())
	}
}

func TestReportExplainsByStatus(t *testing.T) {
	log := `{"kind":"diff","run":"a","route":"r","new":{"status":401},"diffs":[{"path":"status","general":"status","legacy":200,"new":401},{"path":"$.items","general":"$.items","legacy":[]}]}
{"kind":"diff","run":"a","route":"r","new":{"status":500},"diffs":[{"path":"status","general":"status","legacy":200,"new":500}]}
`
	explain := func(route, path string, newStatus int) string {
		if path == "status" && newStatus == 401 {
			return "needs a token"
		}
		return ""
	}
	var out bytes.Buffer
	sum, err := Report(&out, []io.Reader{strings.NewReader(log)}, ReportOptions{Explain: explain})
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, s := range []string{
		"2  status  UNEXPLAINED in 1 of 2 (elsewhere: needs a token)",
		"1  $.items  explained: with the status difference: needs a token",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("report lacks %q:\n%s", s, text)
		}
	}
	if sum.Unexplained != 1 {
		t.Errorf("unexplained %d", sum.Unexplained)
	}
}
