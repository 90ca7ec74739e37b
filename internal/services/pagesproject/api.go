package pagesproject

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/envdiff"
)

// The project is read and written through the SDK's raw request methods
// (same transport, rate limit and retries as every other call) with these
// types rather than the SDK's generated ones: a PATCH must carry explicit
// nulls for removed variables and bindings, which the generated parameter
// types cannot express, and only these fields are read back.

type apiProject struct {
	ID                string     `json:"id"`
	Name              string     `json:"name"`
	Subdomain         string     `json:"subdomain"`
	ProductionBranch  string     `json:"production_branch"`
	CreatedOn         string     `json:"created_on"`
	BuildConfig       apiBuild   `json:"build_config"`
	Source            *apiSource `json:"source"`
	DeploymentConfigs struct {
		Preview    apiEnv `json:"preview"`
		Production apiEnv `json:"production"`
	} `json:"deployment_configs"`
}

type apiBuild struct {
	BuildCaching   bool   `json:"build_caching"`
	BuildCommand   string `json:"build_command"`
	DestinationDir string `json:"destination_dir"`
	RootDir        string `json:"root_dir"`
}

type apiSource struct {
	Type   string `json:"type"`
	Config struct {
		Owner                        string   `json:"owner"`
		RepoName                     string   `json:"repo_name"`
		ProductionDeploymentsEnabled bool     `json:"production_deployments_enabled"`
		PreviewDeploymentSetting     string   `json:"preview_deployment_setting"`
		PreviewBranchIncludes        []string `json:"preview_branch_includes"`
		PreviewBranchExcludes        []string `json:"preview_branch_excludes"`
		PRCommentsEnabled            bool     `json:"pr_comments_enabled"`
	} `json:"config"`
}

type apiNamespace struct {
	NamespaceID string `json:"namespace_id"`
}

type apiEnv struct {
	EnvVars                 map[string]envdiff.APIVar `json:"env_vars"`
	CompatibilityDate       string                    `json:"compatibility_date"`
	CompatibilityFlags      []string                  `json:"compatibility_flags"`
	KVNamespaces            map[string]apiNamespace   `json:"kv_namespaces"`
	DurableObjectNamespaces map[string]apiNamespace   `json:"durable_object_namespaces"`
}

func namespaceIDs(m map[string]apiNamespace) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v.NamespaceID
	}
	return out
}

func projectsPath(cf *clients.Cloudflare, name ...string) string {
	return cf.Account(append([]string{"pages", "projects"}, name...)...)
}

// readProject is a refresh's read of the project: one request serves every
// resource of the operation that reads it (the project, its deployments).
func readProject(ctx context.Context, cf *clients.Cloudflare, name string) (*apiProject, error) {
	var p apiProject
	raw, err := clients.SharedGet[json.RawMessage](ctx, cf, projectsPath(cf, name), nil)
	if err == nil {
		err = json.Unmarshal(raw, &p)
	}
	return &p, err
}

func getProject(ctx context.Context, cf *clients.Cloudflare, name string) (*apiProject, error) {
	p, err := clients.Get[apiProject](ctx, cf, projectsPath(cf, name), nil)
	return &p, err
}

func createProject(ctx context.Context, cf *clients.Cloudflare, body map[string]any) (*apiProject, error) {
	var p apiProject
	err := cf.Do(ctx, clients.Call{Method: http.MethodPost, Path: projectsPath(cf), JSON: body}, &p)
	return &p, err
}

func patchProject(ctx context.Context, cf *clients.Cloudflare, name string, body map[string]any) (*apiProject, error) {
	var p apiProject
	err := cf.Write(ctx, clients.Call{Method: http.MethodPatch, Path: projectsPath(cf, name), JSON: body}, &p)
	return &p, err
}

// codeHasDomains: "Must delete custom domains before deleting project"
// (cloudflare-docs#2271, reported again in zizifn/edgetunnel#330).
const codeHasDomains = 8000028

// deleteProject deletes a project. Cloudflare refuses while custom domains
// are attached; the domains Terraform manages are destroyed before the
// project (they depend on it), so the ones left were added outside
// Terraform or left by an apply whose wait failed. A domain cannot outlive
// its project, so they are removed first; their names are returned.
func deleteProject(ctx context.Context, cf *clients.Cloudflare, name string) ([]string, error) {
	err := cf.Delete(ctx, projectsPath(cf, name))
	if !clients.HasCode(err, codeHasDomains) {
		return nil, err
	}
	domains, err := clients.List[struct {
		Name string `json:"name"`
	}](ctx, cf, projectsPath(cf, name, "domains"), nil, 0)
	if err != nil {
		return nil, fmt.Errorf("listing the custom domains that keep the project from being deleted: %w", err)
	}
	var removed []string
	for _, d := range domains {
		if err := cf.Delete(ctx, projectsPath(cf, name, "domains", d.Name)); err != nil {
			return removed, fmt.Errorf("removing custom domain %s first: %w", d.Name, err)
		}
		removed = append(removed, d.Name)
	}
	return removed, cf.Delete(ctx, projectsPath(cf, name))
}
