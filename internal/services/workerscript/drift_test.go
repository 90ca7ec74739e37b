package workerscript_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
)

// patchSettings edits the live settings the way the dashboard does: read
// them, change one thing, PATCH them back. Cloudflare's etag covers the
// content only (cloudflare-go v7 workers/script.go), so none of these edits
// changes it; the refresh must still see each.
func patchSettings(t *testing.T, cf *acctest.Cloudflare, edit func(map[string]any)) {
	t.Helper()
	path := cf.AccountPath("/workers/scripts/cf-office-hours-api-production/settings")
	var s map[string]any
	cf.Decode(t, "GET", path, nil, &s)
	before := service(t, cf).DefaultEnvironment.Script.Etag
	edit(s)
	cf.Call(t, "PATCH", path, map[string]any{"bindings": s["bindings"], "compatibility_date": s["compatibility_date"], "compatibility_flags": s["compatibility_flags"]})
	if after := service(t, cf).DefaultEnvironment.Script.Etag; after != before {
		t.Fatalf("a settings edit changed the etag (%s -> %s): the stand-in is kinder than Cloudflare", before, after)
	}
}

func binding(s map[string]any, name string) map[string]any {
	for _, b := range s["bindings"].([]any) {
		if m := b.(map[string]any); m["name"] == name {
			return m
		}
	}
	panic("no binding " + name)
}

func dropBinding(s map[string]any, name string) {
	var keep []any
	for _, b := range s["bindings"].([]any) {
		if b.(map[string]any)["name"] != name {
			keep = append(keep, b)
		}
	}
	s["bindings"] = keep
}

func TestAccWorkerScript_settingsEditedOutOfBandShowInThePlan(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	cfg := config(cf, scriptConfig{main: bundle(t, filepath.Join(t.TempDir(), "v1"), "v1", "SlotGenerator"),
		classes: "    SlotGenerator = {}", doBinding: "SlotGenerator"})
	other := ""
	restored := func(what string, check func(map[string]any) bool) resource.TestCheckFunc {
		return func(*terraform.State) error {
			var s map[string]any
			if err := json.Unmarshal(cf.Call(t, "GET", cf.AccountPath("/workers/scripts/cf-office-hours-api-production/settings"), nil), &s); err != nil {
				return err
			}
			if !check(s) {
				return fmt.Errorf("%s not restored: %v", what, s)
			}
			return nil
		}
	}
	step := func(what string, edit func(map[string]any), check func(map[string]any) bool) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() { patchSettings(t, cf, edit) },
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			}},
			Check: restored(what, check),
		}
	}
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(*terraform.State) error {
					var ns struct{ ID string }
					cf.Decode(t, "POST", cf.AccountPath("/storage/kv/namespaces"), map[string]string{"title": "other"}, &ns)
					return nil
				},
			},
			step("a variable", func(s map[string]any) { binding(s, "ENVIRONMENT")["text"] = "dashboard" },
				func(s map[string]any) bool { return binding(s, "ENVIRONMENT")["text"] == "production" }),
			step("a JSON variable", func(s map[string]any) { binding(s, "LIMITS")["json"] = map[string]any{"rpm": 1} },
				func(s map[string]any) bool {
					j, _ := json.Marshal(binding(s, "LIMITS")["json"])
					return string(j) == `{"burst":[1,2],"rpm":60}`
				}),
			step("a KV binding", func(s map[string]any) {
				var list []struct{ ID, Title string }
				cf.Decode(t, "GET", cf.AccountPath("/storage/kv/namespaces"), nil, &list)
				for _, n := range list {
					if n.Title == "other" {
						other = n.ID
					}
				}
				binding(s, "CACHE")["namespace_id"] = other
			}, func(s map[string]any) bool { return other != "" && binding(s, "CACHE")["namespace_id"] != other }),
			step("a Durable Object binding", func(s map[string]any) { dropBinding(s, "SLOT_GENERATOR") },
				func(s map[string]any) bool { return binding(s, "SLOT_GENERATOR")["class_name"] == "SlotGenerator" }),
			step("the compatibility date", func(s map[string]any) { s["compatibility_date"] = "2024-09-23" },
				func(s map[string]any) bool { return s["compatibility_date"] == "2025-03-11" }),
			step("the compatibility flags", func(s map[string]any) { s["compatibility_flags"] = []string{} },
				func(s map[string]any) bool {
					f, _ := s["compatibility_flags"].([]any)
					return len(f) == 1 && f[0] == "nodejs_compat"
				}),
			{ // the migration tag moved by another deploy: drift, and apply converges on what is live
				PreConfig: func() {
					live := service(t, cf).DefaultEnvironment.Script.MigrationTag
					uploadWithMigration(t, cf, "cf-office-hours-api-production", "export class SlotGenerator {}\nexport default {}",
						map[string]any{"old_tag": live, "new_tag": "v-wrangler"})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(s *terraform.State) error {
					if got := stateAttr(s, "migration_tag"); got != "v-wrangler" || service(t, cf).DefaultEnvironment.Script.MigrationTag != got {
						return fmt.Errorf("state tag %s, live %s", got, service(t, cf).DefaultEnvironment.Script.MigrationTag)
					}
					return nil
				},
			},
		},
	})
}
