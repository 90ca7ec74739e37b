// Package notificationpolicy is the officehours_notification_policy resource.
package notificationpolicy

import (
	"context"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/clients"
)

var (
	_ resource.ResourceWithConfigure      = (*policyResource)(nil)
	_ resource.ResourceWithImportState    = (*policyResource)(nil)
	_ resource.ResourceWithValidateConfig = (*policyResource)(nil)
)

type policyResource struct{ clients.ResourceBase }

// NewResource is the officehours_notification_policy factory.
func NewResource() resource.Resource { return &policyResource{} }

func (r *policyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_notification_policy"
}

func policiesPath(cf *clients.Cloudflare, id ...string) string {
	return cf.Account(append([]string{"alerting", "v3", "policies"}, id...)...)
}

func (r *policyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan policyModel
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
	// A create answers the id only (cloudflare-go v7 PolicyNewResponse).
	created, err := clients.Create(ctx,
		func(ctx context.Context) (apiPolicy, error) {
			var out apiPolicy
			err := cf.Do(ctx, clients.Call{Method: http.MethodPost, Path: policiesPath(cf), JSON: body}, &out)
			return out, err
		},
		// After a lost answer, the policy with our name and alert type is ours.
		func(ctx context.Context) (apiPolicy, bool, error) {
			list, err := clients.Get[[]apiPolicy](ctx, cf, policiesPath(cf), nil)
			for _, p := range list {
				if p.Name == body.Name && p.AlertType == body.AlertType {
					return p, true, nil
				}
			}
			return apiPolicy{}, false, err
		}, nil)
	if err != nil {
		resp.Diagnostics.AddError("Cannot create notification policy", fmt.Sprintf("Creating notification policy %q (%s) failed: %s", body.Name, body.AlertType, err))
		return
	}
	body.ID = created.ID
	resp.Diagnostics.Append(plan.fromAPI(body)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *policyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state policyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := clients.Get[apiPolicy](ctx, cf, policiesPath(cf, state.ID.ValueString()), nil)
	if clients.IsGone(err) {
		tflog.Info(ctx, "Notification policy no longer exists; planning re-creation", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read notification policy", fmt.Sprintf("Reading notification policy %s failed: %s", state.ID.ValueString(), err))
		return
	}
	resp.Diagnostics.Append(state.fromAPI(p)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *policyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state policyModel
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
	if err := cf.Write(ctx, clients.Call{Method: http.MethodPut, Path: policiesPath(cf, state.ID.ValueString()), JSON: body}, nil); err != nil {
		resp.Diagnostics.AddError("Cannot update notification policy", fmt.Sprintf("Updating notification policy %q (%s) failed: %s", body.Name, state.ID.ValueString(), err))
		return
	}
	body.ID = state.ID.ValueString()
	resp.Diagnostics.Append(plan.fromAPI(body)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *policyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state policyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.Cloudflare()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := cf.Delete(ctx, policiesPath(cf, state.ID.ValueString())); err != nil {
		resp.Diagnostics.AddError("Cannot delete notification policy", fmt.Sprintf("Deleting notification policy %s failed: %s", state.ID.ValueString(), err))
	}
}

// ImportState takes the policy id.
func (r *policyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}
