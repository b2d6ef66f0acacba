package api

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

func encodingJSONMe(t testing.TB, m meJSON) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(envelope{Success: true, Message: "User retrieved successfully", Data: m}); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func TestFastMeMatchesEncodingJSON(t *testing.T) {
	phone := "+1 (555) \"x\"\n"
	for _, m := range []meJSON{
		{ID: "id", Email: "a@b.co", Role: cohortly.RoleAdmin, Iat: 1, Exp: 2, FullName: "Zoë <Admin> & co", IsActive: true},
		{ID: "x\x00y", Email: "bad\xffutf8", Role: "R", Iat: -5, Exp: 1 << 40, FullName: "line\u2028sep\u2029\t\\", Phone: &phone,
			CreatedAt: jtime(time.Date(2026, 1, 2, 3, 4, 5, 678900000, time.FixedZone("x", 3600))), UpdatedAt: jtime(time.Unix(0, 0))},
	} {
		if got, want := appendMeEnvelope(nil, m), encodingJSONMe(t, m); !bytes.Equal(got, want) {
			t.Errorf("fast:\n%s\nencoding/json:\n%s", got, want)
		}
	}
}

func FuzzFastMe(f *testing.F) {
	f.Add("id", "a@b.co", "Name", "+1", int64(1), true)
	f.Add("\x7f\x1f", "\xed\xa0\x80", "\u2028", "", int64(-1), false)
	f.Fuzz(func(t *testing.T, id, email, name, phone string, iat int64, active bool) {
		m := meJSON{ID: id, Email: email, Role: "ADMIN", Iat: iat, Exp: iat + 900, FullName: name, IsActive: active,
			CreatedAt: jtime(time.Unix(iat, 0)), UpdatedAt: jtime(time.Unix(iat, 0))}
		if phone != "" {
			m.Phone = &phone
		}
		if got, want := appendMeEnvelope(nil, m), encodingJSONMe(t, m); !bytes.Equal(got, want) {
			t.Fatalf("fast:\n%q\nencoding/json:\n%q", got, want)
		}
	})
}
