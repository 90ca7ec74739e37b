package workerdeployment_test

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
	script = "cf-office-hours-api-production"
	addr   = "officehours_worker_deployment.api"
)

// code writes a Worker that answers label and returns its path.
func code(t *testing.T, label string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "index.js")
	src := fmt.Sprintf("export default { async fetch() { return new Response(%q) } }\n", label)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// scriptConfig is the Worker uploaded without deploying, and extra.
func scriptConfig(cf *acctest.Cloudflare, main, extra string) string {
	return acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
variable "v1" {
  type    = string
  default = ""
}

variable "v1_uploaded" {
  type    = string
  default = ""
}

resource "officehours_worker_script" "api" {
  name               = %q
  main_module        = %q
  compatibility_date = "2025-03-11"
  deploy             = false
}
`, script, main) + extra
}

// deployment is an officehours_worker_deployment of versions (HCL).
func deployment(versions, message string) string {
	return fmt.Sprintf(`
resource "officehours_worker_deployment" "api" {
  script_name = officehours_worker_script.api.name
  versions    = %s
  message     = %q
}
`, versions, message)
}

type liveDeployment struct {
	ID       string `json:"id"`
	Source   string `json:"source"`
	Versions []struct {
		VersionID  string  `json:"version_id"`
		Percentage float64 `json:"percentage"`
	} `json:"versions"`
	Annotations map[string]string `json:"annotations"`
}

func deployments(t *testing.T, cf *acctest.Cloudflare) []liveDeployment {
	t.Helper()
	var out struct {
		Deployments []liveDeployment `json:"deployments"`
	}
	cf.Decode(t, "GET", cf.AccountPath("/workers/scripts/"+script+"/deployments"), nil, &out)
	return out.Deployments
}

// serves checks the latest deployment: version id => percentage.
func serves(t *testing.T, cf *acctest.Cloudflare, want map[string]float64) error {
	d := deployments(t, cf)[0]
	got := map[string]float64{}
	for _, v := range d.Versions {
		got[v.VersionID] = v.Percentage
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Errorf("the latest deployment (%s, by %s) serves %v, want %v", d.ID, d.Source, got, want)
	}
	return nil
}

func attr(s *terraform.State, address, name string) string {
	return s.RootModule().Resources[address].Primary.Attributes[name]
}

// A release as pull requests would make it: v1 uploaded and deployed, v2
// uploaded and sent 10 % of traffic, then all of it, then a rollback to v1;
// each deployment made by Terraform and what it reads back. Import adopts
// the latest deployment; one made out of band (as wrangler or the
// dashboard would) shows as a change and applying restores the
// configuration.
func TestAccWorkerDeployment_gradualReleaseRollbackImportDrift(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	v1code, v2code := code(t, "v1"), code(t, "v2")
	var v1, v2 string
	vars := config.Variables{"v1": acctest.Later(func() string { return v1 })}
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{ // the first upload of a new Worker deploys; the deployment names it
				Config: scriptConfig(cf, v1code, deployment(`[{ version_id = officehours_worker_script.api.version_id, percentage = 100 }]`, "v1")),
				Check: func(s *terraform.State) error {
					v1 = attr(s, "officehours_worker_script.api", "version_id")
					if src := attr(s, addr, "source"); src != "terraform" {
						return fmt.Errorf("source %q, want terraform", src)
					}
					return serves(t, cf, map[string]float64{v1: 100})
				},
			},
			{ // v2 is uploaded, not deployed, and gets 10 %
				Config: scriptConfig(cf, v2code, deployment(
					`[{ version_id = officehours_worker_script.api.version_id, percentage = 10 }, { version_id = var.v1, percentage = 90 }]`, "v2 at 10%")),
				ConfigVariables: vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("officehours_worker_script.api", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: func(s *terraform.State) error {
					v2 = attr(s, "officehours_worker_script.api", "version_id")
					if v2 == v1 {
						return fmt.Errorf("no new version was uploaded")
					}
					if d := deployments(t, cf)[0]; d.Annotations["workers/message"] != "v2 at 10%" {
						return fmt.Errorf("message %q", d.Annotations["workers/message"])
					}
					return serves(t, cf, map[string]float64{v2: 10, v1: 90})
				},
			},
			{ // all traffic
				Config:          scriptConfig(cf, v2code, deployment(`[{ version_id = officehours_worker_script.api.version_id, percentage = 100 }]`, "v2")),
				ConfigVariables: vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("officehours_worker_script.api", plancheck.ResourceActionNoop),
				}},
				Check: func(*terraform.State) error { return serves(t, cf, map[string]float64{v2: 100}) },
			},
			{ // a rollback is a deployment of v1, the code left as it is
				Config:          scriptConfig(cf, v2code, deployment(`[{ version_id = var.v1, percentage = 100 }]`, "roll back to v1")),
				ConfigVariables: vars,
				Check:           func(*terraform.State) error { return serves(t, cf, map[string]float64{v1: 100}) },
			},
			{
				ResourceName: addr, ImportState: true, ImportStateId: script, ImportStateVerify: true,
				ImportStateVerifyIdentifierAttribute: "script_name",
				Config:                               scriptConfig(cf, v2code, deployment(`[{ version_id = var.v1, percentage = 100 }]`, "roll back to v1")),
				ConfigVariables:                      vars,
			},
			{ // deployed out of band: the plan shows it, applying deploys v1 again
				PreConfig: func() {
					body := map[string]any{"strategy": "percentage", "versions": []map[string]any{{"version_id": v2, "percentage": 100}}}
					if status, answer, err := cf.Try("POST", cf.AccountPath("/workers/scripts/"+script+"/deployments"), body); err != nil || status != 200 {
						t.Fatalf("deploying out of band: %d %s %v", status, answer, err)
					}
				},
				Config:          scriptConfig(cf, v2code, deployment(`[{ version_id = var.v1, percentage = 100 }]`, "roll back to v1")),
				ConfigVariables: vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("id")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("source"), knownvalue.StringExact("terraform")),
				},
				Check: func(*terraform.State) error { return serves(t, cf, map[string]float64{v1: 100}) },
			},
		},
	})
	// Destroy forgets the deployments and deletes the Worker.
	if status, _, err := cf.Try("GET", cf.AccountPath("/workers/scripts/"+script+"/deployments"), nil); err != nil || status != 404 {
		t.Fatalf("after destroy the Worker's deployments answer %d (%v), want 404", status, err)
	}
}

// Secrets and releases. A secret change deploys a version of the serving
// code with the new secret; a release naming the version from before it
// deploys that newer version instead (never the old secret), and the plan
// stays clean. A secret change while a release is under way is refused
// with what to do. A rollback past a rotation is refused unless forced.
func TestAccWorkerDeployment_secretsAndReleases(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	v1code, v2code := code(t, "v1"), code(t, "v2")
	var v1, v1Uploaded, v2 string
	vars := config.Variables{"v1": acctest.Later(func() string { return v1 }), "v1_uploaded": acctest.Later(func() string { return v1Uploaded })}
	secret := func(version int) string {
		return fmt.Sprintf(`
resource "officehours_worker_secret" "jwt" {
  script_name      = officehours_worker_deployment.api.script_name # after the deployment
  name             = "JWT_SECRET"
  value_wo         = "secret-%d"
  value_wo_version = %d
}
`, version, version)
	}
	canary := `[{ version_id = officehours_worker_script.api.version_id, percentage = 10 }, { version_id = var.v1_uploaded, percentage = 90 }]`
	everywhere := `[{ version_id = officehours_worker_script.api.version_id, percentage = 100 }]`
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: scriptConfig(cf, v1code, secret(1)+deployment(everywhere, "v1")),
				Check: func(s *terraform.State) error {
					d := deployments(t, cf)[0]
					if d.Annotations["workers/triggered_by"] != "secret" {
						return fmt.Errorf("the latest deployment is %+v, want the secret's", d)
					}
					v1, v1Uploaded = d.Versions[0].VersionID, attr(s, "officehours_worker_script.api", "version_id")
					return nil
				},
			},
			{ // v1 as uploaded is named; the secret's version of it serves the 90 %
				Config:          scriptConfig(cf, v2code, secret(1)+deployment(canary, "v2 at 10%")),
				ConfigVariables: vars,
				Check: func(s *terraform.State) error {
					v2 = attr(s, "officehours_worker_script.api", "version_id")
					return serves(t, cf, map[string]float64{v2: 10, v1: 90})
				},
			},
			{ // and the plan stays clean
				Config: scriptConfig(cf, v2code, secret(1)+deployment(canary, "v2 at 10%")), ConfigVariables: vars, PlanOnly: true,
			},
			{ // a secret change mid-release is refused by Cloudflare (10215), saying what to do
				Config:          scriptConfig(cf, v2code, secret(2)+deployment(canary, "v2 at 10%")),
				ConfigVariables: vars,
				ExpectError:     regexp.MustCompile(`(?s)does not serve all.*traffic.*Finish the release first`),
			},
			{ // released: the rotation goes through with a deployment of its own, which is no drift
				Config:          scriptConfig(cf, v2code, secret(2)+deployment(everywhere, "v2")),
				ConfigVariables: vars,
				Check: func(*terraform.State) error {
					if d := deployments(t, cf); d[0].Annotations["workers/triggered_by"] != "secret" || d[1].Annotations["workers/message"] != "v2" {
						return fmt.Errorf("the latest deployments are %+v", d[:2])
					}
					return nil
				},
			},
			{
				Config: scriptConfig(cf, v2code, secret(2)+deployment(everywhere, "v2")), ConfigVariables: vars, PlanOnly: true,
			},
			{ // rolling back to v1 would serve the secret from before the rotation: refused (10220)
				Config:          scriptConfig(cf, v2code, secret(2)+deployment(`[{ version_id = var.v1_uploaded, percentage = 100 }]`, "back to v1")),
				ConfigVariables: vars,
				ExpectError:     regexp.MustCompile(`(?s)Deployment refused: secrets differ.*force = true`),
			},
			{ // forced, exactly the version named is deployed, with its secrets:
				// v1 as uploaded had none, so the secret is gone and planned again
				Config: scriptConfig(cf, v2code, secret(2)+strings.Replace(deployment(`[{ version_id = var.v1_uploaded, percentage = 100 }]`, "back to v1"),
					"message", "force       = true\n  message", 1)),
				ConfigVariables:    vars,
				Check:              func(*terraform.State) error { return serves(t, cf, map[string]float64{v1Uploaded: 100}) },
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Bad input is refused at plan, naming the attribute, and changes nothing.
func TestAccWorkerDeployment_badInput(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	main := code(t, "v1")
	base := scriptConfig(cf, main, "")
	cases := map[string]struct{ versions, want string }{
		"percentages under 100": {`[{ version_id = officehours_worker_script.api.version_id, percentage = 50 }, { version_id = "0f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90", percentage = 40 }]`,
			`(?s)Percentages do not add up to 100.*add up to 90`},
		"three versions": {`[{ version_id = "0f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90", percentage = 50 }, { version_id = "1f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90", percentage = 25 }, { version_id = "2f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90", percentage = 25 }]`,
			`(?s)versions.*list must contain at least 1 elements and at most 2`},
		"not a version id": {`[{ version_id = "v41", percentage = 100 }]`, `(?s)version_id.*must be a Worker version id`},
		"a version twice": {`[{ version_id = "0f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90", percentage = 50 }, { version_id = "0f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90", percentage = 50 }]`,
			`Version listed twice`},
		"over 100 percent": {`[{ version_id = "0f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90", percentage = 120 }]`, `(?s)percentage.*between 0\.000000 and\s+100\.000000`},
	}
	steps := []resource.TestStep{{Config: base}}
	for name, c := range cases {
		steps = append(steps, resource.TestStep{
			Config: base + deployment(c.versions, name), PlanOnly: true, ExpectError: regexp.MustCompile(c.want),
		})
	}
	steps = append(steps, resource.TestStep{ // a version id this Worker does not have, found at plan
		Config:      base + deployment(`[{ version_id = "0f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90", percentage = 100 }]`, "unknown"),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)Unknown Worker version.*has no version\s+0f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90`),
	}, resource.TestStep{ // a class added with deploy = false: the migration needs a deploy
		Config: strings.Replace(base, `deploy             = false`, `deploy             = false
  durable_object_classes = { SlotGenerator = {} }`, 1),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)Durable Object migration needs a deploy.*Set deploy = true`),
	}, resource.TestStep{Config: base}) // the destroy runs on the last configuration
	acctest.Test(t, resource.TestCase{Steps: steps})
	// Nothing was deployed but the first upload's own deployment, and the
	// Worker is destroyed with it.
	if status, _, err := cf.Try("GET", cf.AccountPath("/workers/scripts/"+script), nil); err != nil || status != 404 {
		t.Fatalf("after destroy the Worker answers %d (%v), want 404", status, err)
	}
}
