// Package route owns the cut-over router's rule language: a request pattern in net/http ServeMux syntax
// (`GET /api/leads/{id}`, `/api/`, `POST,PUT /api/checklist/`) and a target (`legacy`, `new`,
// `shadow legacy`, `split 10%`, `hold`). Rules are tried in order and the first match wins, unlike a
// ServeMux, which picks the most specific pattern: a team promotes a route by moving one line above a
// broader one, and reads the table top to bottom the way the router does.
//
// Each pattern is matched by a real http.ServeMux holding that pattern alone, so wildcards, `{x...}`,
// `{$}`, subtree patterns and "GET also matches HEAD" mean exactly what they mean in net/http.
package route

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// Side is one of the two backends.
type Side string

const (
	Legacy Side = "legacy"
	New    Side = "new"
)

// Other returns the side that is not s.
func (s Side) Other() Side {
	if s == Legacy {
		return New
	}
	return Legacy
}

// ParseSide reads "legacy" or "new".
func ParseSide(s string) (Side, error) {
	switch Side(s) {
	case Legacy, New:
		return Side(s), nil
	}
	return "", fmt.Errorf("unknown side %q (want legacy or new)", s)
}

// Kind is what the router does with a matched request.
type Kind int

const (
	KindServe  Kind = iota + 1 // serve from one side only
	KindShadow                 // serve from Side, copy safe requests to the other side and compare
	KindSplit                  // send a stable share of callers to Side, the rest to the other side
	KindHold                   // answer 503 + Retry-After in the service's envelope; nothing is forwarded
)

// Target is the right-hand side of a rule.
type Target struct {
	Kind Kind
	// Side serves (KindServe), is the primary (KindShadow), or receives the split share (KindSplit).
	Side Side
	// Share is the split share of Side in basis points (0..10000): "split 12.5%" is 1250.
	Share int
}

// ParseTarget reads `legacy`, `new`, `shadow legacy`, `shadow new`, `split N%` (N% to new, the rest to
// legacy), `split N% legacy` (N% to legacy) or `hold`. N may have up to two decimals.
func ParseTarget(s string) (Target, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return Target{}, errors.New("empty target")
	}
	switch f[0] {
	case "legacy", "new":
		if len(f) != 1 {
			return Target{}, fmt.Errorf("target %q: %s takes nothing after it", s, f[0])
		}
		return Target{Kind: KindServe, Side: Side(f[0])}, nil
	case "hold":
		if len(f) != 1 {
			return Target{}, fmt.Errorf("target %q: hold takes nothing after it (its envelope and Retry-After are settings of the rule)", s)
		}
		return Target{Kind: KindHold}, nil
	case "shadow":
		if len(f) != 2 {
			return Target{}, fmt.Errorf("target %q: want `shadow legacy` or `shadow new` (the side that answers the client)", s)
		}
		side, err := ParseSide(f[1])
		if err != nil {
			return Target{}, fmt.Errorf("target %q: %w", s, err)
		}
		return Target{Kind: KindShadow, Side: side}, nil
	case "split":
		if len(f) < 2 || len(f) > 3 {
			return Target{}, fmt.Errorf("target %q: want `split N%%` or `split N%% legacy`", s)
		}
		share, err := parsePercent(f[1])
		if err != nil {
			return Target{}, fmt.Errorf("target %q: %w", s, err)
		}
		side := New
		if len(f) == 3 {
			if side, err = ParseSide(f[2]); err != nil {
				return Target{}, fmt.Errorf("target %q: %w", s, err)
			}
		}
		return Target{Kind: KindSplit, Side: side, Share: share}, nil
	}
	return Target{}, fmt.Errorf("unknown target %q (want legacy, new, shadow legacy, shadow new, split N%%, hold)", s)
}

