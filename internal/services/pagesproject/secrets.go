package pagesproject

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/writeonly"
)

// fingerprintsKey is the private-state key of the secrets' fingerprints
// (writeonly), one per secret, named by secretKey.
const fingerprintsKey = "secret_fingerprints"

// secretKey names a secret of one environment in the fingerprint record.
func secretKey(env, name string) string { return env + "/" + name }

// ModifyPlan decides, for each configured secret, whether it must be
// written: when it is new to the state (first write, or deleted outside
// Terraform), when its value is not known yet, or when its value no longer
// matches the fingerprint recorded when it was last written. Such a secret's
// revision is planned unknown, which is the change the plan shows. A secret
// with no fingerprint (adopted by import) is left as it is: its value
// cannot be read back to compare, and writing it would make every imported
// project plan a change. A changed secret_variables_version rewrites all of
// the block's secrets.
func (r *projectResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	// A block unknown as a whole (built from values known only after apply)
	// leaves its secrets unknown: there is nothing to decide yet.
	if !blocksKnown(ctx, req.Plan.Raw) || !blocksKnown(ctx, req.Config.Raw) {
		return
	}
	var plan, config projectModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	var state *projectModel
	if !req.State.Raw.IsNull() {
		state = &projectModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	record, diags := writeonly.Load(ctx, req.Private, fingerprintsKey)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	configEnvs := environments(&config)
	var adopted []string // secrets with no fingerprint kept as they are
	var stateEnvs map[string]**envModel
	if state != nil {
		stateEnvs = environments(state)
	}
	for env, planEnv := range environments(&plan) {
		p, c := *planEnv, *configEnvs[env]
		if p == nil || c == nil {
			continue
		}
		if c.SecretVariables.IsUnknown() {
			p.SecretRevisions = types.MapUnknown(types.Int64Type)
			continue
		}
		if c.SecretVariables.IsNull() || len(c.SecretVariables.Elements()) == 0 {
			p.SecretRevisions = types.MapNull(types.Int64Type)
			continue
		}
		var stateRevs map[string]attr.Value
		rewriteAll := false
		if stateEnvs != nil && *stateEnvs[env] != nil {
			stateRevs = (*stateEnvs[env]).SecretRevisions.Elements()
			rewriteAll = !p.SecretVariablesVersion.Equal((*stateEnvs[env]).SecretVariablesVersion)
		}
		elems, kept := plannedRevisions(env, c.SecretVariables.Elements(), stateRevs, rewriteAll, record)
		adopted = append(adopted, kept...)
		p.SecretRevisions = types.MapValueMust(types.Int64Type, elems)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	// An update sends every adopted secret along, to fingerprint it: say so,
	// since the plan cannot show it.
	if state != nil && len(adopted) > 0 && !resp.Plan.Raw.Equal(req.State.Raw) {
		sort.Strings(adopted)
		resp.Diagnostics.AddWarning("Adopted secrets will be written",
			fmt.Sprintf("Pages project %q: the secrets %s were adopted on import and have never been written by Terraform. "+
				"This update writes their configured values too, so that their changes are detected from now on. "+
				"If a live value must be kept, put the same value in the configuration first.",
				plan.Name.ValueString(), strings.Join(adopted, ", ")))
	}
}

// plannedRevisions is ModifyPlan's decision for the configured secrets of
// one environment: a secret is written (its revision planned unknown) when
// its value is unknown, it is new to the state, the block's
// secret_variables_version changed (rewriteAll), or its value no longer
// matches its fingerprint; otherwise it keeps the state's revision. adopted
// names the secrets kept for want of a fingerprint (env.name).
func plannedRevisions(env string, configured, stateRevs map[string]attr.Value, rewriteAll bool, record *writeonly.Record) (revs map[string]attr.Value, adopted []string) {
	revs = map[string]attr.Value{}
	for name, v := range configured {
		value, _ := v.(types.String)
		rev, had := stateRevs[name]
		switch {
		case value.IsUnknown(), !had, rewriteAll:
			revs[name] = types.Int64Unknown()
			continue
		}
		switch record.Decide(secretKey(env, name), value.ValueString()) {
		case writeonly.Changed:
			revs[name] = types.Int64Unknown()
		case writeonly.Adopted:
			revs[name] = rev
			adopted = append(adopted, env+"."+name)
		default:
			revs[name] = rev
		}
	}
	return revs, adopted
}

// ValidateConfig refuses a name that is both a plain and a secret variable
// of one environment: Cloudflare keeps one value per name.
func (r *projectResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	// A module passes its variables, which are unknown during validate; the
	// check runs again at plan time, when they are known.
	if !blocksKnown(ctx, req.Config.Raw) {
		return
	}
	var config projectModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for env, e := range environments(&config) {
		if *e == nil {
			continue
		}
		secrets := (*e).SecretVariables.Elements()
		for name := range (*e).Variables.Elements() {
			if _, dup := secrets[name]; dup {
				resp.Diagnostics.AddAttributeError(path.Root(env).AtName("secret_variables").AtMapKey(name),
					"Variable is both plain and secret",
					fmt.Sprintf("%s is set in %s.variables and in %s.secret_variables. Cloudflare keeps one value per name: keep it in one of the two.", name, env, env))
			}
		}
	}
}

// recordWrites fingerprints the secrets just written, forgets the ones no
// longer configured, and returns each written secret's new revision.
func recordWrites(record *writeonly.Record, writes secretWrites, state *projectModel, configured map[string][]string) (map[string]map[string]int64, error) {
	revs := map[string]map[string]int64{}
	for env, written := range writes {
		revs[env] = map[string]int64{}
		var prior map[string]int64
		if state != nil {
			if e := *environments(state)[env]; e != nil {
				prior = revisions(e.SecretRevisions)
			}
		}
		for name, w := range written {
			if err := record.Written(secretKey(env, name), w.Value); err != nil {
				return nil, err
			}
			if w.Bump {
				revs[env][name] = prior[name] + 1
			}
		}
	}
	record.Forget(func(key string) bool {
		env, name, _ := strings.Cut(key, "/")
		return slices.Contains(configured[env], name)
	})
	return revs, nil
}

// applyRevisions sets the new revisions of written secrets in m.
func applyRevisions(m *projectModel, revs map[string]map[string]int64) {
	for env, e := range environments(m) {
		if *e == nil || (*e).SecretRevisions.IsNull() {
			continue
		}
		elems := (*e).SecretRevisions.Elements()
		out := make(map[string]attr.Value, len(elems))
		for name, v := range elems {
			out[name] = v
			if n, ok := revs[env][name]; ok {
				out[name] = types.Int64Value(n)
			}
		}
		(*e).SecretRevisions = types.MapValueMust(types.Int64Type, out)
	}
}

// blocksKnown reports whether each nested block of the object (a config or
// plan) is known or null. A block unknown as a whole cannot be read into the
// model's struct pointers.
func blocksKnown(_ context.Context, raw tftypes.Value) bool {
	if !raw.IsKnown() || raw.IsNull() {
		return false
	}
	var attrs map[string]tftypes.Value
	if err := raw.As(&attrs); err != nil {
		return false
	}
	for _, name := range []string{"build", "source", "production", "preview"} {
		if v, ok := attrs[name]; ok && !v.IsKnown() {
			return false
		}
	}
	return true
}
