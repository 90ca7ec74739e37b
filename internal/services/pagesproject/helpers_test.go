package pagesproject_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
)

const addr = "officehours_pages_project.web"

// env is one deployment configuration of the test project.
type env struct {
	vars           map[string]string
	secrets        map[string]string
	secretsVersion int // secret_variables_version; 0 leaves it out
}

// site is the CF Office Hours web project, as a test varies it.
type site struct {
	node                string
	production, preview env
}

func officeHours() site {
	return site{
		node: "20",
		production: env{
			vars: map[string]string{
				"VITE_API_BASE_URL":      "https://api.officehours.youcanjustdothings.io",
				"VITE_SUPABASE_URL":      "https://prod-ref.supabase.co",
				"VITE_SUPABASE_ANON_KEY": "anon-production",
				"VITE_ENABLE_REALTIME":   "true",
				"VITE_ENABLE_ANALYTICS":  "true",
			},
			secrets: map[string]string{"SENTRY_AUTH_TOKEN": "sntrys-production-one"},
		},
		preview: env{
			vars: map[string]string{
				"VITE_API_BASE_URL":      "https://api-staging.officehours.youcanjustdothings.io",
				"VITE_SUPABASE_URL":      "https://staging-ref.supabase.co",
				"VITE_SUPABASE_ANON_KEY": "anon-staging",
				"VITE_ENABLE_REALTIME":   "true",
				"VITE_ENABLE_ANALYTICS":  "false",
			},
			secrets: map[string]string{"SENTRY_AUTH_TOKEN": "sntrys-preview-one"},
		},
	}
}

func hclMap(indent string, m map[string]string) string {
	names := slices.Sorted(maps.Keys(m))
	var b strings.Builder
	b.WriteString("{\n")
	for _, k := range names {
		fmt.Fprintf(&b, "%s  %s = %q\n", indent, k, m[k])
	}
	return b.String() + indent + "}"
}

// hcl writes the environment; its secrets come from ephemeral variables
// named <environment>_<secret>, as a real configuration should take them
// (a literal would be in the plan's copy of the configuration).
func (e env) hcl(name string) string {
	out := "{\n    variables = " + hclMap("    ", e.vars) + "\n"
	if len(e.secrets) > 0 {
		refs := map[string]string{}
		for k := range e.secrets {
			refs[k] = "var." + name + "_" + k
		}
		out += "    secret_variables = {\n"
		for _, k := range slices.Sorted(maps.Keys(refs)) {
			out += fmt.Sprintf("      %s = %s\n", k, refs[k])
		}
		out += "    }\n"
	}
	if e.secretsVersion != 0 {
		out += fmt.Sprintf("    secret_variables_version = %d\n", e.secretsVersion)
	}
	return out + "  }"
}

// vars are the values of the secrets' ephemeral variables.
func (s site) vars() config.Variables {
	out := config.Variables{}
	for name, e := range map[string]env{"production": s.production, "preview": s.preview} {
		for k, v := range e.secrets {
			out[name+"_"+k] = config.StringVariable(v)
		}
	}
	return out
}

func (s site) variableBlocks() string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(s.vars())) {
		fmt.Fprintf(&b, "variable %q {\n  type      = string\n  ephemeral = true\n}\n", name)
	}
	return b.String()
}

func (s site) config(cf *acctest.Cloudflare) string {
	node := ""
	if s.node != "" {
		node = fmt.Sprintf("node_version      = %q", s.node)
	}
	return acctest.ProviderBlock(cf, "") + s.variableBlocks() + fmt.Sprintf(`
resource "officehours_pages_project" "web" {
  name              = "cf-office-hours"
  production_branch = "main"
  %s

  build = {
    command          = "npm run build --workspace=apps/web"
    output_directory = "apps/web/dist"
    root_directory   = "/"
  }

  source = {
    type                    = "github"
    owner                   = "youcanjustdothings"
    repository              = "cf-office-hours"
    preview_deployments     = "custom"
    preview_branch_includes = ["develop", "staging"]
  }

  production = %s
  preview    = %s
}
`, node, s.production.hcl("production"), s.preview.hcl("preview"))
}

// apiProject is the project as the local API returns it.
type apiProject struct {
	Name              string `json:"name"`
	Subdomain         string `json:"subdomain"`
	DeploymentConfigs map[string]struct {
		EnvVars map[string]struct{ Type, Value string } `json:"env_vars"`
	} `json:"deployment_configs"`
}

func getProject(t *testing.T, cf *acctest.Cloudflare) apiProject {
	t.Helper()
	var p apiProject
	cf.Decode(t, "GET", cf.AccountPath("/pages/projects/cf-office-hours"), nil, &p)
	return p
}

// changedPaths lists the leaf attributes of a planned change whose values
// differ, or become unknown, between before and after.
func changedPaths(before, after, afterUnknown any) []string {
	var out []string
	var walk func(path string, before, after, unknown any)
	walk = func(path string, before, after, unknown any) {
		if unknown == true {
			out = append(out, path+" (known after apply)")
			return
		}
		bm, bok := before.(map[string]any)
		am, aok := after.(map[string]any)
		if bok || aok {
			um, _ := unknown.(map[string]any)
			names := map[string]bool{}
			for k := range bm {
				names[k] = true
			}
			for k := range am {
				names[k] = true
			}
			for k := range um {
				names[k] = true
			}
			for k := range names {
				walk(strings.TrimPrefix(path+"."+k, "."), bm[k], am[k], um[k])
			}
			return
		}
		b, _ := json.Marshal(before)
		a, _ := json.Marshal(after)
		if string(a) != string(b) {
			out = append(out, path)
		}
	}
	walk("", before, after, afterUnknown)
	sort.Strings(out)
	return out
}

type onlyChanged struct{ want []string }

// expectOnlyChanged checks that the plan changes exactly these attributes
// of the project (dotted paths; "(known after apply)" marks unknowns).
func expectOnlyChanged(paths ...string) plancheck.PlanCheck {
	sort.Strings(paths)
	return onlyChanged{paths}
}

func (c onlyChanged) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address == addr {
			if got := changedPaths(rc.Change.Before, rc.Change.After, rc.Change.AfterUnknown); !slices.Equal(got, c.want) {
				resp.Error = fmt.Errorf("plan changes %q, want exactly %q", got, c.want)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("no change planned for %s", addr)
}
