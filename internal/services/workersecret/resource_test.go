package workersecret_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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

const (
	addr   = "officehours_worker_secret.jwt"
	script = "cf-office-hours-api-production"
	// putRoute is what the request log counts for one secret write.
	putRoute    = "PUT /client/v4/accounts/{account_id}/workers/scripts/{script_name}/secrets"
	deleteRoute = "DELETE /client/v4/accounts/{account_id}/workers/scripts/{script_name}/secrets/{secret_name}"
)

func writeBundle(t *testing.T) string {
	t.Helper()
	main := filepath.Join(t.TempDir(), "index.js")
	if err := os.WriteFile(main, []byte("export default { async fetch() { return new Response('ok') } }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return main
}

// hcl is a Worker and its JWT_SECRET, whose value comes from an ephemeral
// variable (a literal would be in the plan's copy of the configuration).
// version < 0 leaves value_wo_version out.
func hcl(cf *acctest.Cloudflare, main string, version int) string {
	v := ""
	if version >= 0 {
		v = fmt.Sprintf("  value_wo_version = %d\n", version)
	}
	return acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
variable "jwt_secret" {
  type      = string
  ephemeral = true
}

resource "officehours_worker_script" "api" {
  name               = %q
  main_module        = %q
  compatibility_date = "2025-03-11"
}

resource "officehours_worker_secret" "jwt" {
  script_name = officehours_worker_script.api.name
  name        = "JWT_SECRET"
  value_wo    = var.jwt_secret
%s}
`, script, main, v)
}

func value(v string) config.Variables {
	return config.Variables{"jwt_secret": config.StringVariable(v)}
}

// secretNames lists the secrets the API has for the script.
func secretNames(t *testing.T, cf *acctest.Cloudflare) []string {
	var list []struct{ Name string }
	cf.Decode(t, "GET", cf.AccountPath("/workers/scripts/"+script+"/secrets"), nil, &list)
	var out []string
	for _, s := range list {
		out = append(out, s.Name)
	}
	return out
}

func revision(n int64) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New("revision"), knownvalue.Int64Exact(n))
}

// onePut checks, after an apply, that exactly one secret write was sent
// since the request log was last reset.
func onePut(cf *acctest.Cloudflare) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := cf.Requests().Counts()[putRoute]; n != 1 {
			return fmt.Errorf("%d secret writes, want 1: %v", n, cf.Requests().Counts())
		}
		return nil
	}
}

func TestAccWorkerSecret_rotationDriftImport(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	main := writeBundle(t)
	values := []string{"jwt-value-one-5f0c", "jwt-value-two-9d3e"}
	// Terraform's and the provider's logs, at TRACE, must not hold the values either.
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Cleanup(func() {
		data, err := os.ReadFile(logPath)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "/secrets") {
			t.Fatalf("the log (%d bytes) has no secret requests: logging was not on", len(data))
		}
		for _, v := range values {
			if strings.Contains(string(data), v) {
				t.Fatalf("secret value %q found in the log", v)
			}
		}
	})
	absent := acctest.SecretsAbsent(values...)
	reset := func() { cf.Requests().Reset() }
	writes := func(checks ...plancheck.PlanCheck) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PreApply: append(checks,
			plancheck.ExpectUnknownValue(addr, tfjsonpath.New("revision")), absent)}
	}

	acctest.Test(t, resource.TestCase{
		CheckDestroy: func(*terraform.State) error {
			// The secret's own delete ran (before its script's: it depends on it).
			if n := cf.Requests().Counts()[deleteRoute]; n != 1 {
				return fmt.Errorf("%d secret deletes on destroy, want 1: %v", n, cf.Requests().Counts())
			}
			if status, body, err := cf.Try("GET", cf.AccountPath("/workers/scripts/"+script+"/secrets/JWT_SECRET"), nil); err != nil || status != 404 {
				return fmt.Errorf("after destroy the secret answers %d %s (%w)", status, body, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{ // create: written once; the framework then checks a second plan is empty
				PreConfig: reset,
				Config:    hcl(cf, main, -1), ConfigVariables: value(values[0]),
				ConfigPlanChecks:  writes(plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)),
				ConfigStateChecks: []statecheck.StateCheck{absent, revision(1), statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_wo"), knownvalue.Null())},
				Check: resource.ComposeTestCheckFunc(onePut(cf), func(*terraform.State) error {
					if got := secretNames(t, cf); len(got) != 1 || got[0] != "JWT_SECRET" {
						return fmt.Errorf("secrets in Cloudflare: %v", got)
					}
					return nil
				}),
			},
			{ // the same value again: nothing to do, and nothing sent
				PreConfig: reset,
				Config:    hcl(cf, main, -1), ConfigVariables: value(values[0]),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), absent}},
				Check: func(*terraform.State) error {
					if n := cf.Requests().Counts()[putRoute]; n != 0 {
						return fmt.Errorf("%d secret writes for an unchanged value", n)
					}
					return nil
				},
			},
			{ // rotation by a new value_wo alone: planned as a write, one PUT
				PreConfig: reset,
				Config:    hcl(cf, main, -1), ConfigVariables: value(values[1]),
				ConfigPlanChecks:  writes(plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)),
				ConfigStateChecks: []statecheck.StateCheck{absent, revision(2)},
				Check:             onePut(cf),
			},
			{ // deleted outside Terraform: planned for re-creation
				PreConfig: func() {
					cf.Call(t, "DELETE", cf.AccountPath("/workers/scripts/"+script+"/secrets/JWT_SECRET"), nil)
					reset()
				},
				Config: hcl(cf, main, -1), ConfigVariables: value(values[1]),
				ConfigPlanChecks:  writes(plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)),
				ConfigStateChecks: []statecheck.StateCheck{revision(1)},
				Check: resource.ComposeTestCheckFunc(onePut(cf), func(*terraform.State) error {
					if got := secretNames(t, cf); len(got) != 1 {
						return fmt.Errorf("secret not re-created: %v", got)
					}
					return nil
				}),
			},
			{ // import with an import block: the value is adopted, the plan is a no-op
				ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				ImportStateId: script + "/JWT_SECRET",
				Config:        hcl(cf, main, -1), ConfigVariables: value(values[1]),
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{absent}},
			},
			{ // and with terraform import: the same state but for the write count
				ResourceName: addr, ImportState: true, ImportStateId: script + "/JWT_SECRET",
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"revision"},
				Config: hcl(cf, main, -1), ConfigVariables: value(values[1]),
			},
			{ // value_wo_version bumped, value unchanged: written again
				PreConfig: reset,
				Config:    hcl(cf, main, 1), ConfigVariables: value(values[1]),
				ConfigPlanChecks:  writes(plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)),
				ConfigStateChecks: []statecheck.StateCheck{absent, revision(2)},
				Check:             onePut(cf),
			},
			{ // a bad import id says what is expected
				ResourceName: addr, ImportState: true, ImportStateId: "JWT_SECRET",
				Config: hcl(cf, main, 1), ConfigVariables: value(values[1]),
				ExpectError: regexp.MustCompile(`Expected <script_name>/<secret_name>`),
			},
		},
	})
}

// A secret of a Worker that does not exist fails naming the Worker and how
// to order the two.
func TestAccWorkerSecret_missingScript(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: acctest.ProviderBlock(cf, "") + `
resource "officehours_worker_secret" "jwt" {
  script_name = "no-such-worker"
  name        = "JWT_SECRET"
  value_wo    = "x"
}
`,
			ExpectError: regexp.MustCompile(`(?s)Worker "no-such-worker" does not exist.*officehours_worker_script`),
		}},
	})
}
