package bench

import (
	"fmt"
	"slices"
	"strings"
)

// RouteCount is how many requests one route took.
type RouteCount struct {
	Method string // GET, PUT, ...
	Route  string // the route pattern, shortened by ShortRoute
	Count  int
}

// methodOrder sorts methods the way people read them.
var methodOrder = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}

func methodRank(m string) int {
	if i := slices.Index(methodOrder, m); i >= 0 {
		return i
	}
	return len(methodOrder)
}

// ShortRoute drops what every route shares: the "/client/v4" prefix and the
// account ("/accounts/{account_id}"), so "/client/v4/accounts/{account_id}/
// workers/scripts/{script_name}" reads "/workers/scripts/{script_name}".
func ShortRoute(pattern string) string {
	p := strings.TrimPrefix(pattern, "/client/v4")
	if rest, ok := strings.CutPrefix(p, "/accounts/{account_id}"); ok {
		if rest == "" {
			rest = "/"
		}
		p = rest
	}
	return p
}

// splitKey splits a request-log key ("GET /client/v4/...", or
// "GET (no route) /path" for a request no route matched) into method and
// shortened route.
func splitKey(key string) (method, route string) {
	method, rest, ok := strings.Cut(key, " ")
	if !ok || method == "" || strings.ToUpper(method) != method || strings.HasPrefix(method, "/") {
		return "?", ShortRoute(key)
	}
	if r, ok := strings.CutPrefix(rest, "(no route) "); ok {
		return method, "(no route) " + ShortRoute(r)
	}
	return method, ShortRoute(rest)
}

// Routes turns request-log counts (keyed "METHOD pattern") into a list
// sorted by count, then route, then method. Keys that differ only in the
// shortened part are merged.
func Routes(counts map[string]int) []RouteCount {
	merged := map[[2]string]int{}
	for key, n := range counts {
		if n == 0 {
			continue
		}
		m, r := splitKey(key)
		merged[[2]string{m, r}] += n
	}
	out := make([]RouteCount, 0, len(merged))
	for k, n := range merged {
		out = append(out, RouteCount{Method: k[0], Route: k[1], Count: n})
	}
	slices.SortFunc(out, func(a, b RouteCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if c := strings.Compare(a.Route, b.Route); c != 0 {
			return c
		}
		return methodRank(a.Method) - methodRank(b.Method)
	})
	return out
}

// Total is the number of requests in counts.
func Total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// MethodCount is how many requests used one method.
type MethodCount struct {
	Method string
	Count  int
}

// ByMethod sums counts per method, in reading order (GET, POST, PUT,
// PATCH, DELETE, then any other).
func ByMethod(counts map[string]int) []MethodCount {
	sums := map[string]int{}
	for key, n := range counts {
		m, _ := splitKey(key)
		sums[m] += n
	}
	out := make([]MethodCount, 0, len(sums))
	for m, n := range sums {
		if n > 0 {
			out = append(out, MethodCount{m, n})
		}
	}
	slices.SortFunc(out, func(a, b MethodCount) int {
		if r := methodRank(a.Method) - methodRank(b.Method); r != 0 {
			return r
		}
		return strings.Compare(a.Method, b.Method)
	})
	return out
}

// FormatByMethod prints counts per method: "GET 12, PUT 3"; "none" for
// no requests.
func FormatByMethod(counts map[string]int) string {
	parts := []string{}
	for _, mc := range ByMethod(counts) {
		parts = append(parts, fmt.Sprintf("%s %d", mc.Method, mc.Count))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// FormatRoutes prints counts per route on one line each:
// "GET /workers/scripts/{script_name} ×3".
func FormatRoutes(counts map[string]int) []string {
	var lines []string
	for _, rc := range Routes(counts) {
		lines = append(lines, fmt.Sprintf("%s %s ×%d", rc.Method, rc.Route, rc.Count))
	}
	return lines
}

// CountWhere sums the requests whose method and shortened route satisfy
// keep.
func CountWhere(counts map[string]int, keep func(method, route string) bool) int {
	n := 0
	for key, c := range counts {
		if m, r := splitKey(key); keep(m, r) {
			n += c
		}
	}
	return n
}

// AddCounts adds b into a (allocating a when nil) and returns a.
func AddCounts(a, b map[string]int) map[string]int {
	if a == nil {
		a = map[string]int{}
	}
	for k, n := range b {
		a[k] += n
	}
	return a
}
