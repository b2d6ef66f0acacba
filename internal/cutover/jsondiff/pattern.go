package jsondiff

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

type segKind int

const (
	segKey      segKind = iota + 1 // .name or ["name"]
	segIndex                       // [3]
	segAnyIndex                    // [*]: any one key or index
	segAnyKey                      // .*: any one key or index
	segDescend                     // ..: any number of segments (zero or more)
)

type seg struct {
	kind segKind
	key  string
	idx  int
}

func (s seg) String() string {
	switch s.kind {
	case segKey:
		return Key(s.key)
	case segIndex:
		return "[" + strconv.Itoa(s.idx) + "]"
	case segAnyIndex:
		return "[*]"
	case segAnyKey:
		return ".*"
	case segDescend:
		return "."
	}
	return ""
}

// split parses a path or a pattern after its leading `$`.
func split(p string) ([]seg, error) {
	if !strings.HasPrefix(p, "$") {
		return nil, fmt.Errorf("path %q must start with $", p)
	}
	var out []seg
	s := p[1:]
	for s != "" {
		switch s[0] {
		case '.':
			if strings.HasPrefix(s, "..") {
				out = append(out, seg{kind: segDescend})
				s = s[1:] // the second dot starts the next segment
				if len(s) == 1 || s[1] == '.' || s[1] == '[' {
					return nil, fmt.Errorf("path %q: `..` must be followed by a key", p)
				}
				continue
			}
			s = s[1:]
			if strings.HasPrefix(s, "*") {
				out = append(out, seg{kind: segAnyKey})
				s = s[1:]
				continue
			}
			i := 0
			for i < len(s) && s[i] != '.' && s[i] != '[' {
				i++
			}
			if i == 0 {
				return nil, fmt.Errorf("path %q: empty key", p)
			}
			out = append(out, seg{kind: segKey, key: s[:i]})
			s = s[i:]
		case '[':
			switch {
			case strings.HasPrefix(s, "[*]"):
				out = append(out, seg{kind: segAnyIndex})
				s = s[3:]
			case strings.HasPrefix(s, `["`):
				// A JSON string, then ].
				end := 2
				for end < len(s) && s[end] != '"' {
					if s[end] == '\\' {
						end++
					}
					end++
				}
				if end >= len(s) || end+1 >= len(s) || s[end+1] != ']' {
					return nil, fmt.Errorf("path %q: unterminated [\"key\"]", p)
				}
				var k string
				if err := json.Unmarshal([]byte(s[1:end+1]), &k); err != nil {
					return nil, fmt.Errorf("path %q: %w", p, err)
				}
				out = append(out, seg{kind: segKey, key: k})
				s = s[end+2:]
			default:
				end := strings.IndexByte(s, ']')
				if end < 0 {
					return nil, fmt.Errorf("path %q: unterminated [", p)
				}
				n, err := strconv.Atoi(s[1:end])
				if err != nil || n < 0 || strconv.Itoa(n) != s[1:end] {
					return nil, fmt.Errorf("path %q: [%s] is not an index, [*] or [\"key\"]", p, s[1:end])
				}
				out = append(out, seg{kind: segIndex, idx: n})
				s = s[end+1:]
			}
		default:
			return nil, fmt.Errorf("path %q: unexpected %q", p, s[:1])
		}
	}
	return out, nil
}

// Pattern matches diff paths. Besides JSON paths (`$.token`, `$.data[*].createdAt`, `$..timestamp`
// for a key at any depth, `$.data.*` for any one key or index), the pseudo-paths of a comparison,
// `status`, `content-type` and `body` (a body that is not JSON), are matched as they are.
type Pattern struct {
	src  string
	segs []seg
}

var errEmpty = errors.New("empty path pattern")

// ParsePattern reads a pattern.
func ParsePattern(s string) (Pattern, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "":
		return Pattern{}, errEmpty
	case PathStatus, PathContentType, PathBody:
		return Pattern{src: s}, nil
	}
	segs, err := split(s)
	if err != nil {
		return Pattern{}, err
	}
	return Pattern{src: s, segs: segs}, nil
}

// Pseudo-paths of a comparison that are not inside a JSON body.
const (
	PathStatus      = "status"
	PathContentType = "content-type"
	PathBody        = "body"
)

// String is the pattern as written.
func (p Pattern) String() string { return p.src }

// Match reports whether path (as written by Compare, indices concrete or generalized) matches.
func (p Pattern) Match(path string) bool {
	if p.segs == nil || !strings.HasPrefix(path, "$") {
		return p.src == path
	}
	segs, err := split(path)
	if err != nil {
		return false
	}
	return matchSegs(p.segs, segs)
}

func matchSegs(pat, path []seg) bool {
	for len(pat) > 0 {
		s := pat[0]
		if s.kind == segDescend {
			for i := 0; i <= len(path); i++ {
				if matchSegs(pat[1:], path[i:]) {
					return true
				}
			}
			return false
		}
		if len(path) == 0 || !segMatch(s, path[0]) {
			return false
		}
		pat, path = pat[1:], path[1:]
	}
	return len(path) == 0
}

func segMatch(p, s seg) bool {
	switch p.kind {
	case segAnyIndex, segAnyKey:
		return true
	case segKey:
		return s.kind == segKey && s.key == p.key
	case segIndex:
		return s.kind == segIndex && s.idx == p.idx
	}
	return false
}

// Keys returns the object keys along a path (`$.data[2].accessToken` -> data, accessToken), for
// redaction by key.
func Keys(path string) []string {
	segs, err := split(path)
	if err != nil {
		return nil
	}
	var out []string
	for _, s := range segs {
		if s.kind == segKey {
			out = append(out, s.key)
		}
	}
	return out
}
