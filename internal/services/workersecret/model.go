package workersecret

import "github.com/hashicorp/terraform-plugin-framework/types"

type secretModel struct {
	ID             types.String `tfsdk:"id"`
	ScriptName     types.String `tfsdk:"script_name"`
	Name           types.String `tfsdk:"name"`
	ValueWO        types.String `tfsdk:"value_wo"`
	ValueWOVersion types.Int64  `tfsdk:"value_wo_version"`
	Revision       types.Int64  `tfsdk:"revision"`
}
