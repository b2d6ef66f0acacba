package storetest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Statements collects the distinct statement texts an adapter runs, for the adapter's listing of
// them in testdata/statements.sql: the SQL each engine executes, readable in one file per engine
// and checked to prepare on it.
type Statements struct {
	mu   sync.Mutex
	seen map[string]bool
}

// Seen records one statement; it is safe for concurrent use.
func (s *Statements) Seen(sql string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	s.seen[sql] = true
}

func (s *Statements) sorted() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.seen))
	for q := range s.seen {
		out = append(out, q)
	}
	slices.Sort(out)
	return out
}

// statementSep ends every statement of a listing. No statement contains it.
const statementSep = ";\n\n"

// ReadStatements returns the statements listed in the file at path.
func ReadStatements(tb testing.TB, path string) []string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read statement listing: %v", err)
	}
	text := string(b)
	if i := strings.Index(text, "\n\n"); strings.HasPrefix(text, "--") && i >= 0 {
		text = text[i+2:] // the header comment
	}
	var out []string
	for _, q := range strings.Split(text, statementSep) {
		if strings.TrimSpace(q) != "" {
			out = append(out, q)
		}
	}
	return out
}

// CheckStatements compares what s saw during a full run of the suite with the listing at path:
// a statement run but not listed, or listed but never run, fails the test. With update the listing
// is rewritten instead. A partial run (go test -run with a subtest pattern) or a skipped suite (no
// database server) checks nothing.
func CheckStatements(t *testing.T, s *Statements, path, engine string, update bool) {
	t.Helper()
	if t.Failed() {
		return
	}
	if run := flag.Lookup("test.run"); run != nil {
		switch strings.Trim(run.Value.String(), "^$") {
		case "", "TestContract":
		default:
			t.Logf("partial run (-run %s): %s not checked", run.Value, path)
			return
		}
	}
	got := s.sorted()
	if len(got) == 0 {
		t.Logf("no statement ran (suite skipped?): %s not checked", path)
		return
	}
	if update {
		var b strings.Builder
		fmt.Fprintf(&b, "-- Every statement the %s adapter ran during the store contract suite, as the engine received it.\n", engine)
		fmt.Fprintf(&b, "-- Regenerate: go test ./internal/cohortly/%s -run '^TestContract$' -args -update (TestStatementsPrepare prepares each one.)\n\n", engine)
		for _, q := range got {
			b.WriteString(q)
			b.WriteString(statementSep)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := ReadStatements(t, path)
	for _, q := range got {
		if !slices.Contains(want, q) {
			t.Errorf("statement not in %s (regenerate it with -update and review the diff):\n%s", path, q)
		}
	}
	for _, q := range want {
		if !slices.Contains(got, q) {
			t.Errorf("statement in %s never ran (regenerate it with -update):\n%s", path, q)
		}
	}
}
