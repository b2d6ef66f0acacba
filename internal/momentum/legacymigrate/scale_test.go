package legacymigrate

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum/mongotest"
)

// TestScaleMeasurement is the scale benchmark of the issue: a generated legacy database (by default
// 100,000 restaurants with their users and tasks, 1,000,000 checklist statuses, defects included) is
// migrated into the test MongoDB (the embedded FerretDB, or MOMENTUM_TEST_MONGODB_URL) by a separate
// migrator process, which also times a raw InsertMany of the largest table's documents into the same
// server. It reports rows/s, the migrator's peak RSS, the raw rate and the ratio; it asserts nothing
// about timings. Run it explicitly:
//
//	MOMENTUM_MIGRATE_SCALE=1 go test -run TestScaleMeasurement -timeout 3h -v ./internal/momentum/legacymigrate/
//
// MOMENTUM_MIGRATE_SCALE_RESTAURANTS and MOMENTUM_MIGRATE_SCALE_STATUSES change the size;
// MOMENTUM_MIGRATE_SCALE_DB reuses (or keeps) a generated file.
func TestScaleMeasurement(t *testing.T) {
	if os.Getenv("MOMENTUM_MIGRATE_SCALE") == "" {
		t.Skip("set MOMENTUM_MIGRATE_SCALE=1 to run the scale measurement")
	}
	ctx := context.Background()
	restaurants := envInt("MOMENTUM_MIGRATE_SCALE_RESTAURANTS", 100_000)
	statuses := envInt("MOMENTUM_MIGRATE_SCALE_STATUSES", 1_000_000)
	src := os.Getenv("MOMENTUM_MIGRATE_SCALE_DB")
	if src == "" {
		src = filepath.Join(t.TempDir(), "scale.sqlite")
	}
	if _, err := os.Stat(src); err != nil {
		start := time.Now()
		res, err := Generate(ctx, GenerateOptions{Out: src, Restaurants: restaurants, Statuses: statuses, Campaigns: -1, Sessions: -1, Defects: 0.001, Seed: 42})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("generated in %s: %s", time.Since(start).Round(time.Millisecond), res)
	}
	uri := ferretURI
	server := "embedded FerretDB v1.24.0 (SQLite handler)"
	if ext := mongotest.ExternalURI(); ext != "" {
		uri, server = ext, "MOMENTUM_TEST_MONGODB_URL"
	}
	dbName := mongotest.DBName(t)
	args := []string{"forward", "--source", src, "--mongodb-url", uri, "--database", dbName, "--json", "--progress", "log",
		"--measure-raw-insert", strconv.Itoa(envInt("MOMENTUM_MIGRATE_SCALE_RAW", 200_000))}
	if bs := os.Getenv("MOMENTUM_MIGRATE_SCALE_BATCH"); bs != "" {
		args = append(args, "--batch-size", bs)
	}
	if wm := os.Getenv("MOMENTUM_MIGRATE_SCALE_WRITE_MODE"); wm != "" {
		args = append(args, "--write-mode", wm)
	}
	var out, errb bytes.Buffer
	cmd := runChild(ctx, args, &out, &errb)
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("migrator: %v\n%s\n%s", err, errb.String(), out.String())
	}
	wall := time.Since(start)
	var rep Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, out.String())
	}
	var maxRSS int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxRSS = ru.Maxrss * 1024
	}
	t.Logf("server: %s", server)
	for _, tr := range rep.Tables {
		t.Logf("%-28s %9d rows %8.1fs %9.0f rows/s (written %d, skipped %d)", tr.Table, tr.SourceRows, tr.Seconds, tr.RowsPerSecond, tr.Written, tr.Skipped)
	}
	t.Logf("migration: %d rows in %.1fs = %.0f rows/s (process wall time %s); peak RSS %.1f MiB (VmHWM), %.1f MiB (rusage)",
		rep.RowsRead, rep.Seconds, rep.RowsPerSec, wall.Round(time.Millisecond), float64(rep.PeakRSS)/(1<<20), float64(maxRSS)/(1<<20))
	t.Logf("issues: %v", rep.IssueCounts)
	if ri := rep.RawInsert; ri != nil {
		t.Logf("raw InsertMany of %d %s documents (batches of %d, interleaved with the migration): %.1fs = %.0f docs/s, %.0f docs/s into a collection with the unique key index; migration of that table: %.0f rows/s; ratio %.0f%% (%.0f%% against the indexed collection)",
			ri.Docs, ri.Table, ri.BatchSize, ri.Seconds, ri.DocsPerSecond, ri.IndexedDocsPerSecond, ri.ToolRowsPerSecond, ri.Ratio*100, ri.IndexedRatio*100)
	}
	if !rep.OK {
		t.Errorf("migration failed: %s", rep.Error)
	}

	// The dry run and the verification of the same data, each in a process of its own.
	for _, extra := range [][]string{
		{"dry-run", "--source", src, "--json", "--progress", "off"},
		{"verify", "--source", src, "--mongodb-url", uri, "--database", dbName, "--json", "--progress", "off"},
	} {
		var out, errb bytes.Buffer
		cmd := runChild(ctx, extra, &out, &errb)
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		var r Report
		if jerr := json.Unmarshal(out.Bytes(), &r); jerr != nil {
			t.Fatalf("%s: %v %v\n%s", extra[0], err, jerr, errb.String())
		}
		var rss int64
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = ru.Maxrss * 1024
		}
		t.Logf("%s: %d rows in %s = %.0f rows/s; peak RSS %.1f MiB; ok=%v", extra[0], r.RowsRead, wall.Round(time.Millisecond), float64(r.RowsRead)/wall.Seconds(), float64(rss)/(1<<20), r.OK)
		if !r.OK {
			t.Errorf("%s failed: %s", extra[0], r.Error)
		}
	}
}

func envInt(k string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(k)); err == nil && v >= 0 {
		return v
	}
	return def
}
