// Package kvnamespace is the officehours_kv_namespace resource.
package kvnamespace

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
	_ resource.ResourceWithConfigure   = (*kvNamespaceResource)(nil)
	_ resource.ResourceWithImportState = (*kvNamespaceResource)(nil)
)

type kvNamespaceResource struct{ clients.ResourceBase }

// NewResource is the officehours_kv_namespace factory.
func NewResource() resource.Resource { return &kvNamespaceResource{} }

func (r *kvNamespaceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_kv_namespace"
}

func (r *kvNamespaceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan kvNamespaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	title := plan.Title.ValueString()
	ns, err := create(ctx, cf, title)
	if err != nil {
		if clients.HasCode(err, codeTitleExists) {
			id := "(look it up with `wrangler kv namespace list`)"
			if existing, ok, lookupErr := findByTitle(ctx, cf, title); lookupErr == nil && ok {
				id = existing.ID
			}
			resp.Diagnostics.AddAttributeError(path.Root("title"), "KV namespace title already taken", titleTakenDetail(title, id))
			return
		}
		resp.Diagnostics.AddError("Cannot create KV namespace", fmt.Sprintf("Creating KV namespace %q failed: %s", title, err))
		return
	}
	plan.fromAPI(ns)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func titleTakenDetail(title, id string) string {
	return fmt.Sprintf("A KV namespace titled %q already exists in this account (id %s). Import it with "+
		"`terraform import <address> <id>` to manage it here, or choose another title.", title, id)
}

func (r *kvNamespaceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state kvNamespaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ns, err := readNamespace(ctx, cf, state.ID.ValueString())
	if clients.IsGone(err) {
		tflog.Info(ctx, "KV namespace no longer exists; planning re-creation", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read KV namespace", fmt.Sprintf("Reading KV namespace %s failed: %s", state.ID.ValueString(), err))
		return
	}
	state.fromAPI(ns)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *kvNamespaceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state kvNamespaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var ns namespace
	err := cf.Write(ctx, clients.Call{Method: http.MethodPut, Path: namespacesPath(cf, state.ID.ValueString()),
		JSON: map[string]string{"title": plan.Title.ValueString()}}, &ns)
	if err != nil {
		detail := fmt.Sprintf("Renaming KV namespace %s to %q failed: %s", state.ID.ValueString(), plan.Title.ValueString(), err)
		if clients.HasCode(err, codeTitleExists) {
			detail = titleTakenDetail(plan.Title.ValueString(), "(another namespace)")
		}
		resp.Diagnostics.AddError("Cannot rename KV namespace", detail)
		return
	}
	plan.fromAPI(ns)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *kvNamespaceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state kvNamespaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	cf, diags := r.Clients.CloudflareAccount()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := cf.Delete(ctx, namespacesPath(cf, state.ID.ValueString())); err != nil {
		resp.Diagnostics.AddError("Cannot delete KV namespace", fmt.Sprintf("Deleting KV namespace %s failed: %s", state.ID.ValueString(), err))
	}
}

func (r *kvNamespaceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}
