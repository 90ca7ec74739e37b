package workerscript_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	tfconfig "github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

// The seven secrets of the CF Office Hours API and test values for them.
var officeHoursSecrets = map[string]string{
	"SUPABASE_SERVICE_ROLE_KEY": "sb-service-role-4b1f7c",
	"SUPABASE_JWT_SECRET":       "sb-jwt-secret-9e2d11",
	"GOOGLE_CLIENT_SECRET":      "google-client-3a8c55",
	"MICROSOFT_CLIENT_SECRET":   "microsoft-client-77d0e4",
	"AIRTABLE_API_KEY":          "airtable-key-c61b29",
	"JWT_SECRET":                "jwt-secret-05fa93",
	"WEBHOOK_SECRET":            "webhook-secret-e8b470",
}

func secretValues() []string {
	var out []string
	for _, v := range officeHoursSecrets {
		out = append(out, v)
	}
	return out
}

// officeHours is the whole API Worker of CF Office Hours, as a test varies
// it: the bundle exporting SlotGenerator, two KV namespaces, the Durable
// Object binding to its own class, the seven secrets (for_each over their
// names, values from an ephemeral variable as a real configuration takes
// them) and the route on the zone.
type officeHours struct {
	main string
	// forgetScript drops the script from the state (a removed block) and
	// leaves it in Cloudflare; importScript adopts it again (an import block).
	forgetScript, importScript bool
	noSecrets                  bool // the secrets left out of the configuration
}

