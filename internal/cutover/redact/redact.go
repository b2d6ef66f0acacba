// Package redact removes secrets and personal data from what the cut-over router records (diff log
// lines, report samples): credentials in headers, and passwords, tokens, password hashes and phone
// numbers in JSON, found by header name and JSON key (in any case and spelling: `accessToken`,
// `access_token`, `Access-Token`), at any depth, inside arrays too. Values that are credentials
// whatever their key (JWTs, bcrypt hashes) are caught by their shape as a second line of defence.
package redact

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// Mask replaces every redacted value.
const Mask = "[REDACTED]"

// Built-in name fragments: a header or key whose normalized name (lower case, without `-`, `_`, `.`
// and spaces) contains one of them is redacted.
var defaultFragments = []string{
	"password", "passwd", "secret", "token", "authorization", "bearer", "cookie", "apikey",
	"hash", "phone", "mobile", "credential", "session", "otp", "ssn", "creditcard", "cardnumber", "cvv",
	"pgpass", "connectionstring", "dsn",
}

// Built-in exact names (normalized), for short names that are too common as fragments.
var defaultExact = []string{"pwd", "pass", "pin", "jwt", "key", "tel", "sid"}

var (
	jwtShape    = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
	bcryptShape = regexp.MustCompile(`\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}`)
	// The password of a URL with credentials (postgres://user:PASSWORD@host/db), in any free text.
	urlPassword = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@\s/]+@`)
)

// Redactor knows which names are sensitive. The zero value is not usable; use New.
type Redactor struct {
	fragments []string
	exact     map[string]bool
}

// New returns a Redactor with the built-in names plus extra ones (header names or JSON keys, in any
// spelling; each is matched as a fragment of the normalized name).
func New(extra ...string) *Redactor {
	r := &Redactor{exact: map[string]bool{}}
	r.fragments = append(r.fragments, defaultFragments...)
	for _, e := range defaultExact {
		r.exact[e] = true
	}
	for _, e := range extra {
		if n := normalize(e); n != "" {
			r.fragments = append(r.fragments, n)
		}
	}
	return r
}

func normalize(name string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		switch c {
		case '-', '_', '.', ' ', '\t':
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Sensitive reports whether a header name or JSON key names a secret or personal data.
func (r *Redactor) Sensitive(name string) bool {
	n := normalize(name)
	if r.exact[n] {
		return true
	}
	for _, f := range r.fragments {
		if strings.Contains(n, f) {
			return true
		}
	}
	return false
}

// Header returns a copy of h with the values of sensitive headers masked and credential-shaped values
// masked inside the others.
func (r *Redactor) Header(h http.Header) map[string][]string {
	out := make(map[string][]string, len(h))
	for k, vs := range h {
		c := make([]string, len(vs))
		for i, v := range vs {
			if r.Sensitive(k) {
				c[i] = Mask
			} else {
				c[i] = r.String(v)
			}
		}
		out[k] = c
	}
	return out
}

// String masks credential-shaped substrings (JWTs, bcrypt hashes, the password of a URL with
// credentials) of a free-text value.
func (r *Redactor) String(s string) string {
	if strings.Contains(s, "://") {
		s = urlPassword.ReplaceAllString(s, "${1}"+Mask+"@")
	}
	if strings.Contains(s, "eyJ") {
		s = jwtShape.ReplaceAllString(s, Mask)
	}
	if strings.Contains(s, "$2") {
		s = bcryptShape.ReplaceAllString(s, Mask)
	}
	return s
}

// Value returns a copy of a decoded JSON value with sensitive keys masked at any depth.
func (r *Redactor) Value(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if r.Sensitive(k) {
				out[k] = Mask
			} else {
				out[k] = r.Value(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = r.Value(e)
		}
		return out
	case string:
		return r.String(x)
	}
	return v
}

// PathValue masks v entirely when any key on its path is sensitive (the diff of `$.data.accessToken`
// shows no token), else masks what is sensitive inside it.
func (r *Redactor) PathValue(keys []string, v any) any {
	for _, k := range keys {
		if r.Sensitive(k) {
			return Mask
		}
	}
	return r.Value(v)
}

// Query masks the values of sensitive query parameters (`?token=...`) and credential-shaped values.
// The parameters keep their order of appearance as far as url.Values allows (sorted by key).
func (r *Redactor) Query(raw string) string {
	if raw == "" {
		return ""
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return Mask // unreadable: do not echo what it may contain
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for i, v := range q[k] {
			if r.Sensitive(k) {
				q[k][i] = Mask
			} else {
				q[k][i] = r.String(v)
			}
		}
	}
	return q.Encode()
}
