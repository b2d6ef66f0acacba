package sqlitestore_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/momentum-cohortly/backends/internal/cohortly/sqlitestore"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// snapshot is the schema and the journal of the file at path, applied_at included.
func snapshot(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return testenv.Strings(t, db, `SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master
		UNION ALL SELECT version || '|' || name || '|' || applied_at FROM cohortly_schema_migrations ORDER BY 1`)
}

// A file migrated by the earlier runner (testdata/upgrade: sqlite3 .dump of it) opens with nothing
// applied again and nothing recorded or changed.
func TestUpgradeFromEarlierRunner(t *testing.T) {
	dump, err := os.ReadFile("testdata/upgrade/fresh-v3.sql")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(t.Context(), string(dump)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := snapshot(t, path)
	s, err := sqlitestore.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	rep := s.Migration()
	s.Close()
	if len(rep.Applied) != 0 || rep.Current != 3 || len(rep.Unknown) != 0 {
		t.Errorf("report %+v", rep)
	}
	if after := snapshot(t, path); !reflect.DeepEqual(after, before) {
		t.Errorf("schema or journal changed:\nbefore %q\nafter  %q", before, after)
	}
}
