package pages

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/kv"
)

// Spec is the part of a project that clients write with POST and PATCH.
// It is kept with Cloudflare's defaults filled in, so that GET answers
// exactly what the real API answers for a project created without them.
type Spec struct {
	ProductionBranch  string            `json:"production_branch"`
	BuildConfig       BuildConfig       `json:"build_config"`
	Source            *Source           `json:"source,omitempty"`
	DeploymentConfigs DeploymentConfigs `json:"deployment_configs"`
}

// BuildConfig is always present in Cloudflare's answers, empty when unset.
type BuildConfig struct {
	BuildCaching      bool    `json:"build_caching"`
	BuildCommand      string  `json:"build_command"`
	DestinationDir    string  `json:"destination_dir"`
	RootDir           string  `json:"root_dir"`
	WebAnalyticsTag   *string `json:"web_analytics_tag"`
	WebAnalyticsToken *string `json:"web_analytics_token"`
}

// Source is the Git repository a project builds from.
type Source struct {
	Type   string       `json:"type"`
	Config SourceConfig `json:"config"`
}

// SourceConfig holds the Git settings. The lists default to what Cloudflare
// fills in (["*"] includes, [] excludes), the cause of TPC#2738's drift.
type SourceConfig struct {
	Owner                        string   `json:"owner"`
	RepoName                     string   `json:"repo_name"`
	ProductionBranch             string   `json:"production_branch"`
	PRCommentsEnabled            *bool    `json:"pr_comments_enabled"`
	DeploymentsEnabled           *bool    `json:"deployments_enabled"`
	ProductionDeploymentsEnabled *bool    `json:"production_deployments_enabled"`
	PreviewDeploymentSetting     string   `json:"preview_deployment_setting"`
	PreviewBranchIncludes        []string `json:"preview_branch_includes"`
	PreviewBranchExcludes        []string `json:"preview_branch_excludes"`
	PathIncludes                 []string `json:"path_includes"`
	PathExcludes                 []string `json:"path_excludes"`
}

// DeploymentConfigs holds the two environments; both always exist.
type DeploymentConfigs struct {
	Preview    DeploymentConfig `json:"preview"`
	Production DeploymentConfig `json:"production"`
}

// EnvVar is one variable; secret_text values are stored but read back as "".
type EnvVar struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// NamespaceRef binds a KV or Durable Object namespace.
type NamespaceRef struct {
	NamespaceID string `json:"namespace_id"`
}

// DeploymentConfig is one environment's runtime settings.
type DeploymentConfig struct {
	EnvVars                          map[string]EnvVar       `json:"env_vars"`
	CompatibilityDate                string                  `json:"compatibility_date"`
	CompatibilityFlags               []string                `json:"compatibility_flags"`
	KVNamespaces                     map[string]NamespaceRef `json:"kv_namespaces,omitempty"`
	DurableObjectNamespaces          map[string]NamespaceRef `json:"durable_object_namespaces,omitempty"`
	FailOpen                         *bool                   `json:"fail_open"`
	AlwaysUseLatestCompatibilityDate bool                    `json:"always_use_latest_compatibility_date"`
	BuildImageMajorVersion           int                     `json:"build_image_major_version"`
	UsageModel                       string                  `json:"usage_model"`
}

// mergePatch applies patch to doc with JSON merge patch semantics
// (RFC 7386), which is what Cloudflare's PATCH does: objects merge key by
// key, null deletes a key, anything else (arrays included) replaces.
func mergePatch(doc, patch map[string]any) {
	for k, v := range patch {
		switch pv := v.(type) {
		case nil:
			delete(doc, k)
		case map[string]any:
			dv, ok := doc[k].(map[string]any)
			if !ok {
				dv = map[string]any{}
				doc[k] = dv
			}
			mergePatch(dv, pv)
		default:
			doc[k] = v
		}
	}
}

// applyPatch returns spec with patch merged in, defaults filled and the
// result validated. A body that does not fit the project's shape is a
// validation error, as Cloudflare answers.
func applyPatch(spec Spec, patch map[string]any) (Spec, *core.Error) {
	data, _ := json.Marshal(spec)
	doc := map[string]any{}
	_ = json.Unmarshal(data, &doc)
	mergePatch(doc, patch)
	data, _ = json.Marshal(doc)
	var out Spec
	if err := json.Unmarshal(data, &out); err != nil {
		return Spec{}, core.Errorf(http.StatusBadRequest, codeBadRequest, "Invalid project configuration: %v", err)
	}
	return out, nil
}

