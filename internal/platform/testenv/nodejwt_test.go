package testenv

import (
	"strings"
	"testing"
	"time"
)

// Tokens the real legacy servers issued (shared secrets of the side-by-side runs): NodeSign must
// reproduce them byte for byte, and NodeVerify must accept them and nothing tampered.
func TestNodeSignMatchesTheLegacyServers(t *testing.T) {
	cases := []struct {
		name, secret, payload, want string
		iat                         int64
		ttl                         time.Duration
	}{
		{
			name:    "cohortly access token (generateAccessToken, 15m)",
			secret:  "shared-access-secret-for-the-cutover-0001",
			payload: `{"id":"fb58953b-d06d-451e-b2ea-795cc55ac7b2","email":"admin@bootcamp.com","role":"ADMIN"}`,
			iat:     1796226206, ttl: 15 * time.Minute,
			want: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6ImZiNTg5NTNiLWQwNmQtNDUxZS1iMmVhLTc5NWNjNTVhYzdiMiIsImVtYWlsIjoiYWRtaW5AYm9vdGNhbXAuY29tIiwicm9sZSI6IkFETUlOIiwiaWF0IjoxNzk2MjI2MjA2LCJleHAiOjE3OTYyMjcxMDZ9.MpdSyGRWfkrfTHTXjbsLX1y4Vdaa3rghokZIC0HDmNc",
		},
		{
			name:    "momentum login token (24h)",
			secret:  "shared-momentum-secret-for-the-cutover-01",
			payload: `{"user_id":2,"email":"test@restaurant.com","role":"restaurant"}`,
			iat:     1796226433, ttl: 24 * time.Hour,
			want: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjoyLCJlbWFpbCI6InRlc3RAcmVzdGF1cmFudC5jb20iLCJyb2xlIjoicmVzdGF1cmFudCIsImlhdCI6MTc5NjIyNjQzMywiZXhwIjoxNzk2MzEyODMzfQ.a9o_lS1wXq3oSSyMnf-4riusnZA8IP_6q73_nD87rrQ",
		},
		{
			name:    "momentum impersonation token (24h)",
			secret:  "shared-momentum-secret-for-the-cutover-01",
			payload: `{"user_id":1,"email":"admin@momentum.com","role":"admin","impersonating_restaurant_id":1}`,
			iat:     1796226433, ttl: 24 * time.Hour,
			want: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjoxLCJlbWFpbCI6ImFkbWluQG1vbWVudHVtLmNvbSIsInJvbGUiOiJhZG1pbiIsImltcGVyc29uYXRpbmdfcmVzdGF1cmFudF9pZCI6MSwiaWF0IjoxNzk2MjI2NDMzLCJleHAiOjE3OTYzMTI4MzN9.kodQQDxv6Uj2xBuYaWsrcPmTTrQh8aXXSy8sWafwGWs",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			iat := time.Unix(c.iat, 0)
			if got := NodeSign(c.secret, c.payload, iat, c.ttl); got != c.want {
				t.Fatalf("NodeSign =\n%s\nwant\n%s", got, c.want)
			}
			if _, err := NodeVerify(c.want, c.secret, iat.Add(time.Second)); err != nil {
				t.Fatalf("NodeVerify refused the legacy token: %v", err)
			}
			if _, err := NodeVerify(c.want, c.secret+"x", iat); err == nil {
				t.Fatal("NodeVerify accepted the wrong secret")
			}
			if _, err := NodeVerify(c.want, c.secret, iat.Add(c.ttl)); err == nil || !strings.Contains(err.Error(), "expired") {
				t.Fatalf("NodeVerify at exp = %v, want expired", err)
			}
			parts := strings.Split(c.want, ".")
			if _, err := NodeVerify(parts[0]+"."+parts[1]+"x."+parts[2], c.secret, iat); err == nil {
				t.Fatal("NodeVerify accepted a tampered payload")
			}
		})
	}
}
