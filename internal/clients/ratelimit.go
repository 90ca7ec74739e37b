package clients

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Cloudflare's REST answers carry the IETF draft's rate limit fields
// (developers.cloudflare.com changelog 2025-09-03, "Introducing new headers
// for rate limiting on Cloudflare's API"; fundamentals/api/reference/limits):
//
//	Ratelimit: "default";r=50;t=30         name, requests left, seconds until the window resets
//	Ratelimit-Policy: "default";q=1200;w=300   name, quota, window in seconds
//
// Both are lists of such items. Older answers and other APIs (GraphQL) have
// neither, and then only the provider's own window applies.

// quota is one Ratelimit item joined with its policy.
type quota struct {
	remaining int
	reset     time.Duration
	quota     int
	window    time.Duration
}

// tightestQuota returns the item with the fewest requests left.
func tightestQuota(h http.Header) (quota, bool) {
	if h == nil {
		return quota{}, false
	}
	items := parseFieldList(h.Get("Ratelimit"))
	policies := map[string]map[string]int{}
	for _, p := range parseFieldList(h.Get("Ratelimit-Policy")) {
		policies[p.name] = p.params
	}
	var best quota
	found := false
	for _, it := range items {
		r, okR := it.params["r"]
		t, okT := it.params["t"]
		if !okR || !okT {
			continue
		}
		q := quota{remaining: r, reset: time.Duration(t) * time.Second, quota: CloudflareWindowRequests, window: CloudflareWindow}
		if p, ok := policies[it.name]; ok && p["q"] > 0 && p["w"] > 0 {
			q.quota, q.window = p["q"], time.Duration(p["w"])*time.Second
		}
		if !found || q.remaining < best.remaining {
			best, found = q, true
		}
	}
	return best, found
}

type fieldItem struct {
	name   string
	params map[string]int
}

// parseFieldList reads a structured-field list of items with integer
// parameters (RFC 8941, the part these headers use); what it cannot read it
// skips.
func parseFieldList(v string) []fieldItem {
	var out []fieldItem
	for _, member := range strings.Split(v, ",") {
		parts := strings.Split(member, ";")
		name := strings.Trim(strings.TrimSpace(parts[0]), `"`)
		if name == "" {
			continue
		}
		it := fieldItem{name: name, params: map[string]int{}}
		for _, p := range parts[1:] {
			k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok {
				continue
			}
			if n, err := strconv.Atoi(val); err == nil && n >= 0 {
				it.params[k] = n
			}
		}
		out = append(out, it)
	}
	return out
}
