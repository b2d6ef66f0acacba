package sqlitestore

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-cohortly/backends/internal/momentum"
)

// formatTime renders t in the legacy storage format (UTC, whole seconds), which also sorts correctly
// as text, so range queries compare stored strings directly.
func formatTime(t time.Time) string { return momentum.FormatTime(t) }

// lenientLayouts are the other forms a timestamp may have in a file that people or other tools wrote.
var lenientLayouts = []string{
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04Z07:00",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseTime reads a stored timestamp: the legacy `YYYY-MM-DD HH:MM:SS` (UTC) on the fast path, and
// leniently a `T` separator, fractional seconds, `Z` or a numeric offset, or unix seconds. The result
// is UTC with whole seconds, like everything the Store returns.
func parseTime(s string) (time.Time, error) {
	if t, ok := parseLegacy(s); ok {
		return t, nil
	}
	v := strings.TrimSpace(s)
	for _, layout := range lenientLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC().Truncate(time.Second), nil
		}
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 && n < 1<<40 {
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("unreadable timestamp %q", s)
}

// parseLegacy parses exactly `YYYY-MM-DD HH:MM:SS` without allocating; it is the format of every row
// the legacy server and this package write, so it is the one that must be fast.
func parseLegacy(s string) (time.Time, bool) {
	if len(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for j := i; j < i+n; j++ {
			c := s[j]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	d, ok3 := num(8, 2)
	h, ok4 := num(11, 2)
	mi, ok5 := num(14, 2)
	se, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || h > 23 || mi > 59 || se > 59 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, se, 0, time.UTC), true
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// timeCol scans a timestamp column (selected as CAST(... AS TEXT)); NULL gives the zero time.
type timeCol struct{ dst *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.dst = time.Time{}
		return nil
	case string:
		t, err := parseTime(v)
		*c.dst = t
		return err
	case []byte:
		t, err := parseTime(string(v))
		*c.dst = t
		return err
	case time.Time:
		*c.dst = v.UTC().Truncate(time.Second)
		return nil
	case int64:
		*c.dst = time.Unix(v, 0).UTC()
		return nil
	}
	return fmt.Errorf("timestamp of type %T", src)
}

// isCompleteCol scans checklist_status.is_complete, which the legacy server filled with whatever the
// client sent (contract 3.11): NULL stays nil, numbers become 0/1, TEXT 'true'/'1' is 1 and any other
// text 0.
type isCompleteCol struct{ dst **int64 }

func (c isCompleteCol) Scan(src any) error {
	var v int64
	switch x := src.(type) {
	case nil:
		*c.dst = nil
		return nil
	case int64:
		if x != 0 {
			v = 1
		}
	case float64:
		if x != 0 {
			v = 1
		}
	case bool:
		if x {
			v = 1
		}
	case string:
		if x == "true" || x == "1" {
			v = 1
		}
	case []byte:
		if s := string(x); s == "true" || s == "1" {
			v = 1
		}
	default:
		return fmt.Errorf("is_complete of type %T", src)
	}
	*c.dst = &v
	return nil
}

// boolCol scans a legacy BOOLEAN column (is_critical): 0/1, NULL as false, TEXT 'true'/'1' as true.
type boolCol struct{ dst *bool }

func (c boolCol) Scan(src any) error {
	var p *int64
	if err := (isCompleteCol{&p}).Scan(src); err != nil {
		return err
	}
	*c.dst = p != nil && *p == 1
	return nil
}
