package workerscript_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/workerscript"
)

const addr = "officehours_worker_script.api"

// bundle writes a Worker bundle exporting classes into a fresh directory
// and returns the main module's path.
func bundle(t *testing.T, dir, version string, classes ...string) string {
	t.Helper()
	var src strings.Builder
	for _, c := range classes {
		fmt.Fprintf(&src, "export class %s { constructor(state) { this.state = state } }\n", c)
	}
	fmt.Fprintf(&src, "export default { async fetch() { return new Response(%q) } }\n", version)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dir, "index.js")
	if err := os.WriteFile(main, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return main
}

type scriptConfig struct {
	main        string
	classes     string // HCL map body of durable_object_classes
	doBinding   string // class bound by SLOT_GENERATOR
	allowDelete bool
}

func config(cf *acctest.Cloudflare, c scriptConfig) string {
	extra := ""
	if c.classes != "" {
		extra += fmt.Sprintf("  durable_object_classes = {\n%s\n  }\n", c.classes)
	}
	if c.doBinding != "" {
		extra += fmt.Sprintf("  durable_object_bindings = {\n    SLOT_GENERATOR = { class_name = %q }\n  }\n", c.doBinding)
	}
	if c.allowDelete {
		extra += "  allow_durable_object_deletion = true\n"
	}
	return acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
resource "officehours_kv_namespace" "cache" {
  title = "cf-office-hours-cache"
}

resource "officehours_worker_script" "api" {
  name                = "cf-office-hours-api-production"
  main_module         = %q
  compatibility_date  = "2025-03-11"
  compatibility_flags = ["nodejs_compat"]
  vars                = { ENVIRONMENT = "production" }
  json_vars           = { LIMITS = jsonencode({ rpm = 60, burst = [1, 2] }) }
  kv_namespaces       = { CACHE = officehours_kv_namespace.cache.id }
%s}
`, c.main, extra)
}

func count(cf *acctest.Cloudflare, method, route string) int {
	return cf.Requests().Counts()[method+" /client/v4"+route]
}

const (
	servicesRoute = "/accounts/{account_id}/workers/services/{script_name}"
	scriptRoute   = "/accounts/{account_id}/workers/scripts/{script_name}"
	settingsRoute = "/accounts/{account_id}/workers/scripts/{script_name}/settings"
	scriptsRoute  = "/accounts/{account_id}/workers/scripts"
	kvListRoute   = "/accounts/{account_id}/storage/kv/namespaces"
)

type liveService struct {
	DefaultEnvironment struct {
		Script struct {
			Etag         string `json:"etag"`
			MigrationTag string `json:"migration_tag"`
		} `json:"script"`
	} `json:"default_environment"`
}

func service(t *testing.T, cf *acctest.Cloudflare) liveService {
	var s liveService
	cf.Decode(t, "GET", cf.AccountPath("/workers/services/cf-office-hours-api-production"), nil, &s)
	return s
}

func namespaces(t *testing.T, cf *acctest.Cloudflare) map[string]string {
	var list []struct{ ID, Class string }
	cf.Decode(t, "GET", cf.AccountPath("/workers/durable_objects/namespaces"), nil, &list)
	out := map[string]string{}
	for _, n := range list {
		out[n.Class] = n.ID
	}
	return out
}

func stateAttr(s *terraform.State, name string) string {
	return s.RootModule().Resources[addr].Primary.Attributes[name]
}

func TestAccWorkerScript_lifecycleDriftImportAndMigrations(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	dir := t.TempDir()
	v1 := scriptConfig{main: bundle(t, filepath.Join(dir, "v1"), "v1", "SlotGenerator"),
		classes: "    SlotGenerator = {}", doBinding: "SlotGenerator"}
	v2 := v1
	v2.main = bundle(t, filepath.Join(dir, "v2"), "v2", "SlotGenerator")
	var slotNamespace string
	emptyPlan := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}}

	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			if status, _, _ := cf.Try("GET", cf.AccountPath("/workers/services/cf-office-hours-api-production"), nil); status != 404 {
				return fmt.Errorf("script still exists after destroy (HTTP %d)", status)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // create with vars, JSON var, KV binding, a DO class and its binding
				Config: config(cf, v1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("migration_tag"), knownvalue.StringRegexp(regexp.MustCompile(`^oh-[0-9a-f]{10}$`))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("content_sha256"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{64}$`))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("main_module"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("durable_object_classes").AtMapKey("SlotGenerator").AtMapKey("storage"), knownvalue.StringExact("sqlite")),
				},
				Check: func(s *terraform.State) error {
					live := service(t, cf)
					if live.DefaultEnvironment.Script.Etag != stateAttr(s, "etag") || live.DefaultEnvironment.Script.MigrationTag != stateAttr(s, "migration_tag") {
						return fmt.Errorf("API %+v, state etag %s tag %s", live, stateAttr(s, "etag"), stateAttr(s, "migration_tag"))
					}
					slotNamespace = namespaces(t, cf)["SlotGenerator"]
					if slotNamespace == "" {
						return fmt.Errorf("no Durable Object namespace for SlotGenerator")
					}
					return nil
				},
			},
			{ // a refresh costs ReadRequests per script (its settings) and one shared script list: count them against the KV namespace list each refresh reads once
				PreConfig:        func() { cf.Requests().Reset() },
				Config:           config(cf, v1),
				ConfigPlanChecks: emptyPlan,
				Check: func(*terraform.State) error {
					refreshes := count(cf, "GET", kvListRoute)
					lists, settings := count(cf, "GET", scriptsRoute), count(cf, "GET", settingsRoute)
					if refreshes == 0 || lists != refreshes || settings != refreshes*workerscript.ReadRequests || count(cf, "GET", servicesRoute) != 0 {
						return fmt.Errorf("%d script lists and %d settings reads for %d refreshes: %v", lists, settings, refreshes, cf.Requests().Counts())
					}
					for route := range cf.Requests().Counts() {
						if strings.Contains(route, "/workers/") && !strings.HasSuffix(route, scriptsRoute) && !strings.HasSuffix(route, settingsRoute) {
							return fmt.Errorf("a no-change run called %s: %v", route, cf.Requests().Counts())
						}
					}
					return nil
				},
			},
			{ // a code change uploads once and changes content_sha256
				PreConfig:        func() { cf.Requests().Reset() },
				Config:           config(cf, v2),
				ConfigPlanChecks: update,
				Check: func(s *terraform.State) error {
					if n := count(cf, "PUT", scriptRoute); n != 1 {
						return fmt.Errorf("%d uploads for one code change", n)
					}
					if service(t, cf).DefaultEnvironment.Script.Etag != stateAttr(s, "etag") {
						return fmt.Errorf("state etag is not the live one")
					}
					return nil
				},
			},
			{ // import by name plans clean, and costs what the docs say
				PreConfig:    func() { cf.Requests().Reset() },
				ResourceName: addr, ImportState: true, ImportStateId: "cf-office-hours-api-production",
				ImportStateVerify: true, ImportStateVerifyIdentifierAttribute: "name",
				Config: config(cf, v2),
				ImportStateCheck: func([]*terraform.InstanceState) error {
					n := 0
					for route, c := range cf.Requests().Counts() {
						if strings.Contains(route, "/workers/") {
							n += c
						}
					}
					if n != workerscript.ImportRequests {
						return fmt.Errorf("import cost %d Workers requests, the docs say %d: %v", n, workerscript.ImportRequests, cf.Requests().Counts())
					}
					return nil
				},
			},
			{ // uploaded out of band (another bundle): the plan shows it, apply restores ours
				PreConfig: func() {
					uploadOutOfBand(t, cf, "cf-office-hours-api-production", "export class SlotGenerator {}\nexport default {}")
				},
				Config:           config(cf, v2),
				ConfigPlanChecks: update,
				Check: func(s *terraform.State) error {
					if service(t, cf).DefaultEnvironment.Script.Etag != stateAttr(s, "etag") {
						return fmt.Errorf("apply did not restore the configured script")
					}
					return nil
				},
			},
			{ // a class added
				Config: config(cf, scriptConfig{main: bundle(t, filepath.Join(dir, "v3"), "v3", "SlotGenerator", "Presence"),
					classes: "    SlotGenerator = {}\n    Presence = { storage = \"key_value\" }", doBinding: "SlotGenerator"}),
				Check: func(*terraform.State) error {
					if ns := namespaces(t, cf); ns["Presence"] == "" || ns["SlotGenerator"] != slotNamespace {
						return fmt.Errorf("namespaces %v", ns)
					}
					return nil
				},
			},
			{ // a class renamed keeps its namespace (its objects)
				Config: config(cf, scriptConfig{main: bundle(t, filepath.Join(dir, "v4"), "v4", "Slots", "Presence"),
					classes: "    Slots = { renamed_from = \"SlotGenerator\" }\n    Presence = { storage = \"key_value\" }", doBinding: "Slots"}),
				Check: func(*terraform.State) error {
					if ns := namespaces(t, cf); ns["Slots"] != slotNamespace || ns["SlotGenerator"] != "" {
						return fmt.Errorf("after rename: %v (SlotGenerator was %s)", ns, slotNamespace)
					}
					return nil
				},
			},
			{ // a class removed without the opt-in is refused at plan time, naming the opt-in
				Config: config(cf, scriptConfig{main: bundle(t, filepath.Join(dir, "v5"), "v5", "Slots"),
					classes: "    Slots = { renamed_from = \"SlotGenerator\" }", doBinding: "Slots"}),
				ExpectError: regexp.MustCompile(`(?s)Durable Object class deletion refused.*Presence.*allow_durable_object_deletion = true`),
			},
			{ // with the opt-in it is deleted
				Config: config(cf, scriptConfig{main: bundle(t, filepath.Join(dir, "v5"), "v5", "Slots"),
					classes: "    Slots = { renamed_from = \"SlotGenerator\" }", doBinding: "Slots", allowDelete: true}),
				Check: func(*terraform.State) error {
					if ns := namespaces(t, cf); len(ns) != 1 || ns["Slots"] != slotNamespace {
						return fmt.Errorf("after delete: %v", ns)
					}
					return nil
				},
			},
		},
	})
}
