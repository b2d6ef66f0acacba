package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/pgstore"
)

// execFile runs a multi-statement SQL file the way psql -f would.
func execFile(t *testing.T, dbURL, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	if _, err := c.Exec(t.Context(), string(b), pgx.QueryExecModeSimpleProtocol); err != nil {
		t.Fatalf("apply %s: %v", path, err)
	}
}

// legacyDB is a database as the legacy server leaves it: Prisma's migration applied, the legacy seed
// loaded (testdata/legacy/seed.sql is a copy of shared/fixtures/cohortly-legacy-seed.sql).
func legacyDB(t *testing.T) string {
	u := freshDB(t)
	execFile(t, u, "testdata/legacy/20260118155230_initial_setup.sql")
	execFile(t, u, "testdata/legacy/seed.sql")
	return u
}

// schemaSnapshot describes everything in schema public: columns with type, nullability and default;
// index definitions; constraint definitions; enum labels. One line per object, sorted.
func schemaSnapshot(t *testing.T, dbURL string) []string {
	t.Helper()
	c, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	var out []string
	collect := func(q string) {
		rows, err := c.Query(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		ss, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ss...)
	}
	collect(`SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) ||
			CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`)
	collect(`SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'`)
	collect(`SELECT 'constraint ' || c.relname || '.' || con.conname || ' ' || pg_get_constraintdef(con.oid)
		FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public'`)
	collect(`SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
		FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
		WHERE n.nspname = 'public' GROUP BY t.typname`)
	slices.Sort(out)
	return out
}

// additive reports whether a line describes something our migrations may add to a legacy database.
func additive(line string) bool {
	switch {
	case strings.Contains(line, "cohortly_"): // our bookkeeping table, our indexes
		return true
	case line == "column refresh_tokens.family_id text", line == "column refresh_tokens.rotated_at timestamp(3) without time zone":
		return true
	}
	return false
}

func TestOpenAdoptsLegacyDatabase(t *testing.T) {
	u := legacyDB(t)
	before := schemaSnapshot(t, u)

	s, err := pgstore.Open(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep := s.Migration()
	if !rep.AdoptedLegacy || !slices.Equal(rep.Applied, []int{2, 3}) || rep.Current != 3 {
		t.Fatalf("migration report %+v, want legacy adopted and 2, 3 applied", rep)
	}

	after := schemaSnapshot(t, u)
	for _, l := range before {
		if !slices.Contains(after, l) {
			t.Errorf("legacy schema changed: %q is gone", l)
		}
	}
	for _, l := range after {
		if !slices.Contains(before, l) && !additive(l) {
			t.Errorf("non-additive schema change: %q", l)
		}
	}
	var prisma *string
	if err := s.Pool().QueryRow(t.Context(), `SELECT to_regclass('public._prisma_migrations')::text`).Scan(&prisma); err != nil || prisma != nil {
		t.Errorf("_prisma_migrations must not be created (got %v, %v)", prisma, err)
	}

	// The seeded legacy rows read back through the store.
	ctx := t.Context()
	admin, err := s.UserByEmail(ctx, "admin@bootcamp.com")
	if err != nil {
		t.Fatal(err)
	}
	if admin.ID != "fb58953b-d06d-451e-b2ea-795cc55ac7b2" || admin.Role != cohortly.RoleAdmin || admin.FullName != "System Admin" ||
		!strings.HasPrefix(admin.PasswordHash, "$2b$10$") || cohortly.FormatTime(admin.CreatedAt) != "2026-11-21T21:53:11.861Z" {
		t.Fatalf("admin = %+v", admin)
	}
	for _, email := range []string{"sales1@bootcamp.com", "instructor1@bootcamp.com", "mentor1@bootcamp.com", "student1@bootcamp.com", "student2@bootcamp.com"} {
		if _, err := s.UserByEmail(ctx, email); err != nil {
			t.Errorf("seeded user %s: %v", email, err)
		}
	}
	leads, err := s.ListLeads(ctx, admin.ID, cohortly.LeadFilter{}, cohortly.Page{Limit: 20})
	if err != nil || leads.Total != 1 || leads.Items[0].AssignedToUser == nil || leads.Items[0].AssignedToUser.FullName != "Sarah Sales" || leads.Viewer.ID != admin.ID {
		t.Fatalf("leads = %+v, %v", leads, err)
	}
	bc, err := s.BootcampByID(ctx, "a8650cad-f124-42f4-9262-b5323e38ecdf")
	if err != nil || bc.Price != 199900 || bc.Price.Normalized() != "1999" || bc.Batches.Count != 1 || bc.ModuleCount != 1 {
		t.Fatalf("bootcamp = %+v, %v", bc, err)
	}
	enr, err := s.EnrollmentByID(ctx, "8f376908-52d1-49bb-af48-3242d848e5e9")
	if err != nil || len(enr.Payments) != 1 || enr.Payments[0].Amount != 99900 {
		t.Fatalf("enrollment = %+v, %v", enr, err)
	}

	// A second start changes nothing.
	s2, err := pgstore.Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if rep := s2.Migration(); rep.AdoptedLegacy || len(rep.Applied) != 0 || rep.Current != 3 {
		t.Fatalf("second open report %+v", rep)
	}
	if again := schemaSnapshot(t, u); !slices.Equal(again, after) {
		t.Fatal("second open changed the schema")
	}
}

// The baseline on an empty database is exactly the legacy schema: legacy+migrations and
// empty+migrations end up identical.
func TestBaselineEqualsLegacySchema(t *testing.T) {
	legacy := freshDB(t)
	execFile(t, legacy, "testdata/legacy/20260118155230_initial_setup.sql")
	legacyOnly := schemaSnapshot(t, legacy)
	s, err := pgstore.Open(t.Context(), legacy)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	empty := freshDB(t)
	s, err = pgstore.Open(t.Context(), empty)
	if err != nil {
		t.Fatal(err)
	}
	if rep := s.Migration(); rep.AdoptedLegacy || !slices.Equal(rep.Applied, []int{1, 2, 3}) {
		t.Fatalf("empty database report %+v", rep)
	}
	s.Close()

	a, b := schemaSnapshot(t, legacy), schemaSnapshot(t, empty)
	if !slices.Equal(a, b) {
		t.Fatalf("schemas differ:\nlegacy+migrate: %s\nempty+migrate:  %s", diff(a, b), diff(b, a))
	}
	// And the baseline part alone is the legacy schema.
	var base []string
	for _, l := range b {
		if !additive(l) {
			base = append(base, l)
		}
	}
	if !slices.Equal(base, legacyOnly) {
		t.Fatalf("baseline differs from legacy: %s / %s", diff(base, legacyOnly), diff(legacyOnly, base))
	}
}

func diff(a, b []string) string {
	var out []string
	for _, l := range a {
		if !slices.Contains(b, l) {
			out = append(out, l)
		}
	}
	return fmt.Sprint(out)
}

func TestOpenRefusesPartialLegacySchema(t *testing.T) {
	u := freshDB(t)
	c, err := pgx.Connect(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(t.Context(), `CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT)`); err != nil {
		t.Fatal(err)
	}
	c.Close(context.Background())
	before := schemaSnapshot(t, u)
	_, err = pgstore.Open(t.Context(), u)
	if !errors.Is(err, pgstore.ErrSchemaMismatch) {
		t.Fatalf("Open = %v, want ErrSchemaMismatch", err)
	}
	after := schemaSnapshot(t, u)
	for _, l := range after {
		if !slices.Contains(before, l) && !strings.Contains(l, "cohortly_schema_migrations") {
			t.Errorf("refused database was changed: %q", l)
		}
	}
}
