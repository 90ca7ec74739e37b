package localruntime

import (
	"sort"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/workers"
)

// A route pattern is "host/path" with an optional scheme, a leading "*" on
// the host and a trailing "*" on the path. The most specific pattern wins,
// by the score of Cloudflare's routing table as Miniflare adapts it
// (workers-sdk packages/miniflare/src/plugins/shared/routing.ts): each host
// label counts 26, each path segment 1, a wildcard host loses two labels and
// a wildcard path two segments; ties go to the longer pattern.
type route struct {
	script     string
	pattern    string
	scheme     string // "" matches both
	host       string // without the leading "*"
	hostPrefix bool   // the host began with "*"
	anyHost    bool   // the host was "*"
	path       string // without the trailing "*"
	pathPrefix bool
	score      int
}

func parseRoute(pattern, script string) (route, bool) {
	r := route{script: script, pattern: pattern}
	rest := pattern
	if scheme, after, ok := strings.Cut(rest, "://"); ok {
		r.scheme, rest = strings.ToLower(scheme), after
	}
	host, path, _ := strings.Cut(rest, "/")
	path = "/" + path
	if strings.Contains(path, "?") {
		return route{}, false // Cloudflare refuses query strings in routes
	}
	labels := len(strings.Split(host, "."))
	segments := len(strings.Split(path, "/"))
	if strings.HasPrefix(host, "*") {
		labels -= 2
		r.hostPrefix, r.anyHost = true, host == "*"
		host = host[1:]
	}
	if strings.HasSuffix(path, "*") {
		segments -= 2
		r.pathPrefix = true
		path = path[:len(path)-1]
	}
	if strings.Contains(host+path, "*") {
		return route{}, false // infix wildcards are refused too
	}
	r.host, r.path, r.score = strings.ToLower(host), path, labels*26+segments
	return r, true
}

// routeTable is the routes of every zone, most specific first.
type routeTable []route

func newRouteTable(routes []workers.Route) routeTable {
	var t routeTable
	for _, rt := range routes {
		// A route without a Worker is kept: it sends what it matches to the
		// origin, past less specific routes (Cloudflare's routes docs).
		if r, ok := parseRoute(rt.Pattern, rt.Script); ok {
			t = append(t, r)
		}
	}
	sort.SliceStable(t, func(i, j int) bool {
		if t[i].score != t[j].score {
			return t[i].score > t[j].score
		}
		return len(t[i].pattern) > len(t[j].pattern)
	})
	return t
}

// match returns the script the most specific matching route names; matched
// with no script means the route sends the request to the origin.
func (t routeTable) match(scheme, host, pathAndQuery string) (script string, matched bool) {
	host = strings.ToLower(host)
	for _, r := range t {
		if r.scheme != "" && r.scheme != scheme {
			continue
		}
		switch {
		case r.anyHost:
		case r.hostPrefix && !strings.HasSuffix(host, r.host):
			continue
		case !r.hostPrefix && host != r.host:
			continue
		}
		if r.pathPrefix && !strings.HasPrefix(pathAndQuery, r.path) || !r.pathPrefix && pathAndQuery != r.path {
			continue
		}
		return r.script, true
	}
	return "", false
}
