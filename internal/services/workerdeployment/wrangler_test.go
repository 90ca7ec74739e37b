package workerdeployment_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/wranglercli"
)

// versionsData reads the Worker's versions and deployments.
const versionsData = `
data "officehours_worker_versions" "api" {
  script_name = officehours_worker_script.api.name
  depends_on  = [officehours_worker_deployment.api]
}

output "sources" {
  value = [for v in data.officehours_worker_versions.api.versions : v.source]
}
`

// wrangler 4.86 and Terraform on one Worker: wrangler's versions upload
// and gradual versions deploy on top of Terraform's deployment, which
// wrangler lists and Terraform shows as drift and sets back; the data
// source names who made each version; a wrangler rollback adopted by
// writing it into the configuration plans clean.
func TestAccWorkerDeployment_wranglerVersionsDeployRollback(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	cli := wranglercli.New(t, wranglercli.API{BaseURL: cf.URL, Token: acctest.Token, AccountID: cf.AccountID()})
	project := t.TempDir()
	if err := os.MkdirAll(filepath.Join(project, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"src/index.js":  "export default { async fetch() { return new Response('by wrangler') } }\n",
		"wrangler.toml": fmt.Sprintf("name = %q\nmain = \"src/index.js\"\ncompatibility_date = \"2025-03-11\"\nno_bundle = true\n", script),
	} {
		if err := os.WriteFile(filepath.Join(project, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	v1code := code(t, "v1")
	var v1, byWrangler string
	vars := config.Variables{"v1": acctest.Later(func() string { return v1 }), "v1_uploaded": acctest.Later(func() string { return byWrangler })}
	tfDeployment := deployment(`[{ version_id = officehours_worker_script.api.version_id, percentage = 100 }]`, "v1 by terraform")

	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: scriptConfig(cf, v1code, tfDeployment),
				Check: func(s *terraform.State) error {
					v1 = attr(s, "officehours_worker_script.api", "version_id")
					return nil
				},
			},
			{ // wrangler uploads a version and sends it 10 %: wrangler lists Terraform's deployment, Terraform sets its own back
				PreConfig: func() {
					cli.Run(t, project, "", "versions", "upload", "--message", "uploaded by wrangler")
					var versions []struct {
						ID string `json:"id"`
					}
					if err := json.Unmarshal([]byte(cli.Run(t, project, "", "versions", "list", "--json")), &versions); err != nil || len(versions) != 2 {
						t.Fatalf("wrangler versions list: %v %+v", err, versions)
					}
					for _, v := range versions {
						if v.ID != v1 {
							byWrangler = v.ID
						}
					}
					cli.Run(t, project, "", "versions", "deploy", byWrangler+"@10", v1+"@90", "--message", "canary by wrangler", "--yes")
					var list []struct {
						Source      string            `json:"source"`
						Annotations map[string]string `json:"annotations"`
						Versions    []struct {
							VersionID  string  `json:"version_id"`
							Percentage float64 `json:"percentage"`
						} `json:"versions"`
					}
					// Oldest first: the first upload's own, Terraform's, wrangler's.
					if err := json.Unmarshal([]byte(cli.Run(t, project, "", "deployments", "list", "--json")), &list); err != nil || len(list) != 3 {
						t.Fatalf("wrangler deployments list: %v %+v", err, list)
					}
					if tf := list[1]; tf.Source != "terraform" || tf.Annotations["workers/message"] != "v1 by terraform" {
						t.Fatalf("wrangler lists Terraform's deployment as %+v", tf)
					}
					if err := serves(t, cf, map[string]float64{byWrangler: 10, v1: 90}); err != nil {
						t.Fatal(err)
					}
				},
				Config:          scriptConfig(cf, v1code, tfDeployment+versionsData),
				ConfigVariables: vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("officehours_worker_script.api", plancheck.ResourceActionNoop),
				}},
				Check: func(*terraform.State) error { return serves(t, cf, map[string]float64{v1: 100}) },
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("sources",
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("wrangler"), knownvalue.StringExact("terraform")}))},
			},
			{ // wrangler rolls back to its version; the configuration adopts it and plans clean
				PreConfig: func() {
					cli.Run(t, project, "", "rollback", byWrangler, "--message", "rollback by wrangler", "--yes")
				},
				Config:          scriptConfig(cf, v1code, deployment(`[{ version_id = var.v1_uploaded, percentage = 100 }]`, "rollback by wrangler")+versionsData),
				ConfigVariables: vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
				}},
				Check: func(s *terraform.State) error {
					if src := attr(s, addr, "source"); src != "wrangler" {
						return fmt.Errorf("the adopted deployment's source is %q", src)
					}
					return serves(t, cf, map[string]float64{byWrangler: 100})
				},
			},
		},
	})
}
