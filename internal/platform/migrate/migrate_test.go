package migrate_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/momentum-cohortly/backends/internal/platform/migrate"
	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// open returns the writer of a new SQLite file (BEGIN IMMEDIATE transactions).
func open(t *testing.T, path string) *sql.DB {
	t.Helper()
	w, r, err := sqlitefile.Open(t.Context(), path, sqlitefile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close(); r.Close() })
	return w
}

func journal(db *sql.DB) migrate.SQLJournal {
	return migrate.SQLJournal{
		DB:       db,
		Create:   `CREATE TABLE IF NOT EXISTS journal (version INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT NOT NULL)`,
		Versions: `SELECT version FROM journal`,
		Insert: func(ctx context.Context, tx *sql.Tx, version int, name, note string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO journal (version, name, note) VALUES (?, ?, ?)`, version, name, note)
			return err
		},
	}
}

type step = migrate.Step[*sql.Tx]

func steps() []step {
	return []step{
		{Version: 1, Name: "t", Up: migrate.ExecSQL(`CREATE TABLE t (a INTEGER); CREATE INDEX t_a ON t (a)`)},
		{Version: 2, Name: "u", Up: migrate.ExecSQL(`CREATE TABLE u (b TEXT)`)},
		{Version: 3, Name: "t.c", Up: func(ctx context.Context, tx *sql.Tx) (string, error) {
			_, err := tx.ExecContext(ctx, `ALTER TABLE t ADD COLUMN c TEXT`)
			return "added", err
		}},
	}
}

func rows(t *testing.T, db *sql.DB) []string {
	return testenv.Strings(t, db, `SELECT version || ' ' || name || ' ' || note FROM journal ORDER BY version`)
}

func TestRunAppliesEachStepOnceAndRecordsIt(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "a.db"))
	rep, err := migrate.Run(t.Context(), journal(db), steps(), migrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := migrate.Report{Applied: []int{1, 2, 3}, Notes: map[int]string{3: "added"}, Current: 3}
	if !reflect.DeepEqual(rep, want) {
		t.Fatalf("report %+v, want %+v", rep, want)
	}
	if got := rows(t, db); !reflect.DeepEqual(got, []string{"1 t ", "2 u ", "3 t.c added"}) {
		t.Fatalf("journal %q", got)
	}
	rep, err = migrate.Run(t.Context(), journal(db), steps(), migrate.Options{})
	if err != nil || !reflect.DeepEqual(rep, migrate.Report{Current: 3}) {
		t.Fatalf("second run: %+v, %v", rep, err)
	}
}

// A failing step leaves the steps before it applied and recorded, and nothing of itself: its
// transaction is rolled back, journal row included. Fixed, the next run applies only what is left.
func TestFailedStepIsRolledBackAlone(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "a.db"))
	bad := steps()
	bad[2].Up = migrate.ExecSQL(`ALTER TABLE t ADD COLUMN c TEXT; CREATE TABLE t (dup INTEGER)`)
	_, err := migrate.Run(t.Context(), journal(db), bad, migrate.Options{})
	if err == nil || !strings.Contains(err.Error(), "migration 3 (t.c)") {
		t.Fatalf("err = %v", err)
	}
	if got := rows(t, db); !reflect.DeepEqual(got, []string{"1 t ", "2 u "}) {
		t.Fatalf("journal %q", got)
	}
	var n int
	if err := db.QueryRowContext(t.Context(), `SELECT count(*) FROM pragma_table_info('t') WHERE name = 'c'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the failed step's first statement stayed (%d, %v)", n, err)
	}
	rep, err := migrate.Run(t.Context(), journal(db), steps(), migrate.Options{})
	if err != nil || !reflect.DeepEqual(rep.Applied, []int{3}) {
		t.Fatalf("rerun: %+v, %v", rep, err)
	}
}

func TestUnknownVersions(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "a.db"))
	if _, err := migrate.Run(t.Context(), journal(db), steps()[:1], migrate.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(t.Context(), `INSERT INTO journal VALUES (7, 'from a newer release', '')`); err != nil {
		t.Fatal(err)
	}
	// Refused: an error before anything runs.
	_, err := migrate.Run(t.Context(), journal(db), steps(), migrate.Options{RefuseUnknown: true})
	var ne *migrate.NewerError
	if !errors.As(err, &ne) || !reflect.DeepEqual(ne.Versions, []int{7}) || ne.Latest != 3 || !strings.Contains(err.Error(), "version 7 is newer than this program knows (3)") {
		t.Fatalf("err = %v", err)
	}
	if got := rows(t, db); len(got) != 2 {
		t.Fatalf("refusal applied something: %q", got)
	}
	// Tolerated: reported, left alone, the known steps applied.
	rep, err := migrate.Run(t.Context(), journal(db), steps(), migrate.Options{})
	if err != nil || !reflect.DeepEqual(rep.Unknown, []int{7}) || !reflect.DeepEqual(rep.Applied, []int{2, 3}) || rep.Current != 7 {
		t.Fatalf("%+v, %v", rep, err)
	}
}

// Migrators racing on one file (processes starting together) apply every step exactly once.
func TestConcurrentRunnersApplyOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	var ups [4]atomic.Int32
	counted := steps()
	for i := range counted {
		up := counted[i].Up
		v := counted[i].Version
		counted[i].Up = func(ctx context.Context, tx *sql.Tx) (string, error) {
			ups[v].Add(1)
			return up(ctx, tx)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		db := open(t, path)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = migrate.Run(context.Background(), journal(db), counted, migrate.Options{})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("runner %d: %v", i, err)
		}
	}
	for v := 1; v <= 3; v++ {
		if n := ups[v].Load(); n != 1 {
			t.Errorf("version %d ran %d times", v, n)
		}
	}
}

func TestStepsMustIncrease(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "a.db"))
	s := steps()
	s[1].Version = 1
	if _, err := migrate.Run(t.Context(), journal(db), s, migrate.Options{}); err == nil {
		t.Fatal("duplicate versions accepted")
	}
}
