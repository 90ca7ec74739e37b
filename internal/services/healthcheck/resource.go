// Package healthcheck is the officehours_health_check resource.
package healthcheck

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

var (
	_ resource.ResourceWithConfigure      = (*checkResource)(nil)
	_ resource.ResourceWithImportState    = (*checkResource)(nil)
	_ resource.ResourceWithValidateConfig = (*checkResource)(nil)
)

type checkResource struct{ clients.ResourceBase }

// NewResource is the officehours_health_check factory.
func NewResource() resource.Resource { return &checkResource{} }

func (r *checkResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_health_check"
}

func checksPath(zoneID string, id ...string) string {
	return clients.Zone(zoneID, append([]string{"healthchecks"}, id...)...)
}

// listPageSize is a page of a zone's health checks (assumed: the API
// schema gives no maximum; the call layer reads as many pages as there are).
const listPageSize = 50

func (r *checkResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan checkModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	body, diags := plan.body(ctx)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	zoneID := plan.ZoneID.ValueString()
	created, err := clients.Create(ctx,
		func(ctx context.Context) (apiCheck, error) {
			var out apiCheck
			err := cf.Do(ctx, clients.Call{Method: http.MethodPost, Path: checksPath(zoneID), JSON: body}, &out)
			return out, err
		},
		// After a lost answer, the check with our name and address is ours.
		func(ctx context.Context) (apiCheck, bool, error) {
			list, err := clients.List[apiCheck](ctx, cf, checksPath(zoneID), nil, listPageSize)
			for _, c := range list {
				if c.Name == body.Name && c.Address == body.Address {
					return c, true, nil
				}
			}
			return apiCheck{}, false, err
		}, nil)
	if err != nil {
		resp.Diagnostics.AddError("Cannot create health check", fmt.Sprintf("Creating health check %s of %s in zone %s failed: %s", body.Name, body.Address, zoneID, err))
		return
	}
	resp.Diagnostics.Append(plan.fromAPI(created)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *checkResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state checkModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	c, err := clients.Get[apiCheck](ctx, cf, checksPath(state.ZoneID.ValueString(), state.ID.ValueString()), nil)
	if clients.IsGone(err) {
		tflog.Info(ctx, "Health check no longer exists; planning re-creation", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read health check", fmt.Sprintf("Reading health check %s of zone %s failed: %s", state.ID.ValueString(), state.ZoneID.ValueString(), err))
		return
	}
	resp.Diagnostics.Append(state.fromAPI(c)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *checkResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state checkModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	body, diags := plan.body(ctx)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	var out apiCheck
	err := cf.Write(ctx, clients.Call{Method: http.MethodPut, Path: checksPath(state.ZoneID.ValueString(), state.ID.ValueString()), JSON: body}, &out)
	if err != nil {
		resp.Diagnostics.AddError("Cannot update health check", fmt.Sprintf("Updating health check %s (%s) failed: %s", body.Name, state.ID.ValueString(), err))
		return
	}
	resp.Diagnostics.Append(plan.fromAPI(out)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *checkResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state checkModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := cf.Delete(ctx, checksPath(state.ZoneID.ValueString(), state.ID.ValueString())); err != nil {
		resp.Diagnostics.AddError("Cannot delete health check", fmt.Sprintf("Deleting health check %s of zone %s failed: %s", state.ID.ValueString(), state.ZoneID.ValueString(), err))
	}
}

// ImportState takes `<zone_id>/<id>`.
func (r *checkResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	zoneID, id, ok := strings.Cut(req.ID, "/")
	if !ok || zoneID == "" || id == "" || strings.Contains(id, "/") {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("Import a health check as <zone_id>/<id> (the id is in GET /zones/<zone_id>/healthchecks); got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("zone_id"), zoneID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}
