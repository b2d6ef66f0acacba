package momentum

import (
	"testing"
	"time"
)

// Every timestamp a response carries is AppendTime's; it must be exactly the layout's text.
func TestAppendTimeIsTheLayout(t *testing.T) {
	est := time.FixedZone("EST", -5*3600)
	for _, tm := range []time.Time{
		{},
		time.Date(2025, 6, 27, 17, 44, 13, 0, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2026, 1, 1, 0, 30, 0, 0, est), // another zone: printed in UTC
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		want := tm.UTC().Format(TimeLayout)
		if got := string(AppendTime([]byte("x"), tm)); got != "x"+want {
			t.Errorf("AppendTime(%v) = %q, want %q", tm, got, "x"+want)
		}
		if got := FormatTime(tm); got != want {
			t.Errorf("FormatTime(%v) = %q, want %q", tm, got, want)
		}
	}
}

func FuzzAppendTime(f *testing.F) {
	f.Add(int64(0), int64(0))
	f.Add(int64(1751046253), int64(5))
	f.Add(int64(-62135596800), int64(0))
	f.Add(int64(253402300800), int64(1))
	f.Fuzz(func(t *testing.T, sec, nsec int64) {
		tm := time.Unix(sec, nsec)
		if got, want := string(AppendTime(nil, tm)), tm.UTC().Format(TimeLayout); got != want {
			t.Fatalf("AppendTime(%d, %d) = %q, want %q", sec, nsec, got, want)
		}
	})
}
