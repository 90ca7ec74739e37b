package rlspolicy

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/dbcheck"
)

var (
	_ resource.ResourceWithValidateConfig = (*policyResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*policyResource)(nil)
)

// ValidateConfig catches, without a database, clauses PostgreSQL would
// reject for the command and expressions that could not be wrapped safely.
func (r *policyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg policyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cmd := policysql.CommandAll
	if !cfg.Command.IsNull() {
		if cfg.Command.IsUnknown() {
			return
		}
		cmd = policysql.Command(cfg.Command.ValueString())
	}
	for _, c := range []struct {
		attr    string
		v       types.String
		allowed bool
	}{
		{"using", cfg.Using, cmd.AllowsUsing()},
		{"with_check", cfg.WithCheck, cmd.AllowsWithCheck()},
	} {
		if c.v.IsNull() || c.v.IsUnknown() {
			continue
		}
		if !c.allowed {
			resp.Diagnostics.AddAttributeError(path.Root(c.attr), "Clause not allowed for this command",
				fmt.Sprintf("%s is meaningless for %s policies and PostgreSQL rejects it. %s", c.attr, cmd, clauseAdvice(cmd)))
			continue
		}
		if err := policysql.CheckExpression(c.v.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root(c.attr), "Invalid policy expression",
				fmt.Sprintf("%s must be one SQL boolean expression: %s.", c.attr, err))
		}
	}
}

func clauseAdvice(cmd policysql.Command) string {
	switch cmd {
	case policysql.CommandInsert:
		return "An INSERT policy only checks new rows: move the expression to with_check."
	case policysql.CommandSelect, policysql.CommandDelete:
		return fmt.Sprintf("A %s policy only filters existing rows: move the expression to using.", cmd)
	}
	return ""
}

