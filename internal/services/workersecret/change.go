package workersecret

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/writeonly"
)

// fingerprintKey is the private-state key of the written value's
// fingerprint (writeonly), the only trace of the value Terraform keeps.
const fingerprintKey = "value_fingerprint"

// valueName names the one value of this resource in its record.
const valueName = "value"

// ModifyPlan decides whether the value must be written, which the plan shows
// as `revision` becoming unknown (an update): for a new secret (first write,
// replacement, or one deleted outside Terraform), when value_wo is not known
// yet, when value_wo_version changed, or when writeonly decides value_wo
// changed since it was last written. A secret adopted by import keeps its
// revision until value_wo_version is set or changed.
func (r *secretResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan secretModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var value types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("value_wo"), &value)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.ScriptName.IsUnknown() && !plan.Name.IsUnknown() {
		plan.ID = types.StringValue(plan.ScriptName.ValueString() + "/" + plan.Name.ValueString())
	}
	plan.Revision = types.Int64Unknown()
	if !req.State.Raw.IsNull() {
		var state secretModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		record, diags := writeonly.Load(ctx, req.Private, fingerprintKey)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		same := plan.ScriptName.Equal(state.ScriptName) && plan.Name.Equal(state.Name) &&
			plan.ValueWOVersion.Equal(state.ValueWOVersion) && !value.IsUnknown() && !state.Revision.IsNull() &&
			record.Decide(valueName, value.ValueString()) != writeonly.Changed
		if same {
			plan.Revision = state.Revision
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}
