package legacymigrate

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/momentum-cohortly/backends/internal/momentum/mongotest"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func runMain(t *testing.T, getenv map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, env(getenv), &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelpAndUsage(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"forward", "dry-run", "verify", "reverse", "generate"} {
		code, _, stderr := runMain(t, nil, cmd, "--help")
		if code != 0 || !strings.Contains(stderr, "Usage: momentum migrate "+cmd) || !strings.Contains(stderr, "-json") && cmd != "generate" {
			t.Errorf("%s --help: exit %d, %q", cmd, code, stderr)
		}
	}
	if code, out, _ := runMain(t, nil, "help"); code != 0 || !strings.Contains(out, "dry-run") {
		t.Errorf("help: %d %q", code, out)
	}
	for _, args := range [][]string{{}, {"sideways"}, {"forward", "--batch-size", "x"}, {"forward", "extra-arg"}} {
		if code, _, _ := runMain(t, nil, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	// Bad values are refused before anything is read or written.
	src := fixture(t)
	for _, args := range [][]string{
		{"forward", "--source", src, "--mongodb-url", ferretURI, "--orphans", "maybe"},
		{"forward", "--source", src, "--mongodb-url", ferretURI, "--batch-size", "0"},
		{"forward", "--source", src},                                          // no MongoDB
		{"dry-run", "--source", filepath.Join(t.TempDir(), "missing.sqlite")}, // no file
		{"dry-run", "--source", t.TempDir()},                                  // a directory
		{"verify", "--source", src, "--mongodb-url", ferretURI, "--direction", "up"},
	} {
		code, out, _ := runMain(t, nil, args...)
		if code != 1 || !strings.Contains(out, "FAILED") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	src, gen := generated(t, GenerateOptions{Restaurants: 20, Defects: 0.1, Seed: 9})
	dbName := mongotest.DBName(t)
	code, out, _ := runMain(t, map[string]string{"MONGODB_URL": ferretURI, "DATABASE_NAME": dbName}, "dry-run", "--source", src, "--json")
	if code != 0 {
		t.Fatalf("dry run: exit %d\n%s", code, out)
	}
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if !rep.DryRun || !rep.OK || rep.IssueCounts[IssueOddTimestamp] != gen.OddTimestamps || rep.IssueCounts[IssueInvalidJSON] != gen.InvalidJSON {
		t.Errorf("dry run report: %+v, planted %s", rep, gen)
	}
	var rows int64
	for _, tr := range rep.Tables {
		rows += tr.Read
		if tr.Read != tr.SourceRows {
			t.Errorf("%s: read %d of %d", tr.Table, tr.Read, tr.SourceRows)
		}
	}
	if rows == 0 {
		t.Error("dry run read nothing")
	}
	names, err := mongoDB(t, dbName).ListCollectionNames(context.Background(), bson.D{})
	if err != nil || len(names) != 0 {
		t.Errorf("dry run created collections %v (%v)", names, err)
	}
}

func TestSkipPolicyCascadesAndReportsEveryRow(t *testing.T) {
	t.Parallel()
	src, _ := generated(t, GenerateOptions{Restaurants: 40, Statuses: 160, Campaigns: 30, Sessions: 5, Defects: 0.1, Seed: 21})
	dbName := mongotest.DBName(t)
	rep := forward(t, ForwardOptions{Source: src, Database: dbName, Orphans: OrphansSkip, BatchSize: 32})
	skippedIDs := map[string]bool{}
	for _, is := range rep.Issues {
		if is.Kind == IssueBrokenReference {
			if !strings.Contains(is.Action, "skipped") {
				t.Errorf("--orphans=skip but %+v", is)
			}
			skippedIDs[is.Table+"/"+jsonID(is.ID)] = true
		}
	}
	var cascaded bool
	for _, is := range rep.Issues {
		if strings.Contains(is.Reference, "which is skipped") {
			cascaded = true
		}
	}
	if !cascaded {
		t.Error("no row was skipped because its parent was skipped: the seed should produce a cascade")
	}
	for _, tr := range rep.Tables {
		n := int64(0)
		for k := range skippedIDs {
			if strings.HasPrefix(k, tr.Table+"/") {
				n++
			}
		}
		if tr.Skipped != n || tr.TargetDocs+tr.Skipped != tr.SourceRows {
			t.Errorf("%s: %d rows = %d documents + %d skipped; %d skipped rows reported", tr.Table, tr.SourceRows, tr.TargetDocs, tr.Skipped, n)
		}
	}
	v := verify(t, VerifyOptions{Source: src, Database: dbName}) // policy read from migration_state
	if v.Verify.Orphans != OrphansSkip || v.Verify.Count != 0 {
		t.Fatalf("verify:\n%s", human(v))
	}
	for _, vt := range v.Verify.Tables {
		if vt.DanglingInherited+vt.DanglingNew != 0 {
			t.Errorf("%s: dangling references left in the target: %+v", vt.Table, vt)
		}
	}
	// A different policy on the same target is refused rather than mixed.
	if _, err := Forward(context.Background(), ForwardOptions{Source: src, MongoURL: ferretURI, Database: dbName, Orphans: OrphansKeep}); err == nil {
		t.Error("switching the orphan policy on a migrated target was accepted")
	}
}

func jsonID(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestVerifyFindsEveryKindOfDifference(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := fixture(t)
	dbName := mongotest.DBName(t)
	forward(t, ForwardOptions{Source: src, Database: dbName})
	db := mongoDB(t, dbName)
	mustDo := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := db.Collection("checklist_items").DeleteOne(ctx, bson.D{{Key: "item_id", Value: int64(470)}})
	mustDo(err)
	_, err = db.Collection("restaurants").UpdateOne(ctx, bson.D{{Key: "restaurant_id", Value: int64(1)}}, bson.D{{Key: "$set", Value: bson.D{{Key: "name", Value: "Changed"}}}})
	mustDo(err)
	_, err = db.Collection("users").InsertOne(ctx, bson.D{{Key: "user_id", Value: int64(99)}, {Key: "email", Value: "x@y.z"}, {Key: "email_normalized", Value: "x@y.z"}})
	mustDo(err)
	_, err = db.Collection("checklist_status").InsertOne(ctx, bson.D{{Key: "status_id", Value: int64(50)}, {Key: "restaurant_id", Value: int64(77)}})
	mustDo(err)
	_, err = db.Collection(countersColl).UpdateOne(ctx, bson.D{{Key: "_id", Value: "checklist_items"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "seq", Value: int64(10)}}}})
	mustDo(err)

	code, out, _ := runMain(t, nil, "verify", "--source", src, "--mongodb-url", ferretURI, "--database", dbName, "--json", "--progress", "off")
	if code != 1 {
		t.Fatalf("verify exit %d, want 1\n%s", code, out)
	}
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, d := range rep.Verify.Differences {
		found[d.Kind+" "+d.Table+" "+jsonID(d.ID)+" "+d.Field] = true
	}
	for _, want := range []string{
		"missing checklist_items 470 ",
		"field restaurants 1 name",
		"extra users 99 ",
		"extra checklist_status 50 ",
		"count checklist_items null ",
		"counter checklist_items null ",
		"count users null ",
		"count checklist_status null ",
	} {
		if !found[want] {
			t.Errorf("difference %q not reported; got %v", want, found)
		}
	}
	dangling := 0
	for k := range found {
		if strings.HasPrefix(k, "dangling_reference restaurant_checklist_status ") && strings.HasSuffix(k, " item_id") {
			dangling++
		}
	}
	if dangling != 1 { // item 470 is completed by restaurant 1
		t.Errorf("dangling references to the deleted item: %d, want 1; got %v", dangling, found)
	}
	// The same on a terminal-less stdout: a readable summary.
	code, out, _ = runMain(t, nil, "verify", "--source", src, "--mongodb-url", ferretURI, "--database", dbName, "--progress", "off")
	if code != 1 || !strings.Contains(out, "DIFFERENT") || !strings.Contains(out, "FAILED") {
		t.Errorf("summary: exit %d\n%s", code, out)
	}
}

func TestRefusesNonEmptyTargetAndEmailConflicts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := fixture(t)
	dbName := mongotest.DBName(t)
	db := mongoDB(t, dbName)
	if _, err := db.Collection("users").InsertOne(ctx, bson.D{{Key: "user_id", Value: int64(500)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := Forward(ctx, ForwardOptions{Source: src, MongoURL: ferretURI, Database: dbName}); err == nil || !strings.Contains(err.Error(), "already has documents") {
		t.Errorf("migrating into a database with foreign data: %v", err)
	}
	// --drop-target starts over.
	forward(t, ForwardOptions{Source: src, Database: dbName, DropTarget: true})
	if v := verify(t, VerifyOptions{Source: src, Database: dbName}); v.Verify.Count != 0 {
		t.Fatalf("verify:\n%s", human(v))
	}

	rw := openRW(t, src)
	if _, err := rw.Exec(`INSERT INTO users (user_id, email, password_hash, role, created_at) VALUES (3, ' ADMIN@momentum.com', 'x', 'admin', '2025-07-01 00:00:00')`); err != nil {
		t.Fatal(err)
	}
	rw.Close()
	fresh := mongotest.DBName(t)
	rep, err := Forward(ctx, ForwardOptions{Source: src, MongoURL: ferretURI, Database: fresh})
	if err == nil {
		t.Fatal("users sharing an email up to case were migrated")
	}
	n := 0
	for _, is := range rep.Issues {
		if is.Kind == IssueEmailConflict {
			n++
		}
	}
	if n != 2 {
		t.Errorf("email conflicts reported: %d, want 2 (users 1 and 3): %+v", n, rep.Issues)
	}
	if names, _ := mongoDB(t, fresh).ListCollectionNames(ctx, bson.D{}); len(names) != 0 {
		t.Errorf("the target was written to despite the conflict: %v", names)
	}
}

func TestProgressDisplay(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var tty bytes.Buffer
	p := newProgress(ProgressTTY, &tty, clk)
	p.start("users", 1000, 0)
	clk.Advance(time.Second)
	p.add(500)
	p.finish()
	if s := tty.String(); !strings.Contains(s, "\r\x1b[2K") || !strings.Contains(s, "500 / 1000") || !strings.Contains(s, "500 rows/s") || !strings.Contains(s, "ETA 1s") {
		t.Errorf("terminal display: %q", s)
	}

	var log bytes.Buffer
	p = newProgress(ProgressAuto, &log, clk) // not a terminal: log lines
	p.start("restaurants", 100, 40)
	p.add(10) // within the interval: quiet
	clk.Advance(11 * time.Second)
	p.add(10)
	p.finish()
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 3 || strings.Contains(log.String(), "\r") || !strings.Contains(lines[0], "restaurants: start, 100 rows (40 already done)") || !strings.Contains(lines[1], "60 / 100") || !strings.Contains(lines[2], "done") {
		t.Errorf("log lines: %q", log.String())
	}
}

func TestUnknownTablesAndColumnsAreReported(t *testing.T) {
	t.Parallel()
	src := fixture(t)
	rw := openRW(t, src)
	for _, q := range []string{
		`CREATE TABLE promo_codes (code TEXT PRIMARY KEY, restaurant_id INTEGER)`,
		`INSERT INTO promo_codes VALUES ('SUN', 1)`,
		`ALTER TABLE restaurants ADD COLUMN website TEXT`,
	} {
		if _, err := rw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	rw.Close()
	dbName := mongotest.DBName(t)
	rep := forward(t, ForwardOptions{Source: src, Database: dbName})
	if rep.IssueCounts[IssueUnknownTable] != 1 || rep.IssueCounts[IssueUnknownColumn] != 1 {
		t.Errorf("unknown schema not reported: %v", rep.IssueCounts)
	}
	v := verify(t, VerifyOptions{Source: src, Database: dbName})
	if len(v.Warnings) != 2 {
		t.Errorf("verify warnings: %v", v.Warnings)
	}
}
