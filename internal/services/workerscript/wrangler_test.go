package workerscript_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/wranglercli"
)

// These tests run Cloudflare's wrangler (installed from npm, see
// internal/wranglercli) against the same local API as Terraform. They
// never skip: without npm or the registry they fail.

func wrangler(t *testing.T, cf *acctest.Cloudflare) *wranglercli.CLI {
	return wranglercli.New(t, wranglercli.API{BaseURL: cf.URL, Token: acctest.Token, AccountID: cf.AccountID()})
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const wranglerScript = "cf-office-hours-api-production"

// wranglerConfig is an officehours_worker_script matching the Worker that
// wrangler.toml below deploys, with these classes, adopted by an import
// block.
func wranglerConfig(cf *acctest.Cloudflare, main, kvID, classes string) string {
	return acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
import {
  to = officehours_worker_script.api
  id = %q
}

resource "officehours_worker_script" "api" {
  name                = %q
  main_module         = %q
  compatibility_date  = "2025-03-11"
  compatibility_flags = ["nodejs_compat"]
  vars                = { ENVIRONMENT = "production" }
  kv_namespaces       = { CACHE = %q }
  durable_object_bindings = {
    SLOT_GENERATOR = { class_name = "SlotGenerator" }
  }
  durable_object_classes = {
%s
  }
}
`, wranglerScript, wranglerScript, main, kvID, classes)
}

// A Worker deployed by `wrangler deploy` (a KV binding, a Durable Object
// class created by wrangler's migration tag v1) is imported and plans clean
// with a matching configuration; Terraform then adds a class on top of
// wrangler's tag.
func TestAccWorkerScript_wranglerDeployThenImport(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	cli := wrangler(t, cf)
	var kv struct{ ID string }
	cf.Decode(t, "POST", cf.AccountPath("/storage/kv/namespaces"), map[string]string{"title": "cf-office-hours-cache"}, &kv)

	project := t.TempDir()
	code := "export class SlotGenerator { constructor(state) { this.state = state } }\n" +
		"export default { async fetch() { return new Response('deployed by wrangler') } }\n"
	writeFile(t, filepath.Join(project, "src", "index.js"), code)
	writeFile(t, filepath.Join(project, "wrangler.toml"), fmt.Sprintf(`name = %q
main = "src/index.js"
compatibility_date = "2025-03-11"
compatibility_flags = ["nodejs_compat"]
no_bundle = true

[vars]
ENVIRONMENT = "production"

[[kv_namespaces]]
binding = "CACHE"
id = %q

[[durable_objects.bindings]]
name = "SLOT_GENERATOR"
class_name = "SlotGenerator"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["SlotGenerator"]
`, wranglerScript, kv.ID))
	cli.Run(t, project, "", "deploy")
	if tag := service(t, cf).DefaultEnvironment.Script.MigrationTag; tag != "v1" {
		t.Fatalf("after wrangler deploy the migration tag is %q, want v1", tag)
	}
	slotNamespace := namespaces(t, cf)["SlotGenerator"]

	withPresence := filepath.Join(t.TempDir(), "index.js")
	writeFile(t, withPresence, "export class Presence {}\n"+code)

	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{ // adopted: the import is the whole plan
				Config: wranglerConfig(cf, filepath.Join(project, "src", "index.js"), kv.ID, "    SlotGenerator = {}"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(), importing(addr),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("migration_tag"), knownvalue.StringExact("v1")),
				},
			},
			{ // a class added migrates from wrangler's tag
				Config: wranglerConfig(cf, withPresence, kv.ID, "    SlotGenerator = {}\n    Presence = {}"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(s *terraform.State) error {
					live := service(t, cf).DefaultEnvironment.Script
					if live.MigrationTag == "v1" || live.MigrationTag != stateAttr(s, "migration_tag") {
						return fmt.Errorf("live migration tag %q, state %q", live.MigrationTag, stateAttr(s, "migration_tag"))
					}
					if ns := namespaces(t, cf); len(ns) != 2 || ns["SlotGenerator"] != slotNamespace || ns["Presence"] == "" {
						return fmt.Errorf("namespaces %v (SlotGenerator was %s)", ns, slotNamespace)
					}
					return nil
				},
			},
		},
	})
}

// simpleConfig is a Worker with one variable, created by Terraform.
func simpleConfig(cf *acctest.Cloudflare, main string) string {
	return acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
resource "officehours_worker_script" "api" {
  name               = %q
  main_module        = %q
  compatibility_date = "2025-03-11"
  vars               = { ENVIRONMENT = "production" }
}
`, wranglerScript, main)
}

