package legacymigrate

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"golang.org/x/crypto/bcrypt"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/momentum/mongotest"
	"github.com/momentum-cohortly/backends/internal/momentum/sqlitestore"
)

func TestFixtureRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := fixture(t)
	dbName := mongotest.DBName(t)

	rep := forward(t, ForwardOptions{Source: src, Database: dbName})
	want := map[string]int64{"users": 2, "restaurants": 1, "campaigns": 0, "checklist_status": 4, "checklist_categories": 12,
		"checklist_items": 61, "restaurant_checklist_status": 37, "sessions": 0}
	for _, tr := range rep.Tables {
		if tr.SourceRows != want[tr.Table] || tr.TargetDocs != want[tr.Table] || tr.Written != want[tr.Table] || tr.Skipped != 0 {
			t.Errorf("%s: source %d, written %d, target %d, skipped %d; want %d each and none skipped", tr.Table, tr.SourceRows, tr.Written, tr.TargetDocs, tr.Skipped, want[tr.Table])
		}
	}
	if len(rep.Tables) != len(want) {
		t.Errorf("migrated %d tables, want %d", len(rep.Tables), len(want))
	}
	if len(rep.Issues) != 0 {
		t.Errorf("the committed database has no defects, got issues %+v", rep.Issues)
	}
	// Counters: max(sqlite_sequence, max id): checklist_status 55 comes from sqlite_sequence, not from the 37 rows.
	for name, seq := range map[string]int64{"users": 2, "restaurants": 1, "checklist_status": 4, "checklist_categories": 84, "checklist_items": 522, "restaurant_checklist_status": 55} {
		if rep.Counters[name] != seq {
			t.Errorf("counter %s = %d, want %d", name, rep.Counters[name], seq)
		}
	}

	db := mongoDB(t, dbName)
	// Both known logins work: the bcrypt hashes moved unchanged.
	for email, pw := range map[string]string{"admin@momentum.com": "admin123", "test@restaurant.com": "password123"} {
		var u struct {
			UserID       int64  `bson:"user_id"`
			Email        string `bson:"email"`
			Normalized   string `bson:"email_normalized"`
			PasswordHash string `bson:"password_hash"`
		}
		if err := db.Collection("users").FindOne(ctx, bson.D{{Key: "email_normalized", Value: momentum.NormalizeEmail(email)}}).Decode(&u); err != nil {
			t.Fatalf("user %s: %v", email, err)
		}
		if err := bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(pw)); err != nil {
			t.Errorf("%s cannot log in with its original password: %v", email, err)
		}
	}
	// A document as the model describes it.
	var r bson.M
	if err := db.Collection("restaurants").FindOne(ctx, bson.D{{Key: "restaurant_id", Value: int64(1)}}).Decode(&r); err != nil {
		t.Fatal(err)
	}
	if r["user_id"] != int64(2) || r["name"] != "Test Pizzeria" || r["address"] != "123 Main St" || r["phone"] != "555-0123" {
		t.Errorf("restaurant 1 = %v", r)
	}
	if ts, ok := r["created_at"].(bson.DateTime); !ok || momentum.FormatTime(ts.Time()) != "2025-06-27 17:44:13" {
		t.Errorf("restaurant 1 created_at = %#v, want the date 2025-06-27 17:44:13 UTC", r["created_at"])
	}
	var item bson.M
	if err := db.Collection("checklist_items").FindOne(ctx, bson.D{{Key: "item_id", Value: int64(462)}}).Decode(&item); err != nil {
		t.Fatal(err)
	}
	if item["is_critical"] != true || item["category_id"] != int64(73) || item["parent_item_id"] != nil {
		t.Errorf("item 462 = %v", item)
	}

	vrep := verify(t, VerifyOptions{Source: src, Database: dbName})
	if vrep.Verify.Count != 0 {
		t.Fatalf("verify found differences:\n%s", human(vrep))
	}

	// Reverse: back to a SQLite file that holds exactly the original rows and sequences.
	out := filepath.Join(t.TempDir(), "rollback.sqlite")
	rrep, err := Reverse(ctx, ReverseOptions{MongoURL: ferretURI, Database: dbName, Out: out})
	if err != nil {
		t.Fatalf("reverse: %v\n%s", err, human(rrep))
	}
	assertSameRows(t, src, out)

	// The Go server's SQLite adapter opens the exported file and serves the same data.
	st, err := sqlitestore.Open(ctx, out)
	if err != nil {
		t.Fatalf("sqlitestore on the exported file: %v", err)
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, "test@restaurant.com")
	if err != nil || u.ID != 2 || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte("password123")) != nil {
		t.Errorf("user test@restaurant.com on the exported file: %+v, %v", u, err)
	}
	cats, err := st.Categories(ctx, "")
	if err != nil || len(cats) != 12 || cats[0].ID != 73 {
		t.Errorf("categories on the exported file: %d, %v", len(cats), err)
	}
}

