package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
	"github.com/momentum-cohortly/backends/internal/momentum/storetest"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// copyFixture copies the committed legacy database into a temp dir; the original is never opened.
func copyFixture(t testing.TB) string { return testenv.CopyFixture(t, "legacy-momentum.sqlite") }

func openT(t testing.TB, path string, opts ...Option) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, opts...)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// rawDB opens path without the store, the way another program (the legacy server) would.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func exec(t testing.TB, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) momentum.Store {
		return openT(t, filepath.Join(t.TempDir(), "momentum.db"))
	})
}

var ctx = context.Background()

func TestLegacyFixtureData(t *testing.T) {
	s := openT(t, copyFixture(t))

	admin, err := s.UserByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if admin.Email != "admin@momentum.com" || admin.Role != momentum.RoleAdmin || !strings.HasPrefix(admin.PasswordHash, "$2a$10$") ||
		!admin.CreatedAt.Equal(time.Date(2025, 6, 27, 17, 34, 26, 0, time.UTC)) {
		t.Errorf("user 1 = %+v", admin)
	}
	owner, err := s.UserByEmail(ctx, "Test@Restaurant.com")
	if err != nil {
		t.Fatal(err)
	}
	if owner.ID != 2 || owner.Email != "test@restaurant.com" || owner.Role != momentum.RoleRestaurant || len(owner.PasswordHash) != 60 {
		t.Errorf("user 2 = %+v", owner)
	}
	r, err := s.RestaurantByUser(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	addr, phone := "123 Main St", "555-0123"
	want := momentum.Restaurant{ID: 1, UserID: 2, Name: "Test Pizzeria", Address: &addr, Phone: &phone, CreatedAt: time.Date(2025, 6, 27, 17, 44, 13, 0, time.UTC)}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("restaurant 1 = %+v, want %+v", r, want)
	}
	if created, err := s.EnsureAdmin(ctx, "admin@momentum.com", "x", fixedNow); err != nil || created {
		t.Errorf("EnsureAdmin on the legacy file = %v, %v; want false, nil", created, err)
	}

	cats, err := s.Categories(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(cats) != 12 {
		t.Fatalf("categories = %d", len(cats))
	}
	seed := momentum.Catalogue()
	for i, c := range cats {
		if c.ID != int64(73+i) || c.OrderInList != int64(i+1) || c.Name != seed[i].Name || c.Type != seed[i].Type ||
			c.Description == nil || *c.Description != seed[i].Description || c.Icon == nil || *c.Icon != seed[i].Icon {
			t.Errorf("category %d = %+v", i, c)
		}
	}
	items, err := s.Items(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 61 {
		t.Fatalf("items = %d", len(items))
	}
	for i, it := range items {
		if it.ID != int64(462+i) {
			t.Errorf("item %d has id %d, want %d", i, it.ID, 462+i)
		}
	}
	critical := map[int64]bool{}
	for _, id := range []int64{462, 463, 465, 466, 472, 473, 474, 475, 476, 477, 478, 479, 480, 482, 483, 487, 488, 489, 491, 492, 493, 494, 495, 496, 497, 502, 503, 504, 506, 509, 510, 511} {
		critical[id] = true
	}
	linked := 0
	for _, it := range items {
		if it.IsCritical != critical[it.ID] {
			t.Errorf("item %d critical = %v", it.ID, it.IsCritical)
		}
		if it.GuidanceLink != nil {
			linked++
		}
	}
	if linked != 24 {
		t.Errorf("%d items have a guidance link, want 24", linked)
	}

	sts, err := s.Statuses(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, st := range sts {
		if st.Status != momentum.StatusCompleted || st.Notes != nil || st.RestaurantID != 1 {
			t.Errorf("status = %+v", st)
		}
		got = append(got, st.ItemID)
	}
	var wantIDs []int64
	for _, rg := range [][2]int64{{462, 481}, {484, 486}, {488, 488}, {494, 498}, {510, 511}, {513, 513}, {515, 516}, {520, 522}} {
		for id := rg[0]; id <= rg[1]; id++ {
			wantIDs = append(wantIDs, id)
		}
	}
	if !reflect.DeepEqual(got, wantIDs) {
		t.Errorf("completed items = %v, want %v", got, wantIDs)
	}
	if len(sts) != 37 {
		t.Errorf("statuses = %d, want 37", len(sts))
	}
	// The progress oracle of contract 3.16: foundational 29/41 (18/26 critical), ongoing 8/20 (2/6).
	typeOf := map[int64]string{}
	for _, c := range cats {
		typeOf[c.ID] = c.Type
	}
	completed := map[string][2]int{}
	for _, st := range sts {
		it, err := s.ItemByID(ctx, st.ItemID)
		if err != nil {
			t.Fatal(err)
		}
		v := completed[typeOf[it.CategoryID]]
		v[0]++
		if it.IsCritical {
			v[1]++
		}
		completed[typeOf[it.CategoryID]] = v
	}
	if completed["foundational"] != [2]int{29, 18} || completed["ongoing"] != [2]int{8, 2} {
		t.Errorf("completed per type = %v", completed)
	}

	tasks, err := s.PendingTasks(ctx, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 2 || tasks[0].ID != 3 || tasks[1].ID != 4 || tasks[0].Name != "Set up your social media accounts" || *tasks[0].IsComplete != 0 {
		t.Errorf("pending tasks = %+v", tasks)
	}
	if n, err := s.CountRestaurantsWithPendingTasks(ctx); err != nil || n != 1 {
		t.Errorf("CountRestaurantsWithPendingTasks = %d, %v", n, err)
	}
	if n, err := s.CountRestaurants(ctx); err != nil || n != 1 {
		t.Errorf("CountRestaurants = %d, %v", n, err)
	}
	if empty, err := s.CatalogueEmpty(ctx); err != nil || empty {
		t.Errorf("CatalogueEmpty = %v, %v", empty, err)
	}

	// Reseeding the catalogue on the legacy file changes nothing: the seed and the file are identical.
	res, err := s.SeedCatalogue(ctx, momentum.Catalogue(), fixedNow)
	if err != nil || res != (momentum.SeedResult{}) {
		t.Errorf("SeedCatalogue on the legacy file = %+v, %v; want no change", res, err)
	}

	// New ids continue after the legacy sqlite_sequence.
	u, nr, err := s.CreateAccount(ctx, momentum.NewAccount{Email: "new@example.com", PasswordHash: "h", RestaurantName: "New", Now: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	newTasks, err := s.PendingTasks(ctx, nr.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != 3 || nr.ID != 2 || len(newTasks) != 4 || newTasks[0].ID != 5 {
		t.Errorf("new account ids: user %d restaurant %d first task %v", u.ID, nr.ID, taskIDs(newTasks))
	}
	if _, _, err := s.CreateAccount(ctx, momentum.NewAccount{Email: "TEST@restaurant.com", PasswordHash: "h", RestaurantName: "Dup", Now: fixedNow}); !errors.Is(err, momentum.ErrConflict) {
		t.Errorf("case-variant of the legacy user: err = %v, want ErrConflict", err)
	}
}

func taskIDs(ts []momentum.Task) []int64 {
	var ids []int64
	for _, t := range ts {
		ids = append(ids, t.ID)
	}
	return ids
}

type column struct {
	cid       int
	name, typ string
	notnull   bool
	dflt      sql.NullString
	pk        int
}

func tableInfo(t *testing.T, db *sql.DB, table string) []column {
	t.Helper()
	rows, err := db.Query("SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)", table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.cid, &c.name, &c.typ, &c.notnull, &c.dflt, &c.pk); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func schemaSQL(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.Query("SELECT type || ' ' || name, COALESCE(sql, '') FROM sqlite_master")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	return out
}

func TestMigrationKeepsLegacySchema(t *testing.T) {
	path := copyFixture(t)
	raw := rawDB(t, path)
	before := map[string][]column{}
	for _, tbl := range LegacyTables() {
		before[tbl] = tableInfo(t, raw, tbl)
		if len(before[tbl]) == 0 {
			t.Fatalf("fixture lacks table %s", tbl)
		}
	}
	beforeSQL := schemaSQL(t, raw)
	s := openT(t, path)

	for _, tbl := range LegacyTables() {
		after := tableInfo(t, raw, tbl)
		if len(after) < len(before[tbl]) || !reflect.DeepEqual(after[:len(before[tbl])], before[tbl]) {
			t.Errorf("table %s changed:\nbefore %+v\nafter  %+v", tbl, before[tbl], after)
		}
		extra := after[len(before[tbl]):]
		if tbl == "campaigns" {
			if len(extra) != 1 || extra[0].name != "external_id" || extra[0].typ != "TEXT" || extra[0].notnull {
				t.Errorf("campaigns gained %+v, want only a nullable external_id TEXT", extra)
			}
		} else if len(extra) != 0 {
			t.Errorf("table %s gained columns %+v", tbl, extra)
		}
	}
	afterSQL := schemaSQL(t, raw)
	for k, v := range beforeSQL {
		if afterSQL[k] == v {
			continue
		}
		// ADD COLUMN splices the column definition into the stored CREATE TABLE; everything else,
		// every CHECK included, stays as it was.
		if k != "table campaigns" || strings.Replace(afterSQL[k], ", external_id TEXT", "", 1) != v {
			t.Errorf("%s changed:\nbefore %s\nafter  %s", k, v, afterSQL[k])
		}
	}
	for _, k := range []string{"table schema_migrations", "table impersonation_log", "index users_email_normalized", "index restaurants_user"} {
		if _, ok := afterSQL[k]; !ok {
			t.Errorf("%s missing after migration", k)
		}
	}
	if !strings.Contains(afterSQL["index users_email_normalized"], "UNIQUE") {
		t.Errorf("email index on the legacy file is not unique: %s", afterSQL["index users_email_normalized"])
	}

	var mode string
	if err := raw.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	applied, err := s.AppliedMigrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != LatestVersion() {
		t.Errorf("applied migrations = %+v", applied)
	}
}

// TestLegacyServerStatementsStillWork runs the legacy Node server's own SQL on a migrated file (the
// statements of database.js, the auth, dashboard and checklist routes and the seed script).
func TestLegacyServerStatementsStillWork(t *testing.T) {
	path := copyFixture(t)
	openT(t, path)
	raw := rawDB(t, path)
	for _, q := range legacySchema {
		exec(t, raw, q)
	}
	stmts := []struct {
		q    string
		args []any
	}{
		{"SELECT * FROM users WHERE email = ?", []any{"test@restaurant.com"}},
		{"SELECT * FROM users WHERE role = 'admin'", nil},
		{"INSERT INTO users (email, password_hash, role) VALUES (?, ?, ?)", []any{"legacy@node.js", "$2a$10$x", "restaurant"}},
		{"INSERT INTO restaurants (user_id, name, address, phone) VALUES (?, ?, ?, ?)", []any{3, "Legacy Grill", "", ""}},
		{"INSERT INTO checklist_status (restaurant_id, checklist_item_name, is_complete) VALUES (?, ?, ?)", []any{2, "Set up your social media accounts", 0}},
		{"SELECT * FROM checklist_status WHERE restaurant_id = ? AND is_complete = 0 ORDER BY created_at ASC LIMIT 3", []any{2}},
		{"UPDATE checklist_status SET is_complete = ?, updated_at = CURRENT_TIMESTAMP WHERE status_id = ?", []any{"true", 5}},
		{"SELECT * FROM campaigns WHERE restaurant_id = ? AND status = 'active' ORDER BY created_at DESC LIMIT 3", []any{1}},
		{"SELECT COUNT(*) as count FROM campaigns WHERE created_at >= ?", []any{"2026-11-14T00:00:00.000Z"}},
		{"SELECT r.*, u.email, u.created_at as signup_date FROM restaurants r JOIN users u ON r.user_id = u.user_id WHERE r.name LIKE ? ORDER BY r.created_at DESC", []any{"%Grill%"}},
		{"INSERT OR REPLACE INTO restaurant_checklist_status (restaurant_id, item_id, status, notes, last_updated_at) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)", []any{1, 462, "in_progress", nil}},
		{"SELECT * FROM checklist_categories WHERE type = ? ORDER BY order_in_list", []any{"ongoing"}},
		{"INSERT INTO campaigns (restaurant_id, campaign_type, status, name, details, budget) VALUES (?, ?, ?, ?, ?, ?)", []any{1, "ad", "active", "Hand made", `{"k":1}`, 10.5}},
		{"DELETE FROM restaurant_checklist_status", nil},
		{"DELETE FROM checklist_items", nil},
		{"DELETE FROM checklist_categories", nil},
		{"INSERT INTO checklist_categories (name, description, icon, type, order_in_list) VALUES (?, ?, ?, ?, ?)", []any{"A1", "d", "i", "foundational", 1}},
	}
	for _, st := range stmts {
		if _, err := raw.Exec(st.q, st.args...); err != nil {
			t.Errorf("legacy statement %q: %v", st.q, err)
		}
	}
	// The unique normalised email index refuses what the legacy server's exact-match check let through.
	if _, err := raw.Exec("INSERT INTO users (email, password_hash, role) VALUES (?, ?, ?)", "Legacy@Node.js", "h", "restaurant"); err == nil {
		t.Error("a case-variant duplicate email was accepted on the migrated file")
	}
	// The CHECK constraints are still there.
	if _, err := raw.Exec("INSERT INTO campaigns (restaurant_id, campaign_type, status, name) VALUES (1, 'email', 'active', 'x')"); err == nil {
		t.Error("campaign_type CHECK constraint is gone")
	}
}

func TestReopenIsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "dir", "momentum.db")
	s1, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s1.CreateAccount(ctx, momentum.NewAccount{Email: "a@b.c", PasswordHash: "h", RestaurantName: "R", Now: time.Unix(1e9, 0)}); err != nil {
		t.Fatal(err)
	}
	first, err := s1.AppliedMigrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, path)
	schema1 := schemaSQL(t, raw)

	s2 := openT(t, path)
	second, err := s2.AppliedMigrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) || len(second) != LatestVersion() {
		t.Errorf("migrations after reopen = %+v, before %+v", second, first)
	}
	for i, m := range second {
		if m.Version != i+1 {
			t.Errorf("migration %d has version %d", i, m.Version)
		}
	}
	if schema2 := schemaSQL(t, raw); !reflect.DeepEqual(schema1, schema2) {
		t.Errorf("reopen changed the schema")
	}
	if u, err := s2.UserByEmail(ctx, "A@B.C"); err != nil || u.Email != "a@b.c" {
		t.Errorf("data after reopen: %+v, %v", u, err)
	}
	// A fresh file has the fresh database.js column order.
	var names []string
	for _, c := range tableInfo(t, raw, "checklist_categories") {
		names = append(names, c.name)
	}
	if want := []string{"category_id", "name", "description", "icon", "type", "order_in_list", "created_at"}; !reflect.DeepEqual(names, want) {
		t.Errorf("fresh checklist_categories columns = %v, want %v", names, want)
	}
}

func TestConcurrentOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(ctx, path)
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
		}
	}
	s := openT(t, path)
	applied, err := s.AppliedMigrations(ctx)
	if err != nil || len(applied) != LatestVersion() {
		t.Errorf("applied = %+v, %v", applied, err)
	}
}

func TestOpenRejects(t *testing.T) {
	for _, p := range []string{"", ":memory:", "file:x.db?mode=memory"} {
		if s, err := Open(ctx, p); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
	// A file written by a newer program is not downgraded.
	path := filepath.Join(t.TempDir(), "m.db")
	s := openT(t, path)
	exec(t, rawDB(t, path), "INSERT INTO schema_migrations (version, name) VALUES (?, 'from the future')", LatestVersion()+1)
	if s2, err := Open(ctx, path); err == nil || !strings.Contains(err.Error(), "newer") {
		if s2 != nil {
			s2.Close()
		}
		t.Errorf("Open of a newer schema: err = %v", err)
	}
	_ = s
	// Not a database at all.
	junk := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not sqlite ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(ctx, junk); err == nil {
		s.Close()
		t.Error("Open of a non-database succeeded")
	}
}

func TestOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "we?ird #dir 100%", "m.db")
	s := openT(t, path)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %s: %v", path, err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Path() != path {
		t.Errorf("Path = %q", s.Path())
	}
}

