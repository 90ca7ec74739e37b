package pagesproject

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/envdiff"
)

type projectModel struct {
	ID               types.String `tfsdk:"id"`
	Name             types.String `tfsdk:"name"`
	ProductionBranch types.String `tfsdk:"production_branch"`
	NodeVersion      types.String `tfsdk:"node_version"`
	Build            *buildModel  `tfsdk:"build"`
	Source           *sourceModel `tfsdk:"source"`
	Production       *envModel    `tfsdk:"production"`
	Preview          *envModel    `tfsdk:"preview"`
	Subdomain        types.String `tfsdk:"subdomain"`
	CreatedOn        types.String `tfsdk:"created_on"`
}

type buildModel struct {
	Command         types.String `tfsdk:"command"`
	OutputDirectory types.String `tfsdk:"output_directory"`
	RootDirectory   types.String `tfsdk:"root_directory"`
	Caching         types.Bool   `tfsdk:"caching"`
}

type sourceModel struct {
	Type                         types.String `tfsdk:"type"`
	Owner                        types.String `tfsdk:"owner"`
	Repository                   types.String `tfsdk:"repository"`
	ProductionDeploymentsEnabled types.Bool   `tfsdk:"production_deployments_enabled"`
	PreviewDeployments           types.String `tfsdk:"preview_deployments"`
	PreviewBranchIncludes        types.List   `tfsdk:"preview_branch_includes"`
	PreviewBranchExcludes        types.List   `tfsdk:"preview_branch_excludes"`
	PRCommentsEnabled            types.Bool   `tfsdk:"pr_comments_enabled"`
}

type envModel struct {
	Variables               types.Map    `tfsdk:"variables"`
	SecretVariables         types.Map    `tfsdk:"secret_variables"`
	SecretRevisions         types.Map    `tfsdk:"secret_revisions"`
	SecretVariablesVersion  types.Int64  `tfsdk:"secret_variables_version"`
	CompatibilityDate       types.String `tfsdk:"compatibility_date"`
	CompatibilityFlags      types.Set    `tfsdk:"compatibility_flags"`
	KVNamespaces            types.Map    `tfsdk:"kv_namespaces"`
	DurableObjectNamespaces types.Map    `tfsdk:"durable_object_namespaces"`
}

// fromAPI sets m from what the API returned. prior is the model the values
// are compared against (the state for a refresh, the plan after a write, an
// empty model on import): it decides between null and empty, and whether an
// optional block the API always returns is reported at all.
func (m *projectModel) fromAPI(p *apiProject, prior *projectModel) {
	m.ID = types.StringValue(p.ID)
	m.Name = types.StringValue(p.Name)
	m.ProductionBranch = types.StringValue(p.ProductionBranch)
	m.Subdomain = types.StringValue(p.Subdomain)
	m.CreatedOn = types.StringValue(p.CreatedOn)

	_, _, prodNode := envdiff.Split(p.DeploymentConfigs.Production.EnvVars)
	_, _, previewNode := envdiff.Split(p.DeploymentConfigs.Preview.EnvVars)
	m.NodeVersion = nullIfEmpty(envdiff.NodeVersion(prodNode, previewNode, prior.NodeVersion.ValueString()))

	// The API always returns the build settings and both environments. A
	// block is reported when the configuration had it, or when the API holds
	// something the user would have had to configure; otherwise it stays
	// null, so that leaving it out never plans a change (TPC#5928).
	b := p.BuildConfig
	meaningful := b.BuildCommand != "" || b.DestinationDir != "" || b.RootDir != "" || b.BuildCaching != envdiff.DefaultBuildCaching
	m.Build = nil
	if prior.Build != nil || meaningful {
		m.Build = &buildModel{
			Command: nullIfEmpty(b.BuildCommand), OutputDirectory: nullIfEmpty(b.DestinationDir),
			RootDirectory: nullIfEmpty(b.RootDir), Caching: types.BoolValue(b.BuildCaching),
		}
	}

	m.Source = nil
	if s := p.Source; s != nil {
		m.Source = &sourceModel{
			Type: types.StringValue(s.Type), Owner: types.StringValue(s.Config.Owner), Repository: types.StringValue(s.Config.RepoName),
			ProductionDeploymentsEnabled: types.BoolValue(s.Config.ProductionDeploymentsEnabled),
			PreviewDeployments:           types.StringValue(s.Config.PreviewDeploymentSetting),
			PreviewBranchIncludes:        stringList(orEmpty(s.Config.PreviewBranchIncludes)...),
			PreviewBranchExcludes:        stringList(orEmpty(s.Config.PreviewBranchExcludes)...),
			PRCommentsEnabled:            types.BoolValue(s.Config.PRCommentsEnabled),
		}
	}
	m.Production = envFromAPI(p.DeploymentConfigs.Production, prior.Production)
	m.Preview = envFromAPI(p.DeploymentConfigs.Preview, prior.Preview)
}

