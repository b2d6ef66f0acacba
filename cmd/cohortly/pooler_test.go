package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// Through a pooler in transaction mode: pgx's default exec mode stops the start-up with the setting
// to use (and nothing is migrated); with that setting and DATABASE_DIRECT_URL the migration goes over
// the direct URL and the log says what was found.
func TestStartUpThroughAPooler(t *testing.T) {
	pooled, direct := testenv.PgBouncerDB(t, "cohortly_cmdpool_", "")
	noEnv := filepath.Join(t.TempDir(), "none.env")

	var out lockedBuffer
	getenv := envMap("DATABASE_URL", pooled, "COHORTLY_ENV_FILE", noEnv)
	if code := run(t.Context(), []string{"migrate"}, getenv, &out, &out); code != 1 ||
		!strings.Contains(out.String(), "connection pooler in transaction mode") ||
		!strings.Contains(out.String(), "Add default_query_exec_mode=cache_describe to the URL") {
		t.Fatalf("default exec mode through the pooler: exit %d\n%s", code, out.String())
	}

	out = lockedBuffer{}
	getenv = envMap("DATABASE_URL", pooled+"&default_query_exec_mode=cache_describe", "DATABASE_DIRECT_URL", direct, "COHORTLY_ENV_FILE", noEnv)
	if code := run(t.Context(), []string{"migrate"}, getenv, &out, &out); code != 0 {
		t.Fatalf("migrate exited %d:\n%s", code, out.String())
	}
	for _, want := range []string{`"msg":"migrating over DATABASE_DIRECT_URL"`,
		`"msg":"PostgreSQL through a connection pooler in transaction mode","service":"cohortly","default_query_exec_mode":"cache_describe","direct_migrations":true`,
		`"msg":"schema is up to date"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, out.String())
		}
	}

	if _, err := loadConfig(envMap("DATABASE_DIRECT_URL", direct, "COHORTLY_ENV_FILE", noEnv)); err == nil ||
		!strings.Contains(err.Error(), "DATABASE_DIRECT_URL is set without DATABASE_URL") {
		t.Errorf("DATABASE_DIRECT_URL alone: %v", err)
	}
}
