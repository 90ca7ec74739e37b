package pages_test

import (
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
)

const officeHours = `{
  "name": "cf-office-hours",
  "production_branch": "main",
  "build_config": {"build_command": "npm run build --workspace=apps/web", "destination_dir": "apps/web/dist", "root_dir": "/"},
  "source": {"type": "github", "config": {"owner": "youcanjustdothings", "repo_name": "cf-office-hours"}},
  "deployment_configs": {
    "production": {"env_vars": {
      "VITE_ENABLE_ANALYTICS": {"type": "plain_text", "value": "true"},
      "VITE_SUPABASE_ANON_KEY": {"type": "secret_text", "value": "anon-prod"}
    }}
  }
}`

func TestProjectCreateFillsCloudflareDefaultsAndHidesSecrets(t *testing.T) {
	a := start(t, localapi.Config{})
	var p Project
	a.ok("POST", a.projects, officeHours, &p)

	if p.Subdomain != "cf-office-hours.pages.dev" || !reflect.DeepEqual(p.Domains, []string{"cf-office-hours.pages.dev"}) {
		t.Errorf("subdomain %q, domains %v", p.Subdomain, p.Domains)
	}
	if _, err := time.Parse(time.RFC3339, p.CreatedOn); err != nil {
		t.Errorf("created_on %q: %v", p.CreatedOn, err)
	}
	cfg := p.Source.Config
	for key, want := range map[string]any{
		"preview_branch_includes": []any{"*"}, "preview_branch_excludes": []any{},
		"preview_deployment_setting": "all", "pr_comments_enabled": true,
		"production_deployments_enabled": true, "production_branch": "main",
	} {
		if !reflect.DeepEqual(cfg[key], want) {
			t.Errorf("source.config.%s = %#v, want Cloudflare's default %#v", key, cfg[key], want)
		}
	}
	if p.BuildConfig["build_caching"] != false || p.BuildConfig["root_dir"] != "/" {
		t.Errorf("build_config %v", p.BuildConfig)
	}
	prod, preview := p.DeploymentConfigs["production"], p.DeploymentConfigs["preview"]
	if v := prod.EnvVars["VITE_SUPABASE_ANON_KEY"]; v.Type != "secret_text" || v.Value != "" {
		t.Errorf("secret read back as %+v, want its type and an empty value", v)
	}
	if v := prod.EnvVars["VITE_ENABLE_ANALYTICS"]; v.Value != "true" {
		t.Errorf("plain variable read back as %+v", v)
	}
	if preview.EnvVars != nil || preview.CompatibilityFlags == nil || len(preview.CompatibilityFlags) != 0 {
		t.Errorf("an empty environment reads env_vars %v, flags %#v; want null and []", preview.EnvVars, preview.CompatibilityFlags)
	}
	if today := time.Now().UTC().Format(time.DateOnly); preview.CompatibilityDate != today {
		t.Errorf("unset compatibility_date = %q, want the creation day %s", preview.CompatibilityDate, today)
	}
	if p.LatestDeployment != nil || p.CanonicalDeployment != nil {
		t.Errorf("a project without deployments has deployments")
	}

	var got Project
	a.ok("GET", a.projects+"/cf-office-hours", "", &got)
	if !reflect.DeepEqual(got, p) {
		t.Errorf("GET differs from the POST answer:\n%+v\n%+v", got, p)
	}
}