// fillDefaults sets what Cloudflare sets when a client leaves it out.
// created is the project's creation time: an unset compatibility date
// becomes that day, as on Cloudflare.
func fillDefaults(s *Spec, created time.Time) {
	if s.Source != nil {
		c := &s.Source.Config
		if c.ProductionBranch == "" {
			c.ProductionBranch = s.ProductionBranch
		}
		for _, b := range []**bool{&c.PRCommentsEnabled, &c.DeploymentsEnabled, &c.ProductionDeploymentsEnabled} {
			if *b == nil {
				t := true
				*b = &t
			}
		}
		if c.PreviewDeploymentSetting == "" {
			c.PreviewDeploymentSetting = "all"
		}
		if c.PreviewBranchIncludes == nil {
			c.PreviewBranchIncludes = []string{"*"}
		}
		if c.PreviewBranchExcludes == nil {
			c.PreviewBranchExcludes = []string{}
		}
		if c.PathIncludes == nil {
			c.PathIncludes = []string{"*"}
		}
		if c.PathExcludes == nil {
			c.PathExcludes = []string{}
		}
	}
	for _, d := range []*DeploymentConfig{&s.DeploymentConfigs.Preview, &s.DeploymentConfigs.Production} {
		if d.CompatibilityDate == "" {
			d.CompatibilityDate = created.UTC().Format(time.DateOnly)
		}
		if d.CompatibilityFlags == nil {
			d.CompatibilityFlags = []string{}
		}
		if d.FailOpen == nil {
			t := true
			d.FailOpen = &t
		}
		if d.BuildImageMajorVersion == 0 {
			d.BuildImageMajorVersion = 3
		}
		if d.UsageModel == "" {
			d.UsageModel = "standard"
		}
		if len(d.EnvVars) == 0 {
			d.EnvVars = nil // Cloudflare answers null, not {}, for no variables
		}
	}
}

var envVarName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// validateSpec checks what Cloudflare refuses. kvState (nil when the KV area
// is not served) makes a binding to a namespace that does not exist fail.
// Call it inside Store.Read or Store.Write.
func validateSpec(s Spec, kvState *kv.State, now time.Time) *core.Error {
	if s.ProductionBranch == "" {
		return core.Errorf(http.StatusBadRequest, codeBadRequest, "production_branch is required")
	}
	if s.Source != nil {
		if !slices.Contains([]string{"github", "gitlab"}, s.Source.Type) {
			return core.Errorf(http.StatusBadRequest, codeBadRequest, "source.type must be github or gitlab, got %q", s.Source.Type)
		}
		if s.Source.Config.Owner == "" || s.Source.Config.RepoName == "" {
			return core.Errorf(http.StatusBadRequest, codeBadRequest, "source.config.owner and source.config.repo_name are required")
		}
		if !slices.Contains([]string{"all", "none", "custom"}, s.Source.Config.PreviewDeploymentSetting) {
			return core.Errorf(http.StatusBadRequest, codeBadRequest, "preview_deployment_setting must be all, none or custom")
		}
	}
	for env, d := range map[string]DeploymentConfig{"preview": s.DeploymentConfigs.Preview, "production": s.DeploymentConfigs.Production} {
		for name, v := range d.EnvVars {
			if !envVarName.MatchString(name) {
				return core.Errorf(http.StatusBadRequest, codeBadRequest, "deployment_configs.%s.env_vars: invalid variable name %q", env, name)
			}
			if v.Type != "plain_text" && v.Type != "secret_text" {
				return core.Errorf(http.StatusBadRequest, codeBadRequest, "deployment_configs.%s.env_vars.%s: type must be plain_text or secret_text, got %q", env, name, v.Type)
			}
		}
		date, err := time.Parse(time.DateOnly, d.CompatibilityDate)
		if err != nil {
			return core.Errorf(http.StatusBadRequest, codeBadRequest, "deployment_configs.%s.compatibility_date %q is not a date (YYYY-MM-DD)", env, d.CompatibilityDate)
		}
		if date.After(now.UTC()) {
			return core.Errorf(http.StatusBadRequest, codeBadRequest, "deployment_configs.%s.compatibility_date %s is in the future", env, d.CompatibilityDate)
		}
		for name, ref := range d.KVNamespaces {
			if kvState != nil {
				if _, ok := kvState.Find(ref.NamespaceID); !ok {
					return core.Errorf(http.StatusBadRequest, codeBadRequest, "deployment_configs.%s.kv_namespaces.%s: KV namespace %q does not exist", env, name, ref.NamespaceID)
				}
			}
		}
		for name, ref := range d.DurableObjectNamespaces {
			if ref.NamespaceID == "" {
				return core.Errorf(http.StatusBadRequest, codeBadRequest, "deployment_configs.%s.durable_object_namespaces.%s: namespace_id is required", env, name)
			}
		}
	}
	return nil
}

// masked returns a copy of d whose secret values read back as "", as
// Cloudflare never returns them.
func masked(d DeploymentConfig) DeploymentConfig {
	if d.EnvVars == nil {
		return d
	}
	vars := make(map[string]EnvVar, len(d.EnvVars))
	for k, v := range d.EnvVars {
		if v.Type == "secret_text" {
			v.Value = ""
		}
		vars[k] = v
	}
	d.EnvVars = vars
	return d
}
