package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder stands in for the test so Unavailable's outcome can be observed.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Fatalf(format string, args ...any) { r.fatal = fmt.Sprintf(format, args...) }
func (r *recorder) Skipf(format string, args ...any)  { r.skip = fmt.Sprintf(format, args...) }

func TestUnavailableFailsUnderCIAndSkipsElsewhere(t *testing.T) {
	t.Setenv("CI", "true")
	r := &recorder{TB: t}
	Unavailable(r, "Redis at %s unreachable", "x:1")
	if r.skip != "" || !strings.Contains(r.fatal, "Redis at x:1 unreachable") || !strings.Contains(r.fatal, "CI=true") {
		t.Fatalf("under CI: fatal %q, skip %q", r.fatal, r.skip)
	}
	t.Setenv("CI", "")
	r = &recorder{TB: t}
	Unavailable(r, "Redis at %s unreachable", "x:1")
	if r.fatal != "" || !strings.Contains(r.skip, "Redis at x:1 unreachable") {
		t.Fatalf("outside CI: fatal %q, skip %q", r.fatal, r.skip)
	}
}

func TestModuleRootHoldsThisModule(t *testing.T) {
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !strings.HasPrefix(string(b), "module github.com/momentum-cohortly/backends\n") {
		t.Fatalf("%s/go.mod: %v %.60q", root, err, b)
	}
}

func TestFixturesComeFromTheOverrideDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f.txt"), []byte("original"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvFixturesDir, dir)
	c := CopyFixture(t, "f.txt")
	if c == filepath.Join(dir, "f.txt") {
		t.Fatal("CopyFixture returned the original")
	}
	if b, err := os.ReadFile(c); err != nil || string(b) != "original" {
		t.Fatalf("copy: %q %v", b, err)
	}
}

func TestPostgresURLNamesTheDatabase(t *testing.T) {
	t.Setenv(EnvPostgresURL, "postgres://u@h:5432/postgres?sslmode=disable")
	if got := PostgresURL("x_1"); got != "postgres://u@h:5432/x_1?sslmode=disable" {
		t.Fatalf("PostgresURL = %q", got)
	}
}
