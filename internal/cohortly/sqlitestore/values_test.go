package sqlitestore

import (
	"strings"
	"testing"
	"time"
)

// Stored times round-trip exactly (UTC, milliseconds), and garbage in a time column is an error, not
// a panic or a zero time.
func FuzzParseTime(f *testing.F) {
	f.Add(int64(0), "2026-11-21T21:53:11.861Z")
	f.Add(int64(1795296464123), "2026-11-21 21:53:11")
	f.Add(int64(-62135596800000), "garbage")
	f.Fuzz(func(t *testing.T, ms int64, raw string) {
		tm := time.UnixMilli(ms % 253402300799000).UTC() // years 0000..9999: the fixed-width range
		if tm.Year() < 0 {
			return
		}
		got, err := parseTime(ts(tm))
		if err != nil || !got.Equal(tm) || got.Location() != time.UTC {
			t.Fatalf("round trip of %v: %v, %v", tm, got, err)
		}
		if _, err := parseTime(raw); err != nil && !strings.Contains(err.Error(), "unparsable time") {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}

// Search text is a literal: the pattern escapes every LIKE metacharacter.
func FuzzLikePattern(f *testing.F) {
	for _, s := range []string{"", "%", "_", `\`, "a%b_c\\d", "lead 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := likePattern(s)
		if !strings.HasPrefix(p, "%") || !strings.HasSuffix(p, "%") {
			t.Fatalf("pattern %q not wrapped", p)
		}
		inner := p[1 : len(p)-1]
		var b strings.Builder
		for i := 0; i < len(inner); i++ {
			c := inner[i]
			if c == '\\' {
				i++
				if i == len(inner) {
					t.Fatalf("dangling escape in %q", p)
				}
				b.WriteByte(inner[i])
				continue
			}
			if c == '%' || c == '_' {
				t.Fatalf("unescaped %q in %q", c, p)
			}
			b.WriteByte(c)
		}
		if b.String() != s {
			t.Fatalf("unescaped %q != %q", b.String(), s)
		}
	})
}
