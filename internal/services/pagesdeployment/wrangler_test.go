package pagesdeployment_test

import (
	"fmt"
	"maps"
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

// deploymentOnly deploys dir to the project made outside the configuration.
func deploymentOnly(cf *acctest.Cloudflare, dir string) string {
	return acctest.ProviderBlock(cf, "") + fmt.Sprintf(`
resource "officehours_pages_deployment" "web" {
  project_name = %q
  directory    = %q
}
`, project, dir)
}

func createProject(t *testing.T, cf *acctest.Cloudflare) {
	t.Helper()
	body := map[string]any{"name": project, "production_branch": "main"}
	if status, out, err := cf.Try("POST", cf.AccountPath("/pages/projects"), body); err != nil || status != 200 {
		t.Fatalf("creating the project: %d %s %v", status, out, err)
	}
}

// The same directory deployed by `wrangler pages deploy` (4.86) and by
// Terraform gives the same manifest (wrangler's hashes), the same content
// types for every file, and the same _headers and _redirects; after
// wrangler's deployment, Terraform's uploads nothing.
func TestAccPagesDeployment_sameAsWrangler(t *testing.T) {
	files := maps.Clone(webApp)
	maps.Copy(files, map[string]string{
		"data/slots.json": `{"slots":[]}`, "favicon.ico": "\x00\x00\x01\x00", "sitemap.xml": "<urlset/>",
		"fonts/inter.woff2": "wOF2", "manifest.webmanifest": "{}", "assets/worker-d4.mjs": "export {}",
		"README": "no extension", "docs/guide.pdf": "%PDF-1.7",
	})
	for _, ext := range []string{"md", "csv", "ics", "yaml", "yml", "mp4", "webm", "mp3", "wav", "ogg", "zip", "gz",
		"xhtml", "jsonld", "rss", "atom", "eot", "bmp", "apng", "unknownext"} {
		files["media/sample."+ext] = "content of a ." + ext + " file"
	}
	dir := site(t, "", files)

	byWrangler := acctest.NewCloudflare(t)
	createProject(t, byWrangler)
	cli := wranglercli.New(t, wranglercli.API{BaseURL: byWrangler.URL, Token: acctest.Token, AccountID: byWrangler.AccountID()})
	cli.Run(t, t.TempDir(), "", "pages", "deploy", dir, "--project-name", project, "--branch", "main", "--commit-message", "by wrangler")
	var list []struct{ ID string }
	byWrangler.Decode(t, "GET", byWrangler.AccountPath("/pages/projects/"+project+"/deployments"), nil, &list)
	if len(list) != 1 {
		t.Fatalf("wrangler made %d deployments", len(list))
	}
	wManifest, wHeaders, wRedirects, _ := byWrangler.PagesDeployment(project, list[0].ID)
	wTypes := byWrangler.PagesAssets()

	// Terraform on the same account: the manifest is wrangler's, nothing is
	// uploaded. Then wrangler deploys another build: the plan shows that
	// Terraform's deployment no longer serves, and applying deploys it again.
	other := site(t, "", map[string]string{"index.html": "<h1>deployed by wrangler</h1>"})
	acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: deploymentOnly(byWrangler, dir),
		Check: func(s *terraform.State) error {
			manifest, headers, redirects, _ := byWrangler.PagesDeployment(project, attr(s, "id"))
			switch {
			case fmt.Sprint(manifest) != fmt.Sprint(wManifest):
				return fmt.Errorf("Terraform's manifest %v\nwrangler's %v", manifest, wManifest)
			case headers != wHeaders || redirects != wRedirects:
				return fmt.Errorf("_headers %q / %q, _redirects %q / %q", headers, wHeaders, redirects, wRedirects)
			case len(byWrangler.PagesAssets()) != len(wTypes):
				return fmt.Errorf("Terraform uploaded %d files wrangler had uploaded", len(byWrangler.PagesAssets())-len(wTypes))
			}
			return nil
		},
	}, {
		PreConfig: func() {
			cli.Run(t, t.TempDir(), "", "pages", "deploy", other, "--project-name", project, "--branch", "main", "--commit-message", "another build")
		},
		Config: deploymentOnly(byWrangler, dir),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
		}},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("serves_production"), knownvalue.Bool(true)),
		},
	}}})

	// Terraform alone on another account uploads every file with wrangler's content type.
	alone := acctest.NewCloudflare(t)
	createProject(t, alone)
	acctest.Test(t, resource.TestCase{Steps: []resource.TestStep{{
		Config: deploymentOnly(alone, dir),
		Check: func(*terraform.State) error {
			if got := alone.PagesAssets(); fmt.Sprint(got) != fmt.Sprint(wTypes) {
				return fmt.Errorf("content types by hash: Terraform %v\nwrangler %v", got, wTypes)
			}
			return nil
		},
	}}})
}