func TestProjectPatchMergesAndNullDeletes(t *testing.T) {
	a := start(t, localapi.Config{})
	a.ok("POST", a.projects, officeHours, nil)
	url := a.projects + "/cf-office-hours"

	// Null deletes one variable; the others, the build settings not named
	// and the preview environment stay as they were.
	var p Project
	a.ok("PATCH", url, `{
	  "build_config": {"build_caching": true},
	  "deployment_configs": {"production": {
	    "env_vars": {"VITE_ENABLE_ANALYTICS": null, "VITE_API_BASE_URL": {"type": "plain_text", "value": "https://api"}},
	    "compatibility_flags": ["nodejs_compat"]
	  }}
	}`, &p)
	vars := p.DeploymentConfigs["production"].EnvVars
	if _, ok := vars["VITE_ENABLE_ANALYTICS"]; ok {
		t.Errorf("VITE_ENABLE_ANALYTICS survived a null: %v", vars)
	}
	if vars["VITE_API_BASE_URL"].Value != "https://api" || vars["VITE_SUPABASE_ANON_KEY"].Type != "secret_text" {
		t.Errorf("variables after merge: %v", vars)
	}
	if p.BuildConfig["build_command"] != "npm run build --workspace=apps/web" || p.BuildConfig["build_caching"] != true {
		t.Errorf("build_config did not merge: %v", p.BuildConfig)
	}

	// Arrays replace, and a null restores Cloudflare's default.
	a.ok("PATCH", url, `{"source": {"config": {"preview_branch_includes": ["develop", "staging"]}},
	  "deployment_configs": {"production": {"compatibility_flags": []}}}`, &p)
	if got := p.Source.Config["preview_branch_includes"]; !reflect.DeepEqual(got, []any{"develop", "staging"}) {
		t.Errorf("includes = %v", got)
	}
	if f := p.DeploymentConfigs["production"].CompatibilityFlags; len(f) != 0 {
		t.Errorf("flags = %v, want []", f)
	}
	a.ok("PATCH", url, `{"source": {"config": {"preview_branch_includes": null}}}`, &p)
	if got := p.Source.Config["preview_branch_includes"]; !reflect.DeepEqual(got, []any{"*"}) {
		t.Errorf("includes after null = %v, want the default [*]", got)
	}

	// Deleting the last variable reads back as null, like a new project.
	a.ok("PATCH", url, `{"deployment_configs": {"production": {"env_vars": {"VITE_API_BASE_URL": null, "VITE_SUPABASE_ANON_KEY": null}}}}`, &p)
	if v := p.DeploymentConfigs["production"].EnvVars; v != nil {
		t.Errorf("env_vars = %v, want null", v)
	}
}

func TestProjectErrors(t *testing.T) {
	a := start(t, localapi.Config{})
	a.ok("POST", a.projects, officeHours, nil)
	var ns struct{ ID string }
	a.ok("POST", a.base+"/accounts/"+a.server.AccountID()+"/storage/kv/namespaces", `{"title":"sessions"}`, &ns)

	tests := []struct {
		name, method, path, body string
		status, code             int
		message                  string
	}{
		{"get missing", "GET", "/nope", "", 404, 8000007, "Project not found"},
		{"patch missing", "PATCH", "/nope", `{}`, 404, 8000007, "Project not found"},
		{"delete missing", "DELETE", "/nope", "", 404, 8000007, "Project not found"},
		{"domains of missing", "GET", "/nope/domains", "", 404, 8000007, "Project not found"},
		{"deployments of missing", "GET", "/nope/deployments", "", 404, 8000007, "Project not found"},
		{"duplicate", "POST", "", `{"name":"cf-office-hours","production_branch":"main"}`, 409, 8000002, "already exists"},
		{"no production branch", "POST", "", `{"name":"other"}`, 400, 8000000, "production_branch"},
		{"malformed", "POST", "", `{`, 400, 6007, "Malformed"},
		{"bad variable type", "PATCH", "/cf-office-hours", `{"deployment_configs":{"preview":{"env_vars":{"A":{"type":"json","value":"1"}}}}}`, 400, 8000000, "plain_text or secret_text"},
		{"variable not an object", "PATCH", "/cf-office-hours", `{"deployment_configs":{"preview":{"env_vars":{"A":"1"}}}}`, 400, 8000000, "Invalid project configuration"},
		{"future date", "PATCH", "/cf-office-hours", `{"deployment_configs":{"preview":{"compatibility_date":"2999-01-01"}}}`, 400, 8000000, "in the future"},
		{"not a date", "PATCH", "/cf-office-hours", `{"deployment_configs":{"preview":{"compatibility_date":"tomorrow"}}}`, 400, 8000000, "not a date"},
		{"missing KV namespace", "PATCH", "/cf-office-hours", `{"deployment_configs":{"preview":{"kv_namespaces":{"SESSIONS":{"namespace_id":"ffffffffffffffffffffffffffffffff"}}}}}`, 400, 8000000, "does not exist"},
		{"bad source type", "PATCH", "/cf-office-hours", `{"source":{"type":"svn","config":{"owner":"o","repo_name":"r"}}}`, 400, 8000000, "github or gitlab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := a.fails(tt.method, a.projects+tt.path, tt.body, tt.status, tt.code)
			if !strings.Contains(e.Message, tt.message) {
				t.Errorf("message %q does not say %q", e.Message, tt.message)
			}
		})
	}
	// A refused PATCH changes nothing, and a valid binding is accepted.
	var p Project
	a.ok("PATCH", a.projects+"/cf-office-hours", `{"deployment_configs":{"preview":{"kv_namespaces":{"SESSIONS":{"namespace_id":"`+ns.ID+`"}}}}}`, &p)
	if p.DeploymentConfigs["preview"].CompatibilityDate == "2999-01-01" || p.DeploymentConfigs["preview"].KVNamespaces["SESSIONS"].NamespaceID != ns.ID {
		t.Errorf("preview after refused and accepted patches: %+v", p.DeploymentConfigs["preview"])
	}
}

