package httpx

import "net/url"

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
