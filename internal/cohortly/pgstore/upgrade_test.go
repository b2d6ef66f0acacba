package pgstore_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/momentum-cohortly/backends/internal/cohortly/pgstore"
)

// journalRows lists cohortly_schema_migrations in full.
func journalRows(t *testing.T, dbURL string) []string {
	t.Helper()
	c, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	rows, err := c.Query(t.Context(), `SELECT format('%s|%s|%s|%s', version, name, applied_at, adopted) FROM cohortly_schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Databases migrated by the earlier runner (testdata/upgrade: pg_dump of them, a new database and the
// legacy Prisma database it adopted) open with nothing applied or adopted again, the journal and the
// schema unchanged.
func TestUpgradeFromEarlierRunner(t *testing.T) {
	for _, dump := range []string{"fresh-v3.sql", "adopted-v3.sql"} {
		t.Run(dump, func(t *testing.T) {
			u := freshDB(t)
			execFile(t, u, "testdata/upgrade/"+dump)
			beforeRows, beforeSchema := journalRows(t, u), schemaSnapshot(t, u)
			if len(beforeRows) != 3 {
				t.Fatalf("dump holds %q", beforeRows)
			}
			s, err := pgstore.Open(t.Context(), u)
			if err != nil {
				t.Fatal(err)
			}
			rep := s.Migration()
			s.Close()
			if len(rep.Applied) != 0 || rep.AdoptedLegacy || rep.Current != 3 || len(rep.Unknown) != 0 {
				t.Errorf("report %+v", rep)
			}
			if got := journalRows(t, u); !reflect.DeepEqual(got, beforeRows) {
				t.Errorf("journal changed:\nbefore %q\nafter  %q", beforeRows, got)
			}
			if got := schemaSnapshot(t, u); !reflect.DeepEqual(got, beforeSchema) {
				t.Errorf("schema changed")
			}
		})
	}
}
