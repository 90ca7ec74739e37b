package pagesdeployment_test

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
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pagesmanifest"
)

const (
	project = "cf-office-hours-web"
	addr    = "officehours_pages_deployment.web"
)

// site writes files into dir (a fresh one when dir is "") and returns dir.
func site(t *testing.T, dir string, files map[string]string) string {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var webApp = map[string]string{
	"index.html":             "<!doctype html><h1>CF Office Hours</h1>",
	"assets/index-a1.js":     "console.log('office hours')",
	"assets/index-b2.css":    "body{margin:0}",
	"favicon.svg":            "<svg/>",
	"_headers":               "/assets/*\n  Cache-Control: public, max-age=31536000, immutable\n",
	"_redirects":             "/app/* /index.html 200\n",
	"node_modules/x/a.js":    "left out, as wrangler leaves it out",
	"assets/.DS_Store":       "",
	"robots.txt":             "User-agent: *\n",
	"assets/logo-c3.png":     "\x89PNG",
	"assets/index-a1.js.map": "{}",
}

func siteConfig(cf *acctest.Cloudflare, body string) string {
	return acctest.ProviderBlock(cf, "") + `
variable "first" {
  type    = string
  default = ""
}

resource "officehours_pages_project" "web" {
  name              = "` + project + `"
  production_branch = "main"
}

resource "officehours_pages_deployment" "web" {
  project_name = officehours_pages_project.web.name
` + body + `
}
`
}

func attr(s *terraform.State, name string) string {
	return s.RootModule().Resources[addr].Primary.Attributes[name]
}

// deployed checks what the local API recorded for the deployment in state.
func deployed(cf *acctest.Cloudflare, dir string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		want, err := pagesmanifest.Read(dir, 0)
		if err != nil {
			return err
		}
		manifest, headers, redirects, ok := cf.PagesDeployment(project, attr(s, "id"))
		if !ok {
			return fmt.Errorf("deployment %s not found", attr(s, "id"))
		}
		if fmt.Sprint(manifest) != fmt.Sprint(want.Manifest()) || headers != string(want.Headers) || redirects != string(want.Redirects) {
			return fmt.Errorf("deployed %v with _headers %q and _redirects %q; want %v", manifest, headers, redirects, want.Manifest())
		}
		return nil
	}
}

func uploadedSince(cf *acctest.Cloudflare, before *int, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := len(cf.PagesAssets()) - *before; n != want {
			return fmt.Errorf("%d files uploaded, want %d", n, want)
		}
		*before = len(cf.PagesAssets())
		return nil
	}
}

// The web app deployed, redeployed with one file changed (one upload),
// rebuilt unchanged (nothing), previewed from a branch, rolled back to
// its first production deployment and forward again, imported, and set
// back after a rollback made outside Terraform.
func TestAccPagesDeployment_lifecycleRollbackDrift(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	dir := site(t, "", webApp)
	assets := 0
	var first string
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: siteConfig(cf, fmt.Sprintf("  directory = %q\n  commit_message = \"first\"", dir)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("files_added"), knownvalue.Int64Exact(7)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("file_count"), knownvalue.Int64Exact(7)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("environment"), knownvalue.StringExact("production")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("serves_production"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("alias_url"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(deployed(cf, dir), uploadedSince(cf, &assets, 7),
					func(s *terraform.State) error { first = attr(s, "id"); return nil }),
			},
			{ // rebuilt with the same output: nothing to do
				PreConfig:        func() { site(t, dir, webApp) },
				Config:           siteConfig(cf, fmt.Sprintf("  directory = %q\n  commit_message = \"first\"", dir)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ // one file changed: one upload, and the plan says so
				PreConfig: func() { site(t, dir, map[string]string{"index.html": "<!doctype html><h1>CF Office Hours v2</h1>"}) },
				Config:    siteConfig(cf, fmt.Sprintf("  directory = %q\n  commit_message = \"second\"", dir)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("files_changed"), knownvalue.Int64Exact(1)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("files_added"), knownvalue.Int64Exact(0)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("files_removed"), knownvalue.Int64Exact(0)),
				}},
				Check: resource.ComposeTestCheckFunc(deployed(cf, dir), uploadedSince(cf, &assets, 1)),
			},
			{ // rolled back to the first deployment by configuration: no upload
				Config:          siteConfig(cf, fmt.Sprintf("  directory = %q\n  commit_message = \"second\"\n  rollback_to = var.first", dir)),
				ConfigVariables: config.Variables{"first": acctest.Later(func() string { return first })},
				Check: resource.ComposeTestCheckFunc(uploadedSince(cf, &assets, 0), func(s *terraform.State) error {
					if attr(s, "id") != first || attr(s, "serves_production") != "true" {
						return fmt.Errorf("after the rollback the state has %s (serving %s), want %s", attr(s, "id"), attr(s, "serves_production"), first)
					}
					return nil
				}),
			},
			{ // forward again: the directory deployed, uploading nothing Cloudflare has
				Config: siteConfig(cf, fmt.Sprintf("  directory = %q\n  commit_message = \"second\"", dir)),
				Check:  resource.ComposeTestCheckFunc(deployed(cf, dir), uploadedSince(cf, &assets, 0)),
			},
			{ // rolled back outside Terraform: the plan says so, applying deploys again
				PreConfig: func() {
					if status, body, err := cf.Try("POST", cf.AccountPath("/pages/projects/"+project+"/deployments/"+first+"/rollback"), nil); err != nil || status != 200 {
						t.Fatalf("rollback out of band: %d %s %v", status, body, err)
					}
				},
				Config: siteConfig(cf, fmt.Sprintf("  directory = %q\n  commit_message = \"second\"", dir)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("serves_production"), knownvalue.Bool(true)),
				},
			},
			{
				ResourceName: addr, ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) { return project + "/" + attr(s, "id"), nil },
				// What only the configuration and the directory know.
				ImportStateVerifyIgnore: []string{"directory", "commit_message", "content_sha256", "file_count", "files_added", "files_changed", "files_removed"},
				Config:                  siteConfig(cf, fmt.Sprintf("  directory = %q\n  commit_message = \"second\"", dir)),
			},
			{ // a preview from a branch gets its alias
				Config: siteConfig(cf, fmt.Sprintf("  directory = %q\n  branch = \"feature/booking-calendar\"", dir)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("environment"), knownvalue.StringExact("preview")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("alias_url"), knownvalue.StringRegexp(regexp.MustCompile(`^https://feature-booking-calendar\.`))),
				},
			},
		},
	})
}

