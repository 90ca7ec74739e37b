package pagesproject

import (
	"context"
	"net/url"

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

type envelope struct {
	Result apiProject `json:"result"`
}

func projectsPath(cf *clients.Cloudflare) string {
	return "accounts/" + url.PathEscape(cf.AccountID) + "/pages/projects"
}

func projectPath(cf *clients.Cloudflare, name string) string {
	return projectsPath(cf) + "/" + url.PathEscape(name)
}

func getProject(ctx context.Context, cf *clients.Cloudflare, name string) (*apiProject, error) {
	var env envelope
	if err := cf.API.Get(ctx, projectPath(cf, name), nil, &env); err != nil {
		return nil, err
	}
	return &env.Result, nil
}

func createProject(ctx context.Context, cf *clients.Cloudflare, body map[string]any) (*apiProject, error) {
	var env envelope
	if err := cf.API.Post(ctx, projectsPath(cf), body, &env); err != nil {
		return nil, err
	}
	return &env.Result, nil
}

func patchProject(ctx context.Context, cf *clients.Cloudflare, name string, body map[string]any) (*apiProject, error) {
	var env envelope
	if err := cf.API.Patch(ctx, projectPath(cf, name), body, &env); err != nil {
		return nil, err
	}
	return &env.Result, nil
}

func deleteProject(ctx context.Context, cf *clients.Cloudflare, name string) error {
	return cf.API.Delete(ctx, projectPath(cf, name), nil, nil)
}
