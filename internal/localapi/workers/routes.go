package workers

import (
	"net/http"
	"slices"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// A route id that does not exist: 10009 for an update or a delete (DIST
// patches), 10007 for a read (DIST workers.test.ts, probed live), both 404.
var (
	errRouteNotFound     = core.Errorf(http.StatusNotFound, 10009, "Route not found")
	errRouteReadNotFound = core.Errorf(http.StatusNotFound, 10007, "Route not found")
)

// routeHost is the host part of a pattern without scheme or leading wildcard.
func routeHost(pattern string) string {
	p := pattern
	if i := strings.Index(p, "://"); i >= 0 {
		p = p[i+3:]
	}
	host, _, _ := strings.Cut(p, "/")
	host = strings.TrimPrefix(host, "*")
	return strings.TrimPrefix(strings.ToLower(host), ".")
}

func inZone(pattern string, zone core.Zone) bool {
	h := routeHost(pattern)
	return h == zone.Name || strings.HasSuffix(h, "."+zone.Name) || strings.HasSuffix(h, zone.Name) && strings.HasPrefix(pattern, "*")
}

// checkRoute validates a route as the zone routes API does. Call inside the
// store lock; except is the id of the route being replaced. A zone route
// does not see a script uploaded a moment ago (DIST PR #368); the script's
// own routes endpoint does: wrangler deploy PUTs it right after the upload,
// without a retry (workers-sdk deploy/deploy.ts), and first deploys with
// routes work on Cloudflare.
func (a *area) checkRoute(zone core.Zone, pattern, script, except string, scriptScoped bool) *core.Error {
	if strings.TrimSpace(pattern) == "" || strings.ContainsAny(pattern, " \t") || !inZone(pattern, zone) {
		return core.Errorf(http.StatusBadRequest, 10022, "Route pattern must include zone name: %s", pattern)
	}
	if sc := a.state.Script(script); script != "" && (sc == nil || !scriptScoped && !a.env.Visible(sc.Created())) {
		return core.Errorf(http.StatusBadRequest, 10019,
			"Cannot configure a route for a Worker which does not exist. Please ensure this Worker exists and try again.")
	}
	for _, rt := range a.state.Routes {
		if rt.ZoneID == zone.ID && rt.Pattern == pattern && rt.ID != except {
			return core.Errorf(http.StatusConflict, 10020, "A route with the same pattern already exists: %s", pattern)
		}
	}
	return nil
}

func routeJSON(rt Route) map[string]any {
	return map[string]any{"id": rt.ID, "pattern": rt.Pattern, "script": rt.Script}
}

type routeBody struct {
	Pattern string `json:"pattern"`
	Script  string `json:"script"`
}

func (a *area) registerRoutes() {
	const base = "/zones/{zone_id}/workers/routes"

	a.env.Handle("GET "+base, func(r *http.Request) (any, *core.Error) {
		out := []map[string]any{}
		a.env.Store.Read(func() {
			for _, rt := range a.state.Routes {
				if rt.ZoneID == r.PathValue("zone_id") {
					out = append(out, routeJSON(rt))
				}
			}
		})
		return out, nil
	})

	a.env.Handle("POST "+base, func(r *http.Request) (any, *core.Error) {
		var body routeBody
		if err := core.DecodeJSON(r, &body); err != nil {
			return nil, err
		}
		zone, _ := a.env.Zone(r.PathValue("zone_id"))
		rt := Route{ID: core.NewID(), ZoneID: zone.ID, Pattern: body.Pattern, Script: body.Script}
		err := a.env.Store.Write(func() *core.Error {
			if err := a.checkRoute(zone, body.Pattern, body.Script, "", false); err != nil {
				return err
			}
			a.state.Routes = append(a.state.Routes, rt)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return routeJSON(rt), nil
	})

	find := func(r *http.Request) int {
		return slices.IndexFunc(a.state.Routes, func(rt Route) bool {
			return rt.ID == r.PathValue("route_id") && rt.ZoneID == r.PathValue("zone_id")
		})
	}

	a.env.Handle("GET "+base+"/{route_id}", func(r *http.Request) (any, *core.Error) {
		var out map[string]any
		a.env.Store.Read(func() {
			if i := find(r); i >= 0 {
				out = routeJSON(a.state.Routes[i])
			}
		})
		if out == nil {
			return nil, errRouteReadNotFound
		}
		return out, nil
	})

	a.env.Handle("PUT "+base+"/{route_id}", func(r *http.Request) (any, *core.Error) {
		var body routeBody
		if err := core.DecodeJSON(r, &body); err != nil {
			return nil, err
		}
		zone, _ := a.env.Zone(r.PathValue("zone_id"))
		var out map[string]any
		err := a.env.Store.Write(func() *core.Error {
			i := find(r)
			if i < 0 {
				return errRouteNotFound
			}
			if err := a.checkRoute(zone, body.Pattern, body.Script, a.state.Routes[i].ID, false); err != nil {
				return err
			}
			a.state.Routes[i].Pattern, a.state.Routes[i].Script = body.Pattern, body.Script
			out = routeJSON(a.state.Routes[i])
			return nil
		})
		return out, err
	})

	a.env.Handle("DELETE "+base+"/{route_id}", func(r *http.Request) (any, *core.Error) {
		var id string
		err := a.env.Store.Write(func() *core.Error {
			i := find(r)
			if i < 0 {
				return errRouteNotFound
			}
			id = a.state.Routes[i].ID
			a.state.Routes = slices.Delete(a.state.Routes, i, i+1)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return map[string]string{"id": id}, nil
	})

	a.registerScriptRoutes()
}

// registerScriptRoutes serves the script-scoped routes wrangler deploy
// uses: PUT replaces every route of the script.
func (a *area) registerScriptRoutes() {
	const base = "/accounts/{account_id}/workers/scripts/{script_name}/routes"

	list := func(name string) []map[string]any {
		out := []map[string]any{}
		for _, rt := range a.state.Routes {
			if rt.Script == name {
				out = append(out, routeJSON(rt))
			}
		}
		return out
	}

	a.env.Handle("GET "+base, a.readScript(func(r *http.Request, s *Script) (any, *core.Error) {
		return list(s.Name), nil
	}))

	a.env.Handle("PUT "+base, func(r *http.Request) (any, *core.Error) {
		var body []struct {
			Pattern      string `json:"pattern"`
			ZoneID       string `json:"zone_id"`
			ZoneName     string `json:"zone_name"`
			CustomDomain bool   `json:"custom_domain"`
		}
		if err := core.DecodeJSON(r, &body); err != nil {
			return nil, err
		}
		var out []map[string]any
		err := a.env.Store.Write(func() *core.Error {
			s, err := a.script(r)
			if err != nil {
				return err
			}
			var routes []Route
			for _, b := range body {
				if b.CustomDomain {
					return core.Errorf(http.StatusBadRequest, 10021, "custom domains are not supported by the local API: %s", b.Pattern)
				}
				zone, ok := a.zoneFor(b.ZoneID, b.ZoneName, b.Pattern)
				if !ok {
					return core.Errorf(http.StatusBadRequest, 10022, "Route pattern must include zone name: %s", b.Pattern)
				}
				var existing string
				for _, rt := range a.state.Routes {
					if rt.ZoneID == zone.ID && rt.Pattern == b.Pattern {
						if rt.Script != s.Name {
							return core.Errorf(http.StatusConflict, 10020, "A route with the same pattern already exists for Worker %q: %s", rt.Script, b.Pattern)
						}
						existing = rt.ID
					}
				}
				if err := a.checkRoute(zone, b.Pattern, s.Name, existing, true); err != nil {
					return err
				}
				id := existing
				if id == "" {
					id = core.NewID()
				}
				routes = append(routes, Route{ID: id, ZoneID: zone.ID, Pattern: b.Pattern, Script: s.Name})
			}
			a.state.Routes = slices.DeleteFunc(a.state.Routes, func(rt Route) bool { return rt.Script == s.Name })
			a.state.Routes = append(a.state.Routes, routes...)
			out = list(s.Name)
			return nil
		})
		return out, err
	})
}

// zoneFor finds the zone of a script route: given by id or name, or else the
// served zone whose name ends the pattern's host.
func (a *area) zoneFor(id, name, pattern string) (core.Zone, bool) {
	for _, z := range a.env.Zones {
		switch {
		case id != "" && z.ID == id, name != "" && z.Name == name:
			return z, true
		case id == "" && name == "" && inZone(pattern, z):
			return z, true
		}
	}
	return core.Zone{}, false
}
