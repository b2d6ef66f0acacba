package jsondiff

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

func paths(ds []Diff) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.Path)
	}
	return out
}

func TestCompare(t *testing.T) {
	cases := []struct {
		name string
		a, b string
		want []string
	}{
		{"key order ignored", `{"a":1,"b":{"c":2,"d":3}}`, `{"b":{"d":3,"c":2},"a":1}`, []string{}},
		{"numbers by value", `{"n":1,"f":0.5,"e":100,"big":12345678901234567890}`, `{"n":1.0,"f":5e-1,"e":1E2,"big":12345678901234567890.0}`, []string{}},
		{"number changed", `{"n":1}`, `{"n":2}`, []string{"$.n"}},
		{"close numbers differ", `{"n":9007199254740993}`, `{"n":9007199254740992}`, []string{"$.n"}},
		{"number vs string", `{"n":1}`, `{"n":"1"}`, []string{"$.n"}},
		{"bool vs number", `{"is_critical":1}`, `{"is_critical":true}`, []string{"$.is_critical"}},
		{"null vs absent", `{"a":null}`, `{}`, []string{"$.a"}},
		{"nested", `{"data":{"user":{"id":1,"email":"a"}}}`, `{"data":{"user":{"id":1,"email":"b"}}}`, []string{"$.data.user.email"}},
		{"array element", `{"items":[{"id":1},{"id":2}]}`, `{"items":[{"id":1},{"id":3}]}`, []string{"$.items[1].id"}},
		{"array longer", `[1,2]`, `[1,2,3,4]`, []string{"$[2]", "$[3]"}},
		{"object vs array", `{"a":{}}`, `{"a":[]}`, []string{"$.a"}},
		{"odd keys", `{"a b":1,"x.y":2}`, `{"a b":2,"x.y":3}`, []string{`$["a b"]`, `$["x.y"]`}},
		{"unicode equal", `{"s":"caf\u00e9"}`, `{"s":"café"}`, []string{}},
	}
	for _, c := range cases {
		ds, err := Compare([]byte(c.a), []byte(c.b))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := paths(ds); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: paths %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCompareValues(t *testing.T) {
	ds, err := Compare([]byte(`{"a":1,"gone":true}`), []byte(`{"a":2,"new":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Diff{
		{Path: "$.a", A: json.Number("1"), B: json.Number("2"), HasA: true, HasB: true},
		{Path: "$.gone", A: true, HasA: true},
		{Path: "$.new", B: "x", HasB: true},
	}
	if !reflect.DeepEqual(ds, want) {
		t.Errorf("got %#v\nwant %#v", ds, want)
	}
}

func TestCompareBounded(t *testing.T) {
	a, b := "[", "["
	for i := 0; i < 1000; i++ {
		if i > 0 {
			a, b = a+",", b+","
		}
		a, b = a+fmt.Sprint(i), b+fmt.Sprint(i+1)
	}
	ds, err := Compare([]byte(a+"]"), []byte(b+"]"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != MaxDiffs {
		t.Errorf("%d diffs, want the bound %d", len(ds), MaxDiffs)
	}
}

func TestCompareRejectsBadJSON(t *testing.T) {
	for _, s := range []string{``, `{`, `{"a":1} {"b":2}`, `nul`} {
		if _, err := Compare([]byte(s), []byte(`{}`)); err == nil {
			t.Errorf("%q: accepted", s)
		}
	}
}

func TestPatterns(t *testing.T) {
	cases := []struct {
		pattern, path string
		want          bool
	}{
		{"$.token", "$.token", true},
		{"$.token", "$.data.token", false},
		{"$..token", "$.data.token", true},
		{"$..token", "$.token", true},
		{"$..token", "$.a[2].b.token", true},
		{"$..token", "$.token.x", false},
		{"$.data[*].createdAt", "$.data[3].createdAt", true},
		{"$.data[*].createdAt", "$.data[*].createdAt", true},
		{"$.data[0].createdAt", "$.data[3].createdAt", false},
		{"$.metrics..*", "$.metrics.clicks", true},
		{"$.metrics..*", "$.metrics", false},
		{"$.metrics.*", "$.metrics.clicks", true},
		{"$.metrics.*", "$.metrics.a.b", false},
		{`$["a b"]`, `$["a b"]`, true},
		{"status", "status", true},
		{"status", "$.status", false},
		{"content-type", "content-type", true},
	}
	for _, c := range cases {
		p, err := ParsePattern(c.pattern)
		if err != nil {
			t.Fatalf("%q: %v", c.pattern, err)
		}
		if got := p.Match(c.path); got != c.want {
			t.Errorf("%q matches %q: %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
	for _, bad := range []string{"", "token", "$.", "$..", "$..[0]", "$[x]", "$[-1]", "$[01]", `$["a`, "$.a[", "$ .a"} {
		if _, err := ParsePattern(bad); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
	if g := Generalize("$.data[12].items[0].id"); g != "$.data[*].items[*].id" {
		t.Errorf("Generalize: %q", g)
	}
	if k := Keys(`$.data[2]["access token"].x`); !reflect.DeepEqual(k, []string{"data", "access token", "x"}) {
		t.Errorf("Keys: %q", k)
	}
}

func FuzzCompare(f *testing.F) {
	f.Add([]byte(`{"a":1,"b":[1,2,{"c":"x"}]}`), []byte(`{"b":[1,3],"a":1.0}`))
	f.Add([]byte(`[1e999999999]`), []byte(`[1e-999999999]`))
	f.Add([]byte(`{"a b":{"":null}}`), []byte(`{"a b":{"":false}}`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		ab, err := Compare(a, b)
		if err != nil {
			return
		}
		if self, _ := Compare(a, a); len(self) != 0 {
			t.Fatalf("a document differs from itself: %v", paths(self))
		}
		ba, err := Compare(b, a)
		if err != nil {
			t.Fatalf("Compare(b, a) failed where Compare(a, b) did not: %v", err)
		}
		if !reflect.DeepEqual(paths(ab), paths(ba)) {
			t.Fatalf("not symmetric: %v vs %v", paths(ab), paths(ba))
		}
		for _, d := range ab {
			p, err := ParsePattern(d.Path)
			if err != nil || !p.Match(d.Path) {
				t.Fatalf("diff path %q does not parse as a pattern matching itself: %v", d.Path, err)
			}
			g, err := ParsePattern(Generalize(d.Path))
			if err != nil || !g.Match(d.Path) {
				t.Fatalf("generalized %q does not match %q: %v", Generalize(d.Path), d.Path, err)
			}
		}
	})
}
