package config

import (
	"maps"
	"strings"
	"testing"
)

// dotenvOracle is one file and what npm dotenv 16.6.1 (the version the legacy Cohortly server
// installs) returned for it: `node -e "console.log(JSON.stringify(require('dotenv').parse(src)))"`.
// A team's .env must mean the same to the Go server as to the Node one it replaces. (The one line
// dotenv skipped silently, `NOVALUE`, is left out: ours refuses it, see TestDotEnvRefusesStrayText.)
var dotenvOracle = struct {
	src  string
	want map[string]string
}{
	src: strings.Join([]string{
		"# comment", "PLAIN=value", "export EXPORTED=yes", "SPACED = spaced value  ", "HASH=abc#123", "SPACEHASH=abc #123",
		"SQ='single # kept'", `DQ="double # kept"`, `DQCOMMENT="quoted" # trailing comment`, `ESC="line1\nline2"`,
		`SQESC='line1\nline2'`, "DOLLAR=pa$$word$HOME", `DQDOLLAR="${HOME}x"`, "EMPTY=", "COLON: colon value",
		"BACKTICK=`back tick`", `MULTI="first`, `second"`, "URL=postgres://u:p@h:5432/db?sslmode=disable", "EQ=a=b=c",
		`INNERQ=say "hi"`, "DUP=1", "DUP=2", "CRLF=crlf\r", "dotted.key-name=ok",
	}, "\n"),
	want: map[string]string{"PLAIN": "value", "EXPORTED": "yes", "SPACED": "spaced value", "HASH": "abc", "SPACEHASH": "abc",
		"SQ": "single # kept", "DQ": "double # kept", "DQCOMMENT": "quoted", "ESC": "line1\nline2", "SQESC": `line1\nline2`,
		"DOLLAR": "pa$$word$HOME", "DQDOLLAR": "${HOME}x", "EMPTY": "", "COLON": "colon value", "BACKTICK": "back tick",
		"MULTI": "first\nsecond", "URL": "postgres://u:p@h:5432/db?sslmode=disable", "EQ": "a=b=c", "INNERQ": `say "hi"`,
		"DUP": "2", "CRLF": "crlf", "dotted.key-name": "ok"},
}

func TestDotEnvMeansWhatNodeDotenvRead(t *testing.T) {
	got, err := ParseDotEnv([]byte(dotenvOracle.src))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range dotenvOracle.want {
		if got[k] != want {
			t.Errorf("%s = %q, dotenv read %q", k, got[k], want)
		}
	}
	for k := range got {
		if _, ok := dotenvOracle.want[k]; !ok {
			t.Errorf("%s = %q, dotenv read no such key", k, got[k])
		}
	}
	crlf, err := ParseDotEnv([]byte(strings.ReplaceAll(dotenvOracle.src, "\n", "\r\n")))
	if err != nil || !maps.Equal(crlf, got) {
		t.Errorf("CRLF line ends changed the result (%v)", err)
	}
}

func TestDotEnvRefusesStrayText(t *testing.T) {
	for _, src := range []string{"NOVALUE", "A=1\njust words\n", "A=1\n=x\n"} {
		if _, err := ParseDotEnv([]byte(src)); err == nil {
			t.Errorf("%q: parsed, want an error", src)
		}
	}
	if _, err := ParseDotEnv([]byte(strings.Repeat("#", MaxDotEnvSize+1))); err == nil {
		t.Error("a file over the size limit was parsed")
	}
}

// FuzzParseDotEnv: any input parses or is refused, never panics; a parsed file's keys are names, and
// writing its values back double-quoted (newlines escaped) reads the same values again.
func FuzzParseDotEnv(f *testing.F) {
	f.Add([]byte(dotenvOracle.src))
	f.Add([]byte("A='x\ny'\nB=`z`#c\n"))
	f.Add([]byte("export  K : v\r\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		vals, err := ParseDotEnv(src)
		if err != nil {
			return
		}
		var b strings.Builder
		for k, v := range vals {
			if k == "" || strings.ContainsAny(k, " =#\n") {
				t.Fatalf("key %q", k)
			}
			if strings.ContainsAny(v, "\"\r") || strings.Contains(v, `\n`) || strings.Contains(v, `\r`) {
				continue // not representable double-quoted without escapes dotenv lacks
			}
			b.WriteString(k + `="` + strings.ReplaceAll(v, "\n", `\n`) + "\"\n")
		}
		again, err := ParseDotEnv([]byte(b.String()))
		if err != nil {
			t.Fatalf("re-parse of %q: %v", b.String(), err)
		}
		for k, v := range again {
			if vals[k] != v {
				t.Fatalf("%s: %q, then %q", k, vals[k], v)
			}
		}
	})
}
