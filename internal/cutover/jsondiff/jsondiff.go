// Package jsondiff compares two JSON documents by structure: object key order is ignored, numbers are
// compared by value (1, 1.0 and 1e0 are equal), and the result is the list of paths where the two
// differ, with the value on each side. Paths are written `$.data.items[3].name` (keys that are not
// identifiers as `$["a key"]`); Pattern matches them with `*`, `[*]` and `..` wildcards.
package jsondiff

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// Diff is one path where the documents differ. A side where the path does not exist has Has* false.
type Diff struct {
	Path       string
	A, B       any // decoded values (json.Number for numbers)
	HasA, HasB bool
}

// MaxDiffs bounds the diffs one comparison reports: two unrelated documents would otherwise produce
// one per leaf.
const MaxDiffs = 200

// Decode reads one JSON document with numbers kept exactly (json.Number).
func Decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON value")
	}
	return v, nil
}

// Compare decodes a and b and returns their differences, sorted by path.
func Compare(a, b []byte) ([]Diff, error) {
	va, err := Decode(a)
	if err != nil {
		return nil, fmt.Errorf("first document: %w", err)
	}
	vb, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("second document: %w", err)
	}
	return Values(va, vb), nil
}

// Values returns the differences of two decoded documents, sorted by path.
func Values(a, b any) []Diff {
	var out []Diff
	walk("$", a, b, &out)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func walk(path string, a, b any, out *[]Diff) {
	if len(*out) >= MaxDiffs {
		return
	}
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			break
		}
		keys := make([]string, 0, len(x)+len(y))
		for k := range x {
			keys = append(keys, k)
		}
		for k := range y {
			if _, dup := x[k]; !dup {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			va, okA := x[k]
			vb, okB := y[k]
			p := path + Key(k)
			if okA && okB {
				walk(p, va, vb, out)
			} else if len(*out) < MaxDiffs {
				*out = append(*out, Diff{Path: p, A: va, B: vb, HasA: okA, HasB: okB})
			}
		}
		return
	case []any:
		y, ok := b.([]any)
		if !ok {
			break
		}
		for i := 0; i < max(len(x), len(y)); i++ {
			p := path + "[" + strconv.Itoa(i) + "]"
			switch {
			case i < len(x) && i < len(y):
				walk(p, x[i], y[i], out)
			case i < len(x):
				*out = append(*out, Diff{Path: p, A: x[i], HasA: true})
			default:
				*out = append(*out, Diff{Path: p, B: y[i], HasB: true})
			}
			if len(*out) >= MaxDiffs {
				return
			}
		}
		return
	default:
		if scalarEqual(a, b) {
			return
		}
	}
	*out = append(*out, Diff{Path: path, A: a, B: b, HasA: true, HasB: true})
}

func scalarEqual(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		return ok && NumbersEqual(x, y)
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	}
	return false
}

// NumbersEqual compares two JSON numbers by value, exactly (big.Float with enough precision for any
// 64-bit integer and the usual decimals; huge exponents do not allocate).
func NumbersEqual(a, b json.Number) bool {
	if a == b {
		return true
	}
	fa, _, errA := big.ParseFloat(string(a), 10, 256, big.ToNearestEven)
	fb, _, errB := big.ParseFloat(string(b), 10, 256, big.ToNearestEven)
	if errA != nil || errB != nil {
		return false
	}
	return fa.Cmp(fb) == 0
}

// Key is the path segment of object key k: `.k` for identifiers, `["k"]` otherwise.
func Key(k string) string {
	if isIdent(k) {
		return "." + k
	}
	q, _ := json.Marshal(k)
	return "[" + string(q) + "]"
}

func isIdent(k string) bool {
	if k == "" {
		return false
	}
	for i, c := range k {
		if c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return false
	}
	return true
}

// Generalize replaces array indices with [*], so that the same field of every list element counts as
// one path (for metrics, learned noise and the report).
func Generalize(path string) string {
	if !strings.Contains(path, "[") {
		return path
	}
	segs, err := split(path)
	if err != nil {
		return path
	}
	var b strings.Builder
	b.WriteString("$")
	for _, s := range segs {
		if s.kind == segIndex {
			s = seg{kind: segAnyIndex}
		}
		b.WriteString(s.String())
	}
	return b.String()
}
