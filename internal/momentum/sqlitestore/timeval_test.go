package sqlitestore

import (
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	want := time.Date(2025, 6, 27, 17, 44, 13, 0, time.UTC)
	for _, s := range []string{
		"2025-06-27 17:44:13",
		"2025-06-27T17:44:13",
		"2025-06-27T17:44:13Z",
		"2025-06-27T17:44:13.999Z",
		"2025-06-27 17:44:13.5",
		"2025-06-27T19:44:13+02:00",
		"2025-06-27 12:44:13.123456-05:00",
		" 2025-06-27 17:44:13 ",
		"1751046253",
	} {
		got, err := parseTime(s)
		if err != nil {
			t.Errorf("parseTime(%q): %v", s, err)
			continue
		}
		if !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, want %v", s, got, want)
		}
	}
	if got, err := parseTime("2025-06-27"); err != nil || !got.Equal(time.Date(2025, 6, 27, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date only: %v, %v", got, err)
	}
	for _, s := range []string{"", "yesterday", "2025-13-01 00:00:00", "2025-02-30 00:00:00", "2025-06-27 24:00:00", "2025-06-27 17:44:13 junk", "-5"} {
		if got, err := parseTime(s); err == nil {
			t.Errorf("parseTime(%q) = %v, want an error", s, got)
		}
	}
	if got, err := parseTime("2024-02-29 23:59:59"); err != nil || got.Day() != 29 {
		t.Errorf("leap day: %v, %v", got, err)
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2025-06-27 17:44:13", "2025-06-27T17:44:13.5Z", "2000-02-29 00:00:00", "1751046253", "0000-00-00 00:00:00", "9999-12-31 23:59:59"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseTime(s)
		if err != nil {
			return
		}
		if got.Location() != time.UTC || got.Nanosecond() != 0 {
			t.Fatalf("parseTime(%q) = %v: not whole-second UTC", s, got)
		}
		// What we write, we read back unchanged.
		if back, err := parseTime(formatTime(got)); err != nil || !back.Equal(got) {
			if got.Year() >= 0 && got.Year() <= 9999 {
				t.Fatalf("round trip of %q: %v -> %q -> %v, %v", s, got, formatTime(got), back, err)
			}
		}
		// The fast path and the general parser agree on the legacy form.
		if _, ok := parseLegacy(s); ok {
			if formatTime(got) != s {
				t.Fatalf("legacy %q parsed as %v, formats as %q", s, got, formatTime(got))
			}
		}
	})
}
