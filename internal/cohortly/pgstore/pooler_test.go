package pgstore_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/cohortly/pgstore"
	"github.com/momentum-cohortly/backends/internal/cohortly/storetest"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// pooledMode is the setting the README gives for a pooler in transaction mode without its own
// prepared-statement support (PgBouncer before 1.21, the one Debian 12 ships).
const pooledMode = "default_query_exec_mode=cache_describe"

// pooledDB is a fresh database of the test's own through the test PgBouncer (transaction mode), with
// extra appended to its URL, and the direct URL of the same database.
func pooledDB(t *testing.T, extra string) (pooled, direct string) {
	pooled, direct = testenv.PgBouncerDB(t, "cohortly_pooled_", "")
	if extra != "" {
		pooled += "&" + extra
	}
	return pooled, direct
}

// The contract suite through PgBouncer in transaction mode: every statement of the store, its
// transactions and its batches work there with the README's setting.
func TestContractThroughPgBouncer(t *testing.T) {
	storetest.Run(t, func(t *testing.T) cohortly.Store {
		pooled, _ := pooledDB(t, pooledMode)
		s, err := pgstore.Open(t.Context(), pooled)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if !s.Pooling().Transaction {
			t.Fatalf("the probe did not see PgBouncer's transaction pooling: %+v", s.Pooling())
		}
		return s
	})
}

// Open through the pooler accepts the exec modes that send no prepared statement across transactions
// and refuses, before migrating anything, those that fail at random there; directly every mode works.
func TestOpenChecksTheExecModeAgainstThePooler(t *testing.T) {
	pooled, direct := pooledDB(t, "")
	cases := []struct {
		name, url, mode string
		transaction     bool
		refused         bool
	}{
		{"pooled default (cache_statement)", pooled, "", true, true},
		{"pooled cache_statement", pooled, "cache_statement", true, true},
		{"pooled describe_exec", pooled, "describe_exec", true, true},
		{"pooled cache_describe", pooled, "cache_describe", true, false},
		{"pooled exec", pooled, "exec", true, false},
		{"pooled simple_protocol", pooled, "simple_protocol", true, false},
		{"direct default", direct, "", false, false},
		{"direct describe_exec", direct, "describe_exec", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := tc.url
			if tc.mode != "" {
				u += "&default_query_exec_mode=" + tc.mode
			}
			s, err := pgstore.Open(t.Context(), u, pgstore.WithoutMigrate())
			if tc.refused {
				if !errors.Is(err, pgstore.ErrPoolerExecMode) || !strings.Contains(err.Error(), "default_query_exec_mode=cache_describe") {
					t.Fatalf("Open = %v, want ErrPoolerExecMode naming the setting to use", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if p := s.Pooling(); p.Transaction != tc.transaction {
				t.Fatalf("pooling %+v, want transaction %v", p, tc.transaction)
			}
		})
	}
	// A refused URL was refused before the migration: the database is still empty.
	if _, err := pgstore.Open(t.Context(), pooled); !errors.Is(err, pgstore.ErrPoolerExecMode) {
		t.Fatalf("Open with migration = %v", err)
	}
	var journal *string
	c := connect(t, direct)
	if err := c.QueryRow(t.Context(), `SELECT to_regclass('public.cohortly_schema_migrations')::text`).Scan(&journal); err != nil || journal != nil {
		t.Fatalf("refused Open migrated: journal %v, %v", journal, err)
	}
}

// A URL that disables what its own exec mode needs fails at Open, not on every request.
func TestOpenRefusesADisabledStatementCache(t *testing.T) {
	_, direct := pooledDB(t, "")
	_, err := pgstore.Open(t.Context(), direct+"&statement_cache_capacity=0", pgstore.WithoutMigrate())
	if err == nil || !strings.Contains(err.Error(), "default_query_exec_mode=cache_statement") {
		t.Fatalf("Open = %v", err)
	}
}

// The probe's test of a pooler's own prepared-statement support (PgBouncer 1.21+): on Debian 12's
// PgBouncer 1.18 a statement prepared on one server session is missing on the next. (Open runs it
// only once it has seen transaction pooling: directly, no other connection ever holds a's session.)
func TestPreparedStatementProbe(t *testing.T) {
	pooled, _ := pooledDB(t, "")
	a, b := connect(t, pooled), connect(t, pooled)
	err := pgstore.PreparedStatementsFollow(t.Context(), a, b)
	if pe := (*pgconn.PgError)(nil); !errors.As(err, &pe) || pe.Code != "26000" {
		t.Fatalf("probe = %v, want prepared statement does not exist (26000)", err)
	}
}

// Instances starting together on an empty database apply each version exactly once and all open,
// directly and through the pooler, with migrations over the pooled URL or the direct one
// (DATABASE_DIRECT_URL), and leave no advisory lock behind. (The session-level lock this replaces
// hung for ever through the pooler: its unlock ran on another server session, and the lock stayed
// with an idle pooled one.)
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	for _, tc := range []struct {
		name          string
		pooled, viaDB bool
	}{{"direct", false, false}, {"pooled", true, false}, {"pooled with direct migrations", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			pooled, direct := pooledDB(t, pooledMode)
			u := direct
			var opts []pgstore.Option
			if tc.pooled {
				u = pooled
			}
			if tc.viaDB {
				opts = append(opts, pgstore.WithMigrationURL(direct))
			}
			// A bound instead of the test binary's 10 minutes, should a lock be left behind.
			ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
			defer cancel()
			const n = 4
			var wg sync.WaitGroup
			reps := make([]pgstore.MigrateReport, n)
			errs := make([]error, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s, err := pgstore.Open(ctx, u, append(opts, pgstore.WithMaxConns(2))...)
					errs[i] = err
					if err == nil {
						reps[i] = s.Migration()
						s.Close()
					}
				}()
			}
			wg.Wait()
			applied := map[int]int{}
			for i := range n {
				if errs[i] != nil {
					t.Fatalf("instance %d: %v", i, errs[i])
				}
				for _, v := range reps[i].Applied {
					applied[v]++
				}
				if reps[i].Current != 3 {
					t.Errorf("instance %d: report %+v", i, reps[i])
				}
			}
			if len(applied) != 3 || applied[1] != 1 || applied[2] != 1 || applied[3] != 1 {
				t.Fatalf("versions applied %v, want 1, 2 and 3 once each: %+v", applied, reps)
			}
			var held int
			if err := connect(t, direct).QueryRow(t.Context(),
				`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&held); err != nil || held != 0 {
				t.Fatalf("advisory locks left held: %d, %v", held, err)
			}
		})
	}
}

// DATABASE_DIRECT_URL: the migration runs over the URL given, not the pool's (here a second database,
// to make the difference visible).
func TestMigrationURLIsUsed(t *testing.T) {
	pooled, direct := pooledDB(t, pooledMode)
	_, other := pooledDB(t, "")
	s, err := pgstore.Open(t.Context(), pooled, pgstore.WithMigrationURL(other))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for u, want := range map[string]bool{direct: false, other: true} {
		var journal *string
		if err := connect(t, u).QueryRow(t.Context(), `SELECT to_regclass('public.cohortly_schema_migrations')::text`).Scan(&journal); err != nil || (journal != nil) != want {
			t.Errorf("%s: journal %v, %v; want present %v", u, journal, err, want)
		}
	}
	if _, err := pgstore.Open(t.Context(), pooled, pgstore.WithMigrationURL("postgres://%zz")); err == nil || strings.Contains(err.Error(), "%zz") {
		t.Errorf("bad migration URL: %v", err)
	}
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}
