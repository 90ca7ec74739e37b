package migrations

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/migration"
)

// ModifyPlan computes, at plan time, which migrations the apply will run,
// so the plan shows them, and stops the plan on anything that would fail or
// do the wrong thing half-way through an apply. It reads the history with
// one query and never writes.
func (r *migrationsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		var state migrationsModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		resp.Diagnostics.AddWarning("Destroy leaves the database as it is", destroyWarning(state.Directory.ValueString()))
		return
	}
	var plan migrationsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(resourceID)
	setUnknown := func() {
		plan.Pending, plan.BaselinePending, plan.LatestVersion = unknownList(), unknownList(), types.StringUnknown()
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	}
	// Not knowable before apply: say so rather than guess.
	if plan.Directory.IsUnknown() || plan.BaselineVersion.IsUnknown() || plan.AllowOutOfOrder.IsUnknown() || plan.IgnoreFiles.IsUnknown() ||
		r.Clients == nil || r.Clients.DatabaseUnknown() {
		setUnknown()
		return
	}

	dir := plan.Directory.ValueString()
	files, warnings, diags := readDir(ctx, "officehours_database_migrations", dir, plan.IgnoreFiles)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, w := range warnings {
		resp.Diagnostics.AddAttributeWarning(path.Root("directory"), "Migration file ignored", w+".")
	}
	timeout, diags := plan.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	pool, diags := r.Clients.Database(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	history, err := migration.ReadHistory(rctx, pool)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the migration history",
			"officehours_database_migrations: planning needs the history to show which migrations will run: "+err.Error()+".")
		return
	}

	p, err := migration.Compute(files, history, plan.options())
	var pe *migration.PlanError
	if errors.As(err, &pe) {
		for _, pr := range pe.Problems {
			resp.Diagnostics.AddAttributeError(path.Root("directory"), pr.Summary,
				"officehours_database_migrations (directory "+dir+"): "+pr.Detail)
		}
		return
	}
	for _, w := range p.Warnings {
		resp.Diagnostics.AddAttributeWarning(path.Root("directory"), "Migration history note", w+".")
	}
	plan.Pending, plan.BaselinePending = fileList(p.Pending), fileList(p.Baseline)
	plan.LatestVersion = versionValue(p.Latest)
	if len(p.Pending)+len(p.Baseline) == 0 && !req.State.Raw.IsNull() {
		// Nothing to run: keep what the state says (the last apply's list,
		// or empty after a refresh) so the plan is empty.
		var state migrationsModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		plan.Pending, plan.BaselinePending = state.Pending, state.BaselinePending
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}
