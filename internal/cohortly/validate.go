package cohortly

import (
	"strings"
	"time"
)

// isUUID is validator.js isUUID(s) (version "all"): 8-4-4-4-12 hex digits, any case.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// ValidPhone accepts what a person types as a phone number: an optional leading +, then 7 to 15 digits,
// optionally grouped with spaces, dashes, dots or parentheses ("+14155552671", "+1 (555) 000-0000").
// The legacy isMobilePhone('any') refused the frontend's own placeholder format; accepting it is a
// deliberate change. The value is stored as given (trimmed).
func ValidPhone(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 32 {
		return false
	}
	s = strings.TrimPrefix(s, "+")
	digits := 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}

// ParseTime reads the date forms clients send: RFC 3339 with or without fraction ("2030-01-01T10:00:00Z",
// "...+02:00"), a datetime-local value without zone ("2030-01-01T10:00" or with seconds, taken as UTC),
// or a date ("2030-01-01", midnight UTC; the legacy accepted it in validation and then failed in Prisma).
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 40 {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1 || t.Year() > 9999 {
				return time.Time{}, false
			}
			return Millis(t), true
		}
	}
	return time.Time{}, false
}

// Pagination normalises page and limit: page >= 1, 1 <= limit <= MaxLimit.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// PageQuery is a validated page request; Page is 1-based.
type PageQuery struct {
	Page  int
	Limit int
}

func (q PageQuery) store() Page {
	return Page{Limit: q.Limit, Offset: (q.Page - 1) * q.Limit}
}

// Paged is one page of a list and what the legacy pagination object says about it.
type Paged[T any] struct {
	Items      []T
	Page       int
	Limit      int
	Total      int
	TotalPages int
}

func paged[T any](items []T, total int, q PageQuery) Paged[T] {
	if items == nil {
		items = []T{}
	}
	return Paged[T]{Items: items, Page: q.Page, Limit: q.Limit, Total: total, TotalPages: (total + q.Limit - 1) / q.Limit}
}

func trimmed(p *string) (string, bool) {
	if p == nil {
		return "", false
	}
	return strings.TrimSpace(*p), true
}
