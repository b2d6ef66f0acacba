package legacymigrate

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

// Progress modes (--progress).
const (
	ProgressAuto = "auto" // a live display on a terminal, periodic log lines otherwise
	ProgressTTY  = "tty"
	ProgressLog  = "log"
	ProgressOff  = "off"
)

// progress shows per-collection progress. The clock is read on each update rather than on a timer,
// so nothing sleeps and tests drive it with a fake clock.
type progress struct {
	w        io.Writer
	clk      clock.Clock
	tty      bool
	off      bool
	interval time.Duration

	table      string
	total      int64
	done       int64 // including rows done by earlier runs
	startDone  int64
	started    time.Time
	lastOutput time.Time
}

func newProgress(mode string, w io.Writer, clk clock.Clock) *progress {
	p := &progress{w: w, clk: clk, interval: 10 * time.Second}
	switch mode {
	case ProgressOff:
		p.off = true
	case ProgressTTY:
		p.tty = true
	case ProgressLog:
	default:
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			p.tty = true
		}
	}
	if p.tty {
		p.interval = 200 * time.Millisecond
	}
	return p
}

func (p *progress) start(table string, total, done int64) {
	p.table, p.total, p.done, p.startDone = table, total, done, done
	p.started = p.clk.Now()
	p.lastOutput = p.started
	if p.off {
		return
	}
	if !p.tty {
		fmt.Fprintf(p.w, "%s %s: start, %d rows (%d already done)\n", p.clk.Now().UTC().Format(time.RFC3339), table, total, done)
		return
	}
	p.draw(false)
}

func (p *progress) add(n int64) {
	p.done += n
	if p.off {
		return
	}
	now := p.clk.Now()
	if now.Sub(p.lastOutput) < p.interval {
		return
	}
	p.lastOutput = now
	if p.tty {
		p.draw(false)
		return
	}
	fmt.Fprintf(p.w, "%s %s\n", now.UTC().Format(time.RFC3339), p.line())
}

func (p *progress) finish() {
	if p.off {
		return
	}
	if p.tty {
		p.draw(true)
		return
	}
	fmt.Fprintf(p.w, "%s %s: done\n", p.clk.Now().UTC().Format(time.RFC3339), p.line())
}

func (p *progress) rate() float64 {
	el := p.clk.Now().Sub(p.started).Seconds()
	if el <= 0 {
		return 0
	}
	return float64(p.done-p.startDone) / el
}

func (p *progress) line() string {
	pct := 100.0
	if p.total > 0 {
		pct = float64(p.done) * 100 / float64(p.total)
	}
	r := p.rate()
	eta := "-"
	if r > 0 && p.done < p.total {
		eta = (time.Duration(float64(p.total-p.done)/r) * time.Second).Round(time.Second).String()
	}
	return fmt.Sprintf("%-28s %10d / %-10d %5.1f%% %9.0f rows/s  ETA %s", p.table, p.done, p.total, pct, r, eta)
}

func (p *progress) draw(final bool) {
	// \r and erase-line redraw the current collection's line; a finished collection keeps its line.
	fmt.Fprintf(p.w, "\r\x1b[2K%s", p.line())
	if final {
		fmt.Fprintln(p.w)
	}
}
