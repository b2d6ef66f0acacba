package legacymigrate

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/momentum-cohortly/backends/internal/momentum/mongotest"
	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
)

func openRW(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", sqlitefile.DSN(path, nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// An interrupted run (at any document, mid-batch, before or after a checkpoint) followed by a
// resumed run gives exactly what one clean run gives.
func TestInterruptAtRandomPointsThenResume(t *testing.T) {
	t.Parallel()
	src, _ := generated(t, GenerateOptions{Restaurants: 25, Statuses: 120, Campaigns: 20, Sessions: 4, Defects: 0.05, Seed: 11})
	for _, policy := range []string{OrphansKeep, OrphansSkip} {
		t.Run(policy, func(t *testing.T) {
			t.Parallel()
			clean := mongotest.DBName(t)
			cleanRep := forward(t, ForwardOptions{Source: src, Database: clean, Orphans: policy, BatchSize: 16})
			want := snapshot(t, mongoDB(t, clean), false)
			var total int64
			for _, tr := range cleanRep.Tables {
				total += tr.Written
			}

			seed := uint64(os.Getpid())
			t.Logf("interruption points from seed %d", seed)
			rng := rand.New(rand.NewPCG(seed, 1))
			points := []int64{1, 16, 17, total - 1}
			for range 3 {
				points = append(points, 1+rng.Int64N(total-1))
			}
			for _, at := range points {
				dbName := mongotest.DBName(t)
				_, err := Forward(context.Background(), ForwardOptions{Source: src, MongoURL: ferretURI, Database: dbName, Orphans: policy, BatchSize: 16, interruptAfter: at, checkpointBatches: 2})
				if !errors.Is(err, errInterrupted) {
					t.Fatalf("interrupt after %d documents: %v", at, err)
				}
				// A second interruption during the resumed run, then the final resume.
				_, err = Forward(context.Background(), ForwardOptions{Source: src, MongoURL: ferretURI, Database: dbName, Orphans: policy, BatchSize: 16, interruptAfter: 5, checkpointBatches: 3})
				if err != nil && !errors.Is(err, errInterrupted) {
					t.Fatalf("second interruption: %v", err)
				}
				rep := forward(t, ForwardOptions{Source: src, Database: dbName, Orphans: policy, BatchSize: 16, checkpointBatches: 2})
				diffSnapshots(t, want, snapshot(t, mongoDB(t, dbName), false))
				if len(rep.Issues) != len(cleanRep.Issues) {
					t.Errorf("interrupted at %d: the resumed run reports %d issues, a clean run %d", at, len(rep.Issues), len(cleanRep.Issues))
				}
				for i, tr := range rep.Tables {
					c := cleanRep.Tables[i]
					if tr.Read != c.Read || tr.Written != c.Written || tr.Skipped != c.Skipped || tr.TargetDocs != c.TargetDocs {
						t.Errorf("interrupted at %d: %s totals %+v, clean run %+v", at, tr.Table, tr, c)
					}
				}
				if v := verify(t, VerifyOptions{Source: src, Database: dbName}); v.Verify.Count != 0 {
					t.Errorf("interrupted at %d: verify:\n%s", at, human(v))
				}
			}
		})
	}
}

// The same with a real kill -9 of a migrator process, at a moment the test does not choose.
func TestKillDashNineThenResume(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts processes")
	}
	src, _ := generated(t, GenerateOptions{Restaurants: 30, Statuses: 150, Campaigns: 20, Sessions: 3, Defects: 0.05, Seed: 5})
	clean := mongotest.DBName(t)
	forward(t, ForwardOptions{Source: src, Database: clean, BatchSize: 8})
	want := snapshot(t, mongoDB(t, clean), false)

	ctx := context.Background()
	// Kill when the child announces a table: which one (and how far the writes of the batches in
	// flight got) varies from run to run.
	victims := []string{"restaurants", "checklist_items", "checklist_status", "restaurant_checklist_status", "sessions"}
	victim := victims[os.Getpid()%len(victims)]
	dbName := mongotest.DBName(t)
	args := []string{"forward", "--source", src, "--mongodb-url", ferretURI, "--database", dbName, "--batch-size", "8", "--progress", "log"}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := runChild(ctx, args, &bytes.Buffer{}, pw)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	killed := false
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if !killed && strings.Contains(sc.Text(), " "+victim+": start") {
			_ = cmd.Process.Signal(syscall.SIGKILL)
			killed = true
		}
	}
	_ = cmd.Wait()
	t.Logf("killed at the start of %s: %v", victim, killed)

	var out bytes.Buffer
	resume := runChild(ctx, args, &out, &bytes.Buffer{})
	if err := resume.Run(); err != nil {
		t.Fatalf("resumed run: %v\n%s", err, out.String())
	}
	diffSnapshots(t, want, snapshot(t, mongoDB(t, dbName), false))
	if v := verify(t, VerifyOptions{Source: src, Database: dbName}); v.Verify.Count != 0 {
		t.Errorf("verify:\n%s", human(v))
	}
}
