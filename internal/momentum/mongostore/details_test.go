package mongostore

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// roundTrip stores details the way CreateCampaign does and reads them back.
func roundTrip(t *testing.T, s string) (string, bson.Type) {
	t.Helper()
	raw, err := bson.Marshal(bson.D{{Key: "details", Value: detailsValue(s)}})
	if err != nil {
		t.Fatalf("marshal details %q: %v", s, err)
	}
	v := bson.Raw(raw).Lookup("details")
	return detailsText(v), v.Type
}

// jsonTokens is the token stream of a JSON text: what must survive storage (not whitespace or
// string escapes).
func jsonTokens(s string) ([]any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var toks []any
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return toks, nil
		}
		if err != nil {
			return nil, err
		}
		toks = append(toks, tok)
	}
}

func FuzzDetails(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `{"a":1}`, `{"itemToPromote":"Margherita","offer":"2 for 1","reach":1500,"tags":["a","b"],"nested":{"ok":true}}`,
		`{"f":10.5,"g":-0.25,"h":1e21}`, `{"a":{"b":{"c":[[],{}]}}}`, `[1]`, `"str"`, `nul`, `{"a.b":1}`, `{"$x":1}`,
		`{"a":1,"a":1}`, `{"":1}`, `{"\u0000":1}`, "{\"a\":\"\xff\"}", `{"n":-0}`, `{"n":01}`, `{"n":1.0}`, `{} {}`,
		`{"s":"\ud800"}`, strings.Repeat(`{"a":`, 70) + `1` + strings.Repeat(`}`, 70),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, typ := roundTrip(t, s)
		switch typ {
		case bson.TypeNull:
			if s != "" {
				t.Fatalf("%q stored as null", s)
			}
		case bson.TypeString:
			if got != s {
				t.Fatalf("%q stored as a string but read back as %q", s, got)
			}
		case bson.TypeEmbeddedDocument:
			want, err := jsonTokens(s)
			if err != nil {
				t.Fatalf("%q is not JSON but was stored as a document", s)
			}
			have, err := jsonTokens(got)
			if err != nil {
				t.Fatalf("%q read back as invalid JSON %q: %v", s, got, err)
			}
			if !reflect.DeepEqual(have, want) {
				t.Fatalf("%q read back as %q: tokens differ", s, got)
			}
		default:
			t.Fatalf("%q stored as BSON %v", s, typ)
		}
	})
}

func TestDetailsDepthLimit(t *testing.T) {
	deep := strings.Repeat(`{"a":`, maxDetailsDepth+5) + `1` + strings.Repeat(`}`, maxDetailsDepth+5)
	if _, typ := roundTrip(t, deep); typ != bson.TypeString {
		t.Errorf("details nested %d deep stored as %v, want a string", maxDetailsDepth+5, typ)
	}
	ok := strings.Repeat(`{"a":`, 10) + `1` + strings.Repeat(`}`, 10)
	if _, typ := roundTrip(t, ok); typ != bson.TypeEmbeddedDocument {
		t.Errorf("details nested 10 deep stored as %v, want a document", typ)
	}
}

// Migrated documents may hold number types this package never writes; they still render as JSON.
func TestDetailsTextOfForeignTypes(t *testing.T) {
	raw, err := bson.Marshal(bson.D{{Key: "details", Value: bson.D{{Key: "i", Value: int32(7)}, {Key: "d", Value: 2.0}, {Key: "u", Value: bson.Undefined{}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := detailsText(bson.Raw(raw).Lookup("details")); got != `{"i":7,"d":2,"u":null}` {
		t.Errorf("detailsText = %s", got)
	}
}