// parsePercent reads "12.5%" into basis points.
func parsePercent(s string) (int, error) {
	num, ok := strings.CutSuffix(s, "%")
	if !ok {
		return 0, fmt.Errorf("split share %q must end in %%", s)
	}
	whole, frac, _ := strings.Cut(num, ".")
	if whole == "" || len(frac) > 2 || strings.Trim(whole+frac, "0123456789") != "" || len(whole) > 3 {
		return 0, fmt.Errorf("split share %q: want a percentage from 0%% to 100%% with at most two decimals", s)
	}
	w, _ := strconv.Atoi(whole)
	f := 0
	if frac != "" {
		f, _ = strconv.Atoi(frac + strings.Repeat("0", 2-len(frac)))
	}
	bp := w*100 + f
	if bp > 10000 {
		return 0, fmt.Errorf("split share %q is over 100%%", s)
	}
	return bp, nil
}

// String is the canonical form, which ParseTarget reads back.
func (t Target) String() string {
	switch t.Kind {
	case KindServe:
		return string(t.Side)
	case KindShadow:
		return "shadow " + string(t.Side)
	case KindSplit:
		s := "split " + strconv.Itoa(t.Share/100)
		if r := t.Share % 100; r != 0 {
			s += "." + strings.TrimRight(fmt.Sprintf("%02d", r), "0")
		}
		s += "%"
		if t.Side == Legacy {
			s += " legacy"
		}
		return s
	case KindHold:
		return "hold"
	}
	return "invalid"
}

// Options are the path semantics of the service behind the router, so that a rule matches every
// spelling the service itself would answer: Express matched paths case-insensitively (Momentum) and
// with or without a trailing slash (both). Without them `/API/auth/me` would slip past a `hold` rule.
type Options struct {
	CaseInsensitive bool
	TrailingSlash   bool
}

// Pattern matches requests against one rule's `METHODS /path` spec.
type Pattern struct {
	spec    string // canonical
	methods []string
	path    string
	mux     *http.ServeMux
	literal string // the path up to the first wildcard: a cheap pre-check before the ServeMux
	opts    Options
}

type ruleHandler struct{}

func (ruleHandler) ServeHTTP(http.ResponseWriter, *http.Request) {}

// CompilePattern reads a spec: an optional comma-separated method list (`GET`, `POST,PUT`, `ANY` or `*`
// for any method, the same as none) and a path pattern in ServeMux syntax starting with `/` (host
// patterns are not supported: the router fronts one service).
func CompilePattern(spec string, opts Options) (p *Pattern, err error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, errors.New("empty pattern")
	}
	meth, pth, found := strings.Cut(spec, " ")
	if !found {
		meth, pth = "", spec
	}
	pth = strings.TrimLeft(pth, " ")
	if strings.ContainsAny(pth, " \t\r\n") {
		return nil, fmt.Errorf("pattern %q: spaces in the path (want `METHOD /path`)", spec)
	}
	if !strings.HasPrefix(pth, "/") {
		return nil, fmt.Errorf("pattern %q: the path must start with / (host patterns are not supported)", spec)
	}
	if opts.CaseInsensitive {
		pth = lowerLiterals(pth)
	}
	var methods []string
	if meth != "" && meth != "ANY" && meth != "*" {
		seen := map[string]bool{}
		for _, m := range strings.Split(meth, ",") {
			if m == "" || strings.Trim(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
				return nil, fmt.Errorf("pattern %q: method %q must be an upper-case word (GET, POST, ...)", spec, m)
			}
			if seen[m] {
				return nil, fmt.Errorf("pattern %q: method %s is listed twice", spec, m)
			}
			seen[m] = true
			methods = append(methods, m)
		}
	}
	p = &Pattern{methods: methods, path: pth, mux: http.NewServeMux(), opts: opts}
	lit := pth
	if i := strings.IndexByte(pth, '{'); i >= 0 {
		lit = pth[:i]
	}
	if p.literal, err = url.PathUnescape(lit); err != nil {
		return nil, fmt.Errorf("pattern %q: %w", spec, err)
	}
	defer func() {
		// ServeMux reports a bad pattern by panicking; here it is a configuration error.
		if v := recover(); v != nil {
			p, err = nil, fmt.Errorf("pattern %q: %v", spec, v)
		}
	}()
	if len(methods) == 0 {
		p.mux.Handle(pth, ruleHandler{})
	}
	for _, m := range methods {
		p.mux.Handle(m+" "+pth, ruleHandler{})
	}
	p.spec = pth
	if len(methods) > 0 {
		p.spec = strings.Join(methods, ",") + " " + pth
	}
	return p, nil
}

