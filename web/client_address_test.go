package web

import (
	"net/netip"
	"strings"
	"testing"
)

func TestClientAddress(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.0/8, 192.168.1.5, ::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, remote string
		xff          []string
		trusted      []netip.Prefix
		want         string
	}{
		{"no proxies configured: the peer", "203.0.113.7:5000", nil, nil, "203.0.113.7"},
		{"no proxies configured: the header is ignored", "203.0.113.7:5000", []string{"198.51.100.1"}, nil, "203.0.113.7"},
		{"an untrusted peer cannot choose its address", "203.0.113.7:5000", []string{"198.51.100.1"}, trusted, "203.0.113.7"},
		{"a trusted proxy names the client", "10.1.2.3:443", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
		{"a trusted proxy without the header", "10.1.2.3:443", nil, trusted, "10.1.2.3"},
		{"a chain of trusted proxies", "10.1.2.3:443", []string{"198.51.100.1, 192.168.1.5", "10.9.9.9"}, trusted, "198.51.100.1"},
		{"the client's own entries to the left are not believed", "10.1.2.3:443", []string{"1.2.3.4, 198.51.100.1"}, trusted, "198.51.100.1"},
		{"a spoofed trusted address on the left", "10.1.2.3:443", []string{"10.0.0.1, 198.51.100.1"}, trusted, "198.51.100.1"},
		{"garbage stops the walk at the last trusted hop", "10.1.2.3:443", []string{"198.51.100.1, not-an-ip"}, trusted, "10.1.2.3"},
		{"every hop trusted: the furthest one", "10.1.2.3:443", []string{"10.0.0.9, 10.0.0.8"}, trusted, "10.0.0.9"},
		{"IPv6 peer and client", "[::1]:443", []string{"2001:db8::7"}, trusted, "2001:db8::7"},
		{"an IPv4-mapped IPv6 proxy is trusted as IPv4", "[::ffff:10.1.2.3]:443", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
		{"a RemoteAddr without a port", "203.0.113.7", nil, trusted, "203.0.113.7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := clientAddress(tc.remote, tc.xff, tc.trusted); got != tc.want {
				t.Errorf("clientAddress(%q, %q) = %q, want %q", tc.remote, tc.xff, got, tc.want)
			}
		})
	}
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := ParseTrustedProxies(" 10.1.2.3/8 ,, 192.168.1.5,::1 ")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.168.1.5/32", "::1/128"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("entry %d = %s, want %s", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0", "10.0.0.1/"} {
		if _, err := ParseTrustedProxies(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("ParseTrustedProxies(%q) = %v, want an error naming it", bad, err)
		}
	}
}

// FuzzClientAddress: whatever a client sends, the answer is an address the
// peer or a trusted proxy reported, never text the client wrote unchecked,
// and without trusted proxies it is always the peer.
func FuzzClientAddress(f *testing.F) {
	f.Add("10.1.2.3:443", "198.51.100.1, 10.0.0.2")
	f.Add("203.0.113.7:1", "1.2.3.4")
	f.Add("[::1]:443", "garbage, ::1")
	f.Add("10.0.0.1:1", " , ,")
	trusted, _ := ParseTrustedProxies("10.0.0.0/8, ::1")
	f.Fuzz(func(t *testing.T, remote, xff string) {
		got := clientAddress(remote, []string{xff}, trusted)
		peer := clientAddress(remote, nil, nil)
		if clientAddress(remote, []string{xff}, nil) != peer {
			t.Fatalf("without trusted proxies the header changed the answer")
		}
		if got == peer {
			return
		}
		if _, err := netip.ParseAddr(got); err != nil {
			t.Fatalf("clientAddress(%q, %q) = %q, not an address", remote, xff, got)
		}
		for _, hop := range strings.Split(xff, ",") {
			if a, err := netip.ParseAddr(strings.TrimSpace(hop)); err == nil && a.Unmap().String() == got {
				return
			}
		}
		t.Fatalf("clientAddress(%q, %q) = %q, from nowhere", remote, xff, got)
	})
}
