package redact

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

const (
	jwt    = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjoyfQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
	bcrypt = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
)

func TestValueRedactsByKeyAtAnyDepth(t *testing.T) {
	r := New("customer_name")
	in := map[string]any{
		"token":         "t1",
		"accessToken":   "t2",
		"refresh_token": "t3",
		"Password":      "p1",
		"PASSWORD_HASH": "h1",
		"passwordHash":  "h2",
		"data": map[string]any{
			"user": map[string]any{"id": 1, "phone": "+14155552671", "Phone-Number": "+14155552672", "name": "Ann"},
			"list": []any{
				map[string]any{"phone_number": "+14155552673", "mobile": "+14155552674", "ok": "visible"},
				[]any{map[string]any{"secret": "s1", "apiKey": "k1"}},
			},
		},
		"customer_name": "Bob",
		"Set-Cookie":    "sid=1",
		"note":          "Bearer " + jwt + " and " + bcrypt,
		"pgpassContent": "127.0.0.1:5432:cohortly:student_ro:pw1",
		"help":          "psql postgresql://student_ro:pw2@db.example.com:5432/cohortly",
		"count":         3,
	}
	out, _ := json.Marshal(r.Value(in))
	s := string(out)
	for _, secret := range []string{"t1", "t2", "t3", "p1", "h1", "h2", "+1415555267", "s1", "k1", "Bob", "sid=1", jwt, bcrypt, "pw1", "pw2"} {
		if strings.Contains(s, secret) {
			t.Errorf("%q survived redaction: %s", secret, s)
		}
	}
	for _, kept := range []string{`"name":"Ann"`, "postgresql://student_ro:[REDACTED]@db.example.com", `"ok":"visible"`, `"count":3`, `"id":1`} {
		if !strings.Contains(s, kept) {
			t.Errorf("%s was redacted too: %s", kept, s)
		}
	}
}

func TestPathValue(t *testing.T) {
	r := New()
	if v := r.PathValue([]string{"data", "accessToken"}, "abc"); v != Mask {
		t.Errorf("a token at its path: %v", v)
	}
	if v := r.PathValue([]string{"data", "user"}, map[string]any{"password": "x", "id": 1}); v.(map[string]any)["password"] != Mask {
		t.Errorf("a password inside the value: %v", v)
	}
	if v := r.PathValue([]string{"data", "count"}, 3); v != 3 {
		t.Errorf("a plain value: %v", v)
	}
}

func TestHeaders(t *testing.T) {
	r := New("X-Internal")
	h := http.Header{
		"Authorization":       {"Bearer " + jwt},
		"Proxy-Authorization": {"Basic dXNlcjpwYXNz"},
		"Cookie":              {"sid=abc"},
		"Set-Cookie":          {"sid=abc; HttpOnly"},
		"X-Api-Key":           {"k"},
		"X-Auth-Token":        {"tok"},
		"X-Internal-Id":       {"i"},
		"User-Agent":          {"curl/8 " + jwt},
		"Accept":              {"application/json"},
	}
	out := r.Header(h)
	for _, k := range []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "X-Auth-Token", "X-Internal-Id"} {
		if out[k][0] != Mask {
			t.Errorf("%s: %q", k, out[k][0])
		}
	}
	if out["Accept"][0] != "application/json" {
		t.Errorf("Accept: %q", out["Accept"][0])
	}
	if strings.Contains(out["User-Agent"][0], jwt) {
		t.Errorf("a JWT inside an ordinary header survived: %q", out["User-Agent"][0])
	}
	if h.Get("Authorization") == Mask {
		t.Error("the original header was modified")
	}
}

func TestQuery(t *testing.T) {
	r := New()
	got := r.Query("restaurantId=1&token=abc&Access_Token=def&q=" + jwt)
	for _, s := range []string{"abc", "def", jwt} {
		if strings.Contains(got, s) {
			t.Errorf("%q survived: %s", s, got)
		}
	}
	if !strings.Contains(got, "restaurantId=1") {
		t.Errorf("plain parameter lost: %s", got)
	}
	if r.Query("%zz") != Mask {
		t.Error("an unreadable query is echoed")
	}
}
