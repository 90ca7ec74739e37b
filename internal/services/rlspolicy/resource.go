// Package rlspolicy is the officehours_rls_policy resource.
package rlspolicy

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/jackc/pgx/v5"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
)

var (
	_ resource.ResourceWithConfigure   = (*policyResource)(nil)
	_ resource.ResourceWithImportState = (*policyResource)(nil)
)

type policyResource struct{ clients.ResourceBase }

// NewResource is the officehours_rls_policy factory.
func NewResource() resource.Resource { return &policyResource{} }

func (r *policyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_rls_policy"
}

func (r *policyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan policyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	p, diags := plan.policy(ctx)
	resp.Diagnostics.Append(diags...)
	pool, diags := r.Clients.Database(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var got *policysql.Policy
	err := policysql.WithTableWrite(ctx, pool, p.Schema, p.Table, func(tx pgx.Tx) error {
		if _, err := policysql.CheckPolicyTable(ctx, tx, p.Schema, p.Table); err != nil {
			return err
		}
		sql, err := policysql.CreateSQL(p)
		if err != nil {
			return err
		}
		if err := policysql.ExecDDL(ctx, tx, sql); err != nil {
			return err
		}
		got, err = lookup(ctx, tx, p.Schema, p.Table, p.Name)
		return err
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot create policy", fmt.Sprintf("Creating policy %q on %s failed: %s", p.Name, tableName(p), err))
		return
	}
	resp.Diagnostics.Append(saveApplied(ctx, resp.Private, &plan, got)...)
	resp.Diagnostics.Append(plan.fromDB(got)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *policyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state policyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	pool, diags := r.Clients.Database(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	schema, table, name := state.Schema.ValueString(), state.Table.ValueString(), state.Name.ValueString()
	got, err := policysql.ReadPolicy(ctx, pool, schema, table, name)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read policy", fmt.Sprintf("Reading policy %q on %s failed: %s", name, pgident.FormatID(schema, table), err))
		return
	}
	if got == nil {
		tflog.Info(ctx, "policy no longer exists; planning re-creation", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(state.fromDB(got)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *policyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state policyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	p, diags := plan.policy(ctx)
	resp.Diagnostics.Append(diags...)
	alter, diags := changes(ctx, &plan, &state)
	resp.Diagnostics.Append(diags...)
	pool, diags := r.Clients.Database(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	oldName := state.Name.ValueString()
	var got *policysql.Policy
	err := policysql.WithTableWrite(ctx, pool, p.Schema, p.Table, func(tx pgx.Tx) error {
		name := oldName
		if p.Name != oldName {
			sql, err := policysql.RenameSQL(p.Schema, p.Table, oldName, p.Name)
			if err != nil {
				return err
			}
			if err := policysql.ExecDDL(ctx, tx, sql); err != nil {
				return err
			}
			name = p.Name
		}
		sql, err := policysql.AlterSQL(p.Schema, p.Table, name, alter)
		if err != nil {
			return err
		}
		if sql != "" {
			if err := policysql.ExecDDL(ctx, tx, sql); err != nil {
				return err
			}
		}
		got, err = lookup(ctx, tx, p.Schema, p.Table, name)
		return err
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot update policy", fmt.Sprintf("Altering policy %q on %s failed: %s", oldName, tableName(p), err))
		return
	}
	var cfg policyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.Diagnostics.Append(saveApplied(ctx, resp.Private, &cfg, got)...)
	resp.Diagnostics.Append(plan.fromDB(got)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// changes lists what ALTER POLICY must set to turn state into plan. An
// expression is sent when its planned server form differs from the stored
// one (including edits made in the dashboard) or is not known yet.
func changes(ctx context.Context, plan, state *policyModel) (policysql.Alter, diag.Diagnostics) {
	var a policysql.Alter
	planRoles, diags := plan.roles(ctx)
	stateRoles, d := state.roles(ctx)
	diags.Append(d...)
	if !policysql.RolesEqual(planRoles, stateRoles) {
		a.SetRoles, a.Roles = true, planRoles
	}
	if !plan.Using.IsNull() && (plan.UsingNormalized.IsUnknown() || !plan.UsingNormalized.Equal(state.UsingNormalized)) {
		a.Using = plan.Using.ValueString()
	}
	if !plan.WithCheck.IsNull() && (plan.WithCheckNormalized.IsUnknown() || !plan.WithCheckNormalized.Equal(state.WithCheckNormalized)) {
		a.WithCheck = plan.WithCheck.ValueString()
	}
	return a, diags
}

func (r *policyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state policyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	pool, diags := r.Clients.Database(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	schema, table, name := state.Schema.ValueString(), state.Table.ValueString(), state.Name.ValueString()
	err := policysql.WithTableWrite(ctx, pool, schema, table, func(tx pgx.Tx) error {
		var nf *policysql.TableNotFoundError
		if _, err := policysql.LookupTable(ctx, tx, schema, table); errors.As(err, &nf) {
			return nil // dropping the table dropped its policies
		} else if err != nil {
			return err
		}
		sql, err := policysql.DropSQL(schema, table, name)
		if err != nil {
			return err
		}
		return policysql.ExecDDL(ctx, tx, sql)
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot drop policy", fmt.Sprintf("Dropping policy %q on %s failed: %s", name, pgident.FormatID(schema, table), err))
	}
}

func (r *policyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts, err := pgident.ParseID(req.ID, "schema", "table", "policy")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error()+`. Example: terraform import officehours_rls_policy.x "public/bookings/Users can view own bookings"`)
		return
	}
	for i, attr := range []string{"schema", "table", "name"} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), parts[i])...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}

// lookup reads one policy inside a write transaction; it must exist.
func lookup(ctx context.Context, tx pgx.Tx, schema, table, name string) (*policysql.Policy, error) {
	got, err := policysql.LookupPolicies(ctx, tx, schema, table, &name)
	if err != nil {
		return nil, err
	}
	if len(got) != 1 {
		return nil, fmt.Errorf("policy %q not found on %s right after writing it", name, pgident.FormatID(schema, table))
	}
	return &got[0], nil
}

func tableName(p policysql.Policy) string { return pgident.FormatID(p.Schema, p.Table) }