func TestSecondRunChangesNothing(t *testing.T) {
	t.Parallel()
	src, _ := generated(t, GenerateOptions{Restaurants: 30, Defects: 0.05, Seed: 7})
	dbName := mongotest.DBName(t)
	first := forward(t, ForwardOptions{Source: src, Database: dbName, BatchSize: 17})
	db := mongoDB(t, dbName)
	before := snapshot(t, db, true)

	second := forward(t, ForwardOptions{Source: src, Database: dbName, BatchSize: 17})
	if second.RowsRead != 0 {
		t.Errorf("second run read %d rows, want 0 (everything is checkpointed)", second.RowsRead)
	}
	diffSnapshots(t, before, snapshot(t, db, true))
	if len(second.Issues) != len(first.Issues) {
		t.Errorf("second run reports %d issues, the first %d: the report must cover the whole migration", len(second.Issues), len(first.Issues))
	}

	// --restart rewrites every row; the data (ids included) stays the same.
	third := forward(t, ForwardOptions{Source: src, Database: dbName, BatchSize: 17, Restart: true})
	if third.RowsRead == 0 {
		t.Error("--restart read nothing")
	}
	diffSnapshots(t, before, snapshot(t, db, true))
}

func TestGeneratedRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, gen := generated(t, GenerateOptions{Restaurants: 40, Statuses: 200, Campaigns: 40, Sessions: 6, Defects: 0.08, Seed: 3})
	if gen.OrphanRestaurants+gen.OrphanStatuses+gen.OrphanTasks == 0 || gen.InvalidJSON == 0 || gen.OddTimestamps == 0 {
		t.Fatalf("the seed should plant every kind of defect: %s", gen)
	}
	for _, mode := range []string{WriteInsert, WriteUpsert} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			dbName := mongotest.DBName(t)
			rep := forward(t, ForwardOptions{Source: src, Database: dbName, WriteMode: mode, BatchSize: 25})
			counts := map[string]int64{}
			for _, is := range rep.Issues {
				counts[is.Kind]++
			}
			if counts[IssueBrokenReference] != gen.OrphanRestaurants+gen.OrphanTasks+gen.OrphanStatuses+gen.OrphanCampaigns+gen.OrphanSessions {
				t.Errorf("broken references reported: %d, planted %s", counts[IssueBrokenReference], gen)
			}
			if counts[IssueInvalidJSON] != gen.InvalidJSON {
				t.Errorf("invalid JSON reported: %d, planted %d", counts[IssueInvalidJSON], gen.InvalidJSON)
			}
			if counts[IssueOddTimestamp] != gen.OddTimestamps {
				t.Errorf("odd timestamps reported: %d, planted %d", counts[IssueOddTimestamp], gen.OddTimestamps)
			}
			var unparseable int64
			for _, is := range rep.Issues {
				if is.Kind == IssueOddTimestamp && strings.HasPrefix(is.Action, "not a timestamp") {
					unparseable++
				}
			}
			if unparseable != gen.UnparseableTimestamps {
				t.Errorf("timestamps stored as null: %d, planted %d unparseable ones", unparseable, gen.UnparseableTimestamps)
			}
			if counts[IssueOddValue] != gen.OddFlags {
				t.Errorf("odd values reported: %d, planted %d odd booleans", counts[IssueOddValue], gen.OddFlags)
			}
			if rep.IssueCounts[IssueBrokenReference] != counts[IssueBrokenReference] {
				t.Errorf("issue_counts disagrees with the list: %v", rep.IssueCounts)
			}
			for _, tr := range rep.Tables {
				if tr.Skipped != 0 || tr.TargetDocs != tr.SourceRows {
					t.Errorf("--orphans=keep: %s has %d rows, %d documents, %d skipped", tr.Table, tr.SourceRows, tr.TargetDocs, tr.Skipped)
				}
			}
			if v := verify(t, VerifyOptions{Source: src, Database: dbName}); v.Verify.Count != 0 {
				t.Fatalf("verify:\n%s", human(v))
			}
			out := filepath.Join(t.TempDir(), "rollback.sqlite")
			if rrep, err := Reverse(ctx, ReverseOptions{MongoURL: ferretURI, Database: dbName, Out: out}); err != nil {
				t.Fatalf("reverse: %v\n%s", err, human(rrep))
			}
			assertSameRows(t, src, out)
		})
	}
}

