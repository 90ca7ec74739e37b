package localapi

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// wellFormedToken is the shape of a Cloudflare API token: 40 characters of
// letters, digits, - and _. Anything else in a Bearer header is answered
// as malformed (6003 with 6111), not as a wrong token; no source states
// the exact rule, so this is the strictest plausible one.
var wellFormedToken = regexp.MustCompile(`^[A-Za-z0-9_-]{40}$`)

// permissionFor names the permission group a request needs, as Cloudflare's
// token permission groups are named ("Workers Scripts Write"); "" for the
// endpoints every valid token may call. path is the route pattern's path.
func permissionFor(method, path string) string {
	level := " Write"
	if method == http.MethodGet || method == http.MethodHead {
		level = " Read"
	}
	switch {
	case strings.Contains(path, "/storage/kv/"):
		return "Workers KV Storage" + level
	case strings.HasPrefix(path, "/zones/") && strings.Contains(path, "/workers/routes"):
		return "Workers Routes" + level
	case strings.Contains(path, "/workers/"):
		return "Workers Scripts" + level
	case strings.Contains(path, "/pages/"):
		return "Pages" + level
	case strings.Contains(path, "/dns_records"):
		return "DNS" + level
	case strings.Contains(path, "/healthchecks"):
		return "Health Checks" + level
	case strings.Contains(path, "/alerting/"):
		return "Notifications" + level
	case strings.HasPrefix(path, "/zones"):
		return "Zone Read"
	}
	return ""
}

// grants reports whether a token's permission groups cover want; a Write
// group covers its Read.
func grants(groups []string, want string) bool {
	if want == "" {
		return true
	}
	for _, g := range groups {
		if g == want || strings.TrimSuffix(g, " Write")+" Read" == want {
			return true
		}
	}
	return false
}

// authenticate answers nil for a request the token may make, or the error
// Cloudflare answers: 400 with 6003/6111 for a missing or malformed header,
// 403 with 10000 for a token that is unknown or lacks the permission.
func (s *Server) authenticate(r *http.Request, routePath string) *core.Error {
	if strings.HasPrefix(routePath, "/pages/assets/") {
		return nil // Pages direct upload takes the project's upload token, which the pages area checks
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || !wellFormedToken.MatchString(token) {
		return core.ErrBadAuthHeader()
	}
	if token == s.token {
		return nil
	}
	if strings.HasPrefix(routePath, adminPrefix) {
		return core.ErrAuthentication // the stand-in's own endpoints need the full token
	}
	groups, known := s.restricted[token]
	if !known || !grants(groups, permissionFor(r.Method, routePath)) {
		return core.ErrAuthentication
	}
	return nil
}
