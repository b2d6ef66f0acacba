package config

import (
	"fmt"
	"regexp"
	"strings"
)

// dotenvLine is the line grammar of npm dotenv 16 (lib/main.js), which the legacy Node servers read
// their .env files with: an optional `export`, `KEY=value` or `KEY: value`, a single-, double- or
// backtick-quoted value (which may span lines), or an unquoted value that ends at the first `#`.
// Go's regexp picks the same leftmost-first alternatives as JavaScript's for this pattern.
var dotenvLine = regexp.MustCompile("(?m)(?:^|^)\\s*(?:export\\s+)?([\\w.-]+)(?:\\s*=\\s*?|:\\s+?)(\\s*'(?:\\\\'|[^'])*'|\\s*\"(?:\\\\\"|[^\"])*\"|\\s*`(?:\\\\`|[^`])*`|[^#\\r\\n]+)?\\s*(?:#.*)?(?:$|$)")

// MaxDotEnvSize bounds the file ParseDotEnv accepts: a .env is a few hundred bytes, so anything near
// this is the wrong file.
const MaxDotEnvSize = 1 << 20

// ParseDotEnv reads a .env file the way the Node servers' dotenv did, so one file serves both during a
// cut-over: blank lines and `#` comments are skipped; values are trimmed; quotes are removed (inside
// double quotes `\n` and `\r` become a newline and a carriage return); an unquoted value ends at the
// first `#`, so `abc#123` is `abc` (quote such a value); a later key wins. Nothing is expanded: `$` is
// literal, as in dotenv without dotenv-expand. Unlike dotenv, text that is neither an assignment nor a
// comment is an error naming its line, instead of being skipped silently.
func ParseDotEnv(src []byte) (map[string]string, error) {
	if len(src) > MaxDotEnvSize {
		return nil, fmt.Errorf("%d bytes: larger than %d, not a .env file", len(src), MaxDotEnvSize)
	}
	text := strings.ReplaceAll(strings.ReplaceAll(string(src), "\r\n", "\n"), "\r", "\n")
	out := map[string]string{}
	prev := 0
	for _, m := range dotenvLine.FindAllStringSubmatchIndex(text, -1) {
		if err := onlyComments(text, prev, m[0]); err != nil {
			return nil, err
		}
		prev = m[1]
		value := ""
		if m[4] >= 0 {
			value = strings.TrimSpace(text[m[4]:m[5]])
		}
		if len(value) >= 2 && strings.ContainsRune("'\"`", rune(value[0])) && value[len(value)-1] == value[0] {
			quote := value[0]
			value = value[1 : len(value)-1]
			if quote == '"' {
				value = strings.NewReplacer(`\n`, "\n", `\r`, "\r").Replace(value)
			}
		}
		out[text[m[2]:m[3]]] = value
	}
	if err := onlyComments(text, prev, len(text)); err != nil {
		return nil, err
	}
	return out, nil
}

// onlyComments checks that text[from:to], the text between two assignments, holds only blank lines
// and comments.
func onlyComments(text string, from, to int) error {
	for i, line := range strings.Split(text[from:to], "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			n := strings.Count(text[:from], "\n") + i + 1
			return fmt.Errorf("line %d: expected KEY=VALUE or a # comment, found %q", n, truncate(line, 40))
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
