package sqlitestore

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// journalRows lists schema_migrations in full, applied_at included.
func journalRows(t *testing.T, path string) []string {
	t.Helper()
	return testenv.Strings(t, rawDB(t, path), "SELECT version || '|' || name || '|' || note || '|' || applied_at FROM schema_migrations ORDER BY version")
}

// fromDump makes a database file from a testdata/upgrade dump (sqlite3 .dump of a file the earlier
// migration runner migrated).
func fromDump(t *testing.T, dump string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "upgrade", dump))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.db")
	db := rawDB(t, path)
	exec(t, db, string(b))
	db.Close()
	return path
}

// Files migrated by the earlier runner (all steps in one transaction, the same journal table) open
// with nothing applied again, no journal row added or rewritten and the schema untouched.
func TestUpgradeFromEarlierRunner(t *testing.T) {
	for _, dump := range []string{"fresh-v5.sql", "legacy-v5.sql"} {
		t.Run(dump, func(t *testing.T) {
			path := fromDump(t, dump)
			beforeRows, beforeSchema := journalRows(t, path), schemaSQL(t, rawDB(t, path))
			if len(beforeRows) != LatestVersion() {
				t.Fatalf("dump holds %d journal rows", len(beforeRows))
			}
			s := openT(t, path)
			if _, err := s.AppliedMigrations(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := journalRows(t, path); !reflect.DeepEqual(got, beforeRows) {
				t.Errorf("journal changed:\nbefore %q\nafter  %q", beforeRows, got)
			}
			if got := schemaSQL(t, rawDB(t, path)); !reflect.DeepEqual(got, beforeSchema) {
				t.Errorf("schema changed")
			}
		})
	}
}

// Each step has its own transaction: a step that fails leaves the steps before it applied and
// recorded, and the next Open starts from there.
func TestFailedStepKeepsEarlierSteps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	// A table holding the name of step 5's index makes that step fail.
	exec(t, rawDB(t, path), "CREATE TABLE users_email_normalized (x INTEGER)")
	s, err := Open(t.Context(), path)
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded")
	}
	if !strings.Contains(err.Error(), "migration 5 (normalized email index)") {
		t.Errorf("err = %v", err)
	}
	rows := journalRows(t, path)
	if len(rows) != 4 || !strings.HasPrefix(rows[3], "4|indexes for hot queries|") {
		t.Fatalf("journal after the failure: %q", rows)
	}
	exec(t, rawDB(t, path), "DROP TABLE users_email_normalized")
	openT(t, path)
	if rows := journalRows(t, path); len(rows) != 5 || !strings.HasPrefix(rows[4], "5|normalized email index|unique|") {
		t.Fatalf("journal after the retry: %q", rows)
	}
}