func envFromAPI(e apiEnv, prior *envModel) *envModel {
	plain, secrets, _ := envdiff.Split(e.EnvVars)
	kv, do := namespaceIDs(e.KVNamespaces), namespaceIDs(e.DurableObjectNamespaces)
	meaningful := len(plain)+len(secrets)+len(kv)+len(do)+len(e.CompatibilityFlags) > 0
	if prior == nil && !meaningful { // see fromAPI
		return nil
	}
	if prior == nil {
		prior = &envModel{}
	}
	out := &envModel{
		Variables:               stringMap(plain, prior.Variables.IsNull()),
		SecretVariables:         types.MapNull(types.StringType), // write-only: never in state
		CompatibilityDate:       types.StringValue(e.CompatibilityDate),
		KVNamespaces:            stringMap(kv, prior.KVNamespaces.IsNull()),
		DurableObjectNamespaces: stringMap(do, prior.DurableObjectNamespaces.IsNull()),
		SecretRevisions:         types.MapNull(types.Int64Type),
		SecretVariablesVersion:  prior.SecretVariablesVersion, // configuration only: Cloudflare has no such thing
	}
	if flags, null := envdiff.ListOrNull(e.CompatibilityFlags, prior.CompatibilityFlags.IsNull()); null {
		out.CompatibilityFlags = types.SetNull(types.StringType)
	} else {
		out.CompatibilityFlags = types.SetValueMust(types.StringType, stringValues(flags))
	}
	// Revisions are the provider's own count: keep the prior one for each
	// secret still there; a secret it has never written counts 0.
	if len(secrets) > 0 {
		known := revisions(prior.SecretRevisions)
		elems := map[string]attr.Value{}
		for _, name := range secrets {
			elems[name] = types.Int64Value(known[name])
		}
		out.SecretRevisions = types.MapValueMust(types.Int64Type, elems)
	}
	return out
}

// revisions reads a known secret_revisions map (unknown entries read 0).
func revisions(m types.Map) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m.Elements() {
		if n, ok := v.(types.Int64); ok && !n.IsUnknown() {
			out[k] = n.ValueInt64()
		}
	}
	return out
}

func nullIfEmpty(s string) types.String {
	if v, null := envdiff.NullIfEmpty(s); !null {
		return types.StringValue(v)
	}
	return types.StringNull()
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func stringValues(s []string) []attr.Value {
	out := make([]attr.Value, len(s))
	for i, v := range s {
		out[i] = types.StringValue(v)
	}
	return out
}

func stringMap(m map[string]string, priorNull bool) types.Map {
	m, null := envdiff.MapOrNull(m, priorNull)
	if null {
		return types.MapNull(types.StringType)
	}
	elems := make(map[string]attr.Value, len(m))
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}

// goMap reads a known map of strings; null and unknown read empty.
func goMap(ctx context.Context, m types.Map, diags *diag.Diagnostics) map[string]string {
	out := map[string]string{}
	if m.IsNull() || m.IsUnknown() {
		return out
	}
	diags.Append(m.ElementsAs(ctx, &out, false)...)
	return out
}

func goStrings(ctx context.Context, v interface {
	IsNull() bool
	IsUnknown() bool
	ElementsAs(context.Context, any, bool) diag.Diagnostics
}, diags *diag.Diagnostics) []string {
	out := []string{}
	if v.IsNull() || v.IsUnknown() {
		return out
	}
	diags.Append(v.ElementsAs(ctx, &out, false)...)
	return out
}