// lowerLiterals lower-cases a path pattern outside its {wildcards}.
func lowerLiterals(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '{':
			depth++
		case r == '}':
			depth--
		case depth == 0:
			r = toLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func toLower(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// String is the canonical spec.
func (p *Pattern) String() string { return p.spec }

// Methods are the methods the pattern names (none: any).
func (p *Pattern) Methods() []string { return p.methods }

// Request is a request reduced to what matching needs; build it once per request with NewRequest and
// test it against every pattern.
type Request struct {
	method string
	// The cleaned path, and its other spelling (with or without the trailing slash) when
	// Options.TrailingSlash: escaped and decoded.
	esc, dec [2]string
	n        int
	bad      bool // not a valid escaping: matches nothing
	probe    http.Request
	url      url.URL
}

// NewRequest prepares method and the request's escaped path for matching under opts.
func NewRequest(method, escapedPath string, opts Options) *Request {
	q := &Request{method: method}
	p := cleanPath(escapedPath)
	if opts.CaseInsensitive {
		p = foldEscaped(p)
	}
	// With TrailingSlash `/x` and `/x/` are one path: try the other spelling too, so that both
	// `/api/auth/me` and the subtree `/api/leads/` match with and without the slash.
	q.esc[0], q.n = p, 1
	if opts.TrailingSlash && len(p) > 1 {
		if strings.HasSuffix(p, "/") {
			q.esc[1] = strings.TrimSuffix(p, "/")
		} else {
			q.esc[1] = p + "/"
		}
		q.n = 2
	}
	for i := 0; i < q.n; i++ {
		d, err := url.PathUnescape(q.esc[i])
		if err != nil {
			q.bad = true
		}
		q.dec[i] = d
	}
	q.probe.Method = method
	q.probe.URL = &q.url
	return q
}

// Match reports whether the request matches the pattern.
func (p *Pattern) Match(q *Request) bool {
	if q.bad || len(p.methods) > 0 && !methodIn(q.method, p.methods) {
		return false
	}
	for i := 0; i < q.n; i++ {
		// ServeMux compares decoded segments, so the decoded path must start with the literal part.
		if !strings.HasPrefix(q.dec[i], p.literal) {
			continue
		}
		q.url.Path, q.url.RawPath = q.dec[i], ""
		if q.dec[i] != q.esc[i] {
			q.url.RawPath = q.esc[i]
		}
		if h, _ := p.mux.Handler(&q.probe); h == (ruleHandler{}) {
			return true
		}
	}
	return false
}

// foldEscaped lower-cases an escaped path the way a case-insensitive service reads it: letters, and
// escapes of unreserved characters (`%41` is `A`, so `a`), which are decoded so that the decoded and
// escaped forms agree; other escapes (`%2F` inside a segment) stay as they are.
func foldEscaped(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && ishex(s[i+1]) && ishex(s[i+2]) {
			d := unhex(s[i+1])<<4 | unhex(s[i+2])
			if unreserved(d) {
				b.WriteByte(byte(toLower(rune(d))))
			} else {
				b.WriteByte('%')
				b.WriteByte(upperHex(s[i+1]))
				b.WriteByte(upperHex(s[i+2]))
			}
			i += 2
			continue
		}
		b.WriteByte(byte(toLower(rune(c))))
	}
	return b.String()
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func upperHex(c byte) byte {
	if 'a' <= c && c <= 'f' {
		return c - 'a' + 'A'
	}
	return c
}

func unreserved(c byte) bool {
	// Not '.': a decoded %2E%2E would become a `..` segment the service never cleaned.
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '~'
}

func methodIn(m string, ms []string) bool {
	for _, x := range ms {
		if x == m || x == http.MethodGet && m == http.MethodHead {
			return true
		}
	}
	return false
}

// cleanPath is net/http's: path.Clean keeping a trailing slash, so a rule sees the path a ServeMux
// would route (`/api//x/../me` is `/api/me`).
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := path.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		np += "/"
	}
	return np
}
