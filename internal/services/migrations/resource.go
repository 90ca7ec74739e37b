// Package migrations is the officehours_database_migrations resource and
// data source: Supabase migration files applied through the Supabase CLI's
// history table (see internal/migration).
package migrations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/migration"
)

var (
	_ resource.ResourceWithConfigure   = (*migrationsResource)(nil)
	_ resource.ResourceWithImportState = (*migrationsResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*migrationsResource)(nil)
)

type migrationsResource struct{ clients.ResourceBase }

// NewResource is the officehours_database_migrations factory.
func NewResource() resource.Resource { return &migrationsResource{} }

func (r *migrationsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_database_migrations"
}

func (r *migrationsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan migrationsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	timeout, diags := plan.Timeouts.Create(ctx, defaultApplyTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	state, diags := r.apply(ctx, &plan, timeout, nil)
	resp.Diagnostics.Append(diags...)
	if state != nil {
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	}
}

func (r *migrationsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior migrationsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	timeout, diags := plan.Timeouts.Update(ctx, defaultApplyTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	state, diags := r.apply(ctx, &plan, timeout, &prior)
	resp.Diagnostics.Append(diags...)
	if state != nil {
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	}
}

// apply runs the planned migrations and returns the state to save: the plan
// on success; after a failure part-way, what did happen (nil when nothing
// can be said, so the prior state stays).
func (r *migrationsResource) apply(ctx context.Context, plan *migrationsModel, timeout time.Duration, prior *migrationsModel) (*migrationsModel, diag.Diagnostics) {
	dir := plan.Directory.ValueString()
	pool, diags := r.Clients.Database(ctx)
	if diags.HasError() {
		return nil, diags
	}
	files, warnings, d := readDir(ctx, "officehours_database_migrations", dir, plan.IgnoreFiles)
	diags.Append(d...)
	if diags.HasError() {
		return nil, diags
	}
	for _, w := range warnings {
		tflog.Warn(ctx, w)
	}
	expect, d := plan.expected(ctx)
	diags.Append(d...)
	if diags.HasError() {
		return nil, diags
	}

	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// A connection of its own: it holds the session lock, and migrations may
	// change session settings the pool's other users must not inherit.
	conn, err := pgx.ConnectConfig(ctx, pool.Config().ConnConfig.Copy())
	if err != nil {
		diags.AddError("Cannot connect to the database", fmt.Sprintf("officehours_database_migrations: opening a connection to apply migrations from %s failed: %s", dir, err))
		return nil, diags
	}
	defer func() {
		cctx, ccancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer ccancel()
		conn.Close(cctx)
	}()

	tflog.Info(ctx, "applying migrations", map[string]any{"directory": dir, "files": len(files), "planned": len(expect)})
	res, applyErr := migration.Apply(ctx, conn, files, migration.ApplyOptions{
		Options: plan.options(), Expect: expect,
		Log: func(msg string, fields map[string]any) { tflog.Info(ctx, msg, fields) },
	})

	state := *plan
	if applyErr == nil {
		if state.Pending.IsUnknown() { // planned while the database URL was unknown
			state.Pending, state.BaselinePending = fileList(res.Applied), fileList(res.Recorded)
		}
		if state.LatestVersion.IsUnknown() {
			state.LatestVersion = r.latest(ctx, pool, prior)
		}
		return &state, diags
	}

	// Part of the work may be done: record how far the history got, and
	// plan nothing as pending so the next plan lists what is left.
	state.Pending, state.BaselinePending = emptyList(), emptyList()
	state.LatestVersion = r.latest(ctx, pool, prior)
	diags.AddError("Migration failed", applyFailure(dir, res, applyErr))
	return &state, diags
}

// latest reads the newest applied version, falling back to the prior state.
func (r *migrationsResource) latest(ctx context.Context, pool *pgxpool.Pool, prior *migrationsModel) types.String {
	// The apply's context may have run out; this one short read must not.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	history, err := migration.ReadHistory(rctx, pool)
	if err != nil {
		tflog.Warn(ctx, "could not read the history after the apply", map[string]any{"error": err.Error()})
		if prior != nil {
			return prior.LatestVersion
		}
		return types.StringNull()
	}
	return versionValue(latestApplied(history))
}

// applyFailure says what failed, what did happen, and what to do.
func applyFailure(dir string, res *migration.Result, err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "officehours_database_migrations (directory %s): ", dir)
	if res != nil && len(res.Applied)+len(res.Recorded) > 0 {
		names := make([]string, 0, len(res.Applied))
		for _, f := range res.Applied {
			names = append(names, f.Filename)
		}
		fmt.Fprintf(&b, "applied and recorded before the failure: %d file(s)%s", len(res.Applied), nameList(names))
		if len(res.Recorded) > 0 {
			fmt.Fprintf(&b, ", and %d baseline file(s) recorded", len(res.Recorded))
		}
		b.WriteString(".\n")
	}
	b.WriteString(err.Error())
	var ae *migration.ApplyError
	if !errors.As(err, &ae) && errors.Is(err, context.DeadlineExceeded) {
		b.WriteString("\nThe operation ran out of time; raise timeouts.create or timeouts.update if migrations legitimately take longer.")
	}
	return b.String()
}

func nameList(names []string) string {
	if len(names) == 0 {
		return ""
	}
	if len(names) > 10 {
		names = append(names[:10:10], fmt.Sprintf("and %d more", len(names)-10))
	}
	return " (" + strings.Join(names, ", ") + ")"
}

func (r *migrationsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state migrationsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || r.Clients == nil || r.Clients.DatabaseUnknown() {
		return
	}
	timeout, diags := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	pool, diags := r.Clients.Database(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	history, err := migration.ReadHistory(ctx, pool)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the migration history", "officehours_database_migrations: "+err.Error()+".")
		return
	}
	// Everything applied is in the history now; what is pending is for
	// the plan to say, from the files.
	state.ID = types.StringValue(resourceID)
	state.LatestVersion = versionValue(latestApplied(history))
	state.Pending, state.BaselinePending = emptyList(), emptyList()
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Delete forgets the resource. Migrations have no safe inverse: dropping
// what they created would destroy data, so the database is left alone.
func (r *migrationsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state migrationsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.AddWarning("Database left as it is", destroyWarning(state.Directory.ValueString()))
}

func destroyWarning(dir string) string {
	return fmt.Sprintf("officehours_database_migrations (directory %s) is only removed from the Terraform state. The tables, data "+
		"and the history table supabase_migrations.schema_migrations stay in the database, and the Supabase CLI still sees "+
		"the migrations as applied. To undo a migration, write a new migration that reverts it.", dir)
}

// ImportState takes the migrations directory as the import ID; Read then
// fills in the history.
func (r *migrationsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	// A file name the CLI would skip is for the plan to report, with the
	// configuration's ignore_files; import only needs the directory.
	var bad *migration.BadNamesError
	if _, _, err := migration.ReadDir(req.ID, nil); err != nil && !errors.As(err, &bad) {
		resp.Diagnostics.AddError("Cannot import officehours_database_migrations",
			fmt.Sprintf("The import ID is the migrations directory (for example supabase/migrations), relative to where Terraform runs: %s.", err))
		return
	}
	// The rest stays null (timeouts among it) until Read and the plan.
	for attr, v := range map[string]attr.Value{
		"id": types.StringValue(resourceID), "directory": types.StringValue(req.ID), "allow_out_of_order": types.BoolValue(false),
		"pending": emptyList(), "baseline_pending": emptyList(),
	} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), v)...)
	}
}
