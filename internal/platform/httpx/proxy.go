package httpx

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// TrustedProxies says which X-Forwarded-For entries were written by proxies of ours, and so which
// address is the client's. A client writes whatever it likes into the header; each proxy appends the
// address it saw. So the header is read from the right, and only as far as trusted proxies wrote it:
//
//   - none (the zero value): the header is ignored; the client is the connection's peer.
//   - a number of hops N: N proxies stand in front of the service; the client is the Nth entry from the
//     right (the address the outermost proxy saw). A shorter header means fewer proxies handled the
//     request, all of them trusted, so its left-most entry is used.
//   - a list of networks: the peer and every entry are checked from the right; the first address not in
//     a trusted network is the client (Caddy's trusted_proxies, Gin's SetTrustedProxies, Traefik's
//     forwardedHeaders.trustedIPs work this way). A peer outside the list makes the header ignored.
//
// The left-most entry is never taken on its own: it is the one the client controls.
type TrustedProxies struct {
	hops int
	nets []netip.Prefix
}

// ParseTrustedProxies reads TRUST_PROXY: "" or "false" (trust nothing), "true" (one proxy), a number
// of proxies ("2"), or a comma-separated list of addresses and CIDR networks
// ("10.0.0.0/8, 192.168.1.7, fd00::/8").
func ParseTrustedProxies(s string) (TrustedProxies, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "", "false", "0", "no", "off":
		return TrustedProxies{}, nil
	case "true", "yes", "on":
		return TrustedProxies{hops: 1}, nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 || n > 32 {
			return TrustedProxies{}, fmt.Errorf("trusted proxy count %d: want 0 to 32", n)
		}
		return TrustedProxies{hops: n}, nil
	}
	var t TrustedProxies
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			t.nets = append(t.nets, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return TrustedProxies{}, fmt.Errorf("trusted proxy %q: not a number of proxies, an address or a CIDR network", part)
		}
		a = a.Unmap()
		t.nets = append(t.nets, netip.PrefixFrom(a, a.BitLen()))
	}
	if len(t.nets) == 0 {
		return TrustedProxies{}, fmt.Errorf("trusted proxies %q: empty list", s)
	}
	return t, nil
}

// TrustOneProxy is TRUST_PROXY=true: one proxy in front.
func TrustOneProxy() TrustedProxies { return TrustedProxies{hops: 1} }

// String describes the setting for the start-up log.
func (t TrustedProxies) String() string {
	switch {
	case len(t.nets) > 0:
		parts := make([]string, len(t.nets))
		for i, p := range t.nets {
			parts[i] = p.String()
		}
		return strings.Join(parts, ",")
	case t.hops > 0:
		return strconv.Itoa(t.hops) + " hop(s)"
	}
	return "none"
}

// ClientIP returns the client's address as the trusted proxies saw it, else the connection's peer.
func (t TrustedProxies) ClientIP(r *http.Request) string {
	peer := peerAddr(r.RemoteAddr)
	if t.hops == 0 && len(t.nets) == 0 {
		return peer
	}
	// A proxy may append its own header line instead of extending the first one; together they are
	// one list, in order.
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		for _, h := range strings.Split(v, ",") {
			hops = append(hops, strings.TrimSpace(h))
		}
	}
	if len(hops) == 0 {
		return peer
	}
	if t.hops > 0 {
		i := max(len(hops)-t.hops, 0)
		if a, ok := parseHop(hops[i]); ok {
			return a.String()
		}
		return peer // a trusted proxy does not write garbage: distrust the whole header
	}
	pa, err := netip.ParseAddr(peer)
	if err != nil || !t.trusts(pa.Unmap()) {
		return peer
	}
	client := pa.Unmap()
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			// Written by the hop to its right, which is trusted, or by the client: either way that hop
			// is the farthest address known for sure.
			break
		}
		client = a
		if !t.trusts(a) {
			break
		}
	}
	return client.String()
}

func (t TrustedProxies) trusts(a netip.Addr) bool {
	for _, p := range t.nets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseHop reads one X-Forwarded-For entry: an address, possibly with a port ("1.2.3.4:5",
// "[2001:db8::1]:5", as some load balancers write), IPv4-mapped IPv6 read as IPv4.
func parseHop(s string) (netip.Addr, bool) {
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		s = s[1 : len(s)-1]
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil && ap.Addr().Zone() == "" {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

func peerAddr(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return a.Unmap().String()
	}
	return host
}