func liveCode(t *testing.T, cf *acctest.Cloudflare) string {
	status, body, err := cf.Try("GET", cf.AccountPath("/workers/scripts/"+wranglerScript+"/content/v2"), nil)
	if err != nil || status != 200 {
		t.Fatalf("reading the deployed code: %d %v", status, err)
	}
	return string(body)
}

// A Worker created by Terraform and deployed twice is rolled back by
// `wrangler rollback`: the next plan shows it and applying restores the
// configured code. Then secrets put by `wrangler secret put` and `wrangler
// secret bulk`, which Terraform does not manage, survive a code change by
// Terraform; and a Worker removed by `wrangler delete` is planned again.
func TestAccWorkerScript_wranglerRollbackAndSecretPut(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	cli := wrangler(t, cf)
	dir := t.TempDir()
	v1, v2, v3 := bundle(t, filepath.Join(dir, "v1"), "v1"), bundle(t, filepath.Join(dir, "v2"), "v2"), bundle(t, filepath.Join(dir, "v3"), "v3")
	var firstVersion, etagV2 string

	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: simpleConfig(cf, v1),
				Check: func(s *terraform.State) error {
					firstVersion = stateAttr(s, "version_id")
					return nil
				},
			},
			{
				Config: simpleConfig(cf, v2),
				Check: func(s *terraform.State) error {
					etagV2 = stateAttr(s, "etag")
					return nil
				},
			},
			{ // rolled back by wrangler: the plan shows the drift, applying restores v2
				PreConfig: func() {
					cli.Run(t, dir, "", "rollback", firstVersion, "--name", wranglerScript, "--message", "back to v1", "--yes")
					if code := liveCode(t, cf); !strings.Contains(code, `"v1"`) {
						t.Fatalf("after wrangler rollback the deployed code is not v1:\n%s", code)
					}
					out := cli.Run(t, dir, "", "deployments", "list", "--name", wranglerScript, "--json")
					var deployments []struct {
						Versions []struct {
							VersionID string `json:"version_id"`
						} `json:"versions"`
					}
					if err := json.Unmarshal([]byte(out), &deployments); err != nil || len(deployments) != 3 ||
						deployments[2].Versions[0].VersionID != firstVersion {
						t.Fatalf("wrangler deployments list: %v\n%s", err, out)
					}
				},
				Config: simpleConfig(cf, v2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("etag")),
				}},
				Check: func(s *terraform.State) error {
					if live := service(t, cf).DefaultEnvironment.Script.Etag; live != etagV2 || stateAttr(s, "etag") != etagV2 {
						return fmt.Errorf("live etag %s, state %s, want v2's %s", live, stateAttr(s, "etag"), etagV2)
					}
					if code := liveCode(t, cf); !strings.Contains(code, `"v2"`) {
						return fmt.Errorf("apply did not restore v2:\n%s", code)
					}
					return nil
				},
			},
			{ // secrets put by wrangler (one, and two in bulk) outlive a code change by Terraform
				PreConfig: func() {
					cli.Run(t, dir, "put-by-wrangler\n", "secret", "put", "STRIPE_KEY", "--name", wranglerScript)
					bulk := filepath.Join(dir, "secrets.json")
					writeFile(t, bulk, `{"SENTRY_DSN": "dsn-by-wrangler", "POSTHOG_KEY": "posthog-by-wrangler"}`)
					cli.Run(t, dir, "", "secret", "bulk", bulk, "--name", wranglerScript)
				},
				Config: simpleConfig(cf, v3),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					if code := liveCode(t, cf); !strings.Contains(code, `"v3"`) {
						return fmt.Errorf("v3 not deployed:\n%s", code)
					}
					if got := strings.Join(secretNames(t, cf), ","); got != "POSTHOG_KEY,SENTRY_DSN,STRIPE_KEY" {
						return fmt.Errorf("secrets after the code change: %q", got)
					}
					return nil
				},
			},
			{ // deleted by wrangler delete: planned for re-creation
				PreConfig: func() { cli.Run(t, dir, "", "delete", "--name", wranglerScript) },
				Config:    simpleConfig(cf, v3),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}
