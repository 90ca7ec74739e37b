package workerroute_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

const (
	addr    = "officehours_worker_route.api"
	script  = "cf-office-hours-api-production"
	pattern = "api.officehours.youcanjustdothings.io/*"
)

func hcl(t *testing.T, cf *acctest.Cloudflare, pattern string) string {
	main := filepath.Join(t.TempDir(), "index.js")
	if err := os.WriteFile(main, []byte("export default { async fetch() { return new Response('ok') } }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
data "officehours_zone" "main" {
  name = %q
}

resource "officehours_worker_script" "api" {
  name               = %q
  main_module        = %q
  compatibility_date = "2025-03-11"
}

resource "officehours_worker_route" "api" {
  zone_id     = data.officehours_zone.main.id
  pattern     = %q
  script_name = officehours_worker_script.api.name
}
`, localapi.DefaultZone, script, main, pattern)
}

type apiRoute struct{ ID, Pattern, Script string }

func routes(t *testing.T, cf *acctest.Cloudflare) []apiRoute {
	t.Helper()
	var list []apiRoute
	if err := json.Unmarshal(cf.Call(t, "GET", "/zones/"+cf.ZoneID(localapi.DefaultZone)+"/workers/routes", nil), &list); err != nil {
		t.Fatalf("reading the zone's routes: %v", err)
	}
	return list
}

const routesPost = "POST /client/v4/zones/{zone_id}/workers/routes"

// onlyOurs checks that the zone has exactly the configured route, as state has it.
func onlyOurs(t *testing.T, cf *acctest.Cloudflare) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		got := routes(t, cf)
		id := s.RootModule().Resources[addr].Primary.ID
		if len(got) != 1 || got[0] != (apiRoute{id, pattern, script}) {
			return fmt.Errorf("routes of the zone: %+v, want only {%s %s %s}", got, id, pattern, script)
		}
		return nil
	}
}

func TestAccWorkerRoute_lifecycleImportDrift(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	zone := cf.ZoneID(localapi.DefaultZone)
	cfg := hcl(t, cf, pattern)
	var routeID string
	routePath := func() string { return "/zones/" + zone + "/workers/routes/" + routeID }

	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			if got := routes(t, cf); len(got) != 0 {
				return fmt.Errorf("routes left after destroy: %+v", got)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // a bad pattern fails at plan, before anything is sent, naming the attribute
				Config:      hcl(t, cf, "API.officehours.youcanjustdothings.io/*/x"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Attribute pattern.*lowercase host`),
			},
			{ // script and route in one apply: the route is refused (10019) until the new script is
				// visible to the routes API (the local API's propagation delay), then made; the
				// framework then checks a second plan is empty
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("zone_id"), knownvalue.StringExact(zone)),
				},
				Check: resource.ComposeTestCheckFunc(onlyOurs(t, cf), func(s *terraform.State) error {
					routeID = s.RootModule().Resources[addr].Primary.ID
					if posts := cf.Requests().Counts()[routesPost]; posts < 2 {
						return fmt.Errorf("%d route creates: the propagation delay never refused one", posts)
					}
					return nil
				}),
			},
			{ // import by zone_id/route_id
				ResourceName: addr, ImportState: true, ImportStateVerify: true, Config: cfg,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return zone + "/" + routeID, nil },
			},
			{ // changed outside Terraform (another pattern, no script): drift planned and set back
				PreConfig: func() {
					cf.Call(t, "PUT", routePath(), map[string]string{"pattern": "api-old.officehours.youcanjustdothings.io/*"})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("pattern"), knownvalue.StringExact(pattern)),
				}},
				Check: onlyOurs(t, cf),
			},
			{ // deleted outside Terraform: re-created
				PreConfig: func() { cf.Call(t, "DELETE", routePath(), nil) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
				Check: onlyOurs(t, cf),
			},
		},
	})
}

// A pattern another route already has fails with how to import that route.
func TestAccWorkerRoute_duplicatePatternSaysHowToImport(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	zone := cf.ZoneID(localapi.DefaultZone)
	var taken apiRoute
	cf.Decode(t, "POST", "/zones/"+zone+"/workers/routes", map[string]string{"pattern": pattern}, &taken)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      hcl(t, cf, pattern),
			ExpectError: regexp.MustCompile(`(?s)pattern already taken.*import\s+it\s+with\s+` + "`" + `terraform\s+import\s+<address>\s+` + zone + "/" + taken.ID + "`"),
		}},
	})
}

// A route to a Worker that does not exist is retried while Cloudflare may
// still be propagating it, then named as a misconfiguration.
func TestAccWorkerRoute_missingScriptIsNamedAfterWaiting(t *testing.T) {
	old := clients.SettleTimeout
	clients.SettleTimeout = 2 * time.Second
	t.Cleanup(func() { clients.SettleTimeout = old })
	cf := acctest.NewCloudflare(t)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
resource "officehours_worker_route" "api" {
  zone_id     = %q
  pattern     = %q
  script_name = "no-such-worker"
}
`, cf.ZoneID(localapi.DefaultZone), pattern),
			ExpectError: regexp.MustCompile(`(?s)Worker not found.*10019.*still refused after.*No Worker named "no-such-worker"\s+exists`),
		}},
	})
	if posts := cf.Requests().Counts()[routesPost]; posts < 2 {
		t.Fatalf("%d route creates: the refusal was not retried", posts)
	}
	if got := routes(t, cf); len(got) != 0 {
		t.Fatalf("routes made: %+v", got)
	}
}

// A host outside the zone is refused at plan, naming the zone; nothing is sent.
func TestAccWorkerRoute_hostOutsideTheZoneRefusedAtPlan(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      hcl(t, cf, "api.example.com/*"),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Route host not in the zone.*"api\.example\.com".*not\s+in\s+zone\s+officehours\.youcanjustdothings\.io`),
		}},
	})
	for route := range cf.Requests().Counts() {
		if !strings.HasPrefix(route, "GET ") {
			t.Fatalf("a refused plan sent %s", route)
		}
	}
}
