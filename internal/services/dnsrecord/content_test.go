package dnsrecord

import (
	"strings"
	"testing"
)

func TestCheckContent(t *testing.T) {
	for _, tc := range []struct {
		typ, content string
		wantErr      string // "" for valid
	}{
		{"A", "192.0.2.1", ""},
		{"A", "2001:db8::1", "IPv4"},
		{"A", "192.0.2", "IPv4"},
		{"AAAA", "2001:db8::1", ""},
		{"AAAA", "2001:DB8:0:0:0:0:0:1", `as "2001:db8::1"`},
		{"AAAA", "::ffff:192.0.2.1", "IPv6"},
		{"CNAME", "cf-office-hours.pages.dev", ""},
		{"CNAME", "cf-office-hours.pages.dev.", "without a trailing dot"},
		{"CNAME", "CF-Office-Hours.pages.dev", "lowercase"},
		{"CNAME", "not a host", "hostname"},
		{"MX", "mx.example.com", ""},
		{"TXT", "v=spf1 -all", ""},
		{"TXT", strings.Repeat("x", 2049), "2048"},
		{"TXT", "", "1 to 2048"},
	} {
		err := checkContent(tc.typ, tc.content)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s %q: unexpected error %v", tc.typ, tc.content, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s %q: error %v, want one containing %q", tc.typ, tc.content, err, tc.wantErr)
		}
	}
}
