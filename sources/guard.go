package sources

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// blockedPrefixes are the networks a fetch must never reach unless the
// operator allows it: anything that is not the public internet. A feed URL
// (or a redirect, or a DNS answer) pointing at them is how a server-side
// request forgery reaches a cloud metadata service or an admin interface.
var blockedPrefixes = mustPrefixes(
	"0.0.0.0/8",       // "this network", includes the unspecified address
	"10.0.0.0/8",      // private (RFC 1918)
	"100.64.0.0/10",   // carrier-grade NAT (RFC 6598)
	"127.0.0.0/8",     // loopback
	"169.254.0.0/16",  // link-local, cloud metadata (169.254.169.254)
	"172.16.0.0/12",   // private (RFC 1918)
	"192.0.0.0/24",    // IETF protocol assignments
	"192.0.2.0/24",    // documentation
	"192.168.0.0/16",  // private (RFC 1918)
	"198.18.0.0/15",   // benchmarking
	"198.51.100.0/24", // documentation
	"203.0.113.0/24",  // documentation
	"224.0.0.0/4",     // multicast
	"240.0.0.0/4",     // reserved, includes broadcast
	"::/128",          // unspecified
	"::1/128",         // loopback
	"100::/64",        // discard
	"2001:db8::/32",   // documentation
	"fc00::/7",        // unique local (private)
	"fe80::/10",       // link-local
	"fec0::/10",       // site-local (deprecated, still private)
	"ff00::/8",        // multicast
)

// embeddingPrefixes are IPv6 ranges that carry an IPv4 address in their low
// 32 bits; the embedded address is checked too, so that 64:ff9b::7f00:1
// cannot reach 127.0.0.1 through a NAT64 gateway.
var embeddingPrefixes = mustPrefixes(
	"::/96",          // IPv4-compatible (deprecated)
	"64:ff9b::/96",   // NAT64 well-known prefix
	"64:ff9b:1::/48", // NAT64 local-use
)

func mustPrefixes(ss ...string) []netip.Prefix {
	ps := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		ps[i] = netip.MustParsePrefix(s)
	}
	return ps
}

// IsPublicAddr reports whether addr is a public unicast address that the
// client may connect to by default. IPv4-mapped IPv6 addresses
// (::ffff:10.0.0.1) and IPv6 forms embedding an IPv4 address are judged by
// the IPv4 address they carry; 6to4 (2002::/16) by the IPv4 address it
// encodes.
func IsPublicAddr(addr netip.Addr) bool {
	if !addr.IsValid() {
		return false
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is6() {
		if embedded, ok := embeddedIPv4(addr); ok && !IsPublicAddr(embedded) {
			return false
		}
	}
	for _, p := range blockedPrefixes {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

// embeddedIPv4 returns the IPv4 address an IPv6 address carries, for the
// transition forms that route to it.
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	b := a.As16()
	for _, p := range embeddingPrefixes {
		if p.Contains(a) {
			return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
		}
	}
	if b[0] == 0x20 && b[1] == 0x02 { // 6to4: 2002:AABB:CCDD::/48
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	}
	return netip.Addr{}, false
}

// guard decides which addresses a dial may reach.
type guard struct {
	allowPrivate bool
	allow        []netip.Prefix // reachable even when not public
}

func (g guard) allowed(addr netip.Addr) bool {
	if g.allowPrivate {
		return true
	}
	addr = addr.Unmap().WithZone("")
	for _, p := range g.allow {
		if p.Contains(addr) {
			return true
		}
	}
	return IsPublicAddr(addr)
}

// control is a net.Dialer Control function. It runs after DNS resolution,
// for every address the dialer tries and for every connection a redirect
// opens, just before connect(2), so no name can resolve its way past it.
func (g guard) control(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrBlockedAddress, address)
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %s is not an IP address", ErrBlockedAddress, host)
	}
	if !g.allowed(addr) {
		return fmt.Errorf("%w: %s is not a public address", ErrBlockedAddress, addr.Unmap())
	}
	return nil
}
