package dnsrecord

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
)

// The record types this resource manages.
var recordTypes = []string{"A", "AAAA", "CNAME", "TXT", "MX"}

// proxiable types can carry Cloudflare's proxy (the dashboard's orange cloud).
func proxiable(typ string) bool { return typ == "A" || typ == "AAAA" || typ == "CNAME" }

var hostnameRe = regexp.MustCompile(`^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// checkContent checks content for typ in the form Cloudflare stores it, so
// that what is read back equals what was configured and no plan shows a
// phantom change. It returns what to write instead when the value is valid
// but not in that form.
func checkContent(typ, content string) error {
	switch typ {
	case "A":
		ip, err := netip.ParseAddr(content)
		if err != nil || !ip.Is4() {
			return fmt.Errorf("an A record's content must be an IPv4 address such as 192.0.2.1, not %q", content)
		}
	case "AAAA":
		ip, err := netip.ParseAddr(content)
		if err != nil || !ip.Is6() || ip.Is4In6() {
			return fmt.Errorf("an AAAA record's content must be an IPv6 address such as 2001:db8::1, not %q", content)
		}
		if ip.String() != content {
			return fmt.Errorf("write the IPv6 address %q as %q, the form Cloudflare stores and reads back", content, ip.String())
		}
	case "CNAME", "MX":
		if strings.HasSuffix(content, ".") || strings.ToLower(content) != content {
			return fmt.Errorf("write the target %q as %q (lowercase, without a trailing dot), the form Cloudflare reads back",
				content, strings.ToLower(strings.TrimSuffix(content, ".")))
		}
		if !hostnameRe.MatchString(content) || len(content) > 253 {
			return fmt.Errorf("a %s record's content must be a hostname such as example.pages.dev, not %q", typ, content)
		}
	case "TXT":
		// Cloudflare's limit for TXT content (developers.cloudflare.com/dns/manage-dns-records/reference/dns-record-types/).
		if len(content) == 0 || len(content) > 2048 {
			return fmt.Errorf("a TXT record's content must be 1 to 2048 characters, not %d", len(content))
		}
	}
	return nil
}
