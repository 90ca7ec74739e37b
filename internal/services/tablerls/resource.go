// Package tablerls is the officehours_table_rls resource.
package tablerls

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
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

// ModifyPlan checks that the table exists while the database is reachable,
// so a typo fails the plan instead of the apply.
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
	if r.Clients == nil || r.Clients.DatabaseUnknown() {
		return
	}
	pool, diags := r.Clients.Database(ctx)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	schema, table := plan.Schema.ValueString(), plan.Table.ValueString()
	_, err := policysql.CheckPolicyTable(ctx, pool, schema, table)
	var nf *policysql.TableNotFoundError
	var nt *policysql.NotATableError
	switch {
	case err == nil:
	case errors.As(err, &nt):
		resp.Diagnostics.AddAttributeError(path.Root("table"), "Not a table",
			fmt.Sprintf("Row level security is configured for %s. Configure it on the underlying table instead.", nt))
	case errors.As(err, &nf):
		resp.Diagnostics.AddAttributeError(path.Root("table"), "Table does not exist",
			fmt.Sprintf("Row level security is configured for table %q in schema %q, which does not exist in the database. "+
				"Create the table first (for example with a migration), or correct schema and table. If another resource "+
				"creates it in this same apply, take table from a value known only after the migrations ran (a terraform_data resource with depends_on on them; see the officehours_rls_policy documentation).", table, schema))
	case unreachable(err):
		resp.Diagnostics.AddWarning("Table not checked",
			fmt.Sprintf("Planning row level security for %s: the database could not be reached (%s), so the table was not checked.", plan.ID.ValueString(), err))
	default:
		resp.Diagnostics.AddAttributeError(path.Root("table"), "Cannot use this table", fmt.Sprintf("Planning row level security for %s: %s", plan.ID.ValueString(), err))
	}
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

func (m *tableRLSModel) fromTable(t *policysql.Table) {
	m.ID = types.StringValue(pgident.FormatID(m.Schema.ValueString(), m.Table.ValueString()))
	m.Enabled = types.BoolValue(t.RowSecurity)
	m.Forced = types.BoolValue(t.ForceRLS)
}

// unreachable reports errors that mean the server could not be talked to,
// as opposed to the server rejecting what we sent.
func unreachable(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	var pg *pgconn.PgError
	return !errors.As(err, &pg) && (errors.As(err, &ce) || errors.As(err, &ne) || pgconn.Timeout(err))
}
