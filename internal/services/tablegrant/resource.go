// Package tablegrant is the officehours_table_grant resource.
package tablegrant

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/jackc/pgx/v5"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgident"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/policysql"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/services/dbcheck"
)

var (
	_ resource.ResourceWithConfigure   = (*grantResource)(nil)
	_ resource.ResourceWithImportState = (*grantResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*grantResource)(nil)
)

type grantResource struct{ clients.ResourceBase }

// NewResource is the officehours_table_grant factory.
func NewResource() resource.Resource { return &grantResource{} }

func (r *grantResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_table_grant"
}

// exposedRoles reach a table in public through Supabase's Data API with the
// anon key or a user's token; public is the schema the API exposes by default.
var exposedRoles = []string{"anon", "authenticated", pgident.Public}

// ModifyPlan checks a new or changed grant against the database: the table
// and the role exist, and an exposed role is not granted a table whose row
// level security is off. An unchanged grant costs no query.
func (r *grantResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan grantModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = plan.id()
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), plan.ID)...)
	if !req.State.Raw.IsNull() {
		var state grantModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if plan.Privileges.Equal(state.Privileges) && plan.Columns.Equal(state.Columns) {
			return
		}
	}
	if plan.Schema.IsUnknown() || plan.Table.IsUnknown() || plan.Role.IsUnknown() || plan.Privileges.IsUnknown() || plan.Columns.IsUnknown() {
		return
	}
	pool, diags := dbcheck.Pool(ctx, r.Clients)
	resp.Diagnostics.Append(diags...)
	if pool == nil || diags.HasError() {
		return
	}
	g, diags := plan.grant(ctx)
	resp.Diagnostics.Append(diags...)
	subject := fmt.Sprintf("The grant to %s", g.Role)
	t, err := policysql.LookupTable(ctx, pool, g.Schema, g.Table)
	if err != nil {
		resp.Diagnostics.Append(dbcheck.Problem(err, subject, g.Schema, g.Table))
		return
	}
	if !pgident.IsPublic(g.Role) {
		var exists bool
		if err := pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1)", g.Role).Scan(&exists); err != nil {
			resp.Diagnostics.Append(dbcheck.Problem(err, subject, g.Schema, g.Table))
			return
		}
		if !exists {
			resp.Diagnostics.AddAttributeError(path.Root("role"), "Role does not exist",
				fmt.Sprintf("No role %q exists in the database. Supabase's API roles are anon, authenticated and service_role; "+
					"create other roles first (for example in a migration).", g.Role))
			return
		}
	}
	if exposed(g, t) {
		resp.Diagnostics.AddAttributeWarning(path.Root("role"), "Table exposed without row level security",
			fmt.Sprintf("%s is granted %s on %s, whose row level security is off: through Supabase's Data API every row of "+
				"the table is open to it (anon is anyone with the project's public anon key). Enable row level security "+
				"(officehours_table_rls) and add policies (officehours_rls_policy), unless this same apply does; or grant "+
				"less.", g.Role, describe(g), pgident.FormatID(g.Schema, g.Table)))
	}
}

// exposed reports a grant that opens a table's every row through the Data
// API: something granted to an exposed role on a table in public whose row
// level security is off.
func exposed(g policysql.Grant, t *policysql.Table) bool {
	granted := len(g.Privileges)+len(g.Columns) > 0
	return granted && g.Schema == "public" && t.SupportsRLS() && !t.RowSecurity && slices.Contains(exposedRoles, pgident.CanonicalRole(g.Role))
}

// describe says what g grants, for messages.
func describe(g policysql.Grant) string {
	parts := slices.Clone(g.Privileges)
	for p, cols := range g.Columns {
		parts = append(parts, fmt.Sprintf("%s (%s)", p, strings.Join(cols, ", ")))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

func (r *grantResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.write(ctx, req.Plan.Get, &resp.State, &resp.Diagnostics)
}

func (r *grantResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.write(ctx, req.Plan.Get, &resp.State, &resp.Diagnostics)
}

type stateSetter interface {
	Set(context.Context, any) diag.Diagnostics
}

// write makes the role hold exactly the planned privileges, in one
// transaction under the table's write lock, and reads them back.
func (r *grantResource) write(ctx context.Context, get func(context.Context, any) diag.Diagnostics, state stateSetter, diags *diag.Diagnostics) {
	var plan grantModel
	diags.Append(get(ctx, &plan)...)
	g, d := plan.grant(ctx)
	diags.Append(d...)
	pool, d := r.Clients.Database(ctx)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	got, err := apply(ctx, pool, g)
	if err != nil {
		diags.AddError("Cannot grant", fmt.Sprintf("Granting %s %s on %s failed: %s", g.Role, describe(g), pgident.FormatID(g.Schema, g.Table), err))
		return
	}
	diags.Append(plan.fromGrant(got)...)
	diags.Append(state.Set(ctx, &plan)...)
}

func apply(ctx context.Context, db policysql.DB, g policysql.Grant) (policysql.Grant, error) {
	var got policysql.Grant
	err := policysql.WithTableWrite(ctx, db, g.Schema, g.Table, func(tx pgx.Tx) error {
		stmts, err := policysql.GrantSQL(g)
		if err != nil {
			return err
		}
		for _, s := range stmts {
			if err := policysql.ExecDDL(ctx, tx, s); err != nil {
				return err
			}
		}
		got, err = policysql.ReadGrant(ctx, tx, g.Schema, g.Table, g.Role)
		return err
	})
	return got, err
}

func (r *grantResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state grantModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	pool, diags := r.Clients.Database(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	schema, table, role := state.Schema.ValueString(), state.Table.ValueString(), state.Role.ValueString()
	got, err := policysql.ReadGrant(ctx, pool, schema, table, role)
	var nf *policysql.TableNotFoundError
	if errors.As(err, &nf) {
		tflog.Info(ctx, "table no longer exists; removing its grant from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read grant", fmt.Sprintf("Reading what %s holds on %s failed: %s", role, pgident.FormatID(schema, table), err))
		return
	}
	resp.Diagnostics.Append(state.fromGrant(got)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Delete revokes everything the role holds directly on the table.
func (r *grantResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state grantModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	pool, diags := r.Clients.Database(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	g := policysql.Grant{Schema: state.Schema.ValueString(), Table: state.Table.ValueString(), Role: state.Role.ValueString()}
	_, err := apply(ctx, pool, g)
	var nf *policysql.TableNotFoundError
	if err != nil && !errors.As(err, &nf) {
		resp.Diagnostics.AddError("Cannot revoke", fmt.Sprintf("Revoking what %s holds on %s failed: %s", g.Role, pgident.FormatID(g.Schema, g.Table), err))
	}
}

// ImportState takes `<schema>/<table>/<role>`.
func (r *grantResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts, err := pgident.ParseID(req.ID, "schema", "table", "role")
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error()+`. Example: terraform import officehours_table_grant.bookings public/bookings/authenticated`)
		return
	}
	for i, attr := range []string{"schema", "table", "role"} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), parts[i])...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}
