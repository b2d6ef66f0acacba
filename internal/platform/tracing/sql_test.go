package tracing_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/momentum-cohortly/backends/internal/platform/tracing"
)

func TestSQLOperation(t *testing.T) {
	for stmt, want := range map[string]string{
		"SELECT 1":                               "SELECT",
		"  select * from users":                  "SELECT",
		"\n\tINSERT INTO leads (id) VALUES ($1)": "INSERT",
		"-- name: GetUser\nSELECT id FROM users": "SELECT",
		"/* a */ /* b */ update x set y = 1":     "UPDATE",
		"WITH t AS (SELECT 1) SELECT * FROM t":   "WITH",
		"SELECT(1)":                              "SELECT",
		"begin;":                                 "BEGIN",
		"":                                       "UNKNOWN",
		"   ":                                    "UNKNOWN",
		"-- only a comment":                      "UNKNOWN",
		"/* unterminated":                        "UNKNOWN",
		"(SELECT 1) UNION (SELECT 2)":            "UNKNOWN",
		"PRAGMA optimize":                        "PRAGMA",
		"DELETE FROM refresh_tokens WHERE expires < 1": "DELETE",
	} {
		if got := tracing.SQLOperation(stmt); got != want {
			t.Errorf("SQLOperation(%q) = %q, want %q", stmt, got, want)
		}
	}
}

// The name of a span must stay one short word whatever the statement: no spaces, no newlines.
func FuzzSQLOperation(f *testing.F) {
	for _, s := range []string{"SELECT 1", "-- c\nINSERT", "/* x */update", "", "(", "\u00a0select"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, stmt string) {
		got := tracing.SQLOperation(stmt)
		if got == "" || strings.ContainsFunc(got, unicode.IsSpace) || strings.ContainsAny(got, "(;") {
			t.Fatalf("SQLOperation(%q) = %q", stmt, got)
		}
		if got != "UNKNOWN" && !strings.Contains(strings.ToUpper(stmt), got) && got != strings.ToUpper(got) {
			t.Fatalf("SQLOperation(%q) = %q: not from the statement", stmt, got)
		}
	})
}
