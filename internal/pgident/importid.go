package pgident

import (
	"fmt"
	"strings"
)

// Import IDs join identifiers with "/": "schema/table" and
// "schema/table/policy". Inside each part, "%", "/" and control characters
// are percent-encoded as %XX (upper-case hex of each byte); everything else,
// including spaces, dots, quotes and non-ASCII letters, is written as is, so
// the common case stays readable:
//
//	public/bookings/Users can view own bookings
//	public/my.table/a%2Fb      (policy named "a/b")
//
// ParseID accepts %XX for any byte, so over-escaped IDs also work.

// FormatID joins parts into an import ID.
func FormatID(parts ...string) string {
	esc := make([]string, len(parts))
	for i, p := range parts {
		esc[i] = escapePart(p)
	}
	return strings.Join(esc, "/")
}

func escapePart(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' || c == '/' || c < 0x20 || c == 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// ParseID splits an import ID into exactly len(names) non-empty parts;
// names label the parts in error messages (for example "schema", "table").
func ParseID(id string, names ...string) ([]string, error) {
	want := strings.Join(names, "/")
	raw := strings.Split(id, "/")
	if len(raw) != len(names) {
		return nil, fmt.Errorf("import ID %q has %d part(s), expected %d in the form %q; write %%2F for a \"/\" and %%25 for a \"%%\" inside a name", id, len(raw), len(names), want)
	}
	out := make([]string, len(raw))
	for i, r := range raw {
		p, err := unescapePart(r)
		if err != nil {
			return nil, fmt.Errorf("import ID %q, %s part: %w", id, names[i], err)
		}
		if err := ValidIdent(p); err != nil {
			return nil, fmt.Errorf("import ID %q, %s part: %w (expected the form %q)", id, names[i], err, want)
		}
		out[i] = p
	}
	return out, nil
}

func unescapePart(s string) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return "", fmt.Errorf("%q: \"%%\" must be followed by two hex digits (write %%25 for a literal \"%%\")", s)
		}
		b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
		i += 2
	}
	return b.String(), nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
