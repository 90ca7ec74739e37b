package workersecret

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/envdiff"
)

// fingerprintKey is the private-state key of the written value's salted
// PBKDF2 fingerprint (envdiff), the only trace of the value Terraform keeps.
const fingerprintKey = "value_fingerprint"

type privateGetter interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}

type fingerprintRecord struct {
	Fingerprint string `json:"fingerprint"`
}

func fingerprintJSON(fp string) []byte {
	data, _ := json.Marshal(fingerprintRecord{fp})
	return data
}

// loadFingerprint returns the fingerprint of the value last written, or ""
// when there is none (the secret was imported and not written since).
func loadFingerprint(ctx context.Context, p privateGetter) (string, diag.Diagnostics) {
	data, diags := p.GetKey(ctx, fingerprintKey)
	if len(data) == 0 || diags.HasError() {
		return "", diags
	}
	var rec fingerprintRecord
	if err := json.Unmarshal(data, &rec); err != nil || rec.Fingerprint == "" {
		// Unreadable: treat the value as changed (a malformed fingerprint
		// matches nothing), so it is written again.
		return "unreadable", diags
	}
	return rec.Fingerprint, diags
}

// ModifyPlan decides whether the value must be written, which the plan shows
// as `revision` becoming unknown (an update): for a new secret (first write,
// replacement, or one deleted outside Terraform), when value_wo is not known
// yet, when value_wo_version changed, or when value_wo no longer matches the
// fingerprint taken when it was last written. A secret with no fingerprint
// (adopted by import) keeps its revision: its value cannot be read back to
// compare, and writing it would make every import plan a change.
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
		fp, diags := loadFingerprint(ctx, req.Private)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		same := plan.ScriptName.Equal(state.ScriptName) && plan.Name.Equal(state.Name) &&
			plan.ValueWOVersion.Equal(state.ValueWOVersion) && !value.IsUnknown() && !state.Revision.IsNull() &&
			(fp == "" || envdiff.Matches(value.ValueString(), fp))
		if same {
			plan.Revision = state.Revision
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}
