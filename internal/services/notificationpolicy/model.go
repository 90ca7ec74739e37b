package notificationpolicy

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type policyModel struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	Description  types.String `tfsdk:"description"`
	AlertType    types.String `tfsdk:"alert_type"`
	Enabled      types.Bool   `tfsdk:"enabled"`
	EmailTargets types.Set    `tfsdk:"email_targets"`
	WebhookIDs   types.Set    `tfsdk:"webhook_ids"`
	Filters      types.Map    `tfsdk:"filters"`
}

// apiPolicy is a policy as the API takes and answers it (cloudflare-go v7
// alerting.Policy; mechanisms are alerting.Mechanism).
type apiPolicy struct {
	ID          string              `json:"id,omitempty"`
	Name        string              `json:"name"`
	Description string              `json:"description"`
	AlertType   string              `json:"alert_type"`
	Enabled     bool                `json:"enabled"`
	Filters     map[string][]string `json:"filters"`
	Mechanisms  mechanisms          `json:"mechanisms"`
}

type mechanisms struct {
	Email    []target `json:"email,omitempty"`
	Webhooks []target `json:"webhooks,omitempty"`
}

type target struct {
	ID string `json:"id"`
}

func targets(ctx context.Context, set types.Set, diags *diag.Diagnostics) []target {
	var ids []string
	if !set.IsNull() {
		diags.Append(set.ElementsAs(ctx, &ids, false)...)
	}
	sort.Strings(ids)
	var out []target
	for _, id := range ids {
		out = append(out, target{ID: id})
	}
	return out
}

func (m *policyModel) body(ctx context.Context) (apiPolicy, diag.Diagnostics) {
	var diags diag.Diagnostics
	filters := map[string][]string{}
	if !m.Filters.IsNull() {
		var raw map[string][]string
		diags.Append(m.Filters.ElementsAs(ctx, &raw, false)...)
		for k, v := range raw {
			sort.Strings(v)
			filters[k] = v
		}
	}
	return apiPolicy{
		Name: m.Name.ValueString(), Description: m.Description.ValueString(), AlertType: m.AlertType.ValueString(),
		Enabled: m.Enabled.ValueBool(), Filters: filters,
		Mechanisms: mechanisms{Email: targets(ctx, m.EmailTargets, &diags), Webhooks: targets(ctx, m.WebhookIDs, &diags)},
	}, diags
}

func idSet(list []target) (types.Set, diag.Diagnostics) {
	if len(list) == 0 {
		return types.SetNull(types.StringType), nil
	}
	ids := make([]string, len(list))
	for i, t := range list {
		ids[i] = t.ID
	}
	return types.SetValueFrom(context.Background(), types.StringType, ids)
}

func (m *policyModel) fromAPI(p apiPolicy) diag.Diagnostics {
	var diags, d diag.Diagnostics
	m.ID = types.StringValue(p.ID)
	m.Name = types.StringValue(p.Name)
	m.Description = types.StringNull()
	if p.Description != "" {
		m.Description = types.StringValue(p.Description)
	}
	m.AlertType = types.StringValue(p.AlertType)
	m.Enabled = types.BoolValue(p.Enabled)
	m.EmailTargets, d = idSet(p.Mechanisms.Email)
	diags.Append(d...)
	m.WebhookIDs, d = idSet(p.Mechanisms.Webhooks)
	diags.Append(d...)
	m.Filters = types.MapNull(types.SetType{ElemType: types.StringType})
	if len(p.Filters) > 0 {
		m.Filters, d = types.MapValueFrom(context.Background(), types.SetType{ElemType: types.StringType}, p.Filters)
		diags.Append(d...)
	}
	return diags
}
