package rlspolicy

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
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
// only reliable way: by letting the server normalise the configuration. It
// also checks, when the database is reachable, that the table exists.
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
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = plan.id()
	resp.Diagnostics.Append(planRoles(ctx, &plan, &cfg, state)...)

	norm, known := r.normalize(ctx, &plan, resp)
	if resp.Diagnostics.HasError() {
		return
	}
	planExpression(&plan.Using, &plan.UsingNormalized, cfg.Using, norm.Using, known, state, func(m *policyModel) (types.String, types.String) {
		return m.Using, m.UsingNormalized
	})
	planExpression(&plan.WithCheck, &plan.WithCheckNormalized, cfg.WithCheck, norm.WithCheck, known, state, func(m *policyModel) (types.String, types.String) {
		return m.WithCheck, m.WithCheckNormalized
	})
	// ALTER POLICY can set a clause but not remove one.
	if state != nil {
		if cfg.Using.IsNull() && !state.UsingNormalized.IsNull() {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("using"))
		}
		if cfg.WithCheck.IsNull() && !state.WithCheckNormalized.IsNull() {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("with_check"))
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
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
// URL unknown or unreachable). Errors the user must fix become diagnostics.
func (r *policyResource) normalize(ctx context.Context, plan *policyModel, resp *resource.ModifyPlanResponse) (policysql.Expressions, bool) {
	for _, v := range []types.String{plan.Schema, plan.Table, plan.Command, plan.Using, plan.WithCheck} {
		if v.IsUnknown() {
			return policysql.Expressions{}, false
		}
	}
	if r.Clients == nil || r.Clients.DatabaseUnknown() {
		return policysql.Expressions{}, false
	}
	pool, diags := r.Clients.Database(ctx)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return policysql.Expressions{}, false
	}
	p, diags := plan.policy(ctx)
	resp.Diagnostics.Append(diags...)
	norm, err := policysql.Normalize(ctx, pool, p)
	var nf *policysql.TableNotFoundError
	var nt *policysql.NotATableError
	switch {
	case err == nil:
		return norm, true
	case errors.As(err, &nt):
		resp.Diagnostics.AddAttributeError(path.Root("table"), "Not a table",
			fmt.Sprintf("Policy %q: %s. Put the policy on the underlying table (a view can use security_invoker to apply it).", p.Name, nt))
	case errors.As(err, &nf):
		resp.Diagnostics.AddAttributeError(path.Root("table"), "Table does not exist",
			fmt.Sprintf("Policy %q is on table %q in schema %q, which does not exist in the database. Create the table first "+
				"(for example with a migration), or correct schema and table. If another resource creates it in this same "+
				"apply, take table from a value known only after the migrations ran (a terraform_data resource with depends_on on them; see the officehours_rls_policy documentation).", p.Name, nf.Table, nf.Schema))
	case unreachable(err):
		// The plan can go on; apply needs the database and will say so.
		tflog.Warn(ctx, "database unreachable at plan time; policy expressions not compared", map[string]any{"error": err.Error()})
		resp.Diagnostics.AddWarning("Policy expressions not checked",
			fmt.Sprintf("Planning policy %q on %s: the database could not be reached (%s), so neither the table nor the "+
				"expressions could be checked. They will be applied as configured.", p.Name, pgident.FormatID(p.Schema, p.Table), err))
	default:
		resp.Diagnostics.AddError("Invalid policy",
			fmt.Sprintf("Planning policy %q on %s: checking the configured expressions against the database failed: %s", p.Name, pgident.FormatID(p.Schema, p.Table), err))
	}
	return policysql.Expressions{}, false
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

// unreachable reports errors that mean the server could not be talked to,
// as opposed to the server rejecting what we sent.
func unreachable(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	var pg *pgconn.PgError
	return !errors.As(err, &pg) && (errors.As(err, &ce) || errors.As(err, &ne) || pgconn.Timeout(err))
}