func TestInvalidJSONAndOddValuesAreKept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, _ := generated(t, GenerateOptions{Restaurants: 3, Statuses: 0, Campaigns: 0, Sessions: 0, Defects: 0, Seed: 1})
	rw := openRW(t, src)
	for _, q := range []string{
		`INSERT INTO campaigns (campaign_id, restaurant_id, campaign_type, status, name, details, budget, created_at, updated_at) VALUES
			(1, 1, 'ad', 'active', 'ok', '{"k":1}', 10.5, '2025-07-01 10:00:00', '2025-07-01 10:00:00'),
			(2, 1, 'sms', 'draft', 'bad json', '{"k":', 10, '2025-07-01 10:00:00', '2025-07-01T10:00:00Z'),
			(3, 1, 'sms', 'paused', 'scalar json', '"just a string"', NULL, 'yesterday', '2025-07-01 10:00:00.250'),
			(4, 1, 'ad', 'completed', 'pretty json', '{ "a" : [1, 2.5, {"b": null}] }', 'abc', '2025-07-01 10:00:00', '2025-07-01 10:00:00'),
			(5, 1, 'ad', 'completed', 'dotted key', '{"a.b": 1}', NULL, '2025-07-01 10:00:00', '2025-07-01 10:00:00')`,
		`UPDATE checklist_status SET is_complete = 'true' WHERE status_id = 1`,
		`UPDATE checklist_status SET is_complete = NULL WHERE status_id = 2`,
	} {
		if _, err := rw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	rw.Close()
	dbName := mongotest.DBName(t)
	rep := forward(t, ForwardOptions{Source: src, Database: dbName})
	issues := map[string]Issue{}
	for _, is := range rep.Issues {
		issues[is.issueKey()] = is
	}
	for _, k := range []string{
		"campaigns/2/details/invalid_json", "campaigns/3/details/odd_value", "campaigns/5/details/odd_value",
		"campaigns/2/updated_at/odd_timestamp", "campaigns/3/created_at/odd_timestamp", "campaigns/3/updated_at/odd_timestamp",
		"campaigns/4/budget/odd_value", "checklist_status/1/is_complete/odd_value",
	} {
		if _, ok := issues[k]; !ok {
			t.Errorf("issue %s not reported; got %v", k, rep.Issues)
		}
	}
	if _, ok := issues["campaigns/4/details/invalid_json"]; ok {
		t.Error("valid JSON reported as invalid")
	}
	if _, ok := issues["checklist_status/2/is_complete/odd_value"]; ok {
		t.Error("a NULL is_complete is legal and must not be reported")
	}

	db := mongoDB(t, dbName)
	get := func(coll string, key string, id int64) bson.M {
		var m bson.M
		if err := db.Collection(coll).FindOne(ctx, bson.D{{Key: key, Value: id}}).Decode(&m); err != nil {
			t.Fatalf("%s %d: %v", coll, id, err)
		}
		return m
	}
	if d, ok := get("campaigns", "campaign_id", 1)["details"].(bson.D); !ok || len(d) != 1 || d[0].Key != "k" || d[0].Value != int64(1) {
		t.Errorf("campaign 1 details = %#v, want the embedded document {k: 1}", get("campaigns", "campaign_id", 1)["details"])
	}
	if got := get("campaigns", "campaign_id", 2)["details"]; got != `{"k":` {
		t.Errorf("invalid JSON kept as %#v, want the string", got)
	}
	c3 := get("campaigns", "campaign_id", 3)
	if c3["created_at"] != nil {
		t.Errorf("unparseable timestamp stored as %#v, want null", c3["created_at"])
	}
	if raw, ok := c3[legacyRawField].(bson.D); !ok || raw[0].Key != "created_at" || raw[0].Value != "yesterday" {
		t.Errorf("legacy_raw of campaign 3 = %#v", c3[legacyRawField])
	}
	if got := get("checklist_status", "status_id", 1)["is_complete"]; got != int64(1) {
		t.Errorf("is_complete 'true' stored as %#v, want 1", got)
	}
	if got := get("checklist_status", "status_id", 2)["is_complete"]; got != nil {
		t.Errorf("is_complete NULL stored as %#v, want null", got)
	}
	if got := get("campaigns", "campaign_id", 2)["budget"]; got != 10.0 {
		t.Errorf("budget 10 stored as %#v, want the double 10", got)
	}
	if v := verify(t, VerifyOptions{Source: src, Database: dbName}); v.Verify.Count != 0 {
		t.Fatalf("verify:\n%s", human(v))
	}
	out := filepath.Join(t.TempDir(), "rollback.sqlite")
	if rrep, err := Reverse(ctx, ReverseOptions{MongoURL: ferretURI, Database: dbName, Out: out}); err != nil {
		t.Fatalf("reverse: %v\n%s", err, human(rrep))
	}
	assertSameRows(t, src, out)

	// --odd-timestamps=fail refuses to migrate them (and the dry run says so without writing).
	if _, err := Forward(ctx, ForwardOptions{Source: src, DryRun: true, OddTimestamps: OddTimesFail}); err == nil {
		t.Error("dry run with --odd-timestamps=fail succeeded")
	}
	if _, err := Forward(ctx, ForwardOptions{Source: src, MongoURL: ferretURI, Database: mongotest.DBName(t), OddTimestamps: OddTimesFail}); err == nil {
		t.Error("forward with --odd-timestamps=fail succeeded")
	}
}
