package config

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// File is the YAML document as written. Parse turns it into a Config, checking everything.
type File struct {
	Service     string                 `yaml:"service"`
	Listen      string                 `yaml:"listen"`
	AdminListen string                 `yaml:"admin_listen"`
	TrustProxy  string                 `yaml:"trust_proxy"`
	Backends    map[string]BackendFile `yaml:"backends"`
	Paths       PathsFile              `yaml:"paths"`
	Default     string                 `yaml:"default"`
	SplitClaims []string               `yaml:"split_claims"`
	Routes      []RouteFile            `yaml:"routes"`
	Shadow      ShadowFile             `yaml:"shadow"`
	Hold        HoldFile               `yaml:"hold"`
	Envelopes   []EnvelopeFile         `yaml:"envelopes"`
	Ignore      []NoteFile             `yaml:"ignore"`
	Explain     []NoteFile             `yaml:"explain"`
	Redact      RedactFile             `yaml:"redact"`
	DiffLog     DiffLogFile            `yaml:"difflog"`
}

// BackendFile is one side.
type BackendFile struct {
	URLs   []string `yaml:"urls"`
	Health string   `yaml:"health"`
	// Eject is how long an instance that refused a connection is left out of the rotation.
	Eject string `yaml:"eject"`
}

// PathsFile are the path semantics of the service behind the router.
type PathsFile struct {
	CaseInsensitive bool `yaml:"case_insensitive"`
	TrailingSlash   bool `yaml:"trailing_slash"`
}

// RouteFile is one rule, written either as a string `PATTERN -> TARGET` or as a mapping.
type RouteFile struct {
	Match          string `yaml:"match"`
	To             string `yaml:"to"`
	Name           string `yaml:"name"`
	SideEffectFree bool   `yaml:"side_effect_free"`
	RetryAfter     string `yaml:"retry_after"`
	Note           string `yaml:"note"`
	// Claim limits the rule to requests whose bearer token carries this claim (see Rule.Claim).
	Claim string `yaml:"claim"`
}

var routeKeys = map[string]bool{"match": true, "to": true, "name": true, "side_effect_free": true, "retry_after": true, "note": true, "claim": true}

// UnmarshalYAML accepts both spellings of a rule.
func (r *RouteFile) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		m, t, err := SplitRule(n.Value)
		if err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		r.Match, r.To = m, t
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a route is `PATTERN -> TARGET` or a mapping with match and to", n.Line)
	}
	// Node.Decode does not refuse unknown keys; a misspelt `side_effect_fre` must not pass silently.
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; !routeKeys[k] {
			return fmt.Errorf("line %d: unknown route setting %q", n.Content[i].Line, k)
		}
	}
	type plain RouteFile
	return n.Decode((*plain)(r))
}

// SplitRule splits `GET /api/auth/me -> shadow legacy` into pattern and target.
func SplitRule(s string) (pattern, target string, err error) {
	p, t, ok := strings.Cut(s, "->")
	if !ok {
		return "", "", fmt.Errorf("route %q: want `PATTERN -> TARGET`", s)
	}
	return strings.TrimSpace(p), strings.TrimSpace(t), nil
}

// ShadowFile configures copying and comparing.
type ShadowFile struct {
	Queue       int      `yaml:"queue"`
	Workers     int      `yaml:"workers"`
	Timeout     string   `yaml:"timeout"`
	MaxBody     string   `yaml:"max_body"`
	MaxQueued   string   `yaml:"max_queued_bytes"`
	SafeMethods []string `yaml:"safe_methods"`
	LearnNoise  *bool    `yaml:"learn_noise"`
}

// HoldFile configures hold answers.
type HoldFile struct {
	RetryAfter string `yaml:"retry_after"`
}

// EnvelopeFile is the error body the service itself sends for a 503, for the paths Match covers.
type EnvelopeFile struct {
	Match       string `yaml:"match"`
	ContentType string `yaml:"content_type"`
	Body        string `yaml:"body"`
}

// NoteFile is an ignore or explain entry.
type NoteFile struct {
	Route  string `yaml:"route"`
	Path   string `yaml:"path"`
	Reason string `yaml:"reason"`
	// NewStatus limits the note to comparisons where the new side answered one of these statuses.
	NewStatus []int `yaml:"new_status"`
}

// RedactFile adds names to the built-in redaction list.
type RedactFile struct {
	Headers []string `yaml:"headers"`
	Keys    []string `yaml:"keys"`
}

// DiffLogFile configures the diff log.
type DiffLogFile struct {
	Path       string `yaml:"path"`
	MaxBytes   string `yaml:"max_bytes"`
	Keep       *int   `yaml:"keep"`
	StatsEvery string `yaml:"stats_every"`
}
