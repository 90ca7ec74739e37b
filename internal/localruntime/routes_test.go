package localruntime

import (
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/workers"
)

// Matching follows Cloudflare's routing table as Miniflare adapts it
// (workers-sdk packages/miniflare/src/plugins/shared/routing.ts and its
// tests): the most specific route wins, whatever order they were made in.
func TestRouteTableMatchesTheMostSpecificRoute(t *testing.T) {
	table := newRouteTable([]workers.Route{
		{Pattern: "*example.com/*", Script: "any-subdomain"},
		{Pattern: "api.example.com/*", Script: "api"},
		{Pattern: "api.example.com/v2/*", Script: "api-v2"},
		{Pattern: "api.example.com/exact", Script: "exact"},
		{Pattern: "http://insecure.example.com/*", Script: "http-only"},
		{Pattern: "origin.example.com/*"}, // no Worker: the origin answers
		{Pattern: "bad.example.com/a*b", Script: "infix"},
		{Pattern: "query.example.com/?a=1", Script: "query"},
	})
	for _, tc := range []struct {
		scheme, host, path, want string
		matched                  bool
	}{
		{"https", "api.example.com", "/health", "api", true},
		{"https", "API.example.com", "/health", "api", true},
		{"https", "api.example.com", "/v2/slots?day=1", "api-v2", true},
		{"https", "api.example.com", "/exact", "exact", true},
		{"https", "api.example.com", "/exact/more", "api", true},
		{"https", "www.example.com", "/", "any-subdomain", true},
		{"https", "example.com", "/", "any-subdomain", true},
		{"https", "insecure.example.com", "/", "any-subdomain", true},
		{"http", "insecure.example.com", "/", "http-only", true},
		{"https", "origin.example.com", "/", "", true},
		{"https", "bad.example.com", "/axb", "any-subdomain", true},
		{"https", "example.org", "/", "", false},
	} {
		got, ok := table.match(tc.scheme, tc.host, tc.path)
		if got != tc.want || ok != tc.matched {
			t.Errorf("%s://%s%s: routed to %q (matched %v), want %q (matched %v)", tc.scheme, tc.host, tc.path, got, ok, tc.want, tc.matched)
		}
	}
}

func TestPickVersionHonoursOverridesAndShares(t *testing.T) {
	tr := Traffic{Script: "api", Versions: []VersionShare{
		{ID: "aaaaaaaa-0000-0000-0000-000000000001", Percentage: 90},
		{ID: "bbbbbbbb-0000-0000-0000-000000000002", Percentage: 10},
	}}
	if v := pickVersion(tr, `api="bbbbbbbb-0000-0000-0000-000000000002"`); v.ID != tr.Versions[1].ID {
		t.Errorf("the override header picked %s", v.ID)
	}
	if v := pickVersion(tr, `other="bbbbbbbb-0000-0000-0000-000000000002"`); v.ID == "" {
		t.Error("an override for another script picked nothing")
	}
	counts := map[string]int{}
	for range 10000 {
		counts[pickVersion(tr, "").ID]++
	}
	// 10% of 10,000 is 1,000; 4 standard deviations either side is 880..1120.
	if n := counts[tr.Versions[1].ID]; n < 880 || n > 1120 {
		t.Errorf("the 10%% version served %d of 10,000 requests", n)
	}
}
