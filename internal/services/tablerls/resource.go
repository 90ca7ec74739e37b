// Package tablerls is the officehours_table_rls resource.
package tablerls

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/dbcheck"
)

var (
	_ resource.ResourceWithConfigure   = (*tableRLSResource)(nil)
	_ resource.ResourceWithImportState = (*tableRLSResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*tableRLSResource)(nil)
)

type tableRLSResource struct{ clients.ResourceBase }

// NewResource is the officehours_table_rls factory.
func NewResource() resource.Resource { return &tableRLSResource{} }

func (r *tableRLSResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_table_rls"
}

// ModifyPlan checks, while the database is reachable, that the table exists
// and that its flags can change: a typo, or a table Supabase manages, fails
// the plan instead of the apply.
func (r *tableRLSResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan tableRLSModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.Schema.IsUnknown() || plan.Table.IsUnknown() {
		return
	}
	plan.ID = types.StringValue(pgident.FormatID(plan.Schema.ValueString(), plan.Table.ValueString()))
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), plan.ID)...)
	pool, diags := dbcheck.Pool(ctx, r.Clients)
	resp.Diagnostics.Append(diags...)
	if pool == nil || diags.HasError() {
		return
	}
	schema, table := plan.Schema.ValueString(), plan.Table.ValueString()
	t, err := policysql.CheckPolicyTable(ctx, pool, schema, table)
	if err != nil {
		resp.Diagnostics.Append(dbcheck.Problem(err, "Row level security", schema, table))
		return
	}
	if err := changeable(t, &plan); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("enabled"), "Supabase manages this table", err.Error())
	}
}

// changeable refuses flags that differ on a table the current user does not
// own. On Supabase, auth.* and storage.* belong to its services: postgres
// may manage their policies but not ALTER the tables (supautils elevates
// policy statements only).
func changeable(t *policysql.Table, m *tableRLSModel) error {
	same := (m.Enabled.IsUnknown() || m.Enabled.ValueBool() == t.RowSecurity) && (m.Forced.IsUnknown() || m.Forced.ValueBool() == t.ForceRLS)
	if t.Owned || same {
		return nil
	}
	return fmt.Errorf("%s belongs to %s, which Supabase runs: its row level security is %s and forced=%t, and cannot be "+
		"changed by this database user (ALTER TABLE needs its owner). Configure enabled = %t and forced = %t to match, "+
		"or remove this resource; its policies can still be managed with officehours_rls_policy.",
		pgident.FormatID(m.Schema.ValueString(), m.Table.ValueString()), t.Owner, onOff(t.RowSecurity), t.ForceRLS, t.RowSecurity, t.ForceRLS)
}

func onOff(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled"
}

func (r *tableRLSResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.write(ctx, req.Plan.Get, &resp.State, &resp.Diagnostics, "Cannot enable row level security")
}

func (r *tableRLSResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.write(ctx, req.Plan.Get, &resp.State, &resp.Diagnostics, "Cannot change row level security")
}

func (r *tableRLSResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state tableRLSModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	pool, diags := r.Clients.Database(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	schema, table := state.Schema.ValueString(), state.Table.ValueString()
	t, err := policysql.LookupTable(ctx, pool, schema, table)
	var nf *policysql.TableNotFoundError
	if errors.As(err, &nf) {
		tflog.Info(ctx, "table no longer exists; removing its row level security from state", map[string]any{"table": pgident.FormatID(schema, table)})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read row level security", fmt.Sprintf("Reading table %s failed: %s", pgident.FormatID(schema, table), err))
		return
	}
	state.fromTable(t)
	if state.DisableOnDestroy.IsNull() { // import
		state.DisableOnDestroy = types.BoolValue(false)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *tableRLSResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state tableRLSModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := pgident.FormatID(state.Schema.ValueString(), state.Table.ValueString())
	if !state.DisableOnDestroy.ValueBool() {
		resp.Diagnostics.AddWarning("Row level security left as it is",
			fmt.Sprintf("officehours_table_rls for %s was removed from Terraform, but row level security on the table stays "+
				"as it was (enabled=%t, forced=%t): failing closed is the safe default. Set disable_on_destroy = true before "+
				"destroying to disable it, or run ALTER TABLE ... DISABLE ROW LEVEL SECURITY yourself.", id, state.Enabled.ValueBool(), state.Forced.ValueBool()))
		return
	}
	state.Enabled, state.Forced = types.BoolValue(false), types.BoolValue(false)
	pool, diags := r.Clients.Database(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := apply(ctx, pool, &state, true); err != nil {
		resp.Diagnostics.AddError("Cannot disable row level security", fmt.Sprintf("Disabling row level security on %s failed: %s", id, err))
	}
}

func (r *tableRLSResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts, err := pgident.ParseID(req.ID, "schema", "table")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error()+`. Example: terraform import officehours_table_rls.bookings public/bookings`)
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("schema"), parts[0])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("table"), parts[1])...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), pgident.FormatID(parts...))...)
}
