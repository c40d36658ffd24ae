package metrics

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// DefaultAllow is who may scrape without a token: this machine only.
const DefaultAllow = "127.0.0.0/8,::1/128"

// Access says who may read the metrics: a client whose address is in
// Allow, or one presenting Token as a bearer token. The metrics name no
// person, but they tell an outsider what runs and how busy it is.
type Access struct {
	Allow []netip.Prefix
	Token string
	// TrustProxy takes the client address from X-Forwarded-For, as the
	// address the proxy in front saw (the header's last entry): the
	// entries before it are whatever the client sent.
	TrustProxy bool
}

// ParseAllow reads a comma-separated list of CIDRs or single addresses;
// "none" is the empty list (a token is then the only way in).
func ParseAllow(s string) ([]netip.Prefix, error) {
	if strings.TrimSpace(s) == "none" {
		return nil, nil
	}
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if a, err := netip.ParseAddr(part); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR", part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// Allows says whether r may read the metrics.
func (a Access) Allows(r *http.Request) bool {
	if a.Token != "" {
		if got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			// Digests of equal length, so the comparison's time tells
			// nothing about the token's length either.
			want, have := sha256.Sum256([]byte(a.Token)), sha256.Sum256([]byte(strings.TrimSpace(got)))
			if subtle.ConstantTimeCompare(want[:], have[:]) == 1 {
				return true
			}
		}
	}
	addr, ok := a.client(r)
	if !ok {
		return false
	}
	for _, p := range a.Allow {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// client is the address the request came from, if known.
func (a Access) client(r *http.Request) (netip.Addr, bool) {
	forwarded := r.Header.Values("X-Forwarded-For")
	if len(forwarded) > 0 {
		if !a.TrustProxy {
			// Relayed by a proxy the server was not told to trust: the
			// peer's address is the proxy's (often loopback), not the
			// client's, so it proves nothing.
			return netip.Addr{}, false
		}
		entries := strings.Split(forwarded[len(forwarded)-1], ",")
		addr, err := netip.ParseAddr(strings.TrimSpace(entries[len(entries)-1]))
		return addr.Unmap(), err == nil
	}
	if r.Header.Get("Forwarded") != "" && !a.TrustProxy {
		return netip.Addr{}, false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	return addr.Unmap(), err == nil
}
