package workers_test

import (
	"testing"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

type route struct{ ID, Pattern, Script string }

func TestZoneRoutes(t *testing.T) {
	a := start(t)
	zone := a.base + "/zones/" + a.srv.ZoneID(localapi.DefaultZone) + "/workers/routes"
	a.mustPut("api", worker(doCode, nil, nil))

	var rt route
	a.ok("POST", zone, map[string]string{"pattern": "api.officehours.youcanjustdothings.io/*", "script": "api"}, &rt)
	if rt.ID == "" || rt.Script != "api" {
		t.Fatalf("created %+v", rt)
	}
	a.fails("POST", zone, map[string]string{"pattern": "api.officehours.youcanjustdothings.io/*", "script": "api"}, 409, 10020)
	a.fails("POST", zone, map[string]string{"pattern": "example.com/*", "script": "api"}, 400, 10022)
	a.fails("POST", zone, map[string]string{"pattern": "x.officehours.youcanjustdothings.io/*", "script": "missing"}, 400, 10019)
	a.ok("POST", zone, map[string]string{"pattern": "*.officehours.youcanjustdothings.io/static*"}, nil)

	var got route
	a.ok("PUT", zone+"/"+rt.ID, map[string]string{"pattern": "api.officehours.youcanjustdothings.io/v2/*", "script": "api"}, &got)
	a.ok("GET", zone+"/"+rt.ID, nil, &got)
	if got.Pattern != "api.officehours.youcanjustdothings.io/v2/*" {
		t.Fatalf("after update %+v", got)
	}
	var list []route
	a.ok("GET", zone, nil, &list)
	if len(list) != 2 {
		t.Fatalf("list %+v", list)
	}
	a.ok("DELETE", zone+"/"+rt.ID, nil, nil)
	// A missing route reads as 10007 (DIST workers.test.ts) and updates or
	// deletes as 10009 (DIST patches).
	a.fails("GET", zone+"/"+rt.ID, nil, 404, 10007)
	a.fails("DELETE", zone+"/"+rt.ID, nil, 404, 10009)
	a.fails("GET", a.base+"/zones/ffffffffffffffffffffffffffffffff/workers/routes", nil, 400, 7003)
}

func TestScriptRoutesReplaceTheScriptsRoutes(t *testing.T) {
	a := start(t)
	zone := a.base + "/zones/" + a.srv.ZoneID(localapi.DefaultZone) + "/workers/routes"
	a.mustPut("api", worker(doCode, nil, nil))
	a.mustPut("web", worker(doCode, nil, nil))
	a.ok("POST", zone, map[string]string{"pattern": "web.officehours.youcanjustdothings.io/*", "script": "web"}, nil)

	scriptRoutes := a.acct + "/workers/scripts/api/routes"
	a.ok("PUT", scriptRoutes, []map[string]string{
		{"pattern": "api.officehours.youcanjustdothings.io/*", "zone_name": localapi.DefaultZone},
		{"pattern": "api2.officehours.youcanjustdothings.io/*"},
	}, nil)
	var first []route
	a.ok("GET", scriptRoutes, nil, &first)
	a.ok("PUT", scriptRoutes, []map[string]string{{"pattern": "api.officehours.youcanjustdothings.io/*"}}, nil)
	var list []route
	a.ok("GET", zone, nil, &list)
	if len(list) != 2 {
		t.Fatalf("zone routes %+v: api's second route should be gone, web's kept", list)
	}
	// An unchanged route keeps its id across a replace.
	for _, r := range list {
		if r.Script == "api" && r.ID != first[0].ID {
			t.Fatalf("route id changed: %s -> %s", first[0].ID, r.ID)
		}
	}
	a.fails("PUT", scriptRoutes, []map[string]string{{"pattern": "web.officehours.youcanjustdothings.io/*"}}, 409, 10020)
}
