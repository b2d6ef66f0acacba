package httpx

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestClientIPBelievesOnlyWhatTrustedProxiesWrote(t *testing.T) {
	cases := []struct {
		name, trust, peer string
		xff               []string // one header line each
		want              string
	}{
		{"no trust ignores the header", "", "203.0.113.9:4000", []string{"1.1.1.1"}, "203.0.113.9"},
		{"false ignores the header", "false", "203.0.113.9:4000", []string{"1.1.1.1"}, "203.0.113.9"},
		{"one hop, no header", "true", "10.0.0.2:4000", nil, "10.0.0.2"},
		{"one hop, honest client", "true", "10.0.0.2:4000", []string{"198.51.100.7"}, "198.51.100.7"},
		{"one hop, spoofed left-most entry", "true", "10.0.0.2:4000", []string{"1.2.3.4, 198.51.100.7"}, "198.51.100.7"},
		{"one hop, spoof in its own header line", "1", "10.0.0.2:4000", []string{"1.2.3.4", "198.51.100.7"}, "198.51.100.7"},
		{"two hops, chained", "2", "10.0.0.2:4000", []string{"6.6.6.6, 198.51.100.7, 10.0.0.1"}, "198.51.100.7"},
		{"two hops, shorter chain", "2", "10.0.0.2:4000", []string{"198.51.100.7"}, "198.51.100.7"},
		{"one hop, malformed entry of the proxy", "true", "10.0.0.2:4000", []string{"1.2.3.4, not-an-ip"}, "10.0.0.2"},
		{"one hop, garbage left of the real entry", "true", "10.0.0.2:4000", []string{"<script>, 198.51.100.7"}, "198.51.100.7"},
		{"one hop, entry with port", "true", "10.0.0.2:4000", []string{"198.51.100.7:5555"}, "198.51.100.7"},
		{"one hop, IPv6 entry", "true", "[fd00::2]:4000", []string{"2001:db8::1, 2001:db8::7"}, "2001:db8::7"},
		{"one hop, bracketed IPv6 with port", "true", "[fd00::2]:4000", []string{"[2001:db8::7]:443"}, "2001:db8::7"},
		{"one hop, bracketed IPv6", "true", "[fd00::2]:4000", []string{"[2001:db8::7]"}, "2001:db8::7"},
		{"one hop, IPv4-mapped IPv6", "true", "10.0.0.2:4000", []string{"::ffff:198.51.100.7"}, "198.51.100.7"},
		{"one hop, zone refused", "true", "10.0.0.2:4000", []string{"fe80::1%eth0"}, "10.0.0.2"},
		{"one hop, empty entries", "true", "10.0.0.2:4000", []string{" , "}, "10.0.0.2"},
		{"cidr, peer untrusted ignores the header", "10.0.0.0/8", "203.0.113.9:4000", []string{"1.1.1.1"}, "203.0.113.9"},
		{"cidr, one trusted peer", "10.0.0.0/8", "10.0.0.2:4000", []string{"6.6.6.6, 198.51.100.7"}, "198.51.100.7"},
		{"cidr, chain of trusted proxies", "10.0.0.0/8, 192.168.1.7", "10.0.0.2:4000",
			[]string{"6.6.6.6, 198.51.100.7, 192.168.1.7, 10.1.2.3"}, "198.51.100.7"},
		{"cidr, spoofed trusted address left of the client", "10.0.0.0/8", "10.0.0.2:4000",
			[]string{"10.9.9.9, 198.51.100.7"}, "198.51.100.7"},
		{"cidr, every hop trusted", "10.0.0.0/8", "10.0.0.2:4000", []string{"10.0.0.5, 10.0.0.4"}, "10.0.0.5"},
		{"cidr, malformed behind a trusted hop", "10.0.0.0/8", "10.0.0.2:4000", []string{"junk, 10.0.0.4"}, "10.0.0.4"},
		{"cidr, no header", "10.0.0.0/8", "10.0.0.2:4000", nil, "10.0.0.2"},
		{"cidr, IPv6 network", "fd00::/8", "[fd00::2]:4000", []string{"2001:db8::9, 2001:db8::7, fd00::3"}, "2001:db8::7"},
		{"cidr, IPv4-mapped peer", "10.0.0.0/8", "[::ffff:10.0.0.2]:4000", []string{"198.51.100.7"}, "198.51.100.7"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tp, err := ParseTrustedProxies(tc.trust)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.peer
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := tp.ClientIP(r); got != tc.want {
				t.Fatalf("TRUST_PROXY=%q peer %s X-Forwarded-For %q: client %s, want %s", tc.trust, tc.peer, tc.xff, got, tc.want)
			}
		})
	}
}

func TestParseTrustedProxiesRefusesWhatItCannotRead(t *testing.T) {
	for _, bad := range []string{"maybe", "-1", "99", "10.0.0.0/33", "10.0.0.1, nope", ","} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("TRUST_PROXY=%q accepted", bad)
		}
	}
	tp, err := ParseTrustedProxies(" 10.0.0.1/8 ,2001:db8::1 ")
	if err != nil {
		t.Fatal(err)
	}
	if s := tp.String(); s != "10.0.0.0/8,2001:db8::1/128" {
		t.Fatalf("String() = %q", s)
	}
}

func FuzzClientIPNeverTakesAnUntrustedLeftmostEntry(f *testing.F) {
	f.Add("1.2.3.4, 198.51.100.7", "true")
	f.Add("[::1]:1, junk,, 10.0.0.1", "10.0.0.0/8")
	f.Add("", "2")
	f.Fuzz(func(t *testing.T, xff, trust string) {
		tp, err := ParseTrustedProxies(trust)
		if err != nil {
			return
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "10.0.0.2:4000"
		r.Header.Set("X-Forwarded-For", "6.6.6.6, "+xff)
		got := tp.ClientIP(r)
		if got == "" {
			t.Fatal("empty client address")
		}
		// With one hop, only the right-most entry the proxy wrote counts, never a forged one left of it.
		if tp.hops == 1 && strings.TrimSpace(xff) != "" && got == "6.6.6.6" {
			last := strings.TrimSpace(xff[strings.LastIndex(xff, ",")+1:])
			if last != "6.6.6.6" {
				t.Fatalf("forged left-most entry taken from %q", xff)
			}
		}
	})
}
