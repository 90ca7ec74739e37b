package rlspolicy

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
)

type policyModel struct {
	ID                  types.String `tfsdk:"id"`
	Schema              types.String `tfsdk:"schema"`
	Table               types.String `tfsdk:"table"`
	Name                types.String `tfsdk:"name"`
	Command             types.String `tfsdk:"command"`
	Permissive          types.Bool   `tfsdk:"permissive"`
	Roles               types.Set    `tfsdk:"roles"`
	Using               types.String `tfsdk:"using"`
	WithCheck           types.String `tfsdk:"with_check"`
	UsingNormalized     types.String `tfsdk:"using_normalized"`
	WithCheckNormalized types.String `tfsdk:"with_check_normalized"`
}

// policy converts the model to policysql's form. Unknown or null strings
// become "" (absent); callers check knownness first where it matters.
func (m *policyModel) policy(ctx context.Context) (policysql.Policy, diag.Diagnostics) {
	roles, diags := m.roles(ctx)
	return policysql.Policy{
		Schema:     m.Schema.ValueString(),
		Table:      m.Table.ValueString(),
		Name:       m.Name.ValueString(),
		Command:    policysql.Command(m.Command.ValueString()),
		Permissive: m.Permissive.ValueBool(),
		Roles:      roles,
		Using:      m.Using.ValueString(),
		WithCheck:  m.WithCheck.ValueString(),
	}, diags
}

// rolesKnown reports whether the role set and every element are known.
func (m *policyModel) rolesKnown() bool {
	if m.Roles.IsUnknown() {
		return false
	}
	for _, e := range m.Roles.Elements() {
		if e.IsUnknown() {
			return false
		}
	}
	return true
}

// roles returns the role names; nil (PUBLIC) when null or not yet known.
func (m *policyModel) roles(ctx context.Context) ([]string, diag.Diagnostics) {
	var roles []string
	if m.Roles.IsNull() || !m.rolesKnown() {
		return nil, nil
	}
	diags := m.Roles.ElementsAs(ctx, &roles, false)
	return roles, diags
}

func (m *policyModel) id() types.String {
	if m.Schema.IsUnknown() || m.Table.IsUnknown() || m.Name.IsUnknown() {
		return types.StringUnknown()
	}
	return types.StringValue(pgident.FormatID(m.Schema.ValueString(), m.Table.ValueString(), m.Name.ValueString()))
}

// fromDB sets everything the database knows. The user's expression text
// is kept when the database has the clause; otherwise (import, or a clause
// added or removed out of band) the server's form stands in for it so the
// plan shows the difference. Roles keep their configured spelling while
// they grant the same set.
func (m *policyModel) fromDB(p *policysql.Policy) diag.Diagnostics {
	m.Schema = types.StringValue(p.Schema)
	m.Table = types.StringValue(p.Table)
	m.Name = types.StringValue(p.Name)
	m.ID = m.id()
	m.Command = types.StringValue(string(p.Command))
	m.Permissive = types.BoolValue(p.Permissive)
	m.Using = keepText(m.Using, p.Using)
	m.WithCheck = keepText(m.WithCheck, p.WithCheck)
	m.UsingNormalized = optString(p.Using)
	m.WithCheckNormalized = optString(p.WithCheck)
	var diags diag.Diagnostics
	current, d := m.roles(context.Background())
	diags.Append(d...)
	if m.Roles.IsNull() || m.Roles.IsUnknown() || !policysql.RolesEqual(current, p.Roles) {
		m.Roles, d = types.SetValueFrom(context.Background(), types.StringType, policysql.CanonicalRoles(p.Roles))
		diags.Append(d...)
	}
	return diags
}

func keepText(text types.String, stored string) types.String {
	switch {
	case stored == "":
		return types.StringNull()
	case text.IsNull() || text.IsUnknown():
		return types.StringValue(stored)
	}
	return text
}

func optString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