func TestCloseTwiceAndUseAfterClose(t *testing.T) {
	s, err := Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.UserByID(ctx, 1); err == nil || errors.Is(err, momentum.ErrNotFound) {
		t.Errorf("UserByID after Close: err = %v, want a closed-database error", err)
	}
	if err := s.Ping(ctx); err == nil {
		t.Error("Ping after Close succeeded")
	}
}

// legacyFile makes a file with the legacy schema and lets fill write rows before the store sees it.
func legacyFile(t *testing.T, fill func(db *sql.DB)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "legacy.db")
	raw := rawDB(t, path)
	for _, q := range legacySchema {
		exec(t, raw, q)
	}
	fill(raw)
	return path
}

func TestCaseVariantDuplicatesInLegacyData(t *testing.T) {
	path := legacyFile(t, func(db *sql.DB) {
		exec(t, db, "INSERT INTO users (email, password_hash, role, created_at) VALUES ('Dup@x.com', 'h1', 'restaurant', '2025-01-01 00:00:00')")
		exec(t, db, "INSERT INTO users (email, password_hash, role, created_at) VALUES ('dup@x.com', 'h2', 'restaurant', '2025-01-01 00:00:00')")
	})
	s := openT(t, path)
	applied, err := s.AppliedMigrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if note := applied[len(applied)-1].Note; !strings.Contains(note, "not unique") {
		t.Errorf("email migration note = %q, want the non-unique fallback", note)
	}
	for q, wantID := range map[string]int64{"dup@x.com": 2, "Dup@x.com": 1, "DUP@X.COM": 1} {
		u, err := s.UserByEmail(ctx, q)
		if err != nil || u.ID != wantID {
			t.Errorf("UserByEmail(%q) = %d, %v; want %d (exact spelling first, then lowest id)", q, u.ID, err, wantID)
		}
	}
	if _, _, err := s.CreateAccount(ctx, momentum.NewAccount{Email: "dUp@x.com", PasswordHash: "h", RestaurantName: "R", Now: fixedNow}); !errors.Is(err, momentum.ErrConflict) {
		t.Errorf("CreateAccount of a third variant: %v, want ErrConflict", err)
	}
}

