package pagesproject_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
)

var allSecrets = []string{"sntrys-production-one", "sntrys-preview-one", "sntrys-production-two"}

func destroyed(cf *acctest.Cloudflare) func(*terraform.State) error {
	return func(*terraform.State) error {
		status, body, err := cf.Try("GET", cf.AccountPath("/pages/projects/cf-office-hours"), nil)
		if err != nil || status != 404 {
			return fmt.Errorf("project still there after destroy: %d %s %w", status, body, err)
		}
		return nil
	}
}

func pre(pp ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: pp}
}

func TestAccPagesProject_officeHours(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	s := officeHours()
	patches := func() int {
		return cf.Requests().Counts()["PATCH /client/v4/accounts/{account_id}/pages/projects/{project_name}"]
	}
	var patchesBefore int

	// The configurations of the steps, in order.
	type snapshot struct {
		hcl  string
		vars config.Variables
	}
	take := func() snapshot { return snapshot{s.config(cf), s.vars()} }
	full := take()
	s.production.vars["VITE_API_BASE_URL"] = "https://api-v2.officehours.youcanjustdothings.io"
	oneChanged := take()
	delete(s.preview.vars, "VITE_ENABLE_REALTIME")
	oneRemoved := take()
	s.production.secrets["SENTRY_AUTH_TOKEN"] = "sntrys-production-two"
	rotated := take()
	s.preview.secretsVersion = 1
	forced := take()

	acctest.Test(t, resource.TestCase{
		CheckDestroy: destroyed(cf),
		Steps: []resource.TestStep{
			{ // the whole project in one apply; the framework then checks a second plan is empty
				Config: full.hcl, ConfigVariables: full.vars,
				ConfigPlanChecks: pre(acctest.SecretsAbsent(allSecrets...)),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.SecretsAbsent(allSecrets...),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("subdomain"), knownvalue.StringExact("cf-office-hours.pages.dev")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("created_on"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT`))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("production").AtMapKey("secret_revisions"),
						knownvalue.MapExact(map[string]knownvalue.Check{"SENTRY_AUTH_TOKEN": knownvalue.Int64Exact(1)})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("production").AtMapKey("secret_variables"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("source").AtMapKey("pr_comments_enabled"), knownvalue.Bool(true)),
				},
				Check: func(*terraform.State) error {
					p := getProject(t, cf)
					for name, want := range map[string]string{"production": "true", "preview": "false"} {
						vars := p.DeploymentConfigs[name].EnvVars
						if vars["VITE_ENABLE_ANALYTICS"].Value != want || vars["NODE_VERSION"].Value != "20" || vars["SENTRY_AUTH_TOKEN"].Type != "secret_text" {
							return fmt.Errorf("%s variables in Cloudflare: %+v", name, vars)
						}
					}
					return nil
				},
			},
			{ // import with an import block: Terraform's plan must be a no-op, secrets and all
				ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				ImportStateId: "cf-office-hours", Config: full.hcl, ConfigVariables: full.vars,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{acctest.SecretsAbsent(allSecrets...)}},
			},
			{ // and with terraform import: the same state, but for the secrets' write counts
				ResourceName: addr, ImportState: true, ImportStateId: "cf-office-hours", ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"production.secret_revisions", "preview.secret_revisions"},
				Config:                  full.hcl, ConfigVariables: full.vars,
			},
			{ // one variable changed: one attribute changed
				Config: oneChanged.hcl, ConfigVariables: oneChanged.vars,
				ConfigPlanChecks: pre(
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					expectOnlyChanged("production.variables.VITE_API_BASE_URL"),
				),
			},
			{ // a variable removed is removed from Cloudflare
				Config: oneRemoved.hcl, ConfigVariables: oneRemoved.vars,
				ConfigPlanChecks: pre(expectOnlyChanged("preview.variables.VITE_ENABLE_REALTIME")),
				Check: func(*terraform.State) error {
					p := getProject(t, cf)
					if v, ok := p.DeploymentConfigs["preview"].EnvVars["VITE_ENABLE_REALTIME"]; ok {
						return fmt.Errorf("VITE_ENABLE_REALTIME still in Cloudflare's preview config: %+v", v)
					}
					if _, ok := p.DeploymentConfigs["production"].EnvVars["VITE_ENABLE_REALTIME"]; !ok {
						return fmt.Errorf("the production VITE_ENABLE_REALTIME went too")
					}
					return nil
				},
			},
			{ // secret rotation: written once, shown without its value
				PreConfig: func() { patchesBefore = patches() },
				Config:    rotated.hcl, ConfigVariables: rotated.vars,
				ConfigPlanChecks: pre(
					expectOnlyChanged("production.secret_revisions.SENTRY_AUTH_TOKEN (known after apply)"),
					acctest.SecretsAbsent(allSecrets...),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.SecretsAbsent(allSecrets...),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("production").AtMapKey("secret_revisions").AtMapKey("SENTRY_AUTH_TOKEN"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("preview").AtMapKey("secret_revisions").AtMapKey("SENTRY_AUTH_TOKEN"), knownvalue.Int64Exact(1)),
				},
				Check: func(*terraform.State) error {
					if n := patches() - patchesBefore; n != 1 {
						return fmt.Errorf("rotation sent %d PATCH requests, want 1", n)
					}
					return nil
				},
			},
			{ // a variable changed in the dashboard shows as drift and is put back
				PreConfig: func() {
					cf.Call(t, "PATCH", cf.AccountPath("/pages/projects/cf-office-hours"), map[string]any{"deployment_configs": map[string]any{
						"production": map[string]any{"env_vars": map[string]any{"VITE_ENABLE_ANALYTICS": map[string]string{"type": "plain_text", "value": "false"}}},
					}})
				},
				Config: rotated.hcl, ConfigVariables: rotated.vars,
				ConfigPlanChecks: pre(expectOnlyChanged("production.variables.VITE_ENABLE_ANALYTICS")),
				Check: func(*terraform.State) error {
					if v := getProject(t, cf).DeploymentConfigs["production"].EnvVars["VITE_ENABLE_ANALYTICS"].Value; v != "true" {
						return fmt.Errorf("VITE_ENABLE_ANALYTICS is %q after apply", v)
					}
					return nil
				},
			},
			{ // a secret deleted and one added in the dashboard: rewritten and removed
				PreConfig: func() {
					cf.Call(t, "PATCH", cf.AccountPath("/pages/projects/cf-office-hours"), map[string]any{"deployment_configs": map[string]any{
						"preview": map[string]any{"env_vars": map[string]any{
							"SENTRY_AUTH_TOKEN": nil,
							"STRAY_SECRET":      map[string]string{"type": "secret_text", "value": "stray"},
						}},
					}})
				},
				Config: rotated.hcl, ConfigVariables: rotated.vars,
				ConfigPlanChecks: pre(expectOnlyChanged(
					"preview.secret_revisions.SENTRY_AUTH_TOKEN (known after apply)",
					"preview.secret_revisions.STRAY_SECRET",
				)),
				Check: func(*terraform.State) error {
					vars := getProject(t, cf).DeploymentConfigs["preview"].EnvVars
					if _, ok := vars["STRAY_SECRET"]; ok || vars["SENTRY_AUTH_TOKEN"].Type != "secret_text" {
						return fmt.Errorf("preview variables after apply: %+v", vars)
					}
					return nil
				},
			},
			{ // the Node version changed in preview only shows as drift of node_version
				PreConfig: func() {
					cf.Call(t, "PATCH", cf.AccountPath("/pages/projects/cf-office-hours"), map[string]any{"deployment_configs": map[string]any{
						"preview": map[string]any{"env_vars": map[string]any{"NODE_VERSION": map[string]string{"type": "plain_text", "value": "18"}}},
					}})
				},
				Config: rotated.hcl, ConfigVariables: rotated.vars,
				ConfigPlanChecks: pre(expectOnlyChanged("node_version")),
				Check: func(*terraform.State) error {
					if v := getProject(t, cf).DeploymentConfigs["preview"].EnvVars["NODE_VERSION"].Value; v != "20" {
						return fmt.Errorf("preview NODE_VERSION is %q after apply", v)
					}
					return nil
				},
			},
			{ // secret_variables_version set: the block's secrets are written again, in one PATCH
				PreConfig: func() {
					patchesBefore = patches()
					// Replaced outside Terraform: Cloudflare never shows the value, so only the version can put it back.
					cf.Call(t, "PATCH", cf.AccountPath("/pages/projects/cf-office-hours"), map[string]any{"deployment_configs": map[string]any{
						"preview": map[string]any{"env_vars": map[string]any{"SENTRY_AUTH_TOKEN": map[string]string{"type": "secret_text", "value": "replaced"}}},
					}})
				},
				Config: forced.hcl, ConfigVariables: forced.vars,
				ConfigPlanChecks: pre(expectOnlyChanged(
					"preview.secret_revisions.SENTRY_AUTH_TOKEN (known after apply)",
					"preview.secret_variables_version",
				)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("preview").AtMapKey("secret_revisions").AtMapKey("SENTRY_AUTH_TOKEN"), knownvalue.Int64Exact(2)), // counted anew since its re-creation
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("production").AtMapKey("secret_revisions").AtMapKey("SENTRY_AUTH_TOKEN"), knownvalue.Int64Exact(2)),
				},
				Check: func(*terraform.State) error {
					if n := patches() - patchesBefore; n != 2 { // ours and the out-of-band one
						return fmt.Errorf("%d PATCH requests, want the out-of-band one and one write", n)
					}
					if v, _ := cf.PagesSecret("cf-office-hours", "preview", "SENTRY_AUTH_TOKEN"); v != "sntrys-preview-one" {
						return fmt.Errorf("preview SENTRY_AUTH_TOKEN in Cloudflare is %q after the forced write", v)
					}
					return nil
				},
			},
		},
	})
}

// TestAccPagesProject_blocksUnknownAtPlan: a deployment block known only
// after apply (as a module variable is during validate, or a value from a
// resource not yet created) must not break validation or the plan.
func TestAccPagesProject_blocksUnknownAtPlan(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	cfg := acctest.ProviderBlock(cf, "") + `
resource "terraform_data" "production" {
  input = { variables = { VITE_ENABLE_ANALYTICS = "true" } }
}

resource "officehours_pages_project" "web" {
  name              = "cf-office-hours"
  production_branch = "main"
  production        = terraform_data.production.output
}
`
	acctest.Test(t, resource.TestCase{
		CheckDestroy: destroyed(cf),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: pre(
				plancheck.ExpectUnknownValue(addr, tfjsonpath.New("production")),
			),
			Check: func(*terraform.State) error {
				if v := getProject(t, cf).DeploymentConfigs["production"].EnvVars["VITE_ENABLE_ANALYTICS"].Value; v != "true" {
					return fmt.Errorf("VITE_ENABLE_ANALYTICS in Cloudflare is %q", v)
				}
				return nil
			},
		}},
	})
}

// NODE_VERSION among the variables is refused at validate with where it
// belongs, not with the framework's "value must be none of".
func TestAccPagesProject_nodeVersionVariableSaysToUseNodeVersion(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(cf, "") + `
resource "officehours_pages_project" "web" {
  name              = "cf-office-hours"
  production_branch = "main"
  production = {
    variables = { NODE_VERSION = "20" }
  }
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)NODE_VERSION is its own setting.*Remove\s+NODE_VERSION\s+from\s+the\s+variables\s+and\s+set\s+node_version`),
		}},
	})
	if n := cf.Requests().Total(); n != 0 {
		t.Fatalf("validation sent %d requests", n)
	}
}
