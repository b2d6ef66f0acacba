package api

import (
	"encoding/json"
	"net/url"
	"testing"
)

func TestJSParseInt(t *testing.T) {
	for in, want := range map[string]int{"12": 12, " 7": 7, "12abc": 12, "-3": -3, "+4": 4, "007": 7} {
		if got, ok := jsParseInt(in); !ok || got != want {
			t.Errorf("jsParseInt(%q) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "abc", "-", " ", "NaN"} {
		if _, ok := jsParseInt(in); ok {
			t.Errorf("jsParseInt(%q) ok", in)
		}
	}
}

// FuzzPageQuery: whatever the query, page and limit come out in range or the answer is a validation error.
func FuzzPageQuery(f *testing.F) {
	for _, s := range []string{"page=1&limit=20", "page=-1", "limit=99999999999999999999", "page=1e9", "page_size=0", "page=%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		pq, err := pageQuery(q)
		if err != nil {
			return
		}
		if pq.Page < 1 || pq.Page > 1_000_000 || pq.Limit < 1 || pq.Limit > 100 {
			t.Fatalf("%q -> %+v", raw, pq)
		}
	})
}

// FuzzPlainString: when plainString reads a value, json.Unmarshal reads the same string from it.
func FuzzPlainString(f *testing.F) {
	for _, s := range []string{`"Load Lead 1"`, `"a\"b"`, `"\u00e9"`, `"Zoë"`, "\"\xff\"", `""`, `"`, `12`, `null`, "\"tab\t\"", `"a\\b"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := plainString(raw)
		if !ok {
			return
		}
		var want string
		if err := json.Unmarshal(raw, &want); err != nil || got != want {
			t.Fatalf("%q: plainString %q, json.Unmarshal %q (%v)", raw, got, want, err)
		}
	})
}