// ModifyPlan compares the configured expressions with the stored ones the
// only reliable way: by letting the server normalise the configuration. An
// expression whose text is the one the last apply wrote is not sent again:
// its normal form is remembered (private state), so a plan with no policy
// change touches the database only through the refresh, which reads
// pg_policy and so still sees an edit made in the dashboard. A new or
// changed policy is normalised on a copy of the table's shape (no lock
// stronger than ACCESS SHARE); that check also finds a missing table, an
// unknown role or column, and roles that cannot reach the table.
func (r *policyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan, cfg policyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	var state *policyModel
	if !req.State.Raw.IsNull() {
		state = &policyModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	remembered, diags := loadApplied(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = plan.id()
	resp.Diagnostics.Append(planRoles(ctx, &plan, &cfg, state)...)

	sameTable := state != nil && plan.Schema.Equal(state.Schema) && plan.Table.Equal(state.Table)
	norm, known := policysql.Expressions{}, true
	using, usingOK := remembered.Using.normalFor(cfg.Using, sameTable)
	check, checkOK := remembered.WithCheck.normalFor(cfg.WithCheck, sameTable)
	if usingOK && checkOK && state != nil && plan.Roles.Equal(state.Roles) {
		norm = policysql.Expressions{Using: using, WithCheck: check}
	} else {
		norm, known = r.normalize(ctx, &plan, resp)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	planExpression(&plan.Using, &plan.UsingNormalized, cfg.Using, norm.Using, known, state, func(m *policyModel) (types.String, types.String) {
		return m.Using, m.UsingNormalized
	})
	planExpression(&plan.WithCheck, &plan.WithCheckNormalized, cfg.WithCheck, norm.WithCheck, known, state, func(m *policyModel) (types.String, types.String) {
		return m.WithCheck, m.WithCheckNormalized
	})
	if state != nil {
		// ALTER POLICY can set a clause but not remove one.
		if cfg.Using.IsNull() && !state.UsingNormalized.IsNull() {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("using"))
		}
		if cfg.WithCheck.IsNull() && !state.WithCheckNormalized.IsNull() {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("with_check"))
		}
		if !plan.Name.IsUnknown() && !plan.Name.Equal(state.Name) && sameTable && !r.renamable(ctx, &plan) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("name"))
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// renamable reports whether the policy can be renamed in place: only on a
// table the current user owns. On Supabase's own tables (storage.objects,
// auth.users) supautils lets postgres create, alter and drop policies but
// not rename them, so a new name replaces the policy. When the database
// cannot tell, rename is assumed and apply says what failed.
func (r *policyResource) renamable(ctx context.Context, plan *policyModel) bool {
	pool, _ := dbcheck.Pool(ctx, r.Clients)
	if pool == nil {
		return true
	}
	t, err := policysql.LookupTable(ctx, pool, plan.Schema.ValueString(), plan.Table.ValueString())
	return err != nil || t.Owned
}

// planRoles plans PUBLIC for no roles and keeps the prior spelling while
// the configured set grants the same roles (PUBLIC vs public, [] vs public).
func planRoles(ctx context.Context, plan, cfg, state *policyModel) diag.Diagnostics {
	if !cfg.rolesKnown() {
		return nil
	}
	configured, diags := cfg.roles(ctx)
	if state != nil && !state.Roles.IsNull() {
		prior, d := state.roles(ctx)
		diags.Append(d...)
		if policysql.RolesEqual(configured, prior) {
			plan.Roles = state.Roles
			return diags
		}
	}
	if cfg.Roles.IsNull() {
		plan.Roles, diags = types.SetValueFrom(ctx, types.StringType, []string{pgident.Public})
	}
	return diags
}

// normalize returns the server's form of the configured expressions, and
// false when it cannot be known at plan time (unknown values, database
// URL unknown or unreachable). Errors the user must fix become diagnostics;
// roles that cannot reach the table become a warning.
func (r *policyResource) normalize(ctx context.Context, plan *policyModel, resp *resource.ModifyPlanResponse) (policysql.Expressions, bool) {
	for _, v := range []types.String{plan.Schema, plan.Table, plan.Command, plan.Using, plan.WithCheck} {
		if v.IsUnknown() {
			return policysql.Expressions{}, false
		}
	}
	pool, diags := dbcheck.Pool(ctx, r.Clients)
	resp.Diagnostics.Append(diags...)
	if pool == nil || diags.HasError() {
		return policysql.Expressions{}, false
	}
	p, diags := plan.policy(ctx)
	resp.Diagnostics.Append(diags...)
	norm, err := policysql.Normalize(ctx, pool, p)
	if err != nil {
		if d := dbcheck.Problem(err, fmt.Sprintf("Policy %q", p.Name), p.Schema, p.Table); d != nil {
			resp.Diagnostics.Append(d)
		}
		return policysql.Expressions{}, false
	}
	if plan.rolesKnown() {
		if roles, err := policysql.Unreachable(ctx, pool, p); err == nil && len(roles) > 0 {
			resp.Diagnostics.AddAttributeWarning(path.Root("roles"), "Policy for a role that cannot reach the table",
				fmt.Sprintf("Policy %q on %s is for %s, which %s no %s privilege on the table (or no USAGE on schema %q): "+
					"the policy has no effect for them until it is granted. Since 2026-10-30 Supabase grants new tables "+
					"to no API role; add an officehours_table_grant (and make the policy depend on it, when this "+
					"configuration grants it in the same apply).",
					p.Name, pgident.FormatID(p.Schema, p.Table), strings.Join(roles, ", "), hasOrHave(roles), commandPrivilegeNames(p.Command), p.Schema))
		}
	}
	return norm, true
}

func hasOrHave(roles []string) string {
	if len(roles) == 1 {
		return "has"
	}
	return "have"
}

// commandPrivilegeNames names the privileges a command needs, for messages.
func commandPrivilegeNames(c policysql.Command) string {
	if c == policysql.CommandAll {
		return "SELECT, INSERT, UPDATE or DELETE"
	}
	return string(c)
}

// planExpression plans one expression and its normalised form. When the
// server's form of the configuration equals what is stored, it keeps the
// prior text so that reformatting plans nothing; otherwise the new text and
// its normalised form are planned, which is how dashboard edits show.
func planExpression(text, normalized *types.String, cfg types.String, norm string, known bool, state *policyModel,
	get func(*policyModel) (types.String, types.String)) {
	*text = cfg
	switch {
	case cfg.IsNull():
		*normalized = types.StringNull()
		return
	case !known:
		*normalized = types.StringUnknown()
		if state != nil {
			if priorText, priorNorm := get(state); priorText.Equal(cfg) {
				*normalized = priorNorm // unchanged text: assume unchanged until the server can say
			}
		}
		return
	}
	*normalized = types.StringValue(norm)
	if state == nil {
		return
	}
	if priorText, priorNorm := get(state); !priorText.IsNull() && priorNorm.Equal(types.StringValue(norm)) {
		*text = priorText
	}
}
