package tracing

import (
	"strings"
	"unicode"
)

// SQLOperation is the operation of a SQL statement, its first word in upper case ("SELECT",
// "INSERT", "WITH"), after any leading comments: the low-cardinality name of a database span, the
// rule otelpgx follows for PostgreSQL, so both engines' spans read alike. "UNKNOWN" when there is no
// word.
func SQLOperation(stmt string) string {
	for {
		stmt = strings.TrimLeftFunc(stmt, unicode.IsSpace)
		switch {
		case strings.HasPrefix(stmt, "--"):
			_, rest, ok := strings.Cut(stmt, "\n")
			if !ok {
				return "UNKNOWN"
			}
			stmt = rest
		case strings.HasPrefix(stmt, "/*"):
			_, rest, ok := strings.Cut(stmt[2:], "*/")
			if !ok {
				return "UNKNOWN"
			}
			stmt = rest
		default:
			end := strings.IndexFunc(stmt, func(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == ';' })
			if end < 0 {
				end = len(stmt)
			}
			if end == 0 {
				return "UNKNOWN"
			}
			return strings.ToUpper(stmt[:end])
		}
	}
}