func TestUnusualEmails(t *testing.T) {
	path := legacyFile(t, func(db *sql.DB) {
		// Stored by the legacy server without trimming or folding.
		exec(t, db, "INSERT INTO users (email, password_hash, role) VALUES (?, 'h', 'restaurant')", "\tÉmile@Example.com ")
		exec(t, db, "INSERT INTO users (email, password_hash, role) VALUES (?, 'h', 'restaurant')", "  spaced@example.com ")
		exec(t, db, "INSERT INTO users (email, password_hash, role) VALUES (?, 'h', 'restaurant')", "\u212Aelvin@example.com") // Kelvin sign folds to ASCII k
	})
	s := openT(t, path)
	for q, want := range map[string]int64{"émile@example.com": 1, "ÉMILE@EXAMPLE.COM": 1, "spaced@example.com": 2, "kelvin@example.com": 3} {
		u, err := s.UserByEmail(ctx, q)
		if err != nil || u.ID != want {
			t.Errorf("UserByEmail(%q) = %d, %v; want %d", q, u.ID, err, want)
		}
	}
	for _, email := range []string{"Émile@example.com", "SPACED@example.com", "KELVIN@example.com"} {
		if _, _, err := s.CreateAccount(ctx, momentum.NewAccount{Email: email, PasswordHash: "h", RestaurantName: "R", Now: fixedNow}); !errors.Is(err, momentum.ErrConflict) {
			t.Errorf("CreateAccount(%q) = %v, want ErrConflict", email, err)
		}
	}
	if _, err := s.UserByEmail(ctx, "   "); !errors.Is(err, momentum.ErrNotFound) {
		t.Errorf("blank email: %v", err)
	}
}

