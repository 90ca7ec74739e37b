package tablegrant

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
)

type grantModel struct {
	ID         types.String `tfsdk:"id"`
	Schema     types.String `tfsdk:"schema"`
	Table      types.String `tfsdk:"table"`
	Role       types.String `tfsdk:"role"`
	Privileges types.Set    `tfsdk:"privileges"`
	Columns    types.Map    `tfsdk:"column_privileges"`
}

var columnsType = types.SetType{ElemType: types.StringType}

func (m *grantModel) id() types.String {
	if m.Schema.IsUnknown() || m.Table.IsUnknown() || m.Role.IsUnknown() {
		return types.StringUnknown()
	}
	return types.StringValue(pgident.FormatID(m.Schema.ValueString(), m.Table.ValueString(), m.Role.ValueString()))
}

// grant converts the model; privileges and columns must be known.
func (m *grantModel) grant(ctx context.Context) (policysql.Grant, diag.Diagnostics) {
	g := policysql.Grant{Schema: m.Schema.ValueString(), Table: m.Table.ValueString(), Role: m.Role.ValueString()}
	diags := m.Privileges.ElementsAs(ctx, &g.Privileges, false)
	if !m.Columns.IsNull() {
		g.Columns = map[string][]string{}
		diags.Append(m.Columns.ElementsAs(ctx, &g.Columns, false)...)
	}
	return g, diags
}

// fromGrant sets what the database holds. The role keeps its configured
// spelling (PUBLIC or public).
func (m *grantModel) fromGrant(g policysql.Grant) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = m.id()
	m.Privileges, diags = types.SetValueFrom(context.Background(), types.StringType, nonNil(g.Privileges))
	m.Columns = types.MapNull(columnsType)
	if g.Columns != nil {
		var d diag.Diagnostics
		m.Columns, d = types.MapValueFrom(context.Background(), columnsType, g.Columns)
		diags.Append(d...)
	}
	return diags
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
