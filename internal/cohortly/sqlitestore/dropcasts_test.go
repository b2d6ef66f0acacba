package sqlitestore

import (
	"strings"
	"testing"
)

// The shared statements are PostgreSQL text; on SQLite their casts go and nothing else changes.
func TestDropCasts(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT u.role::text, u.id FROM users u`, `SELECT u.role, u.id FROM users u`},
		{`VALUES ($1, $2::"LeadSource", $3::numeric)`, `VALUES ($1, $2, $3)`},
		{`s.status::text = ANY($3::text[])`, `s.status = ANY($3)`},
		{`UPDATE t SET a = $1::"BootcampMode", b = $2`, `UPDATE t SET a = $1, b = $2`},
		{`WHERE note = 'a::b' AND x = $1::text`, `WHERE note = 'a::b' AND x = $1`},
		{`ESCAPE '\' OR l.email LIKE $1`, `ESCAPE '\' OR l.email LIKE $1`},
		{`no casts at all`, `no casts at all`},
		{`dangling $1::"Open`, `dangling $1::"Open`},
		{`trailing::`, `trailing`},
	} {
		if got := dropCasts(c.in); got != c.want {
			t.Errorf("dropCasts(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Text without "::" is never touched, and whatever the input, the function does not panic and only
// ever removes bytes.
func FuzzDropCasts(f *testing.F) {
	for _, s := range []string{"", "::", `a::"b"[]`, `'::' $1::text`, `x::"`, "::::[]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := dropCasts(s)
		if !strings.Contains(s, "::") && got != s {
			t.Fatalf("changed text without casts: %q -> %q", s, got)
		}
		if len(got) > len(s) {
			t.Fatalf("grew: %q -> %q", s, got)
		}
	})
}
