package web

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr is the address of the person making the request: the peer's
// address, or, when the peer is a proxy the clinic trusts, the address that
// proxy reports in X-Forwarded-For. It keys the sign-in limit per address,
// the audit log's source and the access log.
func (s *Server) clientAddr(r *http.Request) string {
	info := infoFrom(r.Context())
	if info == nil {
		return clientAddress(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.cfg.TrustedProxies)
	}
	if info.client == "" { // once per request: authentication and the access log both ask
		info.client = clientAddress(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.cfg.TrustedProxies)
	}
	return info.client
}

// clientAddress walks X-Forwarded-For from the right, the end the trusted
// proxies wrote, past every trusted proxy, and takes the first address
// that is not one. Entries to the left of that one were written by the
// client itself and could be anything, so they are never used. The header
// is ignored unless the peer is a trusted proxy: without one in front, a
// client could otherwise pick its own address and escape the sign-in
// limit. An entry that is not an address stops the walk at the last
// trusted hop.
func clientAddress(remote string, forwarded []string, trusted []netip.Prefix) string {
	peer := remote
	if host, _, err := net.SplitHostPort(remote); err == nil {
		peer = host
	}
	addr, err := netip.ParseAddr(peer)
	if err != nil {
		return peer
	}
	addr = addr.Unmap()
	if !isTrusted(addr, trusted) {
		return addr.String()
	}
	var hops []string
	for _, v := range forwarded {
		hops = append(hops, strings.Split(v, ",")...)
	}
	client := addr
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		client = hop.Unmap()
		if !isTrusted(client, trusted) {
			break
		}
	}
	return client.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads a comma-separated list of addresses and CIDR
// ranges ("10.0.0.0/8, 192.168.1.5, ::1").
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("trusted proxies: %q is not an address or a CIDR range (e.g. 10.0.0.0/8 or 192.168.1.5)", f)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxies: %q is not an address or a CIDR range (e.g. 10.0.0.0/8 or 192.168.1.5)", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
