package workerroute

import "github.com/hashicorp/terraform-plugin-framework/types"

type routeModel struct {
	ID         types.String `tfsdk:"id"`
	ZoneID     types.String `tfsdk:"zone_id"`
	Pattern    types.String `tfsdk:"pattern"`
	ScriptName types.String `tfsdk:"script_name"`
}

type apiRoute struct {
	ID      string `json:"id"`
	Pattern string `json:"pattern"`
	Script  string `json:"script,omitempty"`
}

func (m *routeModel) body() apiRoute {
	return apiRoute{Pattern: m.Pattern.ValueString(), Script: m.ScriptName.ValueString()}
}

func (m *routeModel) fromAPI(rt apiRoute) {
	m.ID = types.StringValue(rt.ID)
	m.Pattern = types.StringValue(rt.Pattern)
	m.ScriptName = types.StringNull()
	if rt.Script != "" {
		m.ScriptName = types.StringValue(rt.Script)
	}
}
