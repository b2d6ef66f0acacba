package legacymigrate

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/momentum/mongostore"
	"github.com/momentum-cohortly/backends/internal/momentum/mongotest"
	"github.com/momentum-cohortly/backends/internal/momentum/sqlitestore"
)

// writeSomething uses a store the way the Go server does, touching every collection.
func writeSomething(t *testing.T, s momentum.Store, now time.Time) {
	t.Helper()
	ctx := context.Background()
	addr := "9 Side St"
	u, r, err := s.CreateAccount(ctx, momentum.NewAccount{Email: "New.Owner@example.com", PasswordHash: restaurantHash, RestaurantName: "New Diner", Address: &addr, Now: now})
	if err != nil {
		t.Fatalf("create account: %v", err)
	}
	budget := 25.5
	if _, err := s.CreateCampaign(ctx, momentum.Campaign{RestaurantID: r.ID, Type: momentum.CampaignAd, Status: momentum.CampaignActive, Name: "Launch",
		Details: `{"headline":"Try us","budget":{"daily":25.5},"tags":["a","b"]}`, Budget: &budget, ExternalID: "camp_123", CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatalf("create campaign: %v", err)
	}
	if _, err := s.CreateCampaign(ctx, momentum.Campaign{RestaurantID: r.ID, Type: momentum.CampaignSMS, Status: momentum.CampaignCompleted, Name: "Texts",
		Details: `not json`, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatalf("create campaign: %v", err)
	}
	note := "called the manager"
	if _, err := s.UpsertStatus(ctx, r.ID, 462, momentum.StatusInProgress, &note, now); err != nil {
		t.Fatalf("upsert status: %v", err)
	}
	if _, err := s.UpsertStatus(ctx, 1, 463, momentum.StatusNotApplicable, nil, now); err != nil {
		t.Fatalf("upsert status: %v", err)
	}
	tasks, err := s.PendingTasks(ctx, r.ID, 1)
	if err != nil || len(tasks) != 1 {
		t.Fatalf("pending tasks: %v %v", tasks, err)
	}
	if err := s.SetTaskComplete(ctx, r.ID, tasks[0].ID, true, now); err != nil {
		t.Fatalf("set task: %v", err)
	}
	imp := int64(1)
	if err := s.CreateSession(ctx, momentum.Session{ID: "sess-1", UserID: 1, ImpersonatingRestaurantID: &imp, CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
		t.Fatalf("create session: %v", err)
	}
	if err := s.LogImpersonation(ctx, momentum.ImpersonationEvent{AdminUserID: 1, AdminEmail: "admin@momentum.com", RestaurantID: 1, SessionID: "sess-1", Action: "start", At: now}); err != nil {
		t.Fatalf("log impersonation: %v", err)
	}
	_ = u
}

// The Go server ran on the legacy file first (its additive schema: campaigns.external_id,
// impersonation_log): all of it moves, and comes back.
func TestMigrateAFileTheGoServerUsed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := fixture(t)
	sq, err := sqlitestore.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	writeSomething(t, sq, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	if err := sq.Close(); err != nil {
		t.Fatal(err)
	}

	dbName := mongotest.DBName(t)
	rep := forward(t, ForwardOptions{Source: src, Database: dbName})
	var sawLog bool
	for _, tr := range rep.Tables {
		if tr.Table == "impersonation_log" && tr.TargetDocs == 1 {
			sawLog = true
		}
	}
	if !sawLog {
		t.Errorf("impersonation_log not migrated: %+v", rep.Tables)
	}
	if v := verify(t, VerifyOptions{Source: src, Database: dbName}); v.Verify.Count != 0 {
		t.Fatalf("verify:\n%s", human(v))
	}
	out := filepath.Join(t.TempDir(), "rollback.sqlite")
	if rrep, err := Reverse(ctx, ReverseOptions{MongoURL: ferretURI, Database: dbName, Out: out}); err != nil {
		t.Fatalf("reverse: %v\n%s", err, human(rrep))
	}
	assertSameRows(t, src, out)
}

// The rollback path: after the switch, the Go server writes to MongoDB; the reverse export carries
// everything back, and the Go server on the exported file answers what it answered on MongoDB.
func TestRollbackAfterTheServerWroteToMongoDB(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := fixture(t)
	dbName := mongotest.DBName(t)
	forward(t, ForwardOptions{Source: src, Database: dbName})

	mg, err := mongostore.Open(ctx, ferretURI, dbName)
	if err != nil {
		t.Fatal(err)
	}
	defer mg.Close()
	writeSomething(t, mg, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))

	out := filepath.Join(t.TempDir(), "rollback.sqlite")
	rrep, err := Reverse(ctx, ReverseOptions{MongoURL: ferretURI, Database: dbName, Out: out})
	if err != nil {
		t.Fatalf("reverse: %v\n%s", err, human(rrep))
	}
	if rrep.Verify == nil || rrep.Verify.Count != 0 {
		t.Fatalf("reverse verification:\n%s", human(rrep))
	}
	// New ids continue after the highest one on both sides.
	if rrep.Counters["users"] < 3 || rrep.Counters["restaurant_checklist_status"] < 55 {
		t.Errorf("sqlite_sequence after the rollback: %v", rrep.Counters)
	}
	sq, err := sqlitestore.Open(ctx, out)
	if err != nil {
		t.Fatalf("the Go server's SQLite adapter on the exported file: %v", err)
	}
	defer sq.Close()
	compareStores(t, sq, mg)
	for _, s := range []momentum.Store{sq, mg} {
		c, err := s.CampaignByExternalID(ctx, 2, "camp_123")
		if err != nil || c.Details != `{"headline":"Try us","budget":{"daily":25.5},"tags":["a","b"]}` {
			t.Errorf("campaign by external id: %+v %v", c, err)
		}
		log, err := s.ImpersonationLog(ctx, 10)
		if err != nil || len(log) != 1 || log[0].SessionID != "sess-1" {
			t.Errorf("impersonation log: %+v %v", log, err)
		}
	}
	legacyServerStarts(t, out)

	// A new account on the exported file gets a fresh id, never one MongoDB handed out.
	_, r, err := sq.CreateAccount(ctx, momentum.NewAccount{Email: "after@rollback.com", PasswordHash: restaurantHash, RestaurantName: "After", Now: time.Now()})
	if err != nil || r.ID <= 2 {
		t.Errorf("account after the rollback: restaurant %d, %v", r.ID, err)
	}
}

// legacyServerStarts runs, on an exported file, what the legacy Node server runs at start and on a
// login and a registration (contract §1.1, §3.2, §3.3): its schema statements are no-ops, the admin
// exists, and AUTOINCREMENT continues after every id that was handed out.
func legacyServerStarts(t *testing.T, path string) {
	t.Helper()
	db := openRW(t, path)
	for _, ddl := range committedSchema {
		if _, err := db.Exec(strings.Replace(ddl, "CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", 1)); err != nil {
			t.Fatalf("legacy schema on the exported file: %v", err)
		}
	}
	var admins int
	if err := db.QueryRow(`SELECT count(*) FROM users WHERE role = 'admin'`).Scan(&admins); err != nil || admins != 1 {
		t.Fatalf("legacy admin check: %d, %v", admins, err)
	}
	var hash string
	if err := db.QueryRow(`SELECT password_hash FROM users WHERE email = ?`, "test@restaurant.com").Scan(&hash); err != nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte("password123")) != nil {
		t.Fatalf("legacy login query: %v", err)
	}
	var maxID, seq int64
	if err := db.QueryRow(`SELECT max(user_id) FROM users`).Scan(&maxID); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT seq FROM sqlite_sequence WHERE name = 'users'`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	res, err := db.Exec(`INSERT INTO users (email, password_hash, role) VALUES (?, ?, ?)`, "legacy-register@example.com", restaurantHash, "restaurant")
	if err != nil {
		t.Fatalf("legacy registration insert: %v", err)
	}
	id, _ := res.LastInsertId()
	if id != max(maxID, seq)+1 {
		t.Errorf("legacy registration got user_id %d, want %d", id, max(maxID, seq)+1)
	}
}
