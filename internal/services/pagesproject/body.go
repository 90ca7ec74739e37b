package pagesproject

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/envdiff"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/writeonly"
)

// environments pairs the two deployment configurations of a model with
// their API names, so that every step treats both alike.
func environments(m *projectModel) map[string]**envModel {
	return map[string]**envModel{"production": &m.Production, "preview": &m.Preview}
}

// secretWrite is one secret value to send. Bump marks a write the plan
// announced (its revision was unknown); the others are adopted secrets
// (imported, never fingerprinted) written along with another change so
// that their changes are detected from then on.
type secretWrite struct {
	Value string
	Bump  bool
}

// secretWrites is what a write sends, per environment and secret name.
type secretWrites map[string]map[string]secretWrite

// toWrite collects the secret values to send, read from the configuration
// since write-only values are only there: those whose revision the plan
// left unknown, and those with no fingerprint yet.
func toWrite(ctx context.Context, plan, config *projectModel, record *writeonly.Record, diags *diag.Diagnostics) secretWrites {
	out := secretWrites{}
	configEnvs := environments(config)
	for env, planEnv := range environments(plan) {
		out[env] = map[string]secretWrite{}
		if *planEnv == nil || *configEnvs[env] == nil {
			continue
		}
		values := goMap(ctx, (*configEnvs[env]).SecretVariables, diags)
		revs := (*planEnv).SecretRevisions
		for name, value := range values {
			rev, ok := revs.Elements()[name]
			bump := revs.IsUnknown() || !ok || rev.IsUnknown()
			if bump || !record.Known(secretKey(env, name)) {
				out[env][name] = secretWrite{Value: value, Bump: bump}
			}
		}
	}
	return out
}

// wantEnv is the environment the plan asks for, with NODE_VERSION added.
func wantEnv(ctx context.Context, e *envModel, node types.String, secretNames []string, writes map[string]secretWrite, diags *diag.Diagnostics) envdiff.Environment {
	want := envdiff.Environment{Plain: map[string]string{}, Secrets: map[string]*string{}}
	if e != nil {
		want.Plain = goMap(ctx, e.Variables, diags)
		want.KV = goMap(ctx, e.KVNamespaces, diags)
		want.DurableObjects = goMap(ctx, e.DurableObjectNamespaces, diags)
		for _, name := range secretNames {
			want.Secrets[name] = nil
			if w, ok := writes[name]; ok {
				want.Secrets[name] = &w.Value
			}
		}
	}
	if !node.IsNull() && !node.IsUnknown() {
		want.Plain[envdiff.NodeVersionVar] = node.ValueString()
	}
	return want
}

// priorEnv is what the API holds as the state last read it.
func priorEnv(ctx context.Context, e *envModel, node types.String, diags *diag.Diagnostics) envdiff.Environment {
	prior := wantEnv(ctx, e, node, nil, nil, diags)
	if e != nil {
		for name := range e.SecretRevisions.Elements() {
			prior.Secrets[name] = nil
		}
	}
	return prior
}

// projectBody builds the POST (state nil) or PATCH body that turns state
// into plan. Unchanged parts are left out; removed keys are sent as null.
func projectBody(ctx context.Context, plan, config, state *projectModel, writes secretWrites) (map[string]any, diag.Diagnostics) {
	var diags diag.Diagnostics
	if state == nil {
		state = &projectModel{}
	}
	body := map[string]any{"production_branch": plan.ProductionBranch.ValueString()}

	switch b := plan.Build; {
	case b != nil:
		body["build_config"] = map[string]any{
			"build_command": b.Command.ValueString(), "destination_dir": b.OutputDirectory.ValueString(),
			"root_dir": b.RootDirectory.ValueString(), "build_caching": b.Caching.ValueBool(),
		}
	case state.Build != nil: // the block was removed: back to Cloudflare's empty settings
		body["build_config"] = map[string]any{"build_command": "", "destination_dir": "", "root_dir": "", "build_caching": envdiff.DefaultBuildCaching}
	}

	switch s := plan.Source; {
	case s != nil:
		body["source"] = map[string]any{"type": s.Type.ValueString(), "config": map[string]any{
			"owner": s.Owner.ValueString(), "repo_name": s.Repository.ValueString(),
			"production_branch":              plan.ProductionBranch.ValueString(),
			"production_deployments_enabled": s.ProductionDeploymentsEnabled.ValueBool(),
			"deployments_enabled":            true,
			"preview_deployment_setting":     s.PreviewDeployments.ValueString(),
			"preview_branch_includes":        goStrings(ctx, s.PreviewBranchIncludes, &diags),
			"preview_branch_excludes":        goStrings(ctx, s.PreviewBranchExcludes, &diags),
			"pr_comments_enabled":            s.PRCommentsEnabled.ValueBool(),
		}}
	case state.Source != nil:
		body["source"] = nil
	}

	configs := map[string]any{}
	configEnvs, stateEnvs := environments(config), environments(state)
	for env, planEnv := range environments(plan) {
		var secretNames []string
		if c := *configEnvs[env]; c != nil {
			secretNames = slices.Sorted(maps.Keys(goMap(ctx, c.SecretVariables, &diags)))
		}
		stateEnv := *stateEnvs[env]
		patch, err := envdiff.Patch(
			priorEnv(ctx, stateEnv, state.NodeVersion, &diags),
			wantEnv(ctx, *planEnv, plan.NodeVersion, secretNames, writes[env], &diags))
		if err != nil {
			diags.AddError("Cannot build the Pages project update", fmt.Sprintf("%s environment: %s. This is a bug in the provider; please report it.", env, err))
			continue
		}
		if p := *planEnv; p != nil {
			if d := p.CompatibilityDate; !d.IsUnknown() && !d.IsNull() && (stateEnv == nil || !stateEnv.CompatibilityDate.Equal(d)) {
				patch["compatibility_date"] = d.ValueString()
			}
		}
		var planFlags, stateFlags []string
		if *planEnv != nil {
			planFlags = goStrings(ctx, (*planEnv).CompatibilityFlags, &diags)
		}
		if stateEnv != nil {
			stateFlags = goStrings(ctx, stateEnv.CompatibilityFlags, &diags)
		}
		slices.Sort(planFlags)
		slices.Sort(stateFlags)
		if !slices.Equal(planFlags, stateFlags) {
			patch["compatibility_flags"] = orEmpty(planFlags)
		}
		if len(patch) > 0 {
			configs[env] = patch
		}
	}
	if len(configs) > 0 {
		body["deployment_configs"] = configs
	}
	return body, diags
}