// Bad input is refused at plan, naming the attribute, and creates nothing.
func TestAccPagesDeployment_badInput(t *testing.T) {
	cf := acctest.NewCloudflare(t)
	empty := site(t, "", map[string]string{"_headers": "/*\n", "node_modules/a.js": ""})
	functions := site(t, "", map[string]string{"index.html": "x", "functions/api/hello.js": "export function onRequest() {}"})
	many := t.TempDir()
	for i := 0; i <= pagesmanifest.DefaultMaxFiles; i++ {
		if err := os.WriteFile(filepath.Join(many, fmt.Sprintf("%05d.html", i)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	good := site(t, "", webApp)
	big := site(t, "", map[string]string{"index.html": "x"})
	if err := os.WriteFile(filepath.Join(big, "intro.mp4"), make([]byte, pagesmanifest.MaxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	steps := []resource.TestStep{}
	for body, want := range map[string]string{
		fmt.Sprintf("directory = %q", filepath.Join(good, "dist")):    `(?s)directory.*does not exist; build the site first`,
		fmt.Sprintf("directory = %q", empty):                          `(?s)directory.*holds no files to deploy`,
		fmt.Sprintf("directory = %q", functions):                      `(?s)Pages Functions are not deployed by this resource`,
		fmt.Sprintf("directory = %q", many):                           `(?s)holds 20001 files; Pages deploys at most 20000`,
		fmt.Sprintf("directory = %q", big):                            `(?s)intro.mp4 is 25.0 MiB; Pages serves files up to 25 MiB`,
		fmt.Sprintf("directory = %q\n  rollback_to = \"v41\"", good):  `(?s)rollback_to.*must be a Pages deployment id`,
		fmt.Sprintf("directory = %q\n  commit_hash = \"HEAD\"", good): `(?s)commit_hash.*must be a Git commit hash`,
	} {
		// Terraform wraps messages: any space may be a line break.
		steps = append(steps, resource.TestStep{Config: siteConfig(cf, "  "+body), PlanOnly: true, ExpectError: regexp.MustCompile(strings.ReplaceAll(want, " ", `\s+`))})
	}
	// A rollback target the project does not have, found at plan.
	steps = append(steps, resource.TestStep{
		Config: siteConfig(cf, fmt.Sprintf("  directory = %q\n  rollback_to = \"0f6d2c36-8a4e-4d0e-9f4b-3c1d2e5a7b90\"", good)),
		PreConfig: func() {
			body := map[string]any{"name": project, "production_branch": "main"}
			if status, out, err := cf.Try("POST", cf.AccountPath("/pages/projects"), body); err != nil || status != 200 {
				t.Fatalf("creating the project out of band: %d %s %v", status, out, err)
			}
		},
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)No such Pages deployment`),
	})
	acctest.Test(t, resource.TestCase{Steps: steps})
	if n := len(cf.PagesAssets()); n != 0 {
		t.Fatalf("bad input uploaded %d files", n)
	}
}