func TestLegacyValues(t *testing.T) {
	path := legacyFile(t, func(db *sql.DB) {
		exec(t, db, "INSERT INTO users (user_id, email, password_hash, role) VALUES (1, 'o@x.com', 'h', 'restaurant')")
		exec(t, db, "INSERT INTO restaurants (restaurant_id, user_id, name, address, phone, created_at) VALUES (1, 1, 'R', NULL, NULL, '2025-06-27T17:44:13.123Z')")
		exec(t, db, "INSERT INTO restaurants (restaurant_id, user_id, name, created_at) VALUES (2, 1, 'Second', '2025-06-28 00:00:00')")
		exec(t, db, "INSERT INTO restaurants (restaurant_id, user_id, name, created_at) VALUES (3, 99, 'Orphan', '2025-06-29 00:00:00')")
		for i, v := range []any{nil, "true", "false", 2, 0} {
			exec(t, db, "INSERT INTO checklist_status (restaurant_id, checklist_item_name, is_complete, created_at, updated_at) VALUES (1, ?, ?, '2025-01-01 00:00:00', '2025-01-01 00:00:00')", fmt.Sprint("t", i), v)
		}
		exec(t, db, "INSERT INTO campaigns (restaurant_id, campaign_type, status, name, details, budget, created_at, updated_at) VALUES (1, 'ad', 'active', 'int budget', NULL, 10, '2025-01-01 00:00:00', '2025-01-01 00:00:00')")
		exec(t, db, "INSERT INTO campaigns (restaurant_id, campaign_type, status, name, details, budget) VALUES (1, 'sms', 'draft', 'defaults', '{\"k\":1}', NULL)")
	})
	s := openT(t, path)

	r, err := s.RestaurantByUser(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != 1 || r.Address != nil || r.Phone != nil || !r.CreatedAt.Equal(time.Date(2025, 6, 27, 17, 44, 13, 0, time.UTC)) {
		t.Errorf("restaurant with NULLs and an ISO timestamp = %+v", r)
	}
	list, err := s.SearchRestaurants(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != 2 || list[1].ID != 1 {
		t.Errorf("search = %+v, want restaurants 2, 1 (the orphan is dropped)", list)
	}

	tasks, err := s.PendingTasks(ctx, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 || tasks[0].Name != "t4" {
		t.Errorf("pending = %+v, want only the row holding 0 (NULL and TEXT drop out, as in the legacy server)", tasks)
	}

	camps, err := s.Campaigns(ctx, 1, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(camps) != 2 {
		t.Fatalf("campaigns = %+v", camps)
	}
	// CURRENT_TIMESTAMP defaults put "defaults" first (it is newer than 2025).
	if camps[0].Name != "defaults" || camps[0].Budget != nil || camps[0].Details != `{"k":1}` || camps[0].ExternalID != "" || camps[0].CreatedAt.IsZero() {
		t.Errorf("campaign with defaults = %+v", camps[0])
	}
	if camps[1].Budget == nil || *camps[1].Budget != 10 || camps[1].Details != "" {
		t.Errorf("integer budget campaign = %+v", camps[1])
	}
}

func TestIsCompleteValues(t *testing.T) {
	for _, tc := range []struct {
		src  any
		want *int64
	}{
		{nil, nil}, {int64(0), ptr(0)}, {int64(1), ptr(1)}, {int64(7), ptr(1)}, {0.0, ptr(0)}, {1.0, ptr(1)},
		{"true", ptr(1)}, {"1", ptr(1)}, {"false", ptr(0)}, {"yes", ptr(0)}, {"", ptr(0)}, {[]byte("true"), ptr(1)},
	} {
		var got *int64
		if err := (isCompleteCol{&got}).Scan(tc.src); err != nil {
			t.Errorf("Scan(%#v): %v", tc.src, err)
			continue
		}
		if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
			t.Errorf("Scan(%#v) = %v, want %v", tc.src, fmtP(got), fmtP(tc.want))
		}
	}
}

func ptr(v int64) *int64 { return &v }

func fmtP(p *int64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

func TestUnreadableTimestampIsAnError(t *testing.T) {
	path := legacyFile(t, func(db *sql.DB) {
		exec(t, db, "INSERT INTO users (user_id, email, password_hash, role, created_at) VALUES (1, 'o@x.com', 'h', 'restaurant', 'yesterday')")
	})
	s := openT(t, path)
	if _, err := s.UserByID(ctx, 1); err == nil || !strings.Contains(err.Error(), "yesterday") {
		t.Errorf("UserByID with a broken created_at: err = %v", err)
	}
}

func TestRestaurantByUserLowestID(t *testing.T) {
	path := copyFixture(t)
	s := openT(t, path)
	exec(t, rawDB(t, path), "INSERT INTO restaurants (user_id, name, address, phone) VALUES (2, 'Second place', '', '')")
	r, err := s.RestaurantByUser(ctx, 2)
	if err != nil || r.ID != 1 {
		t.Errorf("RestaurantByUser(2) = %+v, %v; want restaurant 1", r, err)
	}
}

func TestSeedCatalogueRejectsBadSeed(t *testing.T) {
	s := openT(t, filepath.Join(t.TempDir(), "m.db"))
	bad := [][]momentum.SeedCategory{
		{{Name: "", Type: momentum.TypeOngoing}},
		{{Name: "A", Type: "weekly"}},
		{{Name: "A", Type: momentum.TypeOngoing}, {Name: "A", Type: momentum.TypeOngoing}},
		{{Name: "A", Type: momentum.TypeOngoing, Items: []momentum.SeedItem{{Title: "x"}, {Title: "x"}}}},
		{{Name: "A", Type: momentum.TypeOngoing, Items: []momentum.SeedItem{{Title: ""}}}},
	}
	for i, cats := range bad {
		if _, err := s.SeedCatalogue(ctx, cats, fixedNow); !errors.Is(err, ErrInvalidSeed) {
			t.Errorf("bad seed %d: err = %v, want ErrInvalidSeed", i, err)
		}
	}
	if empty, err := s.CatalogueEmpty(ctx); err != nil || !empty {
		t.Errorf("a refused seed wrote something: empty = %v, %v", empty, err)
	}
}

// TestInvalidValuesLeaveNothing checks that the legacy CHECK constraints still guard the data and a
// refused write leaves no trace.
func TestInvalidValuesLeaveNothing(t *testing.T) {
	s := openT(t, filepath.Join(t.TempDir(), "m.db"))
	_, r, err := s.CreateAccount(ctx, momentum.NewAccount{Email: "o@x.com", PasswordHash: "h", RestaurantName: "R", Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertStatus(ctx, r.ID, 1, "done", nil, fixedNow); err == nil {
		t.Error("UpsertStatus accepted status \"done\"")
	}
	if _, err := s.CreateCampaign(ctx, momentum.Campaign{RestaurantID: r.ID, Type: "email", Status: "active", Name: "x"}); err == nil {
		t.Error("CreateCampaign accepted type \"email\"")
	}
	if err := s.LogImpersonation(ctx, momentum.ImpersonationEvent{AdminUserID: 1, Action: "pause"}); err == nil {
		t.Error("LogImpersonation accepted action \"pause\"")
	}
	if sts, _ := s.Statuses(ctx, r.ID); len(sts) != 0 {
		t.Errorf("statuses = %+v", sts)
	}
	if c, _ := s.Campaigns(ctx, r.ID, "", 0); len(c) != 0 {
		t.Errorf("campaigns = %+v", c)
	}
}

// TestHotQueriesUseIndexes keeps the hot reads off full table scans as tables grow.
func TestHotQueriesUseIndexes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	openT(t, path)
	raw := rawDB(t, path)
	for _, tc := range []struct {
		name, query string
		args        []any
	}{
		{"UserByID", qUserByID, []any{1}},
		{"UserByEmail", qUserByNormEmail, []any{"a@b.c", "a@b.c"}},
		{"UsersUnusualEmail", qUsersUnusualEmail, nil},
		{"RestaurantByUser", qRestaurantByUser, []any{1}},
		{"PendingTasks", qPendingTasks, []any{1, 3}},
		{"ItemsByCategory", qItemsByCategory, []any{1}},
		{"Statuses", qStatuses, []any{1}},
		{"Campaigns", qCampaigns, []any{1, 3}},
		{"CampaignsByStatus", qCampaignsByStatus, []any{1, "active", 3}},
		{"CampaignByExternal", qCampaignByExternal, []any{1, "camp_1"}},
		{"CountCampaignsSince", qCountCampaignsSince, []any{1, "2026-01-01 00:00:00"}},
		{"CountAllCampaignsSince", qCountAllCampaignsSince, []any{"2026-01-01 00:00:00"}},
		{"SessionByID", qSessionByID, []any{"x", "2026-01-01 00:00:00"}},
		{"ImpersonationLog", qImpersonationLog, []any{10}},
		{"SearchAll", qSearchAll, nil},
	} {
		rows, err := raw.Query("EXPLAIN QUERY PLAN "+tc.query, tc.args...)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		joined := strings.Join(plan, "; ")
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN ") && !strings.Contains(step, "USING") && !strings.HasPrefix(step, "SCAN CONSTANT") {
				t.Errorf("%s does a full scan: %s", tc.name, joined)
			}
			if strings.Contains(step, "TEMP B-TREE") {
				t.Errorf("%s sorts without an index: %s", tc.name, joined)
			}
		}
	}
}

// fixedNow stands in for the clock: the store never reads one, every write gets its time passed in.
var fixedNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
