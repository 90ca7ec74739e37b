package workerroute_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
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
	var list []apiRoute
	json.Unmarshal(cf.Call(t, "GET", "/zones/"+cf.ZoneID(localapi.DefaultZone)+"/workers/routes", nil), &list)
	return list
}

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
			{ // create on the zone; the framework then checks a second plan is empty
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("zone_id"), knownvalue.StringExact(zone)),
				},
				Check: resource.ComposeTestCheckFunc(onlyOurs(t, cf), func(s *terraform.State) error {
					routeID = s.RootModule().Resources[addr].Primary.ID
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
	json.Unmarshal(cf.Call(t, "POST", "/zones/"+zone+"/workers/routes", map[string]string{"pattern": pattern}), &taken)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      hcl(t, cf, pattern),
			ExpectError: regexp.MustCompile(`(?s)pattern already taken.*import\s+it\s+with\s+` + "`" + `terraform\s+import\s+<address>\s+` + zone + "/" + taken.ID + "`"),
		}},
	})
}
