package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/bench"
)

// pagesFiles is the size of the site the pages scenario deploys.
const pagesFiles = 500

// pagesHCL is a direct-upload project and a deployment of ./site.
const pagesHCL = requiredProviders + `
variable "message" {
  type = string
}

resource "officehours_pages_project" "web" {
  name              = "bench-web"
  production_branch = "main"
}

resource "officehours_pages_deployment" "web" {
  project_name   = officehours_pages_project.web.name
  directory      = "${path.module}/site"
  commit_message = var.message
}
`

// writeSite writes a built site of n files: pages, scripts and styles of a
// few kilobytes each, as a Vite build has them.
func writeSite(dir string, n int) error {
	for i := 0; i < n; i++ {
		name, body := fmt.Sprintf("assets/chunk-%03d.js", i), fmt.Sprintf("export const chunk%d = %q;\n", i, strings.Repeat("x", 2000+i))
		switch i % 5 {
		case 0:
			name, body = fmt.Sprintf("page-%03d.html", i), fmt.Sprintf("<!doctype html><title>%d</title>%s", i, strings.Repeat("<p>office hours</p>", 100))
		case 1:
			name, body = fmt.Sprintf("assets/style-%03d.css", i), fmt.Sprintf(".c%d{%s}", i, strings.Repeat("margin:0;", 200))
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			return err
		}
		if err := writeFile(dir, name, body); err != nil {
			return err
		}
	}
	return nil
}

// runPages deploys a 500-file site by direct upload, then deploys it again
// unchanged (a new commit message: a new deployment of the same files), then
// with one file changed, and plans after rebuilding it unchanged: what is
// uploaded and what each costs in requests.
func runPages(ctx context.Context, r *runner) (*bench.Section, error) {
	s := r.stack
	sec := &bench.Section{Title: fmt.Sprintf("Pages direct upload: a %d-file site", pagesFiles)}
	sec.Para(fmt.Sprintf("A direct-upload project and an `officehours_pages_deployment` of a built site of %d files "+
		"(HTML, CSS and JS of 2 to 4 KB), against a fresh local API that speaks wrangler's upload protocol: the upload "+
		"token, check-missing, upload in wrangler's buckets (at most 2,000 files and 40 MiB a request), upsert-hashes, then "+
		"the deployment. Files uploaded are counted in the local API's asset store.", pagesFiles))
	dir, err := initDir(ctx, s, "pages", map[string]string{"main.tf": pagesHCL})
	if err != nil {
		return sec, err
	}
	site := filepath.Join(dir, "site")
	if err := writeSite(site, pagesFiles); err != nil {
		return sec, err
	}
	api, err := s.NewAPI()
	if err != nil {
		return sec, err
	}
	defer api.Close()
	env := s.Env(api, "")
	probe := bench.Probe{API: api, Memory: true}
	var list seriesList
	uploaded := map[string]int{}
	step := func(name string, args ...string) error {
		before := len(api.Server.PagesAssets())
		r.logf("pages: %s", name)
		st, err := check(s.Measure(ctx, name, probe, []bench.Command{s.TF(dir, env, args...)}))
		if err != nil {
			return err
		}
		list.add(st)
		uploaded[name] = len(api.Server.PagesAssets()) - before
		return nil
	}
	apply := func(message string) []string {
		return []string{"apply", "-input=false", "-auto-approve", "-no-color", "-var=message=" + message}
	}
	if err := step("first deployment", apply("first")...); err != nil {
		return sec, err
	}
	if err := step("second deployment, no file changed", apply("second")...); err != nil {
		return sec, err
	}
	if err := writeFile(site, "page-000.html", "<!doctype html><title>0</title><p>changed</p>"); err != nil {
		return sec, err
	}
	if err := step("third deployment, one file changed", apply("third")...); err != nil {
		return sec, err
	}
	if err := writeSite(site, pagesFiles); err != nil { // rebuilt: page-000.html as it first was
		return sec, err
	}
	if err := writeFile(site, "page-000.html", "<!doctype html><title>0</title><p>changed</p>"); err != nil {
		return sec, err
	}
	if err := step("plan after a rebuild with the same output", "plan", "-input=false", "-no-color", "-detailed-exitcode", "-var=message=third"); err != nil {
		return sec, fmt.Errorf("a rebuild with the same output must plan nothing: %w", err)
	}
	sec.Table("", stepTable(list.all(), true, false))
	sec.Table("Requests by route:", routeTable(list.all()))
	var lines []string
	for _, sr := range list.all() {
		lines = append(lines, fmt.Sprintf("%s: %d files uploaded", sr.name, uploaded[sr.name]))
	}
	sec.List("Files uploaded:", lines)
	sec.List("Targets:", bench.TargetLines([]bench.Target{{
		Name:     fmt.Sprintf("the first deployment uploads every file (%d)", pagesFiles),
		Measured: float64(uploaded["first deployment"]), Limit: pagesFiles, AtLeast: true,
	}, {
		Name:     "a second deployment of the unchanged site uploads no file",
		Measured: float64(uploaded["second deployment, no file changed"]), Limit: 0,
	}, {
		Name:     "a deployment with one file changed uploads one",
		Measured: float64(uploaded["third deployment, one file changed"]), Limit: 1,
	}}))
	return sec, nil
}