func (o officeHours) hcl(cf *acctest.Cloudflare) string {
	names := make([]string, 0, len(officeHoursSecrets))
	for n := range officeHoursSecrets {
		names = append(names, fmt.Sprintf("%q", n))
	}
	sort.Strings(names)
	scriptName := "officehours_worker_script.api.name"
	script := fmt.Sprintf(`
resource "officehours_worker_script" "api" {
  name                = "cf-office-hours-api-production"
  main_module         = %q
  compatibility_date  = "2025-03-11"
  compatibility_flags = ["nodejs_compat"]
  vars                = { ENVIRONMENT = "production" }
  kv_namespaces = {
    CACHE      = officehours_kv_namespace.cache.id
    RATE_LIMIT = officehours_kv_namespace.rate_limit.id
  }
  durable_object_bindings = {
    SLOT_GENERATOR = { class_name = "SlotGenerator" }
  }
  durable_object_classes = {
    SlotGenerator = {}
  }
}
`, o.main)
	switch {
	case o.forgetScript:
		scriptName = `"cf-office-hours-api-production"`
		script = `
removed {
  from = officehours_worker_script.api
  lifecycle {
    destroy = false
  }
}
`
	case o.importScript:
		script += `
import {
  to = officehours_worker_script.api
  id = "cf-office-hours-api-production"
}
`
	}
	secrets := fmt.Sprintf(`
variable "secrets" {
  type      = map(string)
  ephemeral = true
  sensitive = true
}

resource "officehours_worker_secret" "api" {
  for_each    = toset([%s])
  script_name = %s
  name        = each.key
  value_wo    = var.secrets[each.key]
}
`, strings.Join(names, ", "), scriptName)
	if o.noSecrets {
		secrets = ""
	}
	return acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
data "officehours_zone" "main" {
  name = %q
}

resource "officehours_kv_namespace" "cache" {
  title = "cf-office-hours-api-production-CACHE"
}

resource "officehours_kv_namespace" "rate_limit" {
  title = "cf-office-hours-api-production-RATE_LIMIT"
}
%s%s
resource "officehours_worker_route" "api" {
  zone_id     = data.officehours_zone.main.id
  pattern     = "api.officehours.youcanjustdothings.io/*"
  script_name = %s
}
`, localapi.DefaultZone, script, secrets, scriptName)
}

func (o officeHours) vars() tfconfig.Variables {
	if o.noSecrets {
		return nil
	}
	return officeHoursVars()
}

func officeHoursVars() tfconfig.Variables {
	m := map[string]tfconfig.Variable{}
	for k, v := range officeHoursSecrets {
		m[k] = tfconfig.StringVariable(v)
	}
	return tfconfig.Variables{"secrets": tfconfig.MapVariable(m)}
}

// officeHoursLive checks that Cloudflare holds exactly the CF Office Hours
// API: one script with its bindings, two namespaces, one route, seven secrets.
func officeHoursLive(t *testing.T, cf *acctest.Cloudflare) error {
	return officeHoursLiveWith(t, cf, sortedKeys(officeHoursSecrets))
}

// officeHoursLiveWith is officeHoursLive with these secrets.
func officeHoursLiveWith(t *testing.T, cf *acctest.Cloudflare, secrets []string) error {
	var scripts []struct{ ID string }
	cf.Decode(t, "GET", cf.AccountPath("/workers/scripts"), nil, &scripts)
	var nss []struct{ ID, Title string }
	cf.Decode(t, "GET", cf.AccountPath("/storage/kv/namespaces?per_page=100"), nil, &nss)
	var routes []struct{ Pattern, Script string }
	cf.Decode(t, "GET", "/zones/"+cf.ZoneID(localapi.DefaultZone)+"/workers/routes", nil, &routes)
	if len(scripts) != 1 || len(nss) != 2 || len(routes) != 1 {
		return fmt.Errorf("live: %d scripts %+v, %d namespaces %+v, %d routes %+v; want 1, 2, 1", len(scripts), scripts, len(nss), nss, len(routes), routes)
	}
	if routes[0].Pattern != "api.officehours.youcanjustdothings.io/*" || routes[0].Script != "cf-office-hours-api-production" {
		return fmt.Errorf("route %+v", routes[0])
	}
	if got := secretNames(t, cf); !slices.Equal(got, secrets) {
		return fmt.Errorf("secrets %v, want %v", got, secrets)
	}
	var settings struct {
		Bindings []struct{ Type, Name, NamespaceID, ClassName string } `json:"bindings"`
	}
	cf.Decode(t, "GET", cf.AccountPath("/workers/scripts/cf-office-hours-api-production/settings"), nil, &settings)
	var kinds []string
	for _, b := range settings.Bindings {
		kinds = append(kinds, b.Name+":"+b.Type)
	}
	sort.Strings(kinds)
	want := []string{"CACHE:kv_namespace", "ENVIRONMENT:plain_text", "RATE_LIMIT:kv_namespace", "SLOT_GENERATOR:durable_object_namespace"}
	for _, name := range secrets {
		want = append(want, name+":secret_text")
	}
	sort.Strings(want)
	if !slices.Equal(kinds, want) {
		return fmt.Errorf("bindings %v, want %v", kinds, want)
	}
	if ns := namespaces(t, cf); len(ns) != 1 || ns["SlotGenerator"] == "" {
		return fmt.Errorf("Durable Object namespaces %v", ns)
	}
	return nil
}

// live is a state check that checks Cloudflare instead (the legacy Check
// functions cannot read a state holding for_each instances).
type live func() error

func (f live) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func secretNames(t *testing.T, cf *acctest.Cloudflare) []string {
	var list []struct{ Name string }
	cf.Decode(t, "GET", cf.AccountPath("/workers/scripts/cf-office-hours-api-production/secrets"), nil, &list)
	var out []string
	for _, s := range list {
		out = append(out, s.Name)
	}
	sort.Strings(out)
	return out
}

// terraform-plugin-testing cannot read a state with for_each instances
// (its legacy state shim), which rules out Check functions, import steps
// and its post-test destroy while the secrets are in the state. So live
// state is checked with state checks, the import is an import block after a
// removed block, and the last step takes the secrets out of the
// configuration (which must delete them).

func TestAccWorkerScript_officeHoursAPI(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	dir := t.TempDir()
	v1 := officeHours{main: bundle(t, filepath.Join(dir, "v1"), "v1", "SlotGenerator")}
	v2 := officeHours{main: bundle(t, filepath.Join(dir, "v2"), "v2", "SlotGenerator")}
	forget, adopt, noSecrets := v1, v1, v2
	forget.forgetScript, adopt.importScript, noSecrets.noSecrets = true, true, true
	absent := acctest.SecretsAbsent(secretValues()...)
	pre := func(checks ...plancheck.PlanCheck) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PreApply: append(checks, absent)}
	}

	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{ // one apply creates it all; the framework then checks a second plan is empty
				Config: v1.hcl(cf), ConfigVariables: v1.vars(),
				ConfigPlanChecks:  pre(),
				ConfigStateChecks: []statecheck.StateCheck{absent, live(func() error { return officeHoursLive(t, cf) })},
			},
			{ // the script leaves the state (not Cloudflare) ...
				Config: forget.hcl(cf), ConfigVariables: forget.vars(),
			},
			{ // ... and an import block adopts it: the plan is the import and nothing else
				Config: adopt.hcl(cf), ConfigVariables: adopt.vars(),
				ConfigPlanChecks:  pre(plancheck.ExpectEmptyPlan(), importing(addr)),
				ConfigStateChecks: []statecheck.StateCheck{absent},
			},
			{ // a code change is one upload of the script and nothing else; the secrets stay
				PreConfig: func() { cf.Requests().Reset() },
				Config:    v2.hcl(cf), ConfigVariables: v2.vars(),
				ConfigPlanChecks: pre(
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(`officehours_worker_secret.api["JWT_SECRET"]`, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("officehours_worker_route.api", plancheck.ResourceActionNoop),
				),
				ConfigStateChecks: []statecheck.StateCheck{absent, live(func() error {
					counts := cf.Requests().Counts()
					for route, n := range counts {
						if !strings.HasPrefix(route, "GET ") && (route != "PUT /client/v4"+scriptRoute || n != 1) {
							return fmt.Errorf("a code change sent %d× %s: %v", n, route, counts)
						}
					}
					if counts["PUT /client/v4"+scriptRoute] != 1 {
						return fmt.Errorf("no upload for a code change: %v", counts)
					}
					return officeHoursLive(t, cf)
				})},
			},
			{ // secrets taken out of the configuration are deleted; the rest stays
				Config: noSecrets.hcl(cf),
				Check:  func(*terraform.State) error { return officeHoursLiveWith(t, cf, nil) },
			},
		},
	})
}

// importing checks that the plan imports addr.
func importing(addr string) plancheck.PlanCheck { return importCheck(addr) }

type importCheck string

func (c importCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address == string(c) {
			if rc.Change.Importing == nil {
				resp.Error = fmt.Errorf("%s is planned %v, not imported", c, rc.Change.Actions)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("no change planned for %s", c)
}

// The whole API applied while the API answers a share of requests with 429
// (Retry-After) and 5xx, some after making the change, ends consistent: no
// duplicates, nothing missing, and a plan with no changes.
func TestAccWorkerScript_officeHoursAPIUnderFaults(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	all := officeHours{main: bundle(t, filepath.Join(t.TempDir(), "v1"), "v1", "SlotGenerator")}
	noSecrets := all
	noSecrets.noSecrets = true
	cf.SetFaults(localapi.Faults{RateLimitShare: 0.15, ServerErrorShare: 0.2, RetryAfter: 1, Seed: 11})
	var writes int
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: all.hcl(cf), ConfigVariables: all.vars(),
				ConfigStateChecks: []statecheck.StateCheck{live(func() error {
					cf.SetFaults(localapi.Faults{})
					for route, n := range cf.Requests().Counts() {
						if !strings.HasPrefix(route, "GET ") {
							writes += n
						}
					}
					return officeHoursLive(t, cf)
				})},
			},
			{ // with the API well again, a plan has nothing to do
				Config: all.hcl(cf), ConfigVariables: all.vars(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{Config: noSecrets.hcl(cf)}, // see TestAccWorkerScript_officeHoursAPI
		},
	})
	t.Logf("%d write requests under faults", writes)
	// The faults must really have struck writes: more than the 11 needed
	// (2 namespaces, the script, 7 secrets, the route).
	if writes <= 11 {
		t.Fatalf("only %d write requests for 11 objects: the faults did not strike", writes)
	}
}
