package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

// stack is objects of every kind a refresh reads from a shared list: three
// KV namespaces, a Worker with two secrets, two routes, two DNS records and
// a Pages domain (on its project, through its CNAME).
func stack(cf *acctest.Cloudflare, main string) string {
	return acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
variable "secret" {
  type      = string
  ephemeral = true
}

data "officehours_zone" "main" {
  name = %[1]q
}

resource "officehours_kv_namespace" "a" {
  title = "refresh-a"
}

resource "officehours_kv_namespace" "b" {
  title = "refresh-b"
}

resource "officehours_kv_namespace" "c" {
  title = "refresh-c"
}

resource "officehours_worker_script" "api" {
  name               = "refresh-api"
  main_module        = %[2]q
  compatibility_date = "2025-03-11"
  vars               = { ENVIRONMENT = "production" }
  kv_namespaces      = { CACHE = officehours_kv_namespace.a.id, RATE_LIMIT = officehours_kv_namespace.b.id }
}

resource "officehours_worker_secret" "one" {
  script_name = officehours_worker_script.api.name
  name        = "ONE"
  value_wo    = var.secret
}

resource "officehours_worker_secret" "two" {
  script_name = officehours_worker_script.api.name
  name        = "TWO"
  value_wo    = var.secret
}

resource "officehours_worker_route" "api" {
  zone_id     = data.officehours_zone.main.id
  pattern     = "%[1]s/api/*"
  script_name = officehours_worker_script.api.name
}

resource "officehours_worker_route" "docs" {
  zone_id     = data.officehours_zone.main.id
  pattern     = "%[1]s/docs/*"
  script_name = officehours_worker_script.api.name
}

resource "officehours_pages_project" "web" {
  name              = "refresh-web"
  production_branch = "main"
}

resource "officehours_dns_record" "www" {
  zone_id = data.officehours_zone.main.id
  type    = "CNAME"
  name    = "www.%[1]s"
  content = officehours_pages_project.web.subdomain
  proxied = true
}

resource "officehours_dns_record" "txt" {
  zone_id = data.officehours_zone.main.id
  type    = "TXT"
  name    = "_verify.%[1]s"
  content = "\"officehours\""
}

resource "officehours_pages_domain" "www" {
  project_name = officehours_pages_project.web.name
  name         = officehours_dns_record.www.name
}
`, localapi.DefaultZone, main)
}

// byIDRoutes are the reads of one object: a refresh served by shared lists
// makes none of them while every object is where the list says.
var byIDRoutes = []string{
	"GET /client/v4/accounts/{account_id}/storage/kv/namespaces/{namespace_id}",
	"GET /client/v4/accounts/{account_id}/workers/services/{script_name}",
	"GET /client/v4/accounts/{account_id}/workers/scripts/{script_name}/secrets/{secret_name}",
	"GET /client/v4/zones/{zone_id}/workers/routes/{route_id}",
	"GET /client/v4/zones/{zone_id}/dns_records/{dns_record_id}",
	"GET /client/v4/accounts/{account_id}/pages/projects/{project_name}/domains/{domain_name}",
}

// listRoutes are the shared reads, each made once per operation.
var listRoutes = []string{
	"GET /client/v4/accounts/{account_id}/storage/kv/namespaces",
	"GET /client/v4/accounts/{account_id}/workers/scripts",
	"GET /client/v4/accounts/{account_id}/workers/scripts/{script_name}/settings",
	"GET /client/v4/zones/{zone_id}/workers/routes",
	"GET /client/v4/zones/{zone_id}/dns_records",
	"GET /client/v4/accounts/{account_id}/pages/projects/{project_name}/domains",
}

// The refresh of twelve objects of six kinds reads each kind once, and the
// shared lists hide nothing: every change made out of band between two
// runs, to eight objects of every kind, shows in the one plan after it.
func TestAccProvider_sharedReadsSeeEveryDrift(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	main := filepath.Join(t.TempDir(), "index.js")
	if err := os.WriteFile(main, []byte("export default { async fetch() { return new Response('ok') } }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	vars := config.Variables{"secret": config.StringVariable("s3cr3t-value")}
	zone := cf.ZoneID(localapi.DefaultZone)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: stack(cf, main), ConfigVariables: vars},
			{ // a refresh: each list once per terraform run, no read by id
				PreConfig:       func() { cf.Requests().Reset() },
				Config:          stack(cf, main),
				ConfigVariables: vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					counts := cf.Requests().Counts()
					runs := counts[listRoutes[0]]
					for _, route := range listRoutes {
						if runs == 0 || counts[route] != runs {
							return fmt.Errorf("%s: %d reads in %d refreshes: %v", route, counts[route], runs, counts)
						}
					}
					for _, route := range byIDRoutes {
						if counts[route] != 0 {
							return fmt.Errorf("%s read %d times although the lists hold every object: %v", route, counts[route], counts)
						}
					}
					return nil
				},
			},
			{ // out of band: one change to each kind, several of each sort
				PreConfig: func() {
					kv := func(title string) string {
						return find(t, cf, cf.AccountPath("/storage/kv/namespaces?per_page=100"), "title", title)
					}
					cf.Call(t, "PUT", cf.AccountPath("/storage/kv/namespaces/"+kv("refresh-a")), map[string]string{"title": "renamed-a"})
					cf.Call(t, "DELETE", cf.AccountPath("/storage/kv/namespaces/"+kv("refresh-c")), nil)
					cf.Call(t, "DELETE", cf.AccountPath("/workers/scripts/refresh-api/secrets/ONE"), nil)
					editSettings(t, cf, "refresh-api", "ENVIRONMENT", "staging")
					routes := "/zones/" + zone + "/workers/routes"
					cf.Call(t, "PUT", routes+"/"+find(t, cf, routes, "pattern", localapi.DefaultZone+"/api/*"),
						map[string]string{"pattern": localapi.DefaultZone + "/v1/*", "script": "refresh-api"})
					cf.Call(t, "DELETE", routes+"/"+find(t, cf, routes, "pattern", localapi.DefaultZone+"/docs/*"), nil)
					records := "/zones/" + zone + "/dns_records"
					cf.Call(t, "PATCH", records+"/"+find(t, cf, records, "name", "_verify."+localapi.DefaultZone), map[string]string{"content": `"tampered"`})
					cf.Call(t, "DELETE", cf.AccountPath("/pages/projects/refresh-web/domains/www."+localapi.DefaultZone), nil)
				},
				Config:          stack(cf, main),
				ConfigVariables: vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("officehours_kv_namespace.a", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("officehours_kv_namespace.b", plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction("officehours_kv_namespace.c", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("officehours_worker_script.api", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("officehours_worker_secret.one", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("officehours_worker_secret.two", plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction("officehours_worker_route.api", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("officehours_worker_route.docs", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("officehours_dns_record.txt", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("officehours_dns_record.www", plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction("officehours_pages_domain.www", plancheck.ResourceActionCreate),
					},
				},
			},
		},
	})
}

// find returns the id of the item of the list at path whose field is value.
func find(t *testing.T, cf *acctest.Cloudflare, path, field, value string) string {
	t.Helper()
	var items []map[string]any
	cf.Decode(t, "GET", path, nil, &items)
	for _, it := range items {
		if it[field] == value {
			return it["id"].(string)
		}
	}
	t.Fatalf("no item with %s = %q at %s", field, value, path)
	return ""
}

// editSettings changes a plain_text variable the way the dashboard does:
// the settings read, edited and sent back (secrets by name only, which
// Cloudflare keeps).
func editSettings(t *testing.T, cf *acctest.Cloudflare, script, name, value string) {
	t.Helper()
	path := cf.AccountPath("/workers/scripts/" + script + "/settings")
	var s map[string]any
	cf.Decode(t, "GET", path, nil, &s)
	found := false
	for _, b := range s["bindings"].([]any) {
		if m := b.(map[string]any); m["name"] == name && strings.EqualFold(fmt.Sprint(m["type"]), "plain_text") {
			m["text"], found = value, true
		}
	}
	if !found {
		t.Fatalf("no plain_text binding %s in %v", name, s["bindings"])
	}
	cf.Call(t, "PATCH", path, map[string]any{"bindings": s["bindings"], "compatibility_date": s["compatibility_date"], "compatibility_flags": s["compatibility_flags"]})
}

// With Cloudflare's window enforced (here 12 requests in any 3 seconds, so
// the test is quick; Cloudflare's is 1,200 in five minutes), an apply that
// needs more than the window holds is never refused: the limiter reads
// what is left from every answer's Ratelimit header, keeps a sixth of the
// quota for others and waits for the window, across the terraform runs of
// the test (each its own provider process, whose first requests go before
// it has read an answer).
func TestAccProvider_neverRefusedByCloudflaresWindow(t *testing.T) {
	cf := acctest.NewCloudflareWith(t, localapi.Config{RateLimit: localapi.RateLimit{Requests: 12, Window: 3 * time.Second}})
	var hcl strings.Builder
	hcl.WriteString(acctest.ProviderBlock(cf, ""))
	for i := range 14 {
		fmt.Fprintf(&hcl, "resource \"officehours_kv_namespace\" \"n%d\" {\n  title = \"window-%d\"\n}\n", i, i)
	}
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: hcl.String(),
			Check: func(*terraform.State) error {
				st := cf.RateLimitStats()
				if st.Refused != 0 || st.Peak > 12 || st.Admitted <= 12 {
					return fmt.Errorf("the window saw %+v: want no 429 and more requests than one window holds", st)
				}
				return nil
			},
		}},
	})
}
