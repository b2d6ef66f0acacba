package httpx

import (
	"net/url"
	"strings"
)

// SetEscapedPath replaces u's path with escaped, an escaped (wire) form, keeping Path and RawPath in
// agreement. Path rewrites must start from u.EscapedPath() and end here: rebuilding from the decoded
// u.Path turns an encoded "/" (%2F) inside a path parameter into a separator, and ServeMux then cleans
// the "..", and redirects to another route. It reports false, leaving u alone, when escaped is not a
// valid escaping.
func SetEscapedPath(u *url.URL, escaped string) bool {
	p, err := url.PathUnescape(escaped)
	if err != nil {
		return false
	}
	u.Path = p
	u.RawPath = escaped
	return true
}

// Literals is the set of static segments of a service's route patterns ("leads" and "follow-ups"
// of "/api/v1/leads/follow-ups", none of "{id}"), for FoldLiterals.
type Literals map[string]bool

// NewLiterals collects the static segments of patterns (ServeMux paths, without the method).
func NewLiterals(patterns ...string) Literals {
	l := Literals{}
	for _, p := range patterns {
		for _, seg := range strings.Split(p, "/") {
			if seg != "" && !strings.HasPrefix(seg, "{") {
				l[strings.ToLower(seg)] = true
			}
		}
	}
	return l
}

// FoldLiterals lower-cases each segment of the escaped path that is a route literal in another case,
// and keeps every other segment (path parameters) as sent: Express matched routes case-insensitively
// but handed parameters over untouched, so "/API/V1/Leads/AbC" is lead "AbC".
func (l Literals) FoldLiterals(escaped string) string {
	if !hasUpperASCII(escaped) {
		return escaped
	}
	segs := strings.Split(escaped, "/")
	for i, seg := range segs {
		if low := strings.ToLower(seg); low != seg && l[low] {
			segs[i] = low
		}
	}
	return strings.Join(segs, "/")
}

func hasUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}
