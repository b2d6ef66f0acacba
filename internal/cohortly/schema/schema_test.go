package schema

import (
	"strings"
	"testing"
)

// Both dialects must carry the same versions under the same names, so "version N" means one change.
func TestDialectsAgree(t *testing.T) {
	pg, lite := Postgres(), SQLite()
	if len(pg) != len(lite) || len(pg) < 3 {
		t.Fatalf("postgres has %d migrations, sqlite %d", len(pg), len(lite))
	}
	for i := range pg {
		if pg[i].Version != lite[i].Version || pg[i].Name != lite[i].Name {
			t.Fatalf("migration %d: postgres %d_%s, sqlite %d_%s", i, pg[i].Version, pg[i].Name, lite[i].Version, lite[i].Name)
		}
		if strings.TrimSpace(pg[i].SQL) == "" || strings.TrimSpace(lite[i].SQL) == "" {
			t.Fatalf("migration %d is empty", pg[i].Version)
		}
	}
	if pg[0].Name != "baseline" {
		t.Fatalf("version 1 is %q, want baseline", pg[0].Name)
	}
}

// Later migrations must stay additive: the legacy server may share the database.
func TestLaterMigrationsAreAdditive(t *testing.T) {
	for _, m := range Postgres()[1:] {
		up := strings.ToUpper(m.SQL)
		for _, bad := range []string{"DROP ", "RENAME", "ALTER COLUMN", " TYPE ", "TRUNCATE", "DELETE ", "UPDATE "} {
			if strings.Contains(up, bad) {
				t.Errorf("migration %d_%s contains %q", m.Version, m.Name, strings.TrimSpace(bad))
			}
		}
		if strings.Contains(up, "NOT NULL") && !strings.Contains(up, "DEFAULT") {
			t.Errorf("migration %d_%s adds NOT NULL without a default", m.Version, m.Name)
		}
	}
}

func TestLegacyTables(t *testing.T) {
	if n := len(LegacyTables()); n != 20 {
		t.Fatalf("%d legacy tables, want 20", n)
	}
	if n := len(LegacyEnums); n != 11 {
		t.Fatalf("%d legacy enums, want 11", n)
	}
}