func TestProjectNames(t *testing.T) {
	a := start(t, localapi.Config{})
	for _, tt := range []struct {
		name string
		ok   bool
	}{
		{"cf-office-hours", true}, {"a", true}, {"web2", true}, {strings.Repeat("a", 58), true},
		{strings.Repeat("a", 59), false}, {"", false}, {"CF-Office-Hours", false}, {"cf_office_hours", false},
		{"-web", false}, {"web-", false}, {"web.app", false}, {"wéb", false},
	} {
		body := fmt.Sprintf(`{"name":%q,"production_branch":"main"}`, tt.name)
		if tt.ok {
			a.ok("POST", a.projects, body, nil)
		} else if e := a.fails("POST", a.projects, body, 400, 8000000); !strings.Contains(e.Message, "lowercase letters") {
			t.Errorf("%q: message %q does not give the rule", tt.name, e.Message)
		}
	}
}

func TestSubdomainTakenGetsSuffixAndListPages(t *testing.T) {
	a := start(t, localapi.Config{})
	a.ok("PUT", a.base[:len(a.base)-len("/client/v4")]+"/__local/pages/settings",
		`{"domain_reads_to_active":2,"taken_subdomains":["docs.pages.dev"]}`, nil)
	var p Project
	a.ok("POST", a.projects, `{"name":"docs","production_branch":"main"}`, &p)
	if !regexp.MustCompile(`^docs-[a-z]{3}\.pages\.dev$`).MatchString(p.Subdomain) {
		t.Errorf("subdomain %q, want docs-xyz.pages.dev", p.Subdomain)
	}
	// Recreating a deleted project does not get its old global name back.
	a.ok("DELETE", a.projects+"/docs", "", nil)
	var again Project
	a.ok("POST", a.projects, `{"name":"docs","production_branch":"main"}`, &again)
	if again.Subdomain == p.Subdomain {
		t.Errorf("recreated project got the same subdomain %q", again.Subdomain)
	}

	// wrangler pages project list asks for pages of 10 until one is short.
	for i := range 11 {
		a.ok("POST", a.projects, fmt.Sprintf(`{"name":"p%d","production_branch":"main"}`, i), nil)
	}
	for page, want := range map[int]int{1: 10, 2: 2, 3: 0} {
		var list []Project
		_, env := a.do("GET", fmt.Sprintf("%s?per_page=10&page=%d", a.projects, page), "", &list)
		if len(list) != want || env.ResultInfo.TotalCount != 12 {
			t.Errorf("page %d: %d projects (want %d), info %+v", page, len(list), want, env.ResultInfo)
		}
	}
}

func TestProjectsSurviveRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	a := start(t, localapi.Config{StatePath: path})
	var before Project
	a.ok("POST", a.projects, officeHours, &before)
	a.server.Close()

	b := start(t, localapi.Config{StatePath: path})
	var after Project
	b.ok("GET", b.projects+"/cf-office-hours", "", &after)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("after restart:\n%+v\nbefore:\n%+v", after, before)
	}
	// The secret's value was kept (only hidden): a deployment still has it typed.
	if after.DeploymentConfigs["production"].EnvVars["VITE_SUPABASE_ANON_KEY"].Type != "secret_text" {
		t.Errorf("secret lost across restart")
	}
}
